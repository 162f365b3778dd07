// Language features for Gerrit's replication.config, etc/replication/*.config and secure.config.
// Each feature lives in its own module and receives the document's one analysis (analysis.ts);
// this file only wires them into a LanguageModule.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageModule, ServiceContext } from '../service/types';
import { AnalysisCache } from './analysis';
import { codeActionsReplication } from './features/codeActions';
import { completeReplication } from './features/complete';
import { hoverReplication } from './features/hover';
import { inlayHintsReplication } from './features/inlayHints';
import { definitionReplication, referencesReplication } from './features/navigate';
import { prepareRenameRemote, renameRemote } from './features/renameRemote';
import { documentSymbolsReplication, foldingRangesReplication } from './features/symbols';
import { validateReplication, validateReplicationSteps } from './checks/validate';

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
    complete: (doc, pos, ctx) => completeReplication(of(doc, ctx), pos, ctx),
    hover: (doc, pos, ctx) => hoverReplication(of(doc, ctx), pos, ctx),
    inlayHints: (doc, range, ctx) => inlayHintsReplication(of(doc, ctx), range, ctx),
    codeActions: (doc, range, diagnostics, ctx) => codeActionsReplication(of(doc, ctx), range, diagnostics, ctx),
    documentSymbols: (doc, ctx) => documentSymbolsReplication(of(doc, ctx), ctx),
    foldingRanges: (doc, ctx) => foldingRangesReplication(of(doc, ctx), ctx),
    definition: (doc, pos, ctx) => definitionReplication(of(doc, ctx), pos, ctx),
    references: (doc, pos, ctx) => referencesReplication(of(doc, ctx), pos, ctx),
    prepareRename: (doc, pos, ctx) => prepareRenameRemote(of(doc, ctx), pos, ctx),
    rename: (doc, pos, newName, ctx) => renameRemote(of(doc, ctx), pos, newName, ctx),
  };
}

/** The module the language service registers (formats/replication.ts). */
export const replicationModule: LanguageModule = createReplicationModule();
