// `check --hosts` in the editor: a multi-root workspace with several gitolite homes (or
// gitolite-admin clones) is checked as a whole, and each gitolite file gets the cross-host
// findings that belong to it, with the other host's place as related information. A host's name
// is its HOSTNAME, else its folder's name (on the command line the names are given explicitly).
import { basename } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { checkHosts, type HostDir } from '../gitolite/hostsCheck';
import { toDiagnostic } from '../gitolite/lsp';
import { readRc } from '../gitolite/rcReader';
import type { Workspace } from '../service/workspace';
import { isGitoliteAdminClone, isGitoliteHome } from './gitoliteBridge';

/** The workspace folders that are gitolite hosts, named; fewer than two means nothing to compare. */
export function gitoliteHostsOf(folders: string[], ws: Workspace): HostDir[] {
  const out: HostDir[] = [];
  for (const dir of folders) {
    if (!isGitoliteHome(dir) && !isGitoliteAdminClone(dir)) continue;
    const rc = ws.read(`${dir}/.gitolite.rc`);
    let name = rc !== undefined ? readRc(rc).hostname?.value : undefined;
    if (!name || out.some((h) => h.name === name)) name = basename(dir);
    if (out.some((h) => h.name === name)) continue;
    out.push({ name, dir });
  }
  return out.length >= 2 ? out : [];
}

/** The cross-host diagnostics of one file; `hosts` from gitoliteHostsOf. */
export function hostsDiagnosticsFor(path: string, hosts: HostDir[], ws: Workspace, overrides?: Record<string, string>): Diagnostic[] {
  if (hosts.length < 2) return [];
  const out: Diagnostic[] = [];
  for (const g of checkHosts(hosts, ws).diags) {
    if (g.file !== path) continue;
    const d = toDiagnostic(g, overrides);
    if (d) out.push(d);
  }
  return out;
}
