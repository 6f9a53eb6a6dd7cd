import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, it, type TestContext } from 'node:test';
import type { WebSocket as ServerSocket } from 'ws';
import { Connection, type ConnectionOptions } from '../../src/core/connection';
import type { ConnectionParams } from '../../src/shared/protocol';
import { ConnectionRecorder, waitUntil } from './helpers/connectionRecorder';
import {
  clientCloseCode,
  closedPort,
  serverFrame,
  startHttpServer,
  startRawWsServer,
  startSilentServer,
  startWsServer,
} from './helpers/testServers';

const OPTIONS: ConnectionOptions = { handshakeTimeoutMs: 2000, maxPayload: 1024 * 1024 };

function params(url: string, extra: Partial<ConnectionParams> = {}): ConnectionParams {
  return { url, protocols: [], headers: [], ...extra };
}

/** A connection whose disposal is registered with the test, plus its recorder. */
function connect(t: TestContext, p: ConnectionParams, options: ConnectionOptions = OPTIONS) {
  const connection = new Connection(p, options);
  t.after(() => connection.dispose());
  const recorder = new ConnectionRecorder(connection);
  return { connection, recorder };
}

/** A ws server that records each server-side socket and what reaches it. */
async function serverWithLog(t: TestContext, options: Parameters<typeof startWsServer>[0] = {}) {
  const running = await startWsServer(options);
  t.after(() => running.close());
  const seen = {
    sockets: [] as ServerSocket[],
    messages: [] as { data: Buffer; isBinary: boolean }[],
    pongs: [] as Buffer[],
    close: undefined as { code: number; reason: string } | undefined,
    headers: undefined as IncomingHttpHeaders | undefined,
  };
  running.server.on('connection', (socket, req) => {
    seen.sockets.push(socket);
    seen.headers = req.headers;
    socket.on('message', (data, isBinary) => seen.messages.push({ data: data as Buffer, isBinary }));
    socket.on('pong', (data) => seen.pongs.push(data));
    socket.on('close', (code, reason) => (seen.close = { code, reason: reason.toString('utf8') }));
  });
  return { running, seen };
}

async function openEcho(t: TestContext) {
  const { running, seen } = await serverWithLog(t);
  running.server.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  const { connection, recorder } = connect(t, params(running.url));
  assert.deepEqual(connection.open(), { ok: true });
  await recorder.kind('open');
  return { running, seen, connection, recorder };
}

describe('Connection: messages', () => {
  it('echoes text and counts UTF-8 bytes of data messages', async (t) => {
    const { connection, recorder } = await openEcho(t);
    assert.equal(connection.state.readyState, 'OPEN');
    assert.deepEqual(connection.send('text', 'héllo'), { ok: true });
    const received = await recorder.entry((e) => e.kind === 'message' && e.direction === 'received');
    assert.equal(received.frame, 'text');
    assert.equal(received.size, 6);
    assert.deepEqual(received.payload, { kind: 'text', text: 'héllo' });
    const sent = recorder.entries.find((e) => e.kind === 'message' && e.direction === 'sent');
    assert.deepEqual(sent?.payload, { kind: 'text', text: 'héllo' });
    assert.deepEqual(connection.state.counters, { messagesSent: 1, messagesReceived: 1, bytesSent: 6, bytesReceived: 6 });
  });

  it('with a text sink, received text goes to it as its UTF-8 bytes (and only there); binary stays an entry', async (t) => {
    const { connection, recorder } = await openEcho(t);
    const texts: { time: number; text: string }[] = [];
    connection.setTextSink((time, utf8) => texts.push({ time, text: Buffer.from(utf8).toString('utf8') }));
    const before = Date.now();
    connection.send('text', 'héllo "sink"');
    connection.send('hex', '01 02');
    await recorder.entry((e) => e.kind === 'message' && e.direction === 'received' && e.frame === 'binary');
    assert.deepEqual(texts.map((m) => m.text), ['héllo "sink"']);
    assert.ok(texts[0]!.time >= before && texts[0]!.time <= Date.now());
    assert.equal(recorder.entries.filter((e) => e.direction === 'received' && e.frame === 'text').length, 0, 'not also an entry');
    assert.equal(connection.state.counters.messagesReceived, 2);
    assert.equal(connection.state.counters.bytesReceived, 13 + 2);
    connection.setTextSink(undefined);
    connection.send('text', 'back to entries');
    const entry = await recorder.entry((e) => e.direction === 'received' && e.frame === 'text');
    assert.deepEqual(entry.payload, { kind: 'text', text: 'back to entries' });
  });

  it('echoes binary with the exact bytes', async (t) => {
    const { connection, recorder } = await openEcho(t);
    assert.deepEqual(connection.send('hex', '00 ff 10 80'), { ok: true });
    const received = await recorder.entry((e) => e.kind === 'message' && e.direction === 'received');
    assert.equal(received.frame, 'binary');
    assert.equal(received.size, 4);
    assert.deepEqual(received.payload, { kind: 'binary', base64: Buffer.from([0x00, 0xff, 0x10, 0x80]).toString('base64') });
  });

  it('keeps exactly the bytes of a pooled Buffer sent by the server', async (t) => {
    const { running } = await serverWithLog(t);
    const pooled = Buffer.from('xyz');
    assert.ok(pooled.buffer.byteLength > pooled.length, 'the test needs a Buffer that views a larger pool');
    running.server.on('connection', (socket) => socket.send(pooled, { binary: true }));
    const { connection, recorder } = connect(t, params(running.url));
    connection.open();
    const received = await recorder.entry((e) => e.kind === 'message' && e.direction === 'received');
    assert.deepEqual(received.payload, { kind: 'binary', base64: 'eHl6' });
    assert.equal(received.size, 3);
    assert.equal(connection.state.counters.bytesReceived, 3);
  });

  it('refuses to send before open, while CONNECTING and after close', async (t) => {
    const silent = await startSilentServer();
    t.after(() => silent.close());
    const { connection } = connect(t, params(silent.url));
    assert.deepEqual(connection.send('text', 'x'), {
      ok: false,
      field: 'message',
      error: 'Not connected: the socket is CLOSED',
    });
    connection.open();
    assert.deepEqual(connection.send('text', 'x'), {
      ok: false,
      field: 'message',
      error: 'Not connected: the socket is CONNECTING',
    });
    const control = connection.control('ping', '');
    assert.equal(control.ok, false);
    assert.equal(!control.ok && control.field, 'control');
    connection.disconnect();
    await waitUntil(() => connection.state.readyState === 'CLOSED', () => connection.state.readyState);
    assert.equal(connection.send('text', 'x').ok, false);
  });

  it('reports an invalid body next to the message field', async (t) => {
    const { connection } = await openEcho(t);
    const result = connection.send('json', '{nope');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.field, 'message');
  });
});

describe('Connection: ping and pong', () => {
  it('sends a ping with a payload and logs the pong that comes back', async (t) => {
    const { connection, recorder } = await openEcho(t);
    assert.deepEqual(connection.control('ping', 'héy'), { ok: true });
    const pong = await recorder.entry((e) => e.kind === 'pong' && e.direction === 'received');
    const expected = { kind: 'binary', base64: Buffer.from('héy').toString('base64') };
    assert.deepEqual(pong.payload, expected);
    assert.equal(pong.size, 4);
    const ping = recorder.entries.find((e) => e.kind === 'ping' && e.direction === 'sent');
    assert.deepEqual(ping?.payload, expected);
    assert.deepEqual(connection.state.counters, { messagesSent: 0, messagesReceived: 0, bytesSent: 0, bytesReceived: 0 });
  });

  it('logs a received ping and the automatic pong, which reaches the server', async (t) => {
    const { running, seen } = await serverWithLog(t);
    running.server.on('connection', (socket) => socket.ping(Buffer.from('tick')));
    const { connection, recorder } = connect(t, params(running.url));
    connection.open();
    const ping = await recorder.entry((e) => e.kind === 'ping' && e.direction === 'received');
    assert.deepEqual(ping.payload, { kind: 'binary', base64: Buffer.from('tick').toString('base64') });
    const pong = recorder.entries.find((e) => e.kind === 'pong' && e.direction === 'sent');
    assert.equal(pong?.detail, 'automatic reply');
    await waitUntil(() => seen.pongs.length === 1, () => 'the server got no pong');
    assert.equal(seen.pongs[0]!.toString(), 'tick');
  });

  it('refuses a control payload over 125 bytes and says how big it is', async (t) => {
    const { connection } = await openEcho(t);
    const result = connection.control('pong', 'é'.repeat(63));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.field, 'control');
    assert.match(!result.ok ? result.error : '', /126 bytes/);
  });
});

describe('Connection: closing', () => {
  it('closes with 4000 and a reason that reach the server, cleanly', async (t) => {
    const { seen, connection, recorder } = await openEcho(t);
    assert.deepEqual(connection.close(4000, 'done here', false), { ok: true });
    const close = await recorder.kind('close');
    assert.deepEqual(seen.close, { code: 4000, reason: 'done here' });
    assert.deepEqual(connection.state.close, { code: 4000, reason: 'done here', wasClean: true });
    assert.equal(connection.state.readyState, 'CLOSED');
    assert.equal(close.detail, 'Closed by client: 4000 Private use, reason "done here" (clean)');
  });

  it('shows a close started by the server', async (t) => {
    const { running } = await serverWithLog(t);
    running.server.on('connection', (socket) => socket.close(4001, 'bye'));
    const { connection, recorder } = connect(t, params(running.url));
    connection.open();
    const close = await recorder.kind('close');
    assert.equal(close.detail, 'Closed by server: 4001 Private use, reason "bye" (clean)');
    assert.deepEqual(connection.state.close, { code: 4001, reason: 'bye', wasClean: true });
  });

  it('refuses 1005, 1006 and 2000 without sending anything', async (t) => {
    const { seen, connection } = await openEcho(t);
    for (const code of [1005, 1006, 2000]) {
      const result = connection.close(code, '', true);
      assert.equal(result.ok, false, `${code} must be refused`);
      assert.equal(!result.ok && result.field, 'closeCode');
      assert.equal(connection.state.readyState, 'OPEN');
    }
    // Anything sent before this message would have arrived before it.
    connection.send('text', 'still here');
    await waitUntil(() => seen.messages.length === 1, () => 'no message reached the server');
    assert.equal(seen.messages[0]!.data.toString(), 'still here');
    assert.equal(seen.close, undefined);
  });

  it('asks for confirmation of an advanced code, then sends it', async (t) => {
    const { seen, connection } = await openEcho(t);
    const first = connection.close(1001, '', false);
    assert.equal(first.ok, false);
    assert.equal(!first.ok && first.needsConfirmation, true);
    assert.equal(!first.ok && first.field, 'closeCode');
    assert.equal(connection.state.readyState, 'OPEN');
    assert.deepEqual(connection.close(1001, 'leaving', true), { ok: true });
    await waitUntil(() => seen.close !== undefined, () => 'the server saw no close');
    assert.deepEqual(seen.close, { code: 1001, reason: 'leaving' });
  });

  it('refuses a reason of 124 bytes of multi-byte characters', async (t) => {
    const { connection } = await openEcho(t);
    const result = connection.close(1000, 'é'.repeat(62), false);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.field, 'closeReason');
    assert.match(!result.ok ? result.error : '', /124 bytes/);
    assert.equal(connection.state.readyState, 'OPEN');
    assert.deepEqual(connection.close(1000, `${'é'.repeat(61)}a`, false), { ok: true });
  });

  it('refuses to close when not open', () => {
    const connection = new Connection(params('ws://127.0.0.1:1/'), OPTIONS);
    const result = connection.close(1000, '', false);
    assert.deepEqual(result, { ok: false, field: 'closeCode', error: 'Not connected: the socket is CLOSED' });
    connection.dispose();
  });

  it('disconnect() closes an open socket with 1000', async (t) => {
    const { seen, connection, recorder } = await openEcho(t);
    connection.disconnect();
    await recorder.kind('close');
    assert.deepEqual(seen.close, { code: 1000, reason: '' });
    assert.deepEqual(connection.state.close, { code: 1000, reason: '', wasClean: true });
  });

  it('disconnect() cancels a pending handshake without an error entry', async (t) => {
    const silent = await startSilentServer();
    t.after(() => silent.close());
    const { connection, recorder } = connect(t, params(silent.url));
    connection.open();
    connection.disconnect();
    const close = await recorder.kind('close');
    assert.match(close.detail ?? '', /cancelled/);
    assert.equal(recorder.ofKind('error').length, 0);
    assert.deepEqual(connection.state.close, { code: 1006, reason: '', wasClean: false });
  });
});

describe('Connection: handshake', () => {
  it('negotiates a subprotocol', async (t) => {
    const { running } = await serverWithLog(t, {
      handleProtocols: (offered) => (offered.has('chat.v2') ? 'chat.v2' : false),
    });
    const { connection, recorder } = connect(t, params(running.url, { protocols: ['chat.v1', 'chat.v2'] }));
    connection.open();
    const open = await recorder.kind('open');
    assert.equal(connection.state.protocol, 'chat.v2');
    assert.match(open.detail ?? '', /protocol "chat\.v2"/);
  });

  it('sends custom headers', async (t) => {
    const { running, seen } = await serverWithLog(t);
    const headers = [
      { name: 'X-Debug-Token', value: 'abc' },
      { name: 'Authorization', value: 'Bearer t0k3n' },
    ];
    const { connection, recorder } = connect(t, params(running.url, { headers }));
    connection.open();
    await recorder.kind('open');
    assert.equal(seen.headers?.['x-debug-token'], 'abc');
    assert.equal(seen.headers?.authorization, 'Bearer t0k3n');
  });

  it('captures a 401 refusal with its headers and body', async (t) => {
    const http = await startHttpServer((_req, res) => {
      res.writeHead(401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer realm="api"', 'Content-Type': 'text/plain' });
      res.end('token missing');
    });
    t.after(() => http.close());
    const { connection, recorder } = connect(t, params(http.url));
    connection.open();
    await recorder.kind('close');
    const state = connection.state;
    assert.equal(state.readyState, 'CLOSED');
    assert.equal(state.refusal?.statusCode, 401);
    assert.equal(state.refusal?.statusMessage, 'Unauthorized');
    assert.equal(state.refusal?.body, 'token missing');
    assert.equal(state.refusal?.bodyTruncated, false);
    assert.deepEqual(
      state.refusal?.headers.find(([name]) => name === 'WWW-Authenticate'),
      ['WWW-Authenticate', 'Bearer realm="api"'],
    );
    assert.deepEqual(state.close, { code: 1006, reason: '', wasClean: false });
    const errors = recorder.ofKind('error');
    assert.deepEqual(
      errors.map((e) => e.detail),
      ['The server refused the WebSocket handshake: HTTP 401 Unauthorized'],
    );
    assert.equal(state.error, 'The server refused the WebSocket handshake: HTTP 401 Unauthorized');
  });

  it('stops reading a refusal body that goes on and on after 4 KB', async (t) => {
    const http = await startHttpServer((_req, res) => {
      res.writeHead(503, 'Service Unavailable', { 'Content-Type': 'text/plain' });
      res.write('x'.repeat(5000)); // and never end
    });
    t.after(() => http.close());
    const { connection, recorder } = connect(t, params(http.url));
    connection.open();
    await recorder.kind('close');
    assert.equal(connection.state.refusal?.statusCode, 503);
    assert.equal(connection.state.refusal?.body.length, 4096);
    assert.equal(connection.state.refusal?.bodyTruncated, true);
  });

  it('gives up on a handshake that never completes', async (t) => {
    const silent = await startSilentServer();
    t.after(() => silent.close());
    const { connection, recorder } = connect(t, params(silent.url), { ...OPTIONS, handshakeTimeoutMs: 300 });
    connection.open();
    assert.equal(connection.state.readyState, 'CONNECTING');
    const error = await recorder.kind('error');
    assert.equal(error.detail, 'The server did not complete the WebSocket handshake within 0.3 s');
    await recorder.kind('close');
    assert.equal(connection.state.readyState, 'CLOSED');
    assert.equal(connection.state.error, error.detail);
    assert.deepEqual(connection.state.close, { code: 1006, reason: '', wasClean: false });
  });

  it('explains a refused TCP connection', async (t) => {
    const port = await closedPort();
    const { connection, recorder } = connect(t, params(`ws://127.0.0.1:${port}/`));
    connection.open();
    const error = await recorder.kind('error');
    assert.equal(error.detail, `Connection refused by 127.0.0.1:${port} (ECONNREFUSED): no server is listening there`);
    await recorder.kind('close');
    assert.equal(connection.state.readyState, 'CLOSED');
  });

  it('refuses an invalid URL before creating a socket', (t) => {
    const { connection, recorder } = connect(t, params('http//nope'));
    const result = connection.open();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.field, 'url');
    assert.equal(connection.state.readyState, 'CLOSED');
    assert.equal(recorder.entries.length, 0);
  });

  it('refuses a second open()', async (t) => {
    const { connection } = await openEcho(t);
    const result = connection.open();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.field, 'general');
  });
});

describe('Connection: protocol faults', () => {
  it('closes with 1009 when a server message exceeds maxPayload', async (t) => {
    const { running, seen } = await serverWithLog(t);
    running.server.on('connection', (socket) => socket.send(Buffer.alloc(2000, 1)));
    const { connection, recorder } = connect(t, params(running.url), { ...OPTIONS, maxPayload: 1024 });
    connection.open();
    const error = await recorder.kind('error');
    assert.match(error.detail ?? '', /limit of 1024 bytes/);
    assert.match(error.detail ?? '', /WS_ERR_UNSUPPORTED_MESSAGE_LENGTH/);
    assert.match(error.detail ?? '', /1009 Message Too Big/);
    await recorder.kind('close');
    await waitUntil(() => seen.close !== undefined, () => 'the server saw no close');
    assert.equal(seen.close?.code, 1009);
    assert.equal(connection.state.readyState, 'CLOSED');
    assert.equal(recorder.ofKind('message').length, 0);
  });

  it('closes with 1007 on invalid UTF-8 in a text message', async (t) => {
    let fromClient = Buffer.alloc(0);
    const raw = await startRawWsServer((socket) => {
      socket.on('data', (chunk: Buffer) => (fromClient = Buffer.concat([fromClient, chunk])));
      socket.write(serverFrame(0x1, Buffer.from([0x61, 0xff, 0x62])));
    });
    t.after(() => raw.close());
    const { connection, recorder } = connect(t, params(raw.url));
    connection.open();
    const error = await recorder.kind('error');
    assert.match(error.detail ?? '', /not valid UTF-8 \(WS_ERR_INVALID_UTF8\)/);
    assert.match(error.detail ?? '', /1007/);
    await waitUntil(() => clientCloseCode(fromClient) !== undefined, () => 'no Close frame from the client');
    assert.equal(clientCloseCode(fromClient), 1007);
    assert.equal(recorder.ofKind('message').length, 0);
  });
});

describe('Connection: lifetime', () => {
  it('dispose() closes an open socket with 1001 Going Away, as a closed browser tab does, and goes quiet', async (t) => {
    const { seen, connection, recorder } = await openEcho(t);
    const before = recorder.entries.length;
    connection.dispose();
    await waitUntil(() => seen.close !== undefined, () => 'the server saw no close');
    assert.equal(seen.close?.code, 1001);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(recorder.entries.length, before, 'no entries after dispose');
    connection.dispose();
    assert.equal(connection.send('text', 'x').ok, false);
  });

  it('dispose() during the handshake does not leak an error', async (t) => {
    const silent = await startSilentServer();
    t.after(() => silent.close());
    const connection = new Connection(params(silent.url), OPTIONS);
    const recorder = new ConnectionRecorder(connection);
    connection.open();
    connection.dispose();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(recorder.entries.length, 0);
  });

  it('fires state changes for open, messages and close', async (t) => {
    const { connection, recorder } = await openEcho(t);
    connection.send('text', 'a');
    await recorder.entry((e) => e.kind === 'message' && e.direction === 'received');
    connection.close(1000, '', false);
    await recorder.kind('close');
    const readyStates = recorder.states.map((s) => s.readyState);
    assert.equal(readyStates[0], 'CONNECTING');
    assert.ok(readyStates.includes('OPEN'));
    assert.ok(readyStates.includes('CLOSING'));
    assert.equal(readyStates.at(-1), 'CLOSED');
    assert.ok(recorder.states.some((s) => s.counters.messagesReceived === 1));
  });

  it('a throwing listener does not break the connection', async (t) => {
    const { connection, recorder } = await openEcho(t);
    const originalError = console.error;
    const reported: unknown[] = [];
    console.error = (error: unknown) => reported.push(error);
    t.after(() => (console.error = originalError));
    connection.onEntry(() => {
      throw new Error('listener bug');
    });
    connection.send('text', 'a');
    await recorder.entry((e) => e.kind === 'message' && e.direction === 'received');
    assert.ok(reported.length >= 2);
  });
});
