// A flow run in a panel's log: the run's connection entries plus one info entry per step, with
// marks and times, and a failure's expected against actual in one entry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowEventLines, logFlowEvent } from '../../src/core/flows/flowLog';
import { FlowRunner, type FlowRunEndpoint } from '../../src/core/flows/flowRunner';
import type { ConnectionEntry } from '../../src/core/sessionBase';
import { checkFlows, describeFlowIssue } from '../../src/shared/flows';
import { startWsServer } from './helpers/testServers';

describe('flow log', () => {
  it('logs the connection and a marked info entry per step against a real server', async (t) => {
    const running = await startWsServer();
    t.after(() => running.close());
    running.server.on('connection', (socket) => socket.on('message', (data) => socket.send(String(data))));
    const endpoints: FlowRunEndpoint[] = [{ id: 'e', name: 'echo', url: running.url, protocols: [], headers: [] }];
    const checked = checkFlows(
      [{ name: 'f', steps: [{ connect: 'echo' }, { send: { text: 'hi' } }, { expect: { text: 'hi' } }, { expect: { text: 'bye' }, timeout: 200 }, { wait: 1 }] }],
      { endpoints },
    );
    if (!checked.ok) assert.fail(describeFlowIssue(checked.issue));
    const entries: ConnectionEntry[] = [];
    const log = (entry: ConnectionEntry): void => void entries.push(entry);
    const runner = new FlowRunner({ endpoints, flows: checked.checked, variables: [], log });
    runner.onEvent((event) => logFlowEvent(event, log));
    await runner.run();
    const kinds = new Set(entries.map((e) => `${e.kind} ${e.direction}`));
    for (const kind of ['open none', 'message sent', 'message received', 'close none']) assert.ok(kinds.has(kind), `a "${kind}" entry`);
    const infos = entries.filter((e) => e.kind === 'info').map((e) => e.detail ?? '');
    assert.equal(infos[0], '▶ Flow "f": 5 steps');
    assert.match(infos[1]!, /^✔ 1\. connect echo — \d+ ms$/);
    assert.match(infos[3]!, /^✔ 3\. expect text "hi" — \d+ ms$/);
    assert.match(infos[4]!, /^✖ 4\. expect text "bye" — \d+ ms: no match within 200 ms.*; expected text "bye"$/);
    assert.equal(infos[5], '– 5. wait 1 ms — skipped');
    assert.match(infos[6]!, /^✖ Flow "f" failed in \d+ ms$/);
    assert.equal(infos[7], '0 passed, 1 failed');
  });

  it('masks a secret the server echoes in the received entries it logs', async (t) => {
    const running = await startWsServer();
    t.after(() => running.close());
    running.server.on('connection', (socket) => socket.on('message', (data) => socket.send(String(data))));
    const endpoints: FlowRunEndpoint[] = [{ id: 'e', name: 'echo', url: running.url, protocols: [], headers: [] }];
    const checked = checkFlows([{ name: 'f', steps: [{ connect: 'echo' }, { send: { text: 'key={{token}}' } }, { expect: { contains: 'key=' } }] }], { endpoints });
    if (!checked.ok) assert.fail(describeFlowIssue(checked.issue));
    const entries: ConnectionEntry[] = [];
    const runner = new FlowRunner({ endpoints, flows: checked.checked, variables: [{ name: 'token', value: 's3cr3t', secret: true }], log: (entry) => void entries.push(entry) });
    const report = await runner.run();
    assert.equal(report.passed, 1);
    const texts = entries.flatMap((e) => (e.payload?.kind === 'text' ? [`${e.direction} ${e.payload.text}`] : []));
    assert.ok(texts.includes('received key=••••••'), texts.join(', '));
    assert.ok(!JSON.stringify(entries).includes('s3cr3t'), 'the secret is in a logged entry');
  });

  it('names what was expected and what arrived', () => {
    const [line] = flowEventLines({
      type: 'stepFailed',
      flow: 'f',
      step: { number: 2, title: 'expect JSON containing {"a":1}', status: 'failed', ms: 7, failure: { message: 'no match within 5 ms', expected: 'JSON containing {"a":1}', actual: 'text "x"', passedOver: ['text "x"'], passedOverCount: 1 } },
    });
    assert.equal(line, '✖ 2. expect JSON containing {"a":1} — 7 ms: no match within 5 ms; expected JSON containing {"a":1}; got text "x"');
  });
});
