import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { skillSchema, type Skill } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { parseJson } from '../../../shared/json';
import type { Logger } from '../core/logger';
import { buildPtyEnv } from '../terminals/pty-env';
import { locateBin } from './bin-locator';
import { builtinPackages, builtinSkills } from './builtin-skills';

/** Where a repository keeps its own skills (an array of Skill, JSON). */
export const REPOSITORY_SKILLS_FILE = join('.multisession', 'skills.json');
const MAX_SKILLS_FILE_BYTES = 1024 * 1024;
const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9_-]*)\}/g;

export interface ResolvedSkill {
  command: string;
  args: string[];
}

type SkillAction = Skill['actions'][string];

/**
 * Named, parameterised command templates from three places: builtins, the user's settings and
 * the repository's `.multisession/skills.json`. Earlier sources win on a name clash, so a
 * repository cannot redefine what `openspec` runs. Resolving a skill yields an argv, never a
 * shell string: parameters are substituted inside single argv elements.
 */
export class SkillRegistry {
  private readonly getSettingsSkills: () => Promise<Skill[]>;
  private readonly log: Logger | null;

  constructor(opts: { getSettingsSkills: () => Promise<Skill[]>; log?: Logger }) {
    this.getSettingsSkills = opts.getSettingsSkills;
    this.log = opts.log ?? null;
  }

  /**
   * Builtin, settings and repository skills. With `strict`, an invalid repository file is a
   * BAD_INPUT error instead of being skipped with a warning. `folders` are read in order
   * (e.g. the session's worktree, then its repository).
   */
  async list(repoPath?: string, opts: { strict?: boolean; folders?: string[] } = {}): Promise<Skill[]> {
    const byName = new Map<string, Skill>();
    const add = (skills: Skill[], origin: string) => {
      for (const s of skills) {
        if (byName.has(s.name)) {
          if (origin !== 'repository')
            this.log?.warn('skills', `Skill "${s.name}" from ${origin} is shadowed by an earlier one`);
          continue;
        }
        byName.set(s.name, s);
      }
    };
    add(builtinSkills, 'builtin');
    add(
      (await this.getSettingsSkills()).map((s) => ({ ...s, source: 'settings' as const })),
      'settings',
    );
    const folders = opts.folders ?? (repoPath ? [repoPath] : []);
    for (const folder of folders) add(await this.readRepositorySkills(folder, opts.strict ?? false), 'repository');
    return [...byName.values()];
  }

  /** The skills of `<folder>/.multisession/skills.json`; none when the file does not exist. */
  async readRepositorySkills(folder: string, strict: boolean): Promise<Skill[]> {
    const file = join(folder, REPOSITORY_SKILLS_FILE);
    const fail = (why: string): Skill[] => {
      const message = `${file} is not a valid skills file (${why}) — it must be a JSON array of skills`;
      if (strict) throw new AppError('BAD_INPUT', message, { path: file });
      this.log?.warn('skills', `${message}; ignoring it`);
      return [];
    };
    let text: string;
    try {
      const st = await stat(file);
      if (!st.isFile()) return fail('not a file');
      if (st.size > MAX_SKILLS_FILE_BYTES) return fail('larger than 1 MB');
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      return fail((e as Error).message);
    }
    const parsed = parseJson(z.array(skillSchema).max(100), text);
    if (!parsed.ok) return fail(parsed.error);
    return parsed.value.map((s) => ({ ...s, source: 'repository' as const }));
  }

  /**
   * Turns `skill` or `skill:action` plus parameters into the argv to run. `repoPath` is the
   * repository; `cwd` (default repoPath) is where the command will run — its skills file and
   * node_modules/.bin are looked at first.
   */
  async resolve(
    name: string,
    params: Record<string, string>,
    repoPath: string,
    opts: { cwd?: string; pathVar?: string } = {},
  ): Promise<ResolvedSkill> {
    const folders = opts.cwd && opts.cwd !== repoPath ? [opts.cwd, repoPath] : [repoPath];
    const skills = await this.list(repoPath, { folders });
    const [skillName, actionName, ...rest] = name.split(':');
    const skill = skills.find((s) => s.name === skillName);
    if (!skill || rest.length > 0) {
      throw new AppError(
        'SKILL_NOT_FOUND',
        `No skill named "${name}" — available: ${skills.map((s) => s.name).join(', ')}`,
        { available: skills.map((s) => s.name) },
      );
    }
    const qualified = (a: string) => `${skill.name}:${a}`;
    const actionNames = Object.keys(skill.actions);
    let chosen: string;
    if (actionName !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(skill.actions, actionName)) {
        throw new AppError(
          'SKILL_NOT_FOUND',
          `Skill "${skill.name}" has no action "${actionName}" — its actions: ${actionNames.map(qualified).join(', ')}`,
          { available: actionNames.map(qualified) },
        );
      }
      chosen = actionName;
    } else if (actionNames.length === 1) {
      chosen = actionNames[0];
    } else {
      throw new AppError(
        'BAD_INPUT',
        `Skill "${skill.name}" has several actions — pick one: ${actionNames.map(qualified).join(', ')}`,
        { available: actionNames.map(qualified) },
      );
    }
    const action = skill.actions[chosen];
    const args = substituteParams(action, qualified(chosen), params);
    const program = await this.program(skill, action, folders, opts.pathVar);
    return { command: program.command, args: [...program.prefix, ...args] };
  }

  /** A builtin's program: the installed binary when there is one, else `npx --yes <package>`. */
  private async program(
    skill: Skill,
    action: SkillAction,
    folders: string[],
    pathVar?: string,
  ): Promise<{ command: string; prefix: string[] }> {
    const pkg = skill.source === 'builtin' ? builtinPackages[skill.name] : undefined;
    if (!pkg || action.command !== pkg.bin) return { command: action.command, prefix: [] };
    const local = locateBin(pkg.bin, folders, pathVar ?? buildPtyEnv({}).PATH);
    return local ? { command: local, prefix: [] } : { command: 'npx', prefix: ['--yes', pkg.npmPackage] };
  }
}

/**
 * Checks parameters against the action's declarations and fills `{param}` placeholders inside argv
 * elements. An element that is just the placeholder of an absent optional parameter is dropped.
 */
export function substituteParams(action: SkillAction, label: string, params: Record<string, string>): string[] {
  const declared = new Map(action.params.map((p) => [p.name, p]));
  for (const key of Object.keys(params)) {
    if (!declared.has(key)) {
      const known = action.params.map((p) => p.name);
      throw new AppError(
        'BAD_INPUT',
        `"${label}" has no parameter "${key}"${known.length ? ` — its parameters: ${known.join(', ')}` : ' — it takes none'}`,
        { field: key },
      );
    }
  }
  for (const p of action.params) {
    const value = params[p.name];
    if (p.required && (value === undefined || value === '')) {
      throw new AppError(
        'BAD_INPUT',
        `"${label}" needs the parameter "${p.name}"${p.description ? ` (${p.description})` : ''}`,
        { field: p.name },
      );
    }
    if (value !== undefined && value.startsWith('-')) {
      throw new AppError(
        'BAD_INPUT',
        `The value of "${p.name}" cannot start with "-" — the program would read it as an option`,
        { field: p.name },
      );
    }
  }
  const out: string[] = [];
  for (const arg of action.args) {
    const whole = /^\{([a-zA-Z][a-zA-Z0-9_-]*)\}$/.exec(arg);
    if (whole && declared.has(whole[1]) && params[whole[1]] === undefined) continue;
    out.push(arg.replace(PLACEHOLDER, (m, key: string) => (declared.has(key) ? (params[key] ?? '') : m)));
  }
  return out;
}
