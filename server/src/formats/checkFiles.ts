// Check files as the CLI prints them: diagnostics as file:line:column records, from the formats
// registered with the language service. The replication format always is; `check` loads them all
// (./index), the engine, which checks a site's config before it replicates, only this one.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from '../service/lspConstants';
import { validate } from '../service/languageService';
import { moduleView } from '../service/lineEnds';
import { hostDiagnostic, type HostCode } from '../service/hostRules';
import { LEVEL } from '../service/diagnostics';
import './replication';
import type { FileKindId } from '../service/fileKinds';
import { diskWorkspace, Workspace } from '../service/workspace';
import type { CheckDiagnostic } from '../protocol';

/** A file `check` was given or found but does not read: outside its root, or not a regular file. */
export interface RefusedFile {
  code: Extract<HostCode, 'outside-root' | 'not-regular'>;
  message: string;
  /** Instead of the rule's default (a directory that leads outside is only a warning). */
  severity?: CheckDiagnostic['severity'];
}

/**
 * Check files; `display` maps an absolute path to how it is printed, `kind` overrides the name,
 * `refused` reports a file that is not read at all, `text` is the file as the caller already
 * read it (the engine: its diagnostics and its remotes then come from the same bytes).
 */
export function checkFiles(files: Array<{ path: string; display: string; kind?: FileKindId; refused?: RefusedFile; text?: string }>, ws: Workspace = diskWorkspace, extra: { gitoliteRc?: string; gitoliteConf?: string } = {}): CheckDiagnostic[] {
  const out: CheckDiagnostic[] = [];
  for (const f of files) {
    if (f.refused) {
      out.push(hostDiagnostic(f.refused.code, f.display, 1, f.refused.message, f.refused.severity));
      continue;
    }
    const text = f.text ?? ws.read(f.path);
    if (text === undefined) {
      out.push(hostDiagnostic('unreadable', f.display, 1, 'cannot read the file'));
      continue;
    }
    // Positions as an editor counts lines (a gitolite file's lone \r ends one), as the server gives them.
    const view = moduleView(TextDocument.create('file://' + f.path, 'plaintext', 1, text), f.path, (p) => ws.read(p));
    for (const d of view.out(validate(view.doc, { path: f.path, ws, kind: f.kind, ...extra }))) {
      out.push({
        file: f.display,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: LEVEL[d.severity ?? DiagnosticSeverity.Error],
        code: String(d.code ?? ''),
        message: d.message,
      });
    }
  }
  return out;
}
