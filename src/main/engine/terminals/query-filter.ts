/**
 * Removes terminal queries from a program's output stream: the sequences a terminal answers by
 * typing a reply into the program's input (cursor position and status reports, device
 * attributes, mode reports, version, kitty keyboard flags, window size reports, colour and
 * capability queries). Every viewer but the primary one gets the filtered stream, so a query is
 * answered exactly once however many viewers are attached.
 *
 * Stateful across chunks: an escape sequence cut by a chunk boundary is held back until it is
 * complete (at most `maxHeld` characters; a longer one cannot be a query and is passed on).
 */
export class QueryFilter {
  private held = '';

  constructor(private readonly maxHeld = 4096) {}

  /** The chunk without its queries; a trailing incomplete sequence waits for the next chunk. */
  filter(chunk: string): string {
    let data = this.held + chunk;
    this.held = '';
    // Most output holds no escape at all, or only SGR/cursor moves: check cheaply first.
    if (data.indexOf('\x1b') < 0) return data;
    let out = '';
    let from = 0;
    let i = data.indexOf('\x1b');
    while (i >= 0) {
      const end = sequenceEnd(data, i);
      if (end < 0) {
        // Incomplete: hold it (unless it has grown too long to be a query).
        if (data.length - i <= this.maxHeld) {
          this.held = data.slice(i);
          data = data.slice(0, i);
        }
        break;
      }
      if (isQuery(data, i, end)) {
        out += data.slice(from, i);
        from = end;
      }
      i = data.indexOf('\x1b', end);
    }
    return out + data.slice(from);
  }

  /** Characters held back from the stream (an incomplete sequence at the end of the last chunk). */
  pending(): string {
    return this.held;
  }

  /** Gives back what is held (the program exited; nothing more will complete it). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }
}

/**
 * The index just past the escape sequence starting at `i`, or -1 when the data ends inside it.
 * Unknown or malformed sequences end at their first character after ESC, like a terminal's parser.
 */
function sequenceEnd(s: string, i: number): number {
  if (i + 1 >= s.length) return -1;
  const kind = s[i + 1];
  if (kind === '[') {
    for (let j = i + 2; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c >= 0x40 && c <= 0x7e) return j + 1;
      // Not a parameter, intermediate or final byte: the sequence is broken here.
      if (c < 0x20 || c > 0x3f) return j;
    }
    return -1;
  }
  if (kind === ']' || kind === 'P' || kind === '_' || kind === '^' || kind === 'X') {
    // String sequences end with BEL (OSC only) or ST (ESC \).
    for (let j = i + 2; j < s.length; j++) {
      const c = s[j];
      if (c === '\x07' && kind === ']') return j + 1;
      if (c === '\x1b') {
        if (j + 1 >= s.length) return -1;
        return s[j + 1] === '\\' ? j + 2 : j;
      }
    }
    return -1;
  }
  return i + 2;
}

/** Window reports a terminal answers (XTWINOPS): state, position, sizes in pixels and cells, title. */
const windowReports = new Set(['11', '13', '14', '15', '16', '18', '19', '20', '21']);

function isQuery(s: string, start: number, end: number): boolean {
  const kind = s[start + 1];
  if (kind === '[') {
    const body = s.slice(start + 2, end - 1);
    const final = s[end - 1];
    const prefix = body[0];
    if (final === 'n') return true; // DSR: status, cursor position, colour scheme, …
    if (final === 'c') return body === '' || body === '0' || prefix === '>' || prefix === '='; // DA1/2/3
    if (final === 'p') return body.endsWith('$'); // DECRQM
    if (final === 'q') return prefix === '>'; // XTVERSION
    if (final === 'u') return prefix === '?'; // kitty keyboard flags
    if (final === 't') return windowReports.has(body.split(';')[0]);
    return false;
  }
  if (kind === ']') {
    const body = s.slice(start + 2, s[end - 1] === '\x07' ? end - 1 : end - 2);
    const [ident, ...slots] = body.split(';');
    // Colour queries (OSC 4, 10–19 and their kin) carry '?' where a colour would be set; so does
    // a clipboard read (OSC 52), which no viewer but the primary may answer either.
    return /^\d+$/.test(ident) && slots.includes('?');
  }
  if (kind === 'P') {
    const body = s.slice(start + 2, end - 2);
    return body.startsWith('$q') || body.startsWith('+q'); // DECRQSS, XTGETTCAP
  }
  return false;
}
