// `@name = members`: gitolite's `^(@\S+) = (.*)` on the cleaned text, checked by tokens. A group
// only grows; the chunk records what it added (a Mutation) so a reused chunk can replay it.
import type { XLine } from '../explode';
import type { ChunkCompiler } from '../chunkCompiler';
import { GroupDefRef, Item } from '../chunk';
import { REPONAME_PATT, REPOPATT_PATT } from '../patterns';

export function groupLine(cc: ChunkCompiler, x: XLine, c0: number): boolean {
  const { cl, file } = x;
  const n = cl.n;
  if (!(c0 === 64 /* @ */ && n > 2 && cl.tokIs(1, '='))) return false;
  const { res, groups, owned } = cc;
  const lhs = cl.tokText(0);
  res.groupDefs.push(new GroupDefRef(lhs, file, cl));
  if (!REPONAME_PATT.test(lhs)) cc.diag(file, cl.tokRange(0), 'gl-bad-group', `bad group '${lhs}'`);
  const items: Item[] = new Array(n - 2);
  for (let k = 2; k < n; k++) {
    const t = cl.tokText(k);
    items[k - 2] = { text: t, k };
    if (!REPOPATT_PATT.test(t)) cc.diag(file, cl.tokRange(k), 'gl-bad-expansion', `bad expansion '${t}'`);
  }
  const members = cc.expand(file, cl, items);
  let g = cc.get(lhs);
  const fresh = !g;
  if (!g) groups.set(lhs, (g = new Map()));
  else if (!owned.has(g)) { groups.set(lhs, (g = new Map(g))); owned.add(g); }
  const added: string[] = [];
  for (const mem of members) if (!g.has(mem.text)) { g.set(mem.text, cc.subconf); added.push(mem.text); }
  res.mutations.push(fresh ? [lhs, added, cc.subconf, g] : [lhs, added, cc.subconf]);
  cc.invalidate(lhs);
  return true;
}
