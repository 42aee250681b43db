import { Toolbar } from '../toolbar/Toolbar';
import { Sidebar } from '../sidebar/Sidebar';
import { StatusBar } from './StatusBar';
import { MainArea } from './MainArea';
import { DropOverlay } from './DropOverlay';
import { useShortcuts } from './use-shortcuts';
import { useUi, setUi } from '../../lib/ui-store';
import { WizardDialog } from '../wizard/WizardDialog';
import { BatchGridDialog } from '../batch/BatchGridDialog';
import { BatchCommandDialog } from '../batch/BatchCommandDialog';
import { CleanupDialog } from '../cleanup/CleanupDialog';
import { HelpOverlay } from '../help/HelpOverlay';
import { BroadcastDialog } from '../broadcast/BroadcastDialog';
import { NotificationsHost } from '../notifications/NotificationsHost';

const closeDialog = () => setUi({ dialog: null });

/** The window: toolbar on top, sessions on the left, the current view, status bar, and dialogs. */
export function AppShell() {
  useShortcuts();
  const dialog = useUi((s) => s.dialog);
  const wizardOpen = useUi((s) => s.wizard.open);
  return (
    <div className="app-shell" data-testid="app-shell">
      <Toolbar />
      <div className="app-body">
        <Sidebar />
        <MainArea />
      </div>
      <StatusBar />
      {wizardOpen && <WizardDialog />}
      {dialog === 'batch' && <BatchGridDialog onClose={closeDialog} />}
      {dialog === 'batch-command' && <BatchCommandDialog onClose={closeDialog} />}
      {dialog === 'broadcast' && <BroadcastDialog onClose={closeDialog} />}
      {dialog === 'cleanup' && <CleanupDialog onClose={closeDialog} />}
      {dialog === 'help' && <HelpOverlay onClose={closeDialog} />}
      <DropOverlay />
      <NotificationsHost />
    </div>
  );
}
