// Quick fixes. Every fix is computed together with its diagnostic (validate puts it in
// `data`); here we only hand them out. Diagnostics that come back without `data` (clients
// may drop it) are matched to a fresh validation by code and range.
import { CodeAction, CodeActionKind, Diagnostic, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServiceContext } from '../service/types';
import type { DiagnosticData, Fix } from './context';
import { validateReplication } from './validate';

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

export function codeActionsReplication(doc: TextDocument, _range: Range, diagnostics: Diagnostic[], ctx: ServiceContext): CodeAction[] {
  let fresh: Diagnostic[] | undefined;
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    let fixes: Fix[] | undefined = (d.data as DiagnosticData | undefined)?.fixes;
    if (!fixes) {
      fresh ??= validateReplication(doc, ctx);
      fixes = (fresh.find((f) => f.code === d.code && sameRange(f.range, d.range))?.data as DiagnosticData | undefined)?.fixes;
    }
    for (const f of fixes ?? []) {
      actions.push({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: f.preferred,
        edit: { changes: { [doc.uri]: f.edits } },
      });
    }
  }
  return actions;
}
