import { useUi } from '../../lib/ui-store';
import { Modal } from './Modal';

/** Asks before an action over many sessions (ui-store's askConfirm); the safe button has focus. */
export function ConfirmDialog({ onClose }: { onClose(): void }) {
  const request = useUi((s) => s.confirm);
  if (!request) return null;
  return (
    <Modal
      title={request.title}
      onClose={onClose}
      testId="confirm-dialog"
      footer={
        <>
          <span className="spacer" />
          <button type="button" className="btn" autoFocus data-testid="confirm-cancel" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={request.danger ? 'btn danger solid' : 'btn primary'}
            data-testid="confirm-ok"
            onClick={() => {
              onClose();
              request.onConfirm();
            }}
          >
            {request.confirmLabel}
          </button>
        </>
      }
    >
      <p style={{ marginTop: 0 }}>{request.body}</p>
    </Modal>
  );
}
