/** Messages on the Node IPC channel between the benchmark and its host / raw-baseline children. */

export interface ChildRequest {
  id: number;
  cmd: string;
  args?: Record<string, unknown>;
}

export type ChildReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface ChildReady {
  type: 'ready';
  url: string;
  pid: number;
}

/** Event-loop delay beyond the probe timer's own period, in ms. */
export interface LagStats {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}
