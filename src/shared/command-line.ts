/**
 * Command lines as a user types them and as a POSIX shell reads them — the one place the app
 * splits a line into argv and quotes argv back into a line (the wizard's custom command, preset
 * and batch command lines, the program line of `sessions.create`, paths dropped on a terminal,
 * `sh -c` scripts). Splitting follows sh's quoting rules (single quotes, double quotes with
 * their five escapes, backslash) but never evaluates anything: `$(…)`, backticks, `$VAR`, `;`, `|`
 * and globs stay literal text. `command-line.test.ts` checks both directions against a real sh.
 */

export type CommandLineParse = { ok: true; argv: string[] } | { ok: false; argv: string[]; error: string };

/** Inside double quotes a backslash escapes only these (POSIX); before anything else it stays. */
const DOUBLE_QUOTE_ESCAPES = '$`"\\\n';

/** Splits a line into argv; an unclosed quote is an error (with the argv a lenient reading gives). */
export function parseCommandLine(line: string): CommandLineParse {
  const argv: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && DOUBLE_QUOTE_ESCAPES.includes(line[i + 1])) {
        const next = line[++i];
        if (next !== '\n') cur += next; // backslash-newline continues the line
      } else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      const next = line[++i];
      if (next !== '\n') {
        cur += next;
        inWord = true;
      }
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) argv.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) argv.push(cur);
  if (quote) {
    const name = quote === '"' ? 'double' : 'single';
    return { ok: false, argv, error: `The ${name} quote (${quote}) is never closed — close it or remove it.` };
  }
  return { ok: true, argv };
}

/** argv of a line, reading an unclosed quote as running to the end (for previews and labels). */
export function splitCommandLine(line: string): string[] {
  return parseCommandLine(line).argv;
}

/** Words no POSIX shell, bash or zsh changes: safe characters, and no leading `=` (zsh's `=cmd`). */
const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/** Quotes one word for sh, bash and zsh so it reaches the program exactly as given. */
export function shellQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv as one line for sh -c (each word quoted as needed). */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
