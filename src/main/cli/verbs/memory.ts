import { parseVerbArgs } from '../args';
import { withClient } from '../cli-client';
import { createOutput, keyValues } from '../output';
import type { Verb } from '../verb';

const mb = (n: number) => `${Math.round(n).toLocaleString('en-US')} MB`;

export const memoryVerb: Verb = {
  name: 'memory',
  summary: 'memory now and the memory-pressure policy: thresholds and the sessions it last hibernated',
  help: `Usage: multisession memory [--json] [--home DIR]

Prints the machine's available memory (MemAvailable on Linux, free memory elsewhere), what the
running sessions use together, the memory-pressure policy's thresholds (Settings → Running; off by
default) and the sessions it last hibernated, idlest first, with why. The policy hibernates idle
sessions only — never one that is busy, waiting for you, running a command or just started — and
stops as soon as memory is no longer short; \`multisession wake\` continues a hibernated session.

Example:
  multisession memory --json`,
  async run(argv) {
    const v = parseVerbArgs('memory', argv, {});
    if (v.help) {
      process.stdout.write(`${memoryVerb.help}\n`);
      return 0;
    }
    const out = createOutput(v.json === true);
    return withClient(v.home, async (client) => {
      const st = await client.call('memory.status', {});
      const p = st.settings;
      out.result(st, () =>
        keyValues([
          ['Available', `${mb(st.availableMb)} of ${mb(st.totalMb)} (${st.source})`],
          ['Sessions use', mb(st.sessionsMb)],
          [
            'Policy',
            p.enabled
              ? [
                  p.minAvailableMb !== null ? `available below ${mb(p.minAvailableMb)}` : '',
                  p.maxSessionsMb !== null ? `sessions above ${mb(p.maxSessionsMb)}` : '',
                ]
                  .filter(Boolean)
                  .join(' or ')
              : 'off (Settings → Running)',
          ],
          ['Memory short', st.pressure ?? 'no'],
          [
            'Last hibernated',
            st.lastAction
              ? `${new Date(st.lastAction.at).toLocaleTimeString()}: ${st.lastAction.hibernated
                  .map((h) => `${h.name} (${mb(h.memoryMb)})`)
                  .join(', ')} — ${st.lastAction.reason}`
              : '-',
          ],
        ]),
      );
      return 0;
    });
  },
};
