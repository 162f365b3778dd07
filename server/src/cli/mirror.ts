// `git-replication mirror plan|push --gitolite HOME [--json] [--copy HOST]... [--include-nosync] (--all | REPO...)`
// Gitolite mirroring mode: what this host (HOSTNAME in HOME/.gitolite.rc) pushes to its copies.
// Exit codes: 0 success, 1 a push failed or a named repository was refused, 2 usage error.
import { resolve } from 'node:path';
import { parseArgs, UsageError } from './args';
import { loadMirrorSite, MirrorResult, runMirrors, selectMirrors } from '../engine/gitolite/mirror';

export const MIRROR_USAGE = `usage: git-replication mirror plan --gitolite HOME [--json] [--copy HOST]... (--all | REPO...)
       git-replication mirror push --gitolite HOME [--json] [--copy HOST]... [--include-nosync] (--all | REPO...)
  (also: git-replication plan --gitolite HOME … and git-replication start --gitolite HOME …)
  Gitolite v3 mirroring from the host whose home is HOME (HOSTNAME set in its .gitolite.rc):
  for every repository this host is master of, push (git push --mirror <copy>:<repo>, through
  the host's ~/.ssh/config aliases, key and known_hosts) to each copy. sync copies are pushed
  one by one before the async ones; nosync copies are only planned unless --include-nosync.
  A repository this host is a copy of is never pushed. 'plan' is a dry run per ref.
  Exit: 0 success, 1 a push failed or a named repository was refused, 2 usage error.`;

type Io = { out: (s: string) => void; err: (s: string) => void };

export { gitoliteForm } from './gitoliteForm';

function describe(r: MirrorResult, dryRun: boolean): string[] {
  const head = `${r.repo} -> ${r.copy} (${r.type})`;
  const lines: string[] = [];
  if (r.status === 'failed') lines.push(`Mirror ${head}: FAILED! ${r.error?.split('\n').join('\n    ') ?? ''}`);
  else {
    const changed = r.refs.filter((x) => x.change !== 'up-to-date');
    const what = changed.length === 0 ? 'up to date' : `${changed.length} ref${changed.length === 1 ? '' : 's'} ${dryRun || r.status === 'manual' ? 'to update' : 'updated'}`;
    const tag = r.status === 'pushed' ? 'Succeeded!' : r.status === 'manual' ? `NOT ATTEMPTED! manual mirror push pending for '${r.copy}'` : 'plan';
    lines.push(`Mirror ${head}: ${tag} (${what})${r.createOnCopy ? ' (wild repository would be created on the copy)' : ''}`);
  }
  for (const x of r.refs) if (x.change !== 'up-to-date') lines.push(`  ${x.change.padEnd(12)} ${x.ref}  ${x.summary}`);
  return lines;
}

export async function mirrorCommand(argv: string[], io: Io): Promise<number> {
  const [action, ...rest] = argv;
  if (action === '--help' || action === '-h') {
    io.out(MIRROR_USAGE);
    return 0;
  }
  if (action !== 'plan' && action !== 'push') throw new UsageError(action ? `unknown action '${action}' (plan or push)` : 'missing action (plan or push)');
  const { flags, positionals } = parseArgs(rest, { gitolite: 'string', json: 'bool', copy: 'list', 'include-nosync': 'bool', all: 'bool', help: 'bool' });
  if (flags.help) {
    io.out(MIRROR_USAGE);
    return 0;
  }
  if (typeof flags.gitolite !== 'string') throw new UsageError('--gitolite HOME is required');
  if (flags.all && positionals.length) throw new UsageError('cannot combine --all and REPO');
  if (!flags.all && positionals.length === 0) throw new UsageError('give --all or at least one REPO');
  if (action === 'plan' && flags['include-nosync']) throw new UsageError('--include-nosync applies to push only');
  const dryRun = action === 'plan';

  const site = loadMirrorSite(resolve(flags.gitolite));
  if (site.errors.length) {
    // As gitolite refuses a conf with errors, so do we: the file:line of each, nothing pushed.
    for (const e of site.errors) io.err(e);
    io.err('error: the gitolite configuration has errors; nothing is mirrored');
    return 1;
  }
  const json = flags.json === true;
  if (!json) for (const n of site.notes) io.err(`warning: ${n}`);
  const sel = selectMirrors(site, { repos: positionals, copies: flags.copy as string[] | undefined });
  const results = await runMirrors(site, sel, dryRun, {
    includeNosync: flags['include-nosync'] === true,
    onResult: json ? undefined : (r) => io.out(describe(r, dryRun).join('\n')),
  });
  const failed = results.some((r) => r.status === 'failed');
  const refusedExplicit = sel.refused.some((r) => r.explicit);
  if (json) {
    io.out(JSON.stringify({ hostname: sel.hostname, dryRun, results, refused: sel.refused, local: sel.local, notes: site.notes }, null, 2));
  } else {
    for (const r of sel.refused) (r.explicit ? io.err : io.out)(`${r.explicit ? 'error' : 'skipped'}: ${r.reason}`);
    if (results.length === 0) io.out('Nothing to mirror');
    else io.out(`----------------------------------------------\n${failed ? 'Mirroring completed with some errors!' : dryRun ? 'Mirror plan complete.' : 'Mirroring completed successfully!'}`);
  }
  return failed || refusedExplicit ? 1 : 0;
}
