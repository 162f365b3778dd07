// The base protocol's framing (`Content-Length: N\r\n\r\n` + N bytes), parsed strictly.
// vscode-jsonrpc's own reader reports a bad header and carries on from wherever it stopped: after
// `Content-Length: abc`, a short length or a header with no length it reads the rest of the stream
// out of step and answers nothing again. Once a frame is malformed nothing later on the stream
// can be trusted, so this parser throws instead, and the server ends (transport.ts).

/** A header block longer than this is not LSP's two short headers: refuse it, do not buffer it. */
export const MAX_HEADER_BYTES = 8 * 1024;
/** No client sends more: VS Code syncs no document over 50 MB; a length beyond is a broken stream. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** The stream can no longer be read in step; the message names the fault, never the content. */
export class FrameError extends Error {}

// RFC 9110 token characters (a header name), and what a header value may hold.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const TOKEN_PREFIX = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/;
const VALUE = /^[\t\x20-\x7e]*$/;

/** A short, printable rendering of a header value, for the error message. */
function shown(v: string): string {
  return v.length <= 24 && /^[\x20-\x7e]*$/.test(v) ? `'${v}'` : `of ${v.length} characters`;
}

/** Check one complete header line; return its lower-cased name and trimmed value. */
function headerLine(line: string, n: number): [string, string] {
  const colon = line.indexOf(':');
  if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) throw new FrameError(`header line ${n} is not 'Name: value'`);
  const value = line.slice(colon + 1);
  if (!VALUE.test(value)) throw new FrameError(`header line ${n} holds a control or non-ASCII character`);
  return [line.slice(0, colon).toLowerCase(), value.replace(/^[ \t]+|[ \t]+$/g, '')];
}

/** The body length a complete header block announces, or a FrameError. */
export function parseHeaders(block: string): number {
  if (block === '') throw new FrameError('the header has no Content-Length');
  const lines = block.split('\r\n');
  let length: number | undefined;
  lines.forEach((line, i) => {
    const [name, value] = headerLine(line, i + 1);
    if (name === 'content-length') {
      if (!/^\d{1,10}$/.test(value)) throw new FrameError(`Content-Length ${shown(value)} is not a byte count`);
      const n = Number(value);
      if (length !== undefined && length !== n) throw new FrameError('two different Content-Length headers');
      if (n > MAX_FRAME_BYTES) throw new FrameError(`Content-Length ${n} is over the ${MAX_FRAME_BYTES}-byte frame limit`);
      length = n;
    } else if (name === 'content-type') {
      const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(value)?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new FrameError(`charset ${shown(charset)} is not UTF-8`);
    }
  });
  if (length === undefined) throw new FrameError('the header has no Content-Length');
  return length;
}

/** Is `tail` (header bytes with no CRLF yet) the start of some valid header line? */
function validPrefix(tail: string, n: number): void {
  const colon = tail.indexOf(':');
  const name = colon < 0 ? tail.replace(/\r$/, '') : tail.slice(0, colon);
  if (!TOKEN_PREFIX.test(name) || (colon === 0)) throw new FrameError(`header line ${n} is not 'Name: value'`);
  if (colon > 0 && !VALUE.test(tail.slice(colon + 1).replace(/\r$/, ''))) throw new FrameError(`header line ${n} holds a control or non-ASCII character`);
}

/**
 * Splits a byte stream into message bodies. `push` delivers the bodies a chunk completes and
 * throws a FrameError as soon as the bytes so far cannot start a valid frame, so a broken stream
 * is found when it breaks, not when (if ever) a header end arrives.
 */
export class FrameParser {
  private header = '';
  private body: Buffer[] = [];
  private bodyBytes = 0;
  private need = -1; // body length once the header is read; -1 while reading a header
  private broken = false;

  /** Hand each body a chunk completes to `onBody`, in order; throw once the stream is broken. */
  push(chunk: Buffer, onBody: (body: Buffer) => void): void {
    if (this.broken) return;
    try {
      this.take(chunk, onBody);
    } catch (err) {
      this.broken = true;
      throw err;
    }
  }

  /** Is a frame begun and not yet complete? */
  get midFrame(): boolean {
    return !this.broken && (this.need >= 0 || this.header.length > 0);
  }

  /** Bytes held for an unfinished frame (for tests and for the memory bound). */
  get buffered(): number {
    return this.header.length + this.bodyBytes;
  }

  private take(chunk: Buffer, onBody: (body: Buffer) => void): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.need < 0) {
        // Header bytes are ASCII or an error; latin1 maps each byte to one character, so a
        // non-ASCII byte shows up as a character the checks refuse.
        const room = MAX_HEADER_BYTES + 4 - this.header.length;
        const end = Math.min(chunk.length, at + room);
        const before = this.header.length;
        this.header += chunk.toString('latin1', at, end);
        const stop = this.header.indexOf('\r\n\r\n');
        if (stop < 0) {
          this.checkPartial();
          if (this.header.length > MAX_HEADER_BYTES) throw new FrameError(`the header is over ${MAX_HEADER_BYTES} bytes`);
          at = end;
          continue;
        }
        if (stop > MAX_HEADER_BYTES) throw new FrameError(`the header is over ${MAX_HEADER_BYTES} bytes`);
        const block = this.header.slice(0, stop);
        if (/\r(?!\n)|(?<!\r)\n/.test(block)) throw new FrameError('a header line ends without CRLF');
        this.need = parseHeaders(block);
        at += stop + 4 - before;
        this.header = '';
      }
      const take = Math.min(this.need - this.bodyBytes, chunk.length - at);
      if (take > 0) {
        this.body.push(chunk.subarray(at, at + take));
        this.bodyBytes += take;
        at += take;
      }
      if (this.bodyBytes === this.need) {
        const body = this.body.length === 1 ? this.body[0] : Buffer.concat(this.body, this.bodyBytes);
        this.body = [];
        this.bodyBytes = 0;
        this.need = -1;
        onBody(body);
      }
    }
  }

  /** The header read so far, with no end yet, must be the start of a valid header block. */
  private checkPartial() {
    const lines = this.header.split('\r\n');
    const tail = lines.pop()!;
    lines.forEach((line, i) => {
      if (line.includes('\n') || line.includes('\r')) throw new FrameError('a header line ends without CRLF');
      headerLine(line, i + 1);
    });
    if (/\n|\r(?!$)/.test(tail)) throw new FrameError('a header line ends without CRLF');
    validPrefix(tail, lines.length + 1);
  }
}
