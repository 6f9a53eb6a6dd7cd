// The protocol's types are derived from its zod schemas (src/shared/schemas.ts), so the two
// cannot drift. This file holds that tie in two ways:
// - at compile time (`npm run check` type-checks test/): the hand-written types that embed schema
//   types must match them exactly, and the `@ts-expect-error` probes show that a mismatch, even
//   one optional field on one side, is rejected (if it were not, the directive itself would fail);
// - at run time: values with every field set (`Required<...>`, so a field added to a schema does
//   not compile here until it is given a value) must come through each reader unchanged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as z from 'zod/mini';
import { exportCollection, importCollection, parseStoredCollections } from '../../src/shared/collections';
import {
  parseFromWebview,
  type Collection,
  type ConnectionParams,
  type Endpoint,
  type EndpointOptions,
  type Environment,
  type FromWebview,
  type HeaderRow,
  type SavedMessage,
  type SocketIoOptions,
} from '../../src/shared/protocol';
import type { connectionParamsSchema, environmentSchema, savedMessageSchema } from '../../src/shared/schemas';

/** True only when A and B are the same type (not merely assignable both ways). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;

/** Compiles only when its type argument is `true`. */
function typesMatch<T extends true>(): T | undefined {
  return undefined;
}

const everyOption: Required<EndpointOptions> = {
  acceptInvalidCerts: true,
  caFile: '/etc/ca.pem',
  certFile: '/etc/client.pem',
  keyFile: '/etc/client.key',
  pfxFile: '/etc/client.p12',
  // Files keep a passphrase only as a reference to a variable.
  passphrase: '{{pfxPassphrase}}',
  perMessageDeflate: false,
  autoReconnect: true,
  pingIntervalSeconds: 15,
  autoPong: false,
  bypassProxy: true,
  lens: 'mqtt',
};

const everySocketIoOption: Required<SocketIoOptions> = {
  namespace: '/chat',
  path: '/io',
  transports: 'polling',
  version: 'v4',
  auth: '{"token":"t"}',
  query: [{ name: 'room', value: 'lobby' }],
  reconnection: false,
  ackTimeoutSeconds: 7,
};

const header: Required<HeaderRow> = { name: 'Authorization', value: 'Bearer {{token}}' };

/** A plain WebSocket endpoint: kind and socketio are the Socket.IO one's. */
const websocketParams: Required<Omit<ConnectionParams, 'kind' | 'socketio'>> = {
  url: 'wss://example.test/feed',
  protocols: ['chat', 'v2.json'],
  headers: [header],
  options: everyOption,
  decode: { as: 'protobuf', proto: 'proto/feed.proto', type: 'feed.v1.Tick' },
};

/** Decode binary as is for plain WebSocket endpoints; a Socket.IO one has every other field. */
const socketIoParams: Required<Omit<ConnectionParams, 'decode'>> = {
  kind: 'socketio',
  socketio: everySocketIoOption,
  url: 'https://example.test',
  protocols: [],
  headers: [header],
  // Of the endpoint options only Bypass proxy applies to Socket.IO; import drops the others.
  options: { bypassProxy: true },
};

/** A plain WebSocket endpoint's message has no event or ack; a Socket.IO one's has every field. */
const textMessage: Required<Omit<SavedMessage, 'event' | 'ack'>> = { name: 'Subscribe', format: 'json', body: '{"op":"sub"}' };
const emitMessage: Required<SavedMessage> = { name: 'Join', format: 'json', body: '["lobby"]', event: 'join', ack: true };

const environment: Required<Environment> = {
  name: 'staging',
  variables: [
    { name: 'token', value: 'abc' },
    { name: 'pfxPassphrase', value: '', secret: true },
  ],
};

describe('protocol types and schemas', () => {
  it('the hand-written types that embed schema types match them exactly', () => {
    typesMatch<Equal<Omit<Endpoint, 'id' | 'name' | 'messages'>, ConnectionParams>>();
    typesMatch<Equal<NonNullable<Endpoint['messages']>[number], SavedMessage>>();
    typesMatch<Equal<Extract<FromWebview, { type: 'saveMessage' }>['message'], SavedMessage>>();
    typesMatch<Equal<NonNullable<Collection['environments']>[number], Environment>>();
    typesMatch<Equal<Extract<FromWebview, { type: 'connect' }>['params'], ConnectionParams>>();
    typesMatch<Equal<Extract<FromWebview, { type: 'saveEnvironment' }>['environment'], Environment>>();
    // No schema transforms its value: what the webview sends is what the host reads.
    typesMatch<Equal<z.input<typeof connectionParamsSchema>, ConnectionParams>>();
    typesMatch<Equal<z.input<typeof environmentSchema>, Environment>>();
    typesMatch<Equal<z.input<typeof savedMessageSchema>, SavedMessage>>();
  });

  it('a type that differs from its schema by one field is rejected', () => {
    // @ts-expect-error an optional field on one side only (assignable both ways, yet not equal)
    typesMatch<Equal<HeaderRow & { comment?: string }, HeaderRow>>();
    // @ts-expect-error an endpoint field that the connection form's schema does not have
    typesMatch<Equal<Omit<Endpoint, 'id'>, ConnectionParams>>();
    // @ts-expect-error a required field turned optional
    typesMatch<Equal<Partial<SocketIoOptions>, SocketIoOptions>>();
    // @ts-expect-error excess field: ConnectionParams has exactly the schema's fields
    const extra: ConnectionParams = { url: 'ws://h/', protocols: [], headers: [], compress: true };
    assert.equal(extra.url, 'ws://h/');
  });

  it('the webview message schema keeps every field of the connection form', () => {
    for (const params of [websocketParams, socketIoParams]) {
      const message = { type: 'connect', requestId: 1, params };
      assert.deepEqual(parseFromWebview(message), message);
    }
    const save = { type: 'saveEnvironment', requestId: 2, collectionId: 'c1', environment };
    assert.deepEqual(parseFromWebview(save), save);
  });

  it('a collection file and extension storage keep every field of an endpoint', () => {
    const collection: Collection = {
      id: 'c1',
      name: 'Team',
      endpoints: [
        { id: 'e1', name: 'Feed', ...websocketParams, messages: [textMessage] },
        { id: 'e2', name: 'Chat', ...socketIoParams, messages: [emitMessage] },
      ],
      environments: [environment],
      activeEnvironment: 'staging',
    };
    let next = 0;
    const imported = importCollection(exportCollection(collection), () => `c${++next}`);
    assert.ok(imported.ok, imported.ok ? '' : imported.error);
    // Ids are local to one installation: the file has none, the importer makes them (collection first).
    assert.deepEqual(imported.collection, {
      ...collection,
      endpoints: [
        { ...collection.endpoints[0], id: 'c2' },
        { ...collection.endpoints[1], id: 'c3' },
      ],
    });
    assert.deepEqual(parseStoredCollections(JSON.parse(JSON.stringify([collection]))), [collection]);
  });
});
