// `git-replication check [--format text|json] PATH...`
// Exit codes: 0 no errors, 1 at least one error, 2 usage error.
import { masked } from './maskedIo';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs, UsageError } from './args';
import { checkFiles, type RefusedFile } from '../formats/checkFiles';
import { isInsideRoots, realPathOf, refusalFor, resolveRoots } from '../service/confine';
import '../formats'; // every format: check reads gitolite files too
import { classifyFile, type FileKindId } from '../service/fileKinds';
import { diskWorkspace, Workspace } from '../service/workspace';
import type { CheckDiagnostic } from '../protocol';
import { hostsDiagnostics, parseHostArgs } from './checkHosts';

export const CHECK_USAGE = `usage: git-replication check [--format text|json] [--rc FILE] [--kind KIND] PATH...
       git-replication check [--format text|json] --hosts NAME=DIR NAME=DIR...
  PATH is a file, a Gerrit site, a gitolite home or a gitolite-admin clone; every known
  file below a directory is checked. --rc pairs gitolite.conf files with that .gitolite.rc
  (default: the nearest one at or above the conf). --kind replication|secure|fanout|gitolite|rc
  checks the named FILEs as that kind, for files whose name does not tell (a FILE of unknown
  kind without --kind is a usage error). --hosts checks gitolite hosts as a whole: each DIR
  is a gitolite home or a gitolite-admin clone, NAME the name the other hosts use for it
  (ssh alias, server-NAME.pub). Exit: 0 no errors, 1 errors found, 2 usage error.`;

const SKIP_DIRS = new Set(['.git', 'node_modules', '.cache']);

export type Found = { path: string; refused?: RefusedFile };

const OUTSIDE = (what: string, root: string) => `${what} leads outside ${root} (symlinks resolved): check reads nothing outside the paths it is given, so it is not checked`;
const NOT_REGULAR = 'not a regular file (a FIFO, a device or a socket): check never opens one, so it is not checked';

/**
 * Every file below `dir` that one of our formats claims. Confined to `dir`: a file or a
 * directory whose real path is outside it is reported, not read (nor entered), and so is a
 * known file that is not a regular file; a directory reached twice (a symlink loop) is
 * entered once.
 */
export function findKnownFiles(dir: string, ws: Workspace = diskWorkspace): Found[] {
  const out: Found[] = [];
  const roots = resolveRoots({ dirs: [dir] });
  const seen = new Set<string>();
  const walk = (d: string) => {
    const real = realPathOf(d);
    if (seen.has(real)) return;
    seen.add(real);
    const names = ws.list(d);
    if (!names) return;
    for (const name of names.sort()) {
      const p = join(d, name);
      const st = ws.stat(p);
      if (!st) continue;
      if (st.isDirectory) {
        if (SKIP_DIRS.has(name) || name.endsWith('.git')) continue;
        if (isInsideRoots(p, roots)) walk(p);
        else out.push({ path: p, refused: { code: 'outside-root', severity: 'warning', message: OUTSIDE('this directory', dir) } });
      } else if (classifyFile(p)) {
        const why = refusalFor(p, roots);
        if (why === 'outside') out.push({ path: p, refused: { code: 'outside-root', message: OUTSIDE('this file', dir) } });
        else if (why === 'not-regular' || !st.isFile) out.push({ path: p, refused: { code: 'not-regular', message: NOT_REGULAR } });
        else out.push({ path: p });
      }
    }
  };
  walk(dir);
  return out;
}

/** A FILE argument: confined to the directory it is named in. */
function fileArgument(abs: string): RefusedFile | undefined {
  const dir = dirname(abs);
  const why = refusalFor(abs, resolveRoots({ dirs: [dir] }));
  if (why === 'outside') return { code: 'outside-root', message: OUTSIDE('this file', dir) };
  if (why === 'not-regular' || !diskWorkspace.stat(abs)?.isFile) return { code: 'not-regular', message: NOT_REGULAR };
  return undefined;
}

// checkFiles lives with the formats (the engine checks a site's config with it too).
export { checkFiles };

/** `--kind` names; a file whose name tells no kind is checked only when one is given. */
const KINDS: Record<string, FileKindId> = { replication: 'replication', secure: 'secure', fanout: 'fanout', gitolite: 'gitolite-conf', rc: 'gitolite-rc' };

async function runCheck(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { format: 'string', help: 'bool', rc: 'string', kind: 'string', hosts: 'bool' });
  if (flags.help) {
    io.out(CHECK_USAGE);
    return 0;
  }
  const format = (flags.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  if (flags.hosts) {
    if (flags.rc !== undefined || flags.kind !== undefined) throw new UsageError('--hosts takes no --rc or --kind: each DIR brings its own rc');
    const diags = hostsDiagnostics(parseHostArgs(positionals), (d) => findKnownFiles(d));
    print(diags, format, io);
    return diags.some((d) => d.severity === 'error') ? 1 : 0;
  }
  if (positionals.length === 0) throw new UsageError('check needs at least one PATH');
  const kind = typeof flags.kind === 'string' && Object.hasOwn(KINDS, flags.kind) ? KINDS[flags.kind] : undefined;
  if (flags.kind !== undefined && !kind) throw new UsageError(`--kind must be one of ${Object.keys(KINDS).join(', ')}, not '${flags.kind}'`);
  const files: Array<{ path: string; display: string; kind?: FileKindId; refused?: RefusedFile }> = [];
  for (const p of positionals) {
    const abs = resolve(p);
    const st = diskWorkspace.stat(abs);
    if (!st) throw new UsageError(`no such file or directory: ${p}`);
    if (st.isDirectory) {
      for (const f of findKnownFiles(abs)) files.push({ path: f.path, display: relative(abs, f.path), refused: f.refused });
    } else if (kind) files.push({ path: abs, display: p, kind, refused: fileArgument(abs) });
    else if (classifyFile(abs)) files.push({ path: abs, display: p, refused: fileArgument(abs) });
    else throw new UsageError(`${p}: cannot tell which kind of file this is; name it with --kind ${Object.keys(KINDS).join('|')}`);
  }
  // gitolite: --rc pins the rc for every gitolite.conf, and the rc itself is checked too.
  const extra: { gitoliteRc?: string; gitoliteConf?: string } = {};
  if (typeof flags.rc === 'string') {
    const rc = resolve(flags.rc);
    if (!diskWorkspace.stat(rc)?.isFile) throw new UsageError(`--rc: no such file: ${flags.rc}`);
    extra.gitoliteRc = rc;
    extra.gitoliteConf = files.find((f) => !f.refused && (f.path.endsWith('/gitolite.conf') || f.kind === 'gitolite-conf'))?.path;
    if (!files.some((f) => f.path === rc)) files.push({ path: rc, display: flags.rc, refused: fileArgument(rc) });
  }
  const diags = checkFiles(files, diskWorkspace, extra);
  print(diags, format, io);
  return diags.some((d) => d.severity === 'error') ? 1 : 0;
}

function print(diags: CheckDiagnostic[], format: string, io: { out: (s: string) => void }): void {
  if (format === 'json') io.out(JSON.stringify({ diagnostics: diags }));
  else for (const d of diags) {
    io.out(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`);
    for (const r of d.related ?? []) io.out(`${r.file}:${r.line}:${r.column}: note: ${r.message}`);
  }
}

/** The command, printing through the one mask (cli/maskedIo). */
export const checkCommand = masked(runCheck);
