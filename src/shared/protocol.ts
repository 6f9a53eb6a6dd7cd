/**
 * The one message protocol between the extension host and the debugger webview, in three
 * modules re-exported here so that importers name one file:
 * - model.ts: the model both sides share (types only);
 * - toWebview.ts: messages to the webview (plain interfaces: the host makes them);
 * - fromWebview.ts: messages from the webview, untrusted, validated with zod schemas that the
 *   types are derived from (the domain types with a schema come from schemas.ts the same way).
 * The webview imports this module with `import type` only, so zod never reaches the browser bundle.
 */
export type * from './model';
export type * from './toWebview';
export { parseFromWebview, REPEAT_INTERVAL_SECONDS, type FromWebview } from './fromWebview';
/** Shared with the collection file schema, so saved and imported options obey the same bounds. */
export { endpointOptionsSchema, environmentSchema } from './schemas';
export { assertNever } from './assertNever';
