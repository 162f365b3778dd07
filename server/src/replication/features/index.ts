// Every editor feature of the replication format. ../index.ts requires this on first use, so
// `check` and the post-receive hook, which only validate, never load it.
export { codeActionsReplication } from './codeActions';
export { completeReplication } from './complete';
export { hoverReplication } from './hover';
export { inlayHintsReplication } from './inlayHints';
export { definitionReplication, referencesReplication } from './navigate';
export { prepareRenameRemote, renameRemote } from './renameRemote';
export { documentSymbolsReplication, foldingRangesReplication } from './symbols';
