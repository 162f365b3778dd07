// Outline and folding: one symbol per section (remotes show their urls as children), one
// folding range per section.
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

export function documentSymbolsReplication(a: Analysis, _ctx: ServiceContext): DocumentSymbol[] {
  const { doc, kind, parsed } = a;
  const fanoutName = a.site.fanoutRemote;
  const range = (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
  return parsed.sections
    .filter((s) => !s.broken)
    .map((s) => {
      const isRemote = s.name === 'remote' && !s.legacy;
      const remoteName = isRemote ? (s.subsection ?? (kind === 'fanout' ? fanoutName : undefined)) : undefined;
      const name = remoteName !== undefined ? remoteName : s.subsection !== null ? `${s.name} "${s.subsection}"` : s.name;
      const children: DocumentSymbol[] = s.entries
        .filter((e) => !isRemote || kind === 'secure' || e.key === 'url' || e.key === 'adminurl')
        .map((e) => ({
          name: isRemote && kind !== 'secure' ? maskUrlPassword(e.value ?? '') || '(empty)' : e.rawKey,
          // A secure.config value that is not one plain word may hold a password (with lone-CR line
          // ends JGit reads the rest of the file as the value of the key before it).
          detail: isRemote && kind !== 'secure' ? e.rawKey : e.key === 'password' || (kind === 'secure' && /\s/.test(e.value ?? '')) ? '••••' : e.value ?? '',
          kind: isRemote && kind !== 'secure' ? SymbolKind.String : SymbolKind.Property,
          range: range(e.span.start, Math.max(e.span.end, e.valueSpan?.end ?? 0)),
          selectionRange: range(e.valueSpan && isRemote ? e.valueSpan.start : e.keySpan.start, e.valueSpan && isRemote ? e.valueSpan.end : e.keySpan.end),
        }));
      return {
        name: name || '(unnamed)',
        detail: isRemote ? 'remote' : undefined,
        kind: isRemote ? SymbolKind.Module : SymbolKind.Namespace,
        range: range(s.header.start, sectionEnd(s)),
        selectionRange: range(s.nameSpan.start, s.subsectionSpan ? s.subsectionSpan.end : s.nameSpan.end),
        children,
      };
    });
}

export function foldingRangesReplication(a: Analysis, _ctx: ServiceContext): FoldingRange[] {
  const { doc, parsed } = a;
  const out: FoldingRange[] = [];
  for (const s of parsed.sections) {
    const startLine = doc.positionAt(s.header.start).line;
    const endLine = doc.positionAt(sectionEnd(s)).line;
    if (endLine > startLine) out.push({ startLine, endLine, kind: FoldingRangeKind.Region });
  }
  return out;
}
