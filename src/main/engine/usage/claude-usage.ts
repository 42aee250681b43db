import { readdirSync } from 'node:fs';
import { join } from 'node:path';
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

/** Claude Code keeps one JSONL transcript per conversation under `<config>/projects/<cwd slug>/`. */
export function claudeProjectDirs({ home, env }: UsageEnv): string[] {
  const configured = (env.CLAUDE_CONFIG_DIR ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const roots = configured.length ? configured : [join(home, '.config', 'claude'), join(home, '.claude')];
  return roots.map((r) => join(r, 'projects'));
}

/** Claude Code's folder name for a working directory: every non-alphanumeric character becomes '-'. */
export function claudeSlug(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

const LIMIT_TEXT = /usage limit|rate limit|limit reached|hit your limit|quota|overloaded/i;

/**
 * Claude Code writes its limit notice as "Claude AI usage limit reached|<reset time, epoch seconds>";
 * the notification says when the limit resets instead of showing the raw number.
 */
export function limitMessage(text: string): string {
  const m = /^(.*?)\|(\d{9,11})\s*$/.exec(text.trim());
  if (!m) return text.trim();
  const reset = new Date(Number(m[2]) * 1000);
  return `${m[1].trim()} — resets ${reset.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}.`;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((c) => (isObj(c) && typeof c.text === 'string' ? c.text : '')).join(' ');
  return '';
}

/**
 * Assistant messages' usage from the transcripts of the worktree (and folders inside it). Claude
 * writes one line per content block with the same message id and usage, so records are keyed by
 * message and request id.
 */
export function readClaudeUsage(target: UsageTarget, uenv: UsageEnv, cursors: FileCursor): ReadResult {
  const result: ReadResult = { records: [], notices: [] };
  const slug = claudeSlug(target.worktreePath);
  for (const projects of claudeProjectDirs(uenv)) {
    let dirs: string[];
    try {
      dirs = readdirSync(projects).filter((d) => d === slug || d.startsWith(`${slug}-`));
    } catch {
      continue;
    }
    for (const dir of dirs) {
      let files: string[];
      try {
        files = readdirSync(join(projects, dir)).filter((f) => f.endsWith('.jsonl'));
      } catch {
        continue;
      }
      for (const f of files) {
        for (const { value } of readNewJsonLines(join(projects, dir, f), cursors)) {
          if (!isObj(value) || !insideWorktree(value.cwd, target.worktreePath)) continue;
          const t = timeOf(value.timestamp);
          if (t < target.since) continue;
          const msg = value.message;
          if (!isObj(msg)) continue;
          if (value.isApiErrorMessage === true || (value.type === 'assistant' && msg.model === '<synthetic>')) {
            const text = textOf(msg.content);
            if (LIMIT_TEXT.test(text))
              result.notices.push({ key: `claude:${String(value.uuid ?? t)}`, t, message: limitMessage(text) });
            continue;
          }
          if (value.type !== 'assistant' || !isObj(msg.usage)) continue;
          const u = msg.usage;
          result.records.push({
            key: `claude:${String(msg.id ?? value.uuid)}:${String(value.requestId ?? '')}`,
            t,
            model: typeof msg.model === 'string' ? msg.model : 'unknown',
            input: num(u.input_tokens),
            output: num(u.output_tokens),
            cacheRead: num(u.cache_read_input_tokens),
            cacheWrite: num(u.cache_creation_input_tokens),
            costUsd: null,
          });
        }
      }
    }
  }
  return result;
}
