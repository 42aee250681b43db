import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  memoryPressureProblem,
  memoryPressureSettingsSchema,
  type MemoryPressureSettings as Policy,
  type Settings,
} from '../../../../shared/domain';
import { firstProblem, parseNumberField, problemOf, type FieldProblems } from '../../lib/field-problems';
import { formatBytes } from '../../lib/format';
import { call, errorText, keys, useRequest } from '../../lib/queries';
import { Field } from '../shell/Field';

type PressureField = 'minAvailableMb' | 'maxSessionsMb';
const order: PressureField[] = ['minAvailableMb', 'maxSessionsMb'];
/** How often the figures are re-read while Settings is open. */
const STATUS_REFRESH_MS = 5_000;
const MB = 1024 * 1024;

/**
 * The memory-pressure policy (off by default): when the machine's available memory falls below a
 * threshold, or the sessions together use more than one, the idlest sessions are hibernated until
 * it is relieved. Empty field = not watched. Checked as you type with the host's own schema.
 */
export function MemoryPressureSettings({ settings }: { settings: Settings }) {
  const qc = useQueryClient();
  const save = useRequest('settings.update');
  const status = useQuery({
    queryKey: keys.memoryStatus,
    queryFn: () => call('memory.status', {}),
    refetchInterval: STATUS_REFRESH_MS,
  });
  const policy = settings.memoryPressure;
  const [text, setText] = useState(() => texts(policy));
  const [enabled, setEnabled] = useState(policy.enabled);
  useEffect(() => {
    setText(texts(policy));
    setEnabled(policy.enabled);
  }, [policy]);

  const parsed = {
    minAvailableMb: parseNumberField(text.minAvailableMb, 'the available memory'),
    maxSessionsMb: parseNumberField(text.maxSessionsMb, 'the sessions’ memory'),
  };
  const problems: FieldProblems<PressureField> = {};
  for (const k of order) {
    problems[k] =
      parsed[k].problem ??
      (parsed[k].value === null ? null : problemOf(memoryPressureSettingsSchema.shape[k], parsed[k].value)) ??
      undefined;
  }
  const next: Policy = {
    enabled,
    minAvailableMb: parsed.minAvailableMb.value,
    maxSessionsMb: parsed.maxSessionsMb.value,
  };
  const whole = memoryPressureProblem(next);
  const blocked = firstProblem(problems, order) ?? whole;
  const dirty = JSON.stringify(next) !== JSON.stringify(policy);
  const apply = (memoryPressure: Policy) =>
    save.mutate(
      { memoryPressure },
      {
        onSuccess: (s) => {
          qc.setQueryData(keys.settings, s);
          void qc.invalidateQueries({ queryKey: keys.memoryStatus });
        },
      },
    );

  const st = status.data;
  return (
    <div data-testid="memory-pressure-settings">
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={enabled}
            data-testid="memory-pressure-enabled"
            aria-describedby="memory-pressure-hint"
            onChange={(e) => setEnabled(e.target.checked)}
          />
          When memory is short, hibernate the idlest sessions
        </label>
        <p className="hint" id="memory-pressure-hint">
          Idle sessions go first, the longest idle first — never one that is working, waiting for you, running a command
          or just started — and only until memory is no longer short. Each keeps its worktree, screen and conversation;
          Wake continues it. Leave a field empty to not watch that figure.
        </p>
      </div>
      <div className="row wrap">
        <Field
          id="memory-min-available"
          label="Machine’s available memory below (MB)"
          problem={problems.minAvailableMb}
          className="narrow-field"
          testId="memory-min-available"
        >
          {(a) => (
            <input
              {...a}
              type="number"
              min={64}
              value={text.minAvailableMb}
              disabled={!enabled}
              data-testid="memory-min-available"
              onChange={(e) => setText({ ...text, minAvailableMb: e.target.value })}
            />
          )}
        </Field>
        <Field
          id="memory-max-sessions"
          label="Or the sessions using more than (MB)"
          problem={problems.maxSessionsMb}
          className="narrow-field"
          testId="memory-max-sessions"
        >
          {(a) => (
            <input
              {...a}
              type="number"
              min={16}
              value={text.maxSessionsMb}
              disabled={!enabled}
              data-testid="memory-max-sessions"
              onChange={(e) => setText({ ...text, maxSessionsMb: e.target.value })}
            />
          )}
        </Field>
      </div>
      {whole && !firstProblem(problems, order) && (
        <p className="field-problem" role="alert" data-testid="memory-pressure-problem">
          {whole}
        </p>
      )}
      <div className="row">
        <button
          type="button"
          className="btn"
          data-testid="memory-pressure-save"
          disabled={!dirty || Boolean(blocked) || save.isPending}
          onClick={() => apply(next)}
        >
          {save.isPending ? 'Saving…' : 'Apply'}
        </button>
        {st && (
          <span className="muted" data-testid="memory-pressure-figures">
            Now: {formatBytes(st.availableMb * MB)} available of {formatBytes(st.totalMb * MB)}; sessions use{' '}
            {st.sessionsMb > 0 ? formatBytes(st.sessionsMb * MB) : 'nothing'}
            {st.pressure && <span className="wizard-problem"> — memory is short: {st.pressure}</span>}
          </span>
        )}
      </div>
      {st?.lastAction && (
        <p className="muted" data-testid="memory-pressure-last">
          Last at {new Date(st.lastAction.at).toLocaleTimeString()}: hibernated{' '}
          {st.lastAction.hibernated.map((x) => `${x.name} (${x.memoryMb} MB)`).join(', ')} — {st.lastAction.reason}.
        </p>
      )}
      {save.isError && (
        <div className="error-box" role="alert">
          {errorText(save.error)}
        </div>
      )}
    </div>
  );
}

function texts(p: Policy): Record<PressureField, string> {
  return {
    minAvailableMb: p.minAvailableMb === null ? '' : String(p.minAvailableMb),
    maxSessionsMb: p.maxSessionsMb === null ? '' : String(p.maxSessionsMb),
  };
}
