// Language features for Gerrit's replication.config, etc/replication/*.config and secure.config.
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseGitConfig } from '../gitconfig/parser';
import type { LanguageModule, ServiceContext } from '../service/types';

export const replicationModule: LanguageModule = {
  validate(doc: TextDocument, _ctx: ServiceContext): Diagnostic[] {
    const parsed = parseGitConfig(doc.getText());
    return parsed.errors.map((e) => ({
      range: { start: doc.positionAt(e.span.start), end: doc.positionAt(e.span.end) },
      severity: DiagnosticSeverity.Error,
      code: 'syntax',
      source: 'git-replication',
      message: `${e.message}. Gerrit refuses to load the file ("Config file is invalid").`,
    }));
  },
};
