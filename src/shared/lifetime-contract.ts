import { z } from 'zod';
import { memoryPressureSettingsSchema, sessionSchema } from './domain';
import { noErrors, sessionErrors } from './errors';
import { req } from './rpc';

const id = z.string().min(1).max(64);
const empty = z.object({}).optional().default({});

/** The memory-pressure policy's view: figures now, thresholds, and what it last did. */
export const memoryPressureStatusSchema = z.object({
  settings: memoryPressureSettingsSchema,
  /** The machine's available memory (MemAvailable on Linux, os.freemem elsewhere), MB. */
  availableMb: z.number(),
  totalMb: z.number(),
  source: z.enum(['MemAvailable', 'freemem']),
  /** What the running sessions' programs use together (their process trees' RSS), MB. */
  sessionsMb: z.number(),
  /** Why memory counts as short now, or null. */
  pressure: z.string().nullable(),
  lastAction: z
    .object({
      at: z.number(),
      reason: z.string(),
      relieved: z.boolean(),
      hibernated: z.array(z.object({ sessionId: z.string(), name: z.string(), memoryMb: z.number() })),
    })
    .nullable(),
});
export type MemoryPressureStatus = z.infer<typeof memoryPressureStatusSchema>;

/** A terminal host of another protocol version (an older app's) that still runs programs of this data dir. */
export const olderHostSchema = z.object({
  protocol: z.number(),
  appVersion: z.string(),
  pid: z.number(),
  sessions: z.array(
    z.object({
      sessionId: z.string(),
      /** The session's name, or null for a program of no session this app knows. */
      name: z.string().nullable(),
      pid: z.number().nullable(),
    }),
  ),
});
export type OlderHost = z.infer<typeof olderHostSchema>;

export const restartHereResultSchema = z.object({
  /** Sessions now running in this version's terminal host (resumed where the agent can). */
  restarted: z.array(sessionSchema),
  failed: z.array(z.object({ sessionId: z.string(), message: z.string() })),
  /** Older terminal hosts that held nothing more and exited. */
  hostsExited: z.array(z.number()),
});
export type RestartHereResult = z.infer<typeof restartHereResultSchema>;

/** Requests about how sessions outlive the app: memory pressure and older terminal hosts. */
export const lifetimeRequests = {
  /** The memory-pressure policy's figures, thresholds and last action (Settings → Running, `memory`). */
  'memory.status': req(empty, memoryPressureStatusSchema, noErrors),
  /** Terminal hosts of an older (or other) protocol that still run this data dir's programs. */
  'sessions.olderHosts': req(empty, z.array(olderHostSchema), noErrors),
  /**
   * Moves sessions held by an older terminal host into this version's: each program is stopped
   * there (its screen kept above a restart separator) and started here with the agent's resume
   * command; an older host left empty exits. All of them when `sessionIds` is omitted.
   */
  'sessions.restartHere': req(
    z.object({ sessionIds: z.array(id).min(1).max(1000).optional() }),
    restartHereResultSchema,
    sessionErrors,
  ),
};
