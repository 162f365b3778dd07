// Reads the settings we need from a .gitolite.rc without running Perl. The rc is Perl: v3 keeps
// its settings in `%RC = ( KEY => value, ... );`, v2 in `$GL_HOSTNAME = '...';` variables.
// A small tokenizer understands strings, q()/qw()/qr(), numbers, barewords, lists and hashes,
// and skips comments and POD. A value it cannot evaluate (interpolation, expressions, function
// calls) is reported as info and left unset: we never guess.
import { DEFAULT_UNSAFE_PATT } from './compile/patterns';

export interface RcPos { line: number; start: number; end: number; endLine?: number }

export interface RcValue<T> { value: T; pos: RcPos }

export interface RcNote { pos: RcPos; message: string; code: 'gl-rc-unreadable' | 'gl-rc-v2-slave-mode' }

export interface GitoliteRc {
  /** 'v3' when a `%RC` hash is present, 'v2' when `$GL_*` variables are, else 'unknown'. */
  dialect: 'v2' | 'v3' | 'unknown';
  hostname?: RcValue<string>;
  /** Where `# HOSTNAME => ...` sits commented out (the default rc ships it so). */
  hostnameComment?: RcPos;
  /** GIT_CONFIG_KEYS (v3) or $GL_GITCONFIG_KEYS (v2). */
  gitConfigKeys?: RcValue<string>;
  /** The ENABLE list (v3); undefined when absent or unreadable. */
  enable?: RcValue<string[]>;
  /** The `ENABLE => [` key, for placing diagnostics about the list. */
  enablePos?: RcPos;
  syntacticSugar?: string[];
  unsafePatt: RegExp;
  unsafePattSource?: RcValue<string>;
  safeConfig: Record<string, string>;
  roles: Set<string>;
  grouplistPgm: boolean;
  /** Start of `%RC = (` or of the first `$GL_` assignment: where rc-wide notes go. */
  anchor: RcPos;
  notes: RcNote[];
  /** Whether the file could be read at all (a missing rc gives gitolite's defaults). */
  found: boolean;
}

type Tok =
  | { t: 'str'; v: string; interp: boolean; pos: RcPos }
  | { t: 'qw'; v: string[]; pos: RcPos }
  | { t: 'qr'; v: string; pos: RcPos }
  | { t: 'num'; v: string; pos: RcPos }
  | { t: 'word'; v: string; pos: RcPos }
  | { t: 'var'; v: string; pos: RcPos }
  | { t: 'op'; v: string; pos: RcPos };

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

function tokenize(text: string): { toks: Tok[]; comments: Array<{ text: string; pos: RcPos }> } {
  const toks: Tok[] = [];
  const comments: Array<{ text: string; pos: RcPos }> = [];
  let i = 0;
  let line = 0;
  let lineStart = 0;
  const n = text.length;
  const posAt = (s: number, e: number, sl: number, sls: number): RcPos => {
    const p: RcPos = { line: sl, start: s - sls, end: e - lineStart };
    if (line !== sl) p.endLine = line;
    return p;
  };
  const advanceTo = (to: number) => {
    for (; i < to; i++) if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  };
  while (i < n) {
    const c = text[i];
    if (c === '\n') { line++; i++; lineStart = i; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    // POD: a line starting with =word up to =cut
    if (c === '=' && i === lineStart && /[a-zA-Z]/.test(text[i + 1] ?? '')) {
      const cut = text.indexOf('\n=cut', i);
      advanceTo(cut < 0 ? n : cut + 5);
      continue;
    }
    if (c === '#') {
      const e = text.indexOf('\n', i);
      const end = e < 0 ? n : e;
      comments.push({ text: text.slice(i + 1, end), pos: { line, start: i - lineStart, end: end - lineStart } });
      i = end;
      continue;
    }
    if (text.startsWith('__END__', i) || text.startsWith('__DATA__', i)) break;
    const sl = line;
    const sls = lineStart;
    const s = i;
    if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      let interp = false;
      while (j < n && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < n) {
          const nx = text[j + 1];
          if (c === "'") v += nx === "'" || nx === '\\' ? nx : '\\' + nx;
          else v += ({ n: '\n', t: '\t' } as Record<string, string>)[nx] ?? nx;
          j += 2;
          continue;
        }
        if (c === '"' && (text[j] === '$' || text[j] === '@') && /[\w{]/.test(text[j + 1] ?? '')) interp = true;
        v += text[j++];
      }
      advanceTo(Math.min(j + 1, n));
      toks.push({ t: 'str', v, interp, pos: posAt(s, i, sl, sls) });
      continue;
    }
    const q = /^(qw|qr|qq|q)\s*([^\w\s])/.exec(text.slice(i, i + 6));
    if (q) {
      const open = q[2];
      const close = CLOSE[open] ?? open;
      let j = i + q[0].length;
      let depth = 1;
      let body = '';
      while (j < n) {
        const ch = text[j];
        if (ch === '\\' && j + 1 < n) { body += ch + text[j + 1]; j += 2; continue; }
        if (ch === open && close !== open) depth++;
        else if (ch === close && --depth === 0) break;
        body += ch;
        j++;
      }
      j++;
      // qr// may carry flags
      if (q[1] === 'qr') while (j < n && /[a-z]/.test(text[j])) j++;
      advanceTo(Math.min(j, n));
      const pos = posAt(s, i, sl, sls);
      if (q[1] === 'qw') toks.push({ t: 'qw', v: body.split(/\s+/).filter(Boolean), pos });
      else if (q[1] === 'qr') toks.push({ t: 'qr', v: body, pos });
      else toks.push({ t: 'str', v: body, interp: q[1] === 'qq' && /[$@][\w{]/.test(body), pos });
      continue;
    }
    let m = /^[0-9][0-9_.]*/.exec(text.slice(i, i + 40));
    if (m) { i += m[0].length; toks.push({ t: 'num', v: m[0], pos: posAt(s, i, sl, sls) }); continue; }
    m = /^[A-Za-z_][\w:]*/.exec(text.slice(i, i + 200));
    if (m) { i += m[0].length; toks.push({ t: 'word', v: m[0], pos: posAt(s, i, sl, sls) }); continue; }
    m = /^[$%@]\{?[A-Za-z_][\w:]*\}?/.exec(text.slice(i, i + 200));
    if (m) { i += m[0].length; toks.push({ t: 'var', v: m[0].replace(/[{}]/g, ''), pos: posAt(s, i, sl, sls) }); continue; }
    m = /^(=>|==|=~|\.=|\|\||&&|->|[=,;()[\]{}.+\-*/!<>?:\\])/.exec(text.slice(i, i + 3));
    const op = m ? m[0] : c;
    i += op.length;
    toks.push({ t: 'op', v: op, pos: posAt(s, i, sl, sls) });
  }
  return { toks, comments };
}

type Val =
  | { k: 'str'; v: string; pos: RcPos }
  | { k: 'list'; v: Val[]; pos: RcPos; flat?: boolean }
  | { k: 'hash'; v: Array<[string, Val]>; pos: RcPos }
  | { k: 'regex'; v: string; pos: RcPos }
  | { k: 'unknown'; why: string; pos: RcPos };

class Reader {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(o = 0): Tok | undefined { return this.toks[this.i + o]; }
  isOp(v: string, o = 0): boolean { const t = this.peek(o); return !!t && t.t === 'op' && t.v === v; }
  /** Skip to just after the bracket that closes the one at `i - 1`, or to a terminator. */
  skipExpr(stop: string[]): void {
    let depth = 0;
    while (this.i < this.toks.length) {
      const t = this.toks[this.i];
      if (t.t === 'op') {
        if (depth === 0 && stop.includes(t.v)) return;
        if ('([{'.includes(t.v)) depth++;
        else if (')]}'.includes(t.v)) { if (depth === 0) return; depth--; }
      }
      this.i++;
    }
  }
  /** One value up to `,` `;` or a closing bracket. Anything beyond a literal is 'unknown'. */
  value(): Val {
    const t = this.peek();
    const start = this.i;
    let v: Val;
    if (!t) return { k: 'unknown', why: 'missing value', pos: { line: 0, start: 0, end: 0 } };
    if (t.t === 'str') {
      this.i++;
      v = t.interp ? { k: 'unknown', why: 'interpolates a variable', pos: t.pos } : { k: 'str', v: t.v, pos: t.pos };
    } else if (t.t === 'num' || (t.t === 'word' && !this.isOp('(', 1) && !this.isOp('::', 1))) {
      this.i++;
      v = { k: 'str', v: t.v, pos: t.pos };
    } else if (t.t === 'qw') {
      this.i++;
      v = { k: 'list', v: t.v.map((s) => ({ k: 'str', v: s, pos: t.pos }) as Val), pos: t.pos, flat: true };
    } else if (t.t === 'qr') {
      this.i++;
      v = { k: 'regex', v: t.v, pos: t.pos };
    } else if (t.t === 'op' && (t.v === '[' || t.v === '(')) {
      const close = t.v === '[' ? ']' : ')';
      this.i++;
      const items: Val[] = [];
      while (this.peek() && !this.isOp(close)) {
        if (this.isOp(',') || this.isOp('=>')) { this.i++; continue; }
        const before = this.i;
        const item = this.value();
        // Perl flattens qw() and ( ) lists inside a list; [ ] stays a reference.
        if (item.k === 'list' && item.flat) items.push(...item.v);
        else items.push(item);
        if (!this.isOp(',') && !this.isOp('=>') && !this.isOp(close)) this.skipExpr([',', close]);
        // A stray closer of another kind (`[ "" }`) stops both value() and skipExpr(): step over it.
        if (this.i === before) this.i++;
      }
      this.i++;
      v = { k: 'list', v: items, pos: t.pos, flat: close === ')' };
    } else if (t.t === 'op' && t.v === '{') {
      this.i++;
      v = { k: 'hash', v: this.pairs('}'), pos: t.pos };
      this.i++;
    } else {
      this.skipExpr([',', ';']);
      return { k: 'unknown', why: 'is an expression', pos: t.pos };
    }
    // A literal followed by an operator (`'a' . 'b'`, `$x || 'y'`) is an expression.
    const nx = this.peek();
    if (nx && !(nx.t === 'op' && [',', ';', ')', ']', '}', '=>'].includes(nx.v))) {
      this.i = start;
      this.skipExpr([',', ';']);
      return { k: 'unknown', why: 'is an expression', pos: t.pos };
    }
    return v;
  }
  /** `KEY => value, ...` up to the closing bracket `close` (not consumed). */
  pairs(close: string): Array<[string, Val]> {
    const out: Array<[string, Val]> = [];
    while (this.peek() && !this.isOp(close)) {
      const k = this.peek()!;
      if (k.t === 'op' && k.v === ',') { this.i++; continue; }
      if ((k.t === 'word' || k.t === 'str' || k.t === 'num') && (this.isOp('=>', 1) || this.isOp(',', 1))) {
        this.i += 2;
        const v = this.value();
        out.push([k.v, v]);
        continue;
      }
      this.i++;
      this.skipExpr([',', close]);
    }
    return out;
  }
}

const str = (v: Val | undefined): string | undefined => (v && v.k === 'str' ? v.v : undefined);

/** Read an rc's text. `text === undefined` means there is no rc: gitolite's defaults apply. */
export function readRc(text: string | undefined): GitoliteRc {
  const rc: GitoliteRc = {
    dialect: 'unknown',
    unsafePatt: DEFAULT_UNSAFE_PATT,
    safeConfig: {},
    roles: new Set(['READERS', 'WRITERS']),
    grouplistPgm: false,
    anchor: { line: 0, start: 0, end: 0 },
    notes: [],
    found: text !== undefined,
  };
  if (text === undefined) return rc;
  const { toks, comments } = tokenize(text);
  for (const c of comments) {
    const m = /^\s*(HOSTNAME)\s*=>/.exec(c.text);
    if (m && !rc.hostnameComment) rc.hostnameComment = c.pos;
  }
  const r = new Reader(toks);
  const unreadable = (what: string, v: Val) =>
    rc.notes.push({ code: 'gl-rc-unreadable', pos: v.pos, message: `${what} ${v.k === 'unknown' ? v.why : 'has an unexpected form'}; it is not evaluated here (Perl is never run), so checks that need it are skipped` });
  let anchored = false;
  const setAnchor = (p: RcPos) => { if (!anchored) { rc.anchor = p; anchored = true; } };
  const applyRcKey = (key: string, v: Val, keyPos: RcPos) => {
    switch (key) {
      case 'HOSTNAME':
        if (str(v) !== undefined) rc.hostname = { value: str(v)!, pos: v.pos };
        else unreadable('HOSTNAME', v);
        break;
      case 'GIT_CONFIG_KEYS':
        if (str(v) !== undefined) rc.gitConfigKeys = { value: str(v)!, pos: v.pos };
        else unreadable('GIT_CONFIG_KEYS', v);
        break;
      case 'ENABLE':
        rc.enablePos = keyPos;
        if (v.k === 'list' && v.v.every((x) => x.k === 'str')) rc.enable = { value: v.v.map((x) => str(x)!), pos: v.pos };
        else unreadable('ENABLE', v);
        break;
      case 'SYNTACTIC_SUGAR':
        if (v.k === 'list') rc.syntacticSugar = v.v.map(str).filter((x): x is string => x !== undefined);
        break;
      case 'SAFE_CONFIG':
        if (v.k === 'hash') for (const [k, x] of v.v) { if (str(x) !== undefined) rc.safeConfig[k] = str(x)!; else unreadable(`SAFE_CONFIG{${k}}`, x); }
        else unreadable('SAFE_CONFIG', v);
        break;
      case 'ROLES':
        if (v.k === 'hash') rc.roles = new Set(v.v.filter(([, x]) => str(x) !== undefined && str(x) !== '0' && str(x) !== '').map(([k]) => k));
        break;
      case 'GROUPLIST_PGM':
        rc.grouplistPgm = v.k !== 'str' || (v.v !== '' && v.v !== '0');
        break;
      case 'UNSAFE_PATT':
        setUnsafe(v);
        break;
    }
  };
  const setUnsafe = (v: Val) => {
    const src = v.k === 'regex' || v.k === 'str' ? v.v : undefined;
    if (src === undefined) { unreadable('UNSAFE_PATT', v); return; }
    try {
      rc.unsafePatt = new RegExp(src);
      rc.unsafePattSource = { value: src, pos: v.pos };
    } catch {
      rc.notes.push({ code: 'gl-rc-unreadable', pos: v.pos, message: `UNSAFE_PATT '${src}' uses Perl regex syntax this reader cannot use; values are checked with the default pattern` });
    }
  };
  while (r.peek()) {
    const t = r.peek()!;
    // %RC = ( ... );
    if (t.t === 'var' && t.v === '%RC' && r.isOp('=', 1) && r.isOp('(', 2)) {
      rc.dialect = 'v3';
      setAnchor(t.pos);
      r.i += 3;
      for (const [k, v] of r.pairs(')')) applyRcKey(k, v, v.pos);
      // Re-find key positions for ENABLE (pairs() keeps only the values' positions).
      r.i++;
      continue;
    }
    // $RC{KEY} = value;  (post-hash overrides)
    if (t.t === 'var' && (t.v === '$RC' || t.v === '$rc') && r.isOp('{', 1)) {
      const k = r.peek(2);
      if (k && (k.t === 'word' || k.t === 'str') && r.isOp('}', 3) && r.isOp('=', 4)) {
        r.i += 5;
        applyRcKey(k.v, r.value(), k.pos);
        continue;
      }
    }
    // v2 variables: $GL_HOSTNAME = '...';
    if (t.t === 'var' && t.v.startsWith('$') && r.isOp('=', 1)) {
      const name = t.v.slice(1);
      r.i += 2;
      const v = r.value();
      if (name.startsWith('GL_')) { rc.dialect = rc.dialect === 'v3' ? 'v3' : 'v2'; setAnchor(t.pos); }
      if (name === 'GL_HOSTNAME') { if (str(v) !== undefined) rc.hostname = { value: str(v)!, pos: v.pos }; else unreadable('$GL_HOSTNAME', v); }
      else if (name === 'GL_GITCONFIG_KEYS') { if (str(v) !== undefined) rc.gitConfigKeys = { value: str(v)!, pos: v.pos }; else unreadable('$GL_GITCONFIG_KEYS', v); }
      else if (name === 'UNSAFE_PATT') setUnsafe(v);
      else if (name === 'GL_SLAVE_MODE')
        rc.notes.push({ code: 'gl-rc-v2-slave-mode', pos: t.pos, message: 'Mirroring has completely changed in this version.\tYou need to check the documentation for how to upgrade' });
      continue;
    }
    if (t.t === 'var' && t.v === '$ENV' && r.isOp('{', 1)) {
      const k = r.peek(2);
      if (k && k.v === 'GL_SLAVES') rc.notes.push({ code: 'gl-rc-v2-slave-mode', pos: t.pos, message: 'Mirroring has completely changed in this version.\tYou need to check the documentation for how to upgrade' });
    }
    r.i++;
  }
  // ENABLE's key position: the bare word before `=>` that opens the list.
  for (let k = 0; k < toks.length - 1; k++) {
    const t = toks[k];
    if (t.t === 'word' && t.v === 'ENABLE' && toks[k + 1].t === 'op' && toks[k + 1].v === '=>') rc.enablePos = t.pos;
  }
  return rc;
}

/** Whether a feature is enabled: ENABLE (v3) or, for sugar, SYNTACTIC_SUGAR. */
export function rcEnables(rc: GitoliteRc, name: string): boolean {
  if (rc.enable?.value.includes(name)) return true;
  return !!rc.syntacticSugar?.includes(name);
}
