import { useState } from 'react';
import type { CommandPreset } from '../../../../shared/domain';
import { splitCommandLine } from '../../../../shared/command-line';

interface Props {
  presets: CommandPreset[];
  defaultId: string | null;
  onChange(presets: CommandPreset[], defaultId: string | null): void;
  pending: boolean;
}

interface Edit {
  id: string | null;
  name: string;
  line: string;
  shell: boolean;
}

const empty: Edit = { id: null, name: '', line: '', shell: false };

/** Add, edit, remove presets and choose the default one; each change saves at once. */
export function PresetsEditor({ presets, defaultId, onChange, pending }: Props) {
  const [edit, setEdit] = useState<Edit | null>(null);
  const saveEdit = () => {
    if (!edit || !edit.name.trim() || !edit.line.trim()) return;
    const parts = edit.shell ? [edit.line.trim()] : splitCommandLine(edit.line.trim());
    const preset: CommandPreset = {
      id: edit.id ?? `preset-${Date.now().toString(36)}`,
      name: edit.name.trim(),
      command: parts[0]!,
      args: edit.shell ? [] : parts.slice(1),
      shell: edit.shell,
    };
    const next = edit.id ? presets.map((p) => (p.id === edit.id ? preset : p)) : [...presets, preset];
    onChange(next, defaultId ?? preset.id);
    setEdit(null);
  };
  return (
    <div data-testid="presets-editor">
      {presets.length === 0 && <p className="faint">No presets yet.</p>}
      <ul className="preset-list">
        {presets.map((p) => (
          <li key={p.id} className="preset-item" data-testid={`preset-${p.id}`}>
            <label className="check" title="Use for one-click Batch run">
              <input
                type="radio"
                name="default-preset"
                checked={p.id === defaultId}
                disabled={pending}
                onChange={() => onChange(presets, p.id)}
              />
              <strong>{p.name}</strong>
            </label>
            <span className="mono muted truncate">
              {p.shell ? 'sh -c ' : ''}
              {[p.command, ...p.args].join(' ')}
            </span>
            {p.id === defaultId && <span className="badge ok-badge">default</span>}
            <span className="spacer" />
            <button
              className="btn ghost small"
              onClick={() =>
                setEdit({ id: p.id, name: p.name, line: [p.command, ...p.args].join(' '), shell: p.shell })
              }
            >
              Edit
            </button>
            <button
              className="btn ghost small danger"
              disabled={pending}
              onClick={() => {
                const next = presets.filter((x) => x.id !== p.id);
                onChange(next, defaultId === p.id ? (next[0]?.id ?? null) : defaultId);
              }}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {edit ? (
        <div className="preset-form">
          <input
            type="text"
            placeholder="Name (e.g. Git status)"
            value={edit.name}
            data-testid="preset-name"
            onChange={(e) => setEdit({ ...edit, name: e.target.value })}
          />
          <input
            type="text"
            className="mono"
            style={{ flex: 2 }}
            placeholder={edit.shell ? 'npm test && git status' : 'git status --short'}
            value={edit.line}
            data-testid="preset-command"
            onChange={(e) => setEdit({ ...edit, line: e.target.value })}
            onKeyDown={(e) => e.key === 'Enter' && saveEdit()}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={edit.shell}
              onChange={(e) => setEdit({ ...edit, shell: e.target.checked })}
            />{' '}
            shell
          </label>
          <button
            className="btn primary small"
            onClick={saveEdit}
            disabled={!edit.name.trim() || !edit.line.trim()}
            data-testid="preset-save"
          >
            {edit.id ? 'Save' : 'Add'}
          </button>
          <button className="btn small" onClick={() => setEdit(null)}>
            Cancel
          </button>
        </div>
      ) : (
        <button className="btn small" onClick={() => setEdit(empty)} data-testid="preset-add">
          + Add preset
        </button>
      )}
    </div>
  );
}
