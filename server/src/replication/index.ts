// Language features for Gerrit's replication.config, etc/replication/*.config and secure.config.
// Each feature lives in its own module; this file only wires them into a LanguageModule.
import type { LanguageModule } from '../service/types';
import { codeActionsReplication } from './codeActions';
import { completeReplication } from './complete';
import { hoverReplication } from './hover';
import { definitionReplication, referencesReplication } from './navigate';
import { prepareRenameRemote, renameRemote } from './renameRemote';
import { documentSymbolsReplication, foldingRangesReplication } from './symbols';
import { validateReplication } from './validate';

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
