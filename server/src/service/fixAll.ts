// "Fix all": the quick fixes that are safe to apply together, as one code action. Safe means
// the fix is the preferred one for its diagnostic (the rule's author marked it as what the
// writer meant), it edits this document only (a fix that also writes secure.config is left to
// be applied on its own), and its edits overlap no other chosen fix's edits (the first one
// in document order wins; the rest stay as quick fixes).
import type { CodeAction, Range, TextEdit } from 'vscode-languageserver';

export const FIX_ALL_KIND = 'source.fixAll.git-replication';

const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
/** Whether two edits touch a common character or an insertion sits at the other's boundary inside it. */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end)
    || (a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character);
}

/** This document's edits of an action, or undefined when it touches anything else. */
function ownEdits(a: CodeAction, uri: string): TextEdit[] | undefined {
  const e = a.edit;
  if (!e) return undefined;
  if (e.documentChanges) return undefined;
  const files = Object.keys(e.changes ?? {});
  if (files.length !== 1 || files[0] !== uri) return undefined;
  return e.changes![uri];
}

export function fixAllAction(uri: string, actions: CodeAction[]): CodeAction | undefined {
  const chosen: TextEdit[] = [];
  const fixed: CodeAction['diagnostics'] = [];
  const candidates = actions
    .filter((a) => a.isPreferred)
    .map((a) => ({ a, edits: ownEdits(a, uri) }))
    .filter((c): c is { a: CodeAction; edits: TextEdit[] } => !!c.edits && c.edits.length > 0)
    .sort((x, y) => (before(x.edits[0].range.start, y.edits[0].range.start) ? -1 : 1));
  for (const { a, edits } of candidates) {
    if (edits.some((e) => chosen.some((c) => overlaps(e, c)))) continue;
    chosen.push(...edits);
    fixed.push(...(a.diagnostics ?? []));
  }
  if (chosen.length === 0) return undefined;
  return {
    title: `Fix all safe problems in this file (${fixed.length})`,
    kind: FIX_ALL_KIND,
    diagnostics: fixed,
    edit: { changes: { [uri]: chosen } },
  };
}
