import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestParsedInput } from '../../../shared/contract';
import type { PausedWork, Session } from '../../../shared/domain';
import type { RemovalVerdict } from '../../../shared/removal';
import { AppError, isAppError } from '../../../shared/errors';
import { isPausableStatus, isRunningStatus } from '../../../shared/session-state';
import type { Logger } from '../core/logger';
import type { WorktreeService } from '../git/worktree-service';
import { listWorktreeEntries } from '../git/worktree-list';
import { gitPaths } from '../review/repo-state';
import { listed } from '../safety/removal-check';
import { refusalFor, type RemovalService } from '../safety/removal-service';
import { parseStatusV2 } from '../safety/worktree-work';
import type { GitClient } from '../git/git-client';
import {
  branchTip,
  changedSinceCommitted,
  dropPauseRecord,
  folderTree,
  moveBranch,
  restoreWork,
  saveWork,
  sparseOf,
  unchangedPlaced,
  wipRefOf,
} from './paused-work';
import { bytesNotInTree, changedBytes, folderBytes } from './folder-bytes';
import type { PlacedAside } from './placed-aside';
import type { ProgramLifecycle } from './program-lifecycle';
import type { SessionRegistry } from './session-registry';
import { removalSubject, type QuiesceWork } from './session-termination';

type FolderState = 'missing' | 'empty' | 'full';

/** The removal's refusals: thrown before anything in the folder was touched. */
const REFUSALS: ReadonlySet<string> = new Set(['WORK_AT_RISK', 'CANNOT_VERIFY', 'UNSAFE_PATH']);

/** A refusal caused by files written after the WIP commit, in words that say what to do. */
function lateWrites(s: Session, e: unknown): AppError | null {
  if (!isAppError(e) || e.code !== 'WORK_AT_RISK') return null;
  const verdict = (e.details as { verdict?: RemovalVerdict } | undefined)?.verdict;
  const late = verdict?.verdict === 'loses' ? verdict.items.filter((i) => i.key.startsWith('pw:')) : [];
  if (late.length === 0) return null;
  const names = late.slice(0, 5).map((i) => i.subject);
  const more = late.length > names.length ? ` and ${late.length - names.length} more` : '';
  return new AppError(
    'WORK_AT_RISK',
    `"${s.name}" was not paused: files changed while it was pausing (${names.join(', ')}${more}), after its work was committed. Nothing was removed — the branch, folder and files are as they were. Pause again once nothing writes in the folder.`,
    { ...e.details, changedWhilePausing: late.map((i) => i.subject) },
  );
}

async function folderState(path: string): Promise<FolderState> {
  const info = await stat(path).catch(() => null);
  if (!info) return 'missing';
  if (!info.isDirectory()) return 'full';
  return (await readdir(path)).length === 0 ? 'empty' : 'full';
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/**
 * Pause (claude-squad's) and resume. Pause: the program is stopped (as hibernate does), the work
 * in progress becomes one commit on the session's branch (tracked changes and new files; the
 * staged state goes into a pause record ref, the app's unedited copied-in files aside into the
 * data dir — never the repository's object store), and the folder
 * goes through the one removal executor, judged as a pause: only what git cannot commit (ignored
 * files, empty folders, nested repositories) is at risk, and it must be accepted by fingerprint.
 * Resume: the same path on the same branch, the commit taken off again when the branch tip is
 * still it (HEAD, index and files exactly as before), placed files back, the program started
 * continuing its conversation. The record says how far each went, so a crash is finished or
 * undone on the next start (`reconcile`), never leaving the work anywhere but on the branch.
 */
export class SessionPause {
  constructor(
    private readonly d: {
      registry: SessionRegistry;
      programs: ProgramLifecycle;
      removal: RemovalService;
      worktrees: WorktreeService;
      log: Logger;
      /** Where the app's placed files wait while the folder is gone (data dir, owner-only). */
      aside: PlacedAside;
      quiesce?: QuiesceWork;
    },
  ) {}

  private get git() {
    return this.d.worktrees.git;
  }

  async pause(input: RequestParsedInput<'sessions.pause'>): Promise<Session> {
    const { registry, removal } = this.d;
    const s = registry.get(input.sessionId);
    if (s.status === 'paused') return s;
    if (!isPausableStatus(s.status) || s.recovery) {
      throw new AppError('INVALID_STATE', `"${s.name}" is ${s.status}: only a stopped or running session can pause.`);
    }
    if (s.worktreeMissing || !s.worktreePath || !(await exists(s.worktreePath))) {
      throw new AppError('INVALID_STATE', `"${s.name}" has no worktree folder to pause.`);
    }
    await this.assertPausable(s);
    // What freeing the folder would lose once its work is committed — refused unless accepted.
    const before = await removal.check(removalSubject(s), false, 'pause');
    const accepted = this.acceptance(s, before, input.acceptLoss);
    await registry.touch(s); // a full or read-only disk refuses here, before anything changes

    const release = (await this.d.quiesce?.(s.id)) ?? (() => undefined);
    try {
      const now = registry.get(s.id);
      if (isRunningStatus(now.status)) await this.d.programs.stopProgram(now, 'stopped', null);
      const placed = await removal.placed.get(s.id);
      // The folder's exact bytes before the commit reads them: any write from here on is seen below.
      const bytes = await folderBytes(this.git, s.worktreePath);
      const exclude = (before.verdict === 'loses' ? before.items : [])
        .filter((i) => i.key.startsWith('pn:'))
        .map((i) => i.subject);
      const placedKept = await unchangedPlaced(s.worktreePath, placed);
      let savedRef: string | null = null;
      const saved = await saveWork(this.git, s.worktreePath, {
        sessionId: s.id,
        placedKept,
        exclude,
        message: `WIP: ${s.name} (paused by Multisession)`,
      })
        .then(async (w) => {
          savedRef = w.ref;
          // Files git stores converted (a clean filter, an eol rule): their exact bytes are kept
          // aside with the placed files and written back after resume's checkout.
          const converted = await bytesNotInTree(this.git, s.worktreePath, w.wip ?? w.base, bytes);
          await this.d.aside.keep(s.id, s.worktreePath, placedKept, converted);
          return w;
        })
        .catch(async (e: unknown) => {
          await this.d.aside.drop(s.id).catch(() => undefined);
          await dropPauseRecord(this.git, s.worktreePath, savedRef).catch(() => undefined);
          // The program is already stopped, but nothing else changed (branch, folder, index): say so.
          const why = e instanceof Error ? e.message : String(e);
          throw new AppError(
            isAppError(e) ? e.code : 'GIT_ERROR',
            `Pausing "${s.name}" failed while committing its work; nothing was changed (branch, folder and files are as they were) and the program was stopped — Start it to go on. ${why}`,
            { sessionId: s.id },
          );
        });
      const owned = await removal.owned.get(s.worktreePath);
      const record: PausedWork = {
        ...saved,
        at: Date.now(),
        folderFreed: false,
        worktreeRoot: owned?.worktreeRoot ?? null,
        sparse: await sparseOf(this.git, s.worktreePath),
      };
      // Written before the branch moves: a crash from here on is undone or finished by reconcile.
      await registry.commit(registry.get(s.id), { paused: record });
      if (saved.wip && !(await moveBranch(this.git, s.repoPath, s.branch, saved.wip, saved.base))) {
        await this.undo(s.id);
        throw new AppError(
          'INVALID_STATE',
          `The branch ${s.branch} moved while "${s.name}" was pausing; nothing was changed.`,
        );
      }
      // Under the removal's lock, right before the rm: the folder must still be what was committed
      // (a write since the snapshot — an autosave, a process still running, a hook — is refused).
      const committed = (await this.git.run(s.repoPath, ['rev-parse', `${saved.wip ?? saved.base}^{tree}`])).trim();
      const sinceCommitted = async (git: GitClient) => {
        const inTree = await changedSinceCommitted(git, s.worktreePath, saved.base, committed, await this.leaveOut(s));
        const inBytes = await changedBytes(git, s.worktreePath, bytes);
        const seen = new Set(inTree.map((i) => i.subject));
        return [...inTree, ...inBytes.filter((i) => !seen.has(i.subject))].sort((a, b) =>
          a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0,
        );
      };
      try {
        await removal.remove(removalSubject(s), false, accepted, 'pause', { sinceCommitted });
      } catch (e) {
        // Refused before anything was removed: the folder is whole, so the branch goes back whatever it holds.
        const untouched = isAppError(e) && REFUSALS.has(e.code);
        await this.undo(s.id, untouched);
        throw lateWrites(s, e) ?? e;
      }
      return await registry.commit(registry.get(s.id), {
        status: 'paused',
        pid: null,
        paused: { ...record, folderFreed: true },
        errorReason: null,
      });
    } finally {
      release();
    }
  }

  /** The verdict accepted, or null when nothing needs accepting; throws the refusal otherwise. */
  private acceptance(s: Session, before: Awaited<ReturnType<RemovalService['check']>>, acceptLoss?: string) {
    if (before.verdict === 'safe') return null;
    if (acceptLoss !== undefined && acceptLoss === before.fingerprint) return before;
    const refusal = refusalFor(before, `Pausing "${s.name}" frees its folder, which`, acceptLoss !== undefined);
    // A running program that keeps writing there changes the list every time: say how to get out.
    if (acceptLoss === undefined || !isRunningStatus(s.status)) throw refusal;
    throw new AppError(
      refusal.code,
      `${refusal.message} Its program is running and may be changing these files: stop it first, then pause.`,
      refusal.details,
    );
  }

  /** Refuses (NOT_PAUSABLE, nothing changed) what a commit and a fresh checkout cannot carry. */
  private async assertPausable(s: Session): Promise<void> {
    const git = this.git;
    const wt = s.worktreePath;
    const why: string[] = [];
    const head = await git.exec(wt, ['symbolic-ref', '--quiet', 'HEAD']);
    if (head.exitCode !== 0 || head.stdout.trim() !== `refs/heads/${s.branch}`) {
      why.push(
        `its folder is not on the branch ${s.branch} (${head.exitCode === 0 ? head.stdout.trim() : 'detached HEAD'})`,
      );
    }
    const ops = ['MERGE_HEAD', 'rebase-merge', 'rebase-apply', 'CHERRY_PICK_HEAD', 'REVERT_HEAD', 'BISECT_LOG'];
    const paths = await gitPaths(git, wt, ops);
    for (let i = 0; i < ops.length; i++) {
      if (await exists(paths[i]))
        why.push(
          `a ${ops[i]
            .replace(/_HEAD|_LOG|-merge|-apply/g, '')
            .toLowerCase()
            .replace('_', '-')} is under way`,
        );
    }
    const status = parseStatusV2(await git.run(wt, ['status', '--porcelain=v2', '-z', '--ignore-submodules=none']));
    if (status.some((e) => e.kind === 'tracked' && e.code === 'UU')) why.push('it has unresolved conflicts');
    const gitlinks = (await git.run(wt, ['ls-files', '-z', '--stage']))
      .split('\0')
      .some((l) => l.startsWith('160000 '));
    if (gitlinks || (await exists(join(wt, '.gitmodules')))) {
      why.push('it has submodules (their checkouts and commits live in the folder)');
    }
    const entries = await listWorktreeEntries(git, s.repoPath).catch(() => []);
    if (entries.some((e) => e.locked && e.path === wt)) why.push('the worktree is locked (git worktree lock)');
    if (why.length > 0) {
      throw new AppError('NOT_PAUSABLE', `"${s.name}" cannot pause: ${why.join('; ')}. Nothing was changed.`, {
        reasons: why,
      });
    }
  }

  /**
   * Puts a pause that did not finish back, when its folder is still exactly what the WIP commit
   * holds: branch at its old tip, record dropped (index and files were never touched). A folder
   * that changed (a removal stopped half-way) keeps the branch at the WIP commit — the work stays
   * on the branch — and the session says so.
   */
  private async undo(sessionId: string, folderUntouched = false): Promise<void> {
    const s = this.d.registry.get(sessionId);
    const p = s.paused;
    if (!p) return;
    const wt = s.worktreePath;
    let note: string | null = null;
    if (p.wip && (await branchTip(this.git, s.repoPath, s.branch)) === p.wip) {
      const same = async () => {
        const now = await folderTree(this.git, wt, p.base, await this.leaveOut(s));
        return now === (await this.git.run(wt, ['rev-parse', `${p.wip}^{tree}`])).trim();
      };
      if (folderUntouched || (await same())) await moveBranch(this.git, s.repoPath, s.branch, p.base, p.wip);
      else {
        note = `Pausing was interrupted and the folder changed meanwhile: the work in progress is committed on ${s.branch} (${p.wip.slice(0, 10)}), and the folder shows what differs from it.`;
        this.d.log.warn('sessions', `${s.name}: ${note}`);
      }
    }
    if (!note) {
      await dropPauseRecord(this.git, wt, p.ref);
      await this.d.aside.drop(s.id); // the placed files are still in the folder
    }
    await this.d.registry.commit(s, {
      paused: null,
      status: s.status === 'paused' ? 'stopped' : s.status,
      errorReason: note ?? s.errorReason,
    });
  }

  /** What the WIP commit leaves out, as the folder is now: unedited placed files, nested repositories. */
  private async leaveOut(s: Session): Promise<string[]> {
    const wt = s.worktreePath;
    const placed = await unchangedPlaced(wt, await this.d.removal.placed.get(s.id));
    const nested = parseStatusV2(await this.git.run(wt, ['status', '--porcelain=v2', '-z', '--untracked-files=all']))
      .filter((e) => e.kind === 'untracked' && e.path.endsWith('/'))
      .map((e) => e.path);
    return [...placed, ...nested];
  }

  /** Recreates the folder on the branch, gives the work back as it was and starts the program, resuming. */
  async resume(sessionId: string): Promise<Session> {
    const { registry } = this.d;
    const s = registry.get(sessionId);
    if (s.status !== 'paused' || !s.paused)
      throw new AppError('INVALID_STATE', `"${s.name}" is ${s.status}, not paused.`);
    await this.recreate(s);
    return this.d.programs.start(sessionId, { continueConversation: true });
  }

  private async recreate(s: Session): Promise<Session> {
    const { registry, removal, worktrees } = this.d;
    const p = s.paused!;
    const state = await folderState(s.worktreePath);
    if (state === 'full') {
      throw new AppError(
        'FOLDER_IN_USE',
        `${s.worktreePath} exists and is not empty, so "${s.name}" cannot be resumed there. Move that folder away and resume again; nothing was touched.`,
        { path: s.worktreePath },
      );
    }
    if (!(await branchTip(this.git, s.repoPath, s.branch))) {
      throw new AppError(
        'BRANCH_NOT_FOUND',
        `The branch ${s.branch} of "${s.name}" no longer exists, so it cannot be resumed.`,
      );
    }
    await registry.touch(s);
    const root = p.worktreeRoot;
    if (root && state === 'missing') {
      await removal.owned.claim(s.worktreePath, { sessionId: s.id, repoRoot: s.repoPath, worktreeRoot: root });
    }
    await worktrees.restoreWorktree(s.repoPath, s.worktreePath, s.branch, p.sparse);
    return this.finishResume(s.id);
  }

  /** After the checkout: the work-in-progress state back, the record cleared. */
  private async finishResume(sessionId: string): Promise<Session> {
    const s = this.d.registry.get(sessionId);
    const p = s.paused!;
    // First: a failure here leaves the checkout as it was, and the next start finishes it again.
    await this.d.aside.giveBack(s.id, s.worktreePath);
    const restored = await restoreWork(this.git, s.worktreePath, p);
    // A converted file's exact bytes go back where the checkout holds the version pause committed
    // (never over a newer one someone committed while it was paused).
    const wip = p.wip ?? p.base;
    const blob = (rev: string, path: string) =>
      this.git
        .exec(s.worktreePath, ['rev-parse', '--verify', '--quiet', `${rev}:${path}`])
        .then((r) => r.stdout.trim());
    const left = await this.d.aside.giveBack(
      s.id,
      s.worktreePath,
      async (path) => restored || (await blob('HEAD', path)) === (await blob(wip, path)),
    );
    const keptNote =
      left.length === 0
        ? ''
        : ` The exact bytes ${left.join(', ')} had before the pause are kept in ${await this.d.aside.setAside(s.id, left)} (the branch has a newer version).`;
    const note = restored ? keptNote.trim() || null : `${await this.movedNote(s)}${keptNote}`;
    // Recorded before the record and the kept files go: a crash in between leaves only leftovers,
    // never a second finish that would take the restored HEAD for a moved branch.
    const done = await this.d.registry.commit(s, {
      status: 'stopped',
      paused: null,
      worktreeMissing: null,
      errorReason: note,
    });
    await dropPauseRecord(this.git, s.worktreePath, p.ref);
    await this.d.aside.drop(s.id);
    // Said as a notification too: starting the program clears the session's errorReason.
    if (note) this.d.registry.notify('info', s.id, `"${s.name}" resumed at a moved branch`, note);
    return done;
  }

  /** The branch moved while paused: where the WIP commit is now (kept under a ref when the new tip lacks it). */
  private async movedNote(s: Session): Promise<string> {
    const p = s.paused!;
    const head = `The branch ${s.branch} moved while "${s.name}" was paused; it was resumed at its new tip`;
    if (!p.wip) return `${head}.`;
    const inHistory = await this.git.exec(s.worktreePath, ['merge-base', '--is-ancestor', p.wip, 'HEAD']);
    if (inHistory.exitCode === 0)
      return `${head} (the work-in-progress commit ${p.wip.slice(0, 10)} is in its history).`;
    const keep = wipRefOf(s.id);
    await this.git.run(s.repoPath, ['update-ref', '-m', 'multisession: resume kept', keep, p.wip]);
    return `${head}, which does not hold the work-in-progress commit ${p.wip.slice(0, 10)}: it is kept as ${keep} (\`git branch <name> ${keep}\` makes it a branch).`;
  }

  /**
   * On start: a pause or resume the host stopped in the middle of. A pause whose folder still
   * exists is undone (branch back, nothing lost); one whose folder is gone is finished once its WIP
   * commit is on the branch (`finishPause`). A resume
   * whose folder exists again is finished (without starting the program).
   */
  async reconcile(): Promise<void> {
    for (const s of this.d.registry.all().filter((x) => x.paused && x.status !== 'terminated')) {
      const folder = await folderState(s.worktreePath);
      try {
        if (s.status !== 'paused') {
          if (folder !== 'full') await this.finishPause(s);
          else await this.undo(s.id);
        } else if (folder === 'full' && (await this.isRegistered(s))) {
          await this.finishResume(s.id);
        }
      } catch (e) {
        this.d.log.warn('sessions', `could not settle the interrupted pause/resume of ${s.name}: ${String(e)}`);
      }
    }
  }

  /**
   * A pause whose folder is gone: finished only once its WIP commit is on the branch (a crash
   * before the branch moved is completed here). A branch that is at neither commit (moved or
   * deleted meanwhile) keeps the WIP commit under `refs/multisession/wip/<id>` and says so.
   */
  private async finishPause(s: Session): Promise<void> {
    const p = s.paused!;
    let note: string | null = null;
    if (p.wip) {
      const tip = await branchTip(this.git, s.repoPath, s.branch);
      const onBranch =
        tip === p.wip || (tip === p.base && (await moveBranch(this.git, s.repoPath, s.branch, p.wip, p.base)));
      if (!onBranch) {
        const keep = wipRefOf(s.id);
        await this.git.run(s.repoPath, ['update-ref', '-m', 'multisession: pause kept', keep, p.wip]);
        note = `Pausing was interrupted and the branch ${s.branch} ${tip ? 'moved' : 'was deleted'} meanwhile: the work in progress is kept as commit ${p.wip.slice(0, 10)} (ref ${keep}; \`git branch <name> ${keep}\` makes it a branch).`;
        this.d.log.warn('sessions', `${s.name}: ${note}`);
      }
    }
    await this.d.registry.commit(s, {
      status: 'paused',
      pid: null,
      paused: { ...p, folderFreed: true },
      errorReason: note ?? s.errorReason,
    });
  }

  private async isRegistered(s: Session): Promise<boolean> {
    const entries = await listWorktreeEntries(this.git, s.repoPath).catch(() => []);
    return entries.some((e) => e.path === s.worktreePath && e.branch === s.branch);
  }

  /** What pausing would lose (the verdict a refusal lists), for the UI before it asks. */
  async check(sessionId: string) {
    const s = this.d.registry.get(sessionId);
    return listed(await this.d.removal.check(removalSubject(s), false, 'pause'));
  }
}
