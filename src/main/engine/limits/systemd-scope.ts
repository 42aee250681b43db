import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { cpuWeightV2, DEFAULT_PIDS_MAX, type KernelLimits } from './session-cgroups';

/**
 * cgroup v2 through the user's systemd: where no delegated subtree is writable (a login session's
 * scope is root's), `systemd-run --user --scope` asks the user manager to put the child in a new
 * scope under `user@UID.service` — a subtree delegated to the user — with its limits as unit
 * properties. systemd-run registers its own pid and then execs the program, so the pid the engine
 * sees is the program's. Each child gets its own scope inside one slice per session; the slice's
 * folder is where the engine reads, changes and kills the session as a whole.
 */
export interface SystemdNames {
  /** `multisession_<hash>.slice`: the data dir's group (a dash would nest slices). */
  groupSlice: string;
  /** `multisession_<hash>-<session>.slice`: one session's children, nested in the group slice. */
  sessionSlice(sessionId: string): string;
}

export function systemdNames(hash: string): SystemdNames {
  const stem = `multisession_${hash}`;
  return { groupSlice: `${stem}.slice`, sessionSlice: (id) => `${stem}-${id}.slice` };
}

/** Where the user manager's delegated subtree is on the unified hierarchy. */
export const userServiceDir = (cgroup2Mount: string, uid: number): string =>
  join(cgroup2Mount, 'user.slice', `user-${uid}.slice`, `user@${uid}.service`);

/** The folder of a session's slice: systemd nests `a-b.slice` inside `a.slice`. */
export const sessionSliceDir = (userService: string, names: SystemdNames, sessionId: string): string =>
  join(userService, names.groupSlice, names.sessionSlice(sessionId));

/** The argv to put in front of a program so it runs in its own scope of the session's slice. */
export function scopeArgv(names: SystemdNames, sessionId: string, limits: KernelLimits): string[] {
  const props = [
    `MemoryMax=${limits.memoryMb === null ? 'infinity' : Math.round(limits.memoryMb * 1024 * 1024)}`,
    // Swapping would let a hog run far past its limit, slowly (as on the delegated path).
    ...(limits.memoryMb === null ? [] : ['MemorySwapMax=0']),
    `TasksMax=${limits.pidsMax ?? DEFAULT_PIDS_MAX}`,
    `CPUWeight=${cpuWeightV2(limits.niceness)}`,
  ];
  return [
    'systemd-run',
    '--user',
    '--scope',
    '--quiet',
    '--collect',
    `--slice=${names.sessionSlice(sessionId)}`,
    `--unit=multisession_${sessionId}_${randomBytes(4).toString('hex')}.scope`,
    ...props.flatMap((p) => ['-p', p]),
    '--',
  ];
}

/** Runs a command and reports how it ended (injected in tests). */
export type RunSync = (file: string, args: string[]) => { status: number | null; stderr: string };

const runSync: RunSync = (file, args) => {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'ignore', 'pipe'] });
  return { status: r.error ? null : r.status, stderr: r.error ? r.error.message : (r.stderr ?? '') };
};

/**
 * Whether the user manager takes transient scopes with limits from us: one real, tiny one is
 * started (`true` in a scope with a TasksMax). Null when it works, else why not (shown in `status`).
 */
export function systemdScopeProblem(run: RunSync = runSync): string | null {
  const r = run('systemd-run', ['--user', '--scope', '--quiet', '--collect', '-p', 'TasksMax=16', '--', 'true']);
  if (r.status === 0) return null;
  const why = r.stderr.trim().split('\n')[0] || `exit ${r.status ?? 'on a signal or timeout'}`;
  return `systemd-run --user --scope refused: ${why.slice(0, 200)}`;
}

/** `file args` behind a placement's systemd-run prefix (unchanged without one). */
export function behindScope(
  scope: readonly string[],
  file: string,
  args: readonly string[],
): { file: string; args: string[] } {
  return scope.length === 0 ? { file, args: [...args] } : { file: scope[0], args: [...scope.slice(1), file, ...args] };
}
