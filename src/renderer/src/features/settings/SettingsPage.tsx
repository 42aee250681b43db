import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { branchNameFromTemplate, branchTemplateProblem } from '../../../../shared/branch-names';
import { settingsSchema, type Settings } from '../../../../shared/domain';
import { firstProblem, parseNumberField, problemOf, type FieldProblems } from '../../lib/field-problems';
import { errorText, keys, useRequest, useSettings } from '../../lib/queries';
import { changedFields, rebaseDraft, rebaseText } from './rebase-draft';

import { Field } from '../shell/Field';
import { PresetsEditor } from './PresetsEditor';
import { RepositorySettings } from './RepositorySettings';
import { SkillsEditor } from './SkillsEditor';
import { ProgramLifetimeSettings } from './ProgramLifetimeSettings';
import { MemoryPressureSettings } from './MemoryPressureSettings';
import { WarmPoolSettings } from './WarmPoolSettings';
import { EnvironmentSettings } from './EnvironmentSettings';
import { TrustedScripts } from './TrustedScripts';

/** The fields this page saves (the warm pool, lifetime and memory sections save their own). */
const SAVED = [
  'worktreeRoot',
  'copyInPatterns',
  'repoSettings',
  'maxRunning',
  'presets',
  'defaultPresetId',
  'skills',
  'theme',
  'notifications',
  'branchTemplate',
] as const satisfies readonly (keyof Settings)[];

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

type SettingsField = 'worktreeRoot' | 'branchTemplate' | 'copyInPatterns' | 'maxRunning';
const order: SettingsField[] = ['worktreeRoot', 'branchTemplate', 'copyInPatterns', 'maxRunning'];

/**
 * Preferences: where worktrees go, limits, presets for one-click batch runs, skills, repositories,
 * theme. Each field is checked as it is typed with the contract's own schema (what the host
 * accepts), nothing typed is silently changed, and Save is possible only when all is well.
 */
export function SettingsPage() {
  const qc = useQueryClient();
  const settings = useSettings();
  const save = useRequest('settings.update');
  const [draft, setDraft] = useState<Settings | null>(null);
  /** The settings the draft was loaded from (or last rebased on): what "edited here" is judged against. */
  const [base, setBase] = useState<Settings | null>(null);
  const [patterns, setPatterns] = useState('');
  const [maxRunning, setMaxRunning] = useState('');
  const [saved, setSaved] = useState(false);

  const load = (s: Settings) => {
    setBase(s);
    setDraft(s);
    setPatterns(s.copyInPatterns.join('\n'));
    setMaxRunning(String(s.maxRunning));
  };
  useEffect(() => {
    const fresh = settings.data;
    if (!fresh || fresh === base) return;
    if (!base) {
      load(fresh);
      return;
    }
    // Changed elsewhere (another window, the CLI) — or opened on a copy older than the change that
    // was on its way: what is not edited here shows the new value, what is edited stays. Updaters,
    // so a keystroke queued meanwhile is rebased too, not replaced.
    setDraft((d) => (d ? rebaseDraft(d, base, fresh) : fresh));
    setPatterns((p) => rebaseText(p, base.copyInPatterns.join('\n'), fresh.copyInPatterns.join('\n')));
    setMaxRunning((m) => rebaseText(m, String(base.maxRunning), String(fresh.maxRunning)));
    setBase(fresh);
  }, [settings.data, base]);

  if (settings.isLoading || !draft) return <div className="page muted">Loading settings…</div>;
  if (settings.isError) return <div className="page error-box">{errorText(settings.error)}</div>;

  const update = (patch: Partial<Settings>) => {
    setSaved(false);
    save.reset();
    setDraft({ ...draft, ...patch });
  };
  const max = parseNumberField(maxRunning, 'the running cap');
  const problems: FieldProblems<SettingsField> = {
    worktreeRoot: problemOf(settingsSchema.shape.worktreeRoot, draft.worktreeRoot) ?? undefined,
    branchTemplate: branchTemplateProblem(draft.branchTemplate) ?? undefined,
    copyInPatterns: problemOf(settingsSchema.shape.copyInPatterns, lines(patterns)) ?? undefined,
    maxRunning:
      max.problem ??
      (max.value === null ? 'Give the most programs that may run at once.' : undefined) ??
      problemOf(settingsSchema.shape.maxRunning, max.value) ??
      undefined,
  };
  const blocked = firstProblem(problems, order);
  const next = (): Settings => ({
    ...draft,
    copyInPatterns: lines(patterns),
    maxRunning: max.value ?? draft.maxRunning,
  });
  const dirty = JSON.stringify(next()) !== JSON.stringify(settings.data) || String(draft.maxRunning) !== maxRunning;

  const submit = (patch: Partial<Settings> = {}) => {
    const oneClick = Object.keys(patch).length > 0;
    if (blocked && !oneClick) return;
    // Only what changed here is sent (one-click sections — theme, presets, skills — save at once,
    // without the fields being edited above): a Save never writes back a value it did not change,
    // even one changed elsewhere whose news is still on its way.
    const body: Partial<Settings> = oneClick
      ? Object.fromEntries(Object.entries(patch).filter(([k]) => (SAVED as readonly string[]).includes(k)))
      : changedFields(next(), base ?? draft, SAVED);
    save.mutate(body, {
      onSuccess: (s) => {
        qc.setQueryData(keys.settings, s);
        if (oneClick) {
          const stored = Object.fromEntries(Object.keys(patch).map((k) => [k, s[k as keyof Settings]]));
          setDraft((d) => (d ? { ...d, ...stored } : s));
        } else load(s);
        setSaved(true);
      },
    });
  };
  const example = problems.branchTemplate
    ? null
    : branchNameFromTemplate(draft.branchTemplate, { name: 'Fix login!', type: 'general', n: 1 });

  return (
    <div className="page settings" data-testid="settings-page">
      <div className="page-head">
        <h1>Settings</h1>
        <span className="spacer" />
        {blocked && dirty && (
          <span className="wizard-problem" data-testid="settings-blocked">
            {blocked}
          </span>
        )}
        {saved && !dirty && <span className="ok-text">✓ Saved</span>}
        <button className="btn" disabled={!dirty || save.isPending} onClick={() => load(settings.data!)}>
          Revert
        </button>
        <button
          className="btn primary"
          data-testid="settings-save"
          disabled={!dirty || save.isPending || Boolean(blocked)}
          onClick={() => submit()}
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
      {save.isError && (
        <div className="error-box" role="alert" data-testid="settings-error">
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
        <Field
          id="st-root"
          label="Worktree location"
          problem={problems.worktreeRoot}
          testId="settings-root"
          hint="Worktrees live outside your repository. Existing worktrees do not move."
        >
          {(a) => (
            <input
              {...a}
              type="text"
              className="mono"
              placeholder="inside the data folder (default)"
              value={draft.worktreeRoot}
              data-testid="settings-root"
              onChange={(e) => update({ worktreeRoot: e.target.value })}
            />
          )}
        </Field>
        <Field
          id="st-branch"
          label="Branch name template"
          problem={problems.branchTemplate}
          testId="settings-branch-template"
          hint={
            <>
              <span className="mono">{'{name}'}</span> is the session name made safe for git; also{' '}
              <span className="mono">{'{type}'}</span>, <span className="mono">{'{date}'}</span>,{' '}
              <span className="mono">{'{n}'}</span>.
              {example && (
                <>
                  {' '}
                  A session “Fix login!” gets{' '}
                  <span className="mono" data-testid="settings-branch-example">
                    {example}
                  </span>
                  .
                </>
              )}
            </>
          }
        >
          {(a) => (
            <input
              {...a}
              type="text"
              className="mono"
              placeholder="ms/{name}"
              value={draft.branchTemplate}
              data-testid="settings-branch-template"
              onChange={(e) => update({ branchTemplate: e.target.value })}
            />
          )}
        </Field>
        <Field
          id="st-copy"
          label="Copy-in patterns (one per line)"
          problem={problems.copyInPatterns}
          hint="Untracked files copied into every new worktree (repositories below can have their own)."
        >
          {(a) => (
            <textarea
              {...a}
              rows={3}
              value={patterns}
              placeholder=".env"
              onChange={(e) => {
                setSaved(false);
                setPatterns(e.target.value);
              }}
            />
          )}
        </Field>
      </section>

      <section className="card">
        <h2>Warm worktrees</h2>
        <WarmPoolSettings settings={settings.data ?? draft} />
      </section>

      <section className="card">
        <h2>Running</h2>
        <ProgramLifetimeSettings settings={settings.data ?? draft} />
        <Field
          id="st-max"
          label="Most programs running at once"
          problem={problems.maxRunning}
          testId="settings-max-running"
          className="narrow-field"
          hint="More sessions wait as “queued”, higher priority first. Raising it starts queued sessions at once."
        >
          {(a) => (
            <input
              {...a}
              type="number"
              min={1}
              max={500}
              value={maxRunning}
              data-testid="settings-max-running"
              onChange={(e) => {
                setSaved(false);
                setMaxRunning(e.target.value);
              }}
            />
          )}
        </Field>
        <MemoryPressureSettings settings={settings.data ?? draft} />
      </section>

      <section className="card">
        <h2>Environment</h2>
        <EnvironmentSettings />
      </section>
      <section className="card">
        <h2>Trusted repository scripts</h2>
        <TrustedScripts />
      </section>
      <section className="card">
        <h2>Repositories</h2>
        <RepositorySettings
          value={draft.repoSettings}
          recentRepos={draft.recentRepos}
          onChange={(repoSettings) => update({ repoSettings })}
        />
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
