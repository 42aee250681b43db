import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { waitFor } from '../../support/wait-for';
import { HeadlessScreen } from '../../../src/main/engine/terminals/headless-screen';
import { readScreenStatus, rulesForAgent } from '../../../src/main/engine/terminals/status-rules';
import { buildPtyEnv, TerminalService } from '../../../src/main/engine/terminals/terminal-service';
import type { ActivitySource } from '../../../src/main/engine/terminals/status-detector';

const fixtures = resolve(__dirname, '../../fixtures/agent-screens');
const index = z
  .record(
    z.string(),
    z.object({ cli: z.string(), cols: z.number(), rows: z.number(), expect: z.enum(['waiting', 'idle']) }),
  )
  .parse(JSON.parse(readFileSync(join(fixtures, 'index.json'), 'utf8')));

async function screenOf(name: string): Promise<string[]> {
  const { cols, rows } = index[name];
  const screen = new HeadlessScreen(cols, rows, 1000);
  screen.write(readFileSync(join(fixtures, `${name}.ansi`), 'utf8'));
  await new Promise<void>((r) => screen.afterWrites(r));
  const lines = screen.visibleLines();
  screen.dispose();
  return lines;
}

describe('status rules on screens recorded from the real CLIs', () => {
  it.each(Object.keys(index))('%s', async (name) => {
    const { cli, expect: expected } = index[name];
    const lines = await screenOf(name);
    const status = readScreenStatus(lines, rulesForAgent(cli)) ?? 'idle';
    expect(status, lines.join('\n')).toBe(expected);
    // A custom command running the same CLI (no preset) is judged by every table: same answer.
    expect(readScreenStatus(lines, rulesForAgent(undefined)) ?? 'idle').toBe(expected);
  });
});

describe('busy from the CPU of the process tree', () => {
  let service: TerminalService | null = null;
  afterEach(async () => {
    await service?.dispose();
  });

  it('a loop that prints nothing but burns a core is busy, reported with source cpu', async () => {
    // A shared, loaded machine gives the loop only part of a core: a low bar keeps the test about
    // the mechanism (tree sampled, busy reported with source cpu), not about the machine's load.
    service = new TerminalService({
      hub: new EventHub(),
      log: silentLogger,
      cpuSampleMs: 300,
      activityTiming: { cpuBusyShare: 0.03 },
    });
    const seen: Array<[string, ActivitySource]> = [];
    service.onActivity((_id, activity, source) => seen.push([activity, source]));
    service.spawn({
      sessionId: 'loop',
      file: process.execPath,
      // A child process does the work, so the whole tree is counted, not only the PTY's program.
      args: ['-e', "require('child_process').spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'inherit' })"],
      cwd: process.cwd(),
      env: buildPtyEnv({}),
    });
    await waitFor('busy from cpu', () => seen.some(([a, s]) => a === 'busy' && s === 'cpu'), 20_000);
    expect(service.stats('loop')?.activity).toBe('busy');
  });
});
