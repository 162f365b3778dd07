// The projects of a Gerrit site for the language features (ServiceContext.siteProjects): the
// engine's own walk of gerrit.basePath (engine/site/loadSite.ts), so hover and inlay hints name
// the same projects a dry run does. A walk is kept until a file event or for `maxAgeMs`: hints
// are asked for on every scroll, and a site can hold thousands of repositories.
import { basename, dirname } from 'node:path';
import { gerritBasePath, scanProjects } from '../engine/site/loadSite';

export class SiteProjects {
  private readonly byEtc = new Map<string, { at: number; projects: readonly string[] | undefined }>();

  constructor(private readonly maxAgeMs = 30_000, private readonly now = () => Date.now()) {}

  /** The projects of the site whose etc directory is `etcDir`; undefined when it is no site's etc/ or basePath cannot be read. */
  of(etcDir: string): readonly string[] | undefined {
    const hit = this.byEtc.get(etcDir);
    if (hit && this.now() - hit.at < this.maxAgeMs) return hit.projects;
    const projects = basename(etcDir) === 'etc' ? this.scan(dirname(etcDir)) : undefined;
    if (this.byEtc.size > 32) this.byEtc.clear();
    this.byEtc.set(etcDir, { at: this.now(), projects });
    return projects;
  }

  /** Repositories may have been created or removed. */
  invalidate(): void {
    this.byEtc.clear();
  }

  private scan(siteDir: string): readonly string[] | undefined {
    const scan = scanProjects(gerritBasePath(siteDir));
    // An unreadable basePath lists nothing: say "unknown", not "no project matches".
    return scan.projects.length === 0 && scan.errors.length ? undefined : scan.projects;
  }
}
