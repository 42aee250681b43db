import type { Session } from '../../../../shared/domain';
import {
  hasWorktreeFolder,
  isLiveStatus,
  isPausableStatus,
  isRestartableStatus,
  isRunningStatus,
  isStartableStatus,
  isTerminatedStatus,
} from '../../../../shared/session-state';
import { useSession } from '../../lib/queries';
import { useHeldByOlderHost } from '../older-host/held-by-older-host';
import { closeOtherTabs, closeTab, getUi, openSessionDialog, openTab, toggleSelected } from '../../lib/ui-store';
import { Menu, type MenuEntry } from '../shell/Menu';
import { openCompare, openConflicts, openReview } from '../review/review-ui';
import {
  act,
  copyText,
  hibernateSession,
  pauseSession,
  restartSession,
  resumeSession,
  startSession,
  stopSession,
  wakeSession,
} from './session-actions';

interface Props {
  sessionId: string;
  x: number;
  y: number;
  onClose(): void;
  /** Opened on a terminal tab: offers closing tabs instead of opening one. */
  inTab?: boolean;
}

/** Everything one can do with a session, on a right-click (or Shift+F10) of its row or tab. */
export function SessionContextMenu({ sessionId, x, y, onClose, inTab }: Props) {
  const s = useSession(sessionId);
  const held = useHeldByOlderHost(sessionId);
  if (!s) return null;
  return (
    <Menu
      x={x}
      y={y}
      label={`Actions for ${s.name}`}
      items={sessionMenuItems(s, Boolean(inTab), held)}
      onClose={onClose}
      testId="session-menu"
    />
  );
}

/**
 * The menu entries for a session (also used by the detail pane's ⋯ button). `heldByOlderHost`:
 * its program still runs in an older version's terminal host (Start moves it here).
 */
export function sessionMenuItems(s: Session, inTab: boolean, heldByOlderHost = false): MenuEntry[] {
  const ended = isTerminatedStatus(s.status);
  const hasWorktree = hasWorktreeFolder(s.status) && !s.worktreeMissing;
  const selected = getUi().selected.includes(s.id);
  const open = (how: 'fileManager' | 'editor') =>
    void act('system.openPath', { path: s.worktreePath, with: how }, `Could not open ${s.worktreePath}`);
  const entries: MenuEntry[] = [];
  if (!inTab)
    entries.push({ label: 'Open terminal', hint: 'Enter', testId: 'menu-open', onSelect: () => openTab(s.id) });
  if (s.status === 'hibernated')
    entries.push({ label: 'Wake', testId: 'menu-wake', onSelect: () => void wakeSession(s) });
  else if (isStartableStatus(s.status))
    entries.push({ label: 'Start', testId: 'menu-start', onSelect: () => void startSession(s) });
  if (isLiveStatus(s.status)) entries.push({ label: 'Stop', testId: 'menu-stop', onSelect: () => void stopSession(s) });
  // Frees the program's memory; worktree, scrollback and the agent's conversation stay for Wake.
  if (isRunningStatus(s.status))
    entries.push({ label: 'Hibernate', testId: 'menu-hibernate', onSelect: () => void hibernateSession(s) });
  if (isRestartableStatus(s.status))
    entries.push({ label: 'Restart', testId: 'menu-restart', onSelect: () => void restartSession(s) });
  // Frees the folder (disk): the work goes to the branch as a commit; Resume recreates it all.
  // Not while an older terminal host still runs the program in that folder.
  if (isPausableStatus(s.status) && hasWorktree && !s.recovery && !heldByOlderHost)
    entries.push({
      label: 'Pause (commit work, free folder)',
      testId: 'menu-pause',
      onSelect: () => void pauseSession(s),
    });
  if (s.status === 'paused')
    entries.push({ label: 'Resume', testId: 'menu-resume', onSelect: () => void resumeSession(s) });
  entries.push(
    'separator',
    {
      label: 'Rename…',
      hint: 'F2',
      disabled: ended,
      testId: 'menu-rename',
      onSelect: () => openSessionDialog('edit-session', s.id, 'name'),
    },
    {
      label: 'Priority and limits…',
      disabled: ended,
      testId: 'menu-edit',
      onSelect: () => openSessionDialog('edit-session', s.id, 'priority'),
    },
    'separator',
    {
      label: 'Copy worktree path',
      disabled: !s.worktreePath,
      testId: 'menu-copy-path',
      onSelect: () => void copyText(s.worktreePath, 'the worktree path'),
    },
    {
      label: 'Copy branch name',
      disabled: !s.branch,
      testId: 'menu-copy-branch',
      onSelect: () => void copyText(s.branch, 'the branch name'),
    },
    { label: 'Open folder', disabled: !hasWorktree, onSelect: () => open('fileManager') },
    { label: 'Open in editor', disabled: !hasWorktree, onSelect: () => open('editor') },
    'separator',
    {
      label: selected ? 'Remove from selection' : 'Add to selection',
      hint: 'Ctrl+click',
      testId: 'menu-select',
      onSelect: () => toggleSelected(s.id),
    },
  );
  if (inTab) {
    entries.push(
      { label: 'Close tab', hint: 'Ctrl+W', testId: 'menu-close-tab', onSelect: () => closeTab(s.id) },
      { label: 'Close other tabs', testId: 'menu-close-others', onSelect: () => closeOtherTabs(s.id) },
    );
  }
  entries.push(
    'separator',
    { label: 'Review changes…', disabled: !hasWorktree, testId: 'menu-review', onSelect: () => openReview(s.id) },
    { label: 'Conflict forecast…', testId: 'menu-conflicts', onSelect: () => openConflicts(s.repoPath) },
  );
  if (s.groupId) {
    const groupId = s.groupId;
    entries.push({ label: 'Compare candidates…', testId: 'menu-compare', onSelect: () => openCompare(groupId) });
  }
  entries.push('separator', {
    label: 'Terminate…',
    danger: true,
    disabled: ended,
    testId: 'menu-terminate',
    onSelect: () => openSessionDialog('terminate', s.id),
  });
  return entries;
}
