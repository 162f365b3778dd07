// Confinement: `check` and the language server read only files that belong to the site they
// check. `check` runs in CI on pull requests, so a symlink (or an include, or a `~/` path)
// must never make it print a file from outside the site (/etc/shadow, /proc/self/environ),
// and a FIFO or a device must never make it hang. A path is read only when its real path
// (every symlink resolved) lies inside one of the roots, and it is a regular file; the file is
// opened without blocking and checked again on the open descriptor.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Workspace } from './workspace';

/** Why a read is refused: the real path is outside every root, or the file is not a regular one. */
export type Refusal = 'outside' | 'not-regular';

/**
 * What may be read: everything below a directory root (its own symlinks resolved, so a site
 * reached through a symlink still works), or exactly one file root, whose last component
 * must not be a symlink that leads elsewhere (a found `.gitolite.rc` outside the conf dir).
 */
export interface Roots {
  dirs: string[];
  files?: string[];
}

/** The real path of `p`; for a path that does not exist, its nearest existing ancestor's real path plus the rest. */
export function realPathOf(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    const up = dirname(abs);
    if (up === abs) return abs;
    return join(realPathOf(up), basename(abs));
  }
}

function inside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Real paths of the roots, computed once per confinement. */
export interface ResolvedRoots {
  dirs: string[];
  files: string[];
}

export function resolveRoots(roots: Roots): ResolvedRoots {
  return {
    dirs: roots.dirs.map(realPathOf),
    // A file root is trusted by name: its directory's symlinks are resolved, not its own.
    files: (roots.files ?? []).map((f) => join(realPathOf(dirname(resolve(f))), basename(f))),
  };
}

/** Whether `p`'s real path is inside the roots (a path that does not exist is judged by where it would be). */
export function isInsideRoots(p: string, roots: ResolvedRoots): boolean {
  const real = realPathOf(p);
  return roots.dirs.some((d) => inside(real, d)) || roots.files.includes(real);
}

/**
 * Why reading `p` is refused, or undefined when it may be read (a missing path may: its
 * reader reports it missing as the tool it imitates would).
 */
export function refusalFor(p: string, roots: ResolvedRoots): Refusal | undefined {
  if (!isInsideRoots(p, roots)) return 'outside';
  try {
    const st = statSync(p);
    if (!st.isFile() && !st.isDirectory()) return 'not-regular';
  } catch {
    // missing or unreachable: not ours to refuse
  }
  return undefined;
}

// O_NONBLOCK: a FIFO swapped in between the checks and the open must not block the open;
// O_NOFOLLOW: the path opened is the real path, so a symlink there now is a swap.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Read a regular file without ever blocking: opened by its real path with O_NONBLOCK and
 * O_NOFOLLOW, and read only when the open descriptor is a regular file. Undefined otherwise
 * (missing, a FIFO, a device, a directory, unreadable). `onStat` sees the descriptor's stat.
 */
export function readRegularFile(p: string, onStat?: (st: ReturnType<typeof fstatSync>) => void): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(realpathSync.native(resolve(p)), OPEN_FLAGS);
    const st = fstatSync(fd, { bigint: false });
    if (!st.isFile()) return undefined;
    onStat?.(st);
    const chunks: Buffer[] = [];
    const buf = Buffer.allocUnsafe(Math.max(4096, Math.min(st.size + 1, 1 << 24)));
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether `p` is a symlink itself (for messages: "a symlink to outside the site"). */
export function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * `ws` confined to the roots: reads outside them, or of anything but a regular file, answer
 * undefined, and so do listings of directories outside them; `refusal` tells the readers why,
 * so they can say so at the line that names the file. Stat is left alone (it reveals no text).
 */
export function confineWorkspace(ws: Workspace, roots: Roots): Workspace {
  const resolved = resolveRoots(roots);
  const why = new Map<string, Refusal | undefined>();
  const refusal = (p: string): Refusal | undefined => {
    const abs = resolve(p);
    if (!why.has(abs)) {
      // The base may refuse more (an outer confinement: the CLI's root).
      why.set(abs, refusalFor(abs, resolved) ?? ws.refusal?.(abs));
    }
    return why.get(abs);
  };
  return {
    read: (p) => (refusal(p) ? undefined : ws.read(p)),
    list: (d) => (isInsideRoots(d, resolved) ? ws.list(d) : undefined),
    stat: (p) => ws.stat(p),
    refusal,
  };
}

/** Words for a refusal in a message. */
export function refusalText(r: Refusal, path: string): string {
  if (r === 'outside') return isSymlink(path) ? 'a symlink that leads outside' : 'outside';
  return 'not a regular file';
}
