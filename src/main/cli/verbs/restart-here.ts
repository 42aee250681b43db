import { parseVerbArgs } from '../args';
import { withClient } from '../cli-client';
import { createOutput } from '../output';
import { resolveSession } from '../session-ref';
import type { Verb } from '../verb';

export const restartHereVerb: Verb = {
  name: 'restart-here',
  summary: 'move sessions still running in an older terminal host (after an update) into this version',
  help: `Usage: multisession restart-here [--session-id ID]... [--list] [--json] [--home DIR]

After an update, sessions may still run in the terminal host of the older version (it keeps them
running; nothing is lost). --list names them. Without --list, each one (all of them, or those given
with --session-id) is stopped there — its screen kept above a separator — and started in this
version's terminal host with its agent's resume command (Claude Code --continue, Codex resume --last,
Gemini CLI --resume latest, Aider --restore-chat-history, OpenCode --session); other programs
restart. Worktrees and branches are not touched. The older host exits once it runs nothing.
Exit status 1 when any session could not be moved.

Examples:
  multisession restart-here --list
  multisession restart-here
  multisession restart-here --session-id 3f2a9c`,
  async run(argv) {
    const v = parseVerbArgs('restart-here', argv, {
      'session-id': { type: 'string', multiple: true },
      list: { type: 'boolean' },
    });
    if (v.help) {
      process.stdout.write(`${restartHereVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    return withClient(v.home, async (client) => {
      if (v.list) {
        const hosts = await client.call('sessions.olderHosts', {});
        out.result(hosts, () =>
          hosts.length === 0
            ? 'No session runs in an older terminal host.'
            : hosts
                .map(
                  (h) =>
                    `Multisession ${h.appVersion} (terminal host protocol ${h.protocol}, pid ${h.pid}):\n` +
                    h.sessions
                      .map((x) => `  ${x.name ?? '(no session)'} (${x.sessionId}), pid ${x.pid ?? '-'}`)
                      .join('\n'),
                )
                .join('\n'),
        );
        return 0;
      }
      const refs = v['session-id'] ?? [];
      const ids = [];
      for (const ref of refs) ids.push((await resolveSession(client, ref, { destructive: true })).id);
      const r = await client.call('sessions.restartHere', ids.length ? { sessionIds: ids } : {});
      out.result(r, () =>
        [
          ...r.restarted.map(
            (s) => `ok   ${s.name} (${s.id}) is ${s.status}${s.restoredAs ? `, ${s.restoredAs}` : ''}`,
          ),
          ...r.failed.map((f) => `FAIL ${f.sessionId}: ${f.message}`),
          r.restarted.length + r.failed.length === 0
            ? 'No session runs in an older terminal host.'
            : `${r.restarted.length} moved to this version${r.hostsExited.length ? `; older terminal host ${r.hostsExited.join(', ')} exited` : ''}.`,
        ].join('\n'),
      );
      return r.failed.length > 0 ? 1 : 0;
    });
  },
};
