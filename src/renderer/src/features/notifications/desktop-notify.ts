import type { EventPayload } from '../../../../shared/contract';
import { getClient } from '../../lib/client';
import { openTab } from '../../lib/ui-store';

type Notice = EventPayload<'notify'>;

let enabledInSettings = true;
let started = false;

/** Tracks the `notifications` setting so OS notifications stop when the user turns them off. */
function start(): void {
  if (started) return;
  started = true;
  const client = getClient();
  void client.request('settings.get', {}).then((r) => {
    if (r.ok) enabledInSettings = r.value.notifications;
  });
  client.on('settings.changed', ({ settings }) => (enabledInSettings = settings.notifications));
  // Clicking an OS notification brings the window forward (main process) and focuses the tab.
  window.multisession?.onNotificationClick((sessionId) => {
    if (sessionId) openTab(sessionId);
  });
}

export function browserNotificationsSupported(): boolean {
  return !window.multisession && 'Notification' in window;
}

export function browserPermission(): NotificationPermission | 'unsupported' {
  return browserNotificationsSupported() ? Notification.permission : 'unsupported';
}

/** Asks the browser for permission; only ever called from a user's click. */
export async function requestBrowserPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (!browserNotificationsSupported()) return 'unsupported';
  return Notification.requestPermission();
}

/**
 * Shows an OS notification for a host notice when the window is not in front (the in-app toast
 * covers the focused case): through the preload bridge under Electron, the Notification API in a browser.
 */
export function showDesktopNotification(n: Notice): void {
  start();
  if (!enabledInSettings || document.hasFocus()) return;
  if (window.multisession) {
    window.multisession.notify(n.title, n.body, n.sessionId);
    return;
  }
  if (!browserNotificationsSupported() || Notification.permission !== 'granted') return;
  const note = new Notification(n.title, { body: n.body, tag: n.sessionId ?? undefined });
  note.onclick = () => {
    window.focus();
    if (n.sessionId) openTab(n.sessionId);
    note.close();
  };
}

/** Starts listening for settings and notification clicks (call once at mount). */
export function initDesktopNotifications(): void {
  start();
}
