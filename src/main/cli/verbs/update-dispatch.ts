import { UsageError } from '../usage-error';
import type { Verb } from '../verb';
import { updateVerb as baseUpdateVerb } from './integrate-verbs';
import { updateVerb as settingsUpdateVerb } from './update';

// Flags of the settings form; the update-from-base form has none of them.
const SETTINGS_FLAGS = ['--name', '--priority', '--memory-mb', '--runtime-min', '--command-timeout'];
const BASE_FLAGS = ['--strategy', '--no-fetch', '--status', '--resolve', '--take', '--continue', '--abort'];

const given = (argv: string[], flags: string[]) =>
  argv.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));

/**
 * `update` changes a session in one of two ways, told apart by their flags: its settings (name,
 * priority, limits) or its branch, from the base (rebase or merge, resolve, continue, abort).
 */
export const updateVerb: Verb = {
  name: 'update',
  summary: 'update a session: its branch from the base, or its name, priority and limits',
  help: `${baseUpdateVerb.help}\n\nWith settings flags instead, \`update\` changes the session itself:\n\n${settingsUpdateVerb.help}`,
  async run(argv) {
    const settings = given(argv, SETTINGS_FLAGS);
    if (settings && given(argv, BASE_FLAGS)) {
      throw new UsageError(
        'give either settings flags (--name, --priority, limits) or update-from-base flags, not both — see `multisession help update`',
        'update',
      );
    }
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${updateVerb.help}\n`);
      return 0;
    }
    return settings ? settingsUpdateVerb.run(argv) : baseUpdateVerb.run(argv);
  },
};
