// "Save as flow": log entries to a flow draft that the flow checks accept as it is.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DRAFT_NOTE, flowDraft } from '../../src/shared/flowDraft';
import { checkFlows, describeFlowIssue } from '../../src/shared/flows';
import type { LogEntry } from '../../src/shared/protocol';

let id = 0;
function entry(fields: Omit<LogEntry, 'id' | 'time' | 'size'>): LogEntry {
  id += 1;
  return { id, time: 0, size: 0, ...fields };
}

describe('flow draft from log entries', () => {
  test('WebSocket: sent text and JSON become sends, received ones expects, binary hex; lifecycle is left out', () => {
    const entries = [
      entry({ kind: 'open', direction: 'none', detail: 'Connected' }),
      entry({ kind: 'message', direction: 'sent', frame: 'text', payload: { kind: 'text', text: 'hello' } }),
      entry({ kind: 'message', direction: 'received', frame: 'text', payload: { kind: 'text', text: '{"type":"welcome","n":1}' } }),
      entry({ kind: 'message', direction: 'sent', frame: 'binary', payload: { kind: 'binary', base64: '3q2+7w==' } }),
      entry({ kind: 'message', direction: 'received', frame: 'binary', payload: { kind: 'binary', base64: '3q2+7w==' } }),
      entry({ kind: 'ping', direction: 'sent', frame: 'binary', payload: { kind: 'binary', base64: '' }, detail: 'keep-alive' }),
      entry({ kind: 'ping', direction: 'sent', frame: 'binary', payload: { kind: 'binary', base64: 'aGk=' } }),
      entry({ kind: 'message', direction: 'received', frame: 'text', payload: { kind: 'text', text: '[not json' } }),
      entry({ kind: 'info', direction: 'none', detail: 'note' }),
      entry({ kind: 'close', direction: 'none', detail: 'Closed 1000' }),
    ];
    const draft = flowDraft(entries, 'echo', 'from the log');
    assert.deepEqual(draft, {
      name: 'from the log',
      steps: [
        { name: DRAFT_NOTE, connect: 'echo' },
        { send: { text: 'hello' } },
        { expect: { json: { type: 'welcome', n: 1 } } },
        { send: { hex: 'de ad be ef' } },
        { expect: { hex: 'de ad be ef' } },
        { ping: 'hi' },
        { expect: { text: '[not json' } },
        { close: {} },
      ],
    });
    const checked = checkFlows([draft], { endpoints: [{ name: 'echo', kind: 'websocket' }] });
    assert.ok(checked.ok, checked.ok ? '' : describeFlowIssue(checked.issue));
  });

  test('Socket.IO: emits (with ack when one came back), received events and acks', () => {
    const entries = [
      entry({ kind: 'event', direction: 'sent', event: { name: 'join', args: [{ kind: 'text', text: '{"room":"a"}' }], emitNumber: 1 } }),
      entry({ kind: 'ack', direction: 'received', event: { name: 'join', args: [{ kind: 'text', text: '"ok"' }], emitNumber: 1 } }),
      entry({ kind: 'event', direction: 'received', event: { name: 'joined', args: [{ kind: 'text', text: '7' }] } }),
      entry({ kind: 'event', direction: 'sent', event: { name: 'ping', args: [], emitNumber: 2 } }),
    ];
    const draft = flowDraft(entries, 'chat', 'f');
    assert.deepEqual(draft.steps.slice(1), [
      { emit: { event: 'join', args: [{ room: 'a' }], ack: true } },
      { expect: { ack: ['ok'] } },
      { expect: { event: 'joined', args: [7] } },
      { emit: { event: 'ping' } },
      { close: {} },
    ]);
    const checked = checkFlows([draft], { endpoints: [{ name: 'chat', kind: 'socketio' }] });
    assert.ok(checked.ok, checked.ok ? '' : describeFlowIssue(checked.issue));
  });
});
