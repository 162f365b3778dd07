// vscode-languageclient as its own bundle (dist/languageClient.js): extension.ts loads it when
// the server starts, so VS Code does not compile ~350 KB of client library during activation.
export * from 'vscode-languageclient/node';
