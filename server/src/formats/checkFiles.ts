// Check files as the CLI prints them: diagnostics as file:line:column records, from the formats
// registered with the language service. The replication format always is; `check` loads them all
// (./index), the engine, which checks a site's config before it replicates, only this one.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from '../service/lspConstants';
import { validate } from '../service/languageService';
import './replication';
import type { FileKindId } from '../service/fileKinds';
import { diskWorkspace, Workspace } from '../service/workspace';
import type { CheckDiagnostic } from '../protocol';

const SEV: Record<number, CheckDiagnostic['severity']> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** A file `check` was given or found but does not read: outside its root, or not a regular file. */
export interface RefusedFile {
  code: 'outside-root' | 'not-regular';
  message: string;
  severity?: CheckDiagnostic['severity'];
}

/**
 * Check files; `display` maps an absolute path to how it is printed, `kind` overrides the name,
 * `refused` reports a file that is not read at all.
 */
export function checkFiles(files: Array<{ path: string; display: string; kind?: FileKindId; refused?: RefusedFile }>, ws: Workspace = diskWorkspace, extra: { gitoliteRc?: string; gitoliteConf?: string } = {}): CheckDiagnostic[] {
  const out: CheckDiagnostic[] = [];
  for (const f of files) {
    if (f.refused) {
      out.push({ file: f.display, line: 1, column: 1, endLine: 1, endColumn: 1, severity: f.refused.severity ?? 'error', code: f.refused.code, message: f.refused.message });
      continue;
    }
    const text = ws.read(f.path);
    if (text === undefined) {
      out.push({ file: f.display, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'unreadable', message: 'cannot read the file' });
      continue;
    }
    const doc = TextDocument.create('file://' + f.path, 'plaintext', 1, text);
    for (const d of validate(doc, { path: f.path, ws, kind: f.kind, ...extra })) {
      out.push({
        file: f.display,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: SEV[d.severity ?? DiagnosticSeverity.Error],
        code: String(d.code ?? ''),
        message: d.message,
      });
    }
  }
  return out;
}
