// Decode binary as: a panel connected with MessagePack decoding to the Python `websockets` server,
// whose `msgpack?` reply is written by Debian's python3-msgpack (an encoder we did not write).
// The message opens in the Decoded view (JSON), keeps its bytes (Hex), is found by the log filter
// through its decoded content, a message that is not MessagePack says why, Send as MessagePack
// encodes a JSON document (which python3-msgpack reads back), and Protobuf without a .proto type
// is refused next to the message. The same for CBOR (python3-cbor2) and for Protobuf
// (python3-protobuf, with test/fixtures/proto/feed.proto and its import copied into the workspace).
import assert from 'node:assert/strict';
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '../framework.mjs';
import { assertText, descriptionOf, entryById, eventually, openConnectionOptions, openEmptyPanel, received, selectEntry, sendText, textOf, WAIT } from '../panel.mjs';
import { resetWorkbench, runCommand } from '../workbench.mjs';

const PROTO_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'proto');

const DECODED = [
  '{',
  '  "7": "seven",',
  '  "op": "tick",',
  '  "symbol": "ACME",',
  '  "price": 12.5,',
  '  "levels": [',
  '    [',
  '      12.4,',
  '      300',
  '    ]',
  '  ],',
  '  "blob": {',
  '    "$bytes": "AAE="',
  '  }',
  '}',
].join('\n');

test('MessagePack from Python opens as Decoded, keeps its bytes, filters by content; Send as MessagePack', { timeout: 120_000 }, async ({ page, py, screenshot }) => {
  try {
    const ui = await openEmptyPanel(page);
    await ui.url.fill(py.url);
    await openConnectionOptions(ui);
    await ui.view.getByRole('combobox', { name: 'Decode binary as' }).selectOption({ label: 'MessagePack' });
    await ui.connect.click();
    await assertText(ui.status, /^OPEN\b/, 'status OPEN');

    await sendText(ui, 'msgpack?');
    const first = received(ui, { frame: 'binary' }).first();
    await first.waitFor({ timeout: WAIT });
    const id = await first.getAttribute('data-entry-id');
    const entry = entryById(ui, id);
    const content = entry.locator('.entry-content');
    // A decoded message opens in the Decoded view (a JSON tree in the detail). Python wrote the
    // integer key 7 last; as a JSON object key "7" it comes first (JavaScript orders integer-like keys first).
    const detail = await selectEntry(ui, id);
    const tab = (label) => detail.getByRole('tab', { name: label, exact: true });
    assert.equal(await tab('Decoded').getAttribute('aria-selected'), 'true');
    await detail.getByRole('tree').getByRole('treeitem', { name: /^symbol: "ACME"$/ }).waitFor({ timeout: WAIT });
    assert.deepEqual(await detail.getByRole('treeitem').evaluateAll((items) => items.slice(1, 3).map((i) => i.textContent)), ['7: "seven"', 'op: "tick"']);
    await detail.getByRole('button', { name: `Open entry ${id} in an editor` }).waitFor({ state: 'attached' });
    assert.equal(await content.evaluate((el) => el.textContent), DECODED);
    await screenshot('decoders-msgpack-decoded');

    // The raw bytes are still there: 0x86 is a map of 6 entries, a2 "op" its first key.
    await tab('Hex').click();
    await assertText(content, /^00000000  86 a2 6f 70 a4 74 69 63/, 'the raw bytes as hex');
    await assertText(detail.locator('.detail-text'), /^00000000  86 a2 6f 70 a4 74 69 63/, 'the raw bytes as hex in the detail');
    await tab('Decoded').click();
    await assertText(content, /"symbol": "ACME"/, 'back to Decoded');

    // Open in an editor shows the decoded JSON, which the editor folds as a tree.
    await detail.getByRole('button', { name: `Open entry ${id} in an editor` }).click();
    try {
      await page.locator('.tabs-container .tab', { hasText: `entry-${id}.json` }).first().waitFor({ timeout: WAIT });
      await eventually(
        () => page.locator('.editor-instance .monaco-editor .view-lines').first().textContent().catch(() => ''),
        (text) => text.replace(/\u00a0/g, ' ').includes('"symbol": "ACME"'),
        'the decoded JSON in an editor',
      );
    } finally {
      await runCommand(page, 'View: Close Editor');
    }

    // The filter finds the binary message by its decoded content.
    const filter = ui.view.getByRole('searchbox', { name: 'Filter log' });
    await filter.fill('"symbol": "ACME"');
    await eventually(() => ui.entries.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-entry-id'))), (ids) => ids.length === 1 && ids[0] === id, 'only the decoded message passes the filter');
    await filter.fill('');

    // Bytes that are not one MessagePack value: the reason, with the offset, and the bytes as hex.
    await sendText(ui, 'binary?');
    const bad = received(ui, { frame: 'binary' }).nth(1);
    await bad.waitFor({ timeout: WAIT });
    await assertText(bad.locator('.note'), /Not valid MessagePack at byte 1: expected the end of the message \(the MessagePack value ends here, 6 more bytes follow\)/, 'why it is not decoded');
    await assertText(bad.locator('.entry-content'), /^00000000  00 01 02 7f 80 fe ff/, 'its bytes as hex');

    // Send as MessagePack: the JSON document goes out as one binary message; the server echoes it.
    await ui.sendAs.selectOption({ label: 'MessagePack' });
    await ui.message.fill('{"op":"subscribe","symbols":["ACME","INIT"],"depth":5}');
    assert.match(await descriptionOf(ui.message), /JSON document · encoded on Send · binary frame/, 'the composer says how it is sent');
    await ui.send.click();
    const echoed = received(ui, { frame: 'binary', text: '"subscribe"' }).first();
    await echoed.waitFor({ timeout: WAIT });
    await assertText(echoed.locator('.entry-content'), /"symbols": \[\s+"ACME",\s+"INIT"\s+\],\s+"depth": 5/, 'the echo decoded');
    await assertText(echoed.locator('.entry-size'), /^40 B$/, 'the MessagePack size (the JSON text has 55 bytes)');

    // What we encode, Python's msgpack reads back: the server answers with the JSON it decoded.
    await sendText(ui, 'unpack msgpack');
    await received(ui, { frame: 'text', text: 'unpacking msgpack' }).first().waitFor({ timeout: WAIT });
    await ui.sendAs.selectOption({ label: 'MessagePack' });
    await ui.message.fill('{"op":"order","qty":{"$bigint":"18446744073709551615"},"note":"ü€","raw":{"$bytes":"AP8="}}');
    await ui.send.click();
    await received(ui, { frame: 'text', text: '"op":"order"' }).first().waitFor({ timeout: WAIT });
    assert.equal(
      await textOf(received(ui, { frame: 'text', text: '"op":"order"' }).first().locator('.entry-content')),
      '{"op":"order","qty":18446744073709551615,"note":"\\u00fc\\u20ac","raw":{"$bytes":"AP8="}}',
    );

    // A JSON mistake is shown before sending; Protobuf needs the endpoint's .proto type.
    await ui.message.fill('{"op":');
    await eventually(() => descriptionOf(ui.message), (d) => /JSON/.test(d), 'the JSON mistake next to the message');
    await ui.sendAs.selectOption({ label: 'Protobuf' });
    await ui.message.fill('{"symbol":"ACME"}');
    await ui.send.click();
    await eventually(() => descriptionOf(ui.message), (d) => /Send as Protobuf needs the endpoint's Decode binary as set to Protobuf/.test(d), 'the Protobuf refusal next to the message');
    await screenshot('decoders-send-as');
    assert.equal(await textOf(ui.status).then((s) => /^OPEN\b/.test(s)), true);

  } finally {
    await resetWorkbench(page);
  }
});

/**
 * An empty panel connected to the Python server with Decode binary as `label`; `fill` fills the
 * Decoding fields that follow the choice (the .proto file and message type).
 */
async function connectDecoding(page, py, label, fill = async () => {}) {
  const ui = await openEmptyPanel(page);
  await ui.url.fill(py.url);
  const options = await openConnectionOptions(ui);
  await options.getByRole('combobox', { name: 'Decode binary as' }).selectOption({ label });
  await fill(options);
  await ui.connect.click();
  await assertText(ui.status, /^OPEN\b/, 'status OPEN');
  return ui;
}

/** Sends `request` and returns the binary reply's entry id, its row and the detail pane showing it. */
async function binaryReply(ui, request, nth) {
  await sendText(ui, request);
  const row = received(ui, { frame: 'binary' }).nth(nth);
  await row.waitFor({ timeout: WAIT });
  const id = await row.getAttribute('data-entry-id');
  const detail = await selectEntry(ui, id);
  return { id, row: entryById(ui, id), detail };
}

/** Turns on `unpack <kind>` in py_echo.py, sends `document` as `label` and returns Python's JSON reply. */
async function pythonReads(ui, kind, label, document, marker) {
  await sendText(ui, `unpack ${kind}`);
  await received(ui, { frame: 'text', text: `unpacking ${kind}` }).first().waitFor({ timeout: WAIT });
  await ui.sendAs.selectOption({ label });
  await ui.message.fill(document);
  await ui.send.click();
  const reply = received(ui, { frame: 'text', text: marker }).first();
  await reply.waitFor({ timeout: WAIT });
  return textOf(reply.locator('.entry-content'));
}

test('CBOR from Python opens as Decoded with its values and bytes; Send as CBOR is read back by Python', { timeout: 120_000 }, async ({ page, py, screenshot }) => {
  try {
    const ui = await connectDecoding(page, py, 'CBOR');

    // python3-cbor2 wrote the map with the integer key 7 and a 64-bit integer past 2^53.
    const { id, row, detail } = await binaryReply(ui, 'cbor?', 0);
    const tab = (label) => detail.getByRole('tab', { name: label, exact: true });
    assert.equal(await tab('Decoded').getAttribute('aria-selected'), 'true');
    const tree = detail.getByRole('tree');
    await tree.getByRole('treeitem', { name: /^symbol: "ACME"$/ }).waitFor({ timeout: WAIT });
    assert.deepEqual(await tree.getByRole('treeitem').evaluateAll((items) => items.slice(1, 5).map((i) => i.textContent)), ['7: "seven"', 'op: "tick"', 'symbol: "ACME"', 'price: 12.5']);
    assert.deepEqual(JSON.parse(await textOf(row.locator('.entry-content'))), {
      7: 'seven',
      op: 'tick',
      symbol: 'ACME',
      price: 12.5,
      levels: [[12.4, 300]],
      blob: { $bytes: 'AAE=' },
      big: { $bigint: '18446744073709551615' },
    });
    await screenshot('decoders-cbor-decoded');

    // The raw bytes: a7 is a map of 7 pairs, 62 6f 70 the text "op".
    await tab('Hex').click();
    await assertText(detail.locator('.detail-text'), /^00000000  a7 62 6f 70 64 74 69 63/, 'the CBOR bytes as hex');
    await tab('Decoded').click();

    // The filter finds it by the decoded bignum.
    const filter = ui.view.getByRole('searchbox', { name: 'Filter log' });
    await filter.fill('"$bigint": "18446744073709551615"');
    await eventually(() => ui.entries.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-entry-id'))), (ids) => ids.length === 1 && ids[0] === id, 'only the CBOR message passes the filter');
    await filter.fill('');

    // Send as CBOR: one binary frame, echoed and decoded again.
    await ui.sendAs.selectOption({ label: 'CBOR' });
    await ui.message.fill('{"op":"subscribe","symbols":["ACME","INIT"],"depth":5}');
    assert.match(await descriptionOf(ui.message), /JSON document · encoded on Send · binary frame/);
    await ui.send.click();
    const echoed = received(ui, { frame: 'binary', text: '"subscribe"' }).first();
    await echoed.waitFor({ timeout: WAIT });
    assert.deepEqual(JSON.parse(await textOf(echoed.locator('.entry-content'))), { op: 'subscribe', symbols: ['ACME', 'INIT'], depth: 5 });
    await assertText(echoed.locator('.entry-size'), /^40 B$/, 'the CBOR size (the JSON text has 55 bytes)');

    // What we encode, python3-cbor2 reads back: the server answers with the JSON it decoded.
    const reply = await pythonReads(ui, 'cbor', 'CBOR',
      '{"op":"order","qty":{"$bigint":"18446744073709551615"},"px":-0.5,"n":-3,"ok":true,"none":null,"note":"ü€","raw":{"$bytes":"AP8="},"legs":[1,[2,"x"]]}',
      '"op":"order"');
    assert.equal(reply, '{"op":"order","qty":18446744073709551615,"px":-0.5,"n":-3,"ok":true,"none":null,"note":"\\u00fc\\u20ac","raw":{"$bytes":"AP8="},"legs":[1,[2,"x"]]}');
    await screenshot('decoders-cbor-send-as');
  } finally {
    await resetWorkbench(page);
  }
});

test('Protobuf from Python opens as Decoded through the workspace .proto; Send as Protobuf is checked and read back by Python', { timeout: 120_000 }, async ({ page, py, workspace, screenshot }) => {
  // feed.proto imports common.proto from its own folder; the panel looks a relative path up in the workspace folder.
  const protoDir = path.join(workspace, 'proto');
  await cp(PROTO_FIXTURES, protoDir, { recursive: true });
  try {
    const ui = await connectDecoding(page, py, 'Protobuf', async (options) => {
      await options.getByRole('textbox', { name: '.proto file' }).fill('proto/feed.proto');
      await options.getByRole('textbox', { name: 'Message type' }).fill('feed.v1.Tick');
    });

    // python3-protobuf serialized a feed.v1.Tick: the proto3 JSON mapping with the .proto field
    // names, int64 as a decimal string, the enum by name, bytes as base64, the imported Venue.
    const { id, row, detail } = await binaryReply(ui, 'protobuf?', 0);
    const tab = (label) => detail.getByRole('tab', { name: label, exact: true });
    assert.equal(await tab('Decoded').getAttribute('aria-selected'), 'true');
    const tree = detail.getByRole('tree');
    await tree.getByRole('treeitem', { name: /^volume: "1099511627776"$/ }).waitFor({ timeout: WAIT });
    assert.deepEqual(await tree.getByRole('treeitem').evaluateAll((items) => items.slice(1, 5).map((i) => i.textContent)), ['symbol: "ACME"', 'price: 12.5', 'volume: "1099511627776"', 'side: "SELL"']);
    assert.deepEqual(JSON.parse(await textOf(row.locator('.entry-content'))), {
      symbol: 'ACME',
      price: 12.5,
      volume: '1099511627776',
      side: 'SELL',
      levels: [{ price: 12.4, size: 300 }],
      tags: { desk: 'eq' },
      raw: 'AAE=',
      venue: { name: 'XNAS', open: true },
    });
    await screenshot('decoders-protobuf-decoded');

    // The raw bytes: field 1 (symbol), length 4, "ACME".
    await tab('Hex').click();
    await assertText(detail.locator('.detail-text'), /^00000000  0a 04 41 43 4d 45 11/, 'the Protobuf bytes as hex');
    await tab('Decoded').click();

    const filter = ui.view.getByRole('searchbox', { name: 'Filter log' });
    await filter.fill('"side": "SELL"');
    await eventually(() => ui.entries.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-entry-id'))), (ids) => ids.length === 1 && ids[0] === id, 'only the Protobuf message passes the filter');
    await filter.fill('');

    // Send as Protobuf checks the document against feed.v1.Tick first: nothing goes out.
    const sentCount = () => ui.entries.filter({ has: ui.view.locator('.entry-direction', { hasText: /^sent$/ }) }).count();
    const sentBefore = await sentCount();
    await ui.sendAs.selectOption({ label: 'Protobuf' });
    await ui.message.fill('{"symbl":"ACME"}');
    await ui.send.click();
    await eventually(() => descriptionOf(ui.message), (d) => d.includes('$.symbl: feed.v1.Tick has no field "symbl" (its fields: symbol, price, volume, side, levels, tags, raw, venue)'), 'the unknown field named next to the message');
    await ui.message.fill('{"symbol":"ACME","levels":[{"price":1,"size":-1}]}');
    await ui.send.click();
    await eventually(() => descriptionOf(ui.message), (d) => d.includes('$.levels[0].size: expected an integer from 0 to 4294967295 (uint32), not number -1'), 'the out-of-range size named next to the message');
    assert.equal(await sentCount(), sentBefore, 'a refused document is not sent');

    // A valid document goes out as one binary frame; the echo decodes to it (defaults left out).
    await ui.message.fill('{"symbol":"ECHO","side":"BUY","venue":{"name":"XLON","open":false}}');
    await ui.send.click();
    const echoed = received(ui, { frame: 'binary', text: '"ECHO"' }).first();
    await echoed.waitFor({ timeout: WAIT });
    assert.deepEqual(JSON.parse(await textOf(echoed.locator('.entry-content'))), { symbol: 'ECHO', side: 'BUY', venue: { name: 'XLON' } });

    // What we encode, python3-protobuf parses as a feed.v1.Tick: its MessageToDict, field by field.
    const reply = await pythonReads(ui, 'protobuf', 'Protobuf',
      '{"symbol":"INIT","price":1.5,"volume":"-9007199254740993","side":"BUY","levels":[{"price":1.25,"size":7},{"price":0.5,"size":4294967295}],"tags":{"k":"v"},"raw":"AP8=","venue":{"name":"XLON","open":false}}',
      '"symbol":"INIT"');
    assert.deepEqual(JSON.parse(reply), {
      symbol: 'INIT',
      price: 1.5,
      volume: '-9007199254740993',
      side: 'BUY',
      levels: [{ price: 1.25, size: 7 }, { price: 0.5, size: 4294967295 }],
      tags: { k: 'v' },
      raw: 'AP8=',
      venue: { name: 'XLON' },
    });
    await screenshot('decoders-protobuf-send-as');
  } finally {
    await resetWorkbench(page);
    await rm(protoDir, { recursive: true, force: true });
  }
});
