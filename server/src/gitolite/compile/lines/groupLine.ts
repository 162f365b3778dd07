// `@name = members`: gitolite's `^(@\S+) = (.*)` on the cleaned text, checked by tokens. A group
// only grows; the chunk records what it added (a Mutation) so a reused chunk can replay it.
import type { XLine } from '../explode';
import type { ChunkCompiler } from '../chunkCompiler';
import { GroupDefRef } from '../chunk';
import { REPONAME_PATT, REPOPATT_PATT } from '../patterns';

export function groupLine(cc: ChunkCompiler, x: XLine, c0: number): boolean {
  const { cl, file } = x;
  const n = cl.n;
  if (!(c0 === 64 /* @ */ && n > 2 && cl.tokIs(1, '='))) return false;
  const { res, groups, owned } = cc;
  const lhs = cl.tokText(0);
  res.groupDefs.push(new GroupDefRef(lhs, file, cl));
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
  res.mutations.push(fresh ? [lhs, added, cc.subconf, g] : [lhs, added, cc.subconf]);
  cc.invalidate(lhs);
  return true;
}
