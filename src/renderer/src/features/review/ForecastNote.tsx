import type { Session } from '../../../../shared/domain';
import { useSessions } from '../../lib/queries';
import { sessionConflicts, useForecast } from './review-queries';
import { openConflicts } from './review-ui';

/** What the conflict forecast says about this session, with a way to the full matrix. */
export function ForecastNote({ session }: { session: Session }) {
  const forecast = sessionConflicts(useForecast().data, session.id);
  const names = new Map((useSessions().data ?? []).map((s) => [s.id, s.name]));
  if (!forecast) return null;
  const { withOthers, base } = forecast;
  const clean = withOthers.length === 0 && !base?.conflict;
  return (
    <div className={clean ? 'forecast-note ok' : 'forecast-note warn'} data-testid="forecast-note">
      <span>
        {clean
          ? 'Forecast: merges cleanly with the base and every other live session.'
          : [
              base?.conflict ? `conflicts with ${session.baseBranch} in ${base.files.join(', ')}` : null,
              ...withOthers.map((w) => `conflicts with ${names.get(w.other) ?? w.other} in ${w.files.join(', ')}`),
            ]
              .filter(Boolean)
              .join('; ')
              .replace(/^./, (c) => `Forecast: ${c}`)}
      </span>
      <button type="button" className="btn ghost small" onClick={() => openConflicts(forecast.repoPath)}>
        Conflict matrix
      </button>
    </div>
  );
}
