// `git-replication check --hosts H1=DIR1 H2=DIR2 …`: every host's own files, as `check DIR`
// checks them, then what the hosts must agree on (gitolite/hostsCheck.ts). A finding prints at
// the place the fix belongs, followed by the other host's place on a `note:` line.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError } from './args';
import { checkFiles } from '../formats/checkFiles';
import { checkHosts, type HostDir } from '../gitolite/hostsCheck';
import { toDiagnostic } from '../gitolite/lsp';
import { LEVEL } from '../service/diagnostics';
import { DiagnosticSeverity } from '../service/lspConstants';
import { diskWorkspace } from '../service/workspace';
import type { CheckDiagnostic } from '../protocol';
import type { Found } from './check';

/** NAME=DIR arguments: names as the other hosts use them (ssh alias, server-NAME.pub). */
export function parseHostArgs(args: string[]): Array<HostDir & { given: string }> {
  if (args.length < 2) throw new UsageError('check --hosts needs at least two NAME=DIR arguments');
  const seen = new Set<string>();
  return args.map((a) => {
    const m = /^([A-Za-z0-9][-A-Za-z0-9._@]*)=(.+)$/.exec(a);
    if (!m) throw new UsageError(`check --hosts: '${a}' is not NAME=DIR`);
    if (seen.has(m[1])) throw new UsageError(`check --hosts: host '${m[1]}' is named twice`);
    seen.add(m[1]);
    const dir = resolve(m[2]);
    if (!diskWorkspace.stat(dir)?.isDirectory) throw new UsageError(`check --hosts: no such directory: ${m[2]}`);
    return { name: m[1], dir, given: m[2] };
  });
}

export function hostsDiagnostics(hosts: Array<HostDir & { given: string }>, findKnownFiles: (dir: string) => Found[], overrides?: Record<string, string>): CheckDiagnostic[] {
  // How a path is printed: below the DIR it was found in, as that DIR was written.
  const show = (p: string) => {
    for (const h of hosts) {
      const rel = relative(h.dir, p);
      if (!rel.startsWith('..') && !isAbsolute(rel)) return join(h.given, rel);
    }
    return p;
  };
  const out: CheckDiagnostic[] = [];
  for (const h of hosts) out.push(...checkFiles(findKnownFiles(h.dir).map((f) => ({ path: f.path, display: show(f.path), refused: f.refused })), diskWorkspace));
  const { diags, errors } = checkHosts(hosts, diskWorkspace);
  if (errors.length) throw new UsageError(errors.join('\n'));
  for (const g of diags) {
    const d = toDiagnostic(g, overrides);
    if (!d) continue;
    out.push({
      file: show(g.file), line: g.range.start.line + 1, column: g.range.start.character + 1, endLine: g.range.end.line + 1, endColumn: g.range.end.character + 1,
      severity: LEVEL[d.severity ?? DiagnosticSeverity.Error], code: g.code, message: g.message,
      related: g.related?.map((r) => ({ file: show(r.file), line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
    });
  }
  return out;
}
