import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { RequestParsedInput } from '../../../shared/contract';
import type { Session } from '../../../shared/domain';
import type { Logger } from '../core/logger';
import type { WorktreeService } from '../git/worktree-service';
import { snapshotPlaced } from '../safety/placed-files';
import type { RemovalService } from '../safety/removal-service';
import type { ProcessLedger } from '../process/process-ledger';
import type { EventHub } from '../rpc/event-hub';
import type { AgentService } from '../agents/agent-service';
import type { PortAllocator } from '../ports/port-allocator';
import type { SettingsService } from '../settings/settings-service';
import type { SessionPlan } from '../../../shared/session-plan';
import { isLiveStatus } from '../../../shared/session-state';
import { planSessions, type PlannedSession } from './session-planner';
import type { RememberedView } from '../terminals/viewer-memory';
import { previewSessions } from './session-preview';
import type { ScriptTrust } from '../trust/script-trust';
import type { SessionRegistry } from './session-registry';

/** How many recently used repositories Settings remembers for the wizard. */
const RECENT_REPOS_KEPT = 10;

export const newSessionId = (): string => randomBytes(6).toString('hex');

type CreateInput = RequestParsedInput<'sessions.create'>;

/**
 * `sessions.create`: plans every copy (all validation that needs no disk work), then creates each
 * copy's record, worktree and branch in parallel, reporting progress; a failed copy leaves nothing.
 */
export class SessionCreation {
  constructor(
    private readonly d: {
      registry: SessionRegistry;
      settings: SettingsService;
      worktrees: WorktreeService;
      removal: RemovalService;
      ledger?: ProcessLedger;
      hub: EventHub;
      log: Logger;
      agents: AgentService;
      ports: PortAllocator;
      /** Which repository-provided scripts the user trusted (by exact content). */
      trust: ScriptTrust;
      /** Starts queued sessions under the running cap. */
      pump: () => Promise<void>;
      /** The size a viewer last asked for: a create that names no size (the CLI's) starts there. */
      view?: RememberedView;
    },
  ) {}

  async create(input: CreateInput): Promise<Session[]> {
    const settings = await this.d.settings.get();
    const repo = await this.d.worktrees.inspect(input.repoPath, { changes: false });
    const typeChoice = await this.d.agents.typeAgent(input.type);
    // Read once: this exact content is what was checked for trust and what the worktree gets.
    const repoFiles = input.skipRepoScripts ? [] : await this.d.trust.scripts(repo.root);
    const sized = input.cols === undefined && input.rows === undefined ? { ...input, ...this.d.view?.size() } : input;
    const plans = planSessions(sized, repo, settings, { detector: this.d.agents.detector, typeChoice }, repoFiles);
    // Before any record or worktree exists: an untrusted script refuses the whole create.
    for (const p of plans) this.d.trust.assertTrusted(repo.root, p.repoScripts);
    // An unsafe worktree folder setting refuses here, before any record or folder exists.
    const root = await this.d.settings.ensureWorktreeRoot();
    const opId = input.operationId ?? newSessionId();
    const sparse = settings.repoSettings[repo.root]?.sparse;
    const created = await Promise.all(
      plans.map((p, i) => this.createOne(p, input, { branchTemplate: settings.branchTemplate, root, sparse }, opId, i)),
    );
    const failures = created.filter((c): c is { error: unknown } => 'error' in c);
    if (failures.length > 0 && failures.length === created.length) throw failures[0].error;
    await this.rememberRepo(repo.root);
    const ok = created.filter((c): c is Session => !('error' in c));
    if (failures.length > 0) {
      const e = failures[0].error;
      const msg = e instanceof Error ? e.message : String(e);
      this.d.log.warn('sessions', `${failures.length} of ${created.length} copies failed: ${msg}`);
    }
    return ok;
  }

  /** `sessions.plan`: what `create` would make of this input, creating nothing. */
  async plan(input: CreateInput): Promise<SessionPlan[]> {
    const settings = await this.d.settings.get();
    const repo = await this.d.worktrees.inspect(input.repoPath, { changes: false });
    const busySlots = this.d.registry.list().filter((s) => isLiveStatus(s.status)).length;
    const typeChoice = await this.d.agents.typeAgent(input.type);
    const repoFiles = input.skipRepoScripts ? [] : await this.d.trust.scripts(repo.root);
    return previewSessions(input, {
      repoFiles,
      repo,
      settings,
      worktreeRoot: this.d.settings.worktreeRoot(),
      busySlots,
      agents: { detector: this.d.agents.detector, typeChoice },
    });
  }

  private async createOne(
    plan: PlannedSession,
    input: CreateInput,
    where: { branchTemplate: string; root: string; sparse: string[] | undefined },
    opId: string,
    index: number,
  ): Promise<Session | { error: unknown }> {
    const { registry } = this.d;
    const now = Date.now();
    const id = newSessionId();
    const progress = (step: string, message: string, done = false, error: string | null = null) =>
      this.d.hub.emit('progress', {
        operationId: opId,
        sessionId: id,
        step,
        message: `${plan.session.name}: ${message}`,
        fraction: null,
        done,
        error,
      });
    await registry.add({ ...plan.session, id, status: 'initializing', createdAt: now, updatedAt: now });
    progress('worktree', `creating worktree (copy ${index + 1})`);
    try {
      const ports = await this.d.ports.allocate(id);
      await this.d.worktrees.create({
        repoPath: plan.session.repoPath,
        sessionId: id,
        sessionName: plan.session.name,
        sessionType: plan.session.type,
        // The planner already read the current branch: naming it spares createWorktree asking git again.
        baseBranch: input.baseBranch ?? (plan.session.baseBranch || undefined),
        existingBranch: input.existingBranch,
        branchName: plan.branchName,
        branchTemplate: where.branchTemplate,
        copyInPatterns: plan.copyInPatterns,
        setupScript: plan.setupScript,
        worktreeInclude: plan.worktreeInclude,
        sparse: where.sparse,
        onProgress: (step, message) => progress(step, message),
        worktreeRoot: where.root,
        onSetupSpawn: this.d.ledger
          ? (pid) => this.d.ledger!.record({ kind: 'setup', pid, sessionId: id, label: 'setup script' })
          : undefined,
        ownership: {
          claim: (path) =>
            this.d.removal.owned.claim(path, {
              sessionId: id,
              repoRoot: plan.session.repoPath,
              worktreeRoot: where.root,
            }),
          release: (path) => this.d.removal.owned.release(path),
        },
        // Inside the rollback: a failed write (full disk) removes the worktree, leaving nothing.
        onPopulated: async (wt) => {
          // What the app put there (copy-in, setup output) is not the user's work unless edited later.
          // A pristine worktree holds only the commit's files: nothing to record, and no need to
          // stat every file of a large repository (the warm pool's claim would pay it on each create).
          if (!wt.pristine) {
            await this.d.removal.placed.save(id, await snapshotPlaced(this.d.worktrees.git, wt.worktreePath));
          }
          await registry.commit(registry.get(id), {
            repoPath: wt.repoRoot,
            worktreePath: wt.worktreePath,
            branch: wt.branch,
            baseBranch: wt.baseBranch,
            existingBranch: wt.existingBranch,
            ports,
            status: input.autoStart ? 'queued' : 'stopped',
          });
        },
      });
      progress('ready', input.autoStart ? 'worktree ready, starting program' : 'worktree ready', true);
      if (input.autoStart) await this.d.pump();
      return registry.get(id);
    } catch (error) {
      // Nothing half-created: the worktree service rolled back its part; drop the record.
      await this.d.removal.placed.delete(id).catch(() => undefined);
      await registry.remove(id).catch(() => undefined);
      await this.d.ports.release(id).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      progress('failed', message, true, message);
      return { error };
    }
  }

  private async rememberRepo(root: string): Promise<void> {
    const s = await this.d.settings.get();
    const recentRepos = [root, ...s.recentRepos.filter((r) => r !== root)].slice(0, RECENT_REPOS_KEPT);
    if (recentRepos.join('\n') !== s.recentRepos.join('\n')) await this.d.settings.update({ recentRepos });
  }

  /** An interrupted creation saved no path yet; the folder it claimed (before git made it) is the one. */
  async findClaimedFolder(r: Session): Promise<Session> {
    if (r.status !== 'initializing' || r.worktreePath) return r;
    const [claimed] = await this.d.removal.owned.forSession(r.id);
    if (!claimed || !existsSync(claimed.path)) return r;
    const branch = await this.d.worktrees.git
      .exec(claimed.path, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
      .then((x) => (x.exitCode === 0 ? x.stdout.trim() : ''))
      .catch(() => '');
    return { ...r, worktreePath: claimed.path, branch: r.branch || branch };
  }

  /**
   * Keeps the worktree of a creation the host was stopped in the middle of: files the checkout
   * had not written yet are written (nothing existing is overwritten), what is there now counts
   * as placed by the app, and the session becomes a normal stopped one (the caller serialises it).
   */
  async keepInterrupted(sessionId: string): Promise<Session> {
    const s = this.d.registry.get(sessionId);
    if (s.recovery !== 'interrupted-create' || !s.worktreePath || !existsSync(s.worktreePath)) {
      throw new AppError('INVALID_STATE', `"${s.name}" has no interrupted creation with a worktree to keep.`);
    }
    const git = this.d.worktrees.git;
    const indexed = await git.run(s.worktreePath, ['ls-files', '-z']);
    if (!indexed) {
      await git.run(s.worktreePath, ['read-tree', 'HEAD']);
      await git.exec(s.worktreePath, ['checkout-index', '--all']);
    }
    await this.d.removal.placed.save(s.id, await snapshotPlaced(git, s.worktreePath));
    return this.d.registry.commit(s, { status: 'stopped', recovery: null, errorReason: null, worktreeMissing: null });
  }
}
