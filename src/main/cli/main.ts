import { isAppError, toErrorShape, type AppErrorShape } from '../../shared/errors';
import { APP_VERSION } from '../host/start-host';
import { UsageError } from './usage-error';
import { findVerb, verbs } from './verbs';

function overview(): string {
  const width = Math.max(...verbs.map((v) => v.name.length));
  return `Usage: multisession <command> [flags]

Run many coding-agent sessions side by side, each in its own git worktree. With the app or
\`multisession serve\` running, commands go to it; otherwise they open the data dir directly.

Commands:
${verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`).join('\n')}
  ${'help'.padEnd(width)}  show help for a command (multisession help create)

Every command takes --json (one JSON document on stdout) and --home DIR (the data dir; default
$MULTISESSION_HOME or the platform's app-data folder). Exit status: 0 success, 1 the operation
failed, 2 the command line is wrong.`;
}

/** Runs one CLI invocation and returns its exit status; never throws. */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const [first, ...rest] = argv;
  try {
    if (first === undefined) {
      process.stderr.write(`${overview()}\n`);
      return 2;
    }
    if (first === '--help' || first === '-h') {
      process.stdout.write(`${overview()}\n`);
      return 0;
    }
    if (first === '--version' || first === 'version') {
      process.stdout.write(json ? `${JSON.stringify({ version: APP_VERSION })}\n` : `${APP_VERSION}\n`);
      return 0;
    }
    if (first === 'help') return help(rest);
    const verb = findVerb(first);
    if (!verb) {
      throw new UsageError(
        first.startsWith('-')
          ? `put the command before its flags, e.g. \`multisession list ${first}\` — see \`multisession help\``
          : `unknown command "${first}" — run \`multisession help\` to see the commands`,
      );
    }
    return await verb.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      reportError(json, { code: 'BAD_INPUT', message: e.message }, `error: ${e.message}`);
      return 2;
    }
    const shape = toErrorShape(e);
    const detail = isAppError(e) ? shape.message : `${shape.message} (this is a bug — please report it)`;
    reportError(json, shape, `error: ${detail.replace(/\s*\n\s*/g, ' ')} [${shape.code}]`);
    if (!isAppError(e) && process.env.MULTISESSION_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

function help(args: string[]): number {
  if (args.length === 0) {
    process.stdout.write(`${overview()}\n`);
    return 0;
  }
  const verb = findVerb(args[0]);
  if (!verb) throw new UsageError(`unknown command "${args[0]}" — run \`multisession help\` to see the commands`);
  process.stdout.write(`${verb.help}\n`);
  return 0;
}

/** One line on stderr; with --json the error is also the one JSON document on stdout. */
function reportError(json: boolean, error: AppErrorShape, line: string): void {
  process.stderr.write(`${line}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
}
