import { runServe } from '../../server/serve-entry';
import type { Verb } from '../verb';

export const serveVerb: Verb = {
  name: 'serve',
  summary: 'run the host in browser mode (the app in a browser tab; CLIs connect to it)',
  help: `Usage: multisession serve [--port N] [--host H] [--home DIR] [--allow-remote] [--token T]

Runs the host without Electron: it owns the data dir, keeps session programs running, serves the
app to a browser and answers other \`multisession\` commands. Prints the URL to open (with its
access token). Stop it with Ctrl-C.

  --port N         port (default 7420; 0 picks a free one)
  --host H         address to bind (default 127.0.0.1); another address needs --allow-remote
  --home DIR       data dir
  --allow-remote   allow binding a non-loopback address
  --token T        use this access token instead of a random one

Example:
  multisession serve --port 7420`,
  run(argv) {
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${serveVerb.help}\n`);
      return Promise.resolve(0);
    }
    return runServe(argv);
  },
};
