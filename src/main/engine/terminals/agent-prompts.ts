/**
 * The one table of confirmation prompts per agent CLI: text that appears on screen when the
 * agent stops and asks the user to approve something. Matched against the last lines of the
 * visible screen once output has gone quiet, so a phrase that scrolled away does not count.
 */
export const agentPromptPatterns: Readonly<Record<string, readonly RegExp[]>> = {
  claude: [
    /Do you want to proceed\?/i,
    /Do you want to make this edit/i,
    /Do you want to (create|overwrite|delete|allow|run)\b/i,
    /❯\s*1\.\s*Yes/,
    /Yes, and don't ask again/i,
    /No, and tell Claude what to do differently/i,
  ],
  codex: [
    /Allow command\?/i,
    /Would you like to (run the following command|make the following edits|apply)/i,
    /\b(Approve|Apply) (this )?(change|patch|command)s?\?/i,
    /Yes, proceed/i,
    /No, and tell Codex what to do differently/i,
  ],
  gemini: [
    /Allow execution/i,
    /Apply this change\?/i,
    /Yes, allow (once|always)/i,
    /Waiting for user confirmation/i,
    /No, suggest changes/i,
  ],
  aider: [/\(Y\)es\/\(N\)o/, /\[Yes\]:\s*$/],
  opencode: [/Permission required/i, /Allow once/i, /Allow always/i, /Allow for session/i, /\bDeny\s*\(d\)/i],
};

/** How many non-empty lines from the bottom of the screen a prompt may sit in (dialogs have footers). */
export const promptSearchLines = 12;

/** Programs that ask `something?` or `(y/n)` in plain text: any agent, any shell command. */
const genericQuestion = [/\?\s*$/, /\(y\/n\)/i, /\[y\/n\]/i, /\(yes\/no\)/i];

/** Which preset tables apply: the agent's own; all of them for an unknown/custom command; none for a shell. */
export function patternsForAgent(agent: string | undefined): readonly RegExp[] {
  if (agent === 'shell') return [];
  const own = agent ? agentPromptPatterns[agent] : undefined;
  return own ?? Object.values(agentPromptPatterns).flat();
}

/**
 * True when the screen shows the program waiting for an answer: a known agent prompt in the
 * last lines, or a last non-empty line that is a question or a yes/no choice.
 */
export function screenAsksUser(lines: readonly string[], patterns: readonly RegExp[]): boolean {
  const nonEmpty: string[] = [];
  for (let i = lines.length - 1; i >= 0 && nonEmpty.length < promptSearchLines; i--) {
    const line = lines[i].trimEnd();
    if (line.trim() !== '') nonEmpty.push(line);
  }
  if (nonEmpty.length === 0) return false;
  if (genericQuestion.some((re) => re.test(nonEmpty[0]))) return true;
  return nonEmpty.some((line) => patterns.some((re) => re.test(line)));
}
