import { connect, type Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketPathFor } from '../../src/main/host/host-lock';
import { startServeProcess, repoRoot, type ServeProcess } from '../support/serve-process';
import { openAuthedWs } from '../support/ws-auth';
import { PropertyTally } from './support/report';
import { prng, socketCase, tcpCase, type FuzzCase } from './support/fuzz-corpus';

// The host survives any input: thousands of generated malformed requests, upgrades, WebSocket
// frames and local-socket lines over raw sockets (no well-behaved client in between), in
// batches; after each batch the host must still answer a valid HTTP request and a valid
// WebSocket request, and at the end no error may have reached the last-resort handler.
const built = existsSync(join(repoRoot, 'out/main/serve.js'));
const tally = new PropertyTally('fuzz');
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const BATCHES = 8;
const PER_BATCH = 300;
const CONCURRENCY = 24;
/** How long one case may wait for the host to answer or close before we hang up. */
const CASE_WAIT_MS = 400;

let serve: ServeProcess;
beforeAll(async () => {
  if (built) serve = await startServeProcess();
});
afterAll(async () => {
  tally.report();
  if (built) await serve.stop();
});

/** Writes a case to a fresh connection; resolves when the host answered, closed or went quiet. */
function send(target: { port: number } | { path: string }, c: FuzzCase, rng: () => number): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = 'port' in target ? connect(target.port, '127.0.0.1') : connect(target.path);
    let timer: NodeJS.Timeout | null = null;
    const done = () => {
      if (timer) clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => {
      // Give the rest of a pipelined case a moment, then hang up.
      timer ??= setTimeout(done, 20);
    });
    socket.once('connect', () => {
      // Sometimes in pieces, so parsers see cases split at odd places.
      if (rng() < 0.3 && c.payload.length > 2) {
        const cut = 1 + Math.floor(rng() * (c.payload.length - 1));
        socket.write(c.payload.subarray(0, cut));
        setTimeout(() => !socket.destroyed && socket.write(c.payload.subarray(cut)), 5);
      } else socket.write(c.payload);
      setTimeout(done, CASE_WAIT_MS);
    });
  });
}

function healthz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(5000, () => req.destroy());
    req.end();
  });
}

async function wsAnswers(): Promise<boolean> {
  try {
    const ws = await openAuthedWs(`ws://127.0.0.1:${serve.port}/ws`, serve.token);
    const answered = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 5000);
      ws.once('message', (d) => {
        clearTimeout(t);
        resolve(String(d).includes('"ok":true'));
      });
      ws.send(JSON.stringify({ t: 'req', id: 1, name: 'app.info', input: {} }));
    });
    ws.close();
    return answered;
  } catch {
    return false;
  }
}

describe.skipIf(!built)('fuzzing the built host over raw sockets', () => {
  it(
    `${BATCHES} batches of ${PER_BATCH} malformed cases, the host answering after each`,
    { timeout: 240_000 },
    async () => {
      const rng = prng(SEED);
      const host = `127.0.0.1:${serve.port}`;
      const socketPath = socketPathFor(serve.home);
      const kinds: Record<string, number> = {};
      let aliveAfterBatch = 0;
      for (let b = 0; b < BATCHES; b++) {
        const cases: Array<{ c: FuzzCase; target: { port: number } | { path: string } }> = [];
        for (let i = 0; i < PER_BATCH; i++) {
          const local = rng() < 0.12;
          const c = local
            ? socketCase(rng)
            : tcpCase(rng, rng() < 0.9 ? host : `evil.example:${serve.port}`, serve.token);
          kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
          cases.push({ c, target: local ? { path: socketPath } : { port: serve.port } });
        }
        tally.fault(cases.length);
        for (let i = 0; i < cases.length; i += CONCURRENCY) {
          await Promise.all(cases.slice(i, i + CONCURRENCY).map(({ c, target }) => send(target, c, rng)));
        }
        const up = serve.child.exitCode === null;
        const http = await healthz(serve.port);
        const ws = await wsAnswers();
        if (
          tally.check(
            up && http === 200 && ws,
            `after batch ${b + 1}: process up ${up}, HTTP ${http}, WebSocket answered ${ws}`,
          )
        )
          aliveAfterBatch++;
      }
      const stderr = serve.stderr();
      const lastResort = (stderr.match(/last-resort/g) ?? []).length;
      const handlerErrors = (stderr.match(/failed; answered 500/g) ?? []).length;
      tally.check(lastResort === 0, `${lastResort} errors reached the last-resort handler:\n${stderr.slice(-2000)}`);
      tally.check(handlerErrors === 0, `${handlerErrors} requests hit a handler bug (answered 500)`);
      Object.assign(tally.figures, {
        seed: SEED,
        requests: BATCHES * PER_BATCH,
        batches: BATCHES,
        aliveAfterBatch: `${aliveAfterBatch}/${BATCHES}`,
        kinds: Object.entries(kinds)
          .sort()
          .map(([k, n]) => `${k}:${n}`)
          .join(','),
        lastResortCaught: lastResort,
        handler500s: handlerErrors,
      });
      expect(tally.failed).toEqual([]);
    },
  );
});
