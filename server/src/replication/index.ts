// Language features for Gerrit's replication.config, etc/replication/*.config and secure.config.
// Each feature lives in its own module; this file only wires them into a LanguageModule.
import type { LanguageModule } from '../service/types';
import { codeActionsReplication } from './features/codeActions';
import { completeReplication } from './features/complete';
import { hoverReplication } from './features/hover';
import { definitionReplication, referencesReplication } from './features/navigate';
import { prepareRenameRemote, renameRemote } from './features/renameRemote';
import { documentSymbolsReplication, foldingRangesReplication } from './features/symbols';
import { validateReplication } from './checks/validate';

export const replicationModule: LanguageModule = {
  validate: validateReplication,
  complete: completeReplication,
  hover: hoverReplication,
  codeActions: codeActionsReplication,
  documentSymbols: documentSymbolsReplication,
  foldingRanges: foldingRangesReplication,
  definition: definitionReplication,
  references: referencesReplication,
  prepareRename: prepareRenameRemote,
  rename: renameRemote,
};
