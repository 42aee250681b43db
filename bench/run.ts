import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { childMain } from './lib/child-main';
import { diskSettling, SETTLED_DIRTY_KB } from './lib/disk';
import { DISAGREEMENT_FACTOR } from './lib/figures';
import type { BenchContext } from './lib/context';
import { machineInfo } from './lib/proc';
import { repoRoot } from './lib/paths';
import { machineText, table, type Figure, type Results } from './lib/report';
import { benchRoot, makeSyntheticRepo, removeDir, tempDir } from './lib/repos';
import {
  create10k,
  create1k,
  createPool10k,
  createPool1k,
  parallelCreate20,
  parallelCreatePool20,
} from './scenarios/create';
import { attachSnapshot } from './scenarios/attach';
import { reattach } from './scenarios/reattach';
import { echoLatency } from './scenarios/echo';
import { executeTrue } from './scenarios/execute';
import { ptyFlood } from './scenarios/flood';
import { idleSessions } from './scenarios/idle';
import { streaming } from './scenarios/stream';
import { keystrokeToPixels, rendererAtScale } from './scenarios/ui';

interface Scenario {
  name: string;
  figures: string[];
  needs10k: boolean;
  run(ctx: BenchContext): Promise<Figure[]>;
}

const scenarios: Scenario[] = [
  { name: 'create_1k', figures: ['create_1k'], needs10k: false, run: create1k },
  { name: 'create_10k', figures: ['create_10k'], needs10k: true, run: create10k },
  { name: 'parallel_create_20', figures: ['parallel_create_20'], needs10k: true, run: parallelCreate20 },
  { name: 'create_pool_1k', figures: ['create_pool_1k'], needs10k: false, run: createPool1k },
  { name: 'create_pool_10k', figures: ['create_pool_10k'], needs10k: true, run: createPool10k },
  {
    name: 'parallel_create_pool_20',
    figures: ['parallel_create_pool_20'],
    needs10k: true,
    run: parallelCreatePool20,
  },
  { name: 'execute_true', figures: ['execute_true'], needs10k: false, run: executeTrue },
  { name: 'pty_flood', figures: ['pty_flood_mbps'], needs10k: false, run: ptyFlood },
  { name: 'echo', figures: ['echo_p50_ms', 'echo_p99_ms'], needs10k: false, run: echoLatency },
  {
    name: 'idle',
    figures: ['idle_session_mb', 'idle_cpu_pct_100', 'startup_ms_100', 'host_rss_mb', 'host_cpu_pct'],
    needs10k: false,
    run: idleSessions,
  },
  { name: 'stream', figures: ['stream_cpu_pct_50', 'stream_lag_p99_ms_50'], needs10k: false, run: streaming },
  { name: 'keystroke', figures: ['keystroke_p50_ms', 'keystroke_p99_ms'], needs10k: false, run: keystrokeToPixels },
  {
    name: 'renderer',
    figures: ['frame_p99_ms_100', 'tab_open_ms_100', 'tab_open_frame_ms_100', 'tab_switch_frame_ms_100'],
    needs10k: false,
    run: rendererAtScale,
  },
  { name: 'attach', figures: ['attach_5000_lines_ms'], needs10k: false, run: attachSnapshot },
  { name: 'reattach', figures: ['reattach_ms_100'], needs10k: false, run: reattach },
];

const USAGE = `Usage: npm run bench -- [--quick] [--only NAME[,NAME…]] [--out FILE] [--keep] [--profile DIR]
  --quick      fewer runs, fewer sessions, shorter windows (under 3 minutes)
  --only NAME  run only these scenarios or figures: ${scenarios.map((s) => s.name).join(', ')}
  --out FILE   where to write the results (default bench/results.json)
  --keep       keep the temp folder with the repositories and data dirs
  --profile DIR  browser scenarios record CPU profiles of their measured phases into DIR and log a summary`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean' },
      profile: { type: 'string' },
      child: { type: 'string' },
      home: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.child) {
    await childMain(values.child, values.home ?? '');
    return -1;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const selected = only
    ? scenarios.filter(
        (s) => only.includes(s.name) || s.figures.some((f) => only.some((o) => f === o || f.startsWith(`${o}_`))),
      )
    : scenarios;
  if (selected.length === 0) {
    process.stderr.write(`--only ${values.only} matches nothing.\n${USAGE}\n`);
    return 2;
  }
  const quick = Boolean(values.quick);
  const started = Date.now();
  const log = (m: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${m}\n`);
  const root = benchRoot();
  const outFile = resolve(values.out ?? join(repoRoot, 'bench/results.json'));
  const machine = machineInfo();
  log(`machine: ${machineText(machine)}; temp ${root}${quick ? '; quick run' : ''}`);

  const figures: Figure[] = [];
  const errors: { scenario: string; message: string }[] = [];
  try {
    log('building synthetic repositories');
    const repo1k = await makeSyntheticRepo(root, 1_000);
    const repo10k = selected.some((s) => s.needs10k) ? await makeSyntheticRepo(root, 10_000) : '';
    const ctx: BenchContext = {
      quick,
      root,
      repo1k,
      repo10k,
      log,
      profileDir: values.profile ? resolve(values.profile) : null,
      newHome: (label) => tempDir(root, `home-${label.replace(/[^a-z0-9]+/gi, '-')}-`),
    };
    for (const s of selected) {
      log(`scenario ${s.name}`);
      try {
        figures.push(...(await s.run(ctx)));
      } catch (e) {
        const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
        errors.push({ scenario: s.name, message });
        log(`scenario ${s.name} failed: ${message}`);
      }
    }
  } finally {
    if (!values.keep) await removeDir(root);
  }

  const results: Results & { errors: typeof errors } = {
    machine,
    quick,
    only: only ? only.join(',') : null,
    startedAt: new Date(started).toISOString(),
    durationSec: Math.round((Date.now() - started) / 1000),
    method: {
      disk: { ...diskSettling, settledBelowKb: SETTLED_DIRTY_KB },
      disagreementFactor: DISAGREEMENT_FACTOR,
      note: 'product and raw alternate which runs first; a figure whose runs disagree by more than the factor is flagged and never met',
    },
    figures,
    errors,
  };
  writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  if (!quick && !only && !values.out) updateReadme(results);
  process.stdout.write(`\nMultisession benchmark${quick ? ' (quick)' : ''} — ${machineText(machine)}\n\n`);
  process.stdout.write(`${table(results)}\n\n`);
  const missed = figures.filter((f) => f.met === false).map((f) => f.name);
  process.stdout.write(
    `${figures.length} figures in ${results.durationSec} s; targets missed: ${missed.length ? missed.join(', ') : 'none'}` +
      `${errors.length ? `; scenarios failed: ${errors.map((e) => e.scenario).join(', ')}` : ''}\nWrote ${outFile}\n`,
  );
  return errors.length > 0 ? 1 : 0;
}

/** A full run keeps the table in bench/README.md (between its results markers) in step with results.json. */
function updateReadme(results: Results): void {
  const readme = join(repoRoot, 'bench/README.md');
  if (!existsSync(readme)) return;
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  const section = [
    start,
    '',
    `Run of ${results.startedAt} (${results.durationSec} s) on ${machineText(results.machine)}.`,
    '',
    table(results),
    '',
    end,
  ].join('\n');
  writeFileSync(readme, text.slice(0, a) + section + text.slice(b + end.length));
}

main(process.argv.slice(2)).then(
  (code) => {
    // A child keeps running (its host or PTYs hold the event loop open) until told to stop.
    if (code >= 0) process.exit(code);
  },
  (e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
