// Which group a written `@name` really is, for hover, definition, references and rename.
// gitolite renames the groups a subconf defines (Conf/Explode.pm prefix_groupnames): in subconf
// S, `@x = …` defines `@S.x`, and from that line on every `@x` of S (in any file of S, in
// exploded order) means `@S.x`. Before that line, or where S never defines it, `@x` is the
// master's group. The right side of the defining line is read before its left side is
// recorded, so `@x = @x y` in S extends the master's `@x` into `@S.x`. The exploded lines of a
// subconf file carry the prefixed text at each token's place, so a token's group is read there.
import type { ConfLine, Tok } from './confParser';
import type { ExplodeResult } from './explode';

export interface GroupRef {
  file: string;
  /** The token as parsed from the file (its range; its text as written, %HOSTNAME expanded). */
  tok: Tok;
  /** The group gitolite sees there. */
  name: string;
  /** The subconf whose prefix gitolite added (unset: the group is named as written). */
  prefixedBy?: string;
  /** Written with %HOSTNAME: its text is not in the file as such. */
  viaHostname: boolean;
  /** The left side of an `@g = …` line. */
  isDef: boolean;
}

/** Binary search of a file's lines (sorted by line) for the one starting at `line`. */
export function lineAt(lines: ConfLine[], line: number): ConfLine | undefined {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = lines[mid];
    if (l.line < line) lo = mid + 1;
    else if (l.line > line) hi = mid - 1;
    else return l;
  }
  return undefined;
}

function hasGroupTok(cl: ConfLine): boolean {
  for (let k = 0; k < cl.n; k++) if (cl.tokChar(k) === 64 /* @ */) return true;
  return false;
}

const isDefLine = (cl: ConfLine) => cl.n > 2 && cl.tokChar(0) === 64 && cl.tokIs(1, '=');

/** A subconf file: its subconf and its exploded (prefixed) lines by line number. */
export interface SubconfFile { subconf: string; xl: Map<number, ConfLine> }


function subconfFiles(ex: ExplodeResult): Map<string, SubconfFile> {
  let m = ex.memo?.scopes;
  if (m) return m;
  m = new Map();
  for (const sg of ex.segments) {
    if (sg.subconf === 'master') continue;
    let f = m.get(sg.file);
    if (!f) m.set(sg.file, (f = { subconf: sg.subconf, xl: new Map() }));
    for (const x of sg.xlines) if (x.marker === undefined) f.xl.set(x.cl.line, x.cl);
  }
  (ex.memo ??= {}).scopes = m;
  return m;
}

/** The subconf a file is read in ('master' for the master conf and what it includes). */
export function subconfOf(ex: ExplodeResult, file: string): string {
  return subconfFiles(ex).get(file)?.subconf ?? 'master';
}

function refOf(file: string, cl: ConfLine, k: number, sf: SubconfFile | undefined): GroupRef {
  const tok = cl.toks[k];
  const name = sf?.xl.get(cl.line)?.toks[k]?.text ?? tok.text;
  return { file, tok, name, prefixedBy: name !== tok.text ? sf!.subconf : undefined, viaHostname: tok.raw !== undefined, isDef: k === 0 && isDefLine(cl) };
}

/** The group named by token `k` of `cl` (a parsed line of `file`), if it is an @name. */
export function groupRefAt(ex: ExplodeResult, file: string, cl: ConfLine, k: number): GroupRef | undefined {
  if (cl.tokChar(k) !== 64) return undefined;
  return refOf(file, cl, k, subconfFiles(ex).get(file));
}

/** Every @name token of the site, with the group it names (computed once per analysis). */
export function allGroupRefs(ex: ExplodeResult): GroupRef[] {
  let out = ex.memo?.refs;
  if (out) return out;
  out = [];
  const sfs = subconfFiles(ex);
  for (const [file, parsed] of ex.files) {
    const sf = sfs.get(file);
    // By offset first: most lines name no group and never need their Tok objects.
    for (const cl of parsed.lines) if (hasGroupTok(cl)) for (let k = 0; k < cl.n; k++) if (cl.tokChar(k) === 64) out.push(refOf(file, cl, k, sf));
  }
  (ex.memo ??= {}).refs = out;
  return out;
}

/**
 * The groups subconf-local at a place of a subconf file: written name → the group it names
 * there (`@x` → `@S.x`), for the definitions gitolite has read before line `line` of `file`.
 */
export function localGroupsAt(ex: ExplodeResult, file: string, line: number): Map<string, string> {
  const out = new Map<string, string>();
  const sub = subconfOf(ex, file);
  if (sub === 'master') return out;
  // The place in exploded order: the file's first line at or after `line`, else just after
  // its last line. (A cursor just above an include line counts from after the included file.)
  const defs: Array<[number, string]> = [];
  let i = 0, stop = -1, lastOwn = -1;
  for (const sg of ex.segments) {
    if (sg.subconf !== sub) continue;
    for (const x of sg.xlines) {
      if (x.marker !== undefined) continue;
      i++;
      if (sg.file === file) {
        if (stop < 0 && x.cl.line >= line) stop = i;
        lastOwn = i;
      }
      if (isDefLine(x.cl) && x.cl.tokText(0).startsWith(`@${sub}.`)) defs.push([i, x.cl.tokText(0)]);
    }
  }
  const end = stop >= 0 ? stop : lastOwn + 1;
  for (const [at, name] of defs) if (at < end) out.set('@' + name.slice(sub.length + 2), name);
  return out;
}

/** A token whose group would change under a rename: where, what it named, what it would name. */
export interface RenameClash { file: string; tok: Tok; was: string; now: string }

/**
 * Replays gitolite's prefixing over the subconf files with `edits` (token → new written text)
 * applied, and returns the first token whose group would differ from `was`, or from `to` for
 * the tokens of `from` (the renamed group). Master files need no replay: there a token names
 * exactly what is written.
 */
export function renameClash(ex: ExplodeResult, edits: Map<Tok, string>, from: string, to: string): RenameClash | undefined {
  const maps = new Map<string, Map<string, string>>();
  for (const sg of ex.segments) {
    if (sg.subconf === 'master') continue;
    const sub = sg.subconf;
    let map = maps.get(sub);
    if (!map) maps.set(sub, (map = new Map()));
    const parsed = ex.files.get(sg.file)?.lines ?? [];
    for (const x of sg.xlines) {
      if (x.marker !== undefined || !hasGroupTok(x.cl)) continue;
      const pl = lineAt(parsed, x.cl.line);
      if (!pl || pl.n !== x.cl.n) continue;
      const toks = pl.toks;
      const texts = toks.map((t) => edits.get(t) ?? t.text);
      const lhs = texts.length > 2 && texts[0].startsWith('@') && texts[1] === '=' ? texts[0].slice(1) : '';
      const now = texts.map((t) => (t.startsWith('@') ? map!.get(t) ?? t : t));
      if (lhs) {
        now[0] = `@${sub}.${lhs}`;
        map.set('@' + lhs, now[0]);
      }
      for (let k = 0; k < now.length; k++) {
        const was = x.cl.toks[k].text;
        if (!was.startsWith('@')) continue;
        const want = was === from ? to : was;
        if (now[k] !== want) return { file: sg.file, tok: toks[k], was, now: now[k] };
      }
    }
  }
  return undefined;
}
