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
