import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readNewJsonLines } from './jsonl-reader';
import {
  insideWorktree,
  isObj,
  num,
  timeOf,
  type FileCursor,
  type ReadResult,
  type UsageEnv,
  type UsageTarget,
} from './usage-types';

/** Codex writes `<CODEX_HOME>/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl`, one file per conversation. */
export function codexSessionsDir({ home, env }: UsageEnv): string {
  return join(env.CODEX_HOME || join(home, '.codex'), 'sessions');
}

/** Notices at or above this share of a rate-limit window. */
const LIMIT_WARN_PERCENT = 90;

function dayDirs(root: string, since: number): string[] {
  const out: string[] = [];
  // A day before `since` too: the folder is the local date the conversation started.
  const first = new Date(since - 86_400_000);
  const firstKey = `${first.getFullYear()}${String(first.getMonth() + 1).padStart(2, '0')}${String(first.getDate()).padStart(2, '0')}`;
  const list = (p: string) => {
    try {
      return readdirSync(p).filter((d) => /^\d+$/.test(d));
    } catch {
      return [];
    }
  };
  for (const y of list(root))
    for (const m of list(join(root, y)))
      for (const d of list(join(root, y, m))) if (`${y}${m}${d}` >= firstKey) out.push(join(root, y, m, d));
  return out;
}

/** The conversations whose working directory is the worktree, remembered once seen. */
const fileCwd = new Map<string, string | null>();

/**
 * Token usage of the worktree's Codex conversations: `token_count` events carry the last call's
 * usage (`last_token_usage`) and running totals; `turn_context` names the model; `rate_limits`
 * says how much of the 5-hour and weekly windows is used.
 */
export function readCodexUsage(target: UsageTarget, uenv: UsageEnv, cursors: FileCursor): ReadResult {
  const result: ReadResult = { records: [], notices: [] };
  for (const dir of dayDirs(codexSessionsDir(uenv), target.since)) {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.startsWith('rollout-') && f.endsWith('.jsonl'));
    } catch {
      continue;
    }
    for (const f of files) {
      const file = join(dir, f);
      if (fileCwd.has(file) && !insideWorktree(fileCwd.get(file), target.worktreePath)) continue;
      const key = `${file}#model`;
      let model = modelOf.get(key) ?? 'unknown';
      for (const { value } of readNewJsonLines(file, cursors)) {
        if (!isObj(value) || !isObj(value.payload)) continue;
        const p = value.payload;
        if (value.type === 'session_meta') {
          fileCwd.set(file, typeof p.cwd === 'string' ? p.cwd : null);
          continue;
        }
        if (!insideWorktree(fileCwd.get(file), target.worktreePath)) break;
        const t = timeOf(value.timestamp);
        if (value.type === 'turn_context' && typeof p.model === 'string') {
          model = p.model;
          modelOf.set(key, model);
          continue;
        }
        if (value.type !== 'event_msg') continue;
        if (p.type === 'error' && typeof p.message === 'string' && /limit|quota/i.test(p.message)) {
          result.notices.push({ key: `codex:${basename(file)}:${t}`, t, message: p.message });
          continue;
        }
        if (p.type !== 'token_count' || t < target.since) continue;
        const info = isObj(p.info) ? p.info : null;
        const last = info && isObj(info.last_token_usage) ? info.last_token_usage : null;
        const total = info && isObj(info.total_token_usage) ? info.total_token_usage : null;
        if (last && total) {
          const cached = num(last.cached_input_tokens);
          result.records.push({
            // Running totals only grow, so they name each call; a repeated event adds nothing.
            key: `codex:${basename(file)}:${num(total.total_tokens)}`,
            t,
            model,
            input: Math.max(0, num(last.input_tokens) - cached),
            output: num(last.output_tokens),
            cacheRead: cached,
            cacheWrite: 0,
            costUsd: null,
          });
        }
        const limits = isObj(p.rate_limits) ? p.rate_limits : null;
        for (const which of ['primary', 'secondary'] as const) {
          const w = limits && isObj(limits[which]) ? limits[which] : null;
          if (!w || num(w.used_percent) < LIMIT_WARN_PERCENT) continue;
          const window = num(w.window_minutes);
          const resets =
            num(w.resets_at) || (num(w.resets_in_seconds) ? Math.round(t / 1000) + num(w.resets_in_seconds) : 0);
          const span = window >= 1440 ? 'weekly' : `${Math.round(window / 60) || 5}-hour`;
          result.notices.push({
            key: `codex:${which}:${window}:${Math.round(resets / 600)}`,
            t,
            message: `Codex has used ${Math.round(num(w.used_percent))}% of its ${span} limit${resets ? ` (resets ${new Date(resets * 1000).toLocaleString()})` : ''}.`,
          });
        }
      }
    }
  }
  return result;
}

const modelOf = new Map<string, string>();
