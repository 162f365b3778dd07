// Inlay hints: beside every value whose effect differs from what was written, the value in
// effect as the plugin reads it (evaluate.ts, the same reading as hover and validation):
// `replicationRetry = 1m` → 1,048,576 min, `rescheduleDelay = 1` → 3 s. Beside each url, where a
// real project of the site is pushed to (siteProject.ts), so a template reads as a destination.
import type { InlayHint, Range } from 'vscode-languageserver';
import { findKey } from '../../catalog/keyCatalog';
import { jgitRawOf } from '../../gitconfig/jgitRead';
import type { Entry } from '../../gitconfig/parser';
import type { ServiceContext } from '../../service/types';
import type { Analysis } from '../analysis';
import { evaluate } from '../evaluate';
import { lastEntry } from '../remoteModel';
import { expandForProject, insteadOfRules, siteProjectFor, type SiteProject } from './siteProject';
import type { InsteadOfRule } from '../uri';

export function inlayHintsReplication(a: Analysis, range: Range, ctx: ServiceContext): InlayHint[] {
  const { doc, parsed } = a;
  const from = doc.offsetAt(range.start);
  const to = doc.offsetAt(range.end);
  const hints: InlayHint[] = [];
  const insteadOf = insteadOfRules(a.resolved);
  const at = (e: Entry) => doc.positionAt(e.valueSpan ? e.valueSpan.end : e.keySpan.end);
  for (const g of a.resolved.groups) {
    const all = g.entries;
    // Asked for once per remote, and only when it has a url in range.
    let sample: SiteProject | undefined;
    for (const e of all) {
      const end = e.valueSpan?.end ?? e.keySpan.end;
      if (end < from || e.span.start > to) continue;
      const key = findKey(g.spec, e.key);
      if (!key) continue;
      if (!key.multi) {
        const last = lastEntry(all, e.key);
        if (last && last !== e) {
          const line = doc.positionAt(last.keySpan.start).line + 1;
          hints.push({ position: at(e), label: `→ overridden (line ${line})`, paddingLeft: true, tooltip: `A later ${key.name} on line ${line} wins: JGit reads the last value.` });
          continue;
        }
      }
      if (key.name === 'url' && g.spec.name === 'remote' && a.kind !== 'secure' && e.value) {
        sample ??= siteProjectFor(a.site.etcDir, all, ctx);
        const hint = urlHint(e.value, sample, all, insteadOf);
        if (hint) hints.push({ position: at(e), label: hint.label, paddingLeft: true, tooltip: hint.tooltip });
        continue;
      }
      const ev = evaluate(g.spec, key, jgitRawOf(parsed, e), g.subsection);
      if (!ev.differs || ev.inline === undefined) continue;
      hints.push({ position: at(e), label: `→ ${ev.inline}`, paddingLeft: true, tooltip: `In effect: ${ev.effective ?? ev.inline} (written: ${e.value === null ? 'no value' : e.value.trim() || 'empty'})` });
    }
  }
  return hints;
}

function urlHint(template: string, sample: SiteProject, all: Entry[], insteadOf: InsteadOfRule[]): { label: string; tooltip: string } | undefined {
  // Without the site's projects there is nothing real to show (the template already says ${name}).
  if (!sample.known || !sample.project) return undefined;
  const x = expandForProject(template, sample.project, all, { insteadOf });
  if (!x.url) return undefined;
  return {
    label: `${sample.project} → ${elideShared(template, x.url)}`,
    tooltip: `Project ${sample.project} of this site is pushed to ${x.url}${x.style ? ` (remoteNameStyle ${x.style})` : ''}.`,
  };
}

/**
 * The expanded url without the long prefix it shares with the template written just before it
 * on the line, keeping the last shared path segment: `…/local/alpha.git`. VS Code cuts hints
 * after 43 characters, which would otherwise leave only the shared part. The tooltip has it whole.
 */
export function elideShared(template: string, url: string): string {
  let n = 0;
  while (n < template.length && n < url.length && template[n] === url[n]) n++;
  if (n < 20) return url;
  const cut = url.lastIndexOf('/', url.lastIndexOf('/', n - 1) - 1);
  return cut > 0 ? `…${url.slice(cut)}` : url;
}
