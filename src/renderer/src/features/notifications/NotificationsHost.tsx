import { useEffect, useRef, useState } from 'react';
import type { EventPayload } from '../../../../shared/contract';
import { getClient } from '../../lib/client';
import { openTab } from '../../lib/ui-store';
import { onToast } from '../../lib/toasts';
import {
  browserPermission,
  initDesktopNotifications,
  requestBrowserPermission,
  showDesktopNotification,
} from './desktop-notify';
import { Toast } from './Toast';
import './notifications.css';

type Notice = EventPayload<'notify'>;
export interface ToastItem extends Notice {
  id: number;
}

const MAX_TOASTS = 5;

/** Turns host `notify` events into toasts (always) and OS notifications (when allowed). Mount once. */
export function NotificationsHost() {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const [permission, setPermission] = useState(browserPermission);
  const nextId = useRef(1);

  useEffect(() => {
    initDesktopNotifications();
    const push = (n: Notice) => {
      const item = { ...n, id: nextId.current++ };
      setToasts((list) => [...list, item].slice(-MAX_TOASTS));
    };
    const offHost = getClient().on('notify', (n) => {
      push(n);
      showDesktopNotification(n);
    });
    // The renderer's own notices (copied, refused, a drop without a path) share the stack.
    const offLocal = onToast(push);
    return () => {
      offHost();
      offLocal();
    };
  }, []);

  const dismiss = (id: number) => setToasts((list) => list.filter((t) => t.id !== id));

  return (
    <div className="toast-stack" aria-live="polite" data-testid="toast-stack">
      {toasts.length > 0 && permission === 'default' && (
        <button
          type="button"
          className="toast-enable"
          onClick={() => void requestBrowserPermission().then(setPermission)}
        >
          Enable desktop notifications
        </button>
      )}
      {toasts.map((t) => (
        <Toast
          key={t.id}
          toast={t}
          onDismiss={() => dismiss(t.id)}
          onOpen={() => {
            if (t.sessionId) openTab(t.sessionId);
            dismiss(t.id);
          }}
        />
      ))}
    </div>
  );
}
