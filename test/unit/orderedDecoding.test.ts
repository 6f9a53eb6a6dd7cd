// Decode binary as off the caller's thread: large messages go to the decode worker, the entries
// keep the order they arrived in (texts included), the event loop stays free while 15 MiB decode,
// a 64 MiB message is skipped with its note, and a dead worker leaves a note and the raw bytes.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { encodeValue, MAX_DECODE_BYTES, type BinaryDecoder } from '../../src/core/decoders/binaryCodec';
import { loadDecoder, withDecoded } from '../../src/core/decoders/entryDecoder';
import { bytesToDecode, INLINE_DECODE_BYTES, OrderedDecoding } from '../../src/core/decoders/orderedDecoding';
import type { LogEntry } from '../../src/shared/protocol';

type Entry = Omit<LogEntry, 'id'>;
type Out = { entry: Entry } | { text: string };

const root = path.resolve(__dirname, '../../..');

function binaryEntry(data: Uint8Array, time = Date.now()): Entry {
  return { time, kind: 'message', direction: 'received', frame: 'binary', size: data.length, payload: { kind: 'binary', base64: Buffer.from(data).toString('base64') } };
}

function encoded(value: unknown, decoder: BinaryDecoder): Uint8Array {
  const result = encodeValue(value, decoder);
  if (!result.ok) assert.fail(result.error);
  return result.bytes;
}

/** An OrderedDecoding whose output is collected, and a promise of the moment it has `count` items. */
function collecting(decoder: BinaryDecoder, options?: ConstructorParameters<typeof OrderedDecoding>[2]) {
  const out: Out[] = [];
  let wanted = Infinity;
  let done: () => void = () => undefined;
  const check = (): void => {
    if (out.length >= wanted) done();
  };
  const decoding = new OrderedDecoding<Entry>(
    decoder,
    {
      entry: (entry) => {
        out.push({ entry });
        check();
      },
      text: (_time, utf8) => {
        out.push({ text: Buffer.from(utf8).toString('utf8') });
        check();
      },
    },
    options,
  );
  const until = (count: number): Promise<void> =>
    new Promise((resolve) => {
      wanted = count;
      done = resolve;
      check();
    });
  return { decoding, out, until };
}

describe('OrderedDecoding', () => {
  it('decodes small messages at once and large ones in the worker, in the order they came', async () => {
    const decoder: BinaryDecoder = { as: 'msgpack' };
    const big = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `item ${i}` }));
    const bigBytes = encoded(big, decoder);
    assert.ok(bigBytes.length > INLINE_DECODE_BYTES);
    const { decoding, out, until } = collecting(decoder);
    decoding.entry(binaryEntry(encoded({ first: true }, decoder)));
    // Nothing waits yet: the small one is out before entry() returns.
    assert.equal(out.length, 1);
    decoding.entry(binaryEntry(bigBytes));
    assert.equal(decoding.waiting, 1);
    decoding.text(Date.now(), Buffer.from('after the big one'));
    decoding.entry(binaryEntry(encoded({ last: true }, decoder)));
    decoding.entry({ time: Date.now(), kind: 'info', direction: 'none', size: 0, detail: 'an info line' });
    // Held back behind the big message, so the log keeps the wire's order.
    assert.equal(out.length, 1);
    await until(5);
    decoding.dispose();
    const [first, second, third, fourth, fifth] = out;
    assert.ok('entry' in first && first.entry.decoded?.json === JSON.stringify({ first: true }, null, 2));
    assert.ok('entry' in second);
    assert.equal(second.entry.decoded?.error, undefined);
    assert.deepEqual(JSON.parse(second.entry.decoded?.json ?? 'null'), big);
    // The raw bytes are kept as they were.
    assert.equal(second.entry.payload?.kind === 'binary' && second.entry.payload.base64, Buffer.from(bigBytes).toString('base64'));
    assert.deepEqual(third, { text: 'after the big one' });
    assert.ok('entry' in fourth && fourth.entry.decoded?.json === JSON.stringify({ last: true }, null, 2));
    assert.ok('entry' in fifth && fifth.entry.detail === 'an info line');
  });

  it('gives the worker the .proto type, and a bad message there says where, as on the host', async () => {
    const loaded = await loadDecoder({ as: 'protobuf', proto: 'feed.proto', type: 'feed.v1.Tick' }, [path.join(root, 'test/fixtures/proto')]);
    if (!loaded.ok) assert.fail(loaded.error);
    const tick = encoded({ symbol: 'X'.repeat(100_000), price: 1.5 }, loaded.decoder);
    const bad = Buffer.concat([Buffer.from(tick), Buffer.from([0x0a, 0x05, 0x41])]);
    const { decoding, out, until } = collecting(loaded.decoder, { inlineBytes: 1024 });
    decoding.entry(binaryEntry(tick));
    decoding.entry(binaryEntry(bad));
    await until(2);
    decoding.dispose();
    const inline = (bytes: Uint8Array) => withDecoded(binaryEntry(bytes), loaded.decoder).decoded;
    assert.ok('entry' in out[0] && 'entry' in out[1]);
    assert.deepEqual(out[0].entry.decoded, inline(tick));
    assert.match(out[0].entry.decoded?.json ?? '', /"price": 1\.5/);
    assert.deepEqual(out[1].entry.decoded, inline(bad));
    assert.match(out[1].entry.decoded?.error ?? '', /^Not a valid feed\.v1\.Tick message at byte \d+/);
  });

  it('keeps the event loop free while 15 MiB decode, and skips 64 MiB at once with the reason', async () => {
    const decoder: BinaryDecoder = { as: 'msgpack' };
    const records = Array.from({ length: 380_000 }, (_, i) => ({ id: i, symbol: `SYM${i % 5000}`, price: i / 7, open: i % 2 === 0 }));
    const large = binaryEntry(encoded(records, decoder));
    assert.ok(large.size > 15 * 1024 * 1024 && large.size <= MAX_DECODE_BYTES, String(large.size));
    const huge = binaryEntry(new Uint8Array(64 * 1024 * 1024));
    const { decoding, out, until } = collecting(decoder);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    // Timer drift as a second witness: a 20 ms interval that fires late means a blocked loop.
    let worstDrift = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstDrift = Math.max(worstDrift, now - last - 20);
      last = now;
    }, 20);
    delay.enable();
    const started = performance.now();
    decoding.entry(large);
    const handedOverMs = performance.now() - started;
    decoding.entry(huge);
    await until(2);
    const totalMs = performance.now() - started;
    delay.disable();
    clearInterval(timer);
    decoding.dispose();
    const maxMs = delay.max / 1e6;
    // The same message decoded on this thread, for the measure of what the worker saves.
    const inlineStarted = performance.now();
    const inline = withDecoded(large, decoder);
    const inlineMs = performance.now() - inlineStarted;
    console.log(
      `# 15.8 MiB decoded in the worker in ${totalMs.toFixed(0)} ms; the loop's longest block ${maxMs.toFixed(0)} ms (timer drift ${worstDrift.toFixed(0)} ms), handing over took ${handedOverMs.toFixed(0)} ms; decoded here it blocks for ${inlineMs.toFixed(0)} ms`,
    );
    assert.ok('entry' in out[0] && 'entry' in out[1]);
    assert.equal(out[0].entry.decoded?.error, undefined);
    assert.ok(out[0].entry.decoded?.json?.includes('"symbol": "SYM4999"'));
    assert.equal(out[1].entry.decoded?.error, `Not decoded: the message has ${huge.size} bytes, more than the decoder's limit of ${MAX_DECODE_BYTES}`);
    assert.equal(out[0].entry.decoded?.json, inline.decoded?.json);
    // What is left on this thread is copying the texts across. Measured against decoding here
    // (about a second on a quiet machine, more under load) so that a busy machine slows both.
    const worst = Math.max(maxMs, worstDrift);
    assert.ok(worst < inlineMs / 2, `the event loop was blocked for ${worst.toFixed(0)} ms; decoding here takes ${inlineMs.toFixed(0)} ms`);
  });

  it('a worker that dies leaves a note on the waiting entries and their raw bytes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsd-decode-'));
    try {
      const dying = path.join(dir, 'dying.js');
      await writeFile(dying, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
      const { decoding, out, until } = collecting({ as: 'cbor' }, { inlineBytes: 4, workerFile: dying });
      const bytes = encoded({ hello: 'world' }, { as: 'cbor' });
      decoding.entry(binaryEntry(bytes));
      decoding.text(Date.now(), Buffer.from('behind it'));
      await until(2);
      assert.ok('entry' in out[0]);
      assert.equal(out[0].entry.decoded?.error, 'Not decoded: the decode worker stopped: it exited with code 3');
      assert.equal(out[0].entry.payload?.kind === 'binary' && out[0].entry.payload.base64, Buffer.from(bytes).toString('base64'));
      assert.deepEqual(out[1], { text: 'behind it' });
      decoding.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('closing the panel lets nothing wait: the entries go out with a note', () => {
    const { decoding, out } = collecting({ as: 'msgpack' }, { inlineBytes: 4 });
    decoding.entry(binaryEntry(encoded([1, 2, 3], { as: 'msgpack' })));
    decoding.text(Date.now(), Buffer.from('x'));
    decoding.dispose();
    assert.equal(out.length, 2);
    assert.ok('entry' in out[0] && out[0].entry.decoded?.error === 'Not decoded: the panel was closing');
    // A flow's connection says so in its own words.
    const flow = collecting({ as: 'msgpack' }, { inlineBytes: 4, closing: 'flow connection' });
    flow.decoding.entry(binaryEntry(encoded([1, 2, 3], { as: 'msgpack' })));
    flow.decoding.dispose();
    assert.ok('entry' in flow.out[0] && flow.out[0].entry.decoded?.error === 'Not decoded: the flow connection was closing');
  });

  it('counts the bytes to decode: binary payloads and Socket.IO binary arguments within the limit', () => {
    const base64 = Buffer.alloc(3000).toString('base64');
    assert.equal(bytesToDecode(binaryEntry(new Uint8Array(3000)), MAX_DECODE_BYTES), 3000);
    assert.equal(bytesToDecode(binaryEntry(new Uint8Array(3000)), 1000), 0);
    assert.equal(bytesToDecode({ time: 0, kind: 'message', direction: 'received', frame: 'text', size: 1, payload: { kind: 'text', text: 'a' } }, MAX_DECODE_BYTES), 0);
    const event: Entry = {
      time: 0,
      kind: 'event',
      direction: 'received',
      size: 6000,
      event: { name: 'tick', args: [{ kind: 'binary', base64 }, { kind: 'text', text: '1' }, { kind: 'binary', base64 }] },
    };
    assert.equal(bytesToDecode(event, MAX_DECODE_BYTES), 6000);
  });
});
