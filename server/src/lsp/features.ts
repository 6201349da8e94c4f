// Registers the editor features (hover, definition, references, code lenses, symbols, completion,
// custom kubeglass/* requests) on the connection. Each feature is a thin conversion of an engine query.
import type { ServerState } from './server';

export function registerFeatures(_state: ServerState): void {
  // Features are added here as the engine grows them.
}
