// `git-replication delete-project`: the explicit project-deleted event (Gerrit's delete-project
// plugin fires it; the replication plugin then deletes the project on every remote with
// replicateProjectDeletions). Refused while the project still exists at the source.
import { parseArgs, UsageError } from './args';
import { openEngine, type Io } from './openEngine';
import { displayUrl } from '../engine/transport/invocation';

export const DELETE_PROJECT_USAGE = `usage: git-replication delete-project [--site DIR] [--dry-run] PROJECT...
  Deletes each PROJECT (an exact name) on every remote with replicateProjectDeletions that
  replicates it, as Gerrit does when the delete-project plugin reports a deletion. Refused while
  the project still exists under basePath, or while basePath cannot be read. Local and file://
  mirrors are removed when they are bare repositories; ssh mirrors through the remote shell
  (adminUrl preferred). --dry-run only lists what would be deleted. Each deletion is printed with
  its remote and URL.
  Exit: 0 deleted (or nothing to delete), 1 config errors, a refused project or a failed deletion,
        2 usage error.`;

export async function deleteProjectCommand(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { site: 'string', 'dry-run': 'bool', help: 'bool' });
  if (flags.help) {
    io.out(DELETE_PROJECT_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('delete-project needs a PROJECT');
  const engine = openEngine(flags.site, io, { persist: false });
  if (!engine) return 1;
  const dry = !!flags['dry-run'];
  let code = 0;
  for (const p of positionals) {
    let rs;
    try {
      rs = await engine.deleteProject(p, { dryRun: dry });
    } catch (e) {
      io.err(`error: ${(e as Error).message}`);
      code = 1;
      continue;
    }
    if (rs.length === 0) io.out(`${p}: no remote with replicateProjectDeletions replicates it; nothing to delete`);
    for (const r of rs) {
      const where = `${p} on ${r.remote}: ${displayUrl(r.url)}`;
      if (!r.ok) {
        io.err(`error: cannot delete ${where}: ${r.error}`);
        code = 1;
      } else if (r.absent) io.out(`${where}: nothing there`);
      else io.out(`${dry ? 'would delete' : 'deleted'} ${where}`);
    }
  }
  return code;
}
