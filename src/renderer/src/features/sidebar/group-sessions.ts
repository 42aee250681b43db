import type { Session } from '../../../../shared/domain';
import { baseName } from '../../lib/format';

export interface SessionGroup {
  key: string;
  title: string;
  subtitle: string;
  sessions: Session[];
}

export interface SessionFilter {
  search: string;
  status: string;
  type: string;
  showTerminated: boolean;
}

/** Applies the toolbar's search and filters. */
export function filterSessions(sessions: Session[], f: SessionFilter): Session[] {
  const q = f.search.trim().toLowerCase();
  return sessions.filter((s) => {
    if (s.status === 'terminated' && !f.showTerminated && f.status !== 'terminated') return false;
    if (f.status !== 'all' && s.status !== f.status) return false;
    if (f.type !== 'all' && s.type !== f.type) return false;
    if (!q) return true;
    return [s.name, s.branch, s.repoPath, s.program, s.agent, s.type].some((v) => v.toLowerCase().includes(q));
  });
}

/** Groups by repository (by name, path as subtitle); background sessions get a group of their own. */
export function groupSessions(sessions: Session[]): SessionGroup[] {
  const groups = new Map<string, SessionGroup>();
  const background: Session[] = [];
  for (const s of sessions) {
    if (s.background) {
      background.push(s);
      continue;
    }
    let g = groups.get(s.repoPath);
    if (!g) {
      g = { key: s.repoPath, title: baseName(s.repoPath), subtitle: s.repoPath, sessions: [] };
      groups.set(s.repoPath, g);
    }
    g.sessions.push(s);
  }
  const list = [...groups.values()].sort((a, b) => a.title.localeCompare(b.title));
  for (const g of list) g.sessions.sort((a, b) => a.createdAt - b.createdAt);
  if (background.length > 0) {
    list.push({
      key: '__background',
      title: 'Background',
      subtitle: 'Sessions running without a tab',
      sessions: background,
    });
  }
  return list;
}
