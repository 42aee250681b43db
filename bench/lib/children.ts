import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FrameClient } from '../../src/shared/client';
import { connectWsChannel, wsUrlFromServeUrl } from '../../src/main/transports/websocket/ws-channel';
import type { ChildReady, ChildReply, LagStats } from './child-protocol';

/** A child process of this benchmark: the product's host, or the raw node-pty baseline. */
export interface BenchChild {
  pid: number;
  url: string;
  process: ChildProcess;
  call<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  lagStart(): Promise<void>;
  lagStop(): Promise<LagStats>;
  /**
   * Every process doing the product's work for this data dir: the host child and, when terminals
   * live in a detached terminal host, that process too (found from its lock file in the data dir).
   */
  pids(): number[];
  /** A typed client over the WebSocket transport (host children only). */
  client(): Promise<FrameClient>;
  stop(): Promise<void>;
}

const lockPid = z.object({ pid: z.number().int().positive() });

/** Pids recorded in the data dir's terminal-host lock files (none while terminals run in the host itself). */
export function terminalHostPids(home: string): number[] {
  if (!home || !existsSync(home)) return [];
  const pids: number[] = [];
  for (const name of readdirSync(home)) {
    if (!/^terminal-host.*\.lock$/.test(name)) continue;
    try {
      const parsed = lockPid.safeParse(JSON.parse(readFileSync(join(home, name), 'utf8')));
      if (parsed.success && existsSync(`/proc/${parsed.data.pid}`)) pids.push(parsed.data.pid);
    } catch {
      // Being rewritten: the next reading finds it.
    }
  }
  return pids;
}

/**
 * Spawns `node <this bench.js> --child <kind>`, with --expose-gc so memory can be read after a collection.
 * MULTISESSION_BENCH_CHILD_NODE_ARGS adds Node flags (say `--cpu-prof --cpu-prof-dir=/tmp/p`, to see
 * where the UI host's time goes; the profile is written when the child stops).
 */
export async function spawnChild(kind: 'host' | 'raw', home = ''): Promise<BenchChild> {
  const script = process.argv[1];
  const child = spawn(
    process.execPath,
    [
      ...(process.env.MULTISESSION_BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--expose-gc',
      script,
      '--child',
      kind,
      '--home',
      home,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: process.env,
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-8000);
  });
  child.stdout!.on('data', () => undefined);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = await new Promise<ChildReady>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} child did not start:\n${stderr}`)), 60_000);
    child.on('message', (raw) => {
      const m = raw as ChildReady | ChildReply;
      if ('type' in m && m.type === 'ready') {
        clearTimeout(timer);
        resolveReady(m);
        return;
      }
      const r = m as ChildReply;
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(new Error(r.error));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} child exited with ${code}:\n${stderr}`));
    });
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`${kind} child exited with ${code}:\n${stderr}`));
    pending.clear();
  });
  const call = <T>(cmd: string, args?: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolveCall, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolveCall as (v: unknown) => void, reject });
      child.send({ id, cmd, args });
    });
  return {
    pid: ready.pid,
    url: ready.url,
    process: child,
    call,
    pids: () => [ready.pid, ...terminalHostPids(home)],
    lagStart: async () => void (await call('lagStart')),
    lagStop: () => call<LagStats>('lagStop'),
    client: async () => new FrameClient(await connectWsChannel(wsUrlFromServeUrl(ready.url))),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await call('stop').catch(() => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
}
