import { parseVerbArgs } from '../args';
import { withClient } from '../cli-client';
import { createOutput, table } from '../output';
import type { Verb } from '../verb';

export const agentsVerb: Verb = {
  name: 'agents',
  summary: 'agent CLIs installed here, the default program and each session type’s program, with why',
  help: `Usage: multisession agents [--refresh] [--json] [--home DIR]

Lists the agent CLIs Multisession knows (Claude Code, Codex, Gemini CLI, Aider, OpenCode) with where
each was found (PATH or a usual install folder such as ~/.local/bin, ~/.npm-global/bin, ~/.bun/bin,
~/.claude/local, volta or nvm), then the default program and the program each session type starts,
each with the reason. The default program is the first installed agent, else your shell, unless
Settings name one.

  --refresh      look again now (detection is cached for 30 seconds)

Example:
  multisession agents --json`,
  async run(argv) {
    const v = parseVerbArgs('agents', argv, { refresh: { type: 'boolean' } });
    if (v.help) {
      process.stdout.write(`${agentsVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    return withClient(v.home, async (client) => {
      const agents = await client.agents.list({ refresh: v.refresh === true });
      const defaults = await client.agents.defaults({});
      out.result({ agents, defaults }, () =>
        [
          table(agents, [
            ['ID', (a) => a.id],
            ['NAME', (a) => a.name],
            ['INSTALLED', (a) => (a.installed ? (a.foundIn === 'PATH' ? 'yes (PATH)' : 'yes (install folder)') : 'no')],
            ['PATH', (a) => a.resolvedPath ?? '-'],
            ['STATUS FROM', (a) => (a.statusHooks === 'none' ? 'screen' : 'its hooks')],
          ]),
          '',
          `Default program: ${defaults.defaultProgram.agent} — ${defaults.defaultProgram.reason}`,
          '',
          table(defaults.types, [
            ['TYPE', (t) => t.type],
            ['PROGRAM', (t) => t.agent],
            ['WHY', (t) => t.reason],
          ]),
        ].join('\n'),
      );
      return 0;
    });
  },
};
