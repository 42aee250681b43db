import { requestNames, requests } from '../../../src/shared/contract';
import type { ErrorCode } from '../../../src/shared/errors';
import { MAX_FRAME_BYTES } from '../../../src/shared/rpc';

/** One hostile request: a request name (or something that is not one) and an input. */
export interface HostileRequest {
  label: string;
  name: unknown;
  input: unknown;
  /** The typed error codes that are a correct answer. */
  expect: ErrorCode[];
}

/** One hostile frame for the text-frame transports (WebSocket, local socket). */
export interface HostileFrame {
  label: string;
  frame: string;
  expect: ErrorCode[];
}

const MB10 = 'x'.repeat(10 * 1024 * 1024);
const BAD = ['BAD_INPUT'] as ErrorCode[];
const NOT_FOUND = ['NOT_FOUND'] as ErrorCode[];
const BAD_OR_NOT_FOUND = ['BAD_INPUT', 'NOT_FOUND'] as ErrorCode[];

/** Branch names `git check-ref-format --branch` rejects. */
export const gitRejectedNames = [
  'bad..name',
  '-leading-dash',
  'has space',
  'tilde~1',
  'caret^',
  'colon:name',
  'question?',
  'star*',
  'open[bracket',
  'back\\slash',
  'ends.lock',
  'trailing/',
  'double//slash',
  'at@{brace',
  '@',
  '.hidden',
  'dot/.component',
  'ends.',
  '../escape',
  'ctrl\u0001char',
];

/** Strings no field should take quietly: control characters, NUL, traversal, 10 MB. */
const nastyIds = [
  'does-not-exist',
  '../../../../etc/passwd',
  'id\u0000with-nul',
  '\u001b[31mred',
  '$(touch /tmp/pwned)',
  ' ',
];

/**
 * At least 200 hostile requests built from the contract and a live session: wrong types for every
 * request, missing fields wherever some are required, huge strings, control characters and NUL,
 * path traversal, names git rejects, unknown ids and out-of-range numbers.
 */
export function hostileRequests(ctx: { sessionId: string; repoPath: string }): HostileRequest[] {
  const out: HostileRequest[] = [];
  const { sessionId, repoPath } = ctx;
  // Wrong types for every request of the contract.
  for (const name of requestNames) {
    for (const [what, input] of [
      ['a number', 42],
      ['a string', 'input'],
      ['an array', [1, 2]],
      ['null', null],
    ] as const) {
      out.push({ label: `${name}: input is ${what}`, name, input, expect: BAD });
    }
    // Missing fields, wherever the request has required ones.
    if (!requests[name].input.safeParse({}).success) {
      out.push({ label: `${name}: missing fields`, name, input: {}, expect: BAD });
    }
  }
  // Unknown request names.
  for (const name of [
    'no.such.request',
    '__proto__',
    'constructor',
    'toString',
    'sessions.create ',
    '',
    42,
    null,
    { a: 1 },
  ]) {
    out.push({ label: `request name ${JSON.stringify(name)}`, name, input: {}, expect: ['UNKNOWN_REQUEST'] });
  }
  // Unknown and hostile ids.
  for (const id of nastyIds) {
    for (const name of [
      'sessions.get',
      'sessions.start',
      'sessions.stop',
      'sessions.terminate',
      'sessions.diff',
    ] as const) {
      out.push({
        label: `${name} id ${JSON.stringify(id.slice(0, 20))}`,
        name,
        input: { sessionId: id },
        expect: BAD_OR_NOT_FOUND,
      });
    }
    out.push({
      label: `batch.get id ${JSON.stringify(id.slice(0, 20))}`,
      name: 'batch.get',
      input: { batchId: id },
      expect: BAD_OR_NOT_FOUND,
    });
  }
  out.push({ label: 'sessions.get id of 10 MB', name: 'sessions.get', input: { sessionId: MB10 }, expect: BAD });
  out.push({
    label: 'sessions.get id of 65 chars',
    name: 'sessions.get',
    input: { sessionId: 'a'.repeat(65) },
    expect: BAD,
  });
  out.push({
    label: 'terminals.input to an unknown session',
    name: 'terminals.input',
    input: { sessionId: 'nope', data: 'ls\r' },
    expect: NOT_FOUND,
  });
  out.push({
    label: 'commands.execute in an unknown session',
    name: 'commands.execute',
    input: { sessionId: 'nope', command: 'ls' },
    expect: NOT_FOUND,
  });

  const create = (label: string, patch: Record<string, unknown>, expect: ErrorCode[]) =>
    out.push({
      label: `sessions.create ${label}`,
      name: 'sessions.create',
      input: { name: 'hostile', repoPath, program: 'bash', autoStart: false, ...patch },
      expect,
    });
  // Names.
  create('name of 10 MB', { name: MB10 }, BAD);
  create('name with NUL', { name: 'a\u0000b' }, BAD);
  create('name with ESC', { name: '\u001b[2Jclear' }, BAD);
  create('name with newline', { name: 'line\nbreak' }, BAD);
  create('name with DEL', { name: 'del\u007f' }, BAD);
  create('empty name', { name: '' }, BAD);
  create('name is a number', { name: 7 }, BAD);
  // Repository paths.
  create('repoPath ../../..', { repoPath: '../../..' }, BAD);
  create('repoPath .', { repoPath: '.' }, BAD);
  create('repoPath relative traversal', { repoPath: `${repoPath}/../../../../../../etc` }, ['NOT_A_REPOSITORY']);
  create('repoPath /etc/passwd', { repoPath: '/etc/passwd' }, ['NOT_A_DIRECTORY']);
  create('repoPath /proc', { repoPath: '/proc' }, ['NOT_A_REPOSITORY']);
  create('repoPath with NUL', { repoPath: `${repoPath}\u0000/x` }, BAD);
  create('repoPath of 10 MB', { repoPath: `/${MB10}` }, BAD);
  create('repoPath inside .git', { repoPath: `${repoPath}/.git` }, ['NOT_A_REPOSITORY']);
  // Branch names git rejects, as new branch, base and existing branch.
  for (const b of gitRejectedNames)
    create(`branchName ${JSON.stringify(b)}`, { branchName: b }, ['INVALID_BRANCH_NAME', 'BAD_INPUT']);
  for (const b of gitRejectedNames.slice(0, 8)) {
    create(`baseBranch ${JSON.stringify(b)}`, { baseBranch: b }, [
      'BRANCH_NOT_FOUND',
      'INVALID_BRANCH_NAME',
      'BAD_INPUT',
    ]);
    create(`existingBranch ${JSON.stringify(b)}`, { existingBranch: b }, [
      'BRANCH_NOT_FOUND',
      'INVALID_BRANCH_NAME',
      'BAD_INPUT',
    ]);
  }
  create('both base and existing branch', { baseBranch: 'main', existingBranch: 'main' }, BAD);
  create('branchName of 10 MB', { branchName: MB10 }, BAD);
  // Programs, arguments, environment.
  create('program not on PATH', { program: 'no-such-program-xyz' }, ['PROGRAM_NOT_FOUND']);
  create('program is a directory', { program: '/etc' }, ['PROGRAM_NOT_FOUND']);
  create('program is not executable', { program: '/etc/passwd' }, ['PROGRAM_NOT_FOUND']);
  create('program with NUL', { program: 'bash\u0000-c' }, BAD);
  create('program of 10 MB', { program: MB10 }, BAD);
  create('args with NUL', { args: ['a\u0000b'] }, BAD);
  create('args not an array', { args: '-c ls' }, BAD);
  create('2000 args', { args: Array.from({ length: 2000 }, () => 'a') }, BAD);
  create('env name with =', { env: { 'A=B': 'x' } }, BAD);
  create('env value with NUL', { env: { A: 'x\u0000y' } }, BAD);
  create('prompt of 10 MB', { prompt: MB10 }, BAD);
  create('setupScript of 10 MB', { setupScript: MB10 }, BAD);
  // Out-of-range numbers.
  for (const priority of [0, 11, -1, 1.5, 1e308, '5']) create(`priority ${priority}`, { priority }, BAD);
  for (const copies of [0, 51, -1, 2.5, 1e9]) create(`copies ${copies}`, { copies }, BAD);
  for (const memoryMb of [0, -5, 1e12, 0.5]) create(`memoryMb ${memoryMb}`, { limits: { memoryMb } }, BAD);
  for (const runtimeSec of [0, -1, 1e12]) create(`runtimeSec ${runtimeSec}`, { limits: { runtimeSec } }, BAD);
  create('type unknown', { type: 'evil' }, BAD);
  create('cols 1.5', { cols: 1.5 }, BAD);

  // Requests on a live session.
  const onSession = (label: string, name: string, patch: Record<string, unknown>, expect: ErrorCode[]) =>
    out.push({ label: `${name} ${label}`, name, input: { sessionId, ...patch }, expect });
  for (const cols of [0, -1, 100_001, 1.5]) onSession(`cols ${cols}`, 'terminals.resize', { cols, rows: 24 }, BAD);
  for (const rows of [0, 1e9]) onSession(`rows ${rows}`, 'terminals.attach', { cols: 80, rows }, BAD);
  for (const chars of [-1, 1e10, 0.5]) onSession(`chars ${chars}`, 'terminals.ack', { chars }, BAD);
  onSession('data of 10 MB', 'terminals.input', { data: MB10 }, BAD);
  onSession('data is a number', 'terminals.input', { data: 5 }, BAD);
  onSession('command with NUL', 'commands.execute', { command: 'ls\u0000rm' }, BAD);
  onSession('command of 10 MB', 'commands.execute', { command: MB10 }, BAD);
  onSession('empty command', 'commands.execute', { command: '' }, BAD);
  onSession('arg with NUL', 'commands.execute', { command: 'ls', args: ['a\u0000'] }, BAD);
  onSession('kind unknown', 'commands.execute', { command: 'ls', kind: 'evil' }, BAD);
  onSession('timeout -1', 'commands.execute', { command: 'ls', timeoutSec: -1 }, BAD);
  onSession('timeout 1e9', 'commands.execute', { command: 'ls', timeoutSec: 1e9 }, BAD);
  onSession('unknown skill', 'commands.execute', { command: 'no-such-skill', kind: 'skill' }, ['SKILL_NOT_FOUND']);
  onSession('param with NUL', 'commands.execute', { command: 'ls', params: { a: 'b\u0000' } }, BAD);
  onSession('limit 0', 'commands.history', { limit: 0 }, BAD);
  onSession('limit 1e6', 'commands.history', { limit: 1e6 }, BAD);
  onSession('priority 99', 'sessions.update', { priority: 99 }, BAD);
  onSession('name with NUL', 'sessions.update', { name: 'x\u0000' }, BAD);
  onSession('name of 10 MB', 'sessions.update', { name: MB10 }, BAD);
  onSession('memory limit -1', 'sessions.update', { limits: { memoryMb: -1 } }, BAD);
  onSession('commitMessage empty', 'sessions.terminate', { commitMessage: '' }, BAD);
  onSession('acceptLoss is a number', 'sessions.terminate', { acceptLoss: 5 }, BAD);
  onSession('acceptLoss empty', 'sessions.terminate', { acceptLoss: '' }, BAD);
  onSession('acceptLoss of 10 MB', 'sessions.terminate', { acceptLoss: MB10 }, BAD);

  // Settings.
  const settings = (label: string, patch: unknown, expect: ErrorCode[] = BAD) =>
    out.push({ label: `settings.update ${label}`, name: 'settings.update', input: patch, expect });
  for (const maxRunning of [0, 501, -3, 2.5]) settings(`maxRunning ${maxRunning}`, { maxRunning });
  settings('theme unknown', { theme: 'evil' });
  settings('worktreeRoot relative', { worktreeRoot: '../../tmp' });
  settings('worktreeRoot with NUL', { worktreeRoot: '/tmp/\u0000x' });
  settings('worktreeRoot of 10 MB', { worktreeRoot: MB10 });
  settings('preset arg with NUL', { presets: [{ id: 'p', name: 'p', command: 'ls', args: ['\u0000'] }] });
  settings('branchTemplate of 10 MB', { branchTemplate: MB10 });
  settings('101 presets', {
    presets: Array.from({ length: 101 }, (_, i) => ({ id: `p${i}`, name: 'p', command: 'ls' })),
  });

  // Batches, broadcast, metrics, paths.
  out.push({
    label: 'batch.run empty selector',
    name: 'batch.run',
    input: { selector: {}, command: 'ls' },
    expect: BAD,
  });
  out.push({
    label: 'batch.run no session ids',
    name: 'batch.run',
    input: { selector: { sessionIds: [] }, command: 'ls' },
    expect: BAD,
  });
  out.push({
    label: 'batch.run concurrency 0',
    name: 'batch.run',
    input: { selector: { all: true }, command: 'ls', concurrency: 0 },
    expect: BAD,
  });
  out.push({
    label: 'batch.run concurrency 65',
    name: 'batch.run',
    input: { selector: { all: true }, command: 'ls', concurrency: 65 },
    expect: BAD,
  });
  out.push({
    label: 'batch.run unknown session',
    name: 'batch.run',
    input: { selector: { sessionIds: ['nope'] }, command: 'ls' },
    expect: ['NOT_FOUND', 'BAD_INPUT'],
  });
  out.push({
    label: 'terminals.broadcast unknown session',
    name: 'terminals.broadcast',
    input: { sessionIds: ['nope'], text: 'x' },
    expect: NOT_FOUND,
  });
  out.push({
    label: 'terminals.broadcast text of 10 MB',
    name: 'terminals.broadcast',
    input: { sessionIds: [sessionId], text: MB10 },
    expect: BAD,
  });
  out.push({
    label: 'metrics.series maxPoints 5',
    name: 'metrics.series',
    input: { from: 0, maxPoints: 5 },
    expect: BAD,
  });
  out.push({
    label: 'metrics.series from is a string',
    name: 'metrics.series',
    input: { from: 'yesterday' },
    expect: BAD,
  });
  out.push({
    label: 'system.openPath /etc/passwd',
    name: 'system.openPath',
    input: { path: '/etc/passwd' },
    expect: ['FORBIDDEN'],
  });
  out.push({
    label: 'system.openPath traversal',
    name: 'system.openPath',
    input: { path: `${repoPath}/../../../../etc` },
    expect: ['FORBIDDEN'],
  });
  out.push({
    label: 'system.openPath relative',
    name: 'system.openPath',
    input: { path: '../..' },
    expect: ['FORBIDDEN', 'BAD_INPUT'],
  });
  out.push({
    label: 'repos.inspect /etc',
    name: 'repos.inspect',
    input: { path: '/etc' },
    expect: ['NOT_A_REPOSITORY'],
  });
  out.push({ label: 'repos.inspect with NUL', name: 'repos.inspect', input: { path: '/tmp\u0000' }, expect: BAD });
  out.push({ label: 'repos.complete prefix of 10 MB', name: 'repos.complete', input: { prefix: MB10 }, expect: BAD });
  return out;
}

/** Frames that are not well-formed requests at all (text-frame transports only). */
export function hostileFrames(): HostileFrame[] {
  const req = (o: Record<string, unknown>) => JSON.stringify(o);
  return [
    { label: 'not JSON', frame: 'this is not json', expect: BAD },
    { label: 'truncated JSON', frame: '{"t":"req","id":1,"name":"app.info"', expect: BAD },
    { label: 'JSON null', frame: 'null', expect: BAD },
    { label: 'JSON number', frame: '12345', expect: BAD },
    { label: 'JSON string', frame: '"req"', expect: BAD },
    { label: 'JSON array', frame: '[1,2,3]', expect: BAD },
    { label: 'missing t', frame: req({ id: 1, name: 'app.info' }), expect: BAD },
    { label: 'wrong t', frame: req({ t: 'res', id: 1, name: 'app.info' }), expect: BAD },
    { label: 'missing id', frame: req({ t: 'req', name: 'app.info' }), expect: BAD },
    { label: 'negative id', frame: req({ t: 'req', id: -1, name: 'app.info' }), expect: BAD },
    { label: 'fractional id', frame: req({ t: 'req', id: 1.5, name: 'app.info' }), expect: BAD },
    { label: 'string id', frame: req({ t: 'req', id: 'x', name: 'app.info' }), expect: BAD },
    { label: 'name is an object', frame: req({ t: 'req', id: 1, name: { x: 1 } }), expect: BAD },
    { label: 'name of 201 chars', frame: req({ t: 'req', id: 1, name: 'n'.repeat(201) }), expect: BAD },
    {
      label: 'deeply nested input',
      frame: `{"t":"req","id":1,"name":"sessions.get","input":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      expect: BAD,
    },
    { label: 'NUL bytes', frame: '\u0000\u0000\u0000', expect: BAD },
    { label: 'control characters', frame: '\u0001\u0002\u001b[0m', expect: BAD },
    {
      label: 'invalid UTF-16 surrogate',
      frame: '{"t":"req","id":1,"name":"\ud800"}',
      expect: ['UNKNOWN_REQUEST', 'BAD_INPUT'],
    },
    {
      label: `oversized frame (${MAX_FRAME_BYTES + 1024} bytes)`,
      frame: 'x'.repeat(MAX_FRAME_BYTES + 1024),
      expect: ['FRAME_TOO_LARGE'],
    },
    {
      label: 'oversized request with a valid envelope',
      frame: req({ t: 'req', id: 1, name: 'sessions.get', input: { sessionId: 'y'.repeat(MAX_FRAME_BYTES) } }),
      expect: ['FRAME_TOO_LARGE'],
    },
  ];
}
