/**
 * What each agent CLI's screen says about its state, one table per agent. Written from screens
 * recorded from the real CLIs (test/fixtures/agent-screens, `scripts/record-agent-screens.mjs`) and,
 * for dialogs a conversation is needed for (tool approvals), from the CLIs' own texts.
 * `status-rules.test.ts` checks every recorded screen against its table.
 */
export interface StatusRules {
  /** A dialog asking the user: counts anywhere in the bottom lines of the screen. */
  waiting: readonly RegExp[];
  /** A question typed in the flow of output: counts only on the last non-empty line. */
  asking?: readonly RegExp[];
  /** Shown only while the agent works (the spinner's footer). */
  busy: readonly RegExp[];
}

const claude: StatusRules = {
  waiting: [
    /Do you trust the files in this folder\?|Yes, I trust this folder/,
    /Select login method:/,
    /Do you want to (proceed|make this edit|create|overwrite|delete|allow|run)\b/i,
    /Yes, and don't ask again/i,
    /No, and tell Claude what to do differently/i,
    /Enter to confirm · Esc to cancel/,
  ],
  busy: [/esc to interrupt/i],
};

const codex: StatusRules = {
  waiting: [
    /Trust this folder\?/,
    /Sign in with ChatGPT|Sign in with Device Code|Use an OpenAI API key/,
    /Paste or type your API key/,
    /Allow command\?/i,
    /Would you like to (run the following command|make the following edits|apply)/i,
    /Yes, proceed/i,
    /No, and tell Codex what to do differently/i,
  ],
  busy: [/esc to interrupt/i],
};

const gemini: StatusRules = {
  waiting: [
    /Do you trust the files in this folder\?/,
    /How would you like to authenticate/,
    /Enter the authorization code/,
    /Enter Gemini API Key/,
    /Allow execution/i,
    /Apply this change\?/i,
    /Yes, allow (once|always)/i,
    /Waiting for user confirmation/i,
  ],
  // The spinner line while a reply streams: "⠏ Thinking… (esc to cancel, 5s)".
  busy: [/\(esc to cancel, \d+s\)/i],
};

const aider: StatusRules = {
  waiting: [],
  // confirm_ask: "Add file to the chat? (Y)es/(N)o/(A)ll/(S)kip all/(D)on't ask again [Yes]: "
  asking: [/\(Y\)es\/\(N\)o/, /\[(Yes|No)\]:\s*$/],
  busy: [],
};

const opencode: StatusRules = {
  waiting: [/Permission required/i, /Allow once/i, /Allow always/i, /\bReject\b.*\besc\b/i],
  busy: [/esc (to )?interrupt/i],
};

/** Any program: a question or a yes/no choice on the last line, a prompt for a password or a key. */
export const genericRules: StatusRules = {
  waiting: [],
  asking: [
    /\?\s*$/,
    /[([]y\/n[)\]]/i,
    /\(yes\/no(\/\[fingerprint\])?\)/i,
    /press (enter|return|any key) to continue/i,
    /password( for [^:]*)?:\s*$/i,
    /passphrase[^:]*:\s*$/i,
  ],
  busy: [],
};

export const agentStatusRules: Readonly<Record<string, StatusRules>> = { claude, codex, gemini, aider, opencode };

/** The rules for a program: its agent's table and the generic one; every table for an unknown command. */
export function rulesForAgent(agent: string | undefined): StatusRules[] {
  if (agent === 'shell') return [genericRules];
  const own = agent ? agentStatusRules[agent] : undefined;
  return own ? [own, genericRules] : [...Object.values(agentStatusRules), genericRules];
}

/** How many non-empty lines from the bottom of the screen a dialog may sit in (Gemini's auth dialog is 20 tall). */
export const dialogSearchLines = 24;

/**
 * What the visible screen shows: the program asking (`waiting`), working (`busy`), or neither.
 * A question that scrolled up, or was answered and redrawn, no longer counts.
 */
export function readScreenStatus(lines: readonly string[], rules: readonly StatusRules[]): 'waiting' | 'busy' | null {
  const bottom: string[] = [];
  for (let i = lines.length - 1; i >= 0 && bottom.length < dialogSearchLines; i--) {
    const line = lines[i].trimEnd();
    if (line.trim() !== '') bottom.push(line);
  }
  if (bottom.length === 0) return null;
  const last = bottom[0];
  for (const r of rules) {
    if (r.asking?.some((re) => re.test(last))) return 'waiting';
    if (bottom.some((line) => r.waiting.some((re) => re.test(line)))) return 'waiting';
  }
  for (const r of rules) if (bottom.some((line) => r.busy.some((re) => re.test(line)))) return 'busy';
  return null;
}
