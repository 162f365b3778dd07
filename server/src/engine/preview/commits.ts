// What an update of a ref would land on the mirror, so a reviewer of a dry run sees it: the
// commit count (`git rev-list --count old..new`) and the newest subjects (`git log --format=%s`),
// read from the source repository with real git. The old commit comes from the mirror's
// ls-remote; when the source lacks it (the mirror moved on its own), a mirror that is a local
// path lends its objects (GIT_ALTERNATE_OBJECT_DIRECTORIES, read only); otherwise it is unknown.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommitSummary } from '../../protocol';
import { maskSecrets } from '../../service/secrets';
import { localGitEnv, runGit } from '../transport/git';
import { parseGitUrl } from '../transport/gitUrl';

export const MAX_SUBJECTS = 10;

/** The objects directory of a mirror that is a local path or file:// URL (bare or not), or undefined. */
export function localMirrorObjects(url: string): string | undefined {
  const u = parseGitUrl(url);
  if (u.kind !== 'local' && !(u.kind === 'file' && !u.host)) return undefined;
  const dir = u.kind === 'file' ? u.path : url;
  // The alternates variable is a ':'-separated list: such a path cannot be named in it.
  if (dir.includes(':')) return undefined;
  for (const objects of [join(dir, 'objects'), join(dir, '.git', 'objects')]) if (existsSync(objects)) return objects;
  return undefined;
}

/**
 * The commits `newId` brings over `oldId` in `repoDir` (with the mirror's objects when given),
 * and for a forced update the commits of `oldId` it drops. null: the old commit is not there.
 */
export async function commitSummary(repoDir: string, oldId: string, newId: string, o: { mirrorObjects?: string; forced?: boolean } = {}): Promise<CommitSummary | null> {
  const env: Record<string, string> = { ...localGitEnv(), GIT_DIR: repoDir };
  if (o.mirrorObjects) env.GIT_ALTERNATE_OBJECT_DIRECTORIES = o.mirrorObjects;
  const git = (args: string[]) => runGit(args, { cwd: repoDir, env });
  const count = await git(['rev-list', '--count', `${oldId}..${newId}`, '--']);
  if (count.code !== 0) return null;
  const log = await git(['log', '--no-color', '--no-decorate', '-z', '--format=%s', `--max-count=${MAX_SUBJECTS}`, `${oldId}..${newId}`, '--']);
  if (log.code !== 0) return null;
  const summary: CommitSummary = {
    count: Number(count.stdout.trim()),
    // A subject is commit text, shown as text (the panel escapes it); a URL in it loses its password.
    subjects: log.stdout.split('\0').filter((s) => s !== '').map((s) => maskSecrets(s.trim())),
  };
  if (o.forced) {
    const dropped = await git(['rev-list', '--count', `${newId}..${oldId}`, '--']);
    if (dropped.code === 0) summary.dropped = Number(dropped.stdout.trim());
  }
  return summary;
}
