import { spawn, type ChildProcess } from 'node:child_process';
import { FrameClient } from '../../src/shared/client';
import { connectWsChannel, wsUrlFromServeUrl } from '../../src/main/transports/websocket/ws-channel';
import { serveEntry } from './paths';

/** The real browser-mode entry (out/main/serve.js) on a data dir, connected as the UI connects. */
export interface ServeChild {
  child: ChildProcess;
  client: FrameClient;
  /** Closes the client and ends the process with `signal`; resolves once it has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/** Spawns `serve --port 0 --home <home>`, waits for the URL it prints and connects over the WebSocket. */
export async function startServeChild(home: string): Promise<ServeChild> {
  const child = spawn(process.execPath, [serveEntry, '--port', '0', '--home', home, '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${stderr}`)), START_TIMEOUT_MS);
      child.stdout?.on('data', (d) => {
        out += String(d);
        const m = /Open (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
    });
    const client = new FrameClient(await connectWsChannel(wsUrlFromServeUrl(url)));
    return {
      child,
      client,
      kill: async (signal) => {
        client.close();
        await kill(signal);
      },
    };
  } catch (err) {
    await kill('SIGTERM');
    throw err;
  }
}
