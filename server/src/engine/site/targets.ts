// Which (project, remote, URL) triples a selection covers. Shared by the engine and by the
// post-receive hook, which stores tasks without opening the whole engine (queue, transports).
import { compilePattern } from '../../replication/projectFilter';
import type { Destination } from './destinations';
import { unsafeUrl } from '../transport/safety';

export interface Selection {
  /** Project patterns (Gerrit's: `^regex`, `prefix*`, exact). Empty: every project. */
  projects?: string[];
  /** Exact remote names. Empty: every remote. */
  remotes?: string[];
  /** Substring of the URL template or the expanded URL; '' or '*' = all. */
  urlPattern?: string;
}

export interface Target {
  project: string;
  dest: Destination;
  template: string;
  url: string;
}

/** Every project × destination × URL the selection covers; an unsafe URL is logged and skipped. */
export function targetsOf(dests: readonly Destination[], sel: Selection, projects: readonly string[], log: (level: 'error', m: string) => void): Target[] {
  const pats = (sel.projects ?? []).map(compilePattern);
  const urlPat = sel.urlPattern && sel.urlPattern !== '*' ? sel.urlPattern : '';
  const out: Target[] = [];
  for (const project of projects) {
    if (pats.length && !pats.some((p) => p.test(project))) continue;
    for (const dest of dests) {
      if (sel.remotes?.length && !sel.remotes.includes(dest.name)) continue;
      if (!dest.wouldPushProject(project)) continue;
      for (const { template, url } of dest.urls(project)) {
        if (urlPat && !template.includes(urlPat) && !url.includes(urlPat)) continue;
        const bad = unsafeUrl(url);
        if (bad) {
          log('error', `skipping ${project} → ${dest.name}: ${bad}`);
          continue;
        }
        out.push({ project, dest, template, url });
      }
    }
  }
  return out;
}
