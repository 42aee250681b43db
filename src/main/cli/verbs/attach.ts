import { AppError, isAppError } from '../../../shared/errors';
import type { Session } from '../../../shared/domain';
import { openTerminalLink, type TerminalLink } from '../../client/terminal-link';
import { parseVerbArgs, required } from '../args';
import { withClient } from '../cli-client';
import { resolveSession } from '../session-ref';
import { UsageError } from '../usage-error';
import type { Verb } from '../verb';
import { defaultTabStops, outerTerminalReset } from '../../engine/terminals/terminal-modes';
import { clampSize } from '../../../shared/terminal-size';

/** Ctrl-] — the detach key telnet users know. */
const DETACH = '\x1d';

export const attachVerb: Verb = {
  name: 'attach',
  summary: "attach this terminal to a session's live program (Ctrl-] detaches)",
  help: `Usage: multisession attach --session-id ID [--home DIR]

Attaches this terminal to the session's program in the terminal host — with or without the app
running: you see its screen and type into it. Press Ctrl-] to detach; the program keeps running.
Attach ends by itself when the program exits. Needs an interactive terminal.

Example:
  multisession attach --session-id 3f2a9c`,
  async run(argv) {
    const v = parseVerbArgs('attach', argv, { 'session-id': { type: 'string' } } as const);
    if (v.help) {
      process.stdout.write(`${attachVerb.help}\n`);
      return 0;
    }
    const ref = required('attach', 'session-id', v['session-id']);
    if (v.json) throw new UsageError('attach streams a live terminal; --json does not apply to it', 'attach');
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new UsageError(
        'attach needs an interactive terminal: run it directly in a terminal, not through a pipe',
        'attach',
      );
    }
    // Resolve the session, then let go of the data dir: attaching talks to the terminal host
    // directly, so the app can start (or keep running) while this terminal is attached.
    const { session, dataDir } = await withClient(v.home, async (client) => ({
      session: await resolveSession(client, ref),
      dataDir: client.dataDir,
    }));
    return attach(session, dataDir);
  },
};

async function attach(session: Session, dataDir: string): Promise<number> {
  const sessionId = session.id;
  const notRunning = () =>
    new AppError(
      'INVALID_STATE',
      `"${session.name}" is ${session.status} — its program is not running; start it with \`multisession start --session-id ${sessionId}\`.`,
    );
  let link: TerminalLink;
  try {
    link = await openTerminalLink(dataDir, sessionId);
  } catch (e) {
    if (isAppError(e) && e.code === 'INVALID_STATE') throw notRunning();
    throw e;
  }
  const stdin = process.stdin;
  const stdout = process.stdout;
  // An unknown size (stdout not a terminal) reads as 80x24, like most programs assume.
  const size = () => clampSize(stdout.columns || 80, stdout.rows || 24);

  let attached = false;
  const early: string[] = [];
  const write = (data: string) => {
    stdout.write(data, () => link.ack(data.length));
  };
  let finish: (code: number, message: string) => void = () => undefined;
  const done = new Promise<{ code: number; message: string }>((resolve) => {
    finish = (code, message) => resolve({ code, message });
  });
  link.onData((data) => {
    if (attached) write(data);
    else early.push(data);
  });
  link.onExit((e) => {
    const how =
      e.exitCode !== null ? `exited with code ${e.exitCode}` : `was stopped${e.signal ? ` by signal ${e.signal}` : ''}`;
    // Let the last output reach the screen before reporting.
    stdout.write('', () => finish(0, `${session.name} ${how}.`));
  });
  link.onDisconnect(() => finish(1, 'The connection to the terminal host closed.'));

  const r = await link.attach(size()).catch(async (e: unknown) => {
    await link.close();
    throw isAppError(e) && e.code === 'TERMINAL_NOT_FOUND' ? notRunning() : e;
  });
  const onInput = (chunk: string) => {
    const at = chunk.indexOf(DETACH);
    const data = at >= 0 ? chunk.slice(0, at) : chunk;
    if (data) link.input(data);
    if (at >= 0) finish(0, `Detached from ${session.name}; it keeps running.`);
  };
  const onResize = () => link.resize(size());
  if (!r.running) {
    await link.close();
    throw notRunning();
  }
  // Raw mode before the user is told they are attached: a key typed at once (Ctrl-D, say) must
  // reach the program, not end this terminal's line discipline as an EOF on our stdin.
  stdin.setEncoding('utf8');
  stdin.setRawMode(true);
  stdin.on('data', onInput);
  stdin.resume();
  stdout.on('resize', onResize);
  try {
    process.stderr.write(`Attached to ${session.name} — press Ctrl-] to detach\n`);
    // The snapshot ends with absolute cursor moves: it must start on a clean screen. Newlines first,
    // so what the user had on screen scrolls up into their scrollback instead of being erased.
    stdout.write(`${'\n'.repeat(size().rows)}\x1b[H`);
    stdout.write(r.snapshot);
    attached = true;
    for (const d of early.splice(0)) write(d);
    const { code, message } = await done;
    // Give the user's terminal back as it was: main screen, no mouse or app-cursor modes, pen
    // reset, cursor shown; then the message below everything the program drew.
    stdout.write(`${outerTerminalReset}${defaultTabStops(size().cols)}\x1b[${size().rows};1H\r\n`);
    process.stderr.write(`${message}\n`);
    return code;
  } finally {
    stdout.off('resize', onResize);
    stdin.off('data', onInput);
    stdin.setRawMode(false);
    stdin.pause();
    await link.close();
  }
}
