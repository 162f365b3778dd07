// Workspace-wide diagnostics: every config file of the workspace folders is checked, open or
// not, so Problems shows a broken secure.config or an included gitolite file before anyone opens
// it. Open documents keep their own diagnostics (from the editor's text); this covers the rest,
// from disk. The walk never follows a symlink, skips git repositories and dependency folders,
// and stops at a file count, so a workspace holding a Gerrit site's thousands of repositories
// (or a hostile symlink loop) costs a bounded scan. Checks run one file at a time, each in
// slices (lsp/slicedRun.ts), so requests are answered in between.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { classifyFile } from '../service/fileKinds';
import { readRegularFile } from '../service/confine';

/** Folder names never entered: VCS data, dependencies, build output. */
const SKIP = new Set(['.git', 'node_modules', '.cache', 'out', 'dist', '.hg', '.svn']);
export const MAX_FILES = 2000;
const MAX_DEPTH = 8;
/** Directory entries visited at most, so a huge tree is cut short rather than walked for minutes. */
const MAX_ENTRIES = 200_000;

/** A bare or non-bare repository's own directory (HEAD and objects/): its contents are no config. */
function isRepository(names: Set<string>): boolean {
  return names.has('HEAD') && names.has('objects') && names.has('refs');
}

/** Every file of the folders whose kind the server knows, in walk order, without following links. */
export function findConfigFiles(folders: string[], max = MAX_FILES): string[] {
  const out: string[] = [];
  let entries = 0;
  const walk = (dir: string, depth: number) => {
    if (out.length >= max || entries >= MAX_ENTRIES) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    entries += names.length;
    if (isRepository(new Set(names))) return;
    const subdirs: string[] = [];
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue;
      }
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) {
        if (!SKIP.has(n) && depth < MAX_DEPTH) subdirs.push(p);
      } else if (st.isFile() && classifyFile(p)) {
        out.push(p);
        if (out.length >= max) return;
      }
    }
    for (const d of subdirs) walk(d, depth + 1);
  };
  for (const f of folders) walk(f, 0);
  return out;
}

export interface WorkspaceCheckHost {
  /** Whether the editor has the file open (its diagnostics come from the editor's text then). */
  isOpen(path: string): boolean;
  /** Diagnostics of a file's disk text (a promise: a big file is checked in slices); undefined to drop them. */
  check(path: string, text: string): unknown[] | undefined | Promise<unknown[] | undefined>;
  publish(path: string, diagnostics: unknown[]): void;
}

/**
 * The background pass over the workspace: `run()` (re)starts it; a file's diagnostics are
 * published as soon as it is checked. Files checked before and gone now get an empty list.
 */
export class WorkspaceChecks {
  private folders: string[] = [];
  private generation = 0;
  private published = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** The last pass: files found, files checked, and its duration in ms (for the log and tests). */
  last: { files: number; checked: number; ms: number } | undefined;

  constructor(private readonly host: WorkspaceCheckHost, private readonly log: (m: string) => void, private readonly maxBytes: () => number) {}

  setFolders(folders: string[]): void {
    this.folders = folders;
  }

  /** Re-run soon, coalescing bursts of file events. */
  schedule(delay = 300): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delay);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.generation++;
  }

  /** A file the editor has just closed: its disk text is what counts again. */
  recheck(path: string): void {
    if (!this.published.has(path) && !this.folders.some((f) => path.startsWith(f))) return;
    void this.checkOne(path);
  }

  /** The editor opened the file: its own diagnostics replace the disk ones (cleared first when `clear`). */
  forget(path: string, clear: boolean): void {
    if (this.published.delete(path) && clear) this.host.publish(path, []);
  }

  run(): void {
    const gen = ++this.generation;
    const started = Date.now();
    const files = findConfigFiles(this.folders);
    if (files.length >= MAX_FILES) this.log(`workspace diagnostics: stopped at ${MAX_FILES} config files; open a narrower folder to see the rest`);
    const seen = new Set(files);
    for (const p of [...this.published]) if (!seen.has(p)) { this.published.delete(p); this.host.publish(p, []); }
    let i = 0;
    let checked = 0;
    const step = () => {
      if (gen !== this.generation) return;
      if (i >= files.length) {
        this.last = { files: files.length, checked, ms: Date.now() - started };
        this.log(`workspace diagnostics: ${checked} of ${files.length} config file(s) checked from disk in ${this.last.ms} ms`);
        return;
      }
      const p = files[i++];
      if (this.host.isOpen(p)) return setImmediate(step);
      void this.checkOne(p).then((ok) => {
        if (ok) checked++;
        setImmediate(step);
      });
    };
    setImmediate(step);
  }

  private async checkOne(path: string): Promise<boolean> {
    let text: string | undefined;
    try {
      const st = lstatSync(path);
      // Over the size limit: not analysed, as an open document would not be.
      if (st.isFile() && st.size <= this.maxBytes()) text = readRegularFile(path)?.toString('utf8');
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      if (this.published.delete(path)) this.host.publish(path, []);
      return false;
    }
    const diagnostics = await this.host.check(path, text);
    // Opened meanwhile: the editor's text counts now.
    if (!diagnostics || this.host.isOpen(path)) return false;
    this.host.publish(path, diagnostics);
    this.published.add(path);
    return true;
  }
}
