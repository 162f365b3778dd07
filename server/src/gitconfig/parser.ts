// A git-config parser that follows git's own config.c state machine (git 2.39), but keeps
// source offsets for every token and recovers after an error so one mistake does not hide
// the rest. This is the one config model: language features and the engine both read it.

export interface Span {
  start: number; // UTF-16 offset into the text, inclusive
  end: number; // exclusive
}

export interface Section {
  /** Section name, lower-cased as git does (`remote`). For `[a.b "c"]` this is `a.b`. */
  name: string;
  /** Subsection, or null. Quoted subsections keep case; legacy `[a.b]` ones are lower-cased by git. */
  subsection: string | null;
  /** True for the legacy `[section.sub]` spelling. */
  legacy: boolean;
  /** The whole `[...]` header. */
  header: Span;
  /** The section name as written, and the subsection (inside the quotes) as written. */
  nameSpan: Span;
  subsectionSpan: Span | null;
  /** From the header to just before the next header (or end of file). */
  span: Span;
  entries: Entry[];
  /** The header did not parse; entries below it are attributed to this broken section. */
  broken: boolean;
}

export interface Entry {
  section: Section | null; // null: a key before any section header (git accepts it as a bare name)
  /** Key as git lower-cases it (`replicationdelay`). */
  key: string;
  /** Key as written. */
  rawKey: string;
  keySpan: Span;
  /** Decoded value, or null when the key has no `=` (git's implicit true). */
  value: string | null;
  /** The raw value text after `=` (without the trailing comment), or null. */
  valueSpan: Span | null;
  /** From the key to the end of the value (continuations included). */
  span: Span;
  /** The full variable name git prints in `--list`: section[.subsection].key */
  fullName: string;
}

export interface ParseError {
  span: Span;
  message: string;
  code: 'syntax';
}

export interface ConfigDocument {
  text: string;
  sections: Section[];
  /** Every entry in file order, including those of broken sections. */
  entries: Entry[];
  errors: ParseError[];
}

/**
 * The entries of a parse by number, without building an object per entry. A 10,000-remote
 * file has over 100,000 entries; as objects they were most of what the garbage collector
 * copied during a validation. Validators read keys and values by number and ask for the
 * Entry object only when they report something; `entries` builds them all on first use.
 */
export interface EntryTable {
  readonly entryCount: number;
  /** Lower-cased key of entry i. */
  keyOf(i: number): string;
  valueOf(i: number): string | null;
  /** Offset of entry i's key. */
  keyStartOf(i: number): number;
  sectionOf(i: number): Section | null;
  /** Entry i as an object: always the same object for the same i. */
  entry(i: number): Entry;
  /** Entry numbers of a section: first, and one past its last. */
  firstEntryOf(s: Section): number;
  endEntryOf(s: Section): number;
}

/** What parseGitConfig returns. */
export interface ParsedConfig extends ConfigDocument, EntryTable {
  /**
   * True when the parse met none of what can make JGit read a line differently from git (see
   * jgitRead.ts: a backslash, a CR, a control or non-ASCII character, a tab after something on
   * its line, a quote outside a section header), false when it may have, undefined when not
   * known (a re-parse after an edit). It never says true for a text that holds one of them.
   */
  readonly plainForJGit: boolean | undefined;
}

// git's own isspace (sane_ctype): only these four; \v and \f are ordinary characters.
// Character codes. The parser works on UTF-16 code units with charCodeAt and slices values out
// of the text: building strings one character at a time made a 4 MB file 5x slower (GC).
const NL = 10;
const CR = 13;
const SP = 32;
const TAB = 9;
const HASH = 35;
const SEMI = 59;
const LBRACKET = 91;
const RBRACKET = 93;
const QUOTE = 34;
const BSLASH = 92;
const EQ = 61;
const DOT = 46;
const DASH = 45;
const NUL = 0;

// git's own isspace (sane_ctype): only these four; \v and \f are ordinary characters.
const isSpace = (c: number) => c === SP || c === TAB || c === NL || c === CR;
const isAlpha = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isKeyChar = (c: number) => isAlpha(c) || isDigit(c) || c === DASH;
// isKeyChar as a table, for the scan of every key.
const KEY_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) KEY_CHAR[c] = isKeyChar(c) ? 1 : 0;

class Reader {
  pos = 0;
  /** A CR was read, or a header held what JGit may read otherwise (see ParsedConfig.plainForJGit). */
  odd = false;
  readonly len: number;
  constructor(readonly text: string) {
    this.len = text.length;
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1; // git skips a UTF-8 BOM
  }
  /** git's get_next_char: CRLF reads as LF, end of file reads as LF. */
  next(): number {
    if (this.pos >= this.len) {
      this.pos = this.len + 1; // mark "past eof" like git's cs->eof
      return NL;
    }
    const c = this.text.charCodeAt(this.pos++);
    if (c === CR) {
      this.odd = true;
      if (this.text.charCodeAt(this.pos) === NL) {
        this.pos++;
        return NL;
      }
    }
    return c;
  }
  get pastEof() {
    return this.pos > this.len;
  }
  /** Offset clamped to the text. */
  get at() {
    return this.pos < this.len ? this.pos : this.len;
  }
  skipLine() {
    if (this.pos >= this.len) return;
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.len : nl + 1;
  }
}

export function parseGitConfig(text: string): ParsedConfig {
  return parseGitConfigInSlices(text).step(Infinity)!;
}

/**
 * A parse done a slice at a time, so a host can answer requests between slices of a big file:
 * `step(chars)` reads on for about that many characters (to the end of the line it is in) and
 * returns the parse once the whole text is read, undefined before. The same parse as
 * parseGitConfig, which is one step of the whole text.
 */
export interface SlicedParse {
  step(chars: number): ParsedConfig | undefined;
}

export function parseGitConfigInSlices(text: string): SlicedParse {
  const doc = new DocumentNode(text, new StringTable());
  const read = readFrom(doc, new Reader(text), null, -1, undefined);
  let done: ParsedConfig | undefined;
  const step = (chars: number): ParsedConfig | undefined => {
    if (done) return done;
    if (read(chars) === undefined) return undefined;
    doc.errors.sort((a, b) => a.span.start - b.span.start);
    return (done = doc);
  };
  return { step };
}

/**
 * The main loop of the parse, from `r.pos` with `current` open, as a function that reads on for
 * about `chars` characters a call (undefined until the end). With `resync`, it stops at the
 * first section header that starts a line at or after `changedEnd` and that the old parse also
 * started a section at (`resync` returns that old section's number, or -1): from there on the
 * two parses read the same characters from the same state. Returns that number, or -1 at the end.
 */
function readFrom(doc: DocumentNode, r: Reader, current: SectionNode | null, changedEnd: number, resync: ((start: number) => number) | undefined): (chars: number) => number | undefined {
  const text = r.text;
  const problem: EntryProblem = {};
  const fail = (start: number, message: string) => {
    const lineEnd = text.indexOf('\n', start);
    const end = Math.max(r.at, lineEnd < 0 ? text.length : lineEnd);
    doc.errors.push({ span: { start, end: Math.max(end, start) }, message, code: 'syntax' });
  };
  const closeSection = (at: number) => {
    if (!current) return;
    current.end = at;
    current.last = doc.entryCount; // a section's entries are the run read since its header
  };

  return (chars: number): number | undefined => {
    const stop = r.pos + chars;
    // Between two iterations the reader stands at the start of a construct: a safe place to stop.
    for (;;) {
      if (r.pos >= stop) return undefined;
      const start = r.at;
      const c = r.next();
      if (c === NL) {
        if (r.pastEof) break;
        continue;
      }
      if (c === SP || c === CR) continue;
      if (c === TAB) {
        if (doc.plainForJGit && !atLineStart(text, start)) doc.plainForJGit = false;
        continue;
      }
      if (c === HASH || c === SEMI) {
        // A comment runs to the newline, which the next read returns.
        const nl = text.indexOf('\n', r.pos);
        const end = nl < 0 ? r.len : nl;
        if (doc.plainForJGit) seeComment(doc, text, r.pos, end);
        r.pos = end;
        continue;
      }
      if (c === LBRACKET) {
        if (resync !== undefined && start >= changedEnd && text.lastIndexOf('\n', start - 1) + 1 >= changedEnd) {
          const old = resync(start);
          if (old >= 0) {
            closeSection(start);
            return old;
          }
        }
        closeSection(start);
        const s = parseHeader(r, start);
        current = s.section;
        current.doc = doc;
        current.first = doc.entryCount;
        doc.sections.push(current);
        if (s.error) {
          fail(start, s.error);
          r.pos = Math.max(r.pos - 1, start + 1);
          r.skipLine();
        }
        continue;
      }
      if (!isAlpha(c)) {
        const ch = String.fromCharCode(c);
        fail(start, isDigit(c) ? `bad config line: a key name must start with a letter, not '${ch}'` : `bad config line: unexpected '${printable(c)}'`);
        r.pos = start;
        r.skipLine();
        continue;
      }
      parseEntry(r, start, problem, doc);
      if (problem.error) {
        fail(problem.errorAt ?? start, problem.error);
        if (!problem.atLineEnd) r.skipLine();
      }
    }
    closeSection(text.length);
    if (r.odd || doc.errors.length || text.charCodeAt(0) === 0xfeff) doc.plainForJGit = false;
    return -1;
  };
}

/** Whether only blanks stand between the line's start and `at`. */
function atLineStart(text: string, at: number): boolean {
  for (let p = at - 1; p >= 0; p--) {
    const c = text.charCodeAt(p);
    if (c === NL) return true;
    if (c !== SP && c !== TAB) return false;
  }
  return true;
}

/** A comment's text [from, to): anything in it but plain printable ASCII may read otherwise in JGit. */
function seeComment(doc: DocumentNode, text: string, from: number, to: number): void {
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p);
    if (c < SP || c >= 0x7f || c === QUOTE || c === BSLASH) {
      doc.plainForJGit = false;
      return;
    }
  }
}

/**
 * What an edit changed in a parse (see reparseGitConfig): the old sections [firstSection,
 * oldSectionEnd) were read again as the new [firstSection, newSectionEnd); those before are the
 * same and those after are the old ones moved by `delta` characters. Entries likewise. The text
 * differs only in [changeStart, oldChangeEnd) of the old, [changeStart, newChangeEnd) of the new.
 */
export interface ParseSplice {
  firstSection: number;
  oldSectionEnd: number;
  newSectionEnd: number;
  firstEntry: number;
  oldEntryEnd: number;
  newEntryEnd: number;
  changeStart: number;
  oldChangeEnd: number;
  newChangeEnd: number;
  delta: number;
}

/** Length of the common prefix of a and b (strings compared in blocks, then by character). */
function commonPrefix(a: string, b: string, max: number): number {
  let n = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (n + step <= max && a.slice(n, n + step) === b.slice(n, n + step)) n += step;
  }
  return n;
}

function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (n + step <= max && a.slice(a.length - n - step, a.length - n) === b.slice(b.length - n - step, b.length - n)) n += step;
  }
  return n;
}

/**
 * The parse of `text`, an edit of `prev.text`, re-reading only the sections the edit touches:
 * from the header of the section the edit starts in to the first header after the edit where the
 * old parse started a section too (the parser's state at a header is only its position, so the
 * rest reads as before, moved). Equal to parseGitConfig(text) (test/gitconfig/reparse.test.ts).
 * Undefined when the edit reaches into the first header or what comes before it, or when the
 * sections to re-read hold more than `maxChars` characters (a host that parses big texts in
 * slices parses those anew).
 */
export function reparseGitConfig(prev: ParsedConfig, text: string, maxChars = Infinity): { parsed: ParsedConfig; splice: ParseSplice } | undefined {
  const old = prev as DocumentNode;
  if (!(old instanceof DocumentNode)) return undefined;
  const oldText = old.text;
  const min = Math.min(oldText.length, text.length);
  const changeStart = commonPrefix(oldText, text, min);
  // The section whose header starts before the change (its '[' is unchanged).
  const secs = old.sections as SectionNode[];
  let lo = 0;
  let hi = secs.length - 1;
  if (hi < 0 || secs[0].hs >= changeStart || changeStart === 0) return undefined;
  const suffix = commonSuffix(oldText, text, min - changeStart);
  const oldChangeEnd = oldText.length - suffix;
  const newChangeEnd = text.length - suffix;
  const delta = text.length - oldText.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (secs[mid].hs < changeStart) lo = mid;
    else hi = mid - 1;
  }
  const k = lo;
  if (newChangeEnd - secs[k].hs > maxChars) return undefined;
  const firstEntry = secs[k].first;
  // The touched sections are read into a parse of their own, numbered from 0 and into the same
  // strings, whose entries then take the place of the old ones (spliceEntries): nothing of the
  // file's size is copied into the garbage-collected heap for an edit.
  const strings = old.strings;
  if (strings.added > MAX_ADDED) return undefined; // a full parse starts a new table
  const scratch = new DocumentNode(text, strings);
  const before = strings.keys.length + strings.values.texts.length;
  const r = new Reader(text);
  r.pos = secs[k].hs;
  // An old section starting at (new offset) `start`, after the change.
  const resync = (start: number): number => {
    const want = start - delta;
    let a = k + 1;
    let b = secs.length - 1;
    while (a <= b) {
      const mid = (a + b) >> 1;
      if (secs[mid].hs === want) return mid;
      if (secs[mid].hs < want) a = mid + 1;
      else b = mid - 1;
    }
    return -1;
  };
  const m = readFrom(scratch, r, null, newChangeEnd, resync)(maxChars);
  strings.added += strings.keys.length + strings.values.texts.length - before;
  if (m === undefined) return undefined;
  const oldSectionEnd = m < 0 ? secs.length : m;
  const oldEntryEnd = m < 0 ? old.entryCount : secs[m].first;
  const doc = new DocumentNode(text, strings);
  doc.plainForJGit = undefined; // jgitReadAfter answers for an edit
  doc.spliceEntries(old, firstEntry, oldEntryEnd, scratch, delta);
  for (let i = 0; i < k; i++) doc.sections.push(secs[i].moved(doc, 0, 0));
  for (const e of old.errors) if (e.span.start < secs[k].hs) doc.errors.push(e);
  for (const s of scratch.sections as SectionNode[]) {
    s.doc = doc;
    s.first += firstEntry;
    s.last += firstEntry;
    doc.sections.push(s);
  }
  for (const e of scratch.errors) doc.errors.push(e);
  const newSectionEnd = doc.sections.length;
  const newEntryEnd = firstEntry + scratch.entryCount;
  if (m >= 0) {
    const entryShift = newEntryEnd - oldEntryEnd;
    for (let i = m; i < secs.length; i++) doc.sections.push(secs[i].moved(doc, delta, entryShift));
    for (const e of old.errors) if (e.span.start >= secs[m].hs) doc.errors.push({ span: { start: e.span.start + delta, end: e.span.end + delta }, message: e.message, code: e.code });
  }
  doc.errors.sort((a, b) => a.span.start - b.span.start);
  return { parsed: doc, splice: { firstSection: k, oldSectionEnd, newSectionEnd, firstEntry, oldEntryEnd, newEntryEnd, changeStart, oldChangeEnd, newChangeEnd, delta } };
}

/** git hands names and values to its callbacks as C strings: a NUL ends them. */
function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function printable(code: number): string {
  return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : String.fromCharCode(code);
}

/** A section header with plain numbers; its spans are built on demand (see EntryNode). */
class SectionNode implements Section {
  name = '';
  subsection: string | null = null;
  legacy = false;
  broken = false;
  doc: DocumentNode | null = null;
  /** Entry numbers: the first after the header, and one past the last. */
  first = 0;
  last = 0;
  private list: Entry[] | undefined;
  get entries(): Entry[] {
    if (this.list === undefined) {
      this.list = [];
      for (let i = this.first; i < this.last; i++) this.list.push(this.doc!.entry(i));
    }
    return this.list;
  }
  /** header start = span start; -1 for the subsection marks "no subsection span". */
  hs: number;
  he: number;
  ns: number;
  ne: number;
  ss = -1;
  se = -1;
  end: number;
  constructor(start: number, nameStart: number) {
    this.hs = this.he = this.end = start;
    this.ns = this.ne = nameStart;
  }
  get header(): Span {
    return { start: this.hs, end: this.he };
  }
  get nameSpan(): Span {
    return { start: this.ns, end: this.ne };
  }
  get subsectionSpan(): Span | null {
    return this.ss < 0 ? null : { start: this.ss, end: this.se };
  }
  get span(): Span {
    return { start: this.hs, end: this.end };
  }
  /** A copy for another parse of the same text moved by `delta` characters and `entryShift` entries. */
  moved(doc: DocumentNode, delta: number, entryShift: number): SectionNode {
    const s = new SectionNode(this.hs + delta, this.ns + delta);
    s.name = this.name;
    s.subsection = this.subsection;
    s.legacy = this.legacy;
    s.broken = this.broken;
    s.doc = doc;
    s.first = this.first + entryShift;
    s.last = this.last + entryShift;
    s.he = this.he + delta;
    s.ne = this.ne + delta;
    if (this.ss >= 0) {
      s.ss = this.ss + delta;
      s.se = this.se + delta;
    }
    s.end = this.end + delta;
    return s;
  }
  toJSON() {
    const { name, subsection, legacy, header, nameSpan, subsectionSpan, span, entries, broken } = this;
    return { name, subsection, legacy, header, nameSpan, subsectionSpan, span, entries, broken };
  }
}

/** The parse: sections and errors as objects, entries as columns (see EntryTable). */
class DocumentNode implements ParsedConfig {
  plainForJGit: boolean | undefined = true;
  sections: Section[] = [];
  errors: ParseError[] = [];
  // Five numbers per entry (STRIDE) in one Int32Array, which lives outside the garbage-collected
  // heap: key start, value start and end (-1: no '='), then the key's and the value's numbers
  // in `strings` (-1: no value). A parse and the parses of its edits share one StringTable, so an
  // edit copies numbers only.
  offsets = new Int32Array(STRIDE * 1024);
  private count = 0;
  private built = new Map<number, EntryNode>();
  private all: Entry[] | undefined;
  // The table's own arrays, which only grow: one property load less per key and value read.
  private readonly keyNames: KeyName[];
  private readonly valueText: string[];
  constructor(
    readonly text: string,
    readonly strings: StringTable,
  ) {
    this.keyNames = strings.keys;
    this.valueText = strings.values.texts;
  }
  get entryCount(): number {
    return this.count;
  }
  keyOf(i: number): string {
    return this.keyNames[this.offsets[STRIDE * i + 3]].lower;
  }
  valueOf(i: number): string | null {
    const v = this.offsets[STRIDE * i + 4];
    return v < 0 ? null : this.valueText[v];
  }
  keyStartOf(i: number): number {
    return this.offsets[STRIDE * i];
  }
  sectionOf(i: number): Section | null {
    // Sections are in entry order: the last one starting at or before i, if i is inside it.
    let lo = 0;
    let hi = this.sections.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.sections[mid] as SectionNode).first <= i) lo = mid;
      else hi = mid - 1;
    }
    const s = this.sections[lo] as SectionNode | undefined;
    return s && s.first <= i && i < s.last ? s : null;
  }
  entry(i: number): Entry {
    if (this.all !== undefined) return this.all[i];
    let e = this.built.get(i);
    if (e === undefined) {
      if (i < 0 || i >= this.count || !Number.isInteger(i)) throw new RangeError(`no entry ${i}`);
      e = this.build(i, this.sectionOf(i));
      this.built.set(i, e);
    }
    return e;
  }
  get entries(): Entry[] {
    if (this.all === undefined) {
      const all: Entry[] = [];
      let next = 0;
      for (const s of this.sections as SectionNode[]) {
        for (; next < s.first; next++) all.push(this.built.get(next) ?? this.build(next, null));
        for (; next < s.last; next++) all.push(this.built.get(next) ?? this.build(next, s));
      }
      for (; next < this.count; next++) all.push(this.built.get(next) ?? this.build(next, null));
      this.all = all;
      this.built.clear();
    }
    return this.all;
  }
  private build(i: number, section: Section | null): EntryNode {
    const o = this.offsets;
    const b = STRIDE * i;
    return new EntryNode(section, this.keyNames[o[b + 3]], o[b], this.valueOf(i), o[b + 1], o[b + 2]);
  }
  firstEntryOf(s: Section): number {
    return (s as SectionNode).first;
  }
  endEntryOf(s: Section): number {
    return (s as SectionNode).last;
  }
  /** A new entry with key number `key` and no value yet (a key without '='); returns its number. */
  add(key: number, start: number): number {
    const i = this.count++;
    if (STRIDE * this.count > this.offsets.length) {
      const bigger = new Int32Array(this.offsets.length * 2);
      bigger.set(this.offsets);
      this.offsets = bigger;
    }
    const o = this.offsets;
    const b = STRIDE * i;
    o[b] = start;
    o[b + 1] = -1;
    o[b + 2] = -1;
    o[b + 3] = key;
    o[b + 4] = -1;
    return i;
  }
  /**
   * The entries of `old` with its [from, oldTo) replaced by all of `mid`'s (a parse of the
   * re-read text into old's StringTable, numbered from 0); the offsets of those after move by
   * `delta` characters. Only numbers are copied, outside the heap.
   */
  spliceEntries(old: DocumentNode, from: number, oldTo: number, mid: DocumentNode, delta: number): void {
    if (this.count !== 0 || old.strings !== this.strings || mid.strings !== this.strings) throw new Error('spliceEntries: not a new parse of the same strings');
    const n = mid.count;
    this.count = old.count + from + n - oldTo;
    const dst = new Int32Array(Math.max(STRIDE * 1024, STRIDE * this.count));
    dst.set(old.offsets.subarray(0, STRIDE * from), 0);
    dst.set(mid.offsets.subarray(0, STRIDE * n), STRIDE * from);
    dst.set(old.offsets.subarray(STRIDE * oldTo, STRIDE * old.count), STRIDE * (from + n));
    if (delta !== 0) {
      for (let b = STRIDE * (from + n), e = STRIDE * this.count; b < e; b += STRIDE) {
        dst[b] += delta;
        if (dst[b + 1] >= 0) {
          dst[b + 1] += delta;
          dst[b + 2] += delta;
        }
      }
    }
    this.offsets = dst;
  }
  /** Entry i's value: `value` is its number in strings.values. */
  setValue(i: number, value: number, start: number, end: number): void {
    const b = STRIDE * i;
    this.offsets[b + 1] = start;
    this.offsets[b + 2] = end;
    this.offsets[b + 4] = value;
  }
}

function parseHeader(r: Reader, start: number): { section: SectionNode; error?: string } {
  const text = r.text;
  const nameStart = r.at;
  let nameEnd = nameStart;
  const section = new SectionNode(start, nameStart);
  const done = (error?: string) => {
    section.name = legacySplit(section, text.slice(nameStart, nameEnd).toLowerCase());
    section.he = r.at;
    if (error) section.broken = true;
    return { section, error };
  };
  for (;;) {
    const here = r.at;
    const c = r.next();
    if (r.pastEof) {
      section.ne = here;
      return done('unterminated section header: missing ]');
    }
    if (c === RBRACKET) {
      section.ne = here;
      if (here === nameStart) return done('empty section name');
      return done();
    }
    if (isSpace(c)) {
      section.ne = here;
      return extended(c);
    }
    if (!isKeyChar(c) && c !== DOT) {
      section.ne = here;
      return done(c === NL ? 'unterminated section header: missing ]' : `invalid character '${printable(c)}' in section name`);
    }
    nameEnd = r.pos;
  }

  function extended(first: number): { section: SectionNode; error?: string } {
    let c = first;
    while (isSpace(c)) {
      if (c === NL) return done('unterminated section header: missing ]');
      if (c === TAB) r.odd = true;
      c = r.next();
    }
    if (c !== QUOTE) return done(`a subsection name must be quoted: [section "name"]`);
    const subStart = r.at;
    let sub = '';
    let seg = subStart; // start of the run of plain characters not yet copied into `sub`
    for (;;) {
      const here = r.at;
      let ch = r.next();
      if (ch === NL) {
        section.ss = subStart;
        section.se = here;
        return done('unterminated subsection name: missing closing quote');
      }
      if (ch === QUOTE) {
        section.ss = subStart;
        section.se = here;
        sub += text.slice(seg, here);
        break;
      }
      if (ch < SP || ch >= 0x7f) r.odd = true;
      if (ch === BSLASH) {
        r.odd = true;
        sub += text.slice(seg, here);
        ch = r.next();
        if (ch === NL) {
          section.ss = subStart;
        section.se = here;
          return done('unterminated subsection name: missing closing quote');
        }
        sub += String.fromCharCode(ch);
        seg = r.pos;
      }
    }
    section.subsection = sub;
    const close = r.next();
    if (close !== RBRACKET) return done(`expected ']' right after the closing quote of the subsection`);
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
  return s.subsection === null ? s.name : `${s.name}.${s.subsection}`; // legacy too: `a.b`
}

/** What went wrong in the entry just read; one object reused for every entry of a parse. */
interface EntryProblem {
  error?: string;
  errorAt?: number;
  atLineEnd?: boolean;
}

/**
 * An entry keeps plain numbers and builds its spans and full name on demand: a 10,000-remote
 * file has over 100,000 entries, and every field and object an entry holds survives into the
 * old generation, so its size is most of the parser's garbage-collection time. The key span
 * needs no end (a key is one run of characters) and both spellings of the key live in one
 * shared KeyName.
 */
class EntryNode implements Entry {
  constructor(
    readonly section: Section | null,
    private readonly names: KeyName,
    private readonly ks: number,
    readonly value: string | null,
    private readonly vs: number, // value span, -1 when the key has no '='
    private readonly ve: number,
  ) {}
  get key(): string {
    return this.names.lower;
  }
  get rawKey(): string {
    return this.names.raw;
  }
  get keySpan(): Span {
    return { start: this.ks, end: this.ks + this.names.raw.length };
  }
  get valueSpan(): Span | null {
    return this.vs < 0 ? null : { start: this.vs, end: this.ve };
  }
  get span(): Span {
    return { start: this.ks, end: this.vs < 0 ? this.ks + this.names.raw.length : this.ve };
  }
  get fullName(): string {
    return this.section ? cString(`${fullSectionName(this.section)}.${this.key}`) : this.key;
  }
  /** Plain data for JSON.stringify and logs (the getters are not own properties). */
  toJSON() {
    const { section, key, rawKey, keySpan, value, valueSpan, span, fullName } = this;
    return { section: section && { name: section.name, subsection: section.subsection }, key, rawKey, keySpan, value, valueSpan, span, fullName };
  }
}

interface KeyName {
  raw: string;
  lower: string;
}

// Strings the edits of one parse may add to its table before reparseGitConfig declines: an edit
// of a value adds about one, and a full parse of the bench's 10,000-remote file holds ~1,100.
const MAX_ADDED = 1 << 16;

/** Numbers per entry in DocumentNode.offsets. */
const STRIDE = 5;

/**
 * Strings by number, each distinct text once: found by the caller's hash of its characters in
 * the text, so no string is cut for a text seen before.
 */
class Interner {
  readonly texts: string[] = [];
  // Hash → the first text seen with it. A builtin Map costs the same in a cold process as in a
  // warm one, where a table of our own ran interpreted for much of a cold `check`.
  private byHash = new Map<number, number>();
  /** The number of text[start, end), whose hash is h; a text not seen yet is added. */
  find(text: string, start: number, end: number, h: number): number {
    const id = this.byHash.get(h);
    if (id !== undefined) {
      const t = this.texts[id];
      if (t.length === end - start && sameText(text, start, t)) return id;
      return this.own(text.slice(start, end)); // another text with the same hash: not shared
    }
    const n = this.own(text.slice(start, end));
    this.byHash.set(h, n);
    return n;
  }
  /** A string of its own, not shared (found by no text). */
  own(value: string): number {
    this.texts.push(value);
    return this.texts.length - 1;
  }
}

/**
 * The key spellings and values of a parse and of the parses of its edits, by number: values
 * repeat a lot (refspecs, numbers, booleans) and one copy of each keeps what the parse leaves
 * behind small. An edit adds what it typed; `added` counts those, so that a long session on
 * one document starts a new table (reparseGitConfig) before old versions' strings pile up.
 */
class StringTable {
  readonly keys: KeyName[] = [];
  private readonly keyIds = new Interner();
  readonly values = new Interner();
  added = 0;
  key(text: string, start: number, end: number, h: number): number {
    const id = this.keyIds.find(text, start, end, h);
    if (id === this.keys.length) {
      const raw = this.keyIds.texts[id];
      this.keys.push({ raw, lower: raw.toLowerCase() });
    }
    return id;
  }
}

/** Whether text has s at offset start (a loop is faster than startsWith here). */
function sameText(text: string, start: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) if (text.charCodeAt(start + i) !== s.charCodeAt(i)) return false;
  return true;
}

function parseEntry(r: Reader, start: number, problem: EntryProblem, doc: DocumentNode): void {
  // The first character (a letter) is already consumed.
  problem.error = problem.errorAt = problem.atLineEnd = undefined;
  const text = r.text;
  let p = r.pos;
  let h = text.charCodeAt(start); // the key's hash, for StringTable.key
  for (let c = text.charCodeAt(p); p < r.len && c < 128 && KEY_CHAR[c] === 1; c = text.charCodeAt(++p)) h = (Math.imul(h, 31) + c) | 0;
  const keyEnd = p;
  r.pos = p;
  let c = r.next();
  const entry = doc.add(doc.strings.key(text, start, keyEnd, h), start);
  let here = keyEnd;
  while (c === SP || c === TAB) {
    if (c === TAB) doc.plainForJGit = false;
    here = r.at;
    c = r.next();
  }
  if (c === NL) return;
  if (c !== EQ) {
    problem.error = c === HASH || c === SEMI ? 'a comment right after a key without "=" is rejected by git' : `expected '=' after key '${text.slice(start, keyEnd)}'`;
    problem.errorAt = here;
    return;
  }
  if (parsePlainValue(r, doc, entry)) return;
  doc.plainForJGit = false; // a quote, backslash, lone CR or NUL
  const v = parseValue(r);
  doc.setValue(entry, doc.strings.values.own(v.value), v.span.start, v.span.end);
  if (v.error) {
    problem.error = v.error;
    problem.errorAt = v.errorAt;
    problem.atLineEnd = v.atLineEnd;
  }
}

interface ValueResult {
  value: string;
  span: Span;
  error?: string;
  errorAt?: number;
  atLineEnd?: boolean;
}

// Characters below 128 that end a run of plain value characters: blanks, line ends, comment
// starts, and those only parseValue reads (quote, backslash, NUL). A run between them costs one
// comparison and one table lookup a character.
// ODD: the other control characters and DEL, value characters that JGit may read otherwise
// (see ParsedConfig.plainForJGit); every character from 128 up counts as one too.
const STOP = new Uint8Array(128);
const ODD = 2;
for (const c of [SP, TAB, NL, CR, HASH, SEMI, QUOTE, BSLASH, NUL]) STOP[c] = 1;
for (let c = 1; c < SP; c++) if (STOP[c] === 0) STOP[c] = ODD;
STOP[0x7f] = ODD;

/**
 * The common case in one pass: a value with no quote, backslash, lone CR or NUL, maybe
 * followed by a comment. Returns false (and consumes nothing) for anything else, which
 * parseValue then reads exactly as git does. Both give the same value and span.
 */
function parsePlainValue(r: Reader, doc: DocumentNode, entry: number): boolean {
  const text = r.text;
  const len = r.len;
  let p = r.pos;
  let vs = -1;
  let ve = -1;
  let tabs = false;
  let h = 0; // hash of the value's characters, for Interner.find
  let eol = len; // where the line ending starts: '\n', the '\r' of CRLF, or end of text
  let next = len; // where reading resumes
  while (p < len) {
    let c = text.charCodeAt(p);
    const k = c < 128 ? STOP[c] : ODD;
    if (k !== 1) {
      if (k === ODD) doc.plainForJGit = false;
      if (vs < 0) vs = p;
      else for (let q = ve; q < p; q++) h = (Math.imul(h, 31) + SP) | 0; // inner whitespace
      h = (Math.imul(h, 31) + c) | 0;
      // A run of the plainest characters; any other is looked at by the loop around.
      for (p++; p < len; p++) {
        c = text.charCodeAt(p);
        if (c >= 128 || STOP[c] !== 0) break;
        h = (Math.imul(h, 31) + c) | 0;
      }
      ve = p;
      continue;
    }
    if (c === SP || c === TAB) {
      if (c === TAB) {
        doc.plainForJGit = false;
        if (vs >= 0) tabs = true;
      }
      p++;
      continue;
    }
    if (c === NL) {
      eol = p;
      next = p + 1;
      break;
    }
    if (c === CR && text.charCodeAt(p + 1) === NL) {
      doc.plainForJGit = false;
      eol = p;
      next = p + 2;
      break;
    }
    if (c === HASH || c === SEMI) {
      const nl = text.indexOf('\n', p);
      if (doc.plainForJGit) seeComment(doc, text, p, nl < 0 ? len : nl);
      if (nl < 0) break;
      eol = text.charCodeAt(nl - 1) === CR && nl - 1 > p ? nl - 1 : nl;
      next = nl + 1;
      break;
    }
    return false; // a quote, backslash, lone CR or NUL: parseValue reads it as git does
  }
  r.pos = next;
  const values = doc.strings.values;
  if (vs < 0) {
    doc.setValue(entry, values.find(text, eol, eol, 0), eol, eol);
    return true;
  }
  // git turns each unquoted whitespace character inside a value into a space.
  const value = tabs ? values.own(text.slice(vs, ve).replace(/\t/g, ' ')) : values.find(text, vs, ve, h);
  doc.setValue(entry, value, vs, ve);
  return true;
}

/** git's parse_value, keeping the span of the raw text (up to any trailing comment). */
function parseValue(r: Reader): ValueResult {
  let quote = false;
  let comment = false;
  let space = 0;
  let out = '';
  let rawStart = -1;
  let rawEnd = r.at;
  for (;;) {
    const here = r.at;
    let c = r.next();
    if (c === NL) {
      const span = { start: rawStart < 0 ? here : rawStart, end: rawStart < 0 ? here : rawEnd };
      if (quote) return { value: cString(out), span, error: 'unterminated quoted value: missing closing "', errorAt: here, atLineEnd: true };
      return { value: cString(out), span };
    }
    if (comment) continue;
    if (isSpace(c) && !quote) {
      if (out.length) space++;
      continue;
    }
    if (!quote && (c === SEMI || c === HASH)) {
      comment = true;
      continue;
    }
    if (rawStart < 0) rawStart = here;
    for (; space; space--) out += ' ';
    if (c === BSLASH) {
      c = r.next();
      rawEnd = r.at;
      switch (c) {
        case NL: // continuation (at end of file git reads a newline, so it is accepted too)
          continue;
        case 116: // t
          c = TAB;
          break;
        case 98: // b
          c = 8;
          break;
        case 110: // n
          c = NL;
          break;
        case BSLASH:
        case QUOTE:
          break;
        default:
          return {
            value: out,
            span: { start: rawStart, end: rawEnd },
            error: `unknown escape sequence '\\${printable(c)}' in value (git knows \\" \\\\ \\n \\t \\b)`,
            errorAt: here,
          };
      }
      out += String.fromCharCode(c);
      continue;
    }
    rawEnd = r.at;
    if (c === QUOTE) {
      quote = !quote;
      continue;
    }
    out += String.fromCharCode(c);
  }
}

// ---- Queries on a parsed document ----

// Validators ask these per remote and per key; on a 10,000-remote file a scan per question
// would be quadratic, so each document gets one index, built on first use.
interface KeyIndex {
  all: Entry[];
  bySubsection: Map<string | null, Entry[]>;
}
interface DocIndex {
  keys: Map<string, Map<string, KeyIndex>>; // section name → key → entries
  subsections: Map<string, string[]>;
}
const indexes = new WeakMap<ConfigDocument, DocIndex>();

function indexOf(doc: ConfigDocument): DocIndex {
  let idx = indexes.get(doc);
  if (idx) return idx;
  idx = { keys: new Map(), subsections: new Map() };
  for (const e of doc.entries) {
    if (!e.section) continue;
    let byKey = idx.keys.get(e.section.name);
    if (!byKey) idx.keys.set(e.section.name, (byKey = new Map()));
    let k = byKey.get(e.key);
    if (!k) byKey.set(e.key, (k = { all: [], bySubsection: new Map() }));
    k.all.push(e);
    const sub = e.section.subsection;
    const list = k.bySubsection.get(sub);
    if (list) list.push(e);
    else k.bySubsection.set(sub, [e]);
  }
  const seen = new Map<string, Set<string>>();
  for (const sec of doc.sections) {
    if (sec.subsection === null) continue;
    let names = seen.get(sec.name);
    if (!names) {
      seen.set(sec.name, (names = new Set()));
      idx.subsections.set(sec.name, []);
    }
    if (!names.has(sec.subsection)) {
      names.add(sec.subsection);
      idx.subsections.get(sec.name)!.push(sec.subsection);
    }
  }
  indexes.set(doc, idx);
  return idx;
}

/** All entries of `section.key` (any subsection when `subsection` is undefined), in file order. */
export function entriesOf(doc: ConfigDocument, section: string, subsection: string | null | undefined, key: string): Entry[] {
  const k = indexOf(doc).keys.get(section)?.get(key.toLowerCase());
  if (!k) return [];
  // A copy, so a caller may sort or splice its answer without corrupting the index.
  return (subsection === undefined ? k.all : k.bySubsection.get(subsection) ?? []).slice();
}

/** The value git would return for a single-valued key: the last one. */
export function lastValue(doc: ConfigDocument, section: string, subsection: string | null, key: string): Entry | undefined {
  const list = indexOf(doc).keys.get(section)?.get(key.toLowerCase())?.bySubsection.get(subsection);
  return list?.[list.length - 1];
}

/** Distinct subsection names of a section, in order of first appearance. */
export function subsectionsOf(doc: ConfigDocument, section: string): string[] {
  return (indexOf(doc).subsections.get(section) ?? []).slice();
}

/** The `(name, value)` list `git config --list` prints, for differential tests. */
export function toGitList(doc: ConfigDocument): Array<[string, string | null]> {
  return doc.entries.map((e) => [e.fullName, e.value]);
}

/** Offsets → 0-based line/character, for callers without a TextDocument. */
export class LineIndex {
  private starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  offset(line: number, character: number): number {
    return (this.starts[Math.min(line, this.starts.length - 1)] ?? 0) + character;
  }
}
