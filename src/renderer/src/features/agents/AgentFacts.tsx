import { useState } from 'react';
import type { ApprovalPolicy, Session } from '../../../../shared/domain';
import { isRunningStatus, isTerminatedStatus } from '../../../../shared/session-state';
import { errorText, useAgents, useRequest } from '../../lib/queries';
import { ApprovalSelect } from './ApprovalSelect';
import {
  approvalFromValue,
  approvalText,
  approvalValue,
  changeNeedsRestart,
  formatCost,
  formatTokens,
  statusReportingHint,
  statusSourceText,
} from './approval';
import './agents.css';

/**
 * The agent side of a session in the detail pane: why this program, its approval policy (changeable
 * while it runs), where its status comes from, its port block and what it has cost so far.
 */
export function AgentFacts({ session: s }: { session: Session }) {
  const preset = (useAgents().data ?? []).find((a) => a.id === s.agent);
  const ended = isTerminatedStatus(s.status);
  return (
    <section className="agent-facts" data-testid="agent-facts" aria-label="Agent">
      <div className="detail-kv agent-kv">
        <span className="faint">Program</span>
        <span data-testid="detail-program">
          {preset?.name ?? s.program.split('/').pop()}
          {s.agentReason && (
            <span className="faint" data-testid="detail-agent-reason">
              {' '}
              — {s.agentReason}
            </span>
          )}
        </span>
        <span className="faint">Approval</span>
        <ApprovalRow session={s} disabled={ended} />
        <span className="faint">Status</span>
        <span data-testid="detail-status-source" title={statusReportingHint(preset)}>
          {statusSourceText(s, preset)}
        </span>
        <span className="faint">Ports</span>
        <span
          data-testid="detail-ports"
          title={
            s.ports
              ? 'Its programs get PORT and MULTISESSION_PORT (the first), MULTISESSION_PORT_BASE, _COUNT and _RANGE'
              : undefined
          }
        >
          {s.ports ? (
            <>
              <span className="mono">
                {s.ports.base}–{s.ports.base + s.ports.count - 1}
              </span>
              <span className="faint">
                {' '}
                · <span className="mono">$PORT</span> {s.ports.base}
              </span>
            </>
          ) : (
            <span className="faint">{ended ? 'released' : 'a block of its own from the first start'}</span>
          )}
        </span>
        <span className="faint">Usage</span>
        <UsageValue session={s} measured={Boolean(preset) && s.agent !== 'shell'} />
      </div>
    </section>
  );
}

function UsageValue({ session: s, measured }: { session: Session; measured: boolean }) {
  const refresh = useRequest('usage.refresh');
  const u = s.usage;
  if (!u) {
    return (
      <span className="faint" data-testid="detail-usage">
        {measured ? 'nothing recorded yet (read from the agent’s own logs)' : 'not measured for this program'}
      </span>
    );
  }
  const tokens = `${formatTokens(u.inputTokens)} in · ${formatTokens(u.outputTokens)} out`;
  const cache = u.cacheReadTokens + u.cacheWriteTokens;
  return (
    <span className="row kv-value usage-value" data-testid="detail-usage">
      <strong data-testid="detail-cost" title="Estimated from the agent’s own token records and the price table">
        {formatCost(u.costUsd)}
      </strong>
      <span className="faint truncate" title={u.models.join(', ')}>
        {tokens}
        {cache > 0 ? ` · ${formatTokens(cache)} cache` : ''}
        {u.unpricedTokens > 0 ? ` · ${formatTokens(u.unpricedTokens)} unpriced` : ''}
      </span>
      <button
        className="btn ghost small icon"
        aria-label="Read usage now"
        title="Read the agent’s records now"
        disabled={refresh.isPending}
        onClick={() => refresh.mutate({ sessionIds: [s.id] })}
      >
        ↻
      </button>
    </span>
  );
}

/** The policy, changeable; a change of the agent's own mode on a running program asks when to apply it. */
function ApprovalRow({ session: s, disabled }: { session: Session; disabled: boolean }) {
  const preset = (useAgents().data ?? []).find((a) => a.id === s.agent);
  const set = useRequest('sessions.setApproval');
  const [pending, setPending] = useState<ApprovalPolicy | null>(null);
  const apply = (approval: ApprovalPolicy, restart: boolean) => {
    setPending(null);
    set.mutate({ sessionId: s.id, approval, restart });
  };
  const choose = (value: string) => {
    const next = approvalFromValue(value);
    if (isRunningStatus(s.status) && changeNeedsRestart(s.approval, next)) setPending(next);
    else apply(next, false);
  };
  const name = preset?.name ?? 'The agent';
  return (
    <span className="approval-row" data-testid="detail-approval">
      <span className="row kv-value">
        <ApprovalSelect
          id={`approval-${s.id}`}
          agentId={s.agent}
          preset={preset}
          value={approvalValue(pending ?? s.approval)}
          disabled={disabled || set.isPending}
          label={`Approval policy of ${s.name}`}
          onChange={choose}
          testId="detail-approval-select"
        />
        {s.approval.policy === 'auto-yes' && (
          <span className="faint" data-testid="detail-auto-approved">
            {s.autoApproved} answered
          </span>
        )}
      </span>
      {pending && (
        <span className="warn-box approval-restart" role="alert" data-testid="approval-restart-question">
          <span>
            {name} takes “{approvalText(pending, preset)}” when it starts. Restarting now starts the conversation over —
            what it has not saved to files is lost.
          </span>
          <span className="row wrap">
            <button className="btn small" data-testid="approval-restart-now" onClick={() => apply(pending, true)}>
              Restart now
            </button>
            <button className="btn small" data-testid="approval-next-start" onClick={() => apply(pending, false)}>
              At next start
            </button>
            <button className="btn ghost small" onClick={() => setPending(null)}>
              Cancel
            </button>
          </span>
        </span>
      )}
      {set.error && (
        <span className="field-problem" role="alert">
          {errorText(set.error)}
        </span>
      )}
    </span>
  );
}
