// Quick fixes. Every fix is computed together with its diagnostic (validate puts it in
// `data`); here we only hand them out. Diagnostics that come back without `data` (clients
// may drop it) are matched to a fresh validation by code and range. The one exception is
// moving a url's password to secure.config: its edit holds the secret, so it is computed
// here, on request, and never travels with the diagnostic.
import type { CodeAction, Diagnostic, Range, WorkspaceEdit } from 'vscode-languageserver';
import { CodeActionKind, CreateFile, TextDocumentEdit } from '../../service/lspConstants';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../analysis';
import type { ServiceContext } from '../../service/types';
import { DiagnosticData, fileUri, Fix } from '../context';
import { movePasswordFix } from './movePassword';
import { validateReplication } from '../checks/validate';

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * The fix as an edit this client can apply, or undefined. Two files need `documentChanges`
 * to create one; a client without resource operations gets the fix only when the other file
 * exists (plain `changes` can edit several files, but not create one).
 */
export function fixEdit(doc: TextDocument, f: Fix, caps: ServiceContext['workspaceEdit']): WorkspaceEdit | undefined {
  const other = f.otherFile;
  if (!other) return { changes: { [doc.uri]: f.edits } };
  const otherUri = fileUri(other.path);
  if (caps?.documentChanges) {
    if (other.create && !caps.resourceOperations?.includes('create')) return undefined;
    return {
      documentChanges: [
        TextDocumentEdit.create({ uri: doc.uri, version: doc.version }, f.edits),
        // No overwrite: if the file appeared meanwhile the client refuses instead of clobbering it.
        ...(other.create ? [CreateFile.create(otherUri)] : []),
        TextDocumentEdit.create({ uri: otherUri, version: null }, other.edits),
      ],
    };
  }
  if (other.create) return undefined;
  return { changes: { [doc.uri]: f.edits, [otherUri]: other.edits } };
}

export function codeActionsReplication(a: Analysis, _range: Range, diagnostics: Diagnostic[], ctx: ServiceContext): CodeAction[] {
  const doc = a.doc;
  let fresh: Diagnostic[] | undefined;
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    let fixes: Fix[] | undefined = (d.data as DiagnosticData | undefined)?.fixes;
    if (!fixes) {
      fresh ??= validateReplication(a, ctx);
      const match = fresh.find((f) => f.code === d.code && sameRange(f.range, d.range));
      fixes = (match?.data as DiagnosticData | undefined)?.fixes;
      if (match?.code === 'url-password') {
        const move = movePasswordFix(a, match, ctx);
        if (move) fixes = [...(fixes ?? []), move];
      }
    }
    for (const f of fixes ?? []) {
      const edit = fixEdit(doc, f, ctx.workspaceEdit);
      if (!edit) continue;
      // A placeholder name (a renamed duplicate block): our VS Code client then prompts for the real one.
      const command = f.rename && ctx.vscodeCommands ? { title: 'Rename', command: 'gitReplication.renameAt', arguments: [doc.uri, f.rename.start] } : undefined;
      actions.push({ title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: f.preferred, edit, command });
    }
  }
  return actions;
}
