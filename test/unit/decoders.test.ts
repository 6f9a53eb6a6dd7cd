// Decode binary as: the structural checks (offsets and what was expected), the JSON forms of
// MessagePack and CBOR values, .proto loading with imports, the protobuf JSON check, the size
// limit, and the Decoded view in the log filter, the webview preview and the recording.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeBinary, decodedInfo, encodeJsonText, encodeValue, MAX_DECODE_BYTES, type BinaryDecoder } from '../../src/core/decoders/binaryCodec';
import { encodeForSend, loadDecoder, withDecoded } from '../../src/core/decoders/entryDecoder';
import { loadProtoType } from '../../src/core/decoders/protoSchema';
import { scanCbor, scanMsgpack } from '../../src/core/decoders/wireScan';
import { previewOf, PREVIEW_LIMIT } from '../../src/core/logPipeline';
import { NdjsonRecorder } from '../../src/core/ndjsonRecorder';
import { resolveForConnect } from '../../src/core/panel/connectSteps';
import { exportCollection, importCollection } from '../../src/shared/collections';
import { compileFilter, NO_FILTER } from '../../src/shared/logFilter';
import type { LogEntry } from '../../src/shared/protocol';

const root = path.resolve(__dirname, '../../..');
const PROTO_DIR = path.join(root, 'test/fixtures/proto');
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

async function tick(): Promise<BinaryDecoder> {
  const loaded = await loadDecoder({ as: 'protobuf', proto: 'feed.proto', type: 'feed.v1.Tick' }, [PROTO_DIR]);
  if (!loaded.ok) assert.fail(loaded.error);
  return loaded.decoder;
}

function binaryEntry(data: Uint8Array, direction: 'sent' | 'received' = 'received'): Omit<LogEntry, 'id'> {
  return { time: 1, kind: 'message', direction, frame: 'binary', size: data.length, payload: { kind: 'binary', base64: Buffer.from(data).toString('base64') } };
}

describe('wire scans', () => {
  it('MessagePack: a truncated array names the missing item and where the message ends', () => {
    assert.deepEqual(scanMsgpack(bytes(0x92, 0x01)), { offset: 2, expected: 'item 2 of the array at byte 0, but the message ends' });
  });

  it('MessagePack: a never-used type byte, a short string and extra bytes', () => {
    assert.deepEqual(scanMsgpack(bytes(0x81, 0xa1, 0x61, 0xc1)), {
      offset: 3,
      expected: 'the value of entry 1 of the map at byte 0 (0xc1 is not a MessagePack type byte)',
    });
    assert.deepEqual(scanMsgpack(bytes(0xa5, 0x61)), { offset: 1, expected: '5 bytes for a MessagePack value, but only 1 bytes remain' });
    assert.deepEqual(scanMsgpack(bytes(0x01, 0x02)), { offset: 1, expected: 'the end of the message (the MessagePack value ends here, 1 more bytes follow)' });
    assert.equal(scanMsgpack(bytes(0x93, 0x01, 0x80, 0x90)), undefined);
  });

  it('CBOR: truncation, a stray break, a reserved value and a chunk of the wrong type', () => {
    assert.deepEqual(scanCbor(bytes(0x82, 0x01)), { offset: 2, expected: 'item 2 of the array at byte 0, but the message ends' });
    assert.deepEqual(scanCbor(bytes(0x82, 0x01, 0xff)), { offset: 2, expected: 'item 2 of the array at byte 0 (a break outside an indefinite-length item)' });
    assert.deepEqual(scanCbor(bytes(0x1c)), { offset: 0, expected: 'a CBOR value (additional information 28 is reserved)' });
    assert.deepEqual(scanCbor(bytes(0x5f, 0x61, 0x61, 0xff)), { offset: 1, expected: 'a chunk (or the break) of the string at byte 0 of major type 2, not 3' });
    assert.deepEqual(scanCbor(bytes(0xbf, 0x61, 0x61, 0xff)), { offset: 3, expected: 'the value of entry 1 of the map at byte 0 (a map ends after a value, not a key)' });
    // Indefinite array of an indefinite byte string, a tag and a float: well formed.
    assert.equal(scanCbor(bytes(0x9f, 0x5f, 0x41, 0x00, 0xff, 0xc1, 0x01, 0xf9, 0x3c, 0x00, 0xff)), undefined);
  });

  it('deep nesting is refused before a recursive decoder sees it', () => {
    const deep = new Uint8Array(100_000).fill(0x91);
    const fault = scanMsgpack(deep);
    assert.match(fault?.expected ?? '', /at most 512 levels of nesting/);
    const result = decodeBinary(new Uint8Array(100_000).fill(0x81), { as: 'cbor' });
    assert.equal(result.ok, false);
  });
});

describe('MessagePack and CBOR as JSON', () => {
  it('round-trips bytes, big integers, extensions, tags and nested maps', () => {
    const value = { id: 7, blob: { $bytes: 'AP8=' }, big: { $bigint: '18446744073709551615' }, list: [1, 'two', null, true, 0.5], nested: { a: { b: [] } } };
    for (const as of ['msgpack', 'cbor'] as const) {
      const encoded = encodeValue(value, { as });
      if (!encoded.ok) assert.fail(encoded.error);
      const decoded = decodeBinary(encoded.bytes, { as });
      assert.deepEqual(decoded, { ok: true, value }, as);
    }
    const ext = encodeValue({ $ext: 5, data: 'AQI=' }, { as: 'msgpack' });
    assert.ok(ext.ok);
    assert.deepEqual(decodeBinary(ext.bytes, { as: 'msgpack' }), { ok: true, value: { $ext: 5, data: 'AQI=' } });
    const tag = encodeValue({ $tag: 4000, value: 'x' }, { as: 'cbor' });
    assert.ok(tag.ok);
    assert.deepEqual(decodeBinary(tag.bytes, { as: 'cbor' }), { ok: true, value: { $tag: 4000, value: 'x' } });
  });

  it('writes non-string map keys as their JSON text and keeps __proto__ a plain key', () => {
    // CBOR {1: "one", "__proto__": {"polluted": true}}
    const data = Uint8Array.from(Buffer.from('a201636f6e65695f5f70726f746f5f5fa168706f6c6c75746564f5', 'hex'));
    const result = decodeBinary(data, { as: 'cbor' });
    assert.ok(result.ok);
    assert.equal(JSON.stringify(result.value), '{"1":"one","__proto__":{"polluted":true}}');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // The MessagePack library refuses the key itself; the message says so and keeps its bytes.
    const msgpack = bytes(0x81, 0xa9, ...Buffer.from('__proto__'), 0xc3);
    assert.deepEqual(decodeBinary(msgpack, { as: 'msgpack' }), { ok: false, error: 'Could not decode as MessagePack: The key __proto__ is not allowed' });
  });

  it('says why a document cannot be encoded', () => {
    assert.deepEqual(encodeJsonText('{"a":', { as: 'cbor' }).ok, false);
    assert.match((encodeJsonText('{"a":', { as: 'cbor' }) as { error: string }).error, /^Send as CBOR takes a JSON document: /);
    assert.deepEqual(encodeValue({ x: { $bytes: 'not base64!' } }, { as: 'msgpack' }), { ok: false, error: 'Cannot encode as MessagePack: $.x.$bytes: expected base64 text' });
    assert.deepEqual(encodeValue({ $tag: 1, value: 2 }, { as: 'msgpack' }), {
      ok: false,
      error: 'Cannot encode as MessagePack: "$tag" is a CBOR form; MessagePack has extensions ("$ext")',
    });
  });
});

describe('Protocol Buffers', () => {
  it('loads a .proto file with its imports and round-trips a message in the proto3 JSON forms', async () => {
    const decoder = await tick();
    const value = {
      symbol: 'ACME',
      price: 12.5,
      volume: '9007199254740993',
      side: 'SELL',
      levels: [{ price: 12.4, size: 300 }],
      tags: { venue: 'x' },
      raw: 'AAH/',
      venue: { name: 'XNYS', open: true },
    };
    const encoded = encodeValue(value, decoder);
    if (!encoded.ok) assert.fail(encoded.error);
    assert.deepEqual(decodeBinary(encoded.bytes, decoder), { ok: true, value });
  });

  it('names a missing file, a missing import, a parse error and a wrong type', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsd-proto-'));
    try {
      const missing = await loadProtoType('nope.proto', 'a.B', [dir]);
      assert.deepEqual(missing, { ok: false, error: `The .proto file "nope.proto" was not found (looked in ${dir})` });
      await writeFile(path.join(dir, 'a.proto'), 'syntax = "proto3";\nimport "gone.proto";\nmessage A { int32 x = 1; }\n');
      assert.deepEqual(await loadProtoType('a.proto', 'A', [dir]), { ok: false, error: `${path.join(dir, 'a.proto')} imports "gone.proto", which was not found` });
      await writeFile(path.join(dir, 'b.proto'), 'syntax = "proto3";\nmessage B { int32 x = ; }\n');
      const parse = await loadProtoType('b.proto', 'B', [dir]);
      assert.ok(!parse.ok);
      assert.match(parse.error, /b\.proto does not parse: illegal .*line 2/);
      const wrong = await loadProtoType('feed.proto', 'feed.v1.Tock', [PROTO_DIR]);
      assert.deepEqual(wrong, { ok: false, error: 'feed.proto has no message type "feed.v1.Tock"; it defines feed.v1.Level, feed.v1.Tick, feed.common.Venue' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks a document against the type before sending, naming the field', async () => {
    const decoder = await tick();
    const error = (value: unknown): string => {
      const result = encodeValue(value, decoder);
      assert.ok(!result.ok);
      return result.error;
    };
    assert.equal(error({ symbl: 'x' }), '$.symbl: feed.v1.Tick has no field "symbl" (its fields: symbol, price, volume, side, levels, tags, raw, venue)');
    assert.equal(error({ levels: [{ price: 1 }, { size: -1 }] }), '$.levels[1].size: expected an integer from 0 to 4294967295 (uint32), not number -1');
    assert.equal(error({ side: 'HOLD' }), '$.side: expected one of "SIDE_UNSPECIFIED", "BUY", "SELL" (enum Side), not string "HOLD"');
    assert.equal(error({ price: 'cheap' }), '$.price: expected a number (double), not string "cheap"');
    assert.equal(error({ venue: { open: 'yes' } }), '$.venue.open: expected true or false, not string "yes"');
    assert.equal(error([1]), '$: expected an object (message feed.v1.Tick), not a list');
    assert.deepEqual(encodeForSend('protobuf', '{}', undefined), {
      ok: false,
      error: "Send as Protobuf needs the endpoint's Decode binary as set to Protobuf with its .proto file and message type",
    });
  });

  it('a message that is not the type says where it stops', async () => {
    const decoder = await tick();
    // Field 1 (symbol), length-delimited, claims 10 bytes; 2 follow.
    assert.deepEqual(decodeBinary(bytes(0x0a, 0x0a, 0x41, 0x42), decoder), {
      ok: false,
      error: 'Not a valid feed.v1.Tick message at byte 2: expected 10 more bytes, but the message has 4',
    });
    assert.deepEqual(decodeBinary(bytes(0x0f), decoder), {
      ok: false,
      error: 'Not a valid feed.v1.Tick message at byte 1: expected a field with wire type 0-5, found wire type 7',
    });
  });
});

describe('decoded log entries', () => {
  it('adds the Decoded view to binary messages only and keeps the raw bytes', () => {
    const data = bytes(0x81, 0xa1, 0x61, 0x01);
    const entry = withDecoded(binaryEntry(data), { as: 'msgpack' });
    assert.deepEqual(entry.decoded, { as: 'msgpack', json: '{\n  "a": 1\n}' });
    assert.equal(entry.payload?.kind === 'binary' && entry.payload.base64, 'gaFhAQ==');
    const text: Omit<LogEntry, 'id'> = { time: 1, kind: 'message', direction: 'received', frame: 'text', size: 2, payload: { kind: 'text', text: 'hi' } };
    assert.equal(withDecoded(text, { as: 'msgpack' }), text);
    const bad = withDecoded(binaryEntry(bytes(0x92, 0x01)), { as: 'msgpack' });
    assert.deepEqual(bad.decoded, { as: 'msgpack', error: 'Not valid MessagePack at byte 2: expected item 2 of the array at byte 0, but the message ends' });
  });

  it('skips a 64 MiB message at once with a note, and decodes 16 MiB within the limit', () => {
    const huge = new Uint8Array(64 * 1024 * 1024);
    const hugeEntry = binaryEntry(huge);
    let started = performance.now();
    const skipped = withDecoded(hugeEntry, { as: 'msgpack' });
    const skipMs = performance.now() - started;
    assert.equal(skipped.decoded?.error, `Not decoded: the message has ${huge.length} bytes, more than the decoder's limit of ${MAX_DECODE_BYTES}`);
    // The size is read from the base64 length; nothing is decoded.
    assert.ok(skipMs < 50, `skipping took ${skipMs} ms`);
    // Just under the limit: a list of small records, the shape of a real feed's snapshot.
    const records = Array.from({ length: 380_000 }, (_, i) => ({ id: i, symbol: `SYM${i % 5000}`, price: i / 7, open: i % 2 === 0 }));
    const encoded = encodeValue(records, { as: 'msgpack' });
    if (!encoded.ok) assert.fail(encoded.error);
    assert.ok(encoded.bytes.length > 15 * 1024 * 1024 && encoded.bytes.length <= MAX_DECODE_BYTES, String(encoded.bytes.length));
    started = performance.now();
    const decoded = decodedInfo(encoded.bytes, { as: 'msgpack' });
    const decodeMs = performance.now() - started;
    assert.equal(decoded.error, undefined);
    assert.ok(decoded.json?.includes('"symbol": "SYM4999"'));
    console.log(`# 64 MiB skipped in ${skipMs.toFixed(1)} ms; ${(encoded.bytes.length / 1048576).toFixed(1)} MiB of MessagePack records decoded to JSON in ${decodeMs.toFixed(0)} ms`);
  });

  it('the webview gets a preview of a long decoded value; the filter matches decoded JSON', () => {
    const long = { as: 'cbor' as const, json: JSON.stringify({ items: 'x'.repeat(PREVIEW_LIMIT) }) };
    const entry: LogEntry = { id: 1, ...binaryEntry(bytes(1)), decoded: long };
    const preview = previewOf(entry);
    assert.equal(preview.decoded?.json?.length, PREVIEW_LIMIT);
    assert.equal(preview.decoded?.truncated, true);
    const decoded: LogEntry = { id: 2, ...withDecoded(binaryEntry(bytes(0x81, 0xa6, ...Buffer.from('symbol'), 0xa4, ...Buffer.from('ACME'))), { as: 'msgpack' }) };
    for (const regex of [false, true]) {
      const filter = compileFilter({ ...NO_FILTER, text: regex ? '"symbol":\\s*"AC' : 'acme', regex });
      assert.ok(filter.ok);
      assert.equal(filter.filter.test(decoded), true);
      assert.equal(filter.filter.test({ id: 3, ...binaryEntry(bytes(1)) }), false);
    }
  });

  it('the recording keeps the raw bytes and the decoded value', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsd-rec-'));
    try {
      const file = path.join(dir, 'log.ndjson');
      const recorder = await NdjsonRecorder.open(file, () => undefined);
      const good: LogEntry = { id: 1, ...withDecoded(binaryEntry(bytes(0x81, 0xa1, 0x61, 0x01)), { as: 'msgpack' }) };
      const bad: LogEntry = { id: 2, ...withDecoded(binaryEntry(bytes(0xc1)), { as: 'msgpack' }) };
      recorder.write([good, bad]);
      await recorder.close();
      const lines = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(lines[0]?.payload, { kind: 'binary', base64: 'gaFhAQ==' });
      assert.deepEqual(lines[0]?.decoded, { as: 'msgpack', value: { a: 1 } });
      assert.deepEqual(lines[1]?.decoded, { as: 'msgpack', error: 'Not valid MessagePack at byte 0: expected a MessagePack value (0xc1 is not a MessagePack type byte)' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('"decode" on the way to a connection', () => {
  it('survives resolving variables and the checks of Connect; a protobuf without its type is refused', () => {
    const decode = { as: 'protobuf' as const, proto: 'feed.proto', type: 'feed.v1.Tick' };
    const prepared = resolveForConnect({ url: 'ws://{{host}}/', protocols: [], headers: [], decode }, [{ name: 'host', value: 'h' }]);
    assert.ok(prepared.ok);
    assert.deepEqual(prepared.params.decode, decode);
    assert.deepEqual(resolveForConnect({ url: 'ws://h/', protocols: [], headers: [], decode: { as: 'protobuf', proto: 'feed.proto' } }, []), {
      ok: false,
      field: 'decode',
      error: '"decode": protobuf needs "type", the fully qualified message type (e.g. "feed.v1.Tick")',
    });
  });
});

describe('"decode" in a collection file', () => {
  const file = (decode: unknown, kind?: string) =>
    JSON.stringify({
      format: 'websocket-debugger-collection',
      version: 3,
      name: 'Feeds',
      endpoints: [{ name: 'Ticks', url: 'ws://h/', ...(kind ? { kind } : {}), decode }],
    });
  let n = 0;
  const id = () => `id${++n}`;

  it('imports and exports as written', () => {
    const imported = importCollection(file({ as: 'protobuf', proto: 'proto/feed.proto', type: 'feed.v1.Tick' }), id);
    if (!imported.ok) assert.fail(imported.error);
    assert.deepEqual(imported.collection.endpoints[0]?.decode, { as: 'protobuf', proto: 'proto/feed.proto', type: 'feed.v1.Tick' });
    assert.match(exportCollection(imported.collection), /"decode": \{\n\s+"as": "protobuf",\n\s+"proto": "proto\/feed.proto",\n\s+"type": "feed.v1.Tick"/);
  });

  it('says what is wrong', () => {
    const error = (decode: unknown, kind?: string): string => {
      const result = importCollection(file(decode, kind), id);
      assert.ok(!result.ok);
      return result.error;
    };
    assert.match(error({ as: 'json' }), /decode\.as: expected "msgpack", "cbor" or "protobuf"/);
    assert.equal(error({ as: 'protobuf', type: 'a.B' }), 'Endpoint "Ticks" (endpoints[0]): "decode": protobuf needs "proto", the .proto file that defines the message type');
    assert.equal(error({ as: 'cbor', type: 'a.B' }), 'Endpoint "Ticks" (endpoints[0]): "decode": "proto" and "type" are for "as": "protobuf", not "cbor"');
  });

  it('a Socket.IO endpoint keeps its decode (for binary event arguments) through import and export', () => {
    const imported = importCollection(file({ as: 'cbor' }, 'socketio'), id);
    if (!imported.ok) assert.fail(imported.error);
    assert.deepEqual(imported.collection.endpoints[0]?.decode, { as: 'cbor' });
    assert.equal(imported.collection.endpoints[0]?.kind, 'socketio');
    assert.match(exportCollection(imported.collection), /"decode": \{\n\s+"as": "cbor"\n/);
  });
});
