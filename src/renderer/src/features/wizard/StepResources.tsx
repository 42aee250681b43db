import { useSessionTypes, useSystemStatus } from '../../lib/queries';
import { Field } from '../shell/Field';
import type { FieldState } from './WizardDialog';
import type { WizardDraft } from './wizard-draft';

interface Props {
  draft: WizardDraft;
  update(patch: Partial<WizardDraft>): void;
  fields: FieldState;
}

/** Step 4: priority, limits, and whether the session runs in the background. */
export function StepResources({ draft, update, fields }: Props) {
  const type = useSessionTypes().data?.find((t) => t.type === draft.type);
  const typeMem = type?.limits.memoryMb ?? null;
  const typeRun = type?.limits.runtimeSec ?? null;
  const allow = useSystemStatus().data?.isolation?.envAllowList;
  const allowCount = allow ? allow.names.length + allow.prefixes.length : 0;
  return (
    <div className="wizard-step" data-testid="wizard-step-resources">
      <Field
        id="wz-prio"
        label={
          <>
            Priority: <strong>{draft.priority}</strong>{' '}
            {draft.priority === 10 ? '(normal)' : draft.priority <= 3 ? '(low)' : ''}
          </>
        }
        problem={fields.shown('priority')}
        hint="Lower priority runs the program nicer and starts it later when the running cap is reached."
      >
        {(a) => (
          <input
            {...a}
            type="range"
            min={1}
            max={10}
            value={draft.priority}
            data-testid="wizard-priority"
            onChange={(e) => update({ priority: Number(e.target.value) })}
          />
        )}
      </Field>
      <div className="row wrap form-row">
        <Field
          id="wz-mem"
          label="Memory limit (MB)"
          problem={fields.shown('memoryMb')}
          testId="wizard-memory"
          hint={typeMem ? `Empty keeps this type’s ${typeMem} MB.` : 'Empty: no limit.'}
        >
          {(a) => (
            <input
              {...a}
              type="text"
              inputMode="numeric"
              placeholder={typeMem ? String(typeMem) : 'no limit'}
              value={draft.memoryMb}
              data-testid="wizard-memory"
              onChange={(e) => {
                update({ memoryMb: e.target.value });
                fields.touch('memoryMb');
              }}
            />
          )}
        </Field>
        <Field
          id="wz-time"
          label="Time limit (minutes)"
          problem={fields.shown('runtimeMin')}
          testId="wizard-runtime"
          hint={typeRun ? `Empty keeps this type’s ${Math.round(typeRun / 60)} min.` : 'Empty: no limit.'}
        >
          {(a) => (
            <input
              {...a}
              type="text"
              inputMode="decimal"
              placeholder={typeRun ? String(Math.round(typeRun / 60)) : 'no limit'}
              value={draft.runtimeMin}
              data-testid="wizard-runtime"
              onChange={(e) => {
                update({ runtimeMin: e.target.value });
                fields.touch('runtimeMin');
              }}
            />
          )}
        </Field>
      </div>
      <label className="check field">
        <input
          type="checkbox"
          checked={draft.background}
          data-testid="wizard-background"
          onChange={(e) => update({ background: e.target.checked })}
        />
        Run in the background — no tab opens; find it in the sidebar’s Background group
      </label>
      <Field
        id="wz-passenv"
        label="Pass these host variables too (optional)"
        problem={fields.shown('passEnv')}
        testId="wizard-passenv"
        hint={
          <>
            Programs get only an allow-listed environment
            {allowCount > 0 ? ` (${allowCount} names and prefixes — Settings → Environment lists them)` : ''}; names
            here pass through to these sessions as well, e.g. <span className="mono">GITHUB_TOKEN NPM_TOKEN</span>.
          </>
        }
      >
        {(a) => (
          <input
            {...a}
            type="text"
            className="mono"
            spellCheck={false}
            placeholder="NAME OTHER_NAME"
            value={draft.passEnv}
            data-testid="wizard-passenv"
            onChange={(e) => {
              update({ passEnv: e.target.value });
              fields.touch('passEnv');
            }}
          />
        )}
      </Field>
    </div>
  );
}
