import { resolve } from 'node:path';
import type { CreateSessionInput } from '../../../shared/contract';
import { sessionTypes } from '../../../shared/domain';
import type { RepoScriptKind } from '../../../shared/repo-scripts';
import { AppError, isAppError } from '../../../shared/errors';
import { choiceFlag, intFlag, parseVerbArgs, required } from '../args';
import { withClient } from '../cli-client';
import { createOutput } from '../output';
import { UsageError } from '../usage-error';
import { checkInput, type Verb } from '../verb';
import { sessionTable } from './session-table';

const options = {
  name: { type: 'string' },
  repo: { type: 'string' },
  type: { type: 'string' },
  base: { type: 'string' },
  branch: { type: 'string' },
  agent: { type: 'string' },
  program: { type: 'string' },
  prompt: { type: 'string' },
  'type-prompt': { type: 'boolean' },
  approval: { type: 'string' },
  priority: { type: 'string' },
  'memory-limit': { type: 'string' },
  'time-limit': { type: 'string' },
  background: { type: 'boolean' },
  copies: { type: 'string' },
  'no-start': { type: 'boolean' },
  'trust-repo-scripts': { type: 'boolean' },
  'skip-repo-scripts': { type: 'boolean' },
} as const;

const flagOfField: Record<string, string> = {
  name: '--name',
  repoPath: '--repo',
  type: '--type',
  baseBranch: '--base',
  existingBranch: '--branch',
  agent: '--agent',
  program: '--program',
  prompt: '--prompt',
  approval: '--approval',
  'approval.mode': '--approval',
  priority: '--priority',
  'limits.memoryMb': '--memory-limit',
  'limits.runtimeSec': '--time-limit',
  copies: '--copies',
};

export const createVerb: Verb = {
  name: 'create',
  summary: 'create a session: a worktree on its own branch and a program to run in it',
  help: `Usage: multisession create --name N [--repo PATH] [options]

Creates a session: a git worktree of the repository on a new branch, and the program that runs in
it. The program starts at once (--no-start: created stopped) in the data dir's terminal host, with
or without the app open, and keeps running after this command exits — \`multisession attach\` to
watch it, \`multisession stop\` to end it.

Without --agent or --program the session type's default program runs: the first installed agent
CLI (or the one set in Settings), else your shell — \`multisession agents\` shows which and why.

  --name N             session name (also the source of the branch name)
  --repo PATH          the git repository to work on (default: the repository of the current folder)
  --type T             ${sessionTypes.join(', ')} (default general)
  --base BRANCH        branch to start from (default: the repository's current branch)
  --branch EXISTING    work on this existing branch instead of creating one
  --agent ID           agent preset (claude, codex, gemini, aider, opencode, shell)
  --program CMD        program to run, with its arguments ("node agent.mjs --fast")
  --prompt TEXT        initial prompt, handed over the agent's own way (argument, flag, or typed
                       once it is ready); a shell or unknown program does not get it typed…
  --type-prompt        …unless you ask with this flag (a shell runs it as a command)
  --approval P         off (default), auto-yes (answer the agent's known confirmations), or one of
                       the agent's own modes (claude: manual, acceptEdits, plan, auto, dontAsk,
                       bypassPermissions; codex: on-request, full-auto, read-only; gemini: default,
                       auto_edit, yolo, plan; aider: yes-always) — \`multisession agents --json\` lists them
  --priority 1-10      scheduling priority (10 = normal, 1 = lowest)
  --memory-limit MB    memory limit of the program's process tree
  --time-limit SEC     maximum runtime of the program
  --background         run as a background session
  --copies K           create K sessions at once (output is then an array)
  --no-start           create the session without starting its program
  --trust-repo-scripts trust the repository's own setup script (.multisession/setup.sh) and
                       .worktreeinclude in the content printed now (trust is kept per repository
                       and content: a changed file asks again)
  --skip-repo-scripts  neither run the repository's setup script nor apply its .worktreeinclude

A setup script or copy-in list that comes from the repository runs only once you trusted that exact
content: without either flag, create prints it and stops with UNTRUSTED_SCRIPT (nothing created).
  --json               print the created session as JSON
  --home DIR           data dir (default $MULTISESSION_HOME or the platform's app-data folder)

Examples:
  multisession create --name "My Session" --type code_generation
  multisession create --name "fix login" --repo ~/src/app --agent claude --prompt "Fix the login bug" --approval acceptEdits`,
  async run(argv) {
    const v = parseVerbArgs('create', argv, options);
    if (v.help) return printHelp();
    const out = createOutput(v.json === true);
    const name = required('create', 'name', v.name);
    const repo = v.repo ?? process.cwd();
    if (v.base !== undefined && v.branch !== undefined) {
      throw new UsageError('give either --base (branch from it) or --branch (work on it), not both', 'create');
    }
    const memoryMb = intFlag('create', 'memory-limit', v['memory-limit'], 1, 1_048_576);
    const runtimeSec = intFlag('create', 'time-limit', v['time-limit'], 1, 31_536_000);
    const copies = intFlag('create', 'copies', v.copies, 1, 50);
    const input: CreateSessionInput = {
      name,
      repoPath: resolve(repo),
      type: choiceFlag('create', 'type', v.type, sessionTypes),
      baseBranch: v.base,
      existingBranch: v.branch,
      agent: v.agent,
      program: v.program,
      prompt: v.prompt,
      typePrompt: v['type-prompt'],
      approval: approvalFlag(v.approval),
      priority: intFlag('create', 'priority', v.priority, 1, 10),
      background: v.background,
      copies: copies ?? 1,
      autoStart: !v['no-start'],
      skipRepoScripts: v['skip-repo-scripts'],
    };
    if (v['trust-repo-scripts'] && v['skip-repo-scripts']) {
      throw new UsageError('give either --trust-repo-scripts or --skip-repo-scripts, not both', 'create');
    }
    if (memoryMb !== undefined || runtimeSec !== undefined) {
      input.limits = {
        ...(memoryMb !== undefined ? { memoryMb } : {}),
        ...(runtimeSec !== undefined ? { runtimeSec } : {}),
      };
    }
    checkInput('create', 'sessions.create', input, flagOfField);
    return withClient(v.home, async (client) => {
      // Programs live in the terminal host, so they outlive this command even when it owns the data dir.
      const noHost = client.ownsDataDir || client.info.mode === 'cli';
      const create = () =>
        client.sessions.create(input).catch((e: unknown) => {
          if (v.repo === undefined && isAppError(e) && e.code === 'NOT_A_REPOSITORY') {
            throw new AppError(
              'NOT_A_REPOSITORY',
              `the current folder (${repo}) is not inside a git repository — run create inside one or give --repo PATH`,
            );
          }
          throw e;
        });
      const sessions = await create().catch(async (e: unknown) => {
        const scripts = untrustedScripts(e);
        if (!scripts) throw e;
        // What is trusted is exactly what is printed here: the hashes come with the content shown.
        for (const s of scripts) process.stderr.write(scriptForReview(s));
        if (!v['trust-repo-scripts']) {
          throw new AppError(
            'UNTRUSTED_SCRIPT',
            `${(e as AppError).message} Review the content above, then run again with --trust-repo-scripts (or --skip-repo-scripts).`,
            (e as AppError).details,
          );
        }
        await client.call('repos.trustScripts', {
          repoPath: input.repoPath,
          scripts: scripts.map((s) => ({ kind: s.kind, sha256: s.sha256 })),
        });
        out.note(`trusted ${scripts.map((s) => s.path).join(' and ')} in the content above`);
        return create();
      });
      out.result(copies !== undefined ? sessions : sessions[0], () => {
        const note = v['no-start']
          ? 'created (stopped)'
          : noHost
            ? 'created and started — it keeps running after this command (`multisession attach` to watch it)'
            : 'created and started in the running host';
        return `${sessionTable(sessions)}\n\n${note}`;
      });
      return 0;
    });
  },
};

type UntrustedScript = { kind: RepoScriptKind; path: string; content: string; sha256: string };

/** The scripts an UNTRUSTED_SCRIPT error carries for review, or null for any other error. */
function untrustedScripts(e: unknown): UntrustedScript[] | null {
  if (!isAppError(e) || e.code !== 'UNTRUSTED_SCRIPT') return null;
  const list = (e.details as { scripts?: UntrustedScript[] } | undefined)?.scripts;
  return Array.isArray(list) && list.length > 0 ? list : null;
}

/** One script framed for reading in a terminal (stderr, so --json output stays one document). */
function scriptForReview(s: UntrustedScript): string {
  const what = s.kind === 'setup-script' ? 'setup script (runs in every new worktree)' : 'copy-in list';
  const body = s.content.endsWith('\n') ? s.content : `${s.content}\n`;
  return `--- ${s.path} — the repository's ${what}, sha256 ${s.sha256.slice(0, 12)}…\n${body}--- end of ${s.path}\n`;
}

/** `--approval off|auto-yes|<agent mode>` as the contract's policy. */
function approvalFlag(value: string | undefined): CreateSessionInput['approval'] {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') throw new UsageError('--approval needs a value: off, auto-yes or an agent mode', 'create');
  if (v === 'off' || v === 'auto-yes') return { policy: v, mode: null };
  return { policy: 'agent', mode: v };
}

function printHelp(): number {
  process.stdout.write(`${createVerb.help}\n`);
  return 0;
}
