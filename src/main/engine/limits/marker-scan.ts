import { readdirSync, readFileSync } from 'node:fs';

/**
 * The fallback's way to find a session's escaped processes (setsid, double fork: no longer our
 * descendants): every child of a session carries `MULTISESSION_SESSION_ID=<id>` in its
 * environment, and children inherit it. Reads /proc/<pid>/environ of the processes we may read.
 */
export function pidsWithMarker(sessionIds: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>(sessionIds.map((id) => [id, []]));
  if (process.platform !== 'linux' || sessionIds.length === 0) return out;
  const needles = sessionIds.map((id) => ({ id, text: `\0MULTISESSION_SESSION_ID=${id}\0` }));
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    let env: string;
    try {
      env = `\0${readFileSync(`/proc/${name}/environ`, 'latin1')}`;
    } catch {
      continue;
    }
    for (const n of needles) if (env.includes(n.text)) out.get(n.id)!.push(Number(name));
  }
  return out;
}
