// The protocol lenses on live traffic from servers we did not write: Debian's mosquitto broker
// (MQTT 3.1.1 and 5 over its websockets listener), the graphql-ws library's server and the
// json-rpc-2.0 library's server (over a ws server). No packaged STOMP broker with a WebSocket
// listener is light enough for a unit test, so STOMP talks to a small broker written here with
// ws, which frames its answers itself (not with the lens's parser). The panel's
// own path is driven (PanelController: the webview's messages in, the log's entries out), so
// what is checked is what the rows show. Packets are encoded by the mqtt-packet library, and what
// the broker sends is decoded by it too, to compare with what the lens read.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { handleProtocols, makeServer } from 'graphql-ws';
import { JSONRPCErrorException, JSONRPCServer } from 'json-rpc-2.0';
import * as mqtt from 'mqtt-packet';
import { WebSocketServer } from 'ws';
import { PanelController } from '../../src/core/panel/panelController';
import type { PanelHost, PanelSettings } from '../../src/core/panel/panelHost';
import type { ConnectionParams, LogEntry, ResultMessage, ToWebview } from '../../src/shared/protocol';
import { waitUntil } from './helpers/connectionRecorder';

const SETTINGS: PanelSettings = {
  connection: { handshakeTimeoutMs: 3000, maxPayload: 1024 * 1024 },
  reconnect: { initialMs: 250, maxMs: 300, maxAttempts: 0 },
  logCapacity: 1000,
};

/** Just what a panel needs to connect and send: no collections, no files. */
function minimalHost(posted: ToWebview[]): PanelHost {
  return {
    post: (message) => posted.push(message),
    showTitle: () => undefined,
    log: () => undefined,
    settings: () => SETTINGS,
    workspaceTrusted: () => true,
    endpoints: {
      collections: [],
      save: () => Promise.reject(new Error('not in this test')),
      selectEnvironment: async () => undefined,
      changeMessages: () => Promise.reject(new Error('not in this test')),
    },
    sharedCollections: () => [],
    confirm: async () => false,
    variables: { activeVariables: async () => [], save: async () => ({ ok: true }) },
    files: { file: undefined, start: async () => undefined, stop: async () => undefined, openEntry: async () => undefined, saveEntry: async () => undefined, copyToClipboard: async () => undefined, exportHar: async () => undefined },
    renameEndpoint: async () => undefined,
    deleteEndpoint: async () => undefined,
    openFlowDraft: async () => undefined,
    notify: () => undefined,
    protoFolders: () => [],
  };
}

/** A panel connected to `url`, with helpers to send and to wait for a lens summary. */
async function panel(t: TestContext, params: ConnectionParams) {
  const posted: ToWebview[] = [];
  const controller = new PanelController(minimalHost(posted), { params, title: 'lens test' });
  t.after(() => controller.dispose());
  let nextId = 1;
  const request = async (message: Record<string, unknown>): Promise<ResultMessage> => {
    const requestId = nextId++;
    controller.receive({ ...message, requestId });
    await waitUntil(() => posted.some((m) => m.type === 'result' && m.inReplyTo === requestId), () => `no reply to ${JSON.stringify(message)}`);
    return posted.find((m): m is ResultMessage => m.type === 'result' && m.inReplyTo === requestId)!;
  };
  const entries = (): LogEntry[] => controller.entries;
  const summaries = () => entries().flatMap((e) => (e.lens ? [`${e.direction} ${e.lens.summary}`] : []));
  const waitForLens = async (test: (entry: LogEntry) => boolean, what: string): Promise<LogEntry> => {
    await waitUntil(() => entries().some((e) => e.lens !== undefined && test(e)), () => `no lens entry ${what}; got ${JSON.stringify(summaries())}`, 5000);
    return entries().find((e) => e.lens !== undefined && test(e))!;
  };
  assert.deepEqual(await request({ type: 'connect', params }), { type: 'result', inReplyTo: 1, ok: true });
  await waitUntil(() => controller.state.readyState === 'OPEN', () => `not open: ${JSON.stringify(controller.state)}`, 5000);
  const sendBytes = (bytes: Uint8Array) => request({ type: 'send', format: 'base64', body: Buffer.from(bytes).toString('base64') });
  const sendText = (text: string) => request({ type: 'send', format: 'text', body: text });
  return { controller, entries, summaries, waitForLens, sendBytes, sendText };
}

function field(entry: LogEntry, name: string): string | undefined {
  return entry.lens?.fields.find(([key]) => key === name)?.[1];
}

function bytesOf(entry: LogEntry): Buffer {
  assert.equal(entry.payload?.kind, 'binary');
  return Buffer.from(entry.payload.kind === 'binary' ? entry.payload.base64 : '', 'base64');
}

/** Every packet mqtt-packet reads in these bytes, for the given protocol version. */
function mqttPackets(bytes: Buffer, protocolVersion: 4 | 5): mqtt.Packet[] {
  const parser = mqtt.parser({ protocolVersion });
  const packets: mqtt.Packet[] = [];
  parser.on('packet', (packet) => packets.push(packet));
  parser.on('error', (error) => assert.fail(`mqtt-packet could not read the broker's bytes: ${error.message}`));
  parser.parse(bytes);
  return packets;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Debian's mosquitto with a websockets listener on a free port and a temporary configuration. */
async function startMosquitto(t: TestContext): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wsd-mosquitto-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const config = path.join(dir, 'mosquitto.conf');
  // mosquitto 2.0.11 (Debian 12) refuses to start with a websockets listener alone ("Unable to
  // start any listening sockets"), so a plain MQTT listener on another free port goes with it.
  const plainPort = await freePort();
  writeFileSync(config, `allow_anonymous true\npersistence false\nlistener ${plainPort} 127.0.0.1\nlistener ${port} 127.0.0.1\nprotocol websockets\n`);
  const child = spawn('/usr/sbin/mosquitto', ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  t.after(() => {
    child.kill('SIGTERM');
  });
  const deadline = Date.now() + 5000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return `ws://127.0.0.1:${port}`;
}

describe('MQTT lens against mosquitto (websockets listener)', () => {
  it('reads an MQTT 3.1.1 session: connect, subscribe, publish qos1, the broker delivering it back', async (t) => {
    const url = await startMosquitto(t);
    const { controller, waitForLens, sendBytes } = await panel(t, { url, protocols: ['mqtt'], headers: [] });
    assert.equal(controller.state.protocol, 'mqtt');

    await sendBytes(mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'wsd-lens-311', clean: true, keepalive: 30 }));
    await waitForLens((e) => e.direction === 'sent' && e.lens?.summary === 'CONNECT wsd-lens-311 v3.1.1', 'CONNECT');
    await waitForLens((e) => e.direction === 'received' && e.lens?.summary === 'CONNACK accepted', 'CONNACK');

    await sendBytes(mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'sensors/#', qos: 1 }] }));
    const suback = await waitForLens((e) => e.direction === 'received' && e.lens!.summary.startsWith('SUBACK #1 qos1'), 'SUBACK');
    assert.match(suback.lens!.summary, /^SUBACK #1 qos1 \d+ ms$/);

    await sendBytes(mqtt.generate({ cmd: 'publish', topic: 'sensors/1', payload: Buffer.from('21.5'), qos: 1, messageId: 7, retain: false, dup: false }));
    assert.ok((await waitForLens((e) => e.direction === 'sent', 'PUBLISH sent')).lens);
    const puback = await waitForLens((e) => e.direction === 'received' && e.lens!.summary.startsWith('PUBACK #7'), 'PUBACK');
    assert.match(puback.lens!.summary, /^PUBACK #7 \d+ ms$/);
    const delivered = await waitForLens((e) => e.direction === 'received' && e.lens!.summary.startsWith('PUBLISH sensors/1'), 'the delivered PUBLISH');
    assert.equal(delivered.lens!.summary, 'PUBLISH sensors/1 qos1');
    assert.equal(field(delivered, 'Payload'), '21.5');
    // mqtt-packet reads the broker's bytes the same way.
    const [packet] = mqttPackets(bytesOf(delivered), 4) as mqtt.IPublishPacket[];
    assert.equal(packet?.topic, 'sensors/1');
    assert.equal(packet?.qos, 1);
    assert.equal(field(delivered, 'Packet id'), String(packet?.messageId));

    await sendBytes(mqtt.generate({ cmd: 'pingreq' }));
    await waitForLens((e) => e.direction === 'received' && /^PINGRESP \d+ ms$/.test(e.lens!.summary), 'PINGRESP');
  });

  it('reads MQTT 5: properties, reason codes and a retained message', async (t) => {
    const url = await startMosquitto(t);
    const { waitForLens, sendBytes } = await panel(t, { url, protocols: ['mqtt'], headers: [] });
    await sendBytes(mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: 'wsd-lens-5', clean: true, keepalive: 30, properties: { sessionExpiryInterval: 0, topicAliasMaximum: 5 } }, { protocolVersion: 5 }));
    await waitForLens((e) => e.lens?.summary === 'CONNECT wsd-lens-5 v5', 'CONNECT v5');
    const connack = await waitForLens((e) => e.direction === 'received' && e.lens!.summary.startsWith('CONNACK'), 'CONNACK');
    assert.equal(connack.lens!.summary, 'CONNACK accepted');
    assert.equal(field(connack, 'Reason'), '0 Success');
    const [read] = mqttPackets(bytesOf(connack), 5) as mqtt.IConnackPacket[];
    assert.equal(read?.reasonCode, 0);

    await sendBytes(mqtt.generate({ cmd: 'publish', topic: 'lens/retained', payload: Buffer.from('{"on":true}'), qos: 0, retain: true, dup: false, properties: { contentType: 'application/json', userProperties: { origin: 'test' } } }, { protocolVersion: 5 }));
    await sendBytes(mqtt.generate({ cmd: 'subscribe', messageId: 3, subscriptions: [{ topic: 'lens/#', qos: 0 }] }, { protocolVersion: 5 }));
    const suback = await waitForLens((e) => e.direction === 'received' && e.lens!.summary.startsWith('SUBACK #3'), 'SUBACK');
    assert.match(suback.lens!.summary, /^SUBACK #3 qos0 \d+ ms$/);
    const retained = await waitForLens((e) => e.direction === 'received' && e.lens!.summary.startsWith('PUBLISH lens/retained'), 'the retained PUBLISH');
    assert.equal(retained.lens!.summary, 'PUBLISH lens/retained qos0 retain');
    assert.equal(field(retained, 'Content type'), 'application/json');
    assert.equal(field(retained, 'User property'), 'origin: test');
    assert.equal(field(retained, 'Payload'), '{"on":true}');

    // A topic filter the broker refuses: "#" in the middle is invalid.
    await sendBytes(mqtt.generate({ cmd: 'subscribe', messageId: 4, subscriptions: [{ topic: 'bad/#/x', qos: 0 }] }, { protocolVersion: 5 }));
    const refused = await waitForLens((e) => e.direction === 'received' && (e.lens!.summary.startsWith('SUBACK #4') || e.lens!.summary.startsWith('DISCONNECT')), 'the refusal');
    assert.match(refused.lens!.summary, /Topic Filter invalid|Malformed Packet|Protocol Error/);
  });
});

/** A small schema with a subscription that counts to 3, served by graphql-ws over a ws server. */
async function startGraphqlWs(t: TestContext): Promise<string> {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        count: {
          type: GraphQLInt,
          args: { to: { type: GraphQLInt } },
          subscribe: async function* (_root: unknown, args: { to?: number }) {
            for (let i = 1; i <= (args.to ?? 3); i++) {
              await new Promise((resolve) => setTimeout(resolve, 5));
              yield { count: i };
            }
          },
        },
      },
    }),
  });
  // graphql-ws's own server (makeServer) does the protocol; this is the few lines that hand it the
  // sockets of a ws server (what its 'graphql-ws/use/ws' adapter does; that entry point needs a
  // moduleResolution the project's tsconfig does not use).
  const server = makeServer({ schema });
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (offered) => handleProtocols(offered) });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (socket) => {
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => new Promise<void>((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve()))),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch((error: unknown) => socket.close(1011, String(error).slice(0, 100)));
          }),
      },
      undefined,
    );
    socket.once('close', (code, reason) => void closed(code, String(reason)));
  });
  t.after(() => closeServer(wss));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/graphql`;
}

describe('graphql-transport-ws lens against the graphql-ws server', () => {
  it('pairs next and complete with the subscribe, and reads a query and an error', async (t) => {
    const url = await startGraphqlWs(t);
    const { controller, waitForLens, sendText, summaries } = await panel(t, { url, protocols: ['graphql-transport-ws'], headers: [] });
    assert.equal(controller.state.protocol, 'graphql-transport-ws');
    await sendText('{"type":"connection_init","payload":{}}');
    await waitForLens((e) => e.lens?.summary === '← connection_ack', 'connection_ack');

    await sendText(JSON.stringify({ id: 'c1', type: 'subscribe', payload: { query: 'subscription Counter { count(to: 3) }' } }));
    await waitForLens((e) => e.lens?.summary === '→ subscribe #c1 Counter', 'subscribe');
    const complete = await waitForLens((e) => e.lens!.summary.startsWith('← complete #c1'), 'complete');
    assert.match(complete.lens!.summary, /^← complete #c1 \d+ ms$/);
    const nexts = controller.entries.filter((e) => e.lens?.summary.startsWith('← next #c1'));
    assert.equal(nexts.length, 3, JSON.stringify(summaries()));
    for (const next of nexts) assert.match(next.lens!.summary, /^← next #c1 \d+ ms$/);
    assert.deepEqual(nexts.map((e) => field(e, 'Data')), ['{"count":1}', '{"count":2}', '{"count":3}']);
    assert.equal(field(nexts[0]!, 'Operation'), 'Counter');

    await sendText(JSON.stringify({ id: 'q1', type: 'subscribe', payload: { query: '{ hello }' } }));
    const answer = await waitForLens((e) => e.lens!.summary.startsWith('← next #q1'), 'the query result');
    assert.equal(field(answer, 'Data'), '{"hello":"world"}');

    await sendText(JSON.stringify({ id: 'e1', type: 'subscribe', payload: { query: 'subscription { nope }' } }));
    const error = await waitForLens((e) => e.lens!.summary.startsWith('← error #e1'), 'the validation error');
    assert.match(error.lens!.summary, /^← error #e1 \d+ ms: Cannot query field "nope"/);

    await sendText('{"type":"ping"}');
    await waitForLens((e) => e.lens?.summary === '← pong', 'pong');
  });

  it('reads nothing with the lens set to none, and everything with it named on a server that negotiates no subprotocol', async (t) => {
    const url = await startGraphqlWs(t);
    const off = await panel(t, { url, protocols: ['graphql-transport-ws'], headers: [], options: { lens: 'none' } });
    await off.sendText('{"type":"connection_init"}');
    await waitUntil(() => off.entries().some((e) => e.direction === 'received' && e.kind === 'message'), () => 'no ack');
    assert.deepEqual(off.summaries(), []);

    const echo = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => echo.once('listening', () => resolve()));
    t.after(() => closeServer(echo));
    echo.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
    const named = await panel(t, { url: `ws://127.0.0.1:${(echo.address() as AddressInfo).port}`, protocols: [], headers: [], options: { lens: 'jsonrpc' } });
    await named.sendText('{"jsonrpc":"2.0","method":"echo","id":1}');
    await named.waitForLens((e) => e.direction === 'received' && e.lens?.summary === '← echo #1', 'the echoed request');
  });
});

/** Closes a ws server, ending its connections first (a panel may still hold one). */
function closeServer(server: WebSocketServer): Promise<void> {
  for (const client of server.clients) client.terminate();
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A ws server that picks `protocol` when the client offers it. */
async function wsServer(t: TestContext, protocol: string): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (offered) => (offered.has(protocol) ? protocol : false) });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  t.after(() => closeServer(server));
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('JSON-RPC lens against the json-rpc-2.0 server', () => {
  it('pairs results and errors with their requests by id, with the latency, and reads batches', async (t) => {
    // The library logs each thrown method error; the test expects one.
    const rpc = new JSONRPCServer({ errorListener: () => undefined });
    rpc.addMethod('add', ({ a, b }: { a: number; b: number }) => a + b);
    rpc.addMethod('slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return 'done';
    });
    rpc.addMethod('fail', () => {
      throw new JSONRPCErrorException('Insufficient funds', -32010, { balance: 0 });
    });
    const { server, url } = await wsServer(t, 'jsonrpc');
    server.on('connection', (socket) =>
      socket.on('message', (data) => {
        void rpc.receiveJSON(String(data)).then((response) => {
          if (response) socket.send(JSON.stringify(response));
        });
      }),
    );
    const { controller, waitForLens, sendText } = await panel(t, { url, protocols: ['jsonrpc'], headers: [] });
    assert.equal(controller.state.protocol, 'jsonrpc');

    await sendText('{"jsonrpc":"2.0","method":"add","params":{"a":2,"b":5},"id":7}');
    await waitForLens((e) => e.lens?.summary === '→ add #7', 'the request');
    const result = await waitForLens((e) => e.direction === 'received' && e.lens!.summary.startsWith('← result #7'), 'the result');
    assert.match(result.lens!.summary, /^← result #7 \d+ ms$/);
    assert.equal(field(result, 'Result'), '7');
    assert.equal(field(result, 'Request method'), 'add');

    await sendText('{"jsonrpc":"2.0","method":"slow","id":"s"}');
    const slow = await waitForLens((e) => e.lens!.summary.startsWith('← result #s'), 'the slow result');
    const ms = Number(/(\d+) ms$/.exec(slow.lens!.summary)?.[1]);
    assert.ok(ms >= 25, slow.lens!.summary);

    await sendText('{"jsonrpc":"2.0","method":"fail","id":8}');
    const failed = await waitForLens((e) => e.lens!.summary.startsWith('← error #8'), 'the error');
    assert.match(failed.lens!.summary, /^← error #8 -32010 Insufficient funds \d+ ms$/);
    assert.equal(field(failed, 'Error data'), '{"balance":0}');

    await sendText('{"jsonrpc":"2.0","method":"nope","id":9}');
    const missing = await waitForLens((e) => e.lens!.summary.startsWith('← error #9'), 'method not found');
    assert.equal(field(missing, 'Error code'), '-32601 — Method not found');

    await sendText('[{"jsonrpc":"2.0","method":"add","params":{"a":1,"b":1},"id":10},{"jsonrpc":"2.0","method":"add","params":{"a":2,"b":2},"id":11},{"jsonrpc":"2.0","method":"add","params":{"a":0,"b":0}}]');
    await waitForLens((e) => e.lens?.summary === '→ batch of 3: add #10, add #11, notification add', 'the batch');
    const answers = await waitForLens((e) => e.direction === 'received' && e.lens!.summary.startsWith('← batch of 2'), 'the batch answer');
    assert.match(answers.lens!.summary, /^← batch of 2: result #10 \d+ ms, result #11 \d+ ms$/);
  });
});

/**
 * A small STOMP 1.2 broker: CONNECT, SUBSCRIBE, SEND (delivered as MESSAGE to the subscribers of
 * its destination), RECEIPT for frames that ask, ERROR for an unknown command. Its reading of
 * frames is deliberately simple (no escapes, no content-length): the test sends none.
 */
function stompBroker(server: WebSocketServer): void {
  const subscribers = new Map<string, { send(text: string): void; id: string }[]>();
  let messageId = 0;
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const text = String(data);
      if (text === '\n') return;
      const [head = '', body = ''] = text.replace(/\0$/, '').split('\n\n');
      const [command = '', ...lines] = head.split('\n');
      const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)] as const));
      const frame = (name: string, pairs: [string, string][], content = '') => `${name}\n${pairs.map(([k, v]) => `${k}:${v}`).join('\n')}\n\n${content}\0`;
      switch (command) {
        case 'CONNECT':
        case 'STOMP':
          socket.send(frame('CONNECTED', [['version', '1.2'], ['heart-beat', '0,0'], ['server', 'test-broker/1']]));
          break;
        case 'SUBSCRIBE': {
          const destination = headers.get('destination') ?? '';
          subscribers.set(destination, [...(subscribers.get(destination) ?? []), { send: (t) => socket.send(t), id: headers.get('id') ?? '' }]);
          break;
        }
        case 'SEND':
          for (const subscriber of subscribers.get(headers.get('destination') ?? '') ?? []) {
            subscriber.send(frame('MESSAGE', [['destination', headers.get('destination') ?? ''], ['message-id', String(++messageId)], ['subscription', subscriber.id], ['content-type', headers.get('content-type') ?? 'text/plain']], body));
          }
          break;
        case 'DISCONNECT':
          break;
        default:
          socket.send(frame('ERROR', [['message', `unknown command ${command}`]], 'The broker does not know this command.'));
          return;
      }
      const receipt = headers.get('receipt');
      if (receipt !== undefined) socket.send(frame('RECEIPT', [['receipt-id', receipt]]));
    });
  });
}

describe('STOMP lens against a small STOMP broker written with ws', () => {
  it('reads CONNECTED, MESSAGE with its headers and body, and pairs a RECEIPT', async (t) => {
    const { server, url } = await wsServer(t, 'v12.stomp');
    stompBroker(server);
    const { controller, waitForLens, sendText } = await panel(t, { url, protocols: ['v12.stomp', 'v11.stomp'], headers: [] });
    assert.equal(controller.state.protocol, 'v12.stomp');

    await sendText('CONNECT\naccept-version:1.2\nhost:broker.test\n\n\0');
    await waitForLens((e) => e.lens?.summary === 'CONNECT broker.test', 'CONNECT');
    const connected = await waitForLens((e) => e.lens?.summary === 'CONNECTED 1.2', 'CONNECTED');
    assert.equal(field(connected, 'server'), 'test-broker/1');

    await sendText('SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\nreceipt:r1\n\n\0');
    await waitForLens((e) => e.lens?.summary === 'SUBSCRIBE /topic/prices', 'SUBSCRIBE');
    const receipt = await waitForLens((e) => e.lens!.summary.startsWith('RECEIPT r1'), 'RECEIPT');
    assert.match(receipt.lens!.summary, /^RECEIPT r1 \d+ ms$/);
    assert.equal(field(receipt, 'Receipt for'), 'SUBSCRIBE');

    await sendText('SEND\ndestination:/topic/prices\ncontent-type:application/json\n\n{"bid":101.5}\0');
    const message = await waitForLens((e) => e.direction === 'received' && e.lens?.summary === 'MESSAGE /topic/prices', 'MESSAGE');
    assert.equal(field(message, 'Body'), '{"bid":101.5}');
    assert.equal(field(message, 'subscription'), 'sub-0');
    assert.equal(field(message, 'content-type'), 'application/json');

    await sendText('FROB\n\n\0');
    await waitForLens((e) => e.direction === 'sent' && e.lens?.error !== undefined, 'the refused frame');
    await waitForLens((e) => e.lens?.summary === 'ERROR unknown command FROB', 'ERROR');
  });
});
