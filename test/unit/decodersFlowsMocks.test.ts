// Decoders in flows and mocks: a flow sends MessagePack, CBOR and Protobuf and expects decoded
// values (captures read them too) against mocks that match decoded messages and reply in those
// encodings; every mistake is named before anything connects.
import { encode } from '@msgpack/msgpack';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { FlowRunner, type FlowRunEndpoint, type RunReport } from '../../src/core/flows/flowRunner';
import type { RunningMock } from '../../src/core/mock/mockTypes';
import { MOCK_DECODE_BYTES } from '../../src/core/mock/mockEngine';
import { startMock } from '../../src/core/mock/startMock';
import { checkFlows, describeFlowIssue } from '../../src/shared/flows';
import { parseMock } from '../../src/shared/mockFormat';
import type { DecodeConfig } from '../../src/shared/protocol';
import { WebSocket } from 'ws';
import { waitUntil } from './helpers/connectionRecorder';

const root = path.resolve(__dirname, '../../..');
const PROTO_DIR = path.join(root, 'test/fixtures/proto');
const TICK: DecodeConfig = { as: 'protobuf', proto: 'feed.proto', type: 'feed.v1.Tick' };

async function mock(t: TestContext, value: Record<string, unknown>): Promise<RunningMock> {
  const parsed = parseMock({ name: 'Feed', ...value });
  if (!parsed.ok) assert.fail(parsed.error);
  const started = await startMock(parsed.mock, { protoFolders: [PROTO_DIR] });
  if (!started.ok) assert.fail(started.error);
  t.after(() => started.mock.stop());
  return started.mock;
}

async function run(endpoint: FlowRunEndpoint, steps: unknown[]): Promise<RunReport> {
  const checked = checkFlows([{ name: 'f', steps }], { endpoints: [endpoint] });
  if (!checked.ok) assert.fail(describeFlowIssue(checked.issue));
  return new FlowRunner({ endpoints: [endpoint], flows: checked.checked, variables: [], protoFolders: [PROTO_DIR] }).run();
}

function statuses(report: RunReport): string {
  return report.flows[0]!.steps.map((s) => `${s.number}:${s.status}${s.failure ? ` ${s.failure.message}` : ''}`).join(', ');
}

const endpoint = (url: string, decode: DecodeConfig): FlowRunEndpoint => ({ id: 'e', name: 'feed', url, protocols: [], headers: [], decode });

describe('decoders in flows and mocks', () => {
  for (const as of ['msgpack', 'cbor'] as const) {
    it(`${as}: the mock matches a decoded message and replies in ${as}; the flow expects and captures the decoded reply`, async (t) => {
      const feed = await mock(t, {
        decode: { as },
        fallback: 'ignore',
        rules: [
          { onConnect: { reply: { [as]: { hello: 'client {{connection.id}}', blob: { $bytes: 'AAE=' } } } } },
          { on: { decoded: { op: 'subscribe' } }, reply: { [as]: { op: 'subscribed', token: 't-42', big: { $bigint: '18446744073709551615' } } } },
          { on: { decoded: { op: 'echo' } }, reply: { text: 'echo seen' } },
        ],
      });
      const report = await run(endpoint(feed.url, { as }), [
        { connect: 'feed' },
        { expect: { decoded: { hello: 'client 1', blob: { $bytes: 'AAE=' } } } },
        { send: { [as]: { op: 'subscribe', symbols: ['ACME'] } } },
        { expect: { decoded: { op: 'subscribed', big: { $bigint: '18446744073709551615' } } }, capture: { token: '$.token' } },
        { send: { [as]: { op: 'echo', token: '{{token}}' } } },
        { expect: { text: 'echo seen' } },
      ]);
      assert.equal(report.passed, 1, statuses(report));
    });
  }

  it('a mock decodes messages up to MOCK_DECODE_BYTES; a bigger one is logged raw with the note, and rules see it undecoded', async (t) => {
    const feed = await mock(t, {
      decode: { as: 'msgpack' },
      fallback: 'ignore',
      rules: [{ on: { decoded: { op: 'big' } }, reply: { text: 'decoded big' } }],
    });
    const client = new WebSocket(feed.url);
    t.after(() => client.terminate());
    await once(client, 'open');
    const replies: string[] = [];
    client.on('message', (data) => replies.push(String(data)));
    const message = (padding: number) => Buffer.from(encode({ op: 'big', pad: 'x'.repeat(padding) }));
    const over = message(MOCK_DECODE_BYTES + 10);
    client.send(over);
    client.send(message(MOCK_DECODE_BYTES - 100));
    await waitUntil(() => replies.length === 1, () => `replies: ${JSON.stringify(replies)}`);
    assert.deepEqual(replies, ['decoded big'], 'only the message within the limit matched');
    const received = feed.log.messages.entries().filter((e) => e.kind === 'message' && e.direction === 'received');
    assert.equal(received.length, 2);
    assert.equal(received[0]!.size, over.length);
    assert.equal(received[0]!.payload?.kind === 'binary' && received[0]!.payload.base64, over.toString('base64'), 'the raw bytes are kept');
    assert.equal(received[0]!.decoded?.error, `Not decoded: the message has ${over.length} bytes, more than the decoder's limit of ${MOCK_DECODE_BYTES}`);
    assert.match(received[1]!.decoded?.json ?? '', /"op": "big"/);
  });

  it('protobuf: a mock with the .proto type replies with a Tick; the flow sends one and checks the decoded fields', async (t) => {
    const feed = await mock(t, {
      decode: TICK,
      fallback: 'ignore',
      rules: [{ on: { decoded: { symbol: 'ACME' } }, reply: { protobuf: { symbol: 'ACME', price: 12.5, volume: '9007199254740993', side: 'SELL' } } }],
    });
    const report = await run(endpoint(feed.url, TICK), [
      { connect: 'feed' },
      { send: { protobuf: { symbol: 'ACME' } } },
      { expect: { decoded: { symbol: 'ACME', volume: '9007199254740993', side: 'SELL' } } },
      { send: { protobuf: { symbl: 'typo' } } },
    ]);
    assert.equal(report.failed, 1);
    assert.equal(statuses(report), '1:passed, 2:passed, 3:passed, 4:failed $.symbl: feed.v1.Tick has no field "symbl" (its fields: symbol, price, volume, side, levels, tags, raw, venue)');
  });

  it('a saved message in MessagePack is sent encoded from a flow', async (t) => {
    const feed = await mock(t, { decode: { as: 'msgpack' }, fallback: 'ignore', rules: [{ on: { decoded: { op: 'hi' } }, reply: { text: 'hi seen' } }] });
    const saved: FlowRunEndpoint = { ...endpoint(feed.url, { as: 'msgpack' }), messages: [{ name: 'Hi', format: 'msgpack', body: '{"op":"hi"}' }] };
    const report = await run(saved, [{ connect: 'feed' }, { send: { message: 'Hi' } }, { expect: { text: 'hi seen' } }]);
    assert.equal(report.passed, 1, statuses(report));
  });

  it('a failed expect describes the decoded message that arrived', async (t) => {
    const feed = await mock(t, { decode: { as: 'msgpack' }, rules: [{ onConnect: { reply: { msgpack: { state: 'closed' } } } }] });
    const report = await run(endpoint(feed.url, { as: 'msgpack' }), [{ connect: 'feed' }, { expect: { decoded: { state: 'open' } }, timeout: 300 }]);
    const failure = report.flows[0]!.steps[1]!.failure;
    assert.match(failure?.actual ?? failure?.message ?? '', /decoded \{"state":"closed"\}/);
  });

  it('a wrong .proto type fails the connect step with its name', async () => {
    const report = await run(endpoint('ws://127.0.0.1:9/', { as: 'protobuf', proto: 'feed.proto', type: 'feed.v1.Nope' }), [{ connect: 'feed' }]);
    assert.equal(
      statuses(report),
      '1:failed endpoint "feed", "decode": feed.proto has no message type "feed.v1.Nope"; it defines feed.v1.Level, feed.v1.Tick, feed.common.Venue',
    );
  });

  it('refuses decoded matches and Protobuf sends without a decoder, before anything connects', async () => {
    const plain: FlowRunEndpoint = { id: 'p', name: 'plain', url: 'ws://h/', protocols: [], headers: [] };
    const issue = (steps: unknown[]): string => {
      const checked = checkFlows([{ name: 'f', steps }], { endpoints: [plain] });
      assert.ok(!checked.ok);
      return describeFlowIssue(checked.issue);
    };
    assert.equal(issue([{ connect: 'plain' }, { expect: { decoded: {} } }]), 'Flow "f", step 2, field "expect.decoded": endpoint "plain" has no "decode" (Decode binary as), so no message is decoded');
    assert.equal(issue([{ connect: 'plain' }, { send: { protobuf: {} } }]), 'Flow "f", step 2, field "send.protobuf": endpoint "plain" needs "decode": {"as": "protobuf", "proto": ..., "type": ...} to send Protobuf');
    const mockIssue = (value: Record<string, unknown>): string => {
      const parsed = parseMock({ name: 'M', ...value });
      assert.ok(!parsed.ok);
      return parsed.error;
    };
    assert.equal(mockIssue({ rules: [{ on: { decoded: {} }, reply: { text: 'x' } }] }), 'Mock "M" (mocks[0]), rule 1, on.decoded: the mock has no "decode" (e.g. {"as": "msgpack"}), so no message is decoded');
    assert.equal(mockIssue({ rules: [{ onConnect: { reply: { protobuf: {} } } }] }), 'Mock "M" (mocks[0]), rule 1, onConnect.reply.protobuf: the mock needs "decode": {"as": "protobuf", "proto": ..., "type": ...} to send Protobuf');
    assert.equal(mockIssue({ decode: { as: 'protobuf' }, rules: [] }), 'Mock "M" (mocks[0]), decode: protobuf needs "proto", the .proto file that defines the message type');
    assert.equal(mockIssue({ kind: 'socketio', decode: { as: 'cbor' }, rules: [] }), 'Mock "M" (mocks[0]), decode: only plain WebSocket mocks decode binary messages');
    const parsed = parseMock({ name: 'M', decode: { as: 'protobuf', proto: 'feed.proto', type: 'feed.v1.Gone' }, rules: [] });
    assert.ok(parsed.ok);
    const started = await startMock(parsed.mock, { protoFolders: [PROTO_DIR] });
    assert.deepEqual(started.ok ? undefined : [started.code, started.error], [
      'decode',
      'Mock "M", "decode": feed.proto has no message type "feed.v1.Gone"; it defines feed.v1.Level, feed.v1.Tick, feed.common.Venue',
    ]);
  });
});
