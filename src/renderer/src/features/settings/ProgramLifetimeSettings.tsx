import { useQueryClient } from '@tanstack/react-query';
import type { Settings } from '../../../../shared/domain';
import { keys, useRequest } from '../../lib/queries';

type Flag = 'keepSessionsRunning' | 'restoreAfterRestart';

const flags: { key: Flag; label: string; hint: string }[] = [
  {
    key: 'keepSessionsRunning',
    label: 'Keep sessions running when the app quits',
    hint: 'Programs live in a background terminal host; the next start takes them back as they are. Off: quitting stops them.',
  },
  {
    key: 'restoreAfterRestart',
    label: 'Bring sessions back after the computer restarts',
    hint: 'Agents continue their conversation with their own resume command; other programs start again.',
  },
];

/** Whether programs outlive the app and come back after a reboot; each box applies at once. */
export function ProgramLifetimeSettings({ settings }: { settings: Settings }) {
  const qc = useQueryClient();
  const save = useRequest('settings.update');
  return (
    <div data-testid="lifetime-settings">
      {flags.map((f) => (
        <div key={f.key} className="field">
          <label className="check">
            <input
              type="checkbox"
              checked={settings[f.key]}
              disabled={save.isPending}
              data-testid={`settings-${f.key}`}
              aria-describedby={`hint-${f.key}`}
              onChange={(e) =>
                save.mutate({ [f.key]: e.target.checked }, { onSuccess: (s) => qc.setQueryData(keys.settings, s) })
              }
            />
            {f.label}
          </label>
          <p className="hint" id={`hint-${f.key}`}>
            {f.hint}
          </p>
        </div>
      ))}
    </div>
  );
}
