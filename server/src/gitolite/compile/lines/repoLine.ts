// `repo NAME…`: sets the repo list that the following rules and config lines apply to. Outside
// the master conf, a subconf may only name repos delegated to it: others are expanded (a group)
// or ignored with gitolite's "attempting to set access" finding.
import type { XLine } from '../explode';
import type { ChunkCompiler } from '../chunkCompiler';
import type { Item } from '../chunk';
import { REPOPATT_PATT } from '../patterns';

export function repoLine(cc: ChunkCompiler, x: XLine, first: string): boolean {
  const { cl, file } = x;
  const n = cl.n;
  if (!(first === 'repo' && n > 1)) return false;
  const res = cc.res;
  const subconf = cc.subconf;
  if (subconf === 'master') {
    // Nothing is disallowed in the master conf, so nothing expands: the loop below, without the queue.
    // Exact size (push would reserve 17 slots): one list per repo line lives as long as the analysis.
    const repolist: string[] = n === 2 ? [''] : new Array(n - 1);
    for (let k = 1; k < n; k++) {
      let name = cl.tokText(k);
      if (name.endsWith('.git')) {
        name = name.slice(0, -4);
        cc.diag(file, cl.tokRange(k), 'gl-git-extension', `explicit '.git' extension ignored for ${name}.git`);
      }
      if (!REPOPATT_PATT.test(name)) cc.diag(file, cl.tokRange(k), 'gl-bad-reponame', `bad reponame '${name}'`);
      repolist[k - 1] = name;
      res.repoNames.push(name);
      res.repoAt.push(file, cl, k);
    }
    cc.repolist = repolist;
    return true;
  }
  const repolist: string[] = [];
  cc.repolist = repolist;
  const queue: Item[] = [];
  for (let k = 1; k < n; k++) queue.push({ text: cl.tokText(k), k });
  while (queue.length) {
    const it = queue.shift()!;
    if (cc.disallowed(subconf, it.text)) {
      const g = cc.get(it.text);
      if (g) {
        cc.diag(file, cl.tokRange(it.k), 'gl-subconf-expanding', `expanding '${it.text.replace('@' + subconf + '.', '@')}'; this *may* slow down compilation`);
        queue.unshift(...[...g.keys()].map((m) => ({ text: m, k: it.k })));
        continue;
      }
      let ig = res.ignored.get(subconf);
      if (!ig) res.ignored.set(subconf, (ig = { names: new Set(), at: cl.tokRange(it.k), file }));
      ig.names.add(it.text);
      continue;
    }
    let name = it.text;
    if (name.endsWith('.git')) {
      name = name.slice(0, -4);
      cc.diag(file, cl.tokRange(it.k), 'gl-git-extension', `explicit '.git' extension ignored for ${name}.git`);
    }
    if (!REPOPATT_PATT.test(name)) cc.diag(file, cl.tokRange(it.k), 'gl-bad-reponame', `bad reponame '${name}'`);
    repolist.push(name);
    res.repoNames.push(name);
    res.repoAt.push(file, cl, it.k);
  }
  return true;
}
