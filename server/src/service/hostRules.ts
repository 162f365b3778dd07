// The codes that belong to no file format: what the hosts around the formats report (the
// language service itself, `check`, the engine reading a site). A table like the formats' own,
// so these codes are documented, can be overridden and cannot be misspelt either.
import { DiagnosticSeverity } from './lspConstants';
import type { CheckDiagnostic } from '../protocol';
import { lineDiagnostic, type Level, type Rule } from './diagnostics';

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;

export const HOST_RULES = {
  internal: { severity: E, description: 'a check crashed on this file (a bug in git-replication): the message says where; the other checks of the file did not run' },
  'outside-root': { severity: E, description: '`check` does not read a file whose real path (symlinks resolved) is outside the directory it was found in (or named in); a directory that leads outside is a warning and is not entered. The engine (`plan`, `start`, `status`, `daemon`, the editor\'s commands) reads no file of the site that leads outside it, and replicates nothing then' },
  'not-regular': { severity: E, description: '`check` and the engine do not open a path that is not a regular file (a FIFO, a device, a socket), so they can never hang on one' },
  unreadable: { severity: E, description: '`check` (or the engine) cannot read a file it was given or that the site names' },
  'invalid-value': { severity: E, description: 'the engine reads a value JGit rejects (an integer or boolean it cannot parse): the plugin does not load, so nothing is replicated' },
  'document-too-large': { severity: W, description: 'the language server does not analyse a file over `gitReplication.maxDocumentSizeMB` (default 8): no diagnostics, hover, completion or outline for it' },
} satisfies Record<string, Rule>;

export type HostCode = keyof typeof HOST_RULES;

/** A host's finding as `check` prints it (file:line, a whole line). */
export function hostDiagnostic(code: HostCode, file: string, line: number, message: string, severity?: Level): CheckDiagnostic {
  return lineDiagnostic(HOST_RULES, code, file, line, message, severity);
}
