// Language features for Gerrit's replication.config, etc/replication/*.config and secure.config.
// Each feature lives in its own module and receives the document's one analysis (analysis.ts);
// this file only wires them into a LanguageModule. The features are required on first use:
// hosts that only validate (`check`, the post-receive hook) never load them.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageModule, ServiceContext } from '../service/types';
import { AnalysisCache } from './analysis';
import { validateReplication, validateReplicationSteps } from './checks/validate';

type Features = typeof import('./features');
let loaded: Features | undefined;
const features = (): Features => (loaded ??= require('./features') as Features);

/**
 * A replication language module with its own cache of analyses: two instances (two servers
 * in one process, a test beside a host) never see each other's documents.
 */
export function createReplicationModule(): LanguageModule {
  const analyses = new AnalysisCache();
  const of = (doc: TextDocument, ctx: ServiceContext) => analyses.of(doc, ctx.path, ctx.kind);
  return {
    validate: (doc, ctx) => validateReplication(of(doc, ctx), ctx),
    *validateSteps(doc, ctx) {
      return yield* validateReplicationSteps(yield* analyses.steps(doc, ctx.path, ctx.kind), ctx);
    },
    analysed: (doc, ctx) => analyses.has(doc, ctx.path, ctx.kind),
    complete: (doc, pos, ctx) => features().completeReplication(of(doc, ctx), pos, ctx),
    hover: (doc, pos, ctx) => features().hoverReplication(of(doc, ctx), pos, ctx),
    inlayHints: (doc, range, ctx) => features().inlayHintsReplication(of(doc, ctx), range, ctx),
    codeActions: (doc, range, diagnostics, ctx) => features().codeActionsReplication(of(doc, ctx), range, diagnostics, ctx),
    documentSymbols: (doc, ctx) => features().documentSymbolsReplication(of(doc, ctx), ctx),
    foldingRanges: (doc, ctx) => features().foldingRangesReplication(of(doc, ctx), ctx),
    definition: (doc, pos, ctx) => features().definitionReplication(of(doc, ctx), pos, ctx),
    references: (doc, pos, ctx) => features().referencesReplication(of(doc, ctx), pos, ctx),
    prepareRename: (doc, pos, ctx) => features().prepareRenameRemote(of(doc, ctx), pos, ctx),
    rename: (doc, pos, newName, ctx) => features().renameRemote(of(doc, ctx), pos, newName, ctx),
  };
}

/** The module the language service registers (formats/replication.ts). */
export const replicationModule: LanguageModule = createReplicationModule();
