import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Settings } from '../../../../shared/domain';
import { errorText, keys, useRequest, useSettings } from '../../lib/queries';
import { PresetsEditor } from './PresetsEditor';
import { SkillsEditor } from './SkillsEditor';

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Preferences: where worktrees go, limits, presets for one-click batch runs, skills, theme. */
export function SettingsPage() {
  const qc = useQueryClient();
  const settings = useSettings();
  const save = useRequest('settings.update');
  const [draft, setDraft] = useState<Settings | null>(null);
  const [patterns, setPatterns] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (settings.data && !draft) {
      setDraft(settings.data);
      setPatterns(settings.data.copyInPatterns.join('\n'));
    }
  }, [settings.data, draft]);

  if (settings.isLoading || !draft) return <div className="page muted">Loading settings…</div>;
  if (settings.isError) return <div className="page error-box">{errorText(settings.error)}</div>;

  const update = (patch: Partial<Settings>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };
  const dirty = JSON.stringify({ ...draft, copyInPatterns: lines(patterns) }) !== JSON.stringify(settings.data);

  const submit = (patch: Partial<Settings> = {}) => {
    const next = { ...draft, ...patch, copyInPatterns: lines(patterns) };
    save.mutate(
      {
        worktreeRoot: next.worktreeRoot,
        copyInPatterns: next.copyInPatterns,
        maxRunning: next.maxRunning,
        presets: next.presets,
        defaultPresetId: next.defaultPresetId,
        skills: next.skills,
        theme: next.theme,
        notifications: next.notifications,
        branchTemplate: next.branchTemplate,
      },
      {
        onSuccess: (s) => {
          qc.setQueryData(keys.settings, s);
          setDraft(s);
          setPatterns(s.copyInPatterns.join('\n'));
          setSaved(true);
        },
      },
    );
  };

  return (
    <div className="page settings" data-testid="settings-page">
      <div className="page-head">
        <h1>Settings</h1>
        <span className="spacer" />
        {saved && !dirty && <span className="ok-text">✓ Saved</span>}
        <button
          className="btn"
          disabled={!dirty || save.isPending}
          onClick={() => {
            setDraft(settings.data!);
            setPatterns(settings.data!.copyInPatterns.join('\n'));
          }}
        >
          Revert
        </button>
        <button
          className="btn primary"
          data-testid="settings-save"
          disabled={!dirty || save.isPending}
          onClick={() => submit()}
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
      {save.isError && (
        <div className="error-box" data-testid="settings-error">
          {errorText(save.error)}
        </div>
      )}

      <section className="card">
        <h2>Appearance</h2>
        <div className="field">
          <label htmlFor="st-theme">Theme</label>
          <select
            id="st-theme"
            value={draft.theme}
            data-testid="settings-theme"
            onChange={(e) => submit({ theme: e.target.value as Settings['theme'] })}
          >
            <option value="system">Follow the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.notifications}
            onChange={(e) => submit({ notifications: e.target.checked })}
          />
          Notify me when a session needs input, exits or fails
        </label>
      </section>

      <section className="card">
        <h2>Worktrees</h2>
        <div className="field">
          <label htmlFor="st-root">Worktree location</label>
          <input
            id="st-root"
            type="text"
            className="mono"
            placeholder="inside the data folder (default)"
            value={draft.worktreeRoot}
            onChange={(e) => update({ worktreeRoot: e.target.value })}
          />
          <span className="hint">Worktrees live outside your repository. Existing worktrees do not move.</span>
        </div>
        <div className="field">
          <label htmlFor="st-branch">Branch name template</label>
          <input
            id="st-branch"
            type="text"
            className="mono"
            placeholder="{name}"
            value={draft.branchTemplate}
            onChange={(e) => update({ branchTemplate: e.target.value })}
          />
          <span className="hint">
            <span className="mono">{'{name}'}</span> is the sanitised session name, e.g.{' '}
            <span className="mono">agent/{'{name}'}</span>.
          </span>
        </div>
        <div className="field">
          <label htmlFor="st-copy">Copy-in patterns (one per line)</label>
          <textarea
            id="st-copy"
            rows={3}
            value={patterns}
            placeholder=".env"
            onChange={(e) => {
              setSaved(false);
              setPatterns(e.target.value);
            }}
          />
          <span className="hint">Untracked files copied into every new worktree.</span>
        </div>
      </section>

      <section className="card">
        <h2>Running</h2>
        <div className="field" style={{ maxWidth: 280 }}>
          <label htmlFor="st-max">Most programs running at once</label>
          <input
            id="st-max"
            type="number"
            min={1}
            max={500}
            value={draft.maxRunning}
            data-testid="settings-max-running"
            onChange={(e) => update({ maxRunning: Math.max(1, Number(e.target.value) || 1) })}
          />
          <span className="hint">More sessions wait as “queued”, higher priority first.</span>
        </div>
      </section>

      <section className="card">
        <h2>Batch presets</h2>
        <p className="muted">The default preset is what the toolbar’s one-click Batch run (and the B key) runs.</p>
        <PresetsEditor
          presets={draft.presets}
          defaultId={draft.defaultPresetId}
          onChange={(presets, defaultPresetId) => submit({ presets, defaultPresetId })}
          pending={save.isPending}
        />
      </section>

      <section className="card">
        <h2>Skills</h2>
        <SkillsEditor skills={draft.skills} onChange={(skills) => submit({ skills })} pending={save.isPending} />
      </section>
    </div>
  );
}
