// What a lens view does to an entry's way through the log: the host's EntryLens decides and puts
// the view on, the compact log and the entry transport keep it, and the log filter searches it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EntryLens, MAX_LENS_BYTES } from '../../src/core/panel/entryLens';
import { exportCollection, importCollection } from '../../src/shared/collections';
import { decodeEntries, encodeEntries } from '../../src/shared/entryTransport';
import { compileFilter, NO_FILTER, searchableText, type LogFilterSpec } from '../../src/shared/logFilter';
import { MessageLog } from '../../src/shared/messageLog';
import { isPlainMessage } from '../../src/shared/plainMessage';
import type { LogEntry } from '../../src/shared/protocol';

const message = (direction: 'sent' | 'received', text: string, time = 0): Omit<LogEntry, 'id'> => ({
  time,
  kind: 'message',
  direction,
  frame: 'text',
  size: Buffer.byteLength(text),
  payload: { kind: 'text', text },
});

describe('EntryLens (host)', () => {
  it('decides at the first message from the subprotocol, and asks for it once', () => {
    let asked = 0;
    const lens = new EntryLens(undefined, () => {
      asked++;
      return 'jsonrpc';
    });
    assert.equal(lens.annotate({ time: 0, kind: 'open', direction: 'none', size: 0, detail: 'Connected' }).lens, undefined);
    assert.equal(asked, 0);
    lens.annotate(message('sent', '{"jsonrpc":"2.0","method":"a","id":1}', 10));
    const answer = lens.annotate(message('received', '{"jsonrpc":"2.0","result":true,"id":1}', 25));
    assert.equal(answer.lens?.summary, '← result #1 15 ms');
    assert.equal(asked, 1);
  });

  it('stays off without a matching subprotocol or with "none", and a named lens needs none', () => {
    const auto = new EntryLens('auto', () => 'chat');
    assert.equal(auto.active, false);
    assert.equal(auto.annotate(message('received', '{"jsonrpc":"2.0","method":"a"}')).lens, undefined);
    assert.equal(new EntryLens('none', () => 'mqtt').active, false);
    const named = new EntryLens('stomp', () => '');
    assert.equal(named.annotate(message('received', 'MESSAGE\ndestination:/q\n\n\0')).lens?.summary, 'MESSAGE /q');
  });

  it('reads binary messages from their base64, and received text given as bytes', () => {
    const lens = new EntryLens('mqtt', () => 'mqtt');
    const pingreq = Buffer.from([0xc0, 0x00]).toString('base64');
    const entry = lens.annotate({ time: 0, kind: 'message', direction: 'sent', frame: 'binary', size: 2, payload: { kind: 'binary', base64: pingreq } });
    assert.equal(entry.lens?.summary, 'PINGREQ');
    const text = new EntryLens('jsonrpc', () => '').receivedText(5, Buffer.from('{"jsonrpc":"2.0","method":"tick"}'));
    assert.equal(text.payload?.kind === 'text' && text.payload.text, '{"jsonrpc":"2.0","method":"tick"}');
    assert.equal(text.lens?.summary, '← notification tick');
  });

  it('does not parse a message past the size limit, and says so', () => {
    const lens = new EntryLens('jsonrpc', () => '');
    const big = { ...message('received', '{}'), size: MAX_LENS_BYTES + 1 };
    assert.equal(lens.annotate(big).lens?.summary, 'not read: larger than 4 MiB');
  });
});

describe('an entry with a lens view in the log', () => {
  const withLens = (): LogEntry => ({
    ...message('received', 'MESSAGE\ndestination:/topic/prices\n\n{"bid":1}\0'),
    id: 1,
    lens: { lens: 'stomp', summary: 'MESSAGE /topic/prices', fields: [['Command', 'MESSAGE'], ['destination', '/topic/prices'], ['Body', '{"bid":1}']] },
  });

  it('is not packed as a plain message, so the compact log and a batch keep its view', () => {
    assert.equal(isPlainMessage(withLens()), false);
    const log = MessageLog.compact(10);
    log.append(withLens());
    assert.deepEqual(log.at(0)?.lens, withLens().lens);
    assert.deepEqual(decodeEntries(encodeEntries([withLens()]).json)[0]?.lens, withLens().lens);
  });

  it('is found by its summary as plain text, and by lens: for the lens view alone', () => {
    const plain: LogEntry = { ...message('received', 'PUBLISH is a word here'), id: 2 };
    const other: LogEntry = { ...message('received', 'x'), id: 3, lens: { lens: 'mqtt', summary: 'PUBLISH sensors/1 qos1', fields: [['Payload', '21.5']] } };
    const entries = [withLens(), plain, other];
    const ids = (spec: Partial<LogFilterSpec>) => {
      const compiled = compileFilter({ ...NO_FILTER, ...spec });
      assert.ok(compiled.ok);
      return entries.filter((e) => compiled.filter.test(e)).map((e) => e.id);
    };
    assert.ok(searchableText(other).includes('PUBLISH sensors/1 qos1'));
    assert.deepEqual(ids({ text: 'publish' }), [2, 3]);
    assert.deepEqual(ids({ text: 'lens:PUBLISH' }), [3]);
    assert.deepEqual(ids({ text: 'LENS:21.5' }), [3]);
    assert.deepEqual(ids({ text: 'lens:' }), [1, 3]);
    assert.deepEqual(ids({ text: 'lens:^MESSAGE /topic', regex: true }), [1]);
    assert.deepEqual(ids({ text: 'lens:nothing' }), []);
    const highlight = compileFilter({ ...NO_FILTER, text: 'lens:sensors' });
    assert.ok(highlight.ok);
    assert.deepEqual(highlight.filter.ranges('PUBLISH sensors/1 qos1'), [[8, 15]]);
  });
});

describe('the "lens" endpoint option in a collection file', () => {
  const file = (lens: unknown) =>
    JSON.stringify({
      format: 'websocket-debugger-collection',
      version: 3,
      name: 'Brokers',
      endpoints: [{ name: 'mqtt', url: 'ws://localhost:9001', protocols: ['mqtt'], options: { lens } }],
    });
  let id = 0;
  const newId = () => `id-${++id}`;

  it('imports and exports a named lens unchanged', () => {
    const imported = importCollection(file('stomp'), newId);
    assert.ok(imported.ok, !imported.ok ? imported.error : '');
    assert.equal(imported.collection.endpoints[0]?.options?.lens, 'stomp');
    const exported = JSON.parse(exportCollection(imported.collection)) as { endpoints: { options?: { lens?: string } }[] };
    assert.equal(exported.endpoints[0]?.options?.lens, 'stomp');
  });

  it('refuses a lens it does not know, naming the key and the choices', () => {
    const imported = importCollection(file('amqp'), newId);
    assert.ok(!imported.ok);
    assert.match(imported.error, /endpoints\[0\]\.options\.lens: expected one of "auto", "none", "graphql-transport-ws", "stomp", "mqtt", "jsonrpc"/);
  });
});
