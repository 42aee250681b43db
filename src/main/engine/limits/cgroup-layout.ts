// The shapes the probe decides and the session cgroups follow (a file of its own so neither imports the other).

/** Which kernel mechanism caps a session's processes here. */
export type LimitMechanism = 'cgroup-v2' | 'cgroup-v1' | 'sampling';

export interface CgroupLayout {
  mechanism: 'cgroup-v2' | 'cgroup-v1';
  /** Per controller (v1: memory, pids, cpu, freezer; v2: one entry 'unified'), the folder our session cgroups go under. */
  parents: Record<string, string>;
  /** Controllers whose limits are enforced (memory, pids, cpu). */
  controllers: string[];
  /** direct: we create the session folders; systemd-scope: `systemd-run --user --scope` puts each child in one. */
  via: 'direct' | 'systemd-scope';
}
