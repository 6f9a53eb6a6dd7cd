/**
 * The zod schemas of the domain values that arrive from outside: webview messages, collection
 * files and extension storage. Each is the single source of its TypeScript type (see model.ts,
 * which derives them with `z.infer`), so a field cannot be added to one and not the other.
 *
 * The error words are the ones a collection import shows ("endpoints[0].url: expected a
 * string"); webview messages are only accepted or ignored, so they never show them. They are
 * given as functions, so each is looked up in the display language when the error is made: the
 * schemas are built at module load, before l10n is configured.
 */
import './zod';
import * as z from 'zod/mini';
import { l10n } from './l10n';
import { LENS_SETTINGS } from './lenses/lensNames';
import { MAX_MESSAGE_NAME_LENGTH, MAX_SAVED_MESSAGES } from './savedMessageLimits';

/** A string of at most `max` UTF-16 code units. */
export function boundedString(max: number) {
  return z.string({ error: () => l10n.t('expected a string') }).check(z.maxLength(max, { error: () => l10n.t('must be at most {0} characters', max) }));
}

/** A list of at most `max` items; `expected` is the error for anything else ("expected a list of headers"). */
function boundedList<T extends z.ZodMiniType>(item: T, max: number, expected: () => string) {
  return z.array(item, { error: expected }).check(z.maxLength(max, { error: () => l10n.t('must have at most {0} items', max) }));
}

/** How a payload is shown (Show as) or how the composer body is encoded (Send as). */
export const payloadFormatSchema = z.enum(['text', 'json', 'hex', 'base64']);

/** The binary encodings a decoder reads (Decode binary as) and the composer writes (Send as). */
export const binaryEncodingSchema = z.enum(['msgpack', 'cbor', 'protobuf'], { error: () => l10n.t('expected "msgpack", "cbor" or "protobuf"') });

/** How the composer body is encoded: a payload format, or a JSON document in a binary encoding. */
export const sendFormatSchema = z.union([payloadFormatSchema, binaryEncodingSchema]);

/**
 * Decode binary as: how an endpoint's binary messages are read. Protobuf also names the .proto
 * file (relative to the collection file or the workspace) and the fully qualified message type;
 * checkDecode (decoderConfig.ts) says which of these a kind needs.
 */
export const decodeSchema = z.object(
  {
    as: binaryEncodingSchema,
    proto: z.optional(boundedString(4096)),
    type: z.optional(boundedString(1024)),
  },
  { error: () => l10n.t('expected an object with "as" ("msgpack", "cbor" or "protobuf")') },
);

/** Plain WebSocket (the default) or Socket.IO on top of Engine.IO. */
export const connectionKindSchema = z.enum(['websocket', 'socketio'], { error: () => l10n.t('expected "websocket" or "socketio"') });

/** Which Socket.IO client talks to the server: v4 for v3/v4 servers, v2 for Socket.IO 2 servers. */
export const socketIoVersionSchema = z.enum(['v4', 'v2'], { error: () => l10n.t('expected "v4" or "v2"') });

export const headerRowSchema = z.object(
  { name: boundedString(8192), value: boundedString(65536) },
  { error: () => l10n.t('expected an object with "name" and "value"') },
);

const filePath = z.optional(z.string().check(z.maxLength(4096)));

/** Per-endpoint connection options; every field is optional and absent means the default. */
export const endpointOptionsSchema = z.object({
  /** Connect even when the server's certificate does not verify (self-signed, expired, ...). */
  acceptInvalidCerts: z.optional(z.boolean()),
  /** PEM file of extra certificate authorities to trust, besides the system's. */
  caFile: filePath,
  /** Client certificate and key (PEM files) for mutual TLS. */
  certFile: filePath,
  keyFile: filePath,
  /** Client certificate and key in one PKCS#12 (PFX) file, with its passphrase. */
  pfxFile: filePath,
  passphrase: z.optional(z.string().check(z.maxLength(1024))),
  /** Offer permessage-deflate compression (default on). */
  perMessageDeflate: z.optional(z.boolean()),
  /** Reconnect with exponential backoff after the connection drops (default off). */
  autoReconnect: z.optional(z.boolean()),
  /** Send a ping every this many seconds while open; 0 or absent turns keep-alive off. */
  pingIntervalSeconds: z.optional(z.number().check(z.gte(0), z.lte(86400))),
  /** Answer the server's pings automatically (default on). */
  autoPong: z.optional(z.boolean()),
  /** Connect directly, even when VS Code has a proxy configured (default off: VS Code's proxy settings apply). */
  bypassProxy: z.optional(z.boolean()),
  /** Which protocol lens reads the messages: "auto" (the default) picks it from the negotiated subprotocol. */
  lens: z.optional(z.enum(LENS_SETTINGS, { error: () => l10n.t('expected one of {0}', LENS_SETTINGS.map((name) => `"${name}"`).join(', ')) })),
});

/** Socket.IO options of one connection or endpoint. */
export const socketIoOptionsSchema = z.object(
  {
    /** The namespace joined, starting with '/'. */
    namespace: boundedString(1024),
    /** The server's Engine.IO path, default '/socket.io'. */
    path: boundedString(1024),
    /** 'websocket' only, or HTTP long-polling first and then the upgrade to WebSocket. */
    transports: z.enum(['websocket', 'polling'], { error: () => l10n.t('expected "websocket" or "polling"') }),
    version: socketIoVersionSchema,
    /** The CONNECT packet's auth payload as JSON text; empty for none (v3/v4 servers only). */
    auth: boundedString(65536),
    /** Extra query parameters of the handshake. */
    query: boundedList(headerRowSchema, 200, () => l10n.t('expected a list of query parameters')),
    reconnection: z.boolean({ error: () => l10n.t('expected true or false') }),
    /** How long an emit waits for its ack before it is reported as missing. */
    ackTimeoutSeconds: z.number({ error: () => l10n.t('expected a number of seconds') }),
  },
  { error: () => l10n.t('expected an object') },
);

/**
 * What the user fills in to open a connection. The key order is the collection file's, so an
 * import reports the first wrong field in the order the file shows them.
 */
export const connectionParamsSchema = z.object({
  /** Absent means 'websocket'. */
  kind: z.optional(connectionKindSchema),
  /** Present when kind is 'socketio'. */
  socketio: z.optional(socketIoOptionsSchema),
  url: boundedString(8192),
  protocols: boundedList(boundedString(1024), 64, () => l10n.t('expected a list of strings')),
  headers: boundedList(headerRowSchema, 200, () => l10n.t('expected a list of headers')),
  options: z.optional(endpointOptionsSchema),
  /** Decode binary as; absent means binary messages are shown as bytes only. */
  decode: z.optional(decodeSchema),
});

/** One `{{name}}` variable. A secret one's value lives in SecretStorage: here it is always ''. */
export const variableSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  value: z.string().check(z.maxLength(65536)),
  secret: z.optional(z.boolean()),
});

/** A named set of variables, e.g. "staging" or "production". */
export const environmentSchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  variables: z.array(variableSchema).check(z.maxLength(200)),
});

/**
 * A named message of an endpoint. For Socket.IO endpoints `event` is the event name and `body`
 * the argument text as the Emit composer takes it (in `format`); `ack` asks for an ack.
 */
export const savedMessageSchema = z.object(
  {
    name: z.string({ error: () => l10n.t('expected a string') }).check(
      z.minLength(1, { error: () => l10n.t('must not be empty') }),
      z.maxLength(MAX_MESSAGE_NAME_LENGTH, { error: () => l10n.t('must be at most {0} characters', MAX_MESSAGE_NAME_LENGTH) }),
    ),
    /** MessagePack, CBOR and Protobuf bodies are JSON documents (plain WebSocket endpoints only). */
    format: z.enum(['text', 'json', 'hex', 'base64', 'msgpack', 'cbor', 'protobuf'], {
      error: () => l10n.t('expected "text", "json", "hex", "base64", "msgpack", "cbor" or "protobuf"'),
    }),
    body: boundedString(1024 * 1024),
    event: z.optional(boundedString(1024)),
    ack: z.optional(z.literal(true, { error: () => l10n.t('expected true (or leave "ack" out)') })),
  },
  { error: () => l10n.t('expected an object with "name", "format" and "body"') },
);

/** An endpoint's saved messages, in the order the panel lists them. */
export const savedMessagesSchema = boundedList(savedMessageSchema, MAX_SAVED_MESSAGES, () => l10n.t('expected a list of messages'));
