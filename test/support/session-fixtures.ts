import { join } from 'node:path';
import { makeTempRepo, runGit, type TempDir } from './temp-repo';
import type { Session } from '../../src/shared/domain';
import { AppError } from '../../src/shared/errors';
import type { SessionLookup } from '../../src/main/engine/commands/session-lookup';

/** A SessionLookup over an array, standing in for the session engine in tests of this folder and its siblings. */
export class ArraySessionLookup implements SessionLookup {
  constructor(readonly sessions: Session[] = []) {}
  get(sessionId: string): Session {
    const s = this.sessions.find((x) => x.id === sessionId);
    if (!s) throw new AppError('NOT_FOUND', `No session with id ${sessionId}`);
    return s;
  }
  list(): Session[] {
    return this.sessions;
  }
  update(sessionId: string, patch: Partial<Session>): void {
    Object.assign(this.get(sessionId), patch);
  }
}

export function makeSession(id: string, worktreePath: string, over: Partial<Session> = {}): Session {
  const now = Date.now();
  return {
    id,
    name: `session ${id}`,
    type: 'general',
    status: 'idle',
    priority: 5,
    limits: { memoryMb: null, runtimeSec: null, commandTimeoutSec: null },
    background: false,
    repoPath: worktreePath,
    baseBranch: 'main',
    branch: `ms/${id}`,
    existingBranch: false,
    worktreePath,
    agent: 'custom',
    program: 'sh',
    args: [],
    passEnv: [],
    limitMechanism: null,
    groupId: null,
    prompt: '',
    env: {},
    skills: [],
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    stoppedAt: null,
    lastActivityAt: null,
    exitCode: null,
    errorReason: null,
    pid: null,
    worktreeMissing: null,
    promptSent: false,
    recovery: null,
    cols: 80,
    rows: 24,
    agentReason: null,
    promptDelivery: 'none',
    approval: { policy: 'off', mode: null },
    statusSource: null,
    ports: null,
    usage: null,
    autoApproved: 0,
    restoredAs: null,
    paused: null,
    ...over,
  };
}

/** A real repository with one real git worktree per session id. */
export async function makeRepoWithSessions(
  ids: string[],
): Promise<{ repo: TempDir; lookup: ArraySessionLookup; sessions: Session[] }> {
  const repo = await makeTempRepo();
  const sessions: Session[] = [];
  for (const id of ids) {
    const path = join(repo.path, '..', `wt-${id}`);
    await runGit(repo.path, ['worktree', 'add', '--quiet', '-b', `ms/${id}`, path]);
    sessions.push(makeSession(id, path, { repoPath: repo.path }));
  }
  return { repo, lookup: new ArraySessionLookup(sessions), sessions };
}
