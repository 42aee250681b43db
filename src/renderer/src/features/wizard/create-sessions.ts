import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { EventPayload } from '../../../../shared/contract';
import type { Session } from '../../../../shared/domain';
import { getClient } from '../../lib/client';
import { paneSize } from '../terminals/pane-size';
import { createInput, type AgentRow, type WizardDraft } from './wizard-draft';

export interface RowResult {
  state: 'pending' | 'ok' | 'error';
  sessions: Session[];
  code: string | null;
  message: string | null;
}

type Progress = EventPayload<'progress'>;

/** Which step fixes a create error, and what to do there. */
export const errorFixes: Record<string, { step: number; hint: string }> = {
  NOT_A_REPOSITORY: { step: 0, hint: 'Pick a folder that contains a .git directory.' },
  NOT_A_DIRECTORY: { step: 0, hint: 'Pick an existing folder.' },
  BARE_REPOSITORY: { step: 0, hint: 'Pick a normal (non-bare) clone.' },
  EMPTY_REPOSITORY: { step: 0, hint: 'Make a first commit in the repository, then try again.' },
  PROGRAM_NOT_FOUND: { step: 1, hint: 'Install the program or choose another one in step 2.' },
  INVALID_NAME: { step: 1, hint: 'Change the session name in step 2.' },
  BRANCH_EXISTS: { step: 2, hint: 'Choose another branch name in step 3, or work on the existing branch.' },
  BRANCH_NOT_FOUND: { step: 2, hint: 'Choose a branch that exists in step 3.' },
  INVALID_BRANCH_NAME: { step: 2, hint: 'Git does not accept that branch name — change it in step 3.' },
  SKILL_NOT_FOUND: { step: 1, hint: 'Pick another session type in step 2.' },
  UNTRUSTED_SCRIPT: { step: 4, hint: 'The repository’s script is not the content you trusted — read it above again.' },
};

function newOperationId(): string {
  return `wizard-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Runs one `sessions.create` per wizard row and follows their `progress` events. */
export function useCreateSessions() {
  const [results, setResults] = useState<Record<number, RowResult>>({});
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [running, setRunning] = useState(false);
  const [opId] = useState(newOperationId);
  const qc = useQueryClient();

  useEffect(
    () =>
      getClient().on('progress', (p) => {
        if (p.operationId !== opId) return;
        setProgress((m) => ({ ...m, [p.sessionId ?? `op:${p.step}`]: p }));
      }),
    [opId],
  );

  const create = useCallback(
    async (draft: WizardDraft, rows: AgentRow[]): Promise<Session[] | null> => {
      setRunning(true);
      // A new attempt starts clean: no progress lines or errors left from the last one.
      setProgress({});
      setResults((r) => {
        const next = { ...r };
        for (const row of rows) next[row.key] = { state: 'pending', sessions: [], code: null, message: null };
        return next;
      });
      const outcomes = await Promise.all(
        rows.map(async (row) => {
          const res = await getClient().request('sessions.create', createInput(draft, row, opId, paneSize()));
          const result: RowResult = res.ok
            ? { state: 'ok', sessions: res.value, code: null, message: null }
            : { state: 'error', sessions: [], code: res.error.code, message: res.error.message };
          setResults((r) => ({ ...r, [row.key]: result }));
          return result;
        }),
      );
      setRunning(false);
      // A repository script changed after the review showed it: show what is on disk now.
      if (outcomes.some((o) => o.code === 'UNTRUSTED_SCRIPT')) void qc.invalidateQueries({ queryKey: ['sessionPlan'] });
      return outcomes.every((o) => o.state === 'ok') ? outcomes.flatMap((o) => o.sessions) : null;
    },
    [opId, qc],
  );

  /** Forgets failed rows' errors and finished progress (the draft changed); created rows stay. */
  const reset = useCallback(() => {
    setResults((r) => {
      const entries = Object.entries(r).filter(([, v]) => v.state !== 'error');
      return entries.length === Object.keys(r).length ? r : Object.fromEntries(entries);
    });
    setProgress((m) => {
      const entries = Object.entries(m).filter(([, v]) => !v.error);
      return entries.length === Object.keys(m).length ? m : Object.fromEntries(entries);
    });
  }, []);

  return { create, results, progress, running, reset };
}
