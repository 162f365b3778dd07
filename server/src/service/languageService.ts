// The pure language service: documents in, LSP types out. No `vscode`, no connection.
// It picks the module for a file by its name and applies per-code severity overrides. The
// formats register their modules (server/src/formats), so this layer imports none of them.
import type { Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from './lspConstants';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyFile, FileKindId } from './fileKinds';
import type { LanguageModule, ServiceContext } from './types';
import { confineWorkspace, type Roots } from './confine';

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

/**
 * `mod` with every feature's workspace confined to the roots `rootsOf` names for the file (the
 * Gerrit site, the gitolite conf directory): the format says where its site is, the service
 * makes sure nothing outside it is read. Every feature takes the context as its last argument.
 */
export function confinedModule(mod: LanguageModule, rootsOf: (ctx: ServiceContext) => Roots): LanguageModule {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function') { out[name] = fn; continue; }
    out[name] = (...args: unknown[]) => {
      const ctx = args[args.length - 1] as ServiceContext;
      args[args.length - 1] = { ...ctx, ws: confineWorkspace(ctx.ws, rootsOf(ctx)) };
      return (fn as (...a: unknown[]) => unknown).apply(mod, args);
    };
  }
  return out as unknown as LanguageModule;
}

const SEVERITY: Record<string, DiagnosticSeverity | null> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
  off: null,
};

export function applySeverityOverrides(diags: Diagnostic[], overrides?: Record<string, string>): Diagnostic[] {
  if (!overrides || Object.keys(overrides).length === 0) return diags;
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const o = d.code !== undefined ? overrides[String(d.code)] : undefined;
    if (o === undefined || !(o in SEVERITY)) out.push(d);
    else if (SEVERITY[o] !== null) out.push({ ...d, severity: SEVERITY[o]! });
  }
  return out;
}

/** Validate one document. Never throws: a crash in a rule becomes a diagnostic. */
export function validate(doc: TextDocument, ctx: ServiceContext): Diagnostic[] {
  const mod = moduleFor(ctx.path, ctx.kind);
  if (!mod) return [];
  try {
    return applySeverityOverrides(mod.validate(doc, ctx), ctx.severityOverrides);
  } catch (err) {
    return [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Error,
        code: 'internal',
        source: 'git-replication',
        message: `internal error while checking this file: ${(err as Error).message}`,
      },
    ];
  }
}
