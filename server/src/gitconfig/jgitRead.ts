// How JGit's Config.fromText reads a file where that differs from git: the first exception it
// throws (with its exact text) and the bare keys it reads as null. The parser in parser.ts is
// git's; the plugin reads files with JGit, which accepts some files git rejects (`[]`,
// `-threads`, a form feed before a key) and rejects some git accepts (a `\` at end of file, a
// bare key before CRLF or at end of file). Checked against JGit 7.1 with test/infra/JGitProbe.java.
// Includes are not followed here: replication/includes.ts reads included files on its own.
import type { ConfigDocument, Entry, ParsedConfig, ParseSplice, Section } from './parser';

export interface JGitReadResult {
  /** What Config.fromText throws, and the offset of the character it stopped at. */
  error?: { offset: number; message: string };
  /**
   * JGit's value of an entry, by the offset of its key, where it may differ from git's: null
   * where JGit reads no value (`key =`, `key = ""`, and a bare key followed by a blank or a
   * comment, `mirror # keep`, so getBoolean returns the default), and the value where it has
   * escapes, quotes, tabs or whitespace git does not skip. A bare key directly followed by the
   * newline is absent: JGit reads it as true, as git does.
   */
  values: Map<number, string | null>;
}

/**
 * Entry `e` as JGit reads it, in the convention of replication/values.ts: null for a bare key
 * (JGit's "missing", true for getBoolean), '' for no value (null in JGit: the default),
 * else JGit's value.
 */
export function jgitRawOf(doc: ConfigDocument | ParsedConfig, e: Entry): string | null {
  const v = jgitReadOf(doc).values.get(e.keySpan.start);
  if (v === undefined) return e.value;
  return v ?? '';
}

const cache = new WeakMap<object, JGitReadResult>();
const SAME: JGitReadResult = { values: new Map() };

/** jgitRead for a parse, computed once; most files skip it (see readsLikeGit). */
export function jgitReadOf(doc: ConfigDocument | ParsedConfig): JGitReadResult {
  let r = cache.get(doc);
  if (!r) cache.set(doc, (r = readsLikeGit(doc) ? SAME : jgitRead(doc.text)));
  return r;
}

/**
 * For `doc`, an edit of `prev` (see reparseGitConfig): when JGit read `prev` exactly as git did,
 * whether it still does is a question about the re-read sections and their lines only, since
 * every condition of readsLikeGit is about one entry, one header or one line. Then the answer is
 * remembered for `doc`, and jgitReadOf(doc) costs nothing.
 */
export function jgitReadAfter(prev: ParsedConfig, doc: ParsedConfig, sp: ParseSplice): void {
  if (cache.get(prev) !== SAME || cache.has(doc) || doc.errors.length) return;
  for (let i = sp.firstEntry; i < sp.newEntryEnd; i++) if (doc.valueOf(i) === null) return;
  for (let i = sp.firstSection; i < sp.newSectionEnd; i++) if (firstEntryOnHeaderLine(doc, doc.sections[i])) return;
  // The re-read lines: from the line of the first re-read header to the first reused header
  // (which starts a line), or to the end.
  const text = doc.text;
  const from = text.lastIndexOf('\n', doc.sections[sp.firstSection].header.start - 1) + 1;
  const to = sp.newSectionEnd < doc.sections.length ? doc.sections[sp.newSectionEnd].header.start : text.length;
  if (suspicious(text.slice(from, to))) return;
  cache.set(doc, SAME);
}

// What can make JGit read a line differently from git: a backslash, a CR, a control or
// non-ASCII character (one native scan), a tab after something else on its line (git turns it
// into a space), or a quote anywhere but in a section header (`[remote "m"]` reads alike).
const ODD_CHAR = /[\\\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\uffff]/;

export function suspicious(text: string): boolean {
  if (ODD_CHAR.test(text)) return true;
  // Each backward scan stops where the previous one started, so the whole is linear even for
  // a line of a million tabs or quotes.
  let done = -1;
  for (let at = text.indexOf('\t'); at >= 0; done = at, at = text.indexOf('\t', at + 1)) {
    for (let p = at - 1; p > done; p--) {
      const c = text.charCodeAt(p);
      if (c === 10) break;
      if (c !== 32 && c !== 9) return true;
    }
  }
  done = -1;
  for (let at = text.indexOf('"'); at >= 0; done = at, at = text.indexOf('"', at + 1)) {
    let first = -1; // the first non-blank character of the quote's line, once the scan meets its start
    let p = at - 1;
    for (; p > done; p--) {
      const c = text.charCodeAt(p);
      if (c === 10) break;
      if (c !== 32 && c !== 9) first = c;
    }
    if (p === done && done >= 0) continue; // on the line of the previous quote, a header line
    if (first !== 91) return true; // not on a `[section "sub"]` line
  }
  return false;
}

/**
 * True when JGit certainly reads the file as git did: git found no error, every key is in a
 * section and has '=', no header has text after ']', and no line holds anything suspicious.
 * Then JGit throws nothing and every value is git's: the common case costs one regex scan.
 */
function isParsed(doc: ConfigDocument | ParsedConfig): doc is ParsedConfig {
  return typeof (doc as ParsedConfig).firstEntryOf === 'function' && typeof (doc as ParsedConfig).entryCount === 'number';
}

function readsLikeGit(doc: ConfigDocument | ParsedConfig): boolean {
  if (doc.errors.length || !isParsed(doc)) return false;
  const parsed = doc;
  if (parsed.sections.length === 0 ? parsed.entryCount > 0 : parsed.firstEntryOf(parsed.sections[0]) > 0) return false;
  for (let i = 0; i < parsed.entryCount; i++) if (parsed.valueOf(i) === null) return false;
  for (const s of parsed.sections) if (firstEntryOnHeaderLine(parsed, s)) return false;
  // The parser looked at every character already: the scan is needed only when it saw one.
  return parsed.plainForJGit === true || !suspicious(doc.text);
}

// Java's Character.isWhitespace for one UTF-16 unit: the ASCII controls \t \n \v \f \r and
// U+001C–U+001F, and the Unicode space separators except the no-break ones.
export function isJavaWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x1680) return false;
  if (c === 0x00a0 || c === 0x2007 || c === 0x202f) return false;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x205f || c === 0x3000;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;
/** Java's Character.isLetterOrDigit for one UTF-16 unit (a lone surrogate is neither). */
function isJavaLetterOrDigit(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return LETTER_OR_DIGIT.test(String.fromCharCode(c));
}

class JGitError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

const EOF = -1;

// ASCII characters a plain value or key is made of, for the fast paths below: a value
// character that needs no second look (not a blank, quote, backslash, comment or control),
// and a key character (letter, digit, '-').
const PLAIN_VALUE = new Uint8Array(128);
const KEY = new Uint8Array(128);
for (let c = 33; c < 127; c++) PLAIN_VALUE[c] = c === 34 || c === 35 || c === 59 || c === 92 ? 0 : 1;
for (let c = 0; c < 128; c++) KEY[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 ? 1 : 0;

export function jgitRead(text: string): JGitReadResult {
  const values = new Map<number, string | null>();
  // FileBasedConfig drops a UTF-8 byte order mark before parsing.
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const len = text.length;
  const read = () => (pos < len ? text.charCodeAt(pos++) : (pos++, EOF));
  const unread = () => void pos--;
  const fail = (message: string): never => {
    throw new JGitError(Math.min(Math.max(pos - 1, 0), len), message);
  };
  try {
    let haveSection = false; // a line with a section ended before this one (JGit's `last`)
    let lineHasSection = false;
    let inSuffix = false;
    for (;;) {
      const c = read();
      if (c === EOF) break;
      if (c === 10) {
        if (lineHasSection) haveSection = true;
        lineHasSection = inSuffix = false;
        continue;
      }
      if (inSuffix) {
        // The rest of the line is ignored: jump to its newline.
        const nl = text.indexOf('\n', pos);
        pos = nl < 0 ? len : nl;
        continue;
      }
      if (c === 59 || c === 35) {
        inSuffix = true;
        continue;
      }
      if (!lineHasSection && isJavaWhitespace(c)) continue;
      if (c === 91) {
        readSectionName();
        let next = read();
        if (next === 34) {
          readSubsectionName();
          next = read();
        }
        if (next !== 93) fail('Bad group header');
        lineHasSection = inSuffix = true; // the rest of a header line is ignored
        continue;
      }
      if (!haveSection) fail('Invalid line in config file');
      lineHasSection = true;
      unread();
      const keyStart = pos;
      const bare = readKeyName();
      if (bare === 'missing') continue; // `key` + newline: true
      const v = readValue();
      if (v !== undefined) values.set(keyStart, v);
    }
    return { values };
  } catch (e) {
    if (e instanceof JGitError) return { error: { offset: e.offset, message: e.message }, values };
    throw e;
  }

  function readSectionName(): void {
    const start = pos;
    for (;;) {
      const c = read();
      if (c === EOF) fail('Unexpected end of config file');
      if (c === 93) {
        unread();
        return;
      }
      if (c === 32 || c === 9) {
        const name = text.slice(start, pos - 1);
        for (;;) {
          const d = read();
          if (d === EOF) fail('Unexpected end of config file');
          if (d === 34) {
            unread();
            return;
          }
          if (d !== 32 && d !== 9) fail(`Bad section entry: ${name}`);
        }
      }
      if (!isJavaLetterOrDigit(c) && c !== 46 && c !== 45) fail(`Bad section entry: ${text.slice(start, pos - 1)}`);
    }
  }

  function readSubsectionName(): void {
    for (;;) {
      const c = read();
      if (c === EOF || c === 34) return; // JGit accepts a subsection left open at end of file
      if (c === 10) fail('Newline in quotes not allowed');
      if (c === 92 && read() === EOF) fail('End of file in escape');
    }
  }

  /** 'missing' for `key` + newline, 'blank' when a blank or comment follows, 'value' for '='. */
  function readKeyName(): 'missing' | 'blank' | 'value' {
    const start = pos;
    for (let c = text.charCodeAt(pos); c < 128 && KEY[c] === 1; c = text.charCodeAt(++pos));
    for (;;) {
      const c = read();
      if (c === EOF) fail('Unexpected end of config file');
      if (c === 61) return 'value';
      if (c === 32 || c === 9) {
        for (;;) {
          const d = read();
          if (d === EOF) fail('Unexpected end of config file');
          if (d === 61) return 'value';
          if (d === 59 || d === 35 || d === 10) {
            unread();
            return 'blank';
          }
          if (d !== 32 && d !== 9) fail('Bad entry delimiter');
        }
      }
      if (c === 10) {
        unread();
        return 'missing';
      }
      if (!isJavaLetterOrDigit(c) && c !== 45) fail(`Bad entry name: ${text.slice(start, pos - 1)}`);
    }
  }

  /**
   * Config.readValue. Returns the value where it may differ from git's reading (null for no
   * value), undefined for a plain value both read alike.
   */
  function readValue(): string | null | undefined {
    // The common case: up to the newline or a comment, only plain characters and spaces.
    let p = pos;
    let any = false;
    for (; p < len; p++) {
      const c = text.charCodeAt(p);
      if (c === 32) continue;
      if (c === 10 || c === 35 || c === 59) break;
      if (c >= 128 || PLAIN_VALUE[c] === 0) {
        p = -1;
        break;
      }
      any = true;
    }
    if (p >= 0) {
      pos = p;
      return any ? undefined : null;
    }
    let quote = false;
    let special = false;
    let out = '';
    let pending = ''; // blanks after the last character: kept only if more follows
    let leading = true;
    let run = -1; // start of the run of plain characters not yet copied into `out`
    const flush = (end: number) => {
      if (run >= 0) out += text.slice(run, end);
      run = -1;
    };
    for (;;) {
      const c = read();
      if (c === EOF) {
        flush(len);
        break;
      }
      if (c === 10 || (!quote && (c === 59 || c === 35))) {
        unread();
        flush(pos);
        if (c === 10 && quote) fail('Newline in quotes not allowed');
        break;
      }
      if (isJavaWhitespace(c)) {
        flush(pos - 1);
        if (c !== 32) special = true; // git turns a tab into a space and keeps \f, \v, U+2003
        if (!leading) pending += String.fromCharCode(c);
        continue;
      }
      leading = false;
      if (pending !== '') {
        out += pending;
        pending = '';
      }
      if (c === 92) {
        flush(pos - 1);
        special = true;
        const d = read();
        if (d === EOF) fail('End of file in escape');
        if (d === 10) continue;
        if (d === 116) out += '\t';
        else if (d === 98) out += '\b';
        else if (d === 110) out += '\n';
        else if (d === 92 || d === 34) out += String.fromCharCode(d);
        else {
          if (d === 13) {
            if (read() === 10) continue; // CRLF continuation
            unread();
          }
          fail(`Bad escape: ${badEscapeText(d)}`);
        }
        continue;
      }
      if (c === 34) {
        flush(pos - 1);
        special = true;
        quote = !quote;
        continue;
      }
      if (run < 0) run = pos - 1;
    }
    if (out === '') return null;
    return special ? out : undefined;
  }
}

/** How JGit prints the character after a bad `\`: itself if alphabetic, else \uXXXX. */
function badEscapeText(c: number): string {
  const ch = String.fromCharCode(c);
  return /^\p{Alphabetic}$/u.test(ch) ? ch : `\\u${c.toString(16).padStart(4, '0')}`;
}

/**
 * Whether the first entry of section `s` sits on the header's own line (`[remote "m"] url =
 * …`): git reads it as a key of the section, JGit ignores everything after the `]`.
 */
export function firstEntryOnHeaderLine(doc: ParsedConfig, s: Section): boolean {
  const i = doc.firstEntryOf(s);
  if (i >= doc.endEntryOf(s)) return false;
  const text = doc.text;
  let p = s.header.end;
  for (let c = text.charCodeAt(p); c === 32 || c === 9 || c === 13; c = text.charCodeAt(++p));
  const c = text.charCodeAt(p);
  if (p >= text.length || c === 10 || c === 35 || c === 59) return false;
  const nl = text.indexOf('\n', p);
  return doc.keyStartOf(i) < (nl < 0 ? text.length : nl);
}

/** Whether entry `e` sits on its section header's line, where JGit ignores it. */
export function entryOnHeaderLine(text: string, e: Entry): boolean {
  if (!e.section) return false;
  const he = e.section.header.end;
  if (e.keySpan.start < he) return false;
  const nl = text.indexOf('\n', he);
  return e.keySpan.start < (nl < 0 ? text.length : nl);
}
