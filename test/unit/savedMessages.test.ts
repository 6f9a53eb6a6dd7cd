// Saved messages: the name rules and list edits (savedMessages.ts), and how collection files
// (version 3), exports and extension storage carry them (collections.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  changeEndpointMessages,
  exportCollection,
  importCollection,
  parseStoredCollections,
  saveEndpoint,
} from '../../src/shared/collections';
import type { Collection, SavedMessage } from '../../src/shared/protocol';
import { addMessage, checkMessageName, deleteMessage, moveMessage, renameMessage } from '../../src/shared/savedMessages';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';

function idSource(): () => string {
  let n = 0;
  return () => `id${++n}`;
}

const hello: SavedMessage = { name: 'Hello', format: 'text', body: 'hello {{user}}' };
const subscribe: SavedMessage = { name: 'Subscribe', format: 'json', body: '{"op":"subscribe","channel":"ticker"}' };
const bytes: SavedMessage = { name: 'Bytes', format: 'hex', body: 'de ad be ef' };
const join: SavedMessage = { name: 'Join lobby', format: 'json', body: '["lobby", {"id": 1}]', event: 'join', ack: true };

function file(version: number, endpoints: unknown[]): string {
  return JSON.stringify({ format: 'websocket-debugger-collection', version, name: 'Team', endpoints });
}

function imported(text: string): Collection {
  const result = importCollection(text, idSource());
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.collection;
}

function importError(text: string): string {
  const result = importCollection(text, idSource());
  assert.equal(result.ok, false, 'the import should be refused');
  return result.ok ? '' : result.error;
}

const names = (messages: readonly SavedMessage[]) => messages.map((m) => m.name);

describe('saved message names', () => {
  test('must be non-empty, at most 200 characters and unique within the endpoint', () => {
    assert.equal(checkMessageName('Ping', [hello]), undefined);
    assert.equal(checkMessageName('', [hello]), 'Enter a name for the message');
    assert.equal(checkMessageName('x'.repeat(200), []), undefined);
    assert.equal(checkMessageName('x'.repeat(201), []), 'A message name can be at most 200 characters; this one has 201');
    assert.equal(checkMessageName('Hello', [hello]), 'This endpoint already has a message named "Hello"');
    // Names compare exactly: flows refer to a message by its name as written.
    assert.equal(checkMessageName('hello', [hello]), undefined);
    assert.equal(checkMessageName('Hello', [hello], 'Hello'), undefined, 'renaming a message to its own name');
  });

  test('add trims the name, keeps the order and refuses a duplicate', () => {
    const one = addMessage([], { ...subscribe, name: '  Subscribe  ' });
    assert.ok(one.ok);
    assert.deepEqual(one.messages, [subscribe]);
    const two = addMessage(one.messages, hello);
    assert.ok(two.ok);
    assert.deepEqual(names(two.messages), ['Subscribe', 'Hello']);
    assert.deepEqual(addMessage(two.messages, { ...bytes, name: 'Hello' }), { ok: false, error: 'This endpoint already has a message named "Hello"' });
    assert.deepEqual(addMessage(two.messages, { ...bytes, name: ' ' }), { ok: false, error: 'Enter a name for the message' });
  });

  test('rename keeps the place and the content, and refuses a taken or missing name', () => {
    const list = [hello, subscribe, bytes];
    const renamed = renameMessage(list, 'Subscribe', ' Ticker ');
    assert.ok(renamed.ok);
    assert.deepEqual(renamed.messages, [hello, { ...subscribe, name: 'Ticker' }, bytes]);
    assert.deepEqual(renameMessage(list, 'Subscribe', 'Bytes'), { ok: false, error: 'This endpoint already has a message named "Bytes"' });
    assert.deepEqual(renameMessage(list, 'Gone', 'New'), { ok: false, error: 'There is no saved message named "Gone" any more' });
    assert.deepEqual(renameMessage(list, 'Hello', 'x'.repeat(201)).ok, false);
  });

  test('delete removes exactly the named message', () => {
    const deleted = deleteMessage([hello, subscribe, bytes], 'Subscribe');
    assert.ok(deleted.ok);
    assert.deepEqual(names(deleted.messages), ['Hello', 'Bytes']);
    assert.equal(deleteMessage([hello], 'Subscribe').ok, false);
  });

  test('move swaps with the neighbour; at either end the order stays', () => {
    const list = [hello, subscribe, bytes];
    const up = moveMessage(list, 'Bytes', -1);
    assert.ok(up.ok);
    assert.deepEqual(names(up.messages), ['Hello', 'Bytes', 'Subscribe']);
    const down = moveMessage(list, 'Hello', 1);
    assert.ok(down.ok);
    assert.deepEqual(names(down.messages), ['Subscribe', 'Hello', 'Bytes']);
    const top = moveMessage(list, 'Hello', -1);
    assert.ok(top.ok);
    assert.deepEqual(names(top.messages), ['Hello', 'Subscribe', 'Bytes']);
    const bottom = moveMessage(list, 'Bytes', 1);
    assert.ok(bottom.ok);
    assert.deepEqual(names(bottom.messages), ['Hello', 'Subscribe', 'Bytes']);
    assert.deepEqual(names(list), ['Hello', 'Subscribe', 'Bytes'], 'the input list is not changed');
  });
});

describe('collection files with saved messages (version 3)', () => {
  const collection: Collection = {
    id: 'c1',
    name: 'Team',
    endpoints: [
      { id: 'e1', name: 'Feed', url: 'wss://feed.example/', protocols: [], headers: [], messages: [hello, subscribe, bytes] },
      {
        id: 'e2',
        name: 'Chat',
        url: 'http://chat.example',
        protocols: [],
        headers: [],
        kind: 'socketio',
        socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, query: [] },
        messages: [join, { name: 'Typing', format: 'text', body: 'yes', event: 'typing' }],
      },
      { id: 'e3', name: 'Bare', url: 'ws://bare.example/', protocols: [], headers: [] },
    ],
  };

  test('an export writes "messages" in the fixed shape and imports back unchanged', () => {
    const text = exportCollection(collection);
    const data = JSON.parse(text);
    assert.equal(data.version, 3);
    assert.deepEqual(data.endpoints[0].messages, [
      { name: 'Hello', format: 'text', body: 'hello {{user}}' },
      { name: 'Subscribe', format: 'json', body: '{"op":"subscribe","channel":"ticker"}' },
      { name: 'Bytes', format: 'hex', body: 'de ad be ef' },
    ]);
    assert.deepEqual(data.endpoints[1].messages, [
      { name: 'Join lobby', format: 'json', body: '["lobby", {"id": 1}]', event: 'join', ack: true },
      { name: 'Typing', format: 'text', body: 'yes', event: 'typing' },
    ]);
    assert.equal('messages' in data.endpoints[2], false, 'an endpoint without messages has no key');
    const back = imported(text);
    assert.deepEqual(back.endpoints.map((e) => e.messages), collection.endpoints.map((e) => e.messages));
  });

  test('version 1 and 2 files still import, without messages', () => {
    const v1 = imported(file(1, [{ name: 'One', url: 'ws://one.example/' }]));
    assert.equal(v1.endpoints[0].messages, undefined);
    const v2 = imported(file(2, [{ name: 'Chat', url: 'http://chat.example', kind: 'socketio' }]));
    assert.equal(v2.endpoints[0].kind, 'socketio');
    assert.equal(v2.endpoints[0].messages, undefined);
  });

  test('"messages" in a version 1 or 2 file is refused, naming the version that has them', () => {
    for (const version of [1, 2]) {
      assert.equal(
        importError(file(version, [{ name: 'One', url: 'ws://one.example/', messages: [hello] }])),
        'Endpoint "One" (endpoints[0]): "messages" needs collection file version 3',
      );
    }
  });

  test('a wrong message is refused with its place and the field', () => {
    const endpoint = (messages: unknown) => file(3, [{ name: 'One', url: 'ws://one.example/', messages }]);
    assert.equal(importError(endpoint('Hello')), 'endpoints[0].messages: expected a list of messages');
    assert.equal(importError(endpoint([{ ...hello, format: 'yaml' }])), 'endpoints[0].messages[0].format: expected "text", "json", "hex", "base64", "msgpack", "cbor" or "protobuf"');
    assert.equal(importError(endpoint([{ ...hello, name: '' }])), 'endpoints[0].messages[0].name: must not be empty');
    assert.equal(importError(endpoint([{ ...hello, name: 'x'.repeat(201) }])), 'endpoints[0].messages[0].name: must be at most 200 characters');
    assert.equal(importError(endpoint([{ name: 'No body', format: 'text' }])), 'endpoints[0].messages[0].body: expected a string');
    assert.equal(importError(endpoint([{ ...join, ack: false }])), 'endpoints[0].messages[0].ack: expected true (or leave "ack" out)');
    assert.equal(
      importError(endpoint([hello, { ...subscribe, name: 'Hello' }])),
      'Endpoint "One" (endpoints[0]): messages[1] ("Hello"): another message of this endpoint has the same name',
    );
    assert.equal(
      importError(endpoint([join])),
      'Endpoint "One" (endpoints[0]): messages[0] ("Join lobby"): "event" and "ack" are for Socket.IO endpoints only',
    );
  });

  test("a Socket.IO endpoint's messages need a usable event name", () => {
    const endpoint = (messages: unknown) => file(3, [{ name: 'Chat', url: 'http://chat.example', kind: 'socketio', messages }]);
    assert.equal(
      importError(endpoint([hello])),
      'Endpoint "Chat" (endpoints[0]): messages[0] ("Hello"): a Socket.IO endpoint\'s message needs an "event"',
    );
    assert.match(importError(endpoint([{ ...join, event: 'connect' }])), /messages\[0\] \("Join lobby"\), event: "connect" is reserved/);
    assert.equal(
      importError(endpoint([{ ...join, format: 'msgpack' }])),
      'Endpoint "Chat" (endpoints[0]): messages[0] ("Join lobby"), format: Socket.IO arguments are "text", "json", "hex" or "base64"',
    );
    assert.deepEqual(imported(endpoint([join])).endpoints[0].messages, [join]);
  });

  test('extension storage keeps messages; saving the endpoint form again keeps them too', () => {
    const stored = parseStoredCollections(JSON.parse(JSON.stringify([collection])));
    assert.deepEqual(stored, [collection]);
    const resaved = saveEndpoint(stored, 'Team', { name: 'Feed', url: 'wss://feed.example/v2', protocols: [], headers: [] }, idSource());
    assert.equal(resaved.endpoint.id, 'e1');
    assert.equal(resaved.endpoint.url, 'wss://feed.example/v2');
    assert.deepEqual(resaved.endpoint.messages, [hello, subscribe, bytes]);
  });

  test('changeEndpointMessages changes one endpoint, and nothing when the change is refused', () => {
    const collections = [collection];
    const moved = changeEndpointMessages(collections, 'e1', (messages) => moveMessage(messages, 'Bytes', -1));
    assert.ok(moved.result.ok);
    assert.deepEqual(names(moved.collections[0].endpoints[0].messages ?? []), ['Hello', 'Bytes', 'Subscribe']);
    assert.equal(moved.collections[0].endpoints[1], collection.endpoints[1], 'other endpoints are untouched');
    const emptied = changeEndpointMessages(collections, 'e3', (messages) => addMessage(messages, hello));
    assert.deepEqual(emptied.collections[0].endpoints[2].messages, [hello]);
    const cleared = changeEndpointMessages(emptied.collections, 'e3', (messages) => deleteMessage(messages, 'Hello'));
    assert.equal('messages' in cleared.collections[0].endpoints[2], false, 'an emptied list leaves no key');
    const refused = changeEndpointMessages(collections, 'e1', (messages) => addMessage(messages, hello));
    assert.equal(refused.collections, collections);
    assert.deepEqual(refused.result, { ok: false, error: 'This endpoint already has a message named "Hello"' });
    const unknown = changeEndpointMessages(collections, 'nope', (messages) => addMessage(messages, hello));
    assert.deepEqual(unknown.result, { ok: false, error: 'This endpoint is not saved any more' });
  });
});
