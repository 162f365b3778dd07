// Whatever is left: `subconf NAME` (a subconf set by hand); gitolite v2's description line
// (gl-compile-conf: `foo = "desc"`, `foo "owner" = "desc"`), which v2 accepts and v3 ignores;
// else v3's "syntax error, ignoring" or v2's abort "can't make head or tail".
import type { XLine } from '../explode';
import type { ChunkCompiler } from '../chunkCompiler';
import { ptextOf } from './configLine';
import { REPONAME_PATT } from '../patterns';

/** v2's description line, on the cleaned text (G2:src/gl-compile-conf). */
export const V2_DESCRIPTION_RE = /^(\S+)(?: "(.*?)")? = "(.*)"$/;

export function otherLine(cc: ChunkCompiler, x: XLine): void {
  const { cl, file } = x;
  const n = cl.n;
  const ptext = ptextOf(cl.cleanText());
  if (/^subconf (\S+)$/.test(ptext)) {
    cc.subconf = cl.tokText(1);
    if (!/^[-\w.]+$/.test(cc.subconf)) cc.diag(file, cl.tokRange(0, n - 1), 'gl-subconf-bad-name', `bad subconf '${cc.subconf}'`);
    return;
  }
  const whole = cl.tokRange(0, n - 1);
  const d = V2_DESCRIPTION_RE.exec(ptext);
  if (cc.view.v2) {
    if (!d) cc.diag(file, whole, 'gl-v2-syntax', `can't make head or tail of '${ptext}'\ngitolite v2 aborts the compile here, so none of this change takes effect`, { text: ptext });
    else if (!REPONAME_PATT.test(d[1])) cc.diag(file, cl.tokRange(0), 'gl-bad-reponame', `bad repo name '${d[1]}'`);
    return;
  }
  if (d) {
    const [, repo, owner, desc] = d;
    const needs = [['gitweb.description', desc], ['gitweb.owner', owner]].filter(([k, v]) => v !== undefined && !cc.view.validKeys.some((re) => re.test(k!))).map(([k]) => k!);
    const v3 = [`repo ${repo}`, `desc = "${desc}"`, ...(owner !== undefined ? [`owner = "${owner}"`] : [])].join(' / ');
    const keys = cc.rc.gitConfigKeys?.value ?? '';
    cc.diag(file, whole, 'gl-v2-description', `syntax error, ignoring: '${ptext}'\nthis is gitolite v2's description line, which v3 ignores; the v3 form is: ${v3}` +
      (needs.length ? `. GIT_CONFIG_KEYS ('${keys}') does not allow ${needs.join(' or ')}, so gitolite would then stop with "git config '${needs[0]}' not allowed": add ${needs.map((k) => `'${k.replace('.', '\\.')}'`).join(' and ')} to it` : ''),
      { text: ptext, repo, desc, ...(owner !== undefined ? { owner } : {}), needs, prev: cc.repolist.join(' ') });
    return;
  }
  cc.diag(file, whole, 'gl-syntax', `syntax error, ignoring: '${ptext}'`, { text: ptext });
}
