// Frames as a user sees them: Show as (per entry and panel-wide), ping/pong, the close form's
// rules (refused codes, advanced codes, over-long reasons), clean closes from either side, and
// sending after the connection has closed. Peers: the Python `websockets` server (`py`, an
// implementation independent of our client) and a `ws` server started here that also records
// what arrived on the server side (messages and Close frames).
import assert from 'node:assert/strict';
import { test } from '../framework.mjs';
import { assertText, connectTo as connect, descriptionOf, entryById as byId, eventually, received, selectEntry, sendText, showEntryAs, stateFields, textOf, WAIT } from '../panel.mjs';
import { startWsEchoServer as startRecordingServer } from '../servers.mjs';
import { resetWorkbench } from '../workbench.mjs';

/**
 * Proves the connection still works end to end: a unique message goes to the server and comes
 * back. After a refused action this replaces "wait a while and see nothing happened".
 */
async function roundTrip(ui, label) {
  const text = `still open ${label} ${Date.now()}`;
  await sendText(ui, text);
  await received(ui, { frame: 'text', text }).first().waitFor({ timeout: WAIT });
}

/**
 * Runs `steps(ui, server)` on a panel connected to a fresh recording server (one that keeps
 * the Close frames it received); afterwards, pass or fail, closes the panels and stops it.
 */
async function withRecordingServer(page, steps) {
  const server = await startRecordingServer();
  try {
    await steps(await connect(page, server.url), server);
  } finally {
    await resetWorkbench(page);
    await server.close();
  }
}

// ------------------------------------------------------------------------------------------

test('Show as: binary defaults to Hex, per-entry and panel-wide Show as, pretty JSON', { timeout: 120_000 }, async ({ page, py, screenshot }) => {
  const ui = await connect(page, py.url);

  await sendText(ui, 'binary?');
  await received(ui, { frame: 'binary' }).first().waitFor({ timeout: WAIT });
  const id = await received(ui, { frame: 'binary' }).first().getAttribute('data-entry-id');
  const binary = byId(ui, id);
  assert.match(await textOf(binary.locator('.entry-size')), /^7 B$/);
  const content = binary.locator('.entry-content');
  const note = binary.locator('.note');
  // The entry's own Show as is the tab picked in the Message detail pane; its row follows it.
  const detail = await selectEntry(ui, id);
  const tab = (label) => detail.getByRole('tab', { name: label, exact: true });
  const detailText = detail.locator('.detail-text');
  const detailNote = detail.locator('.detail-note');

  // Binary opens as a hex dump: offset, the bytes, and the ASCII column (none printable here).
  assert.equal(await tab('Hex').getAttribute('aria-selected'), 'true');
  assert.match(await textOf(content), /^00000000  00 01 02 7f 80 fe ff\s+\|\.{7}\|$/);
  assert.match(await textOf(detailText), /^00000000  00 01 02 7f 80 fe ff\s+\|\.{7}\|$/);
  await screenshot('frames-binary-hex');

  await tab('Base64').click();
  await assertText(detailText, /^AAECf4D\+\/w==$/, 'detail shown as Base64');
  await assertText(content, /^AAECf4D\+\/w==$/, 'entry shown as Base64');

  // As text, the invalid UTF-8 bytes 80 fe ff become U+FFFD and the controls show as control pictures; no JSON note.
  await tab('Text').click();
  await assertText(content, /␀␁␂␡\ufffd/, 'entry shown as Text');
  assert.equal(await note.count(), 0);

  await tab('JSON tree').click();
  await assertText(detailNote, /^Not valid JSON/, 'the "Not valid JSON" note in the detail');
  await assertText(note, /^Not valid JSON/, 'the "Not valid JSON" note in the row');
  assert.ok(await detailNote.isVisible(), 'the JSON note is visible');
  await screenshot('frames-binary-not-json');

  await tab('Hex').click();
  await assertText(content, /^00000000  00 01 02 7f 80 fe ff/, 'entry back to Hex');
  await eventually(() => note.count(), (n) => n === 0, 'no note as Hex');

  // A JSON text message, echoed by the server: shown as sent until JSON is chosen.
  const json = '{"op":"tick","data":{"price":42.5,"tags":["a","b"],"ok":true,"none":null,"big":12345678901234567890}}';
  await sendText(ui, json);
  await received(ui, { frame: 'text', text: '"op"' }).first().waitFor({ timeout: WAIT });
  // Pinned by id: its text changes with Show as.
  const jsonEntry = byId(ui, await received(ui, { frame: 'text', text: '"op"' }).first().getAttribute('data-entry-id'));
  assert.equal(await textOf(jsonEntry.locator('.entry-content')), json);

  // The panel-wide Show as applies to every entry, sent and received, binary and text.
  await ui.showAs.selectOption({ label: 'JSON' });
  const pretty = [
    '{',
    '  "op": "tick",',
    '  "data": {',
    '    "price": 42.5,',
    '    "tags": [',
    '      "a",',
    '      "b"',
    '    ],',
    '    "ok": true,',
    '    "none": null,',
    '    "big": 12345678901234567890',
    '  }',
    '}',
  ].join('\n');
  await eventually(() => textOf(jsonEntry.locator('.entry-content')), (t) => t === pretty, 'pretty-printed JSON');
  await assertText(note, /^Not valid JSON/, 'the binary entry follows the panel-wide JSON');
  // The detail opens a JSON message as a tree: the root and its first level unfolded.
  const jsonDetail = await selectEntry(ui, await jsonEntry.getAttribute('data-entry-id'));
  assert.equal(await jsonDetail.getByRole('tab', { name: 'JSON tree' }).getAttribute('aria-selected'), 'true');
  const tree = jsonDetail.getByRole('tree', { name: 'JSON tree' });
  await assertText(tree.getByRole('treeitem', { name: /^data: \{5 keys\}/ }), /data/, 'the data object');
  assert.equal(await tree.getByRole('treeitem', { name: /^data: / }).getAttribute('aria-expanded'), 'true');
  assert.equal(await tree.getByRole('treeitem', { name: /^tags: / }).getAttribute('aria-expanded'), 'false');
  await screenshot('frames-show-as-json');

  // A message arriving now follows the panel-wide choice too.
  await sendText(ui, 'plain words');
  const later = received(ui, { frame: 'text', text: 'plain words' }).first();
  await later.waitFor({ timeout: WAIT });
  await assertText(later.locator('.note'), /^Not valid JSON/, 'a new non-JSON entry notes it');

  await ui.showAs.selectOption({ label: 'Base64' });
  await assertText(content, /^AAECf4D\+\/w==$/, 'binary entry follows panel-wide Base64');
  await assertText(jsonEntry.locator('.entry-content'), /^eyJvcCI6InRpY2si/, 'JSON entry follows panel-wide Base64');

  // A per-entry choice still overrides the panel-wide one for that entry only.
  await showEntryAs(ui, id, 'Hex');
  await assertText(content, /^00000000  00 01 02 7f 80 fe ff/, 'override back to Hex');
  assert.match(await textOf(jsonEntry.locator('.entry-content')), /^eyJvcCI6InRpY2si/);

  await ui.showAs.selectOption({ label: 'Hex' });
  await assertText(jsonEntry.locator('.entry-content'), /^00000000  7b 22 6f 70/, 'JSON entry as a hex dump');

  // Auto undoes the panel-wide choice: text as sent, binary as Hex, and the hint says so again.
  await ui.showAs.selectOption({ label: 'Auto' });
  await assertText(jsonEntry.locator('.entry-content'), /^\{"op":"tick"/, 'JSON entry back to its text');
  await assertText(content, /^00000000  00 01 02 7f 80 fe ff/, 'binary entry stays Hex');
  assert.match(await ui.showAs.evaluate((select) => select.selectedOptions[0]?.textContent ?? ''), /^Auto$/);
  assert.ok(await ui.view.getByText(/^Auto: decoded binary as Decoded/).isVisible(), 'the Auto hint is shown again');
  await resetWorkbench(page);
});

test('Ping with an empty payload and with "abc": the pong comes back with it', async ({ page, py, screenshot }) => {
  const ui = await connect(page, py.url);

  await ui.pingPayload.fill('');
  assert.match(await descriptionOf(ui.pingPayload), /0\/125 bytes/);
  await ui.ping.click();
  const sentPing = ui.entries.filter({ has: ui.view.locator('.entry-direction', { hasText: /^sent$/ }) })
    .filter({ has: ui.view.locator('.entry-frame', { hasText: /^ping$/ }) });
  await sentPing.first().waitFor({ timeout: WAIT });
  const pongs = received(ui, { frame: 'pong' });
  await pongs.first().waitFor({ timeout: WAIT });
  assert.match(await textOf(pongs.first().locator('.entry-size')), /^0 B$/);
  assert.equal(await textOf(pongs.first().locator('.entry-content')), '');

  await ui.pingPayload.fill('abc');
  assert.match(await descriptionOf(ui.pingPayload), /3\/125 bytes/);
  await ui.ping.click();
  await eventually(() => pongs.count(), (n) => n === 2, 'a second pong');
  const second = pongs.nth(1);
  assert.match(await textOf(second.locator('.entry-size')), /^3 B$/);
  // Control payloads are binary: a hex dump with the ASCII column showing "abc".
  assert.match(await textOf(second.locator('.entry-content')), /^00000000  61 62 63\s+\|abc\|$/);
  await showEntryAs(ui, await second.getAttribute('data-entry-id'), 'Text');
  await assertText(second.locator('.entry-content'), /^abc$/, 'pong payload as text');
  assert.equal(await sentPing.count(), 2);
  // Pings and pongs are not messages: the counters still say 0.
  assert.match(await textOf(ui.status), /sent 0 .*received 0/);
  await screenshot('frames-ping-pong');
  await resetWorkbench(page);
});

test('close code 1005 is refused next to the field; the connection stays OPEN', ({ page, screenshot }) => withRecordingServer(page, async (ui, server) => {
  await ui.closeCode.fill('1005');
  assert.match(await descriptionOf(ui.closeCode), /No Status Received/);
  await ui.close.click();

  const error = ui.view.getByRole('alert').filter({ hasText: '1005 is reserved' });
  await error.waitFor({ state: 'visible', timeout: WAIT });
  assert.match(await textOf(error), /must never be sent in a Close frame \(RFC 6455 §7\.4\.1\)/);
  // "Next to it": the field is marked invalid and described by the error.
  assert.equal(await ui.closeCode.getAttribute('aria-invalid'), 'true');
  assert.match(await descriptionOf(ui.closeCode), /1005 is reserved/);
  await screenshot('frames-close-1005-refused');

  assert.match(await textOf(ui.status), /^OPEN\b/);
  assert.equal((await stateFields(ui)).readyState, 'OPEN');
  await roundTrip(ui, '1005');
  assert.deepEqual(server.closes, [], 'the server received no Close frame');
  assert.equal(await ui.entries.filter({ hasText: /Closed/ }).count(), 0);

  // Editing the code clears the error.
  await ui.closeCode.fill('1000');
  await error.waitFor({ state: 'detached', timeout: WAIT });
  assert.equal(await ui.closeCode.getAttribute('aria-invalid'), null);
}));

test('advanced close code 1001 asks for confirmation; Cancel keeps the connection OPEN', ({ page, screenshot }) => withRecordingServer(page, async (ui, server) => {
  await ui.closeCode.fill('1001');
  await ui.close.click();

  await ui.sendAdvanced.waitFor({ state: 'visible', timeout: WAIT });
  assert.ok(await ui.cancel.isVisible());
  const question = ui.view.getByText(/^1001 \(Going Away\) is normally sent by an endpoint/);
  assert.ok(await question.isVisible(), 'the confirmation says what 1001 means');
  await screenshot('frames-close-1001-confirm');

  await ui.cancel.click();
  await ui.sendAdvanced.waitFor({ state: 'hidden', timeout: WAIT });
  assert.ok(!(await question.isVisible()));
  assert.match(await textOf(ui.status), /^OPEN\b/);
  await roundTrip(ui, '1001');
  assert.deepEqual(server.closes, [], 'Cancel sent no Close frame');

  // Confirming does send it.
  await ui.close.click();
  await ui.sendAdvanced.click();
  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED after the confirmed 1001');
  await ui.entries.filter({ hasText: 'Closed by client: 1001 Going Away (clean)' }).first().waitFor({ timeout: WAIT });
  await eventually(() => server.closes, (closes) => closes.length === 1, 'the server saw one Close frame');
  assert.deepEqual(server.closes, [{ code: 1001, reason: '' }]);
}));

test('close with 4000 "done testing": log, state and the server agree, wasClean true', ({ page, screenshot }) => withRecordingServer(page, async (ui, server) => {
  await ui.closeCode.fill('4000');
  assert.match(await descriptionOf(ui.closeCode), /Private use/);
  await ui.closeReason.fill('done testing');
  assert.match(await descriptionOf(ui.closeReason), /12\/123 bytes/);
  await ui.close.click();

  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
  const entry = ui.entries.filter({ has: ui.view.locator('.entry-direction', { hasText: /^close$/ }) });
  await entry.first().waitFor({ timeout: WAIT });
  assert.equal(await textOf(entry.first().locator('.entry-detail')),
    'Closed by client: 4000 Private use, reason "done testing" (clean)');
  const fields = await eventually(() => stateFields(ui), (f) => f.readyState === 'CLOSED' && f.code !== undefined, 'close state');
  assert.equal(fields.code, '4000 Private use');
  assert.equal(fields.reason, 'done testing');
  assert.equal(fields.wasClean, 'true');
  assert.deepEqual(server.closes, [{ code: 4000, reason: 'done testing' }]);
  // Connect is offered again, Disconnect is not.
  assert.ok(await ui.view.getByRole('button', { name: 'Connect', exact: true }).isEnabled());
  assert.ok(await ui.view.getByRole('button', { name: 'Disconnect', exact: true }).isDisabled());
  await screenshot('frames-closed-4000');
}));

test('server-initiated close 4001 "bye" is shown in the log and the state', async ({ page, py, screenshot }) => {
  const ui = await connect(page, py.url);
  await sendText(ui, 'close 4001 bye');
  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
  const entry = ui.entries.filter({ has: ui.view.locator('.entry-direction', { hasText: /^close$/ }) });
  await entry.first().waitFor({ timeout: WAIT });
  assert.equal(await textOf(entry.first().locator('.entry-detail')), 'Closed by server: 4001 Private use, reason "bye" (clean)');
  const fields = await eventually(() => stateFields(ui), (f) => f.code !== undefined, 'close state');
  assert.equal(fields.readyState, 'CLOSED');
  assert.equal(fields.code, '4001 Private use');
  assert.equal(fields.reason, 'bye');
  assert.equal(fields.wasClean, 'true');
  await screenshot('frames-server-close-4001');
  await resetWorkbench(page);
});

test('a close reason over 123 bytes is refused with its byte count', ({ page, screenshot }) => withRecordingServer(page, async (ui, server) => {
  const reason = 'é'.repeat(62); // 62 characters, 124 bytes of UTF-8
  await ui.closeCode.fill('4000');
  await ui.closeReason.fill(reason);
  // The counter says it before anything is pressed...
  assert.match(await descriptionOf(ui.closeReason), /124\/123 bytes/);
  await ui.close.click();
  // ...and pressing Close refuses it next to the field.
  const error = ui.view.getByRole('alert').filter({ hasText: 'close reason is 124 bytes' });
  await error.waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await textOf(error), 'The close reason is 124 bytes of UTF-8; at most 123 are allowed');
  assert.equal(await ui.closeReason.getAttribute('aria-invalid'), 'true');
  assert.match(await descriptionOf(ui.closeReason), /124 bytes of UTF-8/);
  await screenshot('frames-close-reason-too-long');

  assert.match(await textOf(ui.status), /^OPEN\b/);
  await roundTrip(ui, 'reason');
  assert.deepEqual(server.closes, []);

  // One character less fits (122 bytes) and is sent as typed.
  await ui.closeReason.fill(reason.slice(1));
  assert.match(await descriptionOf(ui.closeReason), /122\/123 bytes/);
  await ui.close.click();
  await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
  await eventually(() => server.closes.length, (n) => n === 1, 'the server saw the Close frame');
  assert.deepEqual(server.closes, [{ code: 4000, reason: reason.slice(1) }]);
}));

test('after a close, Send and Ping say "Not connected" and send nothing', ({ page, screenshot }) => withRecordingServer(page, async (ui, server) => {
  await roundTrip(ui, 'before close');
  await ui.close.click(); // 1000 by default
  await assertText(ui.status, /^CLOSED · sent 1 .*received 1 /, 'CLOSED with one message each way');
  const entriesBefore = await ui.entries.count();
  const messagesBefore = server.messages.length;

  await sendText(ui, 'too late');
  const error = ui.view.getByRole('alert').filter({ hasText: /^Not connected$/ });
  await error.first().waitFor({ state: 'visible', timeout: WAIT });
  assert.match(await descriptionOf(ui.message), /Not connected/);
  // Not the message's fault: the field is not marked invalid.
  assert.equal(await ui.message.getAttribute('aria-invalid'), null);

  await ui.ping.click();
  await eventually(() => error.count(), (n) => n === 2, 'Ping refused too');
  assert.match(await descriptionOf(ui.pingPayload), /Not connected/);
  await screenshot('frames-not-connected');

  assert.match(await textOf(ui.status), /^CLOSED · sent 1 /);
  assert.equal(await ui.entries.count(), entriesBefore, 'nothing was added to the log');
  assert.equal(server.messages.length, messagesBefore, 'the server received nothing more');
  assert.equal(server.connections.length, 1);
}));
