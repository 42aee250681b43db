import type { WizardDraft } from './wizard-draft';

interface Props {
  draft: WizardDraft;
  update(patch: Partial<WizardDraft>): void;
}

/** Step 4: priority, limits, and whether the session runs in the background. */
export function StepResources({ draft, update }: Props) {
  return (
    <div className="wizard-step" data-testid="wizard-step-resources">
      <div className="field">
        <label htmlFor="wz-prio">
          Priority: <strong>{draft.priority}</strong>{' '}
          {draft.priority === 10 ? '(normal)' : draft.priority <= 3 ? '(low)' : ''}
        </label>
        <input
          id="wz-prio"
          type="range"
          min={1}
          max={10}
          value={draft.priority}
          data-testid="wizard-priority"
          onChange={(e) => update({ priority: Number(e.target.value) })}
        />
        <span className="hint">
          Lower priority runs the program nicer and starts it later when the running cap is reached.
        </span>
      </div>
      <div className="row">
        <div className="field" style={{ flex: 1 }}>
          <label htmlFor="wz-mem">Memory limit (MB)</label>
          <input
            id="wz-mem"
            type="number"
            min={1}
            placeholder="no limit"
            value={draft.memoryMb}
            onChange={(e) => update({ memoryMb: e.target.value })}
          />
        </div>
        <div className="field" style={{ flex: 1 }}>
          <label htmlFor="wz-time">Time limit (minutes)</label>
          <input
            id="wz-time"
            type="number"
            min={1}
            placeholder="no limit"
            value={draft.runtimeMin}
            onChange={(e) => update({ runtimeMin: e.target.value })}
          />
        </div>
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
    </div>
  );
}
