import type { AgentPreset } from '../../../../shared/domain';
import './agents.css';
import { approvalChoices, type ApprovalValue } from './approval';

interface Props {
  id: string;
  agentId: string;
  preset: AgentPreset | undefined;
  value: ApprovalValue;
  label: string;
  disabled?: boolean;
  testId?: string;
  describedBy?: string;
  invalid?: boolean;
  onChange(value: ApprovalValue): void;
}

/** Off, the agent's own approval modes (from the host's catalog), or auto-yes. */
export function ApprovalSelect({
  id,
  agentId,
  preset,
  value,
  label,
  disabled,
  testId,
  describedBy,
  invalid,
  onChange,
}: Props) {
  const choices = approvalChoices(agentId, preset);
  // A stored value the catalog no longer lists is still shown as it is, not silently changed.
  const known = choices.some((c) => c.value === value);
  return (
    <select
      id={id}
      className="approval-select"
      value={value}
      aria-label={label}
      aria-describedby={describedBy}
      aria-invalid={invalid ? true : undefined}
      disabled={disabled}
      data-testid={testId}
      onChange={(e) => onChange(e.target.value)}
    >
      {!known && <option value={value}>{value}</option>}
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  );
}
