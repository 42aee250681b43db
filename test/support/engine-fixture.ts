import { afterEach, beforeEach } from 'vitest';
import { openEngine, type Harness } from './engine-harness';
import { makeTempDir, makeTempRepo, type TempDir, type TempRepoOptions } from './temp-repo';
import { stopTerminalHosts } from './terminal-host';

/** A fresh engine and repository per test, opened and closed by the fixture's own hooks. */
export interface EngineFixture {
  readonly h: Harness;
  readonly repo: TempDir;
}

/**
 * Registers the `beforeEach`/`afterEach` pair most engine tests repeat: a real engine on a temp
 * data dir (see openEngine) and a real temp repository, both gone after each test (the data dir
 * and its terminal host too). Call at the top
 * of a file or `describe`; read `fx.h` and `fx.repo` inside the tests.
 */
export function useEngineWithRepo(
  opts: { engine?: Parameters<typeof openEngine>[0]; repo?: TempRepoOptions } = {},
): EngineFixture {
  let h: Harness | null = null;
  let home: TempDir | null = null;
  let repo: TempDir | null = null;
  beforeEach(async () => {
    // Its own data dir, removed after the test (openEngine's default one is left behind).
    home = await makeTempDir('ms-engine-');
    h = await openEngine({ ...opts.engine, home: home.path });
    repo = await makeTempRepo(opts.repo);
  });
  afterEach(async () => {
    await h?.close();
    if (home) {
      await stopTerminalHosts(home.path);
      await home.cleanup();
    }
    await repo?.cleanup();
    h = null;
    home = null;
    repo = null;
  });
  return {
    get h() {
      if (!h) throw new Error('the engine fixture is open only inside a test');
      return h;
    },
    get repo() {
      if (!repo) throw new Error('the engine fixture is open only inside a test');
      return repo;
    },
  };
}
