import type { EventPayload } from '../../../shared/contract';

export type ToastNotice = Omit<EventPayload<'notify'>, 'at'>;

const listeners = new Set<(n: EventPayload<'notify'>) => void>();

/**
 * Shows a toast from the renderer itself (a copied path, a refused action, a drop that carried no
 * folder) in the same stack as the host's notifications. Never an OS notification.
 */
export function showToast(notice: ToastNotice): void {
  const n = { ...notice, at: Date.now() };
  for (const l of listeners) l(n);
}

export function onToast(listener: (n: EventPayload<'notify'>) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
