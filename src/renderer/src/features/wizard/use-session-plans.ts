import { useQueries } from '@tanstack/react-query';
import type { AppErrorShape } from '../../../../shared/errors';
import type { SessionPlan } from '../../../../shared/session-plan';
import { getClient } from '../../lib/client';
import { keys } from '../../lib/queries';
import { createInput, type AgentRow, type WizardDraft } from './wizard-draft';

export interface RowPlan {
  row: AgentRow;
  plans: SessionPlan[] | null;
  error: AppErrorShape | null;
  loading: boolean;
}

/**
 * The host's plan (sessions.plan) of every wizard row: the exact names, branches, programs and
 * limits Create will apply. Asked again whenever the (debounced) draft changes; nothing is created.
 */
export function useSessionPlans(draft: WizardDraft, enabled: boolean): RowPlan[] {
  const inputs = draft.rows.map((row) => {
    const input = createInput(draft, row, 'plan');
    delete input.operationId;
    return input;
  });
  const results = useQueries({
    queries: inputs.map((input) => ({
      queryKey: keys.sessionPlan(JSON.stringify(input)),
      queryFn: async () => {
        // A refusal is an answer to show, not a failed query to retry.
        const r = await getClient().request('sessions.plan', input);
        return r.ok ? { plans: r.value, error: null } : { plans: null, error: r.error };
      },
      enabled,
      staleTime: 10_000,
      retry: false,
    })),
  });
  return draft.rows.map((row, i) => {
    const r = results[i];
    return {
      row,
      plans: r?.data?.plans ?? null,
      error: r?.data?.error ?? null,
      loading: enabled && (r?.isFetching ?? false),
    };
  });
}
