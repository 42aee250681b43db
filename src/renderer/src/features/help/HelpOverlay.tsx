import { chordsOf, commands, describeChord } from '../shell/keybindings';
import { Modal } from '../shell/Modal';

const shortcuts: Array<[string[], string]> = [
  [['N'], 'New session (opens the wizard)'],
  [['B'], 'Batch run the default preset on the selected sessions (all when none selected)'],
  [['Shift', 'B'], 'Broadcast text to the selected sessions’ terminals'],
  [['/'], 'Focus the session search'],
  [['Ctrl', '1…9'], 'Switch to terminal tab 1–9 (outside a terminal)'],
  [['Ctrl', 'W'], 'Close the current terminal tab (outside a terminal; the session keeps running)'],
  [['Ctrl', 'PgUp / PgDn'], 'Previous / next terminal tab (in the tab strip)'],
  [['F6'], 'Move between toolbar, session list, terminal and details (Shift+F6 backwards) — also out of a terminal'],
  [['F2'], 'Rename the selected session'],
  [['Shift', 'F10'], 'Actions menu of the focused session or tab (also right-click)'],
  [['↑ / ↓'], 'Move through the session list; Enter opens, Space selects'],
  [['['], 'Show or hide the session list'],
  [[']'], 'Show or hide the session details'],
  [['A'], 'Analytics'],
  [[','], 'Settings'],
  [['?'], 'This help'],
  [['Esc'], 'Close a dialog or the wizard'],
  [['Enter'], 'Next step in the wizard'],
];

const tips = [
  'Drop a repository folder anywhere on the window to start a session in it.',
  'Ctrl/⌘-click sessions in the sidebar to select several; Shift-click selects a range.',
  'Drag the edges of the session list and the details pane to resize them; double-click an edge to reset it.',
  'A pulsing amber dot means a program is waiting for your answer.',
];

/** Every keyboard shortcut, plus a few tips. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} testId="help-overlay">
      <table className="shortcut-table">
        <tbody>
          {shortcuts.map(([ks, what]) => (
            <tr key={what}>
              <td className="shortcut-keys">
                {ks.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' + '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 style={{ marginTop: 16 }}>In a terminal</h3>
      <p className="muted">
        Every other key goes to the program — Ctrl+W, Ctrl+F, Ctrl+R and Ctrl+C included. The list of shortcuts that
        skip the terminal is the <code>commandsToSkipShell</code> setting.
      </p>
      <table className="shortcut-table" data-testid="terminal-shortcuts">
        <tbody>
          {commands.map((c) => (
            <tr key={c.id}>
              <td className="shortcut-keys">
                {chordsOf(c).map((k) => (
                  <kbd key={k}>{describeChord(k)}</kbd>
                ))}
              </td>
              <td>{c.title}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 style={{ marginTop: 16 }}>Tips</h3>
      <ul className="tips">
        {tips.map((t) => (
          <li key={t}>{t}</li>
        ))}
      </ul>
    </Modal>
  );
}
