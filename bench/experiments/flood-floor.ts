/**
 * The flood's floor on this machine (bench/README.md, "Session 6"): raw node-pty reading a 30 MB
 * base64 flood, alone, with every chunk parsed into the host's headless screen class on the same
 * thread, and with the parse on a worker thread — four rounds, alternating, delivering to nobody.
 * Whatever a design does on top (flow control, a hop to a viewer) can only be slower than the
 * worker row. Not part of `npm run bench`; run it with
 *
 *     node -e "require('rolldown').build({input:'bench/experiments/flood-floor.ts',platform:'node',
 *       external:[/node-pty/,/@xterm/,/koffi/],output:{file:'/tmp/flood-floor.cjs',format:'cjs'}})"
 *     cp /tmp/flood-floor.cjs . && node flood-floor.cjs
 *
 * (copied into the repository root so node-pty and xterm resolve from node_modules).
 */
import * as nodePty from 'node-pty';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { HeadlessScreen } from '../../src/main/engine/terminals/headless-screen';

if (!isMainThread) {
  const screen = new HeadlessScreen(120, 32, 5000);
  parentPort!.on('message', (d: string) => {
    screen.write(d, () => parentPort!.postMessage(d.length));
  });
} else {
  const bytes = 30_000_000;
  const script = `head -c ${bytes} /dev/zero | base64`;
  const run = (mode: 'raw' | 'same' | 'worker', worker: Worker | null) =>
    new Promise<number>((resolve) => {
      const screen = mode === 'same' ? new HeadlessScreen(120, 32, 5000) : null;
      let unparsed = 0,
        paused = false,
        chars = 0,
        last = 0;
      const t0 = performance.now();
      const pty = nodePty.spawn('bash', ['--noprofile', '--norc', '-c', script], {
        name: 'xterm-256color',
        cols: 120,
        rows: 32,
        cwd: '/tmp',
        env: process.env as Record<string, string>,
        encoding: 'utf8',
      });
      const done = (n: number) => {
        unparsed -= n;
        if (paused && unparsed < 250_000) {
          paused = false;
          pty.resume();
        }
      };
      const onAck = (n: number) => done(n);
      worker?.on('message', onAck);
      pty.onData((d) => {
        chars += d.length;
        last = performance.now();
        if (mode === 'raw') return;
        unparsed += d.length;
        if (screen) screen.write(d, () => done(d.length));
        else worker!.postMessage(d);
        if (!paused && unparsed > 1_000_000) {
          paused = true;
          pty.pause();
        }
      });
      pty.onExit(() =>
        setTimeout(() => {
          worker?.off('message', onAck);
          screen?.dispose();
          resolve(chars / 1e6 / ((last - t0) / 1000));
        }, 300),
      );
    });
  (async () => {
    const worker = new Worker(__filename);
    const res: Record<string, number[]> = { raw: [], same: [], worker: [] };
    for (let i = 0; i < 4; i++) for (const m of ['raw', 'same', 'worker'] as const) res[m].push(await run(m, worker));
    for (const [m, v] of Object.entries(res)) console.log(m, v.map((x) => x.toFixed(1)).join(' '));
    await worker.terminate();
    process.exit(0);
  })();
}
