// `git-replication check [--format text|json] PATH...`
// Exit codes: 0 no errors, 1 at least one error, 2 usage error.
import { join, relative, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { parseArgs, UsageError } from './args';
import { validate } from '../service/languageService';
import { classifyFile } from '../service/fileKinds';
import { diskWorkspace, Workspace } from '../service/workspace';
import type { CheckDiagnostic } from '../protocol';

export const CHECK_USAGE = `usage: git-replication check [--format text|json] [--rc FILE] PATH...
  PATH is a file, a Gerrit site, a gitolite home or a gitolite-admin clone; every known
  file below a directory is checked. --rc pairs gitolite.conf files with that .gitolite.rc
  (default: the nearest one at or above the conf). Exit: 0 no errors, 1 errors found, 2 usage error.`;

const SKIP_DIRS = new Set(['.git', 'node_modules', '.cache']);

/** Every file below `dir` that one of our formats claims. */
export function findKnownFiles(dir: string, ws: Workspace = diskWorkspace): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const names = ws.list(d);
    if (!names) return;
    for (const name of names.sort()) {
      const p = join(d, name);
      const st = ws.stat(p);
      if (!st) continue;
      if (st.isDirectory) {
        if (!SKIP_DIRS.has(name) && !name.endsWith('.git')) walk(p);
      } else if (st.isFile && classifyFile(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const SEV: Record<number, CheckDiagnostic['severity']> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** Check files; `display` maps an absolute path to how it is printed. */
export function checkFiles(files: Array<{ path: string; display: string }>, ws: Workspace = diskWorkspace, extra: { gitoliteRc?: string; gitoliteConf?: string } = {}): CheckDiagnostic[] {
  const out: CheckDiagnostic[] = [];
  for (const f of files) {
    const text = ws.read(f.path);
    if (text === undefined) {
      out.push({ file: f.display, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'unreadable', message: 'cannot read the file' });
      continue;
    }
    const doc = TextDocument.create('file://' + f.path, 'plaintext', 1, text);
    for (const d of validate(doc, { path: f.path, ws, ...extra })) {
      out.push({
        file: f.display,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: SEV[d.severity ?? DiagnosticSeverity.Error],
        code: String(d.code ?? ''),
        message: d.message,
      });
    }
  }
  return out;
}

export async function checkCommand(argv: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { format: 'string', help: 'bool', rc: 'string' });
  if (flags.help) {
    io.out(CHECK_USAGE);
    return 0;
  }
  const format = (flags.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  if (positionals.length === 0) throw new UsageError('check needs at least one PATH');
  const files: Array<{ path: string; display: string }> = [];
  for (const p of positionals) {
    const abs = resolve(p);
    const st = diskWorkspace.stat(abs);
    if (!st) throw new UsageError(`no such file or directory: ${p}`);
    if (st.isDirectory) {
      for (const f of findKnownFiles(abs)) files.push({ path: f, display: relative(abs, f) });
    } else files.push({ path: abs, display: p });
  }
  // gitolite: --rc pins the rc for every gitolite.conf, and the rc itself is checked too.
  const extra: { gitoliteRc?: string; gitoliteConf?: string } = {};
  if (typeof flags.rc === 'string') {
    const rc = resolve(flags.rc);
    if (!diskWorkspace.stat(rc)?.isFile) throw new UsageError(`--rc: no such file: ${flags.rc}`);
    extra.gitoliteRc = rc;
    extra.gitoliteConf = files.find((f) => f.path.endsWith('/gitolite.conf'))?.path;
    if (!files.some((f) => f.path === rc)) files.push({ path: rc, display: flags.rc });
  }
  const diags = checkFiles(files, diskWorkspace, extra);
  if (format === 'json') io.out(JSON.stringify({ diagnostics: diags }));
  else for (const d of diags) io.out(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`);
  return diags.some((d) => d.severity === 'error') ? 1 : 0;
}
