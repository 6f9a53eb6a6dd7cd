/**
 * Messages from the webview to the host. They are untrusted input: each is declared once as a zod
 * schema, the host validates every message with it before acting, and the `FromWebview` type is
 * derived from it.
 */
import './zod';
import * as z from 'zod/mini';
import { connectionParamsSchema, environmentSchema, payloadFormatSchema, savedMessageSchema, sendFormatSchema } from './schemas';

/** The log filter as the webview's filter bar holds it (src/shared/logFilter.ts). */
const logFilterSpecSchema = z.object({
  text: z.string().check(z.maxLength(4096)),
  regex: z.boolean(),
  direction: z.enum(['any', 'sent', 'received']),
  frame: z.enum(['any', 'text', 'binary', 'control', 'lifecycle']),
  event: z.string().check(z.maxLength(200)),
});

/** The bounds of Repeat every (seconds), checked by the schema and again by the host's scheduler. */
export const REPEAT_INTERVAL_SECONDS = { min: 0.1, max: 86400 } as const;

const requestId = z.int().check(z.nonnegative());
/** Log entries the user selected; a selection over a full log is capped before it is sent. */
export const MAX_SELECTED_ENTRIES = 10_000;
const entryIds = z.array(z.int().check(z.positive())).check(z.minLength(1), z.maxLength(MAX_SELECTED_ENTRIES));
const endpointId = z.string().check(z.maxLength(100));
/** A saved message's current name; checked against the endpoint's list by the host. */
const messageName = z.string().check(z.maxLength(1000));
/** A mock's client id ("1", "2", …) or 'all'. */
const mockTarget = z.string().check(z.maxLength(20));

const fromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('connect'), requestId, params: connectionParamsSchema }),
  z.object({ type: z.literal('disconnect'), requestId }),
  /** The browser WebSocket's binaryType (web host only; the Node hosts have no such choice). */
  z.object({ type: z.literal('setBinaryType'), binaryType: z.enum(['blob', 'arraybuffer']) }),
  z.object({
    type: z.literal('send'),
    requestId,
    format: sendFormatSchema,
    body: z.string(),
  }),
  z.object({
    type: z.literal('control'),
    requestId,
    frame: z.enum(['ping', 'pong']),
    payload: z.string().check(z.maxLength(4096)),
  }),
  z.object({
    type: z.literal('close'),
    requestId,
    code: z.number(),
    reason: z.string().check(z.maxLength(4096)),
    advancedConfirmed: z.boolean(),
  }),
  z.object({
    type: z.literal('saveEndpoint'),
    requestId,
    params: connectionParamsSchema,
    name: z.string().check(z.maxLength(200)),
    collection: z.string().check(z.maxLength(200)),
  }),
  z.object({ type: z.literal('renameEndpoint'), requestId, endpointId: z.string().check(z.maxLength(100)) }),
  z.object({ type: z.literal('deleteEndpoint'), requestId, endpointId: z.string().check(z.maxLength(100)) }),
  z.object({ type: z.literal('clearLog') }),
  /** Turns the entries the log shows (those passing this filter; all with no filter) into a flow draft. */
  z.object({ type: z.literal('saveAsFlow'), filter: logFilterSpecSchema, entryIds: z.optional(entryIds) }),
  /**
   * The webview has taken in the last init or entries message: the host may post the next batch.
   * `tail`: it follows the newest entries, unfiltered and not paused, so a tail window will do.
   */
  z.object({ type: z.literal('entriesAck'), tail: z.optional(z.boolean()) }),
  z.object({ type: z.literal('recordToFile') }),
  z.object({ type: z.literal('stopRecording') }),
  /** "Export as HAR…": the host asks what to keep and where to write. */
  z.object({ type: z.literal('exportHar') }),
  z.object({ type: z.literal('openEntry'), entryId: z.int().check(z.positive()) }),
  z.object({ type: z.literal('saveEntry'), entryId: z.int().check(z.positive()) }),
  /** Copy / Copy as JSON of the log's selection: the host writes the clipboard from its full entries. */
  z.object({ type: z.literal('copyEntries'), entryIds, as: z.enum(['text', 'json']) }),
  /** Sends the selected messages again, as they were (sent or received), oldest first. */
  z.object({ type: z.literal('resendEntries'), entryIds }),
  /** Saves an environment of a collection and makes it the active one; a secret left '' keeps its stored value. */
  z.object({
    type: z.literal('saveEnvironment'),
    requestId,
    collectionId: z.string().check(z.maxLength(100)),
    environment: environmentSchema,
  }),
  /** Sends the message now and then every `intervalSeconds` until stopped (an application heartbeat). */
  z.object({
    type: z.literal('startSchedule'),
    requestId,
    format: sendFormatSchema,
    body: z.string(),
    intervalSeconds: z.number().check(z.gte(REPEAT_INTERVAL_SECONDS.min), z.lte(REPEAT_INTERVAL_SECONDS.max)),
  }),
  z.object({ type: z.literal('stopSchedule'), requestId }),
  /** Chooses the environment this panel resolves variables from ('' for none). */
  z.object({
    type: z.literal('selectEnvironment'),
    collectionId: z.string().check(z.maxLength(100)),
    environment: z.string().check(z.maxLength(200)),
  }),
  z.object({
    type: z.literal('emit'),
    requestId,
    event: z.string().check(z.maxLength(1024)),
    format: payloadFormatSchema,
    args: z.string(),
    expectAck: z.boolean(),
  }),
  /** The panel now works with this saved endpoint (chosen in its list): its messages are listed. */
  z.object({ type: z.literal('chooseEndpoint'), endpointId }),
  /** Saves the composer as a new message of the endpoint. */
  z.object({ type: z.literal('saveMessage'), requestId, endpointId, message: savedMessageSchema }),
  z.object({ type: z.literal('renameMessage'), requestId, endpointId, name: messageName, newName: messageName }),
  z.object({ type: z.literal('deleteMessage'), requestId, endpointId, name: messageName }),
  z.object({ type: z.literal('moveMessage'), requestId, endpointId, name: messageName, offset: z.union([z.literal(-1), z.literal(1)]) }),
  /** Sends (or for Socket.IO emits) the saved message as it is stored. */
  z.object({ type: z.literal('sendMessage'), requestId, endpointId, name: messageName }),
  // A mock server's panel (src/core/mock/mockPanelController.ts). `target` is a client id of the
  // mock, or 'all' for every client; the log shows `clientId`'s entries ('all': merged).
  z.object({ type: z.literal('mockView'), clientId: mockTarget }),
  z.object({ type: z.literal('mockSend'), requestId, target: mockTarget, format: sendFormatSchema, body: z.string() }),
  z.object({
    type: z.literal('mockEmit'),
    requestId,
    target: mockTarget,
    event: z.string().check(z.maxLength(1024)),
    format: payloadFormatSchema,
    args: z.string(),
  }),
  z.object({
    type: z.literal('mockClose'),
    requestId,
    target: mockTarget,
    code: z.number(),
    reason: z.string().check(z.maxLength(4096)),
    advancedConfirmed: z.boolean(),
  }),
  z.object({ type: z.literal('mockDrop'), requestId, target: mockTarget }),
]);

export type FromWebview = z.infer<typeof fromWebviewSchema>;

/** Parses an untrusted message from the webview; undefined when it is not one of ours. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  const result = fromWebviewSchema.safeParse(message);
  return result.success ? result.data : undefined;
}
