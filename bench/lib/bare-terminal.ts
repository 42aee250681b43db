import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import * as nodePty from 'node-pty';
import { WebSocketServer } from 'ws';
import { repoRoot } from './paths';
import { STREAMER } from './sessions';

/**
 * The raw baseline of keystroke → glyph: a bare page with xterm.js (the same version and the DOM
 * renderer, as the app's terminals are measured) fed by raw node-pty over a WebSocket — no engine,
 * no contract, no flow control. Terminal 0 runs bash; terminals 1… run the streamers in hidden
 * panes, as the app's other tabs do.
 */
export async function startBareTerminalPage(opts: {
  streamers: number;
  cwd: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  const xtermJs = readFileSync(join(repoRoot, 'node_modules/@xterm/xterm/lib/xterm.js'));
  const xtermCss = readFileSync(join(repoRoot, 'node_modules/@xterm/xterm/css/xterm.css'));
  const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/xterm.css">
<style>body{margin:0;background:#15171c}#t0{width:1000px;height:640px}.hidden{display:none}</style></head>
<body><div id="t0"></div><div class="hidden" id="others"></div><script src="/xterm.js"></script><script>
function connect(i, el) {
  const term = new Terminal({ cols: 120, rows: 32, fontFamily: 'monospace', fontSize: 13 });
  term.open(el);
  const ws = new WebSocket('ws://' + location.host + '/ws?i=' + i);
  ws.onmessage = (e) => term.write(e.data);
  term.onData((d) => ws.readyState === 1 && ws.send(d));
  return term;
}
window.mainTerm = connect(0, document.getElementById('t0'));
for (let i = 1; i <= ${opts.streamers}; i++) {
  const d = document.createElement('div'); document.getElementById('others').appendChild(d); connect(i, d);
}
window.mainTerm.focus();
</script></body></html>`;
  const ptys: nodePty.IPty[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/xterm.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(xtermJs);
    else if (path === '/xterm.css') res.writeHead(200, { 'Content-Type': 'text/css' }).end(xtermCss);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (ws, req) => {
    const i = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('i') ?? 0);
    const [file, args] = i === 0 ? ['bash', ['--noprofile', '--norc']] : [STREAMER.program, STREAMER.args];
    const pty = nodePty.spawn(file, args, {
      name: 'xterm-256color',
      cols: 120,
      rows: 32,
      cwd: opts.cwd,
      env: { ...(process.env as Record<string, string>), PS1: '$ ' },
      encoding: 'utf8',
    });
    ptys.push(pty);
    pty.onData((d) => ws.readyState === ws.OPEN && ws.send(d));
    ws.on('message', (m) => pty.write(m.toString()));
    ws.on('close', () => pty.kill('SIGKILL'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      for (const p of ptys) {
        try {
          p.kill('SIGKILL');
        } catch {
          // Gone.
        }
      }
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
