import { Toolbar } from '../toolbar/Toolbar';
import { Sidebar } from '../sidebar/Sidebar';
import { StatusBar } from './StatusBar';
import { MainArea } from './MainArea';
import { DropOverlay } from './DropOverlay';
import { useShortcuts } from './use-shortcuts';
import { useSessionExists } from '../../lib/queries';
import { setUi, useUi } from '../../lib/ui-store';
import { WizardDialog } from '../wizard/WizardDialog';
import { BatchGridDialog } from '../batch/BatchGridDialog';
import { BatchCommandDialog } from '../batch/BatchCommandDialog';
import { CleanupDialog } from '../cleanup/CleanupDialog';
import { HelpOverlay } from '../help/HelpOverlay';
import { BroadcastDialog } from '../broadcast/BroadcastDialog';
import { NotificationsHost } from '../notifications/NotificationsHost';
import { SessionEditDialog } from '../session-actions/SessionEditDialog';
import { TerminateDialogHost } from '../session-actions/TerminateDialogHost';
import { ConfirmDialog } from './ConfirmDialog';
import { ReviewHost } from '../review/ReviewHost';
import { ConnectionBanner } from './ConnectionBanner';
import { OlderHostBanner } from '../older-host/OlderHostBanner';
import { paneLayout, SIDEBAR_MAX, SIDEBAR_MIN } from './pane-layout';
import { PaneResizer } from './PaneResizer';
import { SidebarRail } from './Rails';
import { useWindowWidth } from './use-window-width';

const closeDialog = () => setUi({ dialog: null, confirm: null, dialogSessionId: null, dialogFocus: null });

/** The window: toolbar on top, sessions on the left, the current view, status bar, and dialogs. */
export function AppShell() {
  useShortcuts();
  const dialog = useUi((s) => s.dialog);
  const wizardOpen = useUi((s) => s.wizard.open);
  const view = useUi((s) => s.view);
  const sidebarWidth = useUi((s) => s.sidebarWidth);
  const sidebarCollapsed = useUi((s) => s.sidebarCollapsed);
  const detailWidth = useUi((s) => s.detailWidth);
  const detailOpen = useUi((s) => s.detailOpen);
  // A boolean, so a new selection does not re-render the whole shell (only the panes that show it).
  const hasSelection = useSessionExists(useUi((s) => s.selectedId));
  const windowWidth = useWindowWidth();
  const layout = paneLayout({
    windowWidth,
    sidebarWidth,
    sidebarCollapsed,
    detailWidth,
    detailOpen,
    detailWanted: view === 'sessions' && hasSelection,
  });
  const docked = layout.sidebar.mode === 'docked';
  return (
    <div className="app-shell" data-testid="app-shell">
      <ConnectionBanner />
      <OlderHostBanner />
      <Toolbar />
      <div
        className="app-body"
        style={{ gridTemplateColumns: `${layout.sidebar.width}px ${docked ? 'auto ' : ''}minmax(0, 1fr)` }}
      >
        {docked ? <Sidebar /> : <SidebarRail />}
        {docked && (
          <PaneResizer
            label="Sidebar width"
            value={layout.sidebar.width}
            min={SIDEBAR_MIN}
            max={SIDEBAR_MAX}
            grows="right"
            onResize={(w) => setUi({ sidebarWidth: w })}
            onReset={() => setUi({ sidebarWidth: 280 })}
            testId="sidebar-resizer"
          />
        )}
        <MainArea detail={layout.detail} />
      </div>
      <StatusBar />
      {wizardOpen && <WizardDialog />}
      {dialog === 'batch' && <BatchGridDialog onClose={closeDialog} />}
      {dialog === 'batch-command' && <BatchCommandDialog onClose={closeDialog} />}
      {dialog === 'broadcast' && <BroadcastDialog onClose={closeDialog} />}
      {dialog === 'cleanup' && <CleanupDialog onClose={closeDialog} />}
      {dialog === 'help' && <HelpOverlay onClose={closeDialog} />}
      {dialog === 'confirm' && <ConfirmDialog onClose={closeDialog} />}
      {dialog === 'edit-session' && <SessionEditDialog onClose={closeDialog} />}
      {dialog === 'terminate' && <TerminateDialogHost onClose={closeDialog} />}
      <ReviewHost />
      <DropOverlay />
      <NotificationsHost />
    </div>
  );
}
