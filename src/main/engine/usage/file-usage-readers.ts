import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonValue } from '../../../shared/json';
import { changedSinceRead, readNewLines } from './jsonl-reader';
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

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const v = parseJsonValue(text);
  return v.ok ? v.value : null;
}

/**
 * Gemini CLI records each chat as one JSON file, `~/.gemini/tmp/<project>/chats/session-*.json`,
 * rewritten as it grows; `projectHash` is the SHA-256 of the project folder and each `gemini`
 * message carries its `tokens` (input includes cached; thoughts are billed as output).
 */
export function readGeminiUsage(target: UsageTarget, { home }: UsageEnv, cursors: FileCursor): ReadResult {
  const result: ReadResult = { records: [], notices: [] };
  const hash = createHash('sha256').update(target.worktreePath).digest('hex');
  const tmp = join(home, '.gemini', 'tmp');
  for (const project of list(tmp)) {
    const chats = join(tmp, project, 'chats');
    for (const f of list(chats)) {
      if (!f.startsWith('session-') || !f.endsWith('.json')) continue;
      const file = join(chats, f);
      if (!changedSinceRead(file, cursors)) continue;
      const doc = readJson(file);
      if (!isObj(doc) || doc.projectHash !== hash || !Array.isArray(doc.messages)) continue;
      for (const m of doc.messages) {
        if (!isObj(m) || m.type !== 'gemini' || !isObj(m.tokens)) continue;
        const t = timeOf(m.timestamp);
        if (t < target.since) continue;
        const cached = num(m.tokens.cached);
        result.records.push({
          key: `gemini:${String(m.id)}`,
          t,
          model: typeof m.model === 'string' ? m.model : 'unknown',
          input: Math.max(0, num(m.tokens.input) - cached),
          output: num(m.tokens.output) + num(m.tokens.thoughts),
          cacheRead: cached,
          cacheWrite: 0,
          costUsd: null,
        });
      }
    }
  }
  return result;
}

/**
 * OpenCode stores sessions as `storage/session/<project>/<id>.json` (with their `directory`) and
 * each message as `storage/message/<session id>/<message id>.json` with tokens and its own cost.
 */
export function readOpenCodeUsage(target: UsageTarget, { home, env }: UsageEnv, cursors: FileCursor): ReadResult {
  const result: ReadResult = { records: [], notices: [] };
  const storage = join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'opencode', 'storage');
  const ours: string[] = [];
  for (const project of list(join(storage, 'session'))) {
    for (const f of list(join(storage, 'session', project))) {
      const info = readJson(join(storage, 'session', project, f));
      if (isObj(info) && insideWorktree(info.directory, target.worktreePath) && typeof info.id === 'string') {
        ours.push(info.id);
      }
    }
  }
  for (const id of ours) {
    const dir = join(storage, 'message', id);
    for (const f of list(dir)) {
      const file = join(dir, f);
      if (!f.endsWith('.json') || !changedSinceRead(file, cursors)) continue;
      const m = readJson(file);
      if (!isObj(m) || m.role !== 'assistant' || !isObj(m.tokens)) continue;
      const t = timeOf(isObj(m.time) ? m.time.created : 0);
      if (t < target.since) continue;
      const cache = isObj(m.tokens.cache) ? m.tokens.cache : {};
      const cost = num(m.cost);
      result.records.push({
        key: `opencode:${String(m.id ?? f)}`,
        t,
        model: typeof m.modelID === 'string' ? m.modelID : 'unknown',
        input: num(m.tokens.input),
        output: num(m.tokens.output) + num(m.tokens.reasoning),
        cacheRead: num(cache.read),
        cacheWrite: num(cache.write),
        costUsd: cost > 0 ? cost : null,
      });
    }
  }
  return result;
}

/** `1.2k` → 1200, `3.4M` → 3 400 000. */
function tokens(s: string): number {
  const m = /^([\d.,]+)\s*([kKmM]?)$/.exec(s.trim());
  if (!m) return 0;
  const n = Number(m[1].replace(/,/g, ''));
  return Math.round(n * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1));
}

const AIDER_TOKENS =
  /Tokens: ([\d.,]+[kKmM]?) sent(?:, ([\d.,]+[kKmM]?) cache write)?(?:, ([\d.,]+[kKmM]?) cache hit)?, ([\d.,]+[kKmM]?) received\.(?: Cost: \$([\d.,]+) message)?/;

/**
 * Aider writes its own report after each reply ("Tokens: 2.5k sent, 320 received. Cost: $0.01
 * message, $0.05 session.") into `.aider.chat.history.md` in the folder it runs in.
 */
export function readAiderUsage(target: UsageTarget, _uenv: UsageEnv, cursors: FileCursor): ReadResult {
  const result: ReadResult = { records: [], notices: [] };
  const file = join(target.worktreePath, '.aider.chat.history.md');
  const key = `${file}#model`;
  let model = aiderModel.get(key) ?? 'unknown';
  for (const { offset, line } of readNewLines(file, cursors)) {
    const mm = /(?:Main model|Model): ([^\s,]+)/.exec(line);
    if (mm) {
      model = mm[1];
      aiderModel.set(key, model);
    }
    const m = AIDER_TOKENS.exec(line);
    if (!m) continue;
    const cacheWrite = m[2] ? tokens(m[2]) : 0;
    const cacheRead = m[3] ? tokens(m[3]) : 0;
    result.records.push({
      key: `aider:${offset}`,
      t: Date.now(),
      model,
      input: Math.max(0, tokens(m[1]) - cacheRead - cacheWrite),
      output: tokens(m[4]),
      cacheRead,
      cacheWrite,
      costUsd: m[5] ? Number(m[5].replace(/,/g, '')) : null,
    });
  }
  return result;
}

const aiderModel = new Map<string, string>();
