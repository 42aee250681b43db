import { describe, expect, it } from 'vitest';
import { useEngineWithRepo } from '../support/engine-fixture';

// A session created with no size (the CLI's `create`, the API) starts at the size the user's last
// viewed terminal asked for, so a program drawing its first screen before any tab opens draws it
// for the terminal it will be shown in — not at 120x32, to be reflowed into fragments when a tab opens.
describe('a new session starts at the size a viewer last asked for', () => {
  const fx = useEngineWithRepo();

  it('the default until a viewer says; then the last attach or resize; an explicit size still wins', async () => {
    const { h, repo } = fx;
    let n = 0;
    const create = async (extra: { cols?: number; rows?: number } = {}) => {
      const [s] = await h.call('sessions.create', {
        name: `s${++n}`,
        repoPath: repo.path,
        program: 'bash',
        autoStart: false,
        ...extra,
      });
      return s!;
    };
    const first = await create();
    expect([first.cols, first.rows]).toEqual([120, 32]);

    await h.call('terminals.attach', { sessionId: first.id, cols: 90, rows: 25 });
    const second = await create();
    expect([second.cols, second.rows]).toEqual([90, 25]);

    await h.call('terminals.resize', { sessionId: first.id, cols: 101, rows: 41 });
    const third = await create();
    expect([third.cols, third.rows]).toEqual([101, 41]);

    const explicit = await create({ cols: 70, rows: 20 });
    expect([explicit.cols, explicit.rows]).toEqual([70, 20]);
    // Creating at a size is not viewing: the next sizeless create still follows the viewer.
    const fourth = await create();
    expect([fourth.cols, fourth.rows]).toEqual([101, 41]);
  });
});
