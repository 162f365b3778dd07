// The pure language service: documents in, LSP types out. No `vscode`, no connection.
// It picks the module for a file by its name; the modules resolve severities (service/diagnostics). The
// formats register their modules (server/src/formats), so this layer imports none of them.
import type { Diagnostic } from 'vscode-languageserver';
import { HOST_RULES } from './hostRules';
import { makeDiagnostic } from './diagnostics';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyFile, FileKindId } from './fileKinds';
import type { LanguageModule, ServiceContext } from './types';
import { confineWorkspace, type Roots } from './confine';
import { maskDeep, maskSecrets } from './secrets';
import type { Steps } from './slices';

const MODULES: Partial<Record<FileKindId, LanguageModule>> = {};
const LOADERS: Partial<Record<FileKindId, () => LanguageModule>> = {};

/** Register a format's module for a file kind (server/src/formats registers every format). */
export function registerModule(kind: FileKindId, mod: LanguageModule): void {
  delete LOADERS[kind];
  MODULES[kind] = maskedModule(mod);
}

/**
 * Register a module that is made when a file of its kind is first asked about, so a host that
 * never meets such a file never loads its code (a cold `check` of a Gerrit site loads no gitolite).
 */
export function registerLazyModule(kind: FileKindId, load: () => LanguageModule): void {
  delete MODULES[kind];
  LOADERS[kind] = load;
}

/**
 * `mod` with every answer through the one mask (./secrets): no message, title, symbol,
 * hover or completion shows a password or token, whichever rule wrote it. Edits are left as
 * they are (they must write what the user wrote).
 */
export function maskedModule(mod: LanguageModule): LanguageModule {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(mod)) {
    out[name] = typeof fn !== 'function' ? fn : (...args: unknown[]) => maskDeep((fn as (...a: unknown[]) => unknown).apply(mod, args));
  }
  // A sliced validation hands back a generator: its result is masked when it is done.
  const steps = mod.validateSteps;
  if (steps) out.validateSteps = function* (doc: TextDocument, ctx: ServiceContext): Steps<Diagnostic[]> {
    return maskDeep(yield* steps.call(mod, doc, ctx));
  };
  return out as unknown as LanguageModule;
}

/** The module for a file: by `kind` when the caller names it (check --kind), else by the path. */
export function moduleFor(path: string, kindOverride?: FileKindId): LanguageModule | undefined {
  const kind = kindOverride ?? classifyFile(path);
  if (!kind) return undefined;
  const load = LOADERS[kind];
  if (load) {
    delete LOADERS[kind];
    MODULES[kind] = maskedModule(load());
  }
  return MODULES[kind];
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

/** Validate one document. Never throws: a crash in a rule becomes a diagnostic. */
export function validate(doc: TextDocument, ctx: ServiceContext): Diagnostic[] {
  const mod = moduleFor(ctx.path, ctx.kind);
  if (!mod) return [];
  try {
    // Each module resolves severities and overrides as it reports (service/diagnostics.ts).
    return mod.validate(doc, ctx);
  } catch (err) {
    return crashed(err, ctx);
  }
}

/**
 * The same diagnostics a slice at a time (./slices), for a host that answers requests between
 * slices; a module without sliced validation runs in one slice. Never throws either.
 */
export function* validateSteps(doc: TextDocument, ctx: ServiceContext): Steps<Diagnostic[]> {
  const mod = moduleFor(ctx.path, ctx.kind);
  if (!mod) return [];
  if (!mod.validateSteps) return validate(doc, ctx);
  try {
    return yield* mod.validateSteps(doc, ctx);
  } catch (err) {
    return crashed(err, ctx);
  }
}

function crashed(err: unknown, ctx: ServiceContext): Diagnostic[] {
  const d = makeDiagnostic(HOST_RULES, 'internal', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    `internal error while checking this file: ${maskSecrets((err as Error).message)}`, ctx.severityOverrides);
  return d ? [d] : [];
}
