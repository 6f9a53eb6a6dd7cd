// Copy and Copy as JSON of log entries: what lands on the clipboard.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clipboardText } from '../../src/shared/entryClipboard';
import type { LogEntry } from '../../src/shared/protocol';

const time = Date.UTC(2026, 11, 3, 8, 0, 0);
const text: LogEntry = { id: 3, time, kind: 'message', direction: 'sent', frame: 'text', size: 5, payload: { kind: 'text', text: 'hello' } };
const binary: LogEntry = { id: 4, time, kind: 'message', direction: 'received', frame: 'binary', size: 2, payload: { kind: 'binary', base64: '3q0=' } };
const decoded: LogEntry = { ...binary, id: 5, decoded: { as: 'msgpack', json: '{\n  "a": 1\n}' } };
const close: LogEntry = { id: 6, time, kind: 'close', direction: 'none', size: 0, detail: 'Closed 1000' };
const event: LogEntry = { id: 7, time, kind: 'event', direction: 'received', size: 4, event: { name: 'chat', args: [{ kind: 'text', text: '"hi"' }] } };

describe('clipboard text of log entries', () => {
  test('Copy: each entry as a person reads it, one after another', () => {
    assert.equal(clipboardText([text, binary, decoded, close, event], 'text'), 'hello\nde ad\n{\n  "a": 1\n}\nClosed 1000\nchat\n"hi"');
  });

  test('Copy as JSON: an array of records with the exact payload, decoded values parsed', () => {
    const records = JSON.parse(clipboardText([text, binary, decoded], 'json')) as Record<string, unknown>[];
    assert.deepEqual(records[0], { id: 3, time: '2026-12-03T08:00:00.000Z', direction: 'sent', kind: 'message', frame: 'text', size: 5, text: 'hello' });
    assert.equal(records[1]!.base64, '3q0=');
    assert.deepEqual(records[2]!.decoded, { as: 'msgpack', value: { a: 1 } });
    assert.equal((JSON.parse(clipboardText([close], 'json')) as unknown[]).length, 1, 'one entry is still an array');
  });
});
