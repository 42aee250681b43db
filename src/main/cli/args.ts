import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every verb takes. */
export const commonOptions = {
  json: { type: 'boolean' },
  home: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/**
 * Flags whose value is often itself dash-led (`--exec-args -c`, `--exec-args --short`): the next
 * token is always their value, as getopt treats an option with a required argument.
 */
const dashValueFlags = new Set([
  'exec-args',
  'exec-command',
  'prompt',
  'commit-message',
  'param',
  'program',
  'message',
  'title',
  'body',
]);

function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (a.startsWith('--') && dashValueFlags.has(a.slice(2)) && next !== undefined && next.startsWith('-')) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Parses a verb's flags strictly; any mistake becomes a UsageError naming the verb. */
export function parseVerbArgs<O extends Options>(verb: string, argv: string[], options: O) {
  try {
    return parseArgs({
      args: joinDashValues(argv),
      options: { ...commonOptions, ...options },
      strict: true,
      allowPositionals: false,
      allowNegative: false,
    }).values;
  } catch (e) {
    throw new UsageError(describeParseError(e, verb), verb);
  }
}

function describeParseError(e: unknown, verb: string): string {
  const err = e as { code?: string; message?: string };
  const message = (err.message ?? String(e)).split('\n')[0];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      return `unknown flag ${flag} for "${verb}" — see \`multisession help ${verb}\``;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${message.replace(/^Option '([^ ']+)[^']*' argument missing$/, '$1 needs a value')} — see \`multisession help ${verb}\``;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /'([^']+)'/.exec(message)?.[1] ?? '';
      return `unexpected argument ${JSON.stringify(arg)} for "${verb}" — flags take the form --name VALUE; see \`multisession help ${verb}\``;
    }
    default:
      return `${message} — see \`multisession help ${verb}\``;
  }
}

/** A required string flag. */
export function required(verb: string, flag: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    throw new UsageError(`${verb} needs --${flag} — see \`multisession help ${verb}\``, verb);
  }
  return value;
}

/** An optional whole-number flag within [min, max]. */
export function intFlag(
  verb: string,
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`, verb);
  }
  return n;
}

/** An optional positive number flag (seconds may be fractional) up to max. */
export function positiveFlag(verb: string, flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
    throw new UsageError(
      `--${flag} must be a number greater than 0 and at most ${max}, not ${JSON.stringify(value)}`,
      verb,
    );
  }
  return n;
}

/** An optional flag that must be one of a fixed set of values. */
export function choiceFlag<T extends string>(
  verb: string,
  flag: string,
  value: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}`, verb);
  }
  return value as T;
}
