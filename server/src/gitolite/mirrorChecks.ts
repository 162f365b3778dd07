// Mirror checks gitolite does not make when it compiles (spec §1.2 table, rows M1–M15). Each
// message says what gitolite will do at push time. A finding that involves both files is
// reported where the fix belongs: HOSTNAME and ENABLE problems in the rc, per-repo problems
// in the conf, with relatedInformation pointing at the other file.
import type { GitoliteCaches } from './caches';
import type { Range } from 'vscode-languageserver';
import type { CompileResult, ConfigEntry, MirrorPart } from './compile/compileChecks';
import type { Tok } from './compile/confParser';
import { GlDiag, GlRelated, rcRange, tokRange } from './diag';
import type { ExplodeResult } from './compile/explode';
import { deriveMirror, Dialect, entriesByName, entryHosts, mirrorKind, MirrorRepo, v3KeyRead, V3_MIRROR_KEYS } from './mirrorModel';
import type { GitoliteRc } from './rcReader';
import { rcEnables } from './rcReader';
import { didYouMean } from '../service/didYouMean';
import { drain, type Steps } from '../service/slices';

export interface MirrorAnalysis {
  dialect: Dialect;
  /** What the conf itself uses, before the rc breaks a tie. */
  confDialect: 'v2' | 'v3' | 'mixed' | 'none';
  repos: MirrorRepo[];
  hosts: Set<string>;
  diags: GlDiag[];
}

export interface MirrorInput {
  rc: GitoliteRc;
  rcPath?: string;
  confPath: string;
  compiled: CompileResult;
  exploded: ExplodeResult;
  /** What the service instance remembers across runs (the last result per site, value memos). */
  caches: GitoliteCaches;
}

const entryRange = (e: ConfigEntry): Range => e.cl.tokRange(0, e.cl.n - 1);
const valueRange = (e: ConfigEntry): Range => e.valueRange;

/** The token of `host` inside an entry's value, for a precise range. */
function hostRange(e: ConfigEntry, host: string): Range {
  const t = e.valueToks.find((x: Tok) => x.text.replace(/^["']|["']$/g, '') === host);
  return t ? tokRange(t) : valueRange(e);
}


const quoteList = (xs: string[], max = 3) => xs.slice(0, max).map((x) => `'${x}'`).join(', ') + (xs.length > max ? ` and ${xs.length - max} more` : '');

/**
 * Everything the mirror checks read, as one string: entries with their positions, the groups
 * they name, the rc facts, and the compile diagnostics they build on. Equal signature, equal
 * result, so an edit that touches no mirror setting reuses the previous analysis.
 */
function signature(inp: MirrorInput, m: ReturnType<CompileResult['mirrorSignature']>): Array<string | MirrorPart> {
  const { rc, compiled } = inp;
  const parts: Array<string | MirrorPart> = [inp.confPath, inp.rcPath ?? '', JSON.stringify([rc.dialect, rc.found, rc.hostname, rc.hostnameComment, rc.anchor, rc.enable, rc.enablePos, rc.notes.filter((n) => /HOSTNAME/.test(n.message)).length])];
  parts.push(...m.parts, '\u0003');
  // Groups named on the repo lines of mirror entries, and every repo name when @all or a pattern is.
  for (const g of [...m.groups].sort()) parts.push(`${g}=${[...(compiled.groups.get(g)?.keys() ?? [])].join(' ')}`);
  if (m.wide) parts.push(compiled.repoSignature());
  for (const d of compiled.diags) if (d.code === 'gl-config-not-allowed' || (d.code === 'gl-syntax' && /^option mirror\./.test(String(d.data?.text ?? ''))))
    parts.push(`${d.code}|${d.file}|${d.range.start.line}:${d.range.start.character}|${String(d.data?.text ?? '')}`);
  return parts;
}

type Contribution = [Omit<GlDiag, 'message'>, string, (labels: string) => string];
/** A repo without findings (most of them) shares one memo per dialect. */
const NO_CONTRIB: Record<Dialect, { dialect: Dialect; items: Contribution[] }> = {
  v2: { dialect: 'v2', items: [] }, v3: { dialect: 'v3', items: [] }, none: { dialect: 'none', items: [] },
};
const NO_DIAGS: GlDiag[] = [];

// Per distinct value (values repeat across thousands of entries): the words ssh could not use as a host.
function badHosts(caches: GitoliteCaches, value: string): string[] {
  let b = caches.badHosts.get(value);
  if (!b) {
    b = [...new Set(value.replace(/^['"](.*)["']$/, '$1').split(/\s+/).filter(Boolean))].filter((h) => !/^[A-Za-z0-9][-A-Za-z0-9._@]*$/.test(h));
    if (caches.badHosts.size > 5000) caches.badHosts.clear();
    caches.badHosts.set(value, b);
  }
  return b;
}
// Per-repo findings depend only on the repo's derived settings (memoized objects) and dialect.

function sameSignature(a: Array<string | MirrorPart>, b: Array<string | MirrorPart>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (typeof x === 'string' || typeof y === 'string' || x.sig() !== y.sig()) return false;
  }
  return true;
}

/** One repo's per-repo mirror findings (each with its repo label and message), in order. */
function repoFindings(r: MirrorRepo, dialect: Dialect, at: (e: ConfigEntry) => GlRelated): Contribution[] {
  const items: Contribution[] = [];
  const once = (d: Omit<GlDiag, 'message'>, label: string, msg: (labels: string) => string) => { items.push([d, label, msg]); };
  const copyWord = dialect === 'v2' ? 'slaves' : 'copies';
  const label = r.name;
  if (r.copies.length && !r.master) {
    const e = r.sources.copies[r.sources.copies.length - 1];
    const c0 = r.copies[0].host;
    once({ file: e.file, range: valueRange(e), code: 'gl-mirror-copies-without-master', related: r.applied.filter((x) => x !== e).slice(0, 3).map(at) }, label, (labels) =>
      dialect === 'v2'
        ? `${labels} ha${labels.includes(',') ? 've' : 's'} ${copyWord} but no gitolite.mirror.master: gitolite v2 treats the repo as local and never pushes to ${quoteList(r.copies.map((c) => c.host))}`
        : `${labels} ha${labels.includes(',') ? 've' : 's'} copies but no mirror.master: on a copy gitolite refuses user pushes ("${c0}: pushing '${r.name}' to copy '${c0}' not allowed") and every mirror push ("${c0}: '<sender>' is not the master for '${r.name}'"); on other hosts it is "mirrored but not here"`);
  }
  // More than one master value: several words in one value, or a value overridden later.
  const win = r.sources.master;
  if (win && /\s/.test(win.value.trim()))
    once({ file: win.file, range: valueRange(win), code: 'gl-mirror-multiple-masters' }, label, (labels) =>
      `mirror.master must name one host, not '${win.value}': gitolite compares it with HOSTNAME as a whole, so no server is ever the master of ${labels} and every server refuses pushes to it`);
  for (const e of r.applied) if (win && e !== win && /mirror\.master$/i.test(e.key) && e.value && e.value !== win.value)
    once({ file: e.file, range: valueRange(e), code: 'gl-mirror-multiple-masters', related: [{ file: win.file, range: valueRange(win), message: `this master wins: '${win.value}'` }] }, label, (labels) =>
      `more than one master for ${labels}: '${e.value}' here, but a later line sets '${win.value}'; gitolite keeps the last one, so this line does not make '${e.value}' the master there`);
  if (r.master && r.copies.some((c) => c.host === r.master)) {
    const e = r.sources.copies.find((x) => x.value.split(/\s+/).includes(r.master!)) ?? r.sources.copies[0];
    const m = r.master;
    once({ file: e.file, range: hostRange(e, m), code: 'gl-mirror-master-is-copy' }, label, (labels) =>
      `'${m}' is both the master and a copy of ${labels}: gitolite treats it as the master (it accepts pushes there) and skips it when pushing to copies`);
  }
  if (r.redirectOK !== 'all') {
    const copyHosts = new Set(r.copies.map((c) => c.host));
    for (const h of r.redirectOK) {
      if (copyHosts.has(h) || h === 'all' || h === 'true') continue;
      const e = r.sources.redirectOK.find((x) => x.value.split(/\s+/).includes(h));
      if (e) once({ file: e.file, range: hostRange(e, h), code: 'gl-mirror-redirect-not-copy' }, label, (labels) =>
        `redirectOK names '${h}', which is not a ${dialect === 'v2' ? 'slave' : 'copy'} of ${labels}: only copies redirect pushes to the master, so this has no effect${copyHosts.size ? ` (copies: ${quoteList([...copyHosts])})` : ''}`);
    }
  }
  for (const c of r.copies) if (c.mode === 'nosync') {
    const e = r.sources.copies.find((x) => /copies\.nosync/.test(x.key) && x.value.split(/\s+/).includes(c.host));
    if (e) once({ file: e.file, range: hostRange(e, c.host), code: 'gl-mirror-nosync' }, label, (labels) =>
      `'${c.host}' is a nosync copy of ${labels}: gitolite never pushes to it by itself; each push warns "manual mirror push pending for '${c.host}'" until someone runs 'gitolite mirror push ${c.host} <repo>'`);
  }
  return items;
}

export function checkMirrors(inp: MirrorInput): MirrorAnalysis {
  return drain(checkMirrorsSteps(inp));
}

/** Parts (or repos) gone through between two yields of the sliced checks. */
const MIRROR_SLICE = 2048;

/** The same checks a slice at a time (service/slices). */
export function* checkMirrorsSteps(inp: MirrorInput): Steps<MirrorAnalysis> {
  const m = inp.compiled.mirrorSignature();
  yield;
  const sig = signature(inp, m);
  const key = `${inp.confPath}\0${inp.rcPath ?? ''}`;
  const hit = inp.caches.mirrors.get(key);
  if (hit && sameSignature(hit.sig, sig)) return hit.result;
  yield;
  inp.caches.counts.mirrorRuns++;
  const result = yield* computeMirrors(inp, m.parts);
  if (inp.caches.mirrors.size > 32) inp.caches.mirrors.clear();
  inp.caches.mirrors.set(key, { sig, result });
  return result;
}

/**
 * What the checks derive from one block's mirror entries, kept on the block's part: an edit
 * re-derives only the blocks it changed (the repo index, hosts and bad host names of the rest
 * are reused as they are).
 */
interface PartMemo {
  v2: ConfigEntry[];
  v3: ConfigEntry[];
  hosts: Set<string>;
  byName: { v2?: Map<string, ConfigEntry[]>; v3?: Map<string, ConfigEntry[]> };
  bad: { v2?: GlDiag[]; v3?: GlDiag[] };
}

function partMemo(p: MirrorPart, caches: GitoliteCaches): PartMemo {
  let m = p.memo as PartMemo | undefined;
  if (!m) {
    m = { v2: [], v3: [], hosts: new Set(), byName: {}, bad: {} };
    for (const e of p.entries) {
      const k = mirrorKind(e);
      if (!k) continue;
      m[k].push(e);
      for (const h of entryHosts(e, caches)) m.hosts.add(h);
    }
    p.memo = m;
  }
  return m;
}

function* computeMirrors(inp: MirrorInput, parts: MirrorPart[]): Steps<MirrorAnalysis> {
  const { rc, compiled } = inp;
  const diags: GlDiag[] = [];
  const memos: PartMemo[] = [];
  for (let pi = 0; pi < parts.length; pi++) {
    memos.push(partMemo(parts[pi], inp.caches));
    if (memos.length % MIRROR_SLICE === 0) yield;
  }
  // Counts and first entries per dialect; the full lists only where a check walks them.
  let n2 = 0, n3 = 0;
  // Indexed loops in this generator: a for-of here makes an iterator result per element.
  for (let i = 0; i < memos.length; i++) { n2 += memos[i].v2.length; n3 += memos[i].v3.length; }
  const all = (k: 'v2' | 'v3'): ConfigEntry[] => { const out: ConfigEntry[] = []; for (const pm of memos) for (const e of pm[k]) out.push(e); return out; };
  const first = (k: 'v2' | 'v3'): ConfigEntry | undefined => { for (const pm of memos) if (pm[k].length) return pm[k][0]; return undefined; };
  const confDialect = n2 && n3 ? 'mixed' : n2 ? 'v2' : n3 ? 'v3' : 'none';
  // A known rc decides what the server reads: v3's trigger ignores v2 lines and v2 reads no
  // `option` lines. Without one (a gitolite-admin clone), the conf's own dialect is the guess.
  let dialect: Dialect = confDialect === 'mixed' ? (rc.dialect === 'v2' ? 'v2' : 'v3') : confDialect;
  if (confDialect !== 'mixed' && confDialect !== 'none' && (rc.dialect === 'v2' || rc.dialect === 'v3')) dialect = rc.dialect;
  if (confDialect === 'none') dialect = 'none';
  const at = (e: ConfigEntry): GlRelated => ({ file: e.file, range: entryRange(e), message: e.cl.text });
  const hn = rc.hostname?.value;
  const v2rc = rc.dialect === 'v2';

  // --- dialects ---
  if (confDialect === 'mixed') {
    const minority = (dialect === 'v2' ? first('v3') : first('v2'))!;
    const other = (dialect === 'v2' ? first('v2') : first('v3'))!;
    diags.push({
      file: minority.file, range: entryRange(minority), code: 'gl-mirror-mixed-dialect', related: [at(other)],
      message: `this conf mixes gitolite v2 mirroring ('config gitolite.mirror.*') and v3 mirroring ('option mirror.*'); a server reads only one kind: v3 ignores the v2 lines and v2 does not understand 'option' lines`,
    });
  }
  if (!v2rc) {
    for (const e of all('v2')) {
      // Not allowed by GIT_CONFIG_KEYS: gitolite's own FATAL is already there (and carries the quick fix).
      const kr = e.keyRange;
      const fatal = compiled.diags.some((d) => d.code === 'gl-config-not-allowed' && d.file === e.file && d.range.start.line === kr.start.line && d.range.start.character === kr.start.character);
      if (fatal) continue;
      diags.push({
        file: e.file, range: kr, code: 'gl-mirror-v2-under-v3', data: { key: e.key },
        message: `'${e.key}' is gitolite v2 mirroring: gitolite v3 writes it into the repo's git config, but its Mirroring trigger reads only 'option mirror.*', so this repo is not mirrored; write it as a v3 option`,
      });
    }
  } else {
    for (const e of all('v3')) if (e.via === 'option')
      diags.push({
        file: e.file, range: entryRange(e), code: 'gl-mirror-v3-under-v2',
        message: `'option' lines are gitolite v3 syntax but the rc is a v2 rc: gitolite v2 stops compiling with "can't make head or tail of '${e.cl.text}'"; v2 mirroring uses 'config gitolite.mirror.master/slaves/redirectOK' lines`,
      });
  }

  const dk = dialect === 'v2' ? 'v2' : 'v3';
  yield;
  const repos = deriveMirror(inp.caches, compiled, hn, dialect, undefined, memos.map((pm) => (pm.byName[dk] ??= entriesByName(pm[dk]))));
  yield;
  // Every host any mirror entry names (both dialects), in order of first mention.
  const hosts = new Set<string>();
  for (let i = 0; i < memos.length; i++) memos[i].hosts.forEach((h) => hosts.add(h));
  const firstEntry = first(dk);
  const rcFile = inp.rcPath;

  // --- rc-side: HOSTNAME and ENABLE ---
  if (firstEntry) {
    const hostVar = v2rc ? '$GL_HOSTNAME' : 'HOSTNAME';
    if (!rc.hostname && !rc.notes.some((n) => /HOSTNAME/.test(n.message))) {
      const msg = v2rc
        ? `$GL_HOSTNAME is not set but gitolite.conf has mirror settings: gitolite v2 rejects user pushes to mirrored repos ("GL_HOSTNAME not set; rejecting push to non-local repo") and gl-mirror-shell refuses to run ("fatal: GL_HOSTNAME not set in rc; mirroring disabled"); set it to this server's name${hosts.size ? ` (one of ${quoteList([...hosts].sort())})` : ''}`
        : `HOSTNAME is not set but gitolite.conf has mirror options: gitolite's Mirroring does nothing at all without it — the master never pushes to its copies, and a copy accepts pushes from anyone; set HOSTNAME to this server's name${hosts.size ? ` (one of ${quoteList([...hosts].sort())})` : ''}`;
      if (rcFile && rc.found) diags.push({ file: rcFile, range: rcRange(rc.hostnameComment ?? rc.anchor), code: 'gl-mirror-no-hostname', related: [at(firstEntry)], message: msg, data: { hosts: [...hosts].sort() } });
      else diags.push({ file: firstEntry.file, range: entryRange(firstEntry), code: 'gl-mirror-no-hostname', message: `no .gitolite.rc found: ${msg}` });
    } else if (hn !== undefined && !hosts.has(hn)) {
      const dym = didYouMean(hn, hosts);
      const named = repos.find((r) => r.mode === 'mirrored-elsewhere' || r.mode === 'copy');
      const consequence = v2rc
        ? `gitolite v2 treats every mirrored repo as a slave here and refuses user pushes ("${hn} not the master, please push to <master>")`
        : `gitolite treats every mirrored repo as mirrored elsewhere and refuses pushes and reads ("FATAL: ${hn}: '${named?.name ?? '<repo>'}' is mirrored but not here")`;
      const related: GlRelated[] = [];
      if (dym) for (const e of all(dk)) if (e.value.split(/\s+/).includes(dym)) { related.push({ file: e.file, range: hostRange(e, dym), message: `'${dym}' is named here` }); if (related.length >= 3) break; }
      if (!related.length) related.push(at(firstEntry));
      const msg = `${hostVar} '${hn}' is not the master or a copy of any repo in gitolite.conf (hosts there: ${quoteList([...hosts].sort(), 5)})${dym ? `; did you mean '${dym}'?` : ''} ${consequence}`;
      if (rcFile && rc.hostname) diags.push({ file: rcFile, range: rcRange(rc.hostname.pos), code: 'gl-mirror-hostname-unknown', related, message: msg, data: dym ? { suggestion: dym } : undefined });
    }
    if (!v2rc && rc.found && rcFile && rc.enable && !rcEnables(rc, 'Mirroring')) {
      const copyOf = repos.find((r) => r.copies.length && r.master);
      diags.push({
        file: rcFile, range: rcRange(rc.enablePos ?? rc.enable.pos), code: 'gl-mirror-trigger-disabled', related: [at(firstEntry)],
        message: `'Mirroring' is not in ENABLE but gitolite.conf has mirror options: no mirror pushes are made, and a copy treats its master's pushes as an ordinary user's ("FATAL: W any ${copyOf?.name ?? '<repo>'} server-${copyOf?.master ?? '<master>'} DENIED by fallthru"); add 'Mirroring' to ENABLE`,
      });
    }
  }

  // --- conf-side, per repo. A line shared by many repos (@all, groups) gets one diagnostic. ---
  const agg = new Map<string, { d: Omit<GlDiag, 'message'>; labels: string[]; msg: (labels: string) => string }>();
  const onceAll = (d: Omit<GlDiag, 'message'>, label: string, msg: (labels: string) => string) => {
    const k = `${d.code}\0${d.file}\0${d.range.start.line}:${d.range.start.character}`;
    const cur = agg.get(k);
    if (cur) { if (!cur.labels.includes(label)) cur.labels.push(label); }
    else agg.set(k, { d, labels: [label], msg });
  };
  const cleanShapes = new WeakSet<MirrorRepo['copies']>();
  let seen = 0;
  for (let ri = 0; ri < repos.length; ri++) {
    const r = repos[ri];
    if (++seen % MIRROR_SLICE === 0) yield;
    const memo = r.contrib as { dialect: Dialect; items: Contribution[] } | undefined;
    if (memo && memo.dialect === dialect) { for (let k = 0; k < memo.items.length; k++) { const [d, label, msg] = memo.items[k]; onceAll(d, label, msg); } continue; }
    // What is found below depends only on the keys and values of the repo's entries, and repos
    // with the same ones share their copies list (mirrorModel's shapes): one clean repo of a
    // shape tells for all of them.
    if (cleanShapes.has(r.copies)) { r.contrib = NO_CONTRIB[dialect]; continue; }
    // In a function of its own: the closures it makes would otherwise give every turn of this
    // loop a context object of its own (4,000 repos on every mirror run).
    const items = repoFindings(r, dialect, at);
    for (let k = 0; k < items.length; k++) { const [d, label, msg] = items[k]; onceAll(d, label, msg); }
    r.contrib = items.length ? { dialect, items } : NO_CONTRIB[dialect];
    if (!items.length) cleanShapes.add(r.copies);
  }
  yield;
  for (const { d, labels, msg } of agg.values()) diags.push({ ...d, message: msg(quoteList(labels, 4)) });
  // Host names that ssh could not use as an alias (spaces are separators; commas and the like are not).
  if (dialect !== 'none') for (let pi = 0; pi < memos.length; pi++) {
    const pm = memos[pi];
    let bad = pm.bad[dk];
    if (!bad) {
      yield;
      bad = [];
      for (const e of pm[dk]) {
        const k = e.key.replace(/^[^.]+\.mirror\./, '');
        if (/^(master|copies|slaves|redirectOK)/i.test(k))
          for (const h of badHosts(inp.caches, e.value))
            bad.push({ file: e.file, range: hostRange(e, h), code: 'gl-mirror-unsafe-value', message: /^master$/i.test(k)
              ? `'${h}' is not a usable mirror host name: gitolite compares the master with HOSTNAME as it is written, so no host is the master of this repo (copies still serve reads, every other host answers "mirrored but not here"); host lists are separated by spaces`
              : dk === 'v3' && /^copies/.test(k)
                ? `'${h}' is not a usable mirror host name: gitolite loads it as written, so the push to it fails ('ssh ${h} ...', the error lands in gl-copy-${h}.status), and the host meant here does not find itself among the copies and answers "mirrored but not here" for this repo; host lists are separated by spaces`
                : `'${h}' is not a usable mirror host name: gitolite loads it, and only the push to it fails ('ssh ${h} ...' at push time, the error lands in gl-copy-${h}.status); host lists are separated by spaces` });
        if (dk === 'v3' && !v3KeyRead(k)) {
          const sug = suggestMirrorKey(k);
          bad.push({ file: e.file, range: e.keyRange, code: 'gl-mirror-unknown-key', data: sug ? { suggestion: 'mirror.' + sug } : undefined,
            message: `gitolite's Mirroring trigger never reads 'mirror.${k}' (it reads mirror.master, and keys that start with mirror.copies or mirror.redirectOK, case as written): gitolite stores the option and ignores it, so this line changes nothing${sug ? `; did you mean 'mirror.${sug}'?` : ''}` });
        }
      }
      pm.bad[dk] = bad.length ? bad : NO_DIAGS;
    }
    for (let k = 0; k < bad.length; k++) diags.push(bad[k]);
  }

  yield;
  if (dialect === 'v3') diags.push(...adminLockout(repos, inp, hn, at));

  // `option mirror.x =` without a value is a syntax error to gitolite: it clears nothing.
  for (let k = 0; k < compiled.diags.length; k++) {
    const d = compiled.diags[k];
    const t = d.code === 'gl-syntax' ? String(d.data?.text ?? '') : '';
    const m = /^option (mirror\.\S+) =$/.exec(t);
    if (m) diags.push({ file: d.file, range: d.range, code: 'gl-mirror-empty-option', data: { key: m[1] }, message: `gitolite ignores 'option ${m[1]} =' (no value), so it does not clear ${m[1]}: a value set earlier (e.g. for @all) stays in force; write 'option ${m[1]} = ""' to clear it` });
  }
  return { dialect, confDialect, repos, hosts, diags };
}

/**
 * gitolite-admin mirrored without a host that mirrors other repos (DOC mirroring.md appendix D):
 * the master pushes the new conf to the copies it knew before the push, a dropped host compiles
 * it, and from then on answers "'gitolite-admin' is mirrored but not here" to everyone, the
 * master included. On the host itself (HOSTNAME) that is the state now: an error.
 */
function adminLockout(repos: MirrorRepo[], inp: MirrorInput, hn: string | undefined, at: (e: ConfigEntry) => GlRelated): GlDiag[] {
  const admin = repos.find((r) => r.name === 'gitolite-admin' && !r.isPattern);
  if (!admin || (!admin.master && !admin.copies.length)) return [];
  const members = new Set([admin.master, ...admin.copies.map((c) => c.host)].filter((h): h is string => !!h));
  const dropped = new Map<string, string>();
  for (const r of repos) {
    if (r === admin) continue;
    // The master, then each copy (indexed: no list per repo, 4,000 repos on every mirror run).
    for (let k = -1; k < r.copies.length; k++) {
      const h = k < 0 ? r.master : r.copies[k].host;
      if (h && !members.has(h) && !dropped.has(h) && !badHosts(inp.caches, h).length) dropped.set(h, r.name);
    }
  }
  const e = admin.sources.copies[admin.sources.copies.length - 1] ?? admin.sources.master;
  if (!e) return [];
  const out: GlDiag[] = [];
  const rc = inp.rc;
  const trigger = !rc.found || !rc.enable || rcEnables(rc, 'Mirroring');
  const list = `master ${admin.master ? `'${admin.master}'` : '(none)'}, copies ${admin.copies.length ? quoteList(admin.copies.map((c) => c.host), 5) : '(none)'}`;
  if (hn && trigger && admin.mode === 'mirrored-elsewhere') {
    const related: GlRelated[] = [at(e)];
    if (inp.rcPath && rc.hostname) related.push({ file: inp.rcPath, range: rcRange(rc.hostname.pos), message: `HOSTNAME '${hn}'` });
    out.push({ file: e.file, range: valueRange(e), code: 'gl-mirror-admin-locked-out', related, data: { host: hn },
      message: `this host ('${hn}') is neither the master nor a copy of gitolite-admin (${list}): gitolite refuses every access to gitolite-admin here ("FATAL: ${hn}: 'gitolite-admin' is mirrored but not here"), so no conf update reaches this host; fix it on the server: edit ~/.gitolite/conf/gitolite.conf and run 'gitolite setup'` });
  }
  const others = [...dropped].filter(([h]) => h !== hn);
  if (others.length)
    out.push({ file: e.file, range: valueRange(e), code: 'gl-mirror-admin-host-dropped', related: [at(e)], data: { hosts: others.map(([h]) => h) },
      message: `gitolite-admin is mirrored (${list}) but ${others.slice(0, 4).map(([h, r]) => `'${h}' (mirrors '${r}')`).join(', ')}${others.length > 4 ? ` and ${others.length - 4} more` : ''} ${others.length > 1 ? 'are' : 'is'} not in its list: if this conf reaches ${others.length > 1 ? 'one of them' : 'it'} (the master pushes it to the copies it had before the push), that host answers "'gitolite-admin' is mirrored but not here" from then on and gets no more conf updates; add it to gitolite-admin's mirror.copies` });
  return out;
}

/** The key meant by a v3 mirror key the trigger never reads: by spelling, else by its start (v2's `slave`, `copy`). */
function suggestMirrorKey(k: string): string | undefined {
  const near = didYouMean(k, V3_MIRROR_KEYS);
  if (near) return near;
  const l = k.toLowerCase();
  if (l.startsWith('slave') || l.startsWith('cop')) return 'copies';
  if (l.startsWith('redirect')) return 'redirectOK';
  if (l.startsWith('mast')) return 'master';
  return undefined;
}
