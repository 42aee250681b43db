/**
 * The environment a session's program sees: an explicit allow-list of the host's variables plus
 * the session's own additions. Anything not listed (tokens of this app, secrets of unrelated
 * tools, Electron's internals) never reaches an agent.
 */
const exactNames = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'TZ',
  'TMPDIR',
  'SSH_AUTH_SOCK',
  'EDITOR',
  'VISUAL',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'GOOGLE_CLOUD_PROJECT',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'OPENROUTER_API_KEY',
]);

/** Families of variables: locale, XDG dirs, and the agent CLIs' keys and settings (AWS_* is Bedrock). */
const prefixes = ['LC_', 'XDG_', 'ANTHROPIC_', 'OPENAI_', 'AWS_', 'CLAUDE_', 'CODEX_'];

/** The allow-list as the user sees it (Settings, `status`): exact names and name prefixes. */
export function hostVariableAllowList(): { names: string[]; prefixes: string[] } {
  return { names: [...exactNames].sort(), prefixes: [...prefixes] };
}

export function isAllowedHostVariable(name: string): boolean {
  return exactNames.has(name) || prefixes.some((p) => name.startsWith(p));
}

/** Terminal identity every program gets; the session's own variables may override it. */
const terminalIdentity: Record<string, string> = { TERM: 'xterm-256color', COLORTERM: 'truecolor' };

/**
 * Builds the final environment of a PTY program: allow-listed host variables, then the
 * terminal identity, then `extra` (the session's variables win over everything).
 */
export function buildPtyEnv(
  extra: Record<string, string>,
  host: Record<string, string | undefined> = process.env,
  /** Host variables a session passes through on top of the allow-list (e.g. NPM_TOKEN). */
  passEnv: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  const passed = new Set(passEnv);
  for (const [name, value] of Object.entries(host)) {
    if (value !== undefined && (isAllowedHostVariable(name) || passed.has(name))) env[name] = value;
  }
  if (!env.PATH) env.PATH = '/usr/local/bin:/usr/bin:/bin';
  Object.assign(env, terminalIdentity);
  for (const [name, value] of Object.entries(extra)) env[name] = value;
  return env;
}
