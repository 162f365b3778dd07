// `@name = members`: gitolite's `^(@\S+) = (.*)` on the cleaned text, checked by tokens. A group
// only grows; the chunk records what it added (a Mutation) so a reused chunk can replay it.
import type { XLine } from '../explode';
import type { ChunkCompiler } from '../chunkCompiler';
import { GroupDefRef, type Mutation } from '../chunk';
import { REPONAME_PATT, REPOPATT_PATT } from '../patterns';

export function groupLine(cc: ChunkCompiler, x: XLine, c0: number): boolean {
  const { cl, file } = x;
  const n = cl.n;
  if (!(c0 === 64 /* @ */ && n > 2 && cl.tokIs(1, '='))) return false;
  const { res, groups, owned } = cc;
  // The same line as in an earlier run, defining its group first again: the same result (its
  // member map is never changed once made), without a new map per line of a recompiled block.
  const memo = cc.caches.groupLines.get(cl);
  if (memo && memo.file === file && memo.subconf === cc.subconf && !cc.get(memo.def.name)) {
    res.groupDefs.push(memo.def);
    groups.set(memo.def.name, memo.mutation[3]!);
    res.mutations.push(memo.mutation);
    cc.invalidate(memo.def.name);
    return true;
  }
  const lhs = cl.tokText(0);
  const def = new GroupDefRef(lhs, file, cl);
  res.groupDefs.push(def);
  const diags = res.diags.length;
  if (!REPONAME_PATT.test(lhs)) cc.diag(file, cl.tokRange(0), 'gl-bad-group', `bad group '${lhs}'`);
  const texts: string[] = new Array(n - 2);
  for (let k = 2; k < n; k++) {
    const t = cl.tokText(k);
    texts[k - 2] = t;
    if (!REPOPATT_PATT.test(t)) cc.diag(file, cl.tokRange(k), 'gl-bad-expansion', `bad expansion '${t}'`);
  }
  const members = cc.expandTexts(file, cl, 2, texts);
  let g = cc.get(lhs);
  const fresh = !g;
  if (!g) groups.set(lhs, (g = new Map()));
  else if (!owned.has(g)) { groups.set(lhs, (g = new Map(g))); owned.add(g); }
  let added: string[];
  if (fresh) {
    // A new group takes every member, once each, in order: the member list itself when none repeats.
    for (let j = 0; j < members.length; j++) if (!g.has(members[j])) g.set(members[j], cc.subconf);
    added = g.size === members.length ? members : [...g.keys()];
  } else {
    added = [];
    for (let j = 0; j < members.length; j++) { const m = members[j]; if (!g.has(m)) { g.set(m, cc.subconf); added.push(m); } }
  }
  const mutation: Mutation = fresh ? [lhs, added, cc.subconf, g] : [lhs, added, cc.subconf];
  res.mutations.push(mutation);
  // Kept for the next run when the result depends on nothing but the line: a new group, no
  // @group among its members, no finding.
  if (fresh && members === texts && res.diags.length === diags) cc.caches.groupLines.set(cl, { file, subconf: cc.subconf, def, mutation });
  cc.invalidate(lhs);
  return true;
}
