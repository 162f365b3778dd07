// Reading a bare repository's refs straight from disk (loose files under refs/ and packed-refs),
// without starting git: a no-op resync of a local mirror then costs no process at all. The
// reader is only trusted when it is certain: anything it does not fully understand (reftable, a
// symbolic or broken ref, a link, an unreadable file) gives undefined, and the caller asks git.
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { RefMap } from './refs';

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

class Unsure extends Error {}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Unsure();
  }
}

/** Loose refs below `dir` (named `prefix…`); git ignores names ending in `.lock` or starting with a dot. */
function walkLoose(dir: string, prefix: string, out: RefMap): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new Unsure();
  }
  for (const name of names) {
    if (name.endsWith('.lock') || name.startsWith('.')) continue;
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isDirectory()) walkLoose(path, `${prefix}${name}/`, out);
    else if (st.isFile()) {
      const text = readFileSync(path, 'latin1').trim();
      if (!OID.test(text)) throw new Unsure(); // symbolic (`ref: …`), empty or broken: git decides
      out.set(`${prefix}${name}`, text);
    } else throw new Unsure(); // a link or anything else
  }
}

function readPacked(path: string, out: RefMap): void {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Unsure();
  }
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line.startsWith('^')) continue;
    const sp = line.indexOf(' ');
    const oid = line.slice(0, sp);
    const name = line.slice(sp + 1);
    if (sp < 0 || !OID.test(oid) || !name.startsWith('refs/')) throw new Unsure();
    if (!out.has(name)) out.set(name, oid); // a loose ref wins over its packed value
  }
}

const sameStat = (a: Stats | undefined, b: Stats | undefined) => (a === undefined ? b === undefined : b !== undefined && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs);

/**
 * The refs of a bare repository (`refs/…` → object id), as `git for-each-ref` lists them, or
 * undefined when that cannot be known for certain without git (no bare repository there,
 * reftable, a symbolic or broken loose ref, a link, an unreadable file, or packed-refs rewritten
 * while it was read). Loose refs are read before packed-refs, the order in which `git pack-refs`
 * cannot make a ref vanish between the two.
 */
export function refsOnDisk(gitDir: string): RefMap | undefined {
  try {
    const head = statOrUndefined(join(gitDir, 'HEAD'));
    const refs = statOrUndefined(join(gitDir, 'refs'));
    if (!head?.isFile() || !refs?.isDirectory() || statOrUndefined(join(gitDir, 'reftable')) !== undefined) return undefined;
    const packedPath = join(gitDir, 'packed-refs');
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = statOrUndefined(packedPath);
      const out: RefMap = new Map();
      walkLoose(join(gitDir, 'refs'), 'refs/', out);
      readPacked(packedPath, out);
      if (sameStat(before, statOrUndefined(packedPath))) return out;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
