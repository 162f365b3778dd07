// V8's code cache for the CLI bundles (dist/cli-*.js): node 20 has no module compile cache
// (module.enableCompileCache is 22+), so the build runs each bundle once on small inputs and
// stores the compiled code beside it (scripts/codeCache.mjs). A cold `check` or hook then skips
// most of the parse and compile of its bundle. The cache names the size and mtime of the bundle
// it was made from and is ignored for any other (V8 checks only the source's length; a hash
// would cost more than it saves: node:crypto alone loads in ~4 ms). V8 itself rejects a cache
// from another V8 version or flag set, and the bundle is then compiled as usual.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname } from 'node:path';
import { Script } from 'node:vm';

type Compile = (this: Module, content: string, filename: string) => unknown;
type ModuleStatics = { prototype: { _compile: Compile }; wrap(content: string): string };

const CHUNK = /^cli-[a-z]+\.js$/;
const stamp = (file: string) => {
  const st = statSync(file);
  return `${st.size} ${st.mtimeMs}`;
};

/**
 * Compile the bundles of `dir` with their code cache. With `write`, make the caches instead: each
 * bundle loaded is cached at exit, after the run has compiled the functions it used.
 */
export function useCodeCache(dir: string, write = false): void {
  const M = Module as unknown as ModuleStatics;
  const original = M.prototype._compile;
  M.prototype._compile = function (content, filename) {
    if (dirname(filename) !== dir || !CHUNK.test(basename(filename))) return original.call(this, content, filename);
    const hash = stamp(filename);
    let cachedData: Buffer | undefined;
    if (!write) {
      try {
        const file = readFileSync(filename + '.cache');
        const nl = file.indexOf(10);
        if (nl > 0 && file.subarray(0, nl).toString() === hash) cachedData = file.subarray(nl + 1);
      } catch {
        // no cache: compile as usual
      }
      if (!cachedData) return original.call(this, content, filename);
    }
    const script = new Script(M.wrap(content), { filename, cachedData });
    if (write) process.once('exit', () => writeFileSync(filename + '.cache', Buffer.concat([Buffer.from(hash + '\n'), script.createCachedData()])));
    const fn = script.runInThisContext() as (...a: unknown[]) => unknown;
    const req = Module.createRequire(filename);
    return fn.call(this.exports, this.exports, req, this, filename, dirname(filename));
  };
}
