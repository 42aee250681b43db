import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeTempDir, type TempDir } from '../../support/temp-repo';
import { runSetupScript } from '../../../src/main/engine/git/setup-script';

const cleanups: TempDir[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((d) => d.cleanup()));
});
async function dir(): Promise<string> {
  const d = await makeTempDir();
  cleanups.push(d);
  return d.path;
}

describe.skipIf(process.platform === 'win32')('runSetupScript', () => {
  test('runs in the given folder with the given environment and reports whole lines', async () => {
    const cwd = await dir();
    const lines: string[] = [];
    await runSetupScript({
      cwd,
      script: 'touch here.txt; echo "$GREETING"; printf "é%.0s" 1 2 3; printf "\\n"; echo last >&2',
      env: { GREETING: 'hello $(not expanded twice)' },
      onLine: (l) => lines.push(l),
    });
    expect(existsSync(join(cwd, 'here.txt'))).toBe(true);
    expect(lines).toEqual(['hello $(not expanded twice)', 'ééé', 'last']);
  });

  test('a script waiting for input gets end-of-file instead of hanging', async () => {
    const cwd = await dir();
    await expect(runSetupScript({ cwd, script: 'read answer || exit 7' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      details: { exitCode: 7 },
    });
  });

  test('a failure carries the exit code and the tail of the output', async () => {
    const cwd = await dir();
    const err = await runSetupScript({ cwd, script: 'echo step one; echo "npm ERR! missing" >&2; exit 2' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'BAD_INPUT', details: { exitCode: 2 } });
    expect((err as Error).message).toContain('exited with code 2');
    expect((err as Error).message).toContain('npm ERR! missing');
    expect((err as { details: { outputTail: string } }).details.outputTail).toContain('step one');
  });
});
