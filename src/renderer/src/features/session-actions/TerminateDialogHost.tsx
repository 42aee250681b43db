import { useSession } from '../../lib/queries';
import { useUi } from '../../lib/ui-store';
import { TerminateDialog } from '../session-detail/TerminateDialog';

/** The terminate dialog of the session named by ui-store (from the detail pane or a context menu). */
export function TerminateDialogHost({ onClose }: { onClose(): void }) {
  const id = useUi((s) => s.dialogSessionId);
  const session = useSession(id);
  if (!session) return null;
  return <TerminateDialog key={session.id} session={session} onClose={onClose} />;
}
