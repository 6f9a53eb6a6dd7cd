// FlowRunner against real ws servers on port 0: passes, failures with expected / actual and what
// was passed over, timeouts, a close mid-flow, "next", expectNone, captures used later, two
// connections with aliases, messages buffered between steps, interrupts and masked secrets.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { WebSocket as ServerSocket } from 'ws';
import { FlowRunner, type FlowRunEvent, type FlowRunEndpoint, type RunReport } from '../../src/core/flows/flowRunner';
import { checkFlows, describeFlowIssue } from '../../src/shared/flows';
import type { Variable } from '../../src/shared/protocol';
import { closedPort, startWsServer } from './helpers/testServers';

function endpoint(name: string, url: string): FlowRunEndpoint {
  return { id: name, name, url, protocols: [], headers: [] };
}

interface Run {
  report: RunReport;
  events: FlowRunEvent[];
}

async function run(endpoints: FlowRunEndpoint[], flows: { name: string; steps: unknown[] }[], options: { variables?: Variable[]; bail?: boolean; bufferLimit?: number; during?: (runner: FlowRunner) => void } = {}): Promise<Run> {
  const checked = checkFlows(flows, { endpoints });
  if (!checked.ok) assert.fail(describeFlowIssue(checked.issue));
  const runner = new FlowRunner({ endpoints, flows: checked.checked, variables: options.variables ?? [], ...(options.bail ? { bail: true } : {}), ...(options.bufferLimit ? { bufferLimit: options.bufferLimit } : {}) });
  const events: FlowRunEvent[] = [];
  runner.onEvent((event) => events.push(event));
  options.during?.(runner);
  const report = await runner.run();
  return { report, events };
}

/** An echo server; `onConnection` may add behaviour. Messages it received are recorded. */
async function server(t: TestContext, onMessage?: (socket: ServerSocket, text: string) => boolean, onConnection?: (socket: ServerSocket) => void) {
  const running = await startWsServer();
  t.after(() => running.close());
  const seen = { messages: [] as string[], closes: [] as number[] };
  running.server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const text = String(data);
      seen.messages.push(text);
      if (!onMessage?.(socket, text)) socket.send(text);
    });
    socket.on('close', (code) => seen.closes.push(code));
    onConnection?.(socket);
  });
  return { url: running.url, seen };
}

const failureOf = (r: Run, flow = 0) => r.report.flows[flow]!.steps.find((s) => s.status === 'failed')?.failure;

describe('FlowRunner', () => {
  it('passes a flow, captures a value and uses it later, and closes with 1000 at the end', async (t) => {
    const s = await server(t, (socket, text) => {
      if (text === 'login') {
        socket.send(JSON.stringify({ type: 'noise' }));
        socket.send(JSON.stringify({ type: 'welcome', data: { token: 'abc' } }));
        return true;
      }
      return false;
    });
    const r = await run([endpoint('echo', s.url)], [
      {
        name: 'login',
        steps: [
          { connect: 'echo' },
          { send: { text: 'login' } },
          { expect: { json: { type: 'welcome' } }, capture: { token: '$.data.token' } },
          { send: { json: { token: '{{token}}' } } },
          { expect: { json: { token: 'abc' } }, next: true },
        ],
      },
    ]);
    assert.deepEqual(r.report.flows[0]!.steps.map((step) => step.status), ['passed', 'passed', 'passed', 'passed', 'passed']);
    assert.equal(r.report.passed, 1);
    assert.deepEqual(s.seen.messages, ['login', '{"token":"abc"}']);
    await waitFor(() => s.seen.closes.length === 1);
    assert.deepEqual(s.seen.closes, [1000]);
    assert.deepEqual(r.events.map((e) => e.type), ['flowStarted', ...Array(5).fill(['stepStarted', 'stepPassed']).flat(), 'flowFinished', 'runFinished']);
  });

  it('fails with what was expected, what arrived and the messages passed over; later steps are skipped', async (t) => {
    const s = await server(t);
    const r = await run([endpoint('echo', s.url)], [
      { name: 'f', steps: [{ connect: 'echo' }, { send: { text: 'one' } }, { send: { text: 'two' } }, { expect: { text: 'three' }, timeout: 300 }, { send: { text: 'never' } }] },
    ]);
    const steps = r.report.flows[0]!.steps;
    assert.deepEqual(steps.map((step) => step.status), ['passed', 'passed', 'passed', 'failed', 'skipped']);
    const failure = steps[3]!.failure!;
    assert.equal(failure.message, 'no match within 300 ms; 2 other messages passed over');
    assert.equal(failure.expected, 'text "three"');
    assert.equal(failure.actual, 'text "two"');
    assert.deepEqual(failure.passedOver, ['text "one"', 'text "two"']);
    assert.ok(steps[3]!.ms >= 290 && steps[3]!.ms < 2000, `took ${steps[3]!.ms} ms`);
    assert.equal(r.report.failed, 1);
    assert.ok(!s.seen.messages.includes('never'));
  });

  it('fails at the timeout when the server never answers, and when nothing arrives at all', async (t) => {
    const s = await server(t, () => true);
    const started = Date.now();
    const r = await run([endpoint('silent', s.url)], [{ name: 'f', steps: [{ connect: 'silent' }, { send: { text: 'x' } }, { expect: { text: 'x' }, timeout: 200 }] }]);
    assert.equal(failureOf(r)?.message, 'no match within 200 ms; nothing arrived');
    assert.ok(Date.now() - started < 3000);
  });

  it('fails with the close code when the server closes mid-flow', async (t) => {
    const s = await server(t, (socket) => {
      socket.close(4002, 'go away');
      return true;
    });
    const r = await run([endpoint('e', s.url)], [{ name: 'f', steps: [{ connect: 'e' }, { send: { text: 'x' } }, { expect: { text: 'x' } }] }]);
    const failure = failureOf(r)!;
    assert.equal(failure.message, 'the connection closed with 4002 (go away) before a match arrived');
    const sending = await run([endpoint('e', s.url)], [{ name: 'f', steps: [{ connect: 'e' }, { send: { text: 'x' } }, { wait: 300 }, { send: { text: 'y' } }] }]);
    assert.match(failureOf(sending)!.message, /^the connection has ended: .*4002/);
    assert.equal(failure.actual, 'close 4002 reason "go away"');
    assert.ok(r.report.flows[0]!.steps[2]!.ms < 2000);
  });

  it('"next": true fails on the first message that does not match', async (t) => {
    const s = await server(t, (socket) => {
      socket.send('a');
      socket.send('b');
      return true;
    });
    const r = await run([endpoint('e', s.url)], [{ name: 'f', steps: [{ connect: 'e' }, { send: { text: 'go' } }, { expect: { text: 'b' }, next: true }] }]);
    assert.equal(failureOf(r)?.message, 'the next message did not match');
    assert.equal(failureOf(r)?.actual, 'text "a"');
  });

  it('expectNone passes when nothing matching arrives and fails when something does', async (t) => {
    const s = await server(t);
    const r = await run([endpoint('e', s.url)], [
      { name: 'quiet', steps: [{ connect: 'e' }, { send: { text: 'other' } }, { expectNone: { contains: 'secret' }, for: 150 }] },
      { name: 'loud', steps: [{ connect: 'e' }, { send: { text: 'a secret' } }, { expectNone: { contains: 'secret' }, for: 2000 }] },
    ]);
    assert.equal(r.report.flows[0]!.passed, true);
    assert.ok(r.report.flows[0]!.steps[2]!.ms >= 140);
    assert.equal(failureOf(r, 1)?.message, 'a matching message arrived within 2000 ms');
    assert.equal(failureOf(r, 1)?.actual, 'text "a secret"');
    assert.ok(r.report.flows[1]!.steps[2]!.ms < 1500);
  });

  it('keeps messages that arrive between steps (during a wait) for the next expect', async (t) => {
    const s = await server(t, () => true, (socket) => socket.send('hello'));
    const r = await run([endpoint('e', s.url)], [{ name: 'f', steps: [{ connect: 'e' }, { wait: 100 }, { expect: { text: 'hello' }, next: true, timeout: 50 }] }]);
    assert.equal(r.report.passed, 1, JSON.stringify(failureOf(r)));
  });

  it('bounds the buffer: beyond its limit the oldest unread messages are dropped, counted and reported', async (t) => {
    const total = 1050;
    const s = await server(t, (socket, text) => {
      if (text !== 'flood') return false;
      for (let i = 0; i < total; i++) socket.send(`m${i}`);
      return true;
    });
    const r = await run([endpoint('e', s.url)], [
      // The wait lets the flood fill the buffer with nobody reading.
      { name: 'next', steps: [{ connect: 'e' }, { send: { text: 'flood' } }, { wait: 1000 }, { expect: { text: 'm0' }, next: true }] },
      { name: 'any', steps: [{ connect: 'e' }, { send: { text: 'flood' } }, { wait: 1000 }, { expect: { text: 'm0' }, timeout: 200 }] },
      { name: 'last', steps: [{ connect: 'e' }, { send: { text: 'flood' } }, { wait: 1000 }, { expect: { text: `m${total - 1}` }, timeout: 10_000 }] },
    ], { bufferLimit: 1000 });
    assert.equal(failureOf(r, 0)?.message, '"next": the message before this step is unknown (50 earlier messages were dropped: the buffer keeps 1000 unread messages)');
    assert.match(failureOf(r, 1)!.message, /^no match within 200 ms; 1000 other messages passed over \(50 earlier messages were dropped/);
    assert.equal(failureOf(r, 1)!.passedOver[0], 'text "m50"');
    assert.equal(r.report.flows[2]!.passed, true);
  });

  it('drives two connections by alias; "on" picks one, the last connect is the default', async (t) => {
    const a = await server(t);
    const b = await server(t);
    const r = await run([endpoint('A', a.url), endpoint('B', b.url)], [
      {
        name: 'two',
        steps: [
          { connect: 'A', as: 'alice' },
          { connect: 'B', as: 'bob' },
          { send: { text: 'to bob' } },
          { send: { text: 'to alice' }, on: 'alice' },
          { expect: { text: 'to alice' }, on: 'alice', next: true },
          { expect: { text: 'to bob' }, next: true },
        ],
      },
    ]);
    assert.equal(r.report.passed, 1, JSON.stringify(failureOf(r)));
    assert.deepEqual(a.seen.messages, ['to alice']);
    assert.deepEqual(b.seen.messages, ['to bob']);
  });

  it('sends a saved message of the endpoint, with its variables resolved', async (t) => {
    const s = await server(t);
    const echo: FlowRunEndpoint = { ...endpoint('e', s.url), messages: [{ name: 'greet', format: 'json', body: '{"hello": "{{user}}"}' }] };
    const r = await run([echo], [{ name: 'f', steps: [{ connect: 'e' }, { send: { message: 'greet' } }, { expect: { json: { hello: 'ada' } }, next: true }] }], {
      variables: [{ name: 'user', value: 'ada' }],
    });
    assert.equal(r.report.passed, 1, JSON.stringify(failureOf(r)));
    assert.deepEqual(s.seen.messages, ['{"hello": "ada"}']);
  });

  it('sends hex, base64 and pings, and matches bytes and pongs', async (t) => {
    const s = await server(t);
    const r = await run([endpoint('e', s.url)], [
      { name: 'f', steps: [{ connect: 'e' }, { send: { hex: 'de ad' } }, { expect: { hex: 'dead' } }, { send: { base64: '3q0=' } }, { expect: { hex: 'de ad' } }, { ping: 'p1' }, { expect: { pong: 'p1' } }, { close: { code: 4000, reason: 'done' } }] },
    ]);
    assert.equal(r.report.passed, 1, JSON.stringify(failureOf(r)));
    await waitFor(() => s.seen.closes.length === 1);
    assert.deepEqual(s.seen.closes, [4000]);
  });

  it('fails a connect to a closed port with the reason, and --bail stops after that flow', async () => {
    const port = await closedPort();
    const r = await run([endpoint('gone', `ws://127.0.0.1:${port}/`)], [
      { name: 'first', steps: [{ connect: 'gone' }] },
      { name: 'second', steps: [{ connect: 'gone' }] },
    ], { bail: true });
    assert.equal(r.report.flows.length, 1);
    assert.match(failureOf(r)!.message, /refused|ECONNREFUSED/i);
  });

  it('masks secret values in failure reports, even when the server echoes them', async (t) => {
    const s = await server(t);
    const r = await run([endpoint('e', s.url)], [{ name: 'f', steps: [{ connect: 'e' }, { send: { text: 'token={{token}}' } }, { expect: { text: 'nope' }, timeout: 200 }] }], {
      variables: [{ name: 'token', value: 'hunter2', secret: true }],
    });
    assert.deepEqual(s.seen.messages, ['token=hunter2']);
    const failure = failureOf(r)!;
    assert.equal(failure.actual, 'text "token=••••••"');
    assert.doesNotMatch(JSON.stringify(r.report), /hunter2/);
  });

  it('interrupt() fails the running step, closes with 1001 and reports the run as interrupted', async (t) => {
    const s = await server(t, () => true);
    let runner: FlowRunner | undefined;
    const r = await run([endpoint('e', s.url)], [
      { name: 'f', steps: [{ connect: 'e' }, { send: { text: 'x' } }, { expect: { text: 'never' }, timeout: 30_000 }] },
      { name: 'g', steps: [{ connect: 'e' }] },
    ], {
      during: (it) => {
        runner = it;
        it.onEvent((event) => {
          if (event.type === 'stepStarted' && event.step.number === 3) setTimeout(() => runner!.interrupt(), 100);
        });
      },
    });
    assert.equal(r.report.interrupted, true);
    assert.equal(r.report.flows.length, 1);
    assert.equal(failureOf(r)?.message, 'interrupted');
    assert.ok(r.report.flows[0]!.steps[2]!.ms < 5000);
    assert.ok(r.events.some((e) => e.type === 'interrupted'));
    await waitFor(() => s.seen.closes.length === 1);
    assert.deepEqual(s.seen.closes, [1001]);
  });
});

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
