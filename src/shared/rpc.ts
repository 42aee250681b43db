import { z } from 'zod';
import type { AppErrorShape } from './errors';

/** Largest frame a transport accepts; bigger frames are refused with FRAME_TOO_LARGE. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Client → host. */
export const requestFrameSchema = z.object({
  t: z.literal('req'),
  id: z.number().int().nonnegative(),
  name: z.string().max(200),
  input: z.unknown().optional(),
});
export type RequestFrame = z.infer<typeof requestFrameSchema>;

/** Host → client: the answer to one request. */
export interface ResponseFrame {
  t: 'res';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: AppErrorShape;
}

/** Host → client: an event. */
export interface EventFrame {
  t: 'evt';
  name: string;
  payload: unknown;
}

export type HostFrame = ResponseFrame | EventFrame;

/**
 * Browser mode's WebSocket is authenticated by its first frame, so the token never travels in a
 * URL, a cookie or a header a browser would hand to another server: client → `{t:'auth', token}`,
 * host → `{t:'auth', ok:true}`, or a close with one of the codes below.
 */
export const authFrameSchema = z.object({ t: z.literal('auth'), token: z.string().max(1024) });
export type AuthFrame = z.infer<typeof authFrameSchema>;
export const AUTH_CLOSE = {
  /** Missing or wrong token: the page shows how to open the app with its link. */
  unauthorized: 4401,
  /** Too many wrong tokens lately: try again later. */
  tooManyGuesses: 4429,
  /** The first frame did not come in time. */
  timeout: 4408,
} as const;
