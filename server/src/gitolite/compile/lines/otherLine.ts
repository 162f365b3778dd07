// Whatever is left: `subconf NAME` (a subconf set by hand), else gitolite's "syntax error, ignoring".
import type { XLine } from '../explode';
import type { ChunkCompiler } from '../chunkCompiler';
import { ptextOf } from './configLine';

export function otherLine(cc: ChunkCompiler, x: XLine): void {
  const { cl, file } = x;
  const n = cl.n;
  const ptext = ptextOf(cl.cleanText());
  if (/^subconf (\S+)$/.test(ptext)) {
    cc.subconf = cl.tokText(1);
    if (!/^[-\w.]+$/.test(cc.subconf)) cc.diag(file, cl.tokRange(0, n - 1), 'gl-subconf-bad-name', `bad subconf '${cc.subconf}'`);
    return;
  }
  cc.diag(file, cl.tokRange(0, n - 1), 'gl-syntax', `syntax error, ignoring: '${ptext}'`, { text: ptext });
}
