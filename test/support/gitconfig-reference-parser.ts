// The first, straightforward version of the git-config parser (one character at a time, as
// git's config.c reads). Kept only as a reference for tests: the fast parser in
// server/src/gitconfig/parser.ts must produce exactly the same document, spans included.
import type { ConfigDocument, Entry, Section, Span } from '../../server/src/gitconfig/parser';

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isAlpha = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string) => c >= '0' && c <= '9';
const isKeyChar = (c: string) => isAlpha(c) || isDigit(c) || c === '-';

class Reader {
  pos = 0;
  constructor(readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1; // git skips a UTF-8 BOM
  }
  get eof() {
    return this.pos >= this.text.length;
  }
  /** git's get_next_char: CRLF reads as LF, end of file reads as LF. */
  next(): string {
    if (this.pos >= this.text.length) {
      this.pos = this.text.length + 1; // mark "past eof" like git's cs->eof
      return '\n';
    }
    let c = this.text[this.pos++];
    if (c === '\r' && this.text[this.pos] === '\n') c = this.text[this.pos++];
    return c;
  }
  get pastEof() {
    return this.pos > this.text.length;
  }
  /** Offset clamped to the text. */
  get at() {
    return Math.min(this.pos, this.text.length);
  }
  skipLine() {
    while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
    if (this.pos < this.text.length) this.pos++;
  }
}

export function parseGitConfigReference(text: string): ConfigDocument {
  const r = new Reader(text);
  const doc: ConfigDocument = { text, sections: [], entries: [], errors: [] };
  let current: Section | null = null;
  let comment = false;

  const fail = (start: number, message: string) => {
    const lineEnd = text.indexOf('\n', start);
    const end = Math.max(r.at, lineEnd < 0 ? text.length : lineEnd);
    doc.errors.push({ span: { start, end: Math.max(end, start) }, message, code: 'syntax' });
  };
  const closeSection = (at: number) => {
    if (current) current.span.end = at;
  };

  for (;;) {
    const start = r.at;
    const c = r.next();
    if (c === '\n') {
      if (r.pastEof) break;
      comment = false;
      continue;
    }
    if (comment) continue;
    if (isSpace(c)) continue;
    if (c === '#' || c === ';') {
      comment = true;
      continue;
    }
    if (c === '[') {
      closeSection(start);
      const s = parseHeader(r, start);
      current = s.section;
      doc.sections.push(current);
      if (s.error) {
        fail(start, s.error);
        r.pos = Math.max(r.pos - 1, start + 1);
        r.skipLine();
        comment = false;
      }
      continue;
    }
    if (!isAlpha(c)) {
      fail(start, isDigit(c) ? `bad config line: a key name must start with a letter, not '${c}'` : `bad config line: unexpected '${printable(c)}'`);
      r.pos = start;
      r.skipLine();
      continue;
    }
    const e = parseEntry(r, start, current);
    if (e.entry) {
      doc.entries.push(e.entry);
      if (current) current.entries.push(e.entry);
    }
    if (e.error) {
      fail(e.errorAt ?? start, e.error);
      if (!e.atLineEnd) r.skipLine();
    }
  }
  closeSection(text.length);
  doc.errors.sort((a, b) => a.span.start - b.span.start);
  return doc;
}

/** git hands names and values to its callbacks as C strings: a NUL ends them. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function printable(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
}

function parseHeader(r: Reader, start: number): { section: Section; error?: string } {
  let name = '';
  const nameStart = r.at;
  const section: Section = {
    name: '',
    subsection: null,
    legacy: false,
    header: { start, end: start },
    nameSpan: { start: nameStart, end: nameStart },
    subsectionSpan: null,
    span: { start, end: start },
    entries: [],
    broken: false,
  };
  const done = (error?: string) => {
    section.name = legacySplit(section, name);
    section.header.end = r.at;
    if (error) section.broken = true;
    return { section, error };
  };
  for (;;) {
    const here = r.at;
    const c = r.next();
    if (r.pastEof) {
      section.nameSpan.end = here;
      return done('unterminated section header: missing ]');
    }
    if (c === ']') {
      section.nameSpan.end = here;
      if (name.length === 0) return done('empty section name');
      return done();
    }
    if (isSpace(c)) {
      section.nameSpan.end = here;
      return extended(c);
    }
    if (!isKeyChar(c) && c !== '.') {
      section.nameSpan.end = here;
      return done(c === '\n' ? 'unterminated section header: missing ]' : `invalid character '${printable(c)}' in section name`);
    }
    name += c.toLowerCase();
  }

  function extended(first: string): { section: Section; error?: string } {
    let c = first;
    while (isSpace(c)) {
      if (c === '\n') return done('unterminated section header: missing ]');
      c = r.next();
    }
    if (c !== '"') return done(`a subsection name must be quoted: [section "name"]`);
    const subStart = r.at;
    let sub = '';
    for (;;) {
      const here = r.at;
      let ch = r.next();
      if (ch === '\n') {
        section.subsectionSpan = { start: subStart, end: here };
        return done('unterminated subsection name: missing closing quote');
      }
      if (ch === '"') {
        section.subsectionSpan = { start: subStart, end: here };
        break;
      }
      if (ch === '\\') {
        ch = r.next();
        if (ch === '\n') {
          section.subsectionSpan = { start: subStart, end: here };
          return done('unterminated subsection name: missing closing quote');
        }
      }
      sub += ch;
    }
    section.subsection = sub;
    const close = r.next();
    if (close !== ']') return done(`expected ']' right after the closing quote of the subsection`);
    // `[ "x"]` is legal in git: an empty section name with a subsection.
    return done();
  }
}

/** git stores `[a.b]` as section `a.b`; we expose it as section `a` with legacy subsection `b`. */
function legacySplit(section: Section, name: string): string {
  if (section.subsection === null && name.includes('.')) {
    const dot = name.indexOf('.');
    section.subsection = name.slice(dot + 1);
    section.legacy = true;
    return name.slice(0, dot);
  }
  return name;
}

function fullSectionName(s: Section | null): string {
  if (!s) return '';
  if (s.legacy) return `${s.name}.${s.subsection}`;
  return s.subsection === null ? s.name : `${s.name}.${s.subsection}`;
}

function parseEntry(
  r: Reader,
  start: number,
  section: Section | null,
): { entry?: Entry; error?: string; errorAt?: number; atLineEnd?: boolean } {
  // First character (a letter) is already consumed.
  let c: string;
  let keyEnd: number;
  for (;;) {
    keyEnd = r.at;
    c = r.next();
    if (r.pastEof) break;
    if (!isKeyChar(c)) break;
  }
  const rawKey = r.text.slice(start, keyEnd);
  const key = rawKey.toLowerCase();
  const keySpan = { start, end: keyEnd };
  let here = keyEnd;
  while (c === ' ' || c === '\t') {
    here = r.at;
    c = r.next();
  }
  const make = (value: string | null, valueSpan: Span | null, end: number): Entry => ({
    section,
    key,
    rawKey,
    keySpan,
    value,
    valueSpan,
    span: { start, end },
    fullName: cString(section ? `${fullSectionName(section)}.${key}` : key),
  });
  if (c === '\n') {
    return { entry: make(null, null, keyEnd), atLineEnd: true };
  }
  if (c !== '=') {
    const what = c === '#' || c === ';' ? 'a comment right after a key without "=" is rejected by git' : `expected '=' after key '${rawKey}'`;
    return { entry: make(null, null, keyEnd), error: what, errorAt: here };
  }
  const v = parseValue(r);
  if (v.error) return { entry: make(v.value, v.span, v.span.end), error: v.error, errorAt: v.errorAt, atLineEnd: v.atLineEnd };
  return { entry: make(v.value, v.span, v.span.end), atLineEnd: true };
}

/** git's parse_value, keeping the span of the raw text (up to any trailing comment). */
function parseValue(r: Reader): { value: string; span: Span; error?: string; errorAt?: number; atLineEnd?: boolean } {
  let quote = false;
  let comment = false;
  let space = 0;
  let out = '';
  let rawStart = -1;
  let rawEnd = r.at;
  for (;;) {
    const here = r.at;
    let c = r.next();
    if (c === '\n') {
      const span = { start: rawStart < 0 ? here : rawStart, end: rawStart < 0 ? here : rawEnd };
      if (quote) return { value: cString(out), span, error: 'unterminated quoted value: missing closing "', errorAt: here, atLineEnd: true };
      return { value: cString(out), span };
    }
    if (comment) continue;
    if (isSpace(c) && !quote) {
      if (out.length) space++;
      continue;
    }
    if (!quote && (c === ';' || c === '#')) {
      comment = true;
      continue;
    }
    if (rawStart < 0) rawStart = here;
    for (; space; space--) out += ' ';
    if (c === '\\') {
      c = r.next();
      rawEnd = r.at;
      switch (c) {
        case '\n': // continuation (at end of file git reads a newline, so it is accepted too)
          continue;
        case 't':
          c = '\t';
          break;
        case 'b':
          c = '\b';
          break;
        case 'n':
          c = '\n';
          break;
        case '\\':
        case '"':
          break;
        default:
          return {
            value: out,
            span: { start: rawStart, end: rawEnd },
            error: `unknown escape sequence '\\${printable(c)}' in value (git knows \\" \\\\ \\n \\t \\b)`,
            errorAt: here,
          };
      }
      out += c;
      continue;
    }
    rawEnd = r.at;
    if (c === '"') {
      quote = !quote;
      continue;
    }
    out += c;
  }
}

