// The files a diagnostic may depend on besides the one being checked (secure.config needs
// replication.config, a fan-out directory changes what replication.config means, a
// gitolite.conf needs its .gitolite.rc). The language service reads them only through this
// interface, so the LSP server can overlay open editors and the CLI can read the disk.
import { readdirSync, statSync } from 'node:fs';
import { readRegularFile, type Refusal } from './confine';

export interface Workspace {
  /** File text, or undefined when it does not exist or cannot be read. */
  read(path: string): string | undefined;
  /** Names of the entries of a directory, or undefined when it is not a directory. */
  list(dir: string): string[] | undefined;
  /** Unix permission bits and type, or undefined when the path does not exist. */
  stat(path: string): { mode: number; isFile: boolean; isDirectory: boolean } | undefined;
  /** A confined workspace (./confine): why it refuses to read `path`, undefined when it does not. */
  refusal?(path: string): Refusal | undefined;
}

export function decodeText(buf: Buffer): string {
  // Files that are not valid UTF-8 still parse; bad bytes become U+FFFD.
  return buf.toString('utf8');
}

// Re-checking a site re-reads every file it includes; an unchanged file (same inode, size,
// mtime and ctime to the nanosecond) is served from memory instead of read and decoded again.
const readCache = new Map<string, { key: string; text: string; bytes: Buffer; readAt: number }>();

/**
 * How long after its last change a file's stat cannot be trusted to show the next change.
 * A timestamp with digits below the millisecond comes from a filesystem that keeps them to
 * the nanosecond (ext4, xfs, btrfs, tmpfs), stamped from the kernel's clock tick, 10 ms at
 * most: 50 ms is five ticks. Whole milliseconds or seconds (FAT's 2 s, some network
 * filesystems) say nothing about the tick: two seconds, as before.
 */
export function racyWindowMs(mtimeNs: bigint, ctimeNs: bigint): number {
  return mtimeNs % 1_000_000n !== 0n && ctimeNs % 1_000_000n !== 0n ? 50 : 2000;
}

export const diskWorkspace: Workspace = {
  read(path) {
    try {
      const st = statSync(path, { bigint: true });
      // Only regular files: a FIFO or a device would block the read or never end.
      if (!st.isFile()) return undefined;
      const key = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
      const hit = readCache.get(path);
      // git's "racily clean" rule: the copy is current while the stat is unchanged only if it was
      // read a window after the file's last change. A copy read within one tick of that change
      // could miss a second change stamped in the same tick, however old the file is by now.
      const mtimeMs = Number(st.mtimeNs / 1_000_000n);
      if (hit && hit.key === key && mtimeMs + racyWindowMs(st.mtimeNs, st.ctimeNs) <= hit.readAt) return hit.text;
      const readAt = Date.now();
      const bytes = readRegularFile(path);
      if (bytes === undefined) return undefined;
      // Unchanged after all (a racy re-read): compare the bytes (no decoding) and hand back the
      // string callers already hold, so they can tell by identity.
      if (hit && bytes.equals(hit.bytes)) {
        hit.key = key;
        hit.readAt = readAt;
        return hit.text;
      }
      const text = decodeText(bytes);
      if (readCache.size > 500) readCache.clear();
      readCache.set(path, { key, text, bytes, readAt });
      return text;
    } catch {
      return undefined;
    }
  },
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return undefined;
    }
  },
  stat(path) {
    try {
      const s = statSync(path);
      return { mode: s.mode, isFile: s.isFile(), isDirectory: s.isDirectory() };
    } catch {
      return undefined;
    }
  },
};

/** The disk, with the text of open (possibly unsaved) documents laid over it. */
export function overlayWorkspace(base: Workspace, open: () => Map<string, string>): Workspace {
  return {
    read: (p) => open().get(p) ?? base.read(p),
    list: (d) => base.list(d),
    stat: (p) => base.stat(p) ?? (open().has(p) ? { mode: 0o100644, isFile: true, isDirectory: false } : undefined),
    refusal: base.refusal && ((p) => base.refusal!(p)),
  };
}
