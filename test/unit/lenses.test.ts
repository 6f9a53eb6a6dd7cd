// The protocol lenses against hand-made frames: what each one says in its summary and fields,
// how it pairs requests with answers, and what it says about messages that do not parse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLens } from '../../src/shared/lenses/createLens';
import { GraphqlTransportWsLens, operationLabel } from '../../src/shared/lenses/graphqlTransportWs';
import { JsonRpcLens } from '../../src/shared/lenses/jsonRpc';
import { BoundedMap, chooseLens, lensForSubprotocol, type LensFrame } from '../../src/shared/lenses/lens';
import { LENS_NAMES } from '../../src/shared/lenses/lensNames';
import { MqttLens } from '../../src/shared/lenses/mqtt';
import { parseStompFrames, StompLens } from '../../src/shared/lenses/stomp';
import type { LensView } from '../../src/shared/protocol';

const sent = (data: string | Uint8Array, time = 1000): LensFrame => ({ direction: 'sent', time, data });
const received = (data: string | Uint8Array, time = 1000): LensFrame => ({ direction: 'received', time, data });

function field(view: LensView | undefined, name: string): string | undefined {
  return view?.fields.find(([key]) => key === name)?.[1];
}

describe('choosing a lens', () => {
  it('names the lens of each registered subprotocol, case-insensitively', () => {
    assert.equal(lensForSubprotocol('graphql-transport-ws'), 'graphql-transport-ws');
    assert.equal(lensForSubprotocol('v12.stomp'), 'stomp');
    assert.equal(lensForSubprotocol('V11.STOMP'), 'stomp');
    assert.equal(lensForSubprotocol('mqtt'), 'mqtt');
    assert.equal(lensForSubprotocol('jsonrpc'), 'jsonrpc');
    assert.equal(lensForSubprotocol('chat'), undefined);
    assert.equal(lensForSubprotocol(''), undefined);
  });

  it('follows the setting: auto from the subprotocol, none never, a name always', () => {
    assert.equal(chooseLens(undefined, 'mqtt'), 'mqtt');
    assert.equal(chooseLens('auto', 'v12.stomp'), 'stomp');
    assert.equal(chooseLens('none', 'mqtt'), undefined);
    assert.equal(chooseLens('jsonrpc', ''), 'jsonrpc');
    assert.equal(chooseLens('stomp', 'mqtt'), 'stomp');
  });

  it('creates every lens by its name', () => {
    for (const name of LENS_NAMES) assert.equal(createLens(name).name, name);
  });

  it('keeps a bounded number of pending entries, dropping the oldest', () => {
    const map = new BoundedMap<number, string>(3);
    for (let i = 1; i <= 5; i++) map.set(i, `v${i}`);
    assert.equal(map.size, 3);
    assert.equal(map.get(1), undefined);
    assert.equal(map.get(2), undefined);
    assert.equal(map.take(5), 'v5');
    assert.equal(map.size, 2);
  });
});

describe('graphql-transport-ws lens', () => {
  it('pairs next and complete with their subscribe by id, with the time since it', () => {
    const lens = new GraphqlTransportWsLens();
    assert.equal(lens.observe(sent('{"type":"connection_init","payload":{}}'))?.summary, '→ connection_init');
    assert.equal(lens.observe(received('{"type":"connection_ack"}'))?.summary, '← connection_ack');
    const subscribe = lens.observe(sent(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription OnPrice { price(symbol: "X") }', variables: { a: 1 } } }), 1000));
    assert.equal(subscribe?.summary, '→ subscribe #1 OnPrice');
    assert.equal(field(subscribe, 'Query'), 'subscription OnPrice { price(symbol: "X") }');
    assert.equal(field(subscribe, 'Variables'), '{"a":1}');
    const next = lens.observe(received('{"id":"1","type":"next","payload":{"data":{"price":3}}}', 1012));
    assert.equal(next?.summary, '← next #1 12 ms');
    assert.equal(field(next, 'Data'), '{"price":3}');
    assert.equal(field(next, 'Operation'), 'OnPrice');
    const complete = lens.observe(received('{"id":"1","type":"complete"}', 1500));
    assert.equal(complete?.summary, '← complete #1 500 ms');
    assert.equal(field(complete, 'Duration'), '500 ms');
    // The operation is over: a late next is not paired any more.
    assert.equal(lens.observe(received('{"id":"1","type":"next","payload":{"data":{}}}', 1600))?.summary, '← next #1');
  });

  it('shows an error message and a complete the client sent', () => {
    const lens = new GraphqlTransportWsLens();
    lens.observe(sent('{"id":"a","type":"subscribe","payload":{"query":"subscription { ticks }"}}', 0));
    const error = lens.observe(received('{"id":"a","type":"error","payload":[{"message":"Cannot query field"}]}', 7));
    assert.equal(error?.summary, '← error #a 7 ms: Cannot query field');
    lens.observe(sent('{"id":"b","type":"subscribe","payload":{"query":"subscription { ticks }"}}', 10));
    assert.equal(lens.observe(sent('{"id":"b","type":"complete"}', 30))?.summary, '→ complete #b 20 ms');
  });

  it('reads the legacy subscriptions-transport-ws names', () => {
    const lens = new GraphqlTransportWsLens();
    assert.equal(lens.observe(sent('{"id":"1","type":"start","payload":{"query":"subscription S { x }"}}', 0))?.summary, '→ subscribe #1 S');
    assert.equal(lens.observe(received('{"id":"1","type":"data","payload":{"data":{"x":1}}}', 5))?.summary, '← next #1 5 ms');
  });

  it('says why a message is not one of the protocol', () => {
    const lens = new GraphqlTransportWsLens();
    assert.match(lens.observe(received('hello'))?.error ?? '', /not JSON/);
    assert.match(lens.observe(received('[1]'))?.error ?? '', /not a JSON object/);
    assert.match(lens.observe(received('{"id":1}'))?.error ?? '', /no "type"/);
    assert.equal(lens.observe(received('{"type":"weird"}'))?.summary, '← weird (unknown type)');
  });

  it('labels an operation by its name or first field', () => {
    assert.equal(operationLabel('subscription OnPrice($s: String) { price }'), 'OnPrice');
    assert.equal(operationLabel('subscription { prices { bid } }'), 'prices');
    assert.equal(operationLabel('{ alias: field }'), 'field');
    assert.equal(operationLabel(''), '');
  });
});

describe('JSON-RPC lens', () => {
  it('pairs a result with its request by id, with the latency', () => {
    const lens = new JsonRpcLens();
    const request = lens.observe(sent('{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":7}', 100));
    assert.equal(request?.summary, '→ subtract #7');
    assert.equal(field(request, 'Params'), '[42,23]');
    const result = lens.observe(received('{"jsonrpc":"2.0","result":19,"id":7}', 112));
    assert.equal(result?.summary, '← result #7 12 ms');
    assert.equal(field(result, 'Request method'), 'subtract');
    assert.equal(field(result, 'Result'), '19');
    assert.equal(result?.error, undefined);
  });

  it('shows errors with their code and message, and notifications', () => {
    const lens = new JsonRpcLens();
    lens.observe(sent('{"jsonrpc":"2.0","method":"foo","id":"x"}', 0));
    const error = lens.observe(received('{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":"x"}', 3));
    assert.equal(error?.summary, '← error #x -32601 Method not found 3 ms');
    assert.equal(field(error, 'Error code'), '-32601 — Method not found');
    assert.equal(lens.observe(received('{"jsonrpc":"2.0","method":"update","params":[1]}'))?.summary, '← notification update');
  });

  it('pairs requests the server sends with the answers we send', () => {
    const lens = new JsonRpcLens();
    lens.observe(received('{"jsonrpc":"2.0","method":"ping","id":1}', 0));
    assert.equal(lens.observe(sent('{"jsonrpc":"2.0","result":"pong","id":1}', 4))?.summary, '→ result #1 4 ms');
  });

  it('reads batches member by member', () => {
    const lens = new JsonRpcLens();
    const batch = lens.observe(sent('[{"jsonrpc":"2.0","method":"a","id":1},{"jsonrpc":"2.0","method":"b","id":2},{"jsonrpc":"2.0","method":"n"},{"jsonrpc":"2.0","method":"c","id":3}]', 0));
    assert.equal(batch?.summary, '→ batch of 4: a #1, b #2, notification n, +1');
    assert.equal(field(batch, '[2] Method'), 'b');
    const answers = lens.observe(received('[{"jsonrpc":"2.0","result":1,"id":1},{"jsonrpc":"2.0","result":2,"id":2}]', 9));
    assert.equal(answers?.summary, '← batch of 2: result #1 9 ms, result #2 9 ms');
  });

  it('flags what is not JSON-RPC 2.0', () => {
    const lens = new JsonRpcLens();
    assert.match(lens.observe(received('{"method":"x","id":1}'))?.error ?? '', /"jsonrpc" is missing/);
    assert.match(lens.observe(received('{"jsonrpc":"2.0","id":1}'))?.error ?? '', /no "method", "result" or "error"/);
    assert.match(lens.observe(received('nope'))?.error ?? '', /not JSON/);
    assert.match(lens.observe(received('[]'))?.error ?? '', /empty batch/);
    assert.match(lens.observe(received('{"jsonrpc":"2.0","error":"bad","id":1}'))?.error ?? '', /numeric "code"/);
  });
});

describe('STOMP lens', () => {
  it('reads command, headers and body', () => {
    const lens = new StompLens();
    const view = lens.observe(sent('SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\n\n\0'));
    assert.equal(view?.summary, 'SUBSCRIBE /topic/prices');
    assert.equal(field(view, 'Command'), 'SUBSCRIBE');
    assert.equal(field(view, 'id'), 'sub-0');
    const message = lens.observe(received('MESSAGE\r\ndestination:/topic/prices\r\nmessage-id:1\r\nsubscription:sub-0\r\ncontent-type:application/json\r\n\r\n{"bid":1}\0'));
    assert.equal(message?.summary, 'MESSAGE /topic/prices');
    assert.equal(field(message, 'Body'), '{"bid":1}');
    assert.equal(field(message, 'content-type'), 'application/json');
  });

  it('decodes header escapes except in CONNECT and CONNECTED, and keeps the first of repeated headers', () => {
    const frames = parseStompFrames('SEND\ndestination:/a\\cb\nfoo:1\nfoo:2\n\nx\0');
    assert.ok(frames.ok);
    assert.deepEqual(frames.frames[0]?.headers, [['destination', '/a:b'], ['foo', '1'], ['foo', '2']]);
    assert.equal(new StompLens().observe(sent('SEND\ndestination:/a\\cb\n\n\0'))?.summary, 'SEND /a:b');
    const connect = parseStompFrames('CONNECT\naccept-version:1.2\nhost:a\\cb\n\n\0');
    assert.ok(connect.ok);
    assert.deepEqual(connect.frames[0]?.headers[1], ['host', 'a\\cb']);
  });

  it('honours content-length, so a body may hold NUL', () => {
    const frames = parseStompFrames('SEND\ndestination:/q\ncontent-length:5\n\na\0bé\0');
    assert.ok(frames.ok);
    assert.equal(frames.frames[0]?.body, 'a\0bé');
  });

  it('reads heart-beats and several frames in one message', () => {
    const lens = new StompLens();
    assert.equal(lens.observe(received('\n'))?.summary, 'heart-beat');
    const two = lens.observe(received('MESSAGE\ndestination:/a\n\n1\0\nMESSAGE\ndestination:/b\n\n2\0'));
    assert.equal(two?.summary, 'MESSAGE /a · MESSAGE /b');
    assert.equal(field(two, '[2] Body'), '2');
  });

  it('pairs a RECEIPT with the frame that asked for it', () => {
    const lens = new StompLens();
    assert.equal(lens.observe(sent('CONNECT\naccept-version:1.2\nhost:broker\n\n\0'))?.summary, 'CONNECT broker');
    assert.equal(lens.observe(received('CONNECTED\nversion:1.2\n\n\0'))?.summary, 'CONNECTED 1.2');
    lens.observe(sent('SEND\ndestination:/q\nreceipt:77\n\nhi\0', 0));
    const receipt = lens.observe(received('RECEIPT\nreceipt-id:77\n\n\0', 15));
    assert.equal(receipt?.summary, 'RECEIPT 77 15 ms');
    assert.equal(field(receipt, 'Receipt for'), 'SEND');
    assert.equal(lens.observe(received('ERROR\nmessage:malformed frame\n\n\0'))?.summary, 'ERROR malformed frame');
  });

  it('says why a message is not STOMP', () => {
    const lens = new StompLens();
    assert.match(lens.observe(received('HELLO\n\n\0'))?.error ?? '', /"HELLO" is not a STOMP command/);
    assert.match(lens.observe(received('SEND\ndestination:/q\n\nbody'))?.error ?? '', /does not end with NUL/);
    assert.match(lens.observe(received('SEND\nbroken\n\n\0'))?.error ?? '', /has no colon/);
    assert.match(lens.observe(received('SEND\ncontent-length:9\n\nab\0'))?.error ?? '', /content-length/);
  });
});

/** An MQTT packet: the fixed header's first byte, then the body with its remaining length. */
function packet(first: number, ...body: number[]): Uint8Array {
  const length: number[] = [];
  let rest = body.length;
  do {
    let b = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) b |= 0x80;
    length.push(b);
  } while (rest > 0);
  return Uint8Array.from([first, ...length, ...body]);
}

const str = (text: string): number[] => {
  const bytes = [...new TextEncoder().encode(text)];
  return [bytes.length >> 8, bytes.length & 255, ...bytes];
};

describe('MQTT lens', () => {
  it('reads a 3.1.1 session: CONNECT, CONNACK, SUBSCRIBE, SUBACK, PUBLISH, PUBACK', () => {
    const lens = new MqttLens();
    // Clean session, user name and password, keep alive 60.
    const connect = lens.observe(sent(packet(0x10, ...str('MQTT'), 4, 0xc2, 0, 60, ...str('client-1'), ...str('user'), ...str('secret'))));
    assert.equal(connect?.summary, 'CONNECT client-1 v3.1.1');
    assert.equal(field(connect, 'User name'), 'user');
    assert.equal(field(connect, 'Password'), '(set, not shown)');
    assert.ok(!JSON.stringify(connect).includes('secret'));
    assert.equal(lens.observe(received(packet(0x20, 0, 0)))?.summary, 'CONNACK accepted');
    assert.equal(lens.observe(received(packet(0x20, 0, 5)))?.summary, 'CONNACK not authorized');
    assert.equal(lens.observe(sent(packet(0x82, 0, 1, ...str('sensors/#'), 1), 0))?.summary, 'SUBSCRIBE sensors/# qos1');
    assert.equal(lens.observe(received(packet(0x90, 0, 1, 1), 4))?.summary, 'SUBACK #1 qos1 4 ms');
    const publish = lens.observe(sent(packet(0x32, ...str('sensors/1'), 0, 9, ...new TextEncoder().encode('21.5')), 10));
    assert.equal(publish?.summary, 'PUBLISH sensors/1 qos1');
    assert.equal(field(publish, 'Payload'), '21.5');
    assert.equal(field(publish, 'Packet id'), '9');
    assert.equal(lens.observe(received(packet(0x40, 0, 9), 13))?.summary, 'PUBACK #9 3 ms');
    assert.equal(lens.observe(received(packet(0x31, ...str('sensors/2'), 0xff, 0x00)))?.summary, 'PUBLISH sensors/2 qos0 retain');
    assert.equal(field(lens.observe(received(packet(0x30, ...str('t'), 0xff, 0x00))), 'Payload'), 'hex ff 00');
    lens.observe(sent(packet(0xc0), 20));
    assert.equal(lens.observe(received(packet(0xd0), 22))?.summary, 'PINGRESP 2 ms');
    assert.equal(lens.observe(sent(packet(0xe0)))?.summary, 'DISCONNECT');
  });

  it('reads MQTT 5 properties, reason codes and topic aliases', () => {
    const lens = new MqttLens();
    // CONNECT v5, clean start, properties: session expiry 0x11 = 120.
    assert.equal(lens.observe(sent(packet(0x10, ...str('MQTT'), 5, 0x02, 0, 30, 5, 0x11, 0, 0, 0, 120, ...str('c5'))))?.summary, 'CONNECT c5 v5');
    const connack = lens.observe(received(packet(0x20, 0, 0, 3, 0x22, 0, 10)));
    assert.equal(connack?.summary, 'CONNACK accepted');
    assert.equal(field(connack, 'Topic alias maximum'), '10');
    // PUBLISH qos0 with topic and alias 1, then with the alias alone.
    const first = lens.observe(sent(packet(0x30, ...str('a/b'), 3, 0x23, 0, 1, 0x41)));
    assert.equal(first?.summary, 'PUBLISH a/b qos0');
    assert.equal(field(first, 'Topic alias'), '1');
    assert.equal(lens.observe(sent(packet(0x30, ...str(''), 3, 0x23, 0, 1, 0x42)))?.summary, 'PUBLISH a/b qos0');
    // User property and a SUBACK that refuses.
    const user = lens.observe(received(packet(0x30, ...str('x'), 7, 0x26, ...str('k'), ...str('v'))));
    assert.equal(field(user, 'User property'), 'k: v');
    lens.observe(sent(packet(0x82, 0, 2, 0, ...str('#'), 0)));
    assert.equal(lens.observe(received(packet(0x90, 0, 2, 0, 0x87)))?.summary.startsWith('SUBACK #2 Not authorized'), true);
    assert.equal(lens.observe(received(packet(0xe0, 0x8b, 0)))?.summary, 'DISCONNECT Server shutting down');
  });

  it('reads several packets in one message and a packet split across messages', () => {
    const lens = new MqttLens();
    const two = Uint8Array.from([...packet(0x30, ...str('a'), 0x31), ...packet(0x30, ...str('b'), 0x32)]);
    const view = lens.observe(received(two));
    assert.equal(view?.summary, 'PUBLISH a qos0 · PUBLISH b qos0');
    assert.equal(field(view, '[2] Topic'), 'b');
    const whole = packet(0x30, ...str('split/topic'), ...new Array<number>(200).fill(0x61));
    assert.equal(lens.observe(received(whole.subarray(0, 50)))?.summary, `partial packet (50 of ${whole.length} bytes)`);
    assert.equal(lens.observe(received(whole.subarray(50)))?.summary, 'PUBLISH split/topic qos0');
  });

  it('says what is wrong with a malformed packet', () => {
    const lens = new MqttLens();
    assert.match(lens.observe(received('text'))?.error ?? '', /binary messages/);
    assert.match(lens.observe(received(Uint8Array.from([0x00, 0x00])))?.error ?? '', /type 0 is reserved/);
    assert.match(lens.observe(received(packet(0x36, ...str('t'), 0, 1)))?.error ?? '', /QoS 3/);
    assert.match(lens.observe(received(packet(0x30, 0, 9, 0x61)))?.error ?? '', /Malformed PUBLISH: topic name says 9 bytes, 1 are left/);
    assert.match(lens.observe(received(Uint8Array.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])))?.error ?? '', /longer than 4 bytes/);
    assert.match(lens.observe(received(packet(0x30, ...str('\u00ff').slice(0, 2), 0xc3)))?.error ?? '', /topic name/);
  });
});

describe('many protocol messages in one WebSocket message', () => {
  it('lists the fields of the first 50 and reads at most 1,000, saying so', () => {
    const batch = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ jsonrpc: '2.0', method: 'm', id: i })));
    const rpc = new JsonRpcLens().observe(sent(batch));
    assert.equal(field(rpc, 'Not listed'), '950 more members');
    assert.equal(field(rpc, 'Not read'), 'members after the first 1000');
    assert.ok((rpc?.fields.length ?? 0) < 50 * 4 + 5, `${rpc?.fields.length} fields`);
    assert.match(rpc?.summary ?? '', /^→ batch of 2000: m #0, m #1, m #2, \+997$/);

    const pings = new Uint8Array(1500 * 2).map((_, i) => (i % 2 === 0 ? 0xc0 : 0));
    const mqtt = new MqttLens().observe(sent(pings));
    assert.equal(field(mqtt, 'Not listed'), '950 more packets');
    assert.equal(field(mqtt, 'Not read'), '1000 bytes after the first 1000 packets');

    const frames = 'MESSAGE\ndestination:/a\n\n\0'.repeat(1200);
    const stomp = new StompLens().observe(received(frames));
    assert.equal(field(stomp, 'Not listed'), '950 more frames');
    assert.match(field(stomp, 'Not read') ?? '', /^\d+ characters after the first 1000 frames$/);
  });
});
