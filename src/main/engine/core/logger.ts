/** Minimal levelled logger; the host decides where lines go (stderr, a file, nowhere in tests). */
export interface Logger {
  info(scope: string, message: string): void;
  warn(scope: string, message: string): void;
  error(scope: string, message: string, err?: unknown): void;
}

export function createConsoleLogger(opts: { quiet?: boolean } = {}): Logger {
  const line = (level: string, scope: string, message: string) =>
    process.stderr.write(`${new Date().toISOString()} ${level} [${scope}] ${message}\n`);
  return {
    info: (scope, message) => {
      if (!opts.quiet) line('info', scope, message);
    },
    warn: (scope, message) => line('warn', scope, message),
    error: (scope, message, err) =>
      line(
        'error',
        scope,
        `${message}${err ? `: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}` : ''}`,
      ),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
