import { useEffect } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { DiffScope, RepoForecast, ReviewState } from '../../../../shared/review';
import { getClient } from '../../lib/client';
import { call, keys } from '../../lib/queries';

// Review data is kept current by `review.changed` events (file-system and git activity in the
// worktree), so queries never go stale on a timer and never poll.
const live = { staleTime: Infinity, refetchOnWindowFocus: false } as const;

export const useChanges = (id: string) =>
  useQuery({ queryKey: keys.reviewChanges(id), queryFn: () => call('review.changes', { sessionId: id }), ...live });

export const useCommits = (id: string) =>
  useQuery({ queryKey: keys.reviewCommits(id), queryFn: () => call('review.commits', { sessionId: id }), ...live });

export const useReviewDiff = (id: string, scope: DiffScope, commit: string | null) =>
  useQuery({
    queryKey: keys.reviewDiff(id, scope, commit),
    queryFn: () => call('review.diff', { sessionId: id, scope, commit: commit ?? undefined }),
    enabled: scope !== 'commit' || Boolean(commit),
    placeholderData: (prev) => prev,
    ...live,
  });

/** Ahead/behind the base; the first answer fetches the base's remote, refreshes after that do not. */
export function useBaseStatus(id: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: keys.reviewBase(id),
    queryFn: () =>
      call('review.baseStatus', { sessionId: id, fetch: qc.getQueryData(keys.reviewBase(id)) === undefined }),
    ...live,
  });
}

export const useReviewState = (id: string) =>
  useQuery({
    queryKey: keys.reviewState(id),
    queryFn: () => call('review.state', { sessionId: id, refreshPr: true }),
    ...live,
  });

/** Forecasts of every repository with live sessions, kept current by `review.forecast` events. */
export const useForecast = () =>
  useQuery({ queryKey: keys.forecast, queryFn: () => call('review.forecast', {}), ...live });

export const useCompare = (groupId: string) =>
  useQuery({ queryKey: keys.compare(groupId), queryFn: () => call('review.compare', { groupId }), ...live });

/** The forecast's view of one session: the sessions and files it would conflict with. */
export function sessionConflicts(forecasts: RepoForecast[] | undefined, sessionId: string) {
  const f = forecasts?.find((x) => x.sessionIds.includes(sessionId));
  if (!f) return null;
  const withOthers = f.pairs
    .filter((p) => p.conflict && (p.a === sessionId || p.b === sessionId))
    .map((p) => ({ other: p.a === sessionId ? p.b : p.a, files: p.files }));
  const base = f.vsBase.find((v) => v.sessionId === sessionId) ?? null;
  return { repoPath: f.repoPath, withOthers, base };
}

function attachReviewUpdates(qc: QueryClient): () => void {
  const c = getClient();
  const offs = [
    c.on('review.changed', ({ sessionId }) => {
      void qc.invalidateQueries({ queryKey: keys.review(sessionId) });
      void qc.invalidateQueries({ queryKey: ['review-compare'] });
    }),
    c.on('review.forecast', ({ forecast }) => {
      qc.setQueryData<RepoForecast[]>(keys.forecast, (list) =>
        list ? [...list.filter((f) => f.repoPath !== forecast.repoPath), forecast] : [forecast],
      );
    }),
    c.on('review.state', ({ state }) => {
      qc.setQueryData<ReviewState>(keys.reviewState(state.sessionId), state);
      void qc.invalidateQueries({ queryKey: ['review-compare'] });
    }),
    // A terminated or removed session leaves the forecast.
    c.on('sessions.removed', () => void qc.invalidateQueries({ queryKey: keys.forecast })),
  ];
  return () => offs.forEach((off) => off());
}

/** Mount once: review queries follow the host's review events. */
export function useReviewLiveUpdates(): void {
  const qc = useQueryClient();
  useEffect(() => attachReviewUpdates(qc), [qc]);
}
