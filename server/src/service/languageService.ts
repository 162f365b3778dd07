// The pure language service: documents in, LSP types out. No `vscode`, no connection.
// It picks the module for a file by its name; the modules resolve severities (service/rules). The
// formats register their modules (server/src/formats), so this layer imports none of them.
import type { Diagnostic } from 'vscode-languageserver';
import { HOST_RULES } from './hostRules';
import { makeDiagnostic } from './rules';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyFile, FileKindId } from './fileKinds';
import type { LanguageModule, ServiceContext } from './types';

const MODULES: Partial<Record<FileKindId, LanguageModule>> = {};

/** Register a format's module for a file kind (server/src/formats registers every format). */
export function registerModule(kind: FileKindId, mod: LanguageModule): void {
  MODULES[kind] = mod;
}

/** The module for a file: by `kind` when the caller names it (check --kind), else by the path. */
export function moduleFor(path: string, kindOverride?: FileKindId): LanguageModule | undefined {
  const kind = kindOverride ?? classifyFile(path);
  return kind ? MODULES[kind] : undefined;
}

/** Validate one document. Never throws: a crash in a rule becomes a diagnostic. */
export function validate(doc: TextDocument, ctx: ServiceContext): Diagnostic[] {
  const mod = moduleFor(ctx.path, ctx.kind);
  if (!mod) return [];
  try {
    // Each module resolves severities and overrides as it reports (service/rules.ts).
    return mod.validate(doc, ctx);
  } catch (err) {
    const d = makeDiagnostic(HOST_RULES, 'internal', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      `internal error while checking this file: ${(err as Error).message}`, ctx.severityOverrides);
    return d ? [d] : [];
  }
}
