// Our decoders against implementations we did not write: Debian's python3-msgpack, python3-cbor2
// and python3-protobuf (test/fixtures/py_decoders.py). What Python encodes decodes here to the
// same JSON, and what we encode decodes there to the document we started from.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { decodeBinary, encodeValue, type BinaryDecoder } from '../../src/core/decoders/binaryCodec';
import { loadDecoder } from '../../src/core/decoders/entryDecoder';

const root = path.resolve(__dirname, '../../..');
const PYTHON = '/usr/bin/python3';

type Case = { op: 'encode'; as: string; value?: unknown; sample?: string } | { op: 'decode'; as: string; hex: string };
type Result = { hex?: string; value?: unknown; error?: string };

/** Runs every case in one Python process (its start-up is most of the cost). */
function python(cases: Case[]): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [path.join(root, 'test/fixtures/py_decoders.py')], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`py_decoders.py failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as Result[]);
    });
    child.stdin?.end(JSON.stringify(cases));
  });
}

function ours(hex: string, decoder: BinaryDecoder): unknown {
  const result = decodeBinary(Uint8Array.from(Buffer.from(hex, 'hex')), decoder);
  if (!result.ok) assert.fail(result.error);
  return result.value;
}

function encoded(value: unknown, decoder: BinaryDecoder): string {
  const result = encodeValue(value, decoder);
  if (!result.ok) assert.fail(result.error);
  return Buffer.from(result.bytes).toString('hex');
}

/** Values both sides can write: strings, numbers, bytes, big integers, nesting, unicode. */
const DOCUMENTS: unknown[] = [
  { id: 7, name: 'ticker', ok: true, none: null, ratio: 0.125, neg: -42 },
  [1, [2, [3, []]], {}, '', 'ü€𝄞'],
  { blob: { $bytes: 'AAECA/7/' }, big: { $bigint: '18446744073709551615' }, small: { $bigint: '-9223372036854775808' } },
  { nested: { deep: { list: Array.from({ length: 40 }, (_, i) => ({ i, s: 'x'.repeat(i) })) } } },
];

/** Proto3 leaves default values off the wire and out of the JSON, on both sides: `levels: [{}]`. */
const TICKS: unknown[] = [
  { symbol: 'ACME', price: 12.5, volume: '9007199254740993', side: 'SELL', levels: [{ price: 12.4, size: 300 }, { price: 12.3, size: 7 }], tags: { venue: 'x', k: 'v' }, raw: 'AAH/', venue: { name: 'XNYS', open: true } },
  { symbol: 'ZERO' },
  { side: 'BUY', volume: '-5', levels: [{}] },
];

describe('decoders against Python msgpack, cbor2 and protobuf', () => {
  let tick: BinaryDecoder;
  before(async () => {
    const loaded = await loadDecoder({ as: 'protobuf', proto: 'feed.proto', type: 'feed.v1.Tick' }, [path.join(root, 'test/fixtures/proto')]);
    if (!loaded.ok) assert.fail(loaded.error);
    tick = loaded.decoder;
  });

  for (const as of ['msgpack', 'cbor'] as const) {
    it(`${as}: Python's encoding decodes here, ours decodes in Python`, async () => {
      const results = await python([
        ...DOCUMENTS.map((value): Case => ({ op: 'encode', as, value })),
        ...DOCUMENTS.map((value): Case => ({ op: 'decode', as, hex: encoded(value, { as }) })),
      ]);
      for (const [i, value] of DOCUMENTS.entries()) {
        const fromPython = results[i]!;
        assert.equal(fromPython.error, undefined);
        assert.deepEqual(ours(fromPython.hex!, { as }), value, `document ${i} encoded by Python`);
        const back = results[DOCUMENTS.length + i]!;
        assert.equal(back.error, undefined);
        assert.deepEqual(back.value, value, `document ${i} encoded by us, decoded by Python`);
      }
    });
  }

  it("msgpack: Python's integer keys, extension types and 64-bit extremes", async () => {
    const [sample] = await python([{ op: 'encode', as: 'msgpack', sample: 'msgpack' }]);
    assert.deepEqual(ours(sample!.hex!, { as: 'msgpack' }), {
      id: 7,
      tags: ['a', 'b'],
      ratio: 0.25,
      blob: { $bytes: 'AP8=' },
      1: 'one',
      big: { $bigint: '18446744073709551615' },
      neg: { $bigint: '-9223372036854775808' },
      ext: { $ext: 5, data: 'AQI=' },
      none: null,
      yes: true,
    });
  });

  it("cbor: Python's integer keys, bignums and unknown tags", async () => {
    const [sample] = await python([{ op: 'encode', as: 'cbor', sample: 'cbor' }]);
    assert.deepEqual(ours(sample!.hex!, { as: 'cbor' }), {
      id: 7,
      tags: ['a', 'b'],
      ratio: 0.25,
      blob: { $bytes: 'AP8=' },
      1: 'one',
      big: { $bigint: '18446744073709551615' },
      huge: { $bigint: String(2n ** 70n) },
      tagged: { $tag: 4000, value: 'x' },
      none: null,
      yes: true,
    });
  });

  it("protobuf: Google's runtime and protobufjs read each other's feed.v1.Tick", async () => {
    const results = await python([
      ...TICKS.map((value): Case => ({ op: 'encode', as: 'protobuf', value })),
      ...TICKS.map((value): Case => ({ op: 'decode', as: 'protobuf', hex: encoded(value, tick) })),
    ]);
    for (const [i, value] of TICKS.entries()) {
      const fromPython = results[i]!;
      assert.equal(fromPython.error, undefined);
      assert.deepEqual(ours(fromPython.hex!, tick), value, `tick ${i} encoded by Python`);
      const back = results[TICKS.length + i]!;
      assert.equal(back.error, undefined);
      assert.deepEqual(back.value, value, `tick ${i} encoded by us, decoded by Python`);
    }
  });
});

