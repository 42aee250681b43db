import { requests, type RequestInput, type RequestName } from '../../shared/contract';
import { UsageError } from './usage-error';

/** One CLI verb: its help text and how it runs. `run` returns the exit status. */
export interface Verb {
  name: string;
  /** One line for the overview. */
  summary: string;
  /** The full help text (`multisession help <verb>`). */
  help: string;
  run(argv: string[]): Promise<number>;
}

/**
 * Checks a request's input against the contract's own schema before anything is sent, so a bad
 * value is a usage error (exit 2) named after the flag the user typed.
 */
export function checkInput<K extends RequestName>(
  verb: string,
  name: K,
  input: RequestInput<K>,
  flags: Record<string, string>,
): void {
  const parsed = requests[name].input.safeParse(input);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  const flag = flags[path.join('.')] ?? flags[path[0] ?? ''];
  throw new UsageError(
    `${flag ? `${flag}: ` : ''}${issue?.message ?? 'invalid input'} — see \`multisession help ${verb}\``,
    verb,
  );
}
