import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeCgroupsAt, type ProbeSystem } from '../../src/main/engine/limits/cgroup-probe';
import { SessionCgroups } from '../../src/main/engine/limits/session-cgroups';
import {
  behindScope,
  scopeArgv,
  sessionSliceDir,
  systemdNames,
  systemdScopeProblem,
  userServiceDir,
} from '../../src/main/engine/limits/systemd-scope';

// The decision of where session cgroups go, on fixture trees of /proc and /sys/fs/cgroup: this
// machine mounts cgroup v1 only, so the v2 paths (delegated subtree, systemd user scope) are
// decided here on files shaped like a real system's; they are not run against a real kernel here.
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

const UID = 1000;
const USER_SERVICE = `/sys/fs/cgroup/user.slice/user-${UID}.slice/user@${UID}.service`;
const LOGIN_SCOPE = `/user.slice/user-${UID}.slice/session-3.scope`;

function tree(files: Record<string, string>, dirs: string[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'ms-cgfix-'));
  roots.push(root);
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

const v2Mount =
  '35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate\n';
const v1Mounts = [
  '30 25 0:26 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory',
  '31 25 0:27 / /sys/fs/cgroup/pids rw,nosuid - cgroup cgroup rw,pids',
  '32 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct',
  '33 25 0:29 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw',
  '',
].join('\n');

function system(root: string, systemd: string | null = null): ProbeSystem & { asked: number } {
  const sys = {
    root,
    uid: UID,
    asked: 0,
    systemdScope: () => {
      sys.asked++;
      return systemd;
    },
  };
  return sys;
}

describe('where session cgroups go', () => {
  it('v2 with a delegated, process-free cgroup: sessions go under it directly (systemd not asked)', () => {
    const own = '/user.slice/user-1000.slice/user@1000.service/app.slice/multisession.scope/engine';
    const root = tree({
      'proc/self/mountinfo': v2Mount,
      'proc/self/cgroup': `0::${own}\n`,
      [`sys/fs/cgroup${own}/cgroup.controllers`]: 'cpuset cpu io memory pids\n',
      [`sys/fs/cgroup${own}/cgroup.subtree_control`]: 'cpu memory pids\n',
    });
    const sys = system(root);
    const p = probeCgroupsAt(sys);
    expect(p.reason).toBeNull();
    expect(p.layout).toEqual({
      mechanism: 'cgroup-v2',
      via: 'direct',
      parents: { unified: join(root, 'sys/fs/cgroup', own) },
      controllers: ['memory', 'pids', 'cpu'],
    });
    expect(sys.asked).toBe(0);
  });

  it('v2 from a login session scope (not delegated): through a systemd user scope when the user manager takes one', () => {
    const root = tree({
      'proc/self/mountinfo': v2Mount,
      'proc/self/cgroup': `0::${LOGIN_SCOPE}\n`,
      [`sys/fs/cgroup${LOGIN_SCOPE}/cgroup.controllers`]: 'cpu memory pids\n',
      // Processes live in the session scope: the kernel refuses to hand controllers down.
      [`sys/fs/cgroup${LOGIN_SCOPE}/cgroup.subtree_control`]: '',
      [`${USER_SERVICE.slice(1)}/cgroup.subtree_control`]: 'cpu memory pids\n',
    });
    const sys = system(root, null);
    const p = probeCgroupsAt(sys);
    expect(sys.asked).toBe(1);
    expect(p.layout).toEqual({
      mechanism: 'cgroup-v2',
      via: 'systemd-scope',
      parents: { unified: join(root, USER_SERVICE) },
      controllers: ['memory', 'pids', 'cpu'],
    });
  });

  it('v2 where systemd-run refuses (no user bus): sampling, with both reasons', () => {
    const root = tree({
      'proc/self/mountinfo': v2Mount,
      'proc/self/cgroup': `0::${LOGIN_SCOPE}\n`,
      [`sys/fs/cgroup${LOGIN_SCOPE}/cgroup.controllers`]: 'cpu memory pids\n',
      [`sys/fs/cgroup${LOGIN_SCOPE}/cgroup.subtree_control`]: '',
      [`${USER_SERVICE.slice(1)}/cgroup.subtree_control`]: 'cpu memory pids\n',
    });
    const p = probeCgroupsAt(system(root, 'systemd-run --user --scope refused: Failed to connect to bus'));
    expect(p.layout).toBeNull();
    expect(p.reason).toContain('holds processes');
    expect(p.reason).toContain('Failed to connect to bus');
  });

  it('v2 whose user manager does not delegate memory: systemd-run is not even tried', () => {
    const root = tree({
      'proc/self/mountinfo': v2Mount,
      'proc/self/cgroup': `0::${LOGIN_SCOPE}\n`,
      [`sys/fs/cgroup${LOGIN_SCOPE}/cgroup.controllers`]: 'cpu pids\n',
      [`${USER_SERVICE.slice(1)}/cgroup.subtree_control`]: 'cpu pids\n',
    });
    const sys = system(root, null);
    const p = probeCgroupsAt(sys);
    expect(p.layout).toBeNull();
    expect(p.reason).toContain('does not delegate memory and pids (it has: cpu pids)');
    expect(sys.asked).toBe(0);
  });

  it('v2 with no user manager at all (a container): named as such', () => {
    const root = tree({
      'proc/self/mountinfo': v2Mount,
      'proc/self/cgroup': '0::/docker/abc\n',
      'sys/fs/cgroup/docker/abc/cgroup.controllers': 'memory pids\n',
    });
    const p = probeCgroupsAt(system(root, null));
    expect(p.layout).toBeNull();
    expect(p.reason).toContain(`no systemd user manager (user@${UID}.service)`);
  });

  it('hybrid (v1 controllers, an empty v2 beside them): v1', () => {
    const root = tree(
      {
        'proc/self/mountinfo': v1Mounts,
        'proc/self/cgroup': '12:memory:/user.slice\n11:pids:/user.slice\n10:cpu,cpuacct:/user.slice\n0::/user.slice\n',
        'sys/fs/cgroup/unified/user.slice/cgroup.controllers': '',
      },
      ['sys/fs/cgroup/memory/user.slice', 'sys/fs/cgroup/pids/user.slice', 'sys/fs/cgroup/cpu,cpuacct/user.slice'],
    );
    const p = probeCgroupsAt(system(root, null));
    expect(p.layout?.mechanism).toBe('cgroup-v1');
    expect(p.layout?.via).toBe('direct');
    expect(p.layout?.controllers).toEqual(['memory', 'pids', 'cpu']);
  });

  it('nothing mounted: sampling, saying so', () => {
    const root = tree({ 'proc/self/mountinfo': '', 'proc/self/cgroup': '' });
    expect(probeCgroupsAt(system(root)).reason).toContain('no cgroup hierarchy is mounted');
  });
});

describe('systemd user scopes', () => {
  const names = systemdNames('0123456789ab');

  it('the argv puts the program in its own scope of the session slice, with the session limits', () => {
    const argv = scopeArgv(names, 's1', { memoryMb: 64, niceness: 0 });
    expect(argv.slice(0, 5)).toEqual(['systemd-run', '--user', '--scope', '--quiet', '--collect']);
    expect(argv).toContain('--slice=multisession_0123456789ab-s1.slice');
    expect(argv.find((a) => a.startsWith('--unit='))).toMatch(/^--unit=multisession_s1_[0-9a-f]{8}\.scope$/);
    expect(argv).toEqual(
      expect.arrayContaining(['MemoryMax=67108864', 'MemorySwapMax=0', 'TasksMax=4096', 'CPUWeight=100']),
    );
    expect(argv.at(-1)).toBe('--');
    const low = scopeArgv(names, 's1', { memoryMb: null, niceness: 19 });
    expect(low).toContain('MemoryMax=infinity');
    expect(low).not.toContain('MemorySwapMax=0');
    expect(low.find((a) => a.startsWith('CPUWeight='))).toBe('CPUWeight=1');
    // Two children of one session get two scopes (a scope name can be used once).
    expect(scopeArgv(names, 's1', { memoryMb: null, niceness: 0 }).find((a) => a.startsWith('--unit='))).not.toBe(
      low.find((a) => a.startsWith('--unit=')),
    );
    expect(behindScope(argv, 'claude', ['--x'])).toEqual({
      file: 'systemd-run',
      args: [...argv.slice(1), 'claude', '--x'],
    });
    expect(behindScope([], 'claude', ['--x'])).toEqual({ file: 'claude', args: ['--x'] });
  });

  it('the probe starts one real tiny scope and reports why when it fails', () => {
    const calls: string[][] = [];
    expect(
      systemdScopeProblem((file, args) => {
        calls.push([file, ...args]);
        return { status: 0, stderr: '' };
      }),
    ).toBeNull();
    expect(calls[0].slice(0, 4)).toEqual(['systemd-run', '--user', '--scope', '--quiet']);
    expect(systemdScopeProblem(() => ({ status: 1, stderr: 'Failed to connect to bus: No medium found\n' }))).toBe(
      'systemd-run --user --scope refused: Failed to connect to bus: No medium found',
    );
    expect(systemdScopeProblem(() => ({ status: null, stderr: 'spawnSync systemd-run ENOENT' }))).toContain('ENOENT');
  });

  it('the session slice is read, changed and listed like a cgroup of our own, but made and stopped by systemd', () => {
    const root = tree({});
    const service = userServiceDir(join(root, 'sys/fs/cgroup'), UID);
    const slice = sessionSliceDir(service, names, 'sess1');
    const prefix = names.sessionSlice('').slice(0, -'.slice'.length);
    const cg = new SessionCgroups(
      {
        mechanism: 'cgroup-v2',
        via: 'systemd-scope',
        parents: { unified: service },
        controllers: ['memory', 'pids', 'cpu'],
      },
      names.groupSlice,
      {
        folder: (id) => names.sessionSlice(id),
        idOf: (f) => (f.startsWith(prefix) && f.endsWith('.slice') ? f.slice(prefix.length, -'.slice'.length) : null),
      },
    );
    // Before the first child: nothing is created by us (systemd-run makes the slice).
    expect(cg.prepare('sess1', { memoryMb: 64, niceness: 0 })).toEqual([]);
    expect(existsSync(slice)).toBe(false);
    // As systemd leaves it: the slice with one scope per child, processes in the scopes.
    mkdirSync(join(slice, 'multisession_sess1_aaaa.scope'), { recursive: true });
    mkdirSync(join(slice, 'multisession_sess1_bbbb.scope'), { recursive: true });
    writeFileSync(join(slice, 'cgroup.procs'), '');
    writeFileSync(join(slice, 'multisession_sess1_aaaa.scope', 'cgroup.procs'), '101\n102\n');
    writeFileSync(join(slice, 'multisession_sess1_bbbb.scope', 'cgroup.procs'), '203\n');
    writeFileSync(join(slice, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
    mkdirSync(join(service, names.groupSlice, 'unrelated.slice'));
    expect(cg.pids('sess1').sort()).toEqual([101, 102, 203]);
    expect(cg.oomKills('sess1')).toBe(1);
    expect(cg.sessionIds()).toEqual(['sess1']);
    // A changed limit goes to the whole session at once (its slice).
    cg.apply('sess1', { memoryMb: 128, niceness: 0 });
    expect(readFileSync(join(slice, 'memory.max'), 'utf8')).toBe(String(128 * 1024 * 1024));
    // A slice with processes in it is not stopped.
    expect(cg.release('sess1')).toBe(false);
  });
});
