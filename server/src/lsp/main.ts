// Entry point of the bundled language server started by the VS Code client (IPC) or by
// `kubeglass lsp --stdio`; the transport is chosen from the command line by vscode-languageserver.
import { startStdioServer } from './server';

startStdioServer();
