// Decode binary as for Socket.IO: binary event and ack arguments read with the endpoint's decoder
// (each argument on its own, within the size limit, errors with their offset), against a real
// socket.io server that emits MessagePack and CBOR attachments encoded with our libraries; and
// flows matching `{"event": ..., "decoded": [...]}`.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { encode as cborEncode } from 'cbor-x';
import { encode as msgpackEncode } from '@msgpack/msgpack';
import { decodedArguments, withDecoded } from '../../src/core/decoders/entryDecoder';
import { FlowRunner, type FlowRunEndpoint } from '../../src/core/flows/flowRunner';
import { SocketIoConnection } from '../../src/core/socketIoConnection';
import { encodeBase64 } from '../../src/shared/codecs';
import { checkFlows, describeFlowIssue } from '../../src/shared/flows';
import { compileFilter, NO_FILTER } from '../../src/shared/logFilter';
import type { DecodeConfig, LogEntry } from '../../src/shared/protocol';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import { ConnectionRecorder } from './helpers/connectionRecorder';
import { startSocketIoServer } from './helpers/socketIoServer';

const TICK = { sym: 'EURUSD', price: 1.0842, size: 3 };
const msgpackTick = msgpackEncode(TICK);
const cborTick = new Uint8Array(cborEncode(TICK));

function event(args: LogEntry['event'] extends infer E ? (E extends { args: infer A } ? A : never) : never, kind: 'event' | 'ack' = 'event'): Omit<LogEntry, 'id'> {
  return { time: 1, kind, direction: 'received', size: 0, event: { name: 'tick', args } };
}

describe('binary Socket.IO arguments decoded with the endpoint decoder', () => {
  it('an event or ack: the argument list with each binary argument decoded; JSON arguments as they are', () => {
    const entry = withDecoded(event([{ kind: 'binary', base64: encodeBase64(msgpackTick) }, { kind: 'text', text: '"label"' }]), { as: 'msgpack' });
    assert.deepEqual(entry.decoded, { as: 'msgpack', json: JSON.stringify([TICK, 'label'], null, 2) });
    const ack = withDecoded(event([{ kind: 'binary', base64: encodeBase64(cborTick) }], 'ack'), { as: 'cbor' });
    assert.deepEqual(JSON.parse(ack.decoded!.json!), [TICK]);
    // The log filter finds the event by its decoded content (the bytes alone hold no "EURUSD" text).
    const filter = compileFilter({ ...NO_FILTER, text: 'EURUSD', event: 'tick' });
    assert.ok(filter.ok);
    assert.equal(filter.filter.test({ id: 1, ...entry }), true);
    assert.equal(filter.filter.test({ id: 2, ...event([{ kind: 'binary', base64: encodeBase64(msgpackTick) }]) }), false);
    // No binary argument: nothing to decode, the entry is unchanged.
    const plain = event([{ kind: 'text', text: '{"a":1}' }]);
    assert.equal(withDecoded(plain, { as: 'msgpack' }), plain);
  });

  it('an argument that does not decode says which one, where and why; its bytes stay', () => {
    const bad = encodeBase64(Uint8Array.of(0x82, 0xa1, 0x61));
    const entry = withDecoded(event([{ kind: 'binary', base64: encodeBase64(msgpackTick) }, { kind: 'binary', base64: bad }]), { as: 'msgpack' });
    assert.match(entry.decoded!.error!, /^argument 2: Not valid MessagePack at byte 3: expected /);
    assert.deepEqual(JSON.parse(entry.decoded!.json!), [TICK, { '<binary>': bad }]);
    assert.equal(entry.event!.args[1]!.kind, 'binary');
    const only = withDecoded(event([{ kind: 'binary', base64: bad }]), { as: 'msgpack' });
    assert.equal(only.decoded!.json, undefined, 'nothing decoded: no Decoded value');
    assert.match(only.decoded!.error!, /^argument 1: Not valid MessagePack at byte 3/);
  });

  it('each argument has the size limit of its own', () => {
    const big = encodeBase64(new Uint8Array(40));
    const result = decodedArguments([{ kind: 'binary', base64: encodeBase64(msgpackTick) }, { kind: 'binary', base64: big }], { as: 'msgpack' }, 36);
    assert.deepEqual(result?.values, [TICK, { '<binary>': big }]);
    assert.deepEqual(result?.errors, ["argument 2: Not decoded: it has 40 bytes, more than the decoder's limit of 36"]);
  });
});

/** A socket.io server that emits a MessagePack and a CBOR tick on every connection, and echoes "echo". */
async function tickServer(t: TestContext): Promise<string> {
  const { url } = await startSocketIoServer(t, (io) => {
    io.on('connection', (socket) => {
      socket.emit('tick', Buffer.from(msgpackTick), 'msgpack');
      socket.emit('cborTick', Buffer.from(cborTick), 'cbor');
      socket.on('echo', (...args: unknown[]) => {
        const ack = typeof args.at(-1) === 'function' ? (args.pop() as (...reply: unknown[]) => void) : undefined;
        ack?.(...args);
      });
    });
  });
  return url;
}

describe('against a live socket.io server', () => {
  it('received binary arguments and the ack of an emitted MessagePack argument are decoded', async (t) => {
    const url = await tickServer(t);
    const connection = new SocketIoConnection({ url, protocols: [], headers: [], kind: 'socketio', socketio: { ...DEFAULT_SOCKET_IO_OPTIONS } }, { handshakeTimeoutMs: 3000 });
    t.after(() => connection.dispose());
    const recorder = new ConnectionRecorder(connection);
    assert.deepEqual(connection.open(), { ok: true });
    const tick = await recorder.entry((e) => e.kind === 'event' && e.event?.name === 'tick');
    assert.deepEqual(JSON.parse(withDecoded(tick, { as: 'msgpack' }).decoded!.json!), [TICK, 'msgpack']);
    const cbor = await recorder.entry((e) => e.kind === 'event' && e.event?.name === 'cborTick');
    assert.deepEqual(JSON.parse(withDecoded(cbor, { as: 'cbor' }).decoded!.json!), [TICK, 'cbor']);
    // CBOR bytes read as MessagePack: the error names the argument and the offset.
    assert.match(withDecoded(cbor, { as: 'msgpack' }).decoded!.error!, /^argument 1: Not valid MessagePack at byte \d+/);
    assert.deepEqual(connection.emit('echo', 'base64', encodeBase64(msgpackTick), true), { ok: true });
    const sent = await recorder.entry((e) => e.kind === 'event' && e.direction === 'sent');
    assert.deepEqual(JSON.parse(withDecoded(sent, { as: 'msgpack' }).decoded!.json!), [TICK]);
    const ack = await recorder.entry((e) => e.kind === 'ack');
    assert.deepEqual(JSON.parse(withDecoded(ack, { as: 'msgpack' }).decoded!.json!), [TICK]);
  });

  async function runFlow(url: string, decode: DecodeConfig | undefined, expect: unknown) {
    const endpoints: FlowRunEndpoint[] = [{ id: 'f', name: 'feed', url, protocols: [], headers: [], kind: 'socketio', socketio: { ...DEFAULT_SOCKET_IO_OPTIONS }, ...(decode ? { decode } : {}) }];
    const flows = [{ name: 'ticks', steps: [{ connect: 'feed' }, { expect, timeout: 2000 }, { close: {} }] }];
    const checked = checkFlows(flows, { endpoints });
    if (!checked.ok) return { issue: describeFlowIssue(checked.issue) };
    return { report: await new FlowRunner({ endpoints, flows: checked.checked, variables: [] }).run() };
  }

  it('flows match an event by its decoded arguments; "decoded" needs the endpoint decode', async (t) => {
    const url = await tickServer(t);
    const passed = await runFlow(url, { as: 'msgpack' }, { event: 'tick', decoded: [{ sym: 'EURUSD', price: 1.0842 }, 'msgpack'] });
    assert.equal(passed.report?.passed, 1, passed.issue ?? JSON.stringify(passed.report?.flows[0]?.steps));
    const cbor = await runFlow(url, { as: 'cbor' }, { event: 'cborTick', decoded: [{ size: 3 }] });
    assert.equal(cbor.report?.passed, 1, JSON.stringify(cbor.report?.flows[0]?.steps));
    const wrong = await runFlow(url, { as: 'msgpack' }, { event: 'tick', decoded: [{ sym: 'GBPUSD' }] });
    assert.equal(wrong.report?.failed, 1);
    const failure = wrong.report!.flows[0]!.steps.find((s) => s.status === 'failed');
    assert.match(JSON.stringify(failure), /decoded \[\{\\"sym\\":\\"EURUSD\\"/);
    const refused = await runFlow(url, undefined, { event: 'tick', decoded: [{}] });
    assert.match(refused.issue ?? '', /has no "decode" \(Decode binary as\), so no event argument is decoded/);
  });
});
