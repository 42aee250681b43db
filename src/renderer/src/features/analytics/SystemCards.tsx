import { useEffect, useState } from 'react';
import type { SystemStatus } from '../../../../shared/domain';
import { getClient } from '../../lib/client';
import { formatCost, formatTokens } from '../agents/approval';

/** Uptime as the two largest units: "3 h 12 min", "45 s". */
export function formatDuration(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/** The host's success rate (a percentage) for a card; a dash before any command ran. */
export function formatRate(pct: number, commands: number): string {
  if (commands === 0) return '—';
  return `${pct.toFixed(pct >= 99.95 || pct === 0 ? 0 : 1)}%`;
}

function useSystemStatus(): SystemStatus | null {
  const [status, setStatus] = useState<SystemStatus | null>(null);
  useEffect(() => {
    const client = getClient();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let cancelled = false;
    const load = () => {
      timer = null;
      void client.request('metrics.system', {}).then((r) => !cancelled && r.ok && setStatus(r.value));
    };
    // Many events can arrive together (a batch finishing); one refresh per second is plenty.
    const soon = () => {
      if (!timer) timer = setTimeout(load, 1000);
    };
    load();
    const offs = [
      client.on('metrics.sample', soon),
      client.on('sessions.changed', soon),
      client.on('sessions.removed', soon),
    ];
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
      for (const off of offs) off();
    };
  }, []);
  return status;
}

function Card({ name, label, value, hint }: { name: string; label: string; value: string; hint?: string }) {
  return (
    <div className="an-card" data-testid={`analytics-card-${name}`}>
      <div className="an-card-label">{label}</div>
      <div className="an-card-value">{value}</div>
      {hint && <div className="an-card-hint">{hint}</div>}
    </div>
  );
}

/** The headline numbers: sessions, active, worktrees, command success rate, host uptime. */
export function SystemCards() {
  const s = useSystemStatus();
  const v = (n: number | undefined) => (n === undefined ? '…' : String(n));
  return (
    <div className="an-cards">
      <Card name="total" label="Total sessions" value={v(s?.totalSessions)} />
      <Card
        name="active"
        label="Active"
        value={v(s?.activeSessions)}
        hint={s ? `${s.runningPrograms} running, ${s.queuedSessions} queued` : undefined}
      />
      <Card name="worktrees" label="Worktrees" value={v(s?.gitWorktrees)} />
      <Card
        name="success-rate"
        label="Command success"
        value={s ? formatRate(s.successRate, s.commandsExecuted) : '…'}
        hint={s ? `${s.commandsExecuted} command${s.commandsExecuted === 1 ? '' : 's'}` : undefined}
      />
      <Card
        name="cost"
        label="Cost so far"
        value={s ? formatCost(s.usage?.costUsd ?? 0) : '…'}
        hint={
          s?.usage
            ? `${formatTokens(s.usage.inputTokens + s.usage.outputTokens)} tokens in/out, all sessions`
            : undefined
        }
      />
      <Card name="uptime" label="Uptime" value={s ? formatDuration(s.uptimeSec) : '…'} />
    </div>
  );
}
