import type { AgentPreset } from '../../../../shared/domain';
import { useAgents, useSessionTypes } from '../../lib/queries';
import { typeLabels } from '../../lib/status';
import { Field } from '../shell/Field';
import { ApprovalSelect } from '../agents/ApprovalSelect';
import { isApprovalChoice } from '../agents/approval';
import { BranchPreview } from './BranchPreview';
import type { RowPlan } from './use-session-plans';
import type { FieldState } from './WizardDialog';
import { totalCopies, type AgentRow, type WizardDraft } from './wizard-draft';

interface Props {
  draft: WizardDraft;
  update(patch: Partial<WizardDraft>): void;
  fields: FieldState;
  plans: RowPlan[];
}

function sortAgents(list: AgentPreset[]): AgentPreset[] {
  return [...list].sort((a, b) => Number(b.installed) - Number(a.installed) || a.name.localeCompare(b.name));
}

/** Step 2: what kind of session, which program(s), how many copies, the prompt and the name. */
export function StepSession({ draft, update, fields, plans }: Props) {
  const types = useSessionTypes().data ?? [];
  const agents = sortAgents(useAgents().data ?? []);
  const typeInfo = types.find((t) => t.type === draft.type);
  /** The agent a row runs: its own choice, or the type's program on this machine. */
  const rowAgent = (r: AgentRow) => (r.agent === 'custom' ? 'custom' : r.agent || typeInfo?.agent || 'custom');
  const setRow = (key: number, patch: Partial<AgentRow>) => {
    update({
      rows: draft.rows.map((r) => {
        if (r.key !== key) return r;
        const next = { ...r, ...patch };
        // Another program has other approval modes: a mode it lacks goes back to off.
        const agent = rowAgent(next);
        if (
          !isApprovalChoice(
            next.approval,
            agent,
            agents.find((a) => a.id === agent),
          )
        )
          next.approval = 'off';
        return next;
      }),
    });
    fields.touch(`program:${key}`);
    if (patch.count !== undefined) fields.touch(`count:${key}`);
  };
  const addRow = () => {
    const next = agents.find((a) => a.installed && !draft.rows.some((r) => r.agent === a.id));
    update({
      rows: [
        ...draft.rows,
        {
          key: Math.max(0, ...draft.rows.map((r) => r.key)) + 1,
          agent: next?.id ?? 'custom',
          count: 1,
          command: '',
          approval: 'off',
        },
      ],
    });
  };
  const total = totalCopies(draft);
  const agentName = (id: string) => agents.find((a) => a.id === id)?.name ?? id;
  const typeAgent = typeInfo?.agent;
  const defaultName = typeAgent ? agentName(typeAgent) : null;

  return (
    <div className="wizard-step" data-testid="wizard-step-session">
      <div className="field">
        <span className="field-label">Session type</span>
        <div className="type-cards">
          {types.map((t) => (
            <button
              key={t.type}
              className={draft.type === t.type ? 'type-card on' : 'type-card'}
              data-testid={`wizard-type-${t.type}`}
              onClick={() => update({ type: t.type, priority: t.priority, background: t.background })}
              aria-pressed={draft.type === t.type}
            >
              <strong>{t.title || typeLabels[t.type]}</strong>
              <span className="muted">{t.description}</span>
              <span className="faint type-sets">
                P{t.priority}
                {t.agent ? ` · ${agentName(t.agent)}` : ''}
                {t.skills.length ? ` · skills: ${t.skills.join(', ')}` : ''}
                {t.limits.memoryMb ? ` · ${t.limits.memoryMb} MB` : ''}
                {t.background ? ' · background' : ''}
              </span>
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <span className="field-label">Programs and copies</span>
        {draft.rows.map((row, i) => {
          const problem = fields.shown(`program:${row.key}`) ?? fields.shown(`count:${row.key}`);
          const problemId = problem ? `wz-row-${row.key}-problem` : undefined;
          return (
            <div key={row.key} className="agent-row-wrap">
              <div className="row agent-row">
                <input
                  type="number"
                  min={1}
                  max={50}
                  value={row.count}
                  style={{ width: 64 }}
                  aria-label={`Copies of program ${i + 1}`}
                  aria-invalid={fields.shown(`count:${row.key}`) ? true : undefined}
                  aria-describedby={problemId}
                  data-testid="wizard-copies"
                  onChange={(e) => setRow(row.key, { count: e.target.value === '' ? 0 : Number(e.target.value) })}
                />
                <span className="muted" aria-hidden>
                  ×
                </span>
                <select
                  value={row.agent}
                  style={{ flex: 1 }}
                  aria-label={`Program ${i + 1}`}
                  aria-invalid={fields.shown(`program:${row.key}`) ? true : undefined}
                  aria-describedby={problemId}
                  data-testid="wizard-agent"
                  onChange={(e) => setRow(row.key, { agent: e.target.value })}
                >
                  <option value="">
                    {defaultName ? `${defaultName} (default for this type)` : 'Default for this type'}
                  </option>
                  {agents.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                      {a.installed ? '' : ' (not installed)'}
                    </option>
                  ))}
                  <option value="custom">Custom command…</option>
                </select>
                {row.agent === 'custom' && (
                  <input
                    type="text"
                    className="mono"
                    style={{ flex: 1.4 }}
                    placeholder="my-agent --flag"
                    aria-label={`Command of program ${i + 1}`}
                    aria-invalid={fields.shown(`program:${row.key}`) ? true : undefined}
                    aria-describedby={problemId}
                    value={row.command}
                    data-testid="wizard-custom-command"
                    onChange={(e) => setRow(row.key, { command: e.target.value })}
                  />
                )}
                {draft.rows.length > 1 && (
                  <button
                    className="btn ghost icon"
                    aria-label={`Remove program ${i + 1}`}
                    onClick={() => update({ rows: draft.rows.filter((r) => r.key !== row.key) })}
                  >
                    ✕
                  </button>
                )}
              </div>
              {problem && (
                <span className="field-problem" id={problemId} role="alert" data-testid="wizard-program-problem">
                  {problem}
                </span>
              )}
              <div className="row agent-approval">
                <label className="faint" htmlFor={`wz-approval-${row.key}`}>
                  Approvals
                </label>
                <ApprovalSelect
                  id={`wz-approval-${row.key}`}
                  agentId={rowAgent(row)}
                  preset={agents.find((a) => a.id === rowAgent(row))}
                  value={row.approval}
                  label={`Approval policy of program ${i + 1}`}
                  testId="wizard-approval"
                  invalid={Boolean(fields.shown(`approval:${row.key}`))}
                  describedBy={fields.shown(`approval:${row.key}`) ? `wz-approval-${row.key}-problem` : undefined}
                  onChange={(v) => {
                    setRow(row.key, { approval: v });
                    fields.touch(`approval:${row.key}`);
                  }}
                />
              </div>
              {fields.shown(`approval:${row.key}`) && (
                <span className="field-problem" id={`wz-approval-${row.key}-problem`} role="alert">
                  {fields.shown(`approval:${row.key}`)}
                </span>
              )}
            </div>
          );
        })}
        {typeInfo && (
          <span className="hint" data-testid="wizard-default-reason">
            Default for this type: <strong>{agentName(typeInfo.agent)}</strong> — {typeInfo.agentReason}
          </span>
        )}
        <div className="row">
          <button className="btn small" onClick={addRow} data-testid="wizard-add-agent">
            + Add another program
          </button>
          <span className="muted">
            {total} session{total === 1 ? '' : 's'}, each in its own worktree and branch
          </span>
        </div>
        {fields.problems.copies && <span className="field-problem">{fields.problems.copies}</span>}
      </div>
      <div className="field">
        <label htmlFor="wz-prompt">Initial prompt (optional)</label>
        <textarea
          id="wz-prompt"
          rows={3}
          placeholder="Fix the flaky login test and explain the cause."
          value={draft.prompt}
          data-testid="wizard-prompt"
          onChange={(e) => update({ prompt: e.target.value })}
        />
      </div>
      <Field
        id="wz-name"
        label="Name"
        problem={fields.shown('name')}
        testId="wizard-name"
        hint="Names the branch too; copies get a number."
      >
        {(a) => (
          <input
            {...a}
            type="text"
            placeholder="fix-login"
            value={draft.name}
            data-testid="wizard-name"
            onChange={(e) => {
              update({ name: e.target.value });
              fields.touch('name');
            }}
          />
        )}
      </Field>
      <BranchPreview draft={draft} plans={plans} />
    </div>
  );
}
