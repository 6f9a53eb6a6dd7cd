import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodecError,
  MAX_RENDERED_HEX_BYTES,
  decodeBase64,
  defaultShowAs,
  encodeBase64,
  encodeBody,
  formatHex,
  hexDump,
  parseHex,
  payloadBytes,
  payloadFromBytes,
  payloadFromText,
  renderPayload,
  utf8ByteLength,
  utf8Decode,
  utf8Encode,
} from '../../src/shared/codecs';

const bytes = (...values: number[]) => new Uint8Array(values);

function codecError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CodecError, `expected a CodecError, got ${String(err)}`);
    assert.ok(err instanceof Error);
    return err.message;
  }
  assert.fail('expected a CodecError');
}

describe('UTF-8', () => {
  test('encodes and decodes multi-byte text', () => {
    assert.deepEqual(utf8Encode('aé€😀'), bytes(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80));
    assert.equal(utf8Decode(bytes(0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80)), 'aé€😀');
  });

  test('invalid sequences decode to U+FFFD without throwing', () => {
    assert.equal(utf8Decode(bytes(0x61, 0xff, 0x62)), 'a\ufffdb');
    assert.equal(utf8Decode(bytes(0xc3)), '\ufffd'); // truncated sequence
    assert.equal(utf8Decode(bytes(0xed, 0xa0, 0x80)), '\ufffd\ufffd\ufffd'); // encoded surrogate
  });

  test('a leading BOM is kept, not silently stripped', () => {
    assert.equal(utf8Decode(bytes(0xef, 0xbb, 0xbf, 0x41)), '\ufeffA');
  });

  test('utf8ByteLength agrees with the encoder, lone surrogates included', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a😀é€', '\ud800', 'x\udc00y', '\ud83d', '\ud83d\ud83d\ude00']) {
      assert.equal(utf8ByteLength(text), utf8Encode(text).length, JSON.stringify(text));
    }
    assert.equal(utf8ByteLength('😀'), 4);
    assert.equal(utf8ByteLength('\ud800'), 3);
  });
});

describe('parseHex', () => {
  test('reads the usual ways of writing bytes', () => {
    const deadbeef = bytes(0xde, 0xad, 0xbe, 0xef);
    for (const input of ['de ad be ef', 'DEADBEEF', 'de:ad:be:ef', '0xde 0xad 0xbe 0xef', 'de,ad,be,ef', 'de, ad, be, ef', 'dead\nbeef', '\tDe\r\naD  bE\tEf\n', '0XDEADBEEF']) {
      assert.deepEqual(parseHex(input), deadbeef, JSON.stringify(input));
    }
  });

  test('empty or blank input is no bytes', () => {
    assert.deepEqual(parseHex(''), new Uint8Array(0));
    assert.deepEqual(parseHex('  \n\t '), new Uint8Array(0));
  });

  test('an invalid character is named with its position', () => {
    assert.equal(codecError(() => parseHex('de ag')), 'Invalid character "g" (U+0067) at position 5: hex bytes use only 0-9 and a-f');
    assert.equal(codecError(() => parseHex('de\u0000')), 'Invalid character U+0000 at position 3: hex bytes use only 0-9 and a-f');
    assert.match(codecError(() => parseHex('de-ad')), /^Invalid character "-" \(U\+002D\) at position 3/);
    assert.match(codecError(() => parseHex('de0xad')), /^Invalid character "x" \(U\+0078\) at position 4/);
  });

  test('an odd number of digits is refused, per group', () => {
    assert.equal(codecError(() => parseHex('abc')), '"abc" at position 1 has an odd number of hex digits (3); each byte needs two');
    assert.equal(codecError(() => parseHex('de a dbe')), '"a" at position 4 has an odd number of hex digits (1); each byte needs two');
    assert.match(codecError(() => parseHex('0x1')), /^"0x1" at position 1 has an odd number/);
  });

  test('a bare 0x prefix is refused', () => {
    assert.equal(codecError(() => parseHex('de 0x')), '"0x" at position 4 has no hex digits');
  });

  test('round-trips with formatHex', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    assert.deepEqual(parseHex(formatHex(all)), all);
  });
});

describe('formatHex', () => {
  test('lowercase pairs separated by spaces', () => {
    assert.equal(formatHex(bytes(0xde, 0xad, 0x00, 0x0f)), 'de ad 00 0f');
    assert.equal(formatHex(new Uint8Array(0)), '');
  });
});

describe('base64', () => {
  test('encodes with padding (RFC 4648 test vectors)', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) {
      assert.equal(encodeBase64(utf8Encode(plain)), encoded);
      assert.equal(utf8Decode(decodeBase64(encoded)), plain);
    }
  });

  test('agrees with btoa for every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    assert.equal(encodeBase64(all), btoa(String.fromCharCode(...all)));
    assert.deepEqual(decodeBase64(encodeBase64(all)), all);
  });

  test('padding is optional, whitespace ignored, URL-safe alphabet accepted', () => {
    assert.deepEqual(decodeBase64('Zg'), utf8Encode('f'));
    assert.deepEqual(decodeBase64('Zm8'), utf8Encode('fo'));
    assert.deepEqual(decodeBase64(' Zm9v\nYmFy\r\n\t'), utf8Encode('foobar'));
    assert.deepEqual(decodeBase64('-_8='), bytes(0xfb, 0xff));
    assert.deepEqual(decodeBase64('+/8='), bytes(0xfb, 0xff));
    assert.deepEqual(decodeBase64('-_8'), bytes(0xfb, 0xff));
    assert.deepEqual(decodeBase64('Zg = ='), utf8Encode('f'));
    assert.deepEqual(decodeBase64('   '), new Uint8Array(0));
  });

  test('invalid characters are named with their position', () => {
    assert.equal(codecError(() => decodeBase64('Zm9v!')), 'Invalid character "!" (U+0021) at position 5 in base64');
    assert.equal(codecError(() => decodeBase64('Zm9vé')), 'Invalid character "é" (U+00E9) at position 5 in base64');
    assert.equal(codecError(() => decodeBase64('Zm\u00009v')), 'Invalid character U+0000 at position 3 in base64');
  });

  test('wrong padding, a lone last character and mixed alphabets are refused', () => {
    assert.equal(codecError(() => decodeBase64('Zg=')), 'Base64 padding is wrong: 1 "=" after 2 characters');
    assert.equal(codecError(() => decodeBase64('Zm9v=')), 'Base64 padding is wrong: 1 "=" after 4 characters');
    assert.equal(codecError(() => decodeBase64('Zm8==')), 'Base64 padding is wrong: 2 "=" after 3 characters');
    assert.equal(codecError(() => decodeBase64('====')), 'Base64 padding is wrong: 4 "=" after 0 characters');
    assert.equal(codecError(() => decodeBase64('Zg==Zg==')), 'Base64 data continues after the "=" padding at position 3');
    assert.match(codecError(() => decodeBase64('Zm9vY')), /^Base64 length is wrong: the last group has a single character/);
    assert.equal(codecError(() => decodeBase64('+-AA')), 'Base64 mixes the standard (+/) and URL-safe (-_) alphabets (positions 1 and 2)');
  });

  test('multi-megabyte payloads round-trip quickly', () => {
    const big = new Uint8Array(8 * 1024 * 1024 + 1);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
    const started = performance.now();
    const encoded = encodeBase64(big);
    const decoded = decodeBase64(encoded);
    const elapsed = performance.now() - started;
    assert.equal(encoded.length, Math.ceil(big.length / 3) * 4);
    assert.deepEqual(decoded, big);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
  });
});

describe('hexDump', () => {
  test('a full line has offset, two groups of 8 and the ASCII column', () => {
    const line = bytes(0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x61, 0x62, 0x20, 0x7e, 0x7f, 0x80);
    assert.equal(hexDump(line), '00000000  de ad be ef 00 01 02 03  04 05 61 62 20 7e 7f 80  |..........ab ~..|');
  });

  test('a short last line is padded so the ASCII column lines up', () => {
    const data = utf8Encode('0123456789abcdefXYZ');
    assert.equal(
      hexDump(data),
      '00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n' +
        '00000010  58 59 5a                                          |XYZ|',
    );
    const lines = hexDump(data).split('\n');
    assert.equal(lines[0].indexOf('|'), lines[1].indexOf('|'));
    assert.equal(hexDump(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9)), '00000000  01 02 03 04 05 06 07 08  09                       |.........|');
  });

  test('nothing for no bytes', () => {
    assert.equal(hexDump(new Uint8Array(0)), '');
  });

  test('offsets count in hex', () => {
    const lines = hexDump(new Uint8Array(16 * 17)).split('\n');
    assert.equal(lines.length, 17);
    assert.ok(lines[16].startsWith('00000100  00 00'));
  });

  test('maxBytes limits the dump and says how many bytes were left out', () => {
    const data = Uint8Array.from({ length: 40 }, (_, i) => 0x41 + (i % 26));
    const lines = hexDump(data, 20).split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[1], '00000010  51 52 53 54                                       |QRST|');
    assert.equal(lines[2], '... 20 more bytes not shown');
    assert.equal(hexDump(data, 39).split('\n')[3], '... 1 more byte not shown');
    assert.equal(hexDump(data, 40), hexDump(data));
    assert.equal(hexDump(data, 100), hexDump(data));
    assert.equal(hexDump(data, 0), '... 40 more bytes not shown');
  });
});

describe('encodeBody', () => {
  test('text is sent as typed, size in UTF-8 bytes', () => {
    assert.deepEqual(encodeBody('text', 'héllo'), { ok: true, frame: 'text', text: 'héllo', size: 6 });
    assert.deepEqual(encodeBody('text', ''), { ok: true, frame: 'text', text: '', size: 0 });
  });

  test('JSON must parse and is sent exactly as typed', () => {
    const typed = '{ "id": 12345678901234567890,\n  "a": [1, 2] }';
    assert.deepEqual(encodeBody('json', typed), { ok: true, frame: 'text', text: typed, size: typed.length });
    const bad = encodeBody('json', '{"a": }');
    assert.equal(bad.ok, false);
    assert.match((bad as { error: string }).error, /^Not valid JSON: \S/);
    assert.match((encodeBody('json', '') as { error: string }).error, /^Not valid JSON: /);
  });

  test('hex and base64 become binary frames', () => {
    assert.deepEqual(encodeBody('hex', 'de ad'), { ok: true, frame: 'binary', bytes: bytes(0xde, 0xad), size: 2 });
    assert.deepEqual(encodeBody('hex', ''), { ok: true, frame: 'binary', bytes: new Uint8Array(0), size: 0 });
    assert.deepEqual(encodeBody('base64', 'Zm9v'), { ok: true, frame: 'binary', bytes: utf8Encode('foo'), size: 3 });
  });

  test('codec errors become ok:false with the codec message', () => {
    assert.deepEqual(encodeBody('hex', 'zz'), { ok: false, error: 'Invalid character "z" (U+007A) at position 1: hex bytes use only 0-9 and a-f' });
    assert.deepEqual(encodeBody('base64', 'Zm9v!'), { ok: false, error: 'Invalid character "!" (U+0021) at position 5 in base64' });
  });
});

describe('payloads', () => {
  test('bytes round-trip through a binary payload', () => {
    const data = bytes(0, 1, 0xfe, 0xff);
    const payload = payloadFromBytes(data);
    assert.deepEqual(payload, { kind: 'binary', base64: 'AAH+/w==' });
    assert.deepEqual(payloadBytes(payload), data);
  });

  test('text payloads give their UTF-8 bytes', () => {
    assert.deepEqual(payloadFromText('é'), { kind: 'text', text: 'é' });
    assert.deepEqual(payloadBytes(payloadFromText('é')), bytes(0xc3, 0xa9));
  });

  test('binary shows as hex by default, text as text', () => {
    assert.equal(defaultShowAs(payloadFromBytes(bytes(1))), 'hex');
    assert.equal(defaultShowAs(payloadFromText('x')), 'text');
  });
});

describe('renderPayload', () => {
  test('text: binary payloads are decoded as UTF-8', () => {
    assert.deepEqual(renderPayload(payloadFromText('hi'), 'text'), { text: 'hi' });
    assert.deepEqual(renderPayload(payloadFromBytes(bytes(0x68, 0xc3, 0xa9, 0xff)), 'text'), { text: 'hé\ufffd' });
  });

  test('json: pretty-printed with 2 spaces', () => {
    const rendered = renderPayload(payloadFromText('{"a":1,"b":[true,null,{"c":"x"}],"d":{},"e":[]}'), 'json');
    assert.deepEqual(rendered, {
      text: '{\n  "a": 1,\n  "b": [\n    true,\n    null,\n    {\n      "c": "x"\n    }\n  ],\n  "d": {},\n  "e": []\n}',
    });
    assert.equal(
      renderPayload(payloadFromText('{"a":1,"b":[true,null,{"c":"x"}],"d":{},"e":[]}'), 'json').text,
      JSON.stringify(JSON.parse('{"a":1,"b":[true,null,{"c":"x"}],"d":{},"e":[]}'), null, 2),
    );
  });

  test('json: shows what was received, digits, escapes and odd spacing included', () => {
    const received = ' { "big" : 12345678901234567890 , "s":"a\\"b,c:{}[]\\\\" ,"u":"\\u00e9", "n":-1.5e+10, "dup":1, "dup":2 }\n';
    assert.equal(
      renderPayload(payloadFromText(received), 'json').text,
      '{\n  "big": 12345678901234567890,\n  "s": "a\\"b,c:{}[]\\\\",\n  "u": "\\u00e9",\n  "n": -1.5e+10,\n  "dup": 1,\n  "dup": 2\n}',
    );
    assert.deepEqual(renderPayload(payloadFromText('42'), 'json'), { text: '42' });
    assert.deepEqual(renderPayload(payloadFromText('"x"'), 'json'), { text: '"x"' });
    assert.deepEqual(renderPayload(payloadFromText('[ ]'), 'json'), { text: '[]' });
  });

  test('json: binary frames holding JSON text are rendered too', () => {
    assert.deepEqual(renderPayload(payloadFromBytes(utf8Encode('[1,2]')), 'json'), { text: '[\n  1,\n  2\n]' });
  });

  test('json: invalid JSON is shown raw with a note', () => {
    const rendered = renderPayload(payloadFromText('{oops'), 'json');
    assert.equal(rendered.text, '{oops');
    assert.match(rendered.note ?? '', /^Not valid JSON: \S/);
  });

  test('hex: a hex dump of the bytes', () => {
    assert.deepEqual(renderPayload(payloadFromText('AB'), 'hex'), { text: '00000000  41 42                                             |AB|' });
  });

  test('hex: very large payloads are cut with a note', () => {
    const big = new Uint8Array(MAX_RENDERED_HEX_BYTES + 5);
    const rendered = renderPayload(payloadFromBytes(big), 'hex');
    assert.equal(rendered.note, `Showing the first ${MAX_RENDERED_HEX_BYTES} of ${MAX_RENDERED_HEX_BYTES + 5} bytes`);
    assert.ok(rendered.text.endsWith('\n... 5 more bytes not shown'));
  });

  test('base64: the bytes in standard base64', () => {
    assert.deepEqual(renderPayload(payloadFromText('foob'), 'base64'), { text: 'Zm9vYg==' });
    assert.deepEqual(renderPayload({ kind: 'binary', base64: '-_8' }, 'base64'), { text: '+/8=' });
  });
});
