import { useQueryClient } from '@tanstack/react-query';
import { errorText, keys, useOlderHosts, useRequest } from '../../lib/queries';

const NAMES_SHOWN = 6;

/**
 * After an update: sessions still running in the terminal host of the older version. They are not
 * lost; one click moves them here (stopped there with their screen kept, started in this version's
 * host resuming their conversations) and the older host exits once it runs nothing.
 */
export function OlderHostBanner() {
  const qc = useQueryClient();
  const hosts = useOlderHosts(true);
  const move = useRequest('sessions.restartHere');
  const held = (hosts.data ?? []).flatMap((h) => h.sessions.filter((x) => x.name !== null));
  if (held.length === 0 && !move.data) return null;
  if (held.length === 0 && move.data && move.data.failed.length === 0) return null;
  const versions = [...new Set((hosts.data ?? []).map((h) => h.appVersion))].join(', ');
  const shown = held.slice(0, NAMES_SHOWN).map((x) => x.name);
  const more = held.length - shown.length;
  return (
    <div className="older-host-banner" role="status" data-testid="older-host-banner">
      {held.length > 0 && (
        <span>
          <strong>
            {held.length} session{held.length === 1 ? ' still runs' : 's still run'} in the terminal host of
            Multisession {versions}
          </strong>{' '}
          (from before the update; nothing is lost): {shown.join(', ')}
          {more > 0 ? ` and ${more} more` : ''}.
        </span>
      )}
      {move.data && move.data.failed.length > 0 && (
        <span className="wizard-problem" data-testid="older-host-failed">
          {move.data.failed.length} could not be moved: {move.data.failed[0].message}
        </span>
      )}
      {move.isError && <span className="wizard-problem">{errorText(move.error)}</span>}
      {held.length > 0 && (
        <button
          type="button"
          className="btn small primary"
          data-testid="older-host-restart-here"
          disabled={move.isPending}
          title="Stop each one there (its screen is kept) and start it in this version, resuming its conversation"
          onClick={() => move.mutate({}, { onSettled: () => void qc.invalidateQueries({ queryKey: keys.olderHosts }) })}
        >
          {move.isPending ? 'Restarting…' : 'Restart them here'}
        </button>
      )}
    </div>
  );
}
