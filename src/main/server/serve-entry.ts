import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createConsoleLogger } from '../engine/core/logger';
import { defaultDataDir } from '../engine/engine';
import { HostBusyError } from '../host/start-host';
import { installLastResortHandlers } from '../host/last-resort';
import { BrowserHostError } from './browser-host';
import { startServeHost } from './serve-host';

const USAGE = `Usage: multisession serve [--port N] [--host ADDR] [--home DIR] [--allow-remote[=NAMES]] [--token T]
  --port N              port to listen on (default 7420; 0 picks a free one)
  --host ADDR           address to bind (default 127.0.0.1); a non-loopback address needs --allow-remote
  --home DIR            data dir (default: $MULTISESSION_HOME or the platform's app-data folder)
  --allow-remote        allow binding a non-loopback address (plain HTTP: prefer an SSH tunnel or a TLS proxy)
  --allow-remote=NAMES  the same, and accept these comma-separated host names in the Host header
                        (the name you browse to: this machine's DNS name, a reverse proxy's name)
  --allow-host NAME     accept one more host name (repeatable)
  --token T             use this access token (at least 24 varied characters) instead of the data dir's own`;

/** `--allow-remote=a,b` is `--allow-remote --allow-host a --allow-host b` (parseArgs booleans take no value). */
export function expandAllowRemote(argv: string[]): string[] {
  return argv.flatMap((a) => {
    const m = /^--allow-remote=(.*)$/.exec(a);
    if (!m) return [a];
    return [
      '--allow-remote',
      ...m[1]
        .split(',')
        .filter(Boolean)
        .flatMap((n) => ['--allow-host', n]),
    ];
  });
}

/** Browser mode: the engine in plain Node, the renderer over HTTP, the contract over a WebSocket. */
export async function runServe(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: expandAllowRemote(argv),
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        home: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'allow-host': { type: 'string', multiple: true },
        token: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = values.port === undefined ? 7420 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a whole number from 0 to 65535, not ${values.port}\n`);
    return 2;
  }
  const dataDir = resolve(values.home ?? defaultDataDir());
  const log = createConsoleLogger({ quiet: values.quiet });
  installLastResortHandlers(log);
  let served;
  try {
    served = await startServeHost({
      dataDir,
      log,
      waitForCliMs: 15_000,
      host: values.host ?? '127.0.0.1',
      port,
      allowRemote: values['allow-remote'],
      allowedHostNames: values['allow-host'],
      token: values.token,
      staticDir: resolve(__dirname, '../renderer'),
    });
  } catch (e) {
    if (e instanceof HostBusyError || e instanceof BrowserHostError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const { browser } = served;
  process.stdout.write(`Multisession (browser mode) — data dir ${dataDir}\nOpen ${browser.url}\n`);
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('Stopping…\n');
  await served.close();
  return 0;
}

if (require.main === module) {
  runServe(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
