// Decode binary as: a panel connected with MessagePack decoding to the Python `websockets` server,
// whose `msgpack?` reply is written by Debian's python3-msgpack (an encoder we did not write).
// The message opens in the Decoded view (JSON), keeps its bytes (Hex), is found by the log filter
// through its decoded content, a message that is not MessagePack says why, Send as MessagePack
// encodes a JSON document (which python3-msgpack reads back), and Protobuf without a .proto type
// is refused next to the message.
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { assertText, descriptionOf, entryById, eventually, openConnectionOptions, openEmptyPanel, received, selectEntry, sendText, textOf, WAIT } from '../panel.mjs';
import { resetWorkbench, runCommand } from '../workbench.mjs';

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
