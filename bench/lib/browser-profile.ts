import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { z } from 'zod';
import { parseJson } from '../../src/shared/json';
import { repoRoot } from './paths';

/** The parts of a V8 CPU profile (CDP `Profiler.Profile`) the summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Chromium's own accounting of a phase (CDP `Performance.getMetrics`), in ms. */
const PHASES = ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'] as const;

/**
 * Records what a page's main thread did during `fn` when `dir` is set (`npm run bench -- --profile
 * DIR`): a sampled CPU profile written to DIR/<label>.cpuprofile (open it in Chromium's DevTools),
 * and a summary in the log — Chromium's task, script, layout and style time, and the self time per
 * bundled module and per function, so a figure's gap can be read without a GUI.
 */
export async function profiled<T>(
  dir: string | null,
  page: Page,
  label: string,
  log: (m: string) => void,
  fn: () => Promise<T>,
): Promise<T> {
  if (!dir) return fn();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  const before = await metrics(cdp);
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  const result = await fn();
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  const wall = Date.now() - t0;
  const after = await metrics(cdp);
  await cdp.detach();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${label}.cpuprofile`), JSON.stringify(profile));
  const phases = PHASES.map((k) => `${k.replace('Duration', '').toLowerCase()} ${(after[k] - before[k]).toFixed(0)}`);
  log(`profile ${label}: ${wall} ms wall; main thread ms: ${phases.join(', ')}`);
  const { byModule, byFunction } = selfTimes(profile);
  log(`  by module: ${top(byModule, 12)}`);
  log(`  by function: ${top(byFunction, 15)}`);
  return result;
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return Object.fromEntries(list.map((m) => [m.name, m.value * 1000]));
}

function top(m: Map<string, number>, n: number): string {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ');
}

/** Self time (ms) per module of the app's bundle (from its `// node_modules/…` markers) and per function. */
function selfTimes(profile: CpuProfile): { byModule: Map<string, number>; byFunction: Map<string, number> } {
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (deltas[i] ?? 0) / 1000);
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const module = url ? moduleOf(url, lineNumber) : functionName || '(native)';
    byModule.set(module, (byModule.get(module) ?? 0) + ms);
    const fnKey = `${functionName || '(anonymous)'}@${module}`;
    byFunction.set(fnKey, (byFunction.get(fnKey) ?? 0) + ms);
  }
  return { byModule, byFunction };
}

const markers = new Map<string, { line: number; module: string }[]>();

/** The source module a line of a built script comes from (the renderer bundle is not minified). */
function moduleOf(url: string, line: number): string {
  const file = basename(new URL(url).pathname) || '(page)';
  let list = markers.get(file);
  if (!list) {
    list = [];
    const path = join(repoRoot, 'out/renderer/assets', file);
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((text, i) => {
          const m = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(text);
          if (m)
            list!.push({ line: i, module: m[1].replace(/^node_modules\//, '').replace(/^src\/renderer\/src\//, '') });
        });
    }
    markers.set(file, list);
  }
  let found = file;
  for (const m of list) {
    if (m.line > line) break;
    found = m.module;
  }
  return found;
}

const traceSchema = z.object({
  traceEvents: z.array(
    z.object({
      name: z.string(),
      ph: z.string(),
      pid: z.number(),
      tid: z.number(),
      ts: z.number().default(0),
      dur: z.number().optional(),
      tdur: z.number().optional(),
    }),
  ),
});
type TraceEvent = z.infer<typeof traceSchema>['traceEvents'][number];

/** Main-thread CPU ms per kind of marked click: click → painted frame, and the 200 ms after that frame. */
export type ClickCpu = Map<string, { frame: number[]; after: number[] }>;

/**
 * Records a Chromium trace of `fn` and returns, for each click the click probe marked, the main
 * thread's CPU time in the click's task and in the task that painted the next frame, and the
 * CPU time of the tasks in the 200 ms after that frame (work deferred past the paint still costs
 * the page). CPU time, unlike wall time, hardly moves when the machine is loaded. With `dir` set
 * (`--profile`) the trace is kept in DIR/<label>.trace.json (opens in DevTools' Performance panel).
 */
export async function traceClicks(
  dir: string | null,
  page: Page,
  label: string,
  log: (m: string) => void,
  fn: () => Promise<void>,
): Promise<ClickCpu> {
  const byKind: ClickCpu = new Map();
  const browser = page.context().browser();
  if (!browser) {
    await fn();
    return byKind;
  }
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'blink.user_timing',
      ...(dir ? ['disabled-by-default-v8.cpu_profiler'] : []),
    ],
  });
  await fn();
  const buffer = await browser.stopTracing();
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${label}.trace.json`), buffer);
  }
  const trace = parseJson(traceSchema, buffer.toString('utf8'));
  if (!trace.ok) {
    log(`trace ${label}: unreadable (${trace.error})`);
    return byKind;
  }
  for (const c of clickCosts(trace.value.traceEvents)) {
    const k = byKind.get(c.kind) ?? { frame: [], after: [] };
    k.frame.push(c.frameCpu);
    k.after.push(c.afterCpu);
    byKind.set(c.kind, k);
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
  for (const [kind, k] of byKind) {
    log(
      `trace ${label} ${kind} clicks, main-thread CPU ms click→painted: ${fmt(k.frame)}; next 200 ms: ${fmt(k.after)}`,
    );
  }
  return byKind;
}

/** Per marked click: CPU ms of the click's task plus the task that painted the next frame, and of all tasks in the 200 ms after. */
function clickCosts(events: TraceEvent[]): { kind: string; frameCpu: number; afterCpu: number }[] {
  const marks = events.filter(
    (e) => e.name.startsWith('bench-click-') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'b'),
  );
  if (marks.length === 0) return [];
  const { pid, tid } = marks[0];
  const onMain = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const tasks: TraceEvent[] = [];
  for (const e of onMain) {
    const last = tasks[tasks.length - 1];
    if (last && e.ts < last.ts + (last.dur ?? 0)) continue; // nested in the task before
    tasks.push(e);
  }
  const paints = onMain.filter((e) => e.name === 'Paint' || e.name === 'Commit' || e.name === 'PaintImage');
  const cpu = (t: TraceEvent) => (t.tdur ?? t.dur ?? 0) / 1000;
  return marks.map((m) => {
    const first = tasks.findIndex((t) => t.ts <= m.ts && m.ts <= t.ts + (t.dur ?? 0));
    // The click's own task and the task that painted the next frame; tasks in between (socket
    // messages, the test driver's polling) are other work that load makes pile up.
    let i = Math.max(0, first);
    for (; i < tasks.length; i++) {
      const end = tasks[i].ts + (tasks[i].dur ?? 0);
      if (paints.some((p) => p.ts >= tasks[i].ts && p.ts <= end && p.ts > m.ts)) break;
    }
    const frameCpu = (first >= 0 ? cpu(tasks[first]) : 0) + (i < tasks.length && i !== first ? cpu(tasks[i]) : 0);
    const painted = i < tasks.length ? tasks[i].ts + (tasks[i].dur ?? 0) : m.ts;
    const afterCpu = tasks
      .filter((t) => t.ts > painted && t.ts < painted + 200_000)
      .reduce((sum, t) => sum + cpu(t), 0);
    return { kind: m.name.slice('bench-click-'.length), frameCpu, afterCpu };
  });
}
