import { useQuery } from '@tanstack/react-query';
import { call, keys } from '../../lib/queries';
import { sessionConflicts, useForecast } from './review-queries';

/**
 * Small marks on a sidebar row: forecast conflicts (with the base or other sessions) and the pull
 * request's state when one is known. Plain text inside the row's button, never a control of its own.
 */
export function ReviewBadges({ sessionId }: { sessionId: string }) {
  const forecast = sessionConflicts(useForecast().data, sessionId);
  // Stored state only (no gh call per row); the review views refresh the pull request's state.
  const state = useQuery({
    queryKey: keys.reviewState(sessionId),
    queryFn: () => call('review.state', { sessionId, refreshPr: false }),
    staleTime: Infinity,
  }).data;
  const count = (forecast?.withOthers.length ?? 0) + (forecast?.base?.conflict ? 1 : 0);
  const files = [
    ...new Set([...(forecast?.withOthers.flatMap((w) => w.files) ?? []), ...(forecast?.base?.files ?? [])]),
  ];
  return (
    <>
      {count > 0 && (
        <span
          className="chip warn"
          data-testid={`forecast-badge-${sessionId}`}
          title={`Would conflict (${files.join(', ')})`}
        >
          ⚠ {count}
        </span>
      )}
      {state?.pullRequest && <span className="chip">PR {state.pullRequest.state.toLowerCase()}</span>}
      {state?.merged && <span className="chip merged">merged</span>}
    </>
  );
}
