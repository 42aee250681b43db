import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findOnPath } from './executable-lookup';

/**
 * Every child we start for a session (its program, a command, a setup script, a batch item) goes
 * through this: the argv is wrapped so that, between fork and exec, the child closes every file
 * descriptor but 0, 1 and 2 and — when the session has cgroups — moves itself into them, so no
 * fork of the program runs outside its limits even for a moment.
 *
 * Why a wrapper: node-pty 1.1's forkpty() leaves the PTY master without FD_CLOEXEC, so every later
 * child (PTY or child_process) inherited every earlier session's /dev/ptmx and could type into it;
 * fds our own parent leaked to us would pass on too. Neither Node nor Electron can fcntl() or close
 * a range in the child, so a tiny interpreter does it and then execs the real program in place
 * (same pid). Perl is everywhere git is (Debian's git depends on it); bash is the fallback.
 */

export type FdCloser = 'perl' | 'bash' | 'none';

export interface IsolatedArgv {
  file: string;
  args: string[];
  closer: FdCloser;
}

// Closes fds > 2 (fdopen in the one mode the fd allows, then close), joins the given cgroups (it
// writes only to paths that end in /cgroup.procs, whatever else it is handed), execs.
// With a gate fd, it first waits for one byte on it: the host writes it once the process is written
// down in the process ledger; end of file (the host died first) means nothing was run.
const PERL = [
  'my $gate = shift @ARGV;',
  'if ($gate ne "-") { open(my $g, "<&=", $gate) or exit 126; my $b; my $r = sysread($g, $b, 1); close $g;',
  '  unless ($r) { print STDERR "multisession: the host ended before it wrote this process down; not started\\n"; exit 125 } }',
  'my $n = shift @ARGV; my @cg = splice(@ARGV, 0, $n);',
  'for my $f (@cg) { next unless $f =~ m{/cgroup\\.procs$}; open(my $h, ">>", $f) or next; print $h "$$\\n"; close $h }',
  'opendir(my $d, "/proc/self/fd") or opendir($d, "/dev/fd");',
  'my @fds = grep { /^\\d+$/ && $_ > 2 } readdir($d); closedir($d);',
  'for my $fd (@fds) { for my $m ("+<&=", "<&=", ">&=") { if (open(my $h, $m, $fd)) { close $h; last } } }',
  'exec { $ARGV[0] } @ARGV or do { print STDERR "multisession: cannot run $ARGV[0]: $!\\n"; exit 127 };',
].join('\n');

const BASH = [
  'g=$1; shift; if [ "$g" != - ]; then read -r -n1 -u "$g" _ || { echo "multisession: the host ended before it wrote this process down; not started" >&2; exit 125; }; fi',
  'n=$1; shift; while [ "$n" -gt 0 ]; do case $1 in */cgroup.procs) echo $$ >> "$1" 2>/dev/null;; esac; shift; n=$((n-1)); done',
  'for p in /proc/$$/fd/* /dev/fd/*; do fd=${p##*/}; case $fd in *[!0-9]*|"") continue;; esac',
  '  [ "$fd" -gt 2 ] && exec {fd}>&- 2>/dev/null; done',
  'exec "$@"',
].join('\n');

let found: { closer: FdCloser; path: string } | null = null;

/** Which interpreter closes fds here (found once; `MULTISESSION_FD_CLOSER` forces one, for tests). */
export function fdCloser(): { closer: FdCloser; path: string } {
  if (found) return found;
  const forced = process.env.MULTISESSION_FD_CLOSER as FdCloser | undefined;
  const hasFdList = existsSync('/proc/self/fd') || existsSync('/dev/fd');
  const pick = (closer: FdCloser): { closer: FdCloser; path: string } | null => {
    if (closer === 'none') return { closer, path: '' };
    const path =
      ['/usr/bin/' + closer, '/bin/' + closer].find((p) => existsSync(p)) ??
      findOnPath(closer, process.env.PATH ?? '/usr/bin:/bin');
    return path ? { closer, path } : null;
  };
  if (process.platform === 'win32' || !hasFdList) found = { closer: 'none', path: '' };
  else if (forced) found = pick(forced) ?? { closer: 'none', path: '' };
  else found = pick('perl') ?? pick('bash') ?? { closer: 'none', path: '' };
  return found;
}

/**
 * The argv that starts `file args` with only fds 0-2 and inside `cgroupProcs` (cgroup.procs files
 * the child writes its own pid into before exec). Without an interpreter it is the argv unchanged
 * (`closer: 'none'`, reported in the session's isolation facts).
 */
export function isolatedArgv(
  file: string,
  args: readonly string[],
  opts: { cgroupProcs?: string[]; gateFd?: number } = {},
): IsolatedArgv {
  const { closer, path } = fdCloser();
  const cg = opts.cgroupProcs ?? [];
  const gate = opts.gateFd !== undefined ? String(opts.gateFd) : '-';
  if (closer === 'perl')
    return { file: path, args: ['-e', PERL, gate, String(cg.length), ...cg, file, ...args], closer };
  if (closer === 'bash')
    return { file: path, args: ['-c', BASH, 'multisession', gate, String(cg.length), ...cg, file, ...args], closer };
  return { file, args: [...args], closer };
}

/** The fd a gated child waits on (the fourth of its stdio). */
export const GATE_FD = 3;

/**
 * What the host does with a child it started: `recorded` settles once the child is written down
 * in the process ledger (a gated child runs only then), `ended` is called when it ended.
 */
export interface SpawnRecord {
  recorded: Promise<unknown>;
  ended(): void;
}

/**
 * Opens a gated child's gate once it is written down (or at once when nobody records it). A host
 * killed before that leaves the child reading end of file: it exits without running anything, so
 * no process the ledger does not know of outlives a crash.
 */
export function openGate(gate: NodeJS.WritableStream | null | undefined, record: SpawnRecord | undefined): void {
  if (!gate) return;
  gate.on('error', () => undefined); // the child may be gone already (EPIPE)
  const open = () => gate.end('g');
  if (record) void record.recorded.then(open, open);
  else open();
}

/**
 * Starts `file args` as a child with a pipe for stdout and stderr, isolated as `isolatedArgv`
 * says; with `onSpawn` (the process ledger) it runs only once `onSpawn`'s record is written, and
 * the record is told when it ended. Throws what `spawn` throws.
 */
export function spawnIsolated(
  file: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio'>,
  opts: { cgroupProcs?: string[]; onSpawn?: (pid: number) => SpawnRecord } = {},
): ChildProcess {
  const gated = opts.onSpawn !== undefined && fdCloser().closer !== 'none';
  const argv = isolatedArgv(file, args, { cgroupProcs: opts.cgroupProcs, gateFd: gated ? GATE_FD : undefined });
  const child = spawn(argv.file, argv.args, {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe', gated ? 'pipe' : 'ignore'],
  });
  const record = child.pid !== undefined ? opts.onSpawn?.(child.pid) : undefined;
  if (gated) openGate(child.stdio[GATE_FD] as NodeJS.WritableStream | null, record);
  if (record) child.once('close', () => record.ended());
  return child;
}

/** Looks for the interpreter again (after `MULTISESSION_FD_CLOSER` changed; tests). */
export function redetectFdCloser(): void {
  found = null;
}
