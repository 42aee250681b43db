import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/main/engine/rpc/event-hub';
import { silentLogger } from '../../../src/main/engine/core/logger';
import { waitFor } from '../../support/wait-for';
import { HeadlessScreen } from '../../../src/main/engine/terminals/headless-screen';
import { buildPtyEnv, TerminalService } from '../../../src/main/engine/terminals/terminal-service';

/** Rows whose first field has a different width each, as wcwidth counts it. */
const rows = ['ab', '😀', '中', 'e\u0301e\u0301', '✅', '👍🏽'];

describe('one width table (Unicode 11)', () => {
  it('counts emoji and CJK as two cells and combining marks as none', async () => {
    const screen = new HeadlessScreen(40, 4, 0);
    screen.write('😀|\r\n中|\r\ne\u0301|\r\n✅|');
    await new Promise<void>((r) => screen.afterWrites(r));
    expect([0, 1, 2, 3].map((y) => [0, 1, 2].findIndex((x) => screen.cellText(x, y) === '|'))).toEqual([2, 2, 1, 2]);
    screen.dispose();
  });

  describe('agrees with what programs draw', () => {
    let service: TerminalService;
    let dir: string;
    beforeEach(() => {
      service = new TerminalService({ hub: new EventHub(), log: silentLogger });
      dir = mkdtempSync(join(tmpdir(), 'ms-width-'));
    });
    afterEach(async () => {
      await service.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it("column(1) pads with the C library's wcwidth: every marker lands in one column", async () => {
      // column -t aligns the second field by the display width it computes for the first; with a
      // width table that disagrees, the markers after emoji or CJK would be drawn a cell off.
      const input = join(dir, 'fields.tsv');
      writeFileSync(input, rows.map((r, i) => `${r}\t|${i}`).join('\n') + '\n');
      service.spawn({
        sessionId: 'column',
        file: 'column',
        args: ['-t', '-s', '\t', input],
        cwd: dir,
        env: buildPtyEnv({ LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }),
        cols: 40,
        rows: 10,
      });
      await waitFor('column printed every row', () =>
        service.screenLines('column')?.some((l) => l.includes(`|${rows.length - 1}`)),
      );
      const lines = service.screenLines('column')!;
      const markerColumns = rows.map((_, i) => {
        const y = lines.findIndex((l) => l.includes(`|${i}`));
        return [...Array(40).keys()].find((x) => service.cellAt('column', x, y) === '|');
      });
      expect(new Set(markerColumns).size).toBe(1);
      // The widest first field is 👍🏽: two code points of two cells each, as wcwidth counts them.
      expect(markerColumns[0]).toBe(6);
    });
  });
});
