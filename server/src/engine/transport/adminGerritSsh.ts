// Repository administration on a Gerrit target through its ssh commands, as the replication
// plugin's GerritSshApi does for an adminUrl `gerrit+ssh://host:29418/`:
// create = `gerrit create-project --branch <head> <project>`,
// delete = `deleteproject delete --yes-really-delete --force <project>` (exit 1: the
// delete-project plugin is absent), HEAD = `gerrit set-head <project> --new-head <ref>`.
// Same strict ssh options as every other ssh run; every word is quoted.
import { parseGitUrl } from './gitUrl';
import { UnsafeInputError, validateAdminUrl, validateProjectName, validateRefName } from './safety';
import { shellQuote } from './ssh';
import type { SshAdminResult } from './adminSsh';
import { runOnSshDestination } from './adminSsh';
import type { TransportOptions } from './invocation';

export interface GerritSshResult extends SshAdminResult {
  /** deleteproject exited 1: Gerrit's plugin assumes delete-project is not installed there. */
  pluginMissing?: boolean;
}

function target(adminUrl: string): { destination: string; port?: number } {
  const p = validateAdminUrl(adminUrl);
  if (p.scheme !== 'gerrit+ssh') throw new UnsafeInputError(`not a gerrit+ssh admin URL: ${adminUrl.replace(/\/\/[^@/]*@/, '//')}`);
  // The plugin strips `gerrit+` and talks plain ssh to host[:port]; the path is not used.
  const u = parseGitUrl(adminUrl.replace(/^gerrit\+/i, ''));
  return { destination: (u.user ? `${u.user}@` : '') + u.host!, port: u.port };
}

async function run(adminUrl: string, command: () => string, opts: TransportOptions): Promise<GerritSshResult> {
  try {
    const t = target(adminUrl);
    return await runOnSshDestination(t.destination, t.port, command(), opts);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function createProjectOverGerritSsh(adminUrl: string, project: string, head: string, opts: TransportOptions = {}): Promise<GerritSshResult> {
  return run(
    adminUrl,
    () => {
      validateProjectName(project);
      validateRefName(head);
      return `gerrit create-project --branch ${shellQuote(head)} ${shellQuote(project)}`;
    },
    opts,
  );
}

export async function deleteProjectOverGerritSsh(adminUrl: string, project: string, opts: TransportOptions = {}): Promise<GerritSshResult> {
  const r = await run(
    adminUrl,
    () => {
      validateProjectName(project);
      return `deleteproject delete --yes-really-delete --force ${shellQuote(project)}`;
    },
    opts,
  );
  if (!r.ok && r.exitCode === 1) return { ...r, pluginMissing: true };
  return r;
}

export function setHeadOverGerritSsh(adminUrl: string, project: string, ref: string, opts: TransportOptions = {}): Promise<GerritSshResult> {
  return run(
    adminUrl,
    () => {
      validateProjectName(project);
      validateRefName(ref);
      return `gerrit set-head ${shellQuote(project)} --new-head ${shellQuote(ref)}`;
    },
    opts,
  );
}
