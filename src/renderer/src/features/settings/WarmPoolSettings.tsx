import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { poolSettingsSchema, type PoolSettings, type Settings } from '../../../../shared/domain';
import { firstProblem, parseNumberField, problemOf, type FieldProblems } from '../../lib/field-problems';
import { baseName, formatBytes } from '../../lib/format';
import { call, errorText, keys, useRequest } from '../../lib/queries';
import { Field } from '../shell/Field';

type PoolField = 'size' | 'diskBudgetMb' | 'repos';
const order: PoolField[] = ['size', 'diskBudgetMb', 'repos'];

/** How often the pool's status is re-read while Settings is open (preparing happens in the background). */
const STATUS_REFRESH_MS = 5_000;

/**
 * The warm worktree pool: worktrees prepared ahead for recently used repositories so a new
 * session starts without a checkout. Size, disk budget and how many repositories are kept warm,
 * with what the pool holds right now; saved on its own (it applies at once).
 */
export function WarmPoolSettings({ settings }: { settings: Settings }) {
  const qc = useQueryClient();
  const save = useRequest('settings.update');
  const drain = useRequest('pool.drain');
  const status = useQuery({
    queryKey: keys.poolStatus,
    queryFn: () => call('pool.status', {}),
    refetchInterval: STATUS_REFRESH_MS,
  });
  const [text, setText] = useState(() => texts(settings.pool));
  const [enabled, setEnabled] = useState(settings.pool.enabled);
  useEffect(() => {
    setText(texts(settings.pool));
    setEnabled(settings.pool.enabled);
  }, [settings.pool]);

  const parsed = {
    size: parseNumberField(text.size, 'the pool size'),
    diskBudgetMb: parseNumberField(text.diskBudgetMb, 'the disk budget'),
    repos: parseNumberField(text.repos, 'the number of repositories'),
  };
  const problems: FieldProblems<PoolField> = {};
  for (const k of order) {
    problems[k] =
      parsed[k].problem ??
      (parsed[k].value === null ? 'Give a number.' : problemOf(poolSettingsSchema.shape[k], parsed[k].value)) ??
      undefined;
  }
  const blocked = firstProblem(problems, order);
  const next: PoolSettings = {
    enabled,
    size: parsed.size.value ?? settings.pool.size,
    diskBudgetMb: parsed.diskBudgetMb.value ?? settings.pool.diskBudgetMb,
    repos: parsed.repos.value ?? settings.pool.repos,
  };
  const dirty = JSON.stringify(next) !== JSON.stringify(settings.pool);
  const apply = (pool: PoolSettings) =>
    save.mutate(
      { pool },
      {
        onSuccess: (s) => {
          qc.setQueryData(keys.settings, s);
          void qc.invalidateQueries({ queryKey: keys.poolStatus });
        },
      },
    );

  const st = status.data;
  return (
    <div data-testid="pool-settings">
      <label className="check">
        <input
          type="checkbox"
          checked={enabled}
          data-testid="pool-enabled"
          onChange={(e) => {
            setEnabled(e.target.checked);
            if (!blocked) apply({ ...next, enabled: e.target.checked });
          }}
        />
        Keep worktrees ready for the repositories I use, so new sessions start without a checkout
      </label>
      <div className="row wrap">
        <Field id="pool-size" label="Ready worktrees per repository" problem={problems.size} className="narrow-field">
          {(a) => (
            <input
              {...a}
              type="number"
              min={0}
              max={50}
              value={text.size}
              data-testid="pool-size"
              onChange={(e) => setText({ ...text, size: e.target.value })}
            />
          )}
        </Field>
        <Field id="pool-repos" label="Recent repositories kept warm" problem={problems.repos} className="narrow-field">
          {(a) => (
            <input
              {...a}
              type="number"
              min={1}
              max={50}
              value={text.repos}
              onChange={(e) => setText({ ...text, repos: e.target.value })}
            />
          )}
        </Field>
        <Field
          id="pool-budget"
          label="Disk budget (MB)"
          problem={problems.diskBudgetMb}
          className="narrow-field"
          testId="pool-budget"
        >
          {(a) => (
            <input
              {...a}
              type="number"
              min={0}
              value={text.diskBudgetMb}
              data-testid="pool-budget"
              onChange={(e) => setText({ ...text, diskBudgetMb: e.target.value })}
            />
          )}
        </Field>
      </div>
      <div className="row">
        <button
          type="button"
          className="btn"
          data-testid="pool-save"
          disabled={!dirty || Boolean(blocked) || save.isPending}
          onClick={() => apply(next)}
        >
          {save.isPending ? 'Saving…' : 'Apply'}
        </button>
        <button
          type="button"
          className="btn"
          data-testid="pool-drain"
          disabled={drain.isPending || !st || st.usedBytes === 0}
          onClick={() =>
            drain.mutate({}, { onSettled: () => void qc.invalidateQueries({ queryKey: keys.poolStatus }) })
          }
        >
          Empty the pool
        </button>
        {drain.data && drain.data.kept.length > 0 && (
          <span className="wizard-problem" role="status">
            Kept {drain.data.kept.length}: {drain.data.kept[0].reason}
          </span>
        )}
      </div>
      {(save.isError || drain.isError) && (
        <div className="error-box" role="alert">
          {errorText(save.error ?? drain.error)}
        </div>
      )}
      {st && (
        <div className="pool-status" data-testid="pool-status">
          <p>
            Using <strong>{formatBytes(st.usedBytes)}</strong> of {formatBytes(st.budgetBytes)}
            {st.budgetReached && <span className="wizard-problem"> — budget reached, no more are prepared</span>}
          </p>
          {st.repos.length === 0 ? (
            <p className="muted">Nothing warm yet: the pool follows the repositories you create sessions in.</p>
          ) : (
            <table className="pool-table">
              <thead>
                <tr>
                  <th scope="col">Repository</th>
                  <th scope="col">Base</th>
                  <th scope="col">Ready</th>
                  <th scope="col">Disk</th>
                </tr>
              </thead>
              <tbody>
                {st.repos.map((r) => (
                  <tr key={r.repoRoot} data-testid={`pool-repo-${baseName(r.repoRoot)}`}>
                    <td title={r.repoRoot}>{baseName(r.repoRoot)}</td>
                    <td className="mono">{r.baseBranch}</td>
                    <td>
                      {r.enabled ? `${r.ready} of ${r.target}` : 'off'}
                      {r.preparing > 0 && <span className="muted"> (+{r.preparing} preparing)</span>}
                    </td>
                    <td>{formatBytes(r.bytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}

function texts(p: PoolSettings): Record<PoolField, string> {
  return { size: String(p.size), diskBudgetMb: String(p.diskBudgetMb), repos: String(p.repos) };
}
