// What `gitolite compile` checks, line by line, in gitolite's order (Conf/Sugar.pm, Conf.pm
// parse, Conf/Store.pm). Every FATAL becomes an error and every WARNING a warning with
// gitolite's message. gitolite stops at the first FATAL; we go on, so one run shows them all.
// The same pass records groups, repo lines and config/option entries for the model and features.
// This module runs the chunks in order and assembles their results; one chunk is compiled by
// chunkCompiler.ts, each kind of line by its handler in lines/, and reuse lives in chunkCache.ts.
import type { ConfLine } from './confParser';
import { joinContinuations } from './confParser';
import type { GlDiag } from '../diag';
import type { Segment, XLine } from './explode';
import type { CompileOptions, CompileResult, MirrorPart } from './compileTypes';
import { Chunk, ChunkState, chunkMirrorSig, Groups, rcView, RepoRef } from './chunk';
import { cacheChunk, cachedChunk, groupSig, previousRun, rememberRun, sameMutation, sameMutations, sameState } from './chunkCache';
import { compileChunk } from './chunkCompiler';
import { RULE_RE } from './lines/ruleLine';
import { drain, type Steps } from '../../service/slices';

export type { CompileOptions, CompileResult, ConfigEntry, EntryMemo, GroupDef, GroupUse, MirrorPart, RepoItem, RuleEntry } from './compileTypes';

/**
 * Compile every segment in order. A segment whose lines, rc view, entry state and group
 * dependencies are unchanged since the last run reuses its result: an edit re-checks only
 * the file it touches (plus whatever depends on a group it changed).
 */
export function compile(segments: Segment[], opts: CompileOptions): CompileResult {
  return drain(compileSteps(segments, opts));
}

/** Work between two yields: a compiled chunk (at most a block of 200 lines) counts 16, a reused one 1. */
const SLICE_WORK = 16;

/** Whether any line of the block may define a group (the only lines that change the group map). */
function mayDefineGroups(xlines: XLine[]): boolean {
  for (let i = 0; i < xlines.length; i++) {
    const cl = xlines[i].cl;
    if (cl.tokChar(0) === 64 /* @ */ && cl.n > 2 && cl.tokIs(1, '=')) return true;
  }
  return false;
}

/** The same compile a slice at a time (service/slices): it yields between chunks. */
export function* compileSteps(segments: Segment[], opts: CompileOptions): Steps<CompileResult> {
  const view = rcView(opts.rc, opts.caches.rcViews);
  const prevKey = `${opts.rootFile ?? ''}\0${view.key}`;
  const last = previousRun(opts.caches, prevKey);
  const prev = last?.chunks ?? [];
  // The group map is built only when something reads it, by replaying the chunks before that
  // point. When those are the previous run's very chunks and include all of its group lines
  // (an edit below the groups, the usual case), the map there is the previous run's final one:
  // it is used as it is, read only, and copied only if a group line runs after it.
  let groups: Groups | undefined;
  let shared = false;
  let pending = 0; // chunks of this run not replayed into `groups` yet (all of them while it is unbuilt)
  let prefixSame = true; // every chunk so far is the previous run's at the same index
  const owned = new Set<Map<string, string>>();
  const chunks: Chunk[] = [];
  let state: ChunkState = { repolist: [], subconf: 'master', skipping: false };
  const sigMemo = new Map<string, string | null>();
  const replayInto = (g: Groups, c: Chunk) => {
    for (const mu of c.mutations) {
      const [lhs, members, sub] = mu;
      let m = g.get(lhs);
      if (!m) {
        // The group starts here: its map is the one this line made last time (no copy, no garbage).
        if (!mu[3]) { const fresh = new Map<string, string>(); for (const x of members) fresh.set(x, sub); mu[3] = fresh; }
        g.set(lhs, mu[3]);
      } else if (members.length) {
        if (!owned.has(m)) { g.set(lhs, (m = new Map(m))); owned.add(m); }
        for (const x of members) if (!m.has(x)) m.set(x, sub);
      }
      sigMemo.delete(lhs);
    }
  };
  const built = (): Groups => {
    if (groups) return groups;
    if (prefixSame && last && pending > last.lastMutation) { groups = last.groups; shared = true; return groups; }
    opts.caches.counts.groupMapsBuilt++;
    groups = new Map();
    for (let k = 0; k < pending; k++) replayInto(groups, chunks[k]);
    return groups;
  };
  const writable = (): Groups => {
    const g = built();
    if (shared) { groups = new Map(g); shared = false; opts.caches.counts.groupMapsCopied++; }
    return groups!;
  };
  const sigOf = (n: string) => {
    let v = sigMemo.get(n);
    if (v === undefined && !sigMemo.has(n)) sigMemo.set(n, (v = groupSig(built().get(n))));
    return v ?? null;
  };
  const depsHold = (c: Chunk) => {
    let l = c.depList;
    if (!l) {
      l = c.depList = { names: [], has: [], sigs: [] };
      for (const [n, d] of c.deps) {
        l.names.push(n);
        l.has.push(typeof d === 'boolean' ? d : false);
        l.sigs.push(typeof d === 'boolean' ? undefined : d.sig);
      }
    }
    const { names, has, sigs } = l;
    const g = built();
    for (let k = 0; k < names.length; k++) {
      const sig = sigs[k];
      if (sig === undefined) { if (g.has(names[k]) !== has[k]) return false; }
      else if (sigOf(names[k]) !== sig) return false;
    }
    return true;
  };
  const joined = opts.continuation ? joinContinuations(segments.flatMap((s) => s.xlines)) : undefined;
  const count = joined ? 1 : segments.length;
  // Groups whose state may differ from the previous run's at the same chunk index: the groups
  // named by the mutations of every index where the two runs' chunks changed groups differently
  // (all other groups saw the very same mutations in the same order). null: too many to track.
  // A chunk that ran at this index last time still holds while none of its deps is dirty.
  let dirty: Set<string> | null = new Set();
  const clean = (c: Chunk) => {
    if (dirty === null || dirty.size > c.deps.size) return false; // depsHold is cheaper then
    if (dirty.size === 0) return true;
    for (const n of dirty) if (c.deps.has(n)) return false;
    return true;
  };
  let lastMutation = -1;
  let done = 0;
  for (let i = 0; i < count; i++) {
    const xlines = joined ?? segments[i].xlines;
    const hit = opts.continuation ? undefined : cachedChunk(opts.caches, xlines);
    let c: Chunk;
    if (hit && hit.rcKey === view.key && sameState(hit.inState, state) && ((prev[i] === hit && clean(hit)) || depsHold(hit))) {
      c = hit;
      if (!groups) pending++;
      else if (hit.mutations.length) replayInto(writable(), hit);
      done++;
    } else {
      // A block without group lines only reads the map: the shared one will do.
      const g = groups && !shared ? groups : mayDefineGroups(xlines) ? writable() : built();
      c = compileChunk(xlines, state, g, owned, opts.rc, view, (n) => sigMemo.delete(n), opts.caches);
      if (!opts.continuation) cacheChunk(opts.caches, xlines, c);
      done += SLICE_WORK;
    }
    if (prev[i] !== c) prefixSame = false;
    if (c.mutations.length) lastMutation = i;
    const p = prev[i];
    if (dirty !== null && p !== c && !(p && sameMutations(p.mutations, c.mutations))) {
      if (!p) dirty = null;
      else {
        const pm = p.mutations, cm = c.mutations;
        if (pm.length !== cm.length) { for (const [n] of pm) dirty.add(n); for (const [n] of cm) dirty.add(n); }
        else for (let k = 0; k < pm.length; k++) if (!sameMutation(pm[k], cm[k])) { dirty.add(pm[k][0]); dirty.add(cm[k][0]); }
        if (dirty.size > 256) dirty = null;
      }
    }
    chunks.push(c);
    state = c.outState;
    if (done >= SLICE_WORK) { done = 0; yield; }
  }
  const groupsFinal = built();
  rememberRun(opts.caches, prevKey, { chunks, groups: groupsFinal, lastMutation });
  // Assemble: diagnostics in order, configs with absolute sequence numbers.
  const diags: GlDiag[] = [];
  const ignored = new Map<string, { names: Set<string>; at: GlDiag['range']; file: string }>();
  let base = 0;
  let storedRules = 0;
  for (let ci = 0; ci < chunks.length; ci++) {
    const c = chunks[ci];
    for (const d of c.diags) diags.push(d);
    if (c.configs.length) c.box.base = base;
    for (const [sub, ig] of c.ignored) {
      const cur = ignored.get(sub);
      if (!cur) ignored.set(sub, { names: new Set(ig.names), at: ig.at, file: ig.file });
      else for (const n of ig.names) cur.names.add(n);
    }
    base += c.seqCount;
    storedRules += c.storedRules;
  }
  // A repo line that names only groups, none of which is ever given a member: its config and
  // option lines apply to no repository (gitolite stores them under the group's name).
  yield;
  for (let ci = 0; ci < chunks.length; ci++) {
    const c = chunks[ci];
    const g = (c.groupOnly ??= c.configs.filter((e) => e.repos.length > 0 && e.repos.every((r) => r.charCodeAt(0) === 64 && r !== '@all')));
    for (const e of g) if (e.repos.every((r) => !groupsFinal.get(r)?.size))
      diags.push({ file: e.file, range: e.cl.tokRange(0, e.cl.n - 1), code: 'gl-option-no-repo',
        message: `this line applies to no repository: its 'repo' line names only ${e.repos.map((r) => `'${r}'`).join(', ')}, which ${e.repos.length > 1 ? 'are' : 'is'} never defined as a group with members, so gitolite applies it nowhere` });
  }
  for (const sub of [...ignored.keys()].sort()) {
    const ig = ignored.get(sub)!;
    diags.push({ file: ig.file, range: ig.at, code: 'gl-subconf-access', message: `subconf '${sub}' attempting to set access for ${[...ig.names].sort().join(', ')}` });
  }
  // Store.pm opens conf/rule_info on the first stored rule and closes it unconditionally, so a
  // conf without a single access rule makes `gitolite compile` die (3.6.12 through 3.6.14).
  if (storedRules === 0 && opts.rootFile)
    diags.push({ file: opts.rootFile, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, code: 'gl-no-rules',
      message: 'close rule_info file failed: Bad file descriptor\ngitolite dies like this when the conf has no access rule at all; add at least one (e.g. for gitolite-admin)' });
  const lazy = <T>(pick: (c: Chunk) => T[]) => { let v: T[] | undefined; return () => (v ??= chunks.flatMap(pick)); };
  const cfgs = lazy((c) => c.configs), defs = lazy((c) => c.groupDefs);
  const items = lazy((c) => c.repoNames.map((name, i) => new RepoRef(name, c.repoAt[3 * i] as string, c.repoAt[3 * i + 1] as ConfLine, c.repoAt[3 * i + 2] as number))), lns = lazy((c) => c.lines), skp = lazy((c) => c.skipped);
  // Uses and rules are not needed for diagnostics: derived from the lines on demand.
  const uses = lazy((c) => c.lines.flatMap((x) => x.cl.toks.filter((t) => t.text.startsWith('@')).map((t) => ({ name: t.text, file: x.file, tok: t, where: 'user' as const }))));
  const rls = lazy((c) => c.lines.filter((x) => RULE_RE.test(x.cl.text)).map((x) => ({ perm: x.cl.toks[0].text, file: x.file, cl: x.cl, permTok: x.cl.toks[0], repos: [] as string[] })));
  return {
    diags, groups: groupsFinal,
    // Built on first use: an edit that changes no mirror setting never needs them.
    get groupDefs() { return defs(); },
    get configs() { return cfgs(); },
    get groupUses() { return uses(); },
    get repoItems() { return items(); },
    get rules() { return rls(); },
    get lines() { return lns(); },
    get skipped() { return skp(); },
    mirrorSignature: () => {
      const parts: MirrorPart[] = [];
      const groups = new Set<string>();
      let wide = false;
      for (const c of chunks) {
        const m = chunkMirrorSig(c);
        if (!m.any) continue;
        parts.push(m.part);
        for (const g of m.groups) groups.add(g);
        wide ||= m.wide;
      }
      return { parts, groups, wide };
    },
    repoSignature: () => chunks.map((c) => (c.repoSig ??= c.repoNames.join(' '))).join('\u0002'),
  };
}
