/**
 * Generators of malformed input for browser mode and the local socket, driven by a seeded PRNG so
 * a failing case can be replayed from its seed and index. Each returns raw bytes to write to a
 * fresh TCP (or unix) connection.
 */

/** mulberry32: small, fast, good enough to spread cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];
const bytes = (r: Rng, n: number) => Buffer.from(Array.from({ length: n }, () => int(r, 256)));
const ascii = (r: Rng, n: number, from = 32, to = 127) =>
  String.fromCharCode(...Array.from({ length: n }, () => from + int(r, to - from)));

const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'PATCH',
  'PRI',
  'get',
  'G ET',
  'GET\0',
  'ÄÖÜ',
  '',
  'X'.repeat(300),
];
const BAD_TARGETS = [
  '/%zz',
  '/%',
  '/%%',
  '/%e0%a4%a',
  '/%c0%af',
  '/%00',
  '/a%2f..%2f..%2fetc%2fpasswd',
  '/..%2f..%2f',
  '/../../etc/passwd',
  '//evil.example/',
  'http://evil.example/',
  'http://[::1',
  '*',
  '',
  ' ',
  '/\u0000',
  '/\\..\\..\\',
  '/?token=%zz',
  '/ws%zz',
  '/#frag',
  '/' + '%41'.repeat(3000),
  '/' + 'a'.repeat(9000),
  '/%uD800',
  '/\ud800',
  '/%ff%fe',
  '/index.html%00.js',
  '/assets/../../../../etc/passwd',
  '/.',
  '/..',
  '/;',
  '/?%',
  '/?a=%zz&b=%',
  'mailto:x',
  '/%5c%5c',
];
const VERSIONS = [
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/0.9',
  'HTTP/2.0',
  'HTTP/9.9',
  'HTTP/1.1x',
  'HTTPS/1.1',
  '',
  'HTTP/1.1 extra',
  'http/1.1',
];

export interface FuzzCase {
  kind: string;
  payload: Buffer;
}

function requestLine(r: Rng, host: string): FuzzCase {
  const line = `${pick(r, METHODS)} ${pick(r, BAD_TARGETS)} ${pick(r, VERSIONS)}`;
  return { kind: 'request-line', payload: Buffer.from(`${line}\r\nHost: ${host}\r\n\r\n`, 'latin1') };
}

function uriEscape(r: Rng, host: string): FuzzCase {
  const parts = Array.from({ length: 1 + int(r, 6) }, () =>
    pick(r, [
      '%',
      '%z',
      '%zz',
      `%${ascii(r, 2)}`,
      '%ed%a0%80',
      '%c3',
      '..',
      '/',
      '\\',
      ascii(r, 3),
      '%2e%2e',
      '?',
      '#',
      '%00',
    ]),
  );
  return {
    kind: 'uri-escape',
    payload: Buffer.from(`GET /${parts.join('')} HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 'latin1'),
  };
}

function headers(r: Rng, host: string): FuzzCase {
  const lines = [`GET /${pick(r, ['', 'healthz', 'index.html', 'ws'])} HTTP/1.1`];
  const options = [
    () => `Host: ${host}`,
    () => `Host: ${host}`,
    () => `Host: ${ascii(r, int(r, 40))}`,
    () => 'Host:',
    () => `Host: ${host}\r\nHost: evil.example`,
    () =>
      `Origin: ${pick(r, ['null', '', 'http://evil.example', `http://${host}/x`, 'http://[', ascii(r, 20), '%zz://x'])}`,
    () => `Content-Length: ${pick(r, ['-1', 'abc', '99999999999999999999', '1, 2', '0x10', ' 5', '5 '])}`,
    () => `Transfer-Encoding: ${pick(r, ['chunked', 'gzip, chunked', 'chunked, identity', 'x'])}`,
    () => 'Content-Length: 3\r\nTransfer-Encoding: chunked',
    () => `${ascii(r, 1 + int(r, 20), 0, 256)}: ${ascii(r, int(r, 40), 0, 256)}`,
    () => `X-Big: ${'a'.repeat(20_000 + int(r, 70_000))}`,
    () => ' folded: continuation',
    () => `Cookie: ms_token=${ascii(r, 30)}`,
    () => `Authorization: Bearer ${ascii(r, 30)}`,
    () => 'Connection: Upgrade',
    () => `Upgrade: ${pick(r, ['websocket', 'h2c', 'WebSocket', ''])}`,
    () => ascii(r, int(r, 60), 0, 256),
    () => 'Expect: 100-continue',
  ];
  for (let i = 0, n = 1 + int(r, 8); i < n; i++) lines.push(pick(r, options)());
  const end = pick(r, ['\r\n\r\n', '\n\n', '\r\n', '\r\r', '']);
  const body = r() < 0.3 ? ascii(r, int(r, 200), 0, 256) : '';
  return { kind: 'headers', payload: Buffer.from(lines.join(pick(r, ['\r\n', '\r\n', '\n'])) + end + body, 'latin1') };
}

function method(r: Rng, host: string): FuzzCase {
  const m = pick(r, [...METHODS, ascii(r, 1 + int(r, 12), 33, 127), 'M-SEARCH', 'PROPFIND', 'SOURCE', 'LINK']);
  const body = r() < 0.5 ? `Content-Length: 5\r\n\r\nhello` : '\r\n';
  return { kind: 'method', payload: Buffer.from(`${m} / HTTP/1.1\r\nHost: ${host}\r\n${body}`, 'latin1') };
}

function upgrade(r: Rng, host: string): FuzzCase {
  const key = pick(r, ['dGhlIHNhbXBsZSBub25jZQ==', '', 'short', ascii(r, 24), '====']);
  const version = pick(r, ['13', '8', '', 'abc', '13, 8']);
  const path = pick(r, ['/ws', '/', '/ws%zz', '/ws?x', '/other', '//ws', pick(r, BAD_TARGETS)]);
  const extra = pick(r, [
    '',
    'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=99\r\n',
    `Sec-WebSocket-Protocol: ${ascii(r, 30)}\r\n`,
    `Origin: ${pick(r, ['null', 'http://evil.example', `http://${host}`])}\r\n`,
  ]);
  const payload = `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: ${pick(r, ['websocket', 'WebSocket', 'websocketx', ''])}\r\nConnection: ${pick(r, ['Upgrade', 'keep-alive, Upgrade', 'close'])}\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`;
  return { kind: 'upgrade', payload: Buffer.from(payload, 'latin1') };
}

/** One client→server WebSocket frame; fields can be made wrong on purpose. */
export function wsFrame(
  payload: Buffer,
  o: { opcode?: number; fin?: boolean; rsv?: number; masked?: boolean; lengthLie?: number } = {},
): Buffer {
  const masked = o.masked ?? true;
  const len = o.lengthLie ?? payload.length;
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | (o.opcode ?? 1)];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 255);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(...big);
  }
  const mask = masked ? Buffer.from([1, 2, 3, 4]) : Buffer.alloc(0);
  const body = masked ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4])) : payload;
  return Buffer.concat([Buffer.from(head), mask, body]);
}

export function wsHandshake(host: string): Buffer {
  return Buffer.from(
    `GET /ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
}

/** Frames after a real handshake: before authenticating, or after it with the right token. */
function wsFrames(r: Rng, host: string, token: string): FuzzCase {
  const auth = r() < 0.5;
  const frames: Buffer[] = [wsHandshake(host)];
  if (auth) frames.push(wsFrame(Buffer.from(JSON.stringify({ t: 'auth', token }))));
  for (let i = 0, n = 1 + int(r, 4); i < n; i++) {
    const variant = int(r, 10);
    const text = pick(r, [
      '{"t":"auth","token":' + JSON.stringify(ascii(r, 20)) + '}',
      '{"t":"req","id":1,"name":"app.info","input":{}}',
      `{"t":"req","id":${pick(r, ['-1', '1e400', '"x"', 'null', '2'])},"name":${pick(r, ['"sessions.list"', '1', 'null', '"__proto__"', '"constructor"'])},"input":${pick(r, ['{}', 'null', '[]', '{"__proto__":{"x":1}}', '"x"'])}}`,
      ascii(r, int(r, 300), 0, 256),
      '{"t":"req","id":3,"name":"terminals.input","input":{"sessionId":"nope","data":"x"}}',
      '[]',
      'null',
    ]);
    if (variant === 0) frames.push(bytes(r, 1 + int(r, 64)));
    else if (variant === 1) frames.push(wsFrame(Buffer.from(text), { opcode: pick(r, [0, 3, 7, 11, 15]) }));
    else if (variant === 2) frames.push(wsFrame(Buffer.from(text), { masked: false }));
    else if (variant === 3) frames.push(wsFrame(Buffer.from(text), { rsv: 1 + int(r, 7) }));
    else if (variant === 4) frames.push(wsFrame(bytes(r, 20), { opcode: 9, fin: false }));
    else if (variant === 5) frames.push(wsFrame(Buffer.from(text), { lengthLie: pick(r, [2 ** 40, 70_000, 200, 0]) }));
    else if (variant === 6) frames.push(wsFrame(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xed, 0xa0, 0x80])));
    else if (variant === 7)
      frames.push(wsFrame(Buffer.from(text), { fin: false }), wsFrame(Buffer.from(text), { opcode: 1 }));
    else if (variant === 8) frames.push(wsFrame(bytes(r, 126), { opcode: 8 }));
    else frames.push(wsFrame(Buffer.from(text)));
  }
  return { kind: auth ? 'ws-frame-authed' : 'ws-frame-unauthed', payload: Buffer.concat(frames) };
}

function rawBytes(r: Rng): FuzzCase {
  return { kind: 'raw-bytes', payload: bytes(r, 1 + int(r, 2000)) };
}

/** A malformed request or frame sequence for browser mode's TCP port. */
export function tcpCase(r: Rng, host: string, token: string): FuzzCase {
  const gens = [requestLine, uriEscape, headers, method, upgrade];
  const x = r();
  if (x < 0.2) return wsFrames(r, host, token);
  if (x < 0.27) return rawBytes(r);
  return pick(r, gens)(r, host);
}

/** A malformed line sequence for the local socket (the CLI's transport). */
export function socketCase(r: Rng): FuzzCase {
  const lines = Array.from({ length: 1 + int(r, 5) }, () =>
    pick(r, [
      ascii(r, int(r, 300), 0, 256),
      '{"t":"req","id":1,"name":"app.info","input":{}}',
      `{"t":"req","id":${pick(r, ['-1', '1.5', '"x"', '9007199254740993'])},"name":"sessions.get","input":{"sessionId":${JSON.stringify(ascii(r, 10))}}}`,
      '{"t":"req","id":2,"name":"sessions.create","input":{"repoPath":"relative","name":"\\u0000"}}',
      '{'.repeat(2000),
      '"' + '\\u'.repeat(100) + '"',
      bytes(r, 50).toString('latin1'),
    ]),
  );
  return { kind: 'socket-line', payload: Buffer.from(lines.join('\n') + (r() < 0.8 ? '\n' : ''), 'latin1') };
}
