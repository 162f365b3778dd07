// Outline and folding: one symbol per section (remotes show their urls as children), one
// folding range per section; no more of either than ctx.itemBudget holds.
import type { DocumentSymbol, FoldingRange } from 'vscode-languageserver';
import { FoldingRangeKind, SymbolKind } from '../../service/lspConstants';
import type { Section } from '../../gitconfig/parser';
import type { ServiceContext } from '../../service/types';
import { maskUrlPassword } from '../uri';
import type { Analysis } from '../analysis';

/** The section's range without trailing blank lines and comments after its last entry. */
function sectionEnd(s: Section): number {
  const last = s.entries[s.entries.length - 1];
  return Math.max(s.header.end, last ? Math.max(last.span.end, last.valueSpan?.end ?? 0) : 0);
}

/**
 * The outline, breadth first within ctx.itemBudget: every section before any child, so the
 * outline of a huge file lists its remotes (as many as the budget holds) rather than the urls
 * of the first few; children fill what is left, section by section.
 */
export function documentSymbolsReplication(a: Analysis, ctx: ServiceContext): DocumentSymbol[] {
  const { doc, kind, parsed } = a;
  const fanoutName = a.site.fanoutRemote;
  const range = (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
  const budget = ctx.itemBudget;
  const sections: Section[] = [];
  for (const s of parsed.sections) {
    if (s.broken) continue;
    if (budget && !budget.take(1)) break;
    sections.push(s);
  }
  const isRemote = (s: Section) => s.name === 'remote' && !s.legacy;
  const symbols: DocumentSymbol[] = sections.map((s) => {
    const remoteName = isRemote(s) ? (s.subsection ?? (kind === 'fanout' ? fanoutName : undefined)) : undefined;
    const name = remoteName !== undefined ? remoteName : s.subsection !== null ? `${s.name} "${s.subsection}"` : s.name;
    return {
      name: name || '(unnamed)',
      detail: isRemote(s) ? 'remote' : undefined,
      kind: isRemote(s) ? SymbolKind.Module : SymbolKind.Namespace,
      range: range(s.header.start, sectionEnd(s)),
      selectionRange: range(s.nameSpan.start, s.subsectionSpan ? s.subsectionSpan.end : s.nameSpan.end),
      children: [],
    };
  });
  sections.forEach((s, i) => {
    const remote = isRemote(s) && kind !== 'secure';
    const entries = s.entries.filter((e) => !isRemote(s) || kind === 'secure' || e.key === 'url' || e.key === 'adminurl');
    symbols[i].children = (budget ? entries.slice(0, budget.take(entries.length)) : entries).map((e) => ({
      name: remote ? maskUrlPassword(e.value ?? '') || '(empty)' : e.rawKey,
      // A secure.config value that is not one plain word may hold a password (with lone-CR line
      // ends JGit reads the rest of the file as the value of the key before it).
      detail: remote ? e.rawKey : e.key === 'password' || (kind === 'secure' && /\s/.test(e.value ?? '')) ? '••••' : e.value ?? '',
      kind: remote ? SymbolKind.String : SymbolKind.Property,
      range: range(e.span.start, Math.max(e.span.end, e.valueSpan?.end ?? 0)),
      selectionRange: range(e.valueSpan && isRemote(s) ? e.valueSpan.start : e.keySpan.start, e.valueSpan && isRemote(s) ? e.valueSpan.end : e.keySpan.end),
    }));
  });
  return symbols;
}

export function foldingRangesReplication(a: Analysis, ctx: ServiceContext): FoldingRange[] {
  const { doc, parsed } = a;
  const out: FoldingRange[] = [];
  for (const s of parsed.sections) {
    const startLine = doc.positionAt(s.header.start).line;
    const endLine = doc.positionAt(sectionEnd(s)).line;
    if (endLine <= startLine) continue;
    if (ctx.itemBudget && !ctx.itemBudget.take(1)) break;
    out.push({ startLine, endLine, kind: FoldingRangeKind.Region });
  }
  return out;
}
