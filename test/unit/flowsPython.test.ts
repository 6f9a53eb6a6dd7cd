// Flows against servers we did not write: Debian's python3-websockets (py_flow.py, py_echo.py)
// and python3-socketio (py_socketio.py), run with /usr/bin/python3.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowRunner, type FlowRunEndpoint, type RunReport } from '../../src/core/flows/flowRunner';
import { checkFlows, describeFlowIssue } from '../../src/shared/flows';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import { startPythonServer } from './helpers/pythonServers';

async function run(endpoints: FlowRunEndpoint[], steps: unknown[]): Promise<RunReport> {
  const checked = checkFlows([{ name: 'f', steps }], { endpoints });
  if (!checked.ok) assert.fail(describeFlowIssue(checked.issue));
  return new FlowRunner({ endpoints, flows: checked.checked, variables: [] }).run();
}

const ws = (url: string): FlowRunEndpoint => ({ id: 'ws', name: 'ws', url, protocols: [], headers: [] });
const sio = (port: number, namespace = '/'): FlowRunEndpoint => ({
  id: 'sio',
  name: 'sio',
  url: `http://127.0.0.1:${port}`,
  protocols: [],
  headers: [],
  kind: 'socketio',
  socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, namespace },
});

function statuses(report: RunReport): string {
  return report.flows[0]!.steps.map((s) => `${s.number}:${s.status}${s.failure ? ` ${s.failure.message}` : ''}`).join(', ');
}

describe('flows against python3-websockets', () => {
  it('logs in, captures the token past a noise message, and uses it', async (t) => {
    const port = await startPythonServer(t, 'py_flow.py');
    const report = await run([ws(`ws://127.0.0.1:${port}/`)], [
      { connect: 'ws' },
      { send: { json: { op: 'login', user: 'ada' } } },
      { expect: { json: { type: 'welcome' } }, capture: { token: '$.token' } },
      { send: { json: { op: 'whoami', token: '{{token}}' } } },
      { expect: { json: { type: 'me', user: 'ada' } }, next: true },
    ]);
    assert.equal(report.passed, 1, statuses(report));
    const expect = report.flows[0]!.steps[2]!;
    assert.equal(expect.status, 'passed');
  });

  it('fails with the close code when the server closes on a bad token', async (t) => {
    const port = await startPythonServer(t, 'py_flow.py');
    const report = await run([ws(`ws://127.0.0.1:${port}/`)], [
      { connect: 'ws' },
      { send: { json: { op: 'whoami', token: 'forged' } } },
      { expect: { json: { type: 'me' } } },
    ]);
    assert.equal(report.failed, 1);
    assert.equal(report.flows[0]!.steps[2]!.failure?.message, 'the connection closed with 4001 (bad token) before a match arrived');
  });

  it('passes over a burst until the message it waits for; expects a close it asked for', async (t) => {
    const port = await startPythonServer(t, 'py_flow.py');
    const report = await run([ws(`ws://127.0.0.1:${port}/`)], [{ connect: 'ws' }, { send: { text: 'burst 500' } }, { expect: { regex: '^msg 499$' } }, { expectNone: { text: 'msg 500' }, for: 100 }]);
    assert.equal(report.passed, 1, statuses(report));
    const echoPort = await startPythonServer(t, 'py_echo.py');
    const closing = await run([ws(`ws://127.0.0.1:${echoPort}/`)], [{ connect: 'ws' }, { send: { text: 'close 4003 done' } }, { expect: { close: { code: 4003, reason: 'done' } }, next: true }]);
    assert.equal(closing.passed, 1, statuses(closing));
  });
});

describe('flows against python3-socketio', () => {
  it('emits with an ack, expects the echoed event and the ack of the last emit', async (t) => {
    const port = await startPythonServer(t, 'py_socketio.py');
    const report = await run([sio(port, '/chat')], [
      { connect: 'sio', timeout: 10_000 },
      { emit: { event: 'echo', args: [{ n: 1 }, 'two'], ack: true } },
      { expect: { event: 'echo', args: [{ n: 1 }] } },
      { expect: { ack: [{ n: 1 }, 'two'] } },
      { emit: { event: 'whoami', ack: true } },
      { expect: { event: 'whoami', args: [{ namespace: '/chat' }] }, capture: { ns: '$[0].namespace' } },
      { emit: { event: 'echo', args: ['{{ns}}'] } },
      { expect: { event: 'echo', args: ['/chat'] } },
    ]);
    assert.equal(report.passed, 1, statuses(report));
  });

  it('fails an expect when the server disconnects the socket, and when an ack never comes', async (t) => {
    const port = await startPythonServer(t, 'py_socketio.py');
    const kicked = await run([sio(port)], [{ connect: 'sio', timeout: 10_000 }, { emit: { event: 'kick' } }, { expect: { event: 'never' } }]);
    assert.equal(kicked.failed, 1);
    assert.match(kicked.flows[0]!.steps[2]!.failure!.message, /^the connection (closed|ended)/);
    const silent = await run([sio(port)], [{ connect: 'sio', timeout: 10_000 }, { emit: { event: 'silent', ack: true } }, { expect: { ack: [] }, timeout: 300 }]);
    assert.equal(silent.flows[0]!.steps[2]!.failure?.message, 'no match within 300 ms; nothing arrived');
  });
});
