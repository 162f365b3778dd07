// `git-replication explain PROJECT [REF]`: for each remote and URL, whether the project (and the
// ref) is replicated and which rule decided, in the order the plugin applies them.
import { parseArgs, UsageError } from './args';
import { openEngine, type Io } from './openEngine';
import { explain, type RuleStep } from '../engine/preview/explain';
import { gitoliteExplainCommand } from './gitoliteHealth';

export const EXPLAIN_USAGE = `usage: git-replication explain [--site DIR] [--json] [--remote NAME]... PROJECT [REF]
       git-replication explain --gitolite HOME [--json] REPO [REF]
  For each remote and URL, says whether PROJECT (and REF, a full ref name such as
  refs/heads/main) is replicated and why, rule by rule in the plugin's order: excludeProjects
  and projects (naming the deciding pattern), authGroup (not evaluated here: it needs Gerrit's
  permissions), replicatePermissions, replicateNoteDbMetaRefs, excludedRefsPattern, the matching
  push refspec, mirror deletions, replicateProjectDeletions, and the URL remoteNameStyle makes,
  with other projects that map to the same URL. --json prints the ExplainResult.
  With --gitolite HOME: for each copy, whether gitolite on this host mirrors REPO there and why:
  HOSTNAME, the conf's mirror.master and mirror.copies (exact repo or wild pattern), this host's
  mode (master, copy, local, mirrored elsewhere), self, the copy's type (async, sync, nosync),
  what the copy must agree to, and gitolite's last error (gl-copy-<copy>.status).
  Exit: 0 replicated to at least one URL, 1 replicated nowhere or a config error, 2 usage error.`;

const MARK: Record<RuleStep['outcome'], string> = { pass: '✓', stop: '✗', info: '·' };

export async function explainCommand(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { site: 'string', json: 'bool', remote: 'list', gitolite: 'string', help: 'bool' });
  if (flags.help) {
    io.out(EXPLAIN_USAGE);
    return 0;
  }
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('expected PROJECT [REF]');
  const [project, ref] = positionals;
  if (ref !== undefined && !ref.startsWith('refs/')) throw new UsageError(`REF is a full ref name (refs/…), not ${JSON.stringify(ref)}`);
  if (typeof flags.gitolite === 'string') {
    if (flags.site || flags.remote) throw new UsageError('--gitolite HOME takes no --site or --remote');
    return gitoliteExplainCommand(flags.gitolite, project, ref, !!flags.json, io);
  }
  const engine = openEngine(flags.site, io, { persist: false });
  if (!engine) return 1;
  const remotes = (flags.remote as string[] | undefined) ?? [];
  for (const r of remotes) if (!engine.destination(r)) throw new UsageError(`no remote named ${JSON.stringify(r)} in the config`);
  const dests = remotes.length ? engine.dests.filter((d) => remotes.includes(d.name)) : engine.dests;
  const all = engine.scan().projects;
  const result = explain(dests, project, ref, all);
  const exists = all.includes(project);
  if (flags.json) io.out(JSON.stringify({ ...result, existsAtSource: exists }, null, 2));
  else {
    if (!exists) io.out(`note: ${project} is not a project under ${engine.site.basePath}`);
    if (!result.remotes.length) io.out('no remote is configured');
    for (const r of result.remotes) {
      const verdict = !r.projectReplicated ? 'project not replicated' : ref === undefined ? 'project replicated' : r.refReplicated ? `ref replicated as ${r.remoteRef}` : 'ref not replicated';
      io.out(`remote ${r.remote} (${r.at}): ${verdict}`);
      for (const s of r.steps) io.out(`  ${MARK[s.outcome]} ${s.rule}: ${s.detail}`);
      for (const u of r.urls) {
        io.out(`  url ${u.url ?? u.template}: ${u.replicated ? 'replicated' : 'not replicated'}`);
        for (const s of u.steps) io.out(`    ${MARK[s.outcome]} ${s.rule}: ${s.detail}`);
      }
    }
  }
  return result.remotes.some((r) => r.urls.some((u) => u.replicated)) ? 0 : 1;
}
