// Line coverage per room of the app from Vitest's V8 JSON summary (reports/coverage): the engine's
// rooms (engine/git, engine/sessions, …) one by one, the other rooms of src/ as a whole each.
// Only code that ran inside the Vitest workers counts: the built hosts and CLIs that integration
// tests start as separate processes are not measured here.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The room a source file belongs to: engine/<room>, else the first folder under src/main or src. */
export function roomOf(file) {
  const parts = file.split(sep).join('/').split('/');
  if (parts[0] !== 'src') return null;
  if (parts[1] === 'main' && parts[2] === 'engine') return parts.length > 4 ? `engine/${parts[3]}` : 'engine';
  if (parts[1] === 'main') return parts.length > 3 ? `main/${parts[2]}` : 'main';
  return parts[1];
}

/** { room: { covered, total, pct } } from a coverage-summary.json, plus 'engine (all rooms)' and 'all'. */
export function coverageByRoom(root) {
  const file = join(root, 'reports/coverage/coverage-summary.json');
  if (!existsSync(file)) return null;
  const summary = JSON.parse(readFileSync(file, 'utf8'));
  const rooms = {};
  const add = (name, lines) => {
    const r = (rooms[name] ??= { covered: 0, total: 0 });
    r.covered += lines.covered;
    r.total += lines.total;
  };
  for (const [path, entry] of Object.entries(summary)) {
    if (path === 'total') continue;
    const room = roomOf(relative(root, path));
    if (!room) continue;
    add(room, entry.lines);
    if (room.startsWith('engine')) add('engine (all rooms)', entry.lines);
    add('all of src', entry.lines);
  }
  for (const r of Object.values(rooms)) r.pct = r.total ? (100 * r.covered) / r.total : 100;
  return rooms;
}
