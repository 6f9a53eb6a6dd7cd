// Decode binary as in flows, off the flow's thread: a binary message with more than 64 KiB to
// decode goes to the decode worker, and the steps and the run's log see it in its place (the text
// and the message after it wait for it); a message over the 16 MiB limit is not decoded and the
// log says so, and the run goes on.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it, type TestContext } from 'node:test';
import type { WebSocket } from 'ws';
import { encodeValue, MAX_DECODE_BYTES } from '../../src/core/decoders/binaryCodec';
import { INLINE_DECODE_BYTES } from '../../src/core/decoders/orderedDecoding';
import { FlowRunner, type FlowRunEndpoint, type RunReport } from '../../src/core/flows/flowRunner';
import type { ConnectionEntry } from '../../src/core/session';
import { checkFlows, describeFlowIssue } from '../../src/shared/flows';
import { startWsServer } from './helpers/testServers';

// The module object orderedDecoding.ts reads Worker from when it starts one (CommonJS in out/).
const workerThreads = createRequire(__filename)('node:worker_threads') as typeof import('node:worker_threads');

/** Counts the workers started while the test runs. */
function countWorkers(t: TestContext): { started: string[] } {
  const seen = { started: [] as string[] };
  const Original = workerThreads.Worker;
  workerThreads.Worker = class extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      seen.started.push(String(args[1]?.name));
    }
  };
  t.after(() => {
    workerThreads.Worker = Original;
  });
  return seen;
}

function msgpack(value: unknown): Buffer {
  const encoded = encodeValue(value, { as: 'msgpack' });
  if (!encoded.ok) assert.fail(encoded.error);
  return Buffer.from(encoded.bytes);
}

/** A server that sends `messages` to each client as it connects, in order. */
async function sending(t: TestContext, messages: (string | Buffer)[]): Promise<string> {
  const running = await startWsServer({ maxPayload: 64 * 1024 * 1024 });
  running.server.on('connection', (socket: WebSocket) => {
    for (const message of messages) socket.send(message, { binary: typeof message !== 'string' });
  });
  t.after(() => running.close());
  return running.url;
}

async function run(url: string, steps: unknown[]): Promise<{ report: RunReport; log: ConnectionEntry[] }> {
  const endpoint: FlowRunEndpoint = { id: 'e', name: 'feed', url, protocols: [], headers: [], decode: { as: 'msgpack' } };
  const checked = checkFlows([{ name: 'f', steps }], { endpoints: [endpoint] });
  if (!checked.ok) assert.fail(describeFlowIssue(checked.issue));
  const log: ConnectionEntry[] = [];
  const runner = new FlowRunner({ endpoints: [endpoint], flows: checked.checked, variables: [], maxPayload: 64 * 1024 * 1024, log: (entry) => log.push(entry) });
  return { report: await runner.run(), log };
}

function statuses(report: RunReport): string {
  return report.flows[0]!.steps.map((s) => `${s.number}:${s.status}${s.failure ? ` ${s.failure.message}` : ''}`).join(', ');
}

/** The received messages of the log, as `text <text>` or `binary <size> <decoded JSON or error>`. */
function received(log: ConnectionEntry[]): string[] {
  return log
    .filter((entry) => entry.kind === 'message' && entry.direction === 'received')
    .map((entry) => (entry.payload?.kind === 'text' ? `text ${entry.payload.text}` : `binary ${entry.size} ${entry.decoded?.error ?? JSON.stringify(JSON.parse(entry.decoded?.json ?? 'null')).slice(0, 40)}`));
}

describe('Decode binary as in flows: large messages in the decode worker', () => {
  it('decodes a large message in the worker; it, the text and the message after it reach the steps and the log in order', async (t) => {
    const workers = countWorkers(t);
    const records = Array.from({ length: 20_000 }, (_, i) => ({ id: i, symbol: `SYM${i % 500}` }));
    const big = msgpack({ kind: 'big', count: records.length, records });
    assert.ok(big.length > INLINE_DECODE_BYTES, String(big.length));
    const url = await sending(t, [big, 'after the big one', msgpack({ small: true })]);
    const { report, log } = await run(url, [
      { connect: 'feed' },
      // "next": each must be the very next message, so the order is the wire's.
      { expect: { decoded: { kind: 'big', count: 20_000 } }, next: true, capture: { last: '$.records[19999].symbol' } },
      { expect: { text: 'after the big one' }, next: true },
      { expect: { decoded: { small: true } }, next: true },
      { send: { text: 'last was {{last}}' } },
    ]);
    assert.equal(report.passed, 1, statuses(report));
    assert.deepEqual(workers.started, ['WebSocket Debugger decoder'], 'one decode worker, for the large message only');
    assert.deepEqual(received(log), [`binary ${big.length} {"kind":"big","count":20000,"records":[{`, 'text after the big one', 'binary 8 {"small":true}']);
    const sent = log.find((entry) => entry.kind === 'message' && entry.direction === 'sent');
    assert.equal(sent?.payload?.kind === 'text' && sent.payload.text, 'last was SYM499');
  });

  it('a message over the limit is not decoded, says so in the log, and the run goes on', async (t) => {
    const workers = countWorkers(t);
    const huge = Buffer.alloc(MAX_DECODE_BYTES + 1024);
    const url = await sending(t, [huge, msgpack({ after: 'huge' })]);
    const { report, log } = await run(url, [
      { connect: 'feed' },
      { expect: { decoded: { after: 'huge' } } },
    ]);
    assert.equal(report.passed, 1, statuses(report));
    // The size is read before anything is decoded: no worker for it.
    assert.deepEqual(workers.started, []);
    assert.deepEqual(received(log), [
      `binary ${huge.length} Not decoded: the message has ${huge.length} bytes, more than the decoder's limit of ${MAX_DECODE_BYTES}`,
      'binary 12 {"after":"huge"}',
    ]);
  });
});
