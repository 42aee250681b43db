import type { ParseArgsConfig } from 'node:util';
import type { Session } from '../../../shared/domain';
import type { MultisessionClient } from '../../client/multisession-client';
import { parseVerbArgs, required } from '../args';
import { withClient } from '../cli-client';
import { createOutput, type Output } from '../output';
import { resolveSession } from '../session-ref';
import type { Verb } from '../verb';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed flag values by flag name. */
export type Flags = Record<string, string | boolean | undefined>;

/** A string flag's value (flags are declared per verb, so a wrong kind is a programming error). */
export const str = (v: Flags, flag: string): string | undefined => {
  const x = v[flag];
  return typeof x === 'string' ? x : undefined;
};
export const bool = (v: Flags, flag: string): boolean => v[flag] === true;

/**
 * A verb about one session (`--session-id`, an id, unique id prefix or name): parses its flags,
 * resolves the session over the client and hands both to `run`, which returns the exit status.
 */
export function sessionVerb(def: {
  name: string;
  summary: string;
  help: string;
  options: Options;
  /** Checks needing no host (flag combinations), so usage errors exit 2 before connecting. */
  check?: (v: Flags) => void;
  run: (ctx: { v: Flags; client: MultisessionClient; session: Session; out: Output }) => Promise<number>;
}): Verb {
  const verb: Verb = {
    name: def.name,
    summary: def.summary,
    help: def.help,
    async run(argv) {
      const v = parseVerbArgs(def.name, argv, { 'session-id': { type: 'string' }, ...def.options }) as Flags;
      if (v.help) {
        process.stdout.write(`${def.help}\n`);
        return 0;
      }
      const ref = required(def.name, 'session-id', str(v, 'session-id'));
      def.check?.(v);
      const out = createOutput(v.json === true);
      return withClient(str(v, 'home'), async (client) => {
        const session = await resolveSession(client, ref);
        return def.run({ v, client, session, out });
      });
    },
  };
  return verb;
}
