import { sessionStatuses, sessionTypes } from '../../../../shared/domain';
import { statusLabels, typeLabels } from '../../lib/status';
import { setUi, useUi } from '../../lib/ui-store';

/** Search box plus status and type filters; they narrow the sidebar. */
export function SearchFilters() {
  const search = useUi((s) => s.search);
  const status = useUi((s) => s.statusFilter);
  const type = useUi((s) => s.typeFilter);
  return (
    <div className="search-filters">
      <input
        type="search"
        className="search"
        placeholder="Search sessions  /"
        value={search}
        data-testid="toolbar-search"
        aria-label="Search sessions"
        onChange={(e) => setUi({ search: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setUi({ search: '' });
            e.currentTarget.blur();
          }
        }}
      />
      <select
        value={status}
        aria-label="Filter by status"
        data-testid="toolbar-status-filter"
        onChange={(e) => setUi({ statusFilter: e.target.value })}
      >
        <option value="all">Any status</option>
        {sessionStatuses.map((s) => (
          <option key={s} value={s}>
            {statusLabels[s]}
          </option>
        ))}
      </select>
      <select
        value={type}
        aria-label="Filter by type"
        data-testid="toolbar-type-filter"
        onChange={(e) => setUi({ typeFilter: e.target.value })}
      >
        <option value="all">Any type</option>
        {sessionTypes.map((t) => (
          <option key={t} value={t}>
            {typeLabels[t]}
          </option>
        ))}
      </select>
    </div>
  );
}
