/**
 * What a terminal shows when a new program starts where another ran: the previous screen moves up
 * into the scrollback, the modes the old program left (alternate screen, mouse, hidden cursor,
 * colours, scroll region) are reset, and a dim separator line with the time and the reason sits at
 * the top of a clean screen — so a restarted program never draws over the old one.
 */
export function restartBanner(cols: number, rows: number, at: Date, reason = 'restarted'): string {
  const time = at.toTimeString().slice(0, 8);
  const label = ` ${reason} · ${time} `;
  const width = Math.max(0, cols - 2);
  const text = label.length >= width ? label.slice(0, width) : `──${label}${'─'.repeat(width - label.length - 2)}`;
  return (
    '\x1b[?2026l\x1b[?1049l' + // main screen, no pending synchronized update
    '\x1b[!p' + // soft reset: pen, cursor keys, keypad, origin, wrap, insert, scroll region, cursor shown
    '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1004l\x1b[?2004l' + // mouse, focus, paste off
    `\x1b[${rows};1H${'\n'.repeat(rows)}` + // scroll the old screen into the scrollback
    `\x1b[H\x1b[2m${text}\x1b[0m\r\n`
  );
}
