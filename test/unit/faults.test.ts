/**
 * Fault injection: hostile or broken servers, each answered by a Connection without a throw
 * escaping, with everything logged before the fault kept, and with a sentence in plain words.
 * Protocol faults come from a raw TCP server writing hand-made bytes; the rest from real servers.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Connection, type ConnectionOptions } from '../../src/core/connection';
import type { ConnectionParams } from '../../src/shared/protocol';
import { ConnectionRecorder, waitUntil } from './helpers/connectionRecorder';
import {
  clientCloseCode,
  closedPort,
  serverFrame,
  startHandshakeServer,
  startHttpServer,
  startRawWsServer,
  startSilentServer,
  startWsServer,
} from './helpers/testServers';

const OPTIONS: ConnectionOptions = { handshakeTimeoutMs: 2000, maxPayload: 64 * 1024 };
const GREETING = 'before the fault';

function params(url: string, extra: Partial<ConnectionParams> = {}): ConnectionParams {
  return { url, protocols: [], headers: [], ...extra };
}

/**
 * Opens a connection, failing the test on any uncaught exception or unhandled rejection while
 * it runs: a throw escaping a socket handler would take down the extension host.
 */
function connect(t: TestContext, p: ConnectionParams, options: ConnectionOptions = OPTIONS) {
  const escaped: unknown[] = [];
  const onEscape = (error: unknown): void => {
    escaped.push(error);
  };
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
  const connection = new Connection(p, options);
  const recorder = new ConnectionRecorder(connection);
  t.after(() => {
    connection.dispose();
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
    assert.deepEqual(escaped, [], 'an exception escaped the connection');
  });
  assert.deepEqual(connection.open(), { ok: true });
  return { connection, recorder };
}

/** A frame with any first byte, optional mask and any payload length (7-bit, 16-bit or 64-bit). */
function frame(firstByte: number, payload: Uint8Array, options: { mask?: boolean; announcedLength?: number } = {}): Buffer {
  const length = options.announcedLength ?? payload.length;
  const maskBit = options.mask ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) header = Buffer.from([firstByte, maskBit | length]);
  else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = firstByte;
    header[1] = maskBit | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = firstByte;
    header[1] = maskBit | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!options.mask) return Buffer.concat([header, payload]);
  const key = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([header, key, masked]);
}

function closePayload(code: number, reason: Uint8Array = new Uint8Array()): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(code);
  return Buffer.concat([bytes, reason]);
}

/**
 * A raw server that greets the client with a text message, then writes `fault`; it records the
 * close code of the first Close frame the client sends back, and then ends the TCP connection
 * (as a server does after the closing handshake) unless told to ignore Close frames.
 */
async function faultyServer(t: TestContext, fault: (socket: Socket) => void, { ignoreClose = false } = {}) {
  const seen = { clientClose: undefined as number | undefined };
  const running = await startRawWsServer((socket) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (seen.clientClose !== undefined) return;
      seen.clientClose = clientCloseCode(received);
      if (seen.clientClose !== undefined && !ignoreClose) socket.end();
    });
    socket.write(serverFrame(0x1, Buffer.from(GREETING)));
    fault(socket);
  });
  t.after(() => running.close());
  return { running, seen };
}

/** The outcome every fault must have: earlier entries kept, one plain sentence, the socket CLOSED. */
async function assertFault(
  recorder: ConnectionRecorder,
  connection: Connection,
  expected: { words: RegExp; closeCode?: number; seen?: { clientClose: number | undefined } },
): Promise<string> {
  const error = await recorder.entry((e) => e.kind === 'error');
  const sentence = error.detail ?? '';
  assert.match(sentence, expected.words);
  assertPlainWords(sentence);
  await recorder.kind('close');
  await waitUntil(() => connection.state.readyState === 'CLOSED', () => connection.state.readyState);
  const greeting = recorder.entries.findIndex((e) => e.kind === 'message' && e.payload?.kind === 'text' && e.payload.text === GREETING);
  if (expected.seen) {
    assert.ok(greeting >= 0 && greeting < recorder.entries.indexOf(error), `the earlier message was lost: ${recorder.describe()}`);
  }
  assert.equal(connection.state.error, sentence, 'the panel state carries the sentence');
  if (expected.closeCode !== undefined) {
    assert.match(sentence, new RegExp(`closing the connection with ${expected.closeCode}\\b`));
    const seen = expected.seen;
    if (seen) {
      await waitUntil(() => seen.clientClose !== undefined, () => 'the client sent no Close frame');
      assert.equal(seen.clientClose, expected.closeCode);
    }
  }
  return sentence;
}

/** A sentence for people: no stack trace, no "[object ...]", no "undefined", ends without a dangling colon. */
function assertPlainWords(sentence: string): void {
  assert.ok(sentence.length > 20, `too short to explain anything: ${sentence}`);
  assert.doesNotMatch(sentence, /\n\s+at |\[object |undefined|NaN|:\s*$/);
  assert.match(sentence, /^[A-Z]/);
}

describe('Faults 1: messages over the size limit', () => {
  it('a single frame announcing more than the limit closes with 1009 before its payload arrives', async (t) => {
    const { running, seen } = await faultyServer(t, (socket) => {
      // Only the header: nothing of the payload is ever sent, so nothing can have been buffered.
      socket.write(frame(0x82, Buffer.alloc(0), { announcedLength: OPTIONS.maxPayload + 1 }));
    });
    const { connection, recorder } = connect(t, params(running.url));
    const sentence = await assertFault(recorder, connection, { words: /bigger than the limit of 65536 bytes/, closeCode: 1009, seen });
    assert.match(sentence, /1009 Message Too Big/);
    assert.equal(recorder.ofKind('message').length, 1, 'only the greeting was delivered');
  });

  it('a compressed message that inflates over the limit closes with 1009', async (t) => {
    const running = await startWsServer({ perMessageDeflate: { threshold: 0 } });
    t.after(() => running.close());
    let serverSawClose: number | undefined;
    running.server.on('connection', (socket) => {
      socket.on('close', (code) => (serverSawClose = code));
      socket.send(GREETING);
      // 1 MiB of one letter deflates to about a kilobyte on the wire.
      socket.send('a'.repeat(1024 * 1024));
    });
    const { connection, recorder } = connect(t, params(running.url));
    await recorder.kind('open');
    assert.match(connection.state.extensions, /permessage-deflate/);
    await assertFault(recorder, connection, { words: /bigger than the limit of 65536 bytes/, closeCode: 1009 });
    await waitUntil(() => serverSawClose !== undefined, () => 'the server saw no close');
    assert.equal(serverSawClose, 1009);
    assert.equal(recorder.ofKind('message').length, 1, 'only the greeting was delivered');
  });
});

describe('Faults 2: endless tiny fragments', () => {
  it('a message that never ends is closed with 1008 and memory stays flat', async (t) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage();
    let framesWritten = 0;
    const { running, seen } = await faultyServer(t, (socket) => {
      // One text fragment without FIN, then 1-byte continuations for as long as the client listens.
      socket.write(frame(0x01, Buffer.from('x')));
      const batch = Buffer.concat(Array.from({ length: 1000 }, () => frame(0x00, Buffer.from('x'))));
      const pump = (): void => {
        if (socket.destroyed || !socket.writable || framesWritten >= 1_000_000) return;
        framesWritten += 1000;
        socket.write(batch, () => setImmediate(pump));
      };
      pump();
    });
    const { connection, recorder } = connect(t, params(running.url));
    await assertFault(recorder, connection, { words: /too many fragments/, closeCode: 1008, seen });
    assert.ok(framesWritten < 1_000_000, 'the client kept reading fragments instead of closing');
    gc();
    const after = process.memoryUsage();
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    assert.ok(grown < 16 * 1024 * 1024, `memory grew by ${grown} bytes after ${framesWritten} fragments`);
  });
});

describe('Faults 3: invalid UTF-8', () => {
  it('in a text message closes with 1007 and says so', async (t) => {
    const { running, seen } = await faultyServer(t, (socket) => socket.write(frame(0x81, Buffer.from([0x68, 0xc3, 0x28]))));
    const { connection, recorder } = connect(t, params(running.url));
    await assertFault(recorder, connection, { words: /not valid UTF-8 \(WS_ERR_INVALID_UTF8\)/, closeCode: 1007, seen });
  });

  it('in a close reason closes with 1007 and says so', async (t) => {
    const { running, seen } = await faultyServer(t, (socket) =>
      socket.write(frame(0x88, closePayload(1000, Buffer.from([0xff, 0xfe])))),
    );
    const { connection, recorder } = connect(t, params(running.url));
    await assertFault(recorder, connection, { words: /close reason\) that is not valid UTF-8/, closeCode: 1007, seen });
  });
});

describe('Faults 4: frames no server may send, each closed with 1002 and its cause', () => {
  const cases: { name: string; bytes: Buffer; words: RegExp }[] = [
    { name: 'a masked frame', bytes: frame(0x81, Buffer.from('hi'), { mask: true }), words: /masked frame; servers must not mask/ },
    { name: 'RSV2 set', bytes: frame(0x81 | 0x20, Buffer.from('hi')), words: /reserved bits RSV2\/RSV3/ },
    { name: 'RSV1 set without compression', bytes: frame(0x81 | 0x40, Buffer.from('hi')), words: /compression bit \(RSV1\)/ },
    { name: 'reserved opcode 3', bytes: frame(0x83, Buffer.from('hi')), words: /unknown or unexpected opcode \(invalid opcode 3\)/ },
    { name: 'reserved control opcode 0xB', bytes: frame(0x8b, Buffer.alloc(0)), words: /invalid opcode 11/ },
    { name: 'a ping of 126 bytes', bytes: frame(0x89, Buffer.alloc(126, 0x61)), words: /control frame with more than 125 bytes/ },
    { name: 'a fragmented ping', bytes: frame(0x09, Buffer.from('hi')), words: /fragmented control frame/ },
    { name: 'close code 1005 on the wire', bytes: frame(0x88, closePayload(1005)), words: /close code that must not be sent \(invalid status code 1005\)/ },
    { name: 'close code 999', bytes: frame(0x88, closePayload(999)), words: /invalid status code 999/ },
    { name: 'a 1-byte close payload', bytes: frame(0x88, Buffer.from([0x03])), words: /Close frame with a 1-byte payload; a close code takes 2 bytes/ },
  ];
  for (const { name, bytes, words } of cases) {
    it(name, async (t) => {
      const { running, seen } = await faultyServer(t, (socket) => socket.write(bytes));
      const { connection, recorder } = connect(t, params(running.url));
      const sentence = await assertFault(recorder, connection, { words, closeCode: 1002, seen });
      assert.match(sentence, /1002 Protocol Error/);
      const close = await recorder.kind('close');
      assert.match(close.detail ?? '', /after a protocol error/);
    });
  }
});

describe('Faults 5: a handshake that never completes', () => {
  it('times out at the handshake timeout', async (t) => {
    const silent = await startSilentServer();
    t.after(() => silent.close());
    const started = Date.now();
    const { connection, recorder } = connect(t, params(silent.url), { ...OPTIONS, handshakeTimeoutMs: 300 });
    await assertFault(recorder, connection, { words: /did not complete the WebSocket handshake within 0\.3 s/ });
    assert.ok(Date.now() - started >= 290, 'gave up before the timeout');
  });

  it('Cancel while connecting ends the attempt at once, without an error', async (t) => {
    const silent = await startSilentServer();
    t.after(() => silent.close());
    const { connection, recorder } = connect(t, params(silent.url), { ...OPTIONS, handshakeTimeoutMs: 60_000 });
    assert.equal(connection.state.readyState, 'CONNECTING');
    connection.disconnect();
    const close = await recorder.kind('close');
    assert.match(close.detail ?? '', /Connection attempt cancelled by the client/);
    assert.equal(connection.state.readyState, 'CLOSED');
    assert.equal(recorder.ofKind('error').length, 0);
  });
});

describe('Faults 6: handshakes that go wrong', () => {
  for (const [status, text] of [[401, 'Unauthorized'], [403, 'Forbidden'], [500, 'Internal Server Error']] as const) {
    it(`HTTP ${status} instead of 101`, async (t) => {
      const http = await startHttpServer((_req, res) => res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`no: ${status}`));
      t.after(() => http.close());
      const { connection, recorder } = connect(t, params(http.url));
      await assertFault(recorder, connection, { words: new RegExp(`refused the WebSocket handshake: HTTP ${status} ${text}`) });
      assert.equal(connection.state.refusal?.statusCode, status);
      assert.equal(connection.state.refusal?.body, `no: ${status}`);
    });
  }

  it('a wrong Sec-WebSocket-Accept', async (t) => {
    const server = await startHandshakeServer(
      () => 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: d3Jvbmc=\r\n\r\n',
    );
    t.after(() => server.close());
    const { connection, recorder } = connect(t, params(server.url));
    await assertFault(recorder, connection, { words: /handshake failed: Invalid Sec-WebSocket-Accept header/ });
  });

  it('a subprotocol the client did not ask for', async (t) => {
    const server = await startHandshakeServer(
      (accept) =>
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: evil\r\n\r\n`,
    );
    t.after(() => server.close());
    const { connection, recorder } = connect(t, params(server.url));
    await assertFault(recorder, connection, { words: /handshake failed: Server sent a subprotocol but none was requested/ });
  });

  it('a redirect loop is shown, not followed', async (t) => {
    let requests = 0;
    const http = await startHttpServer((req, res) => {
      requests += 1;
      res.writeHead(302, { Location: `http://127.0.0.1:${req.socket.localPort}/` }).end();
    });
    t.after(() => http.close());
    const { connection, recorder } = connect(t, params(http.url));
    await assertFault(recorder, connection, { words: /HTTP 302 Found; it redirects to http:\/\/127\.0\.0\.1:\d+\/ \(redirects are not followed\)/ });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(requests, 1);
  });

  it('a redirect to another host is not followed, so credentials never leave for it', async (t) => {
    const elsewhere: string[] = [];
    const other = await startHttpServer((req, res) => {
      elsewhere.push(req.headers.authorization ?? '(none)');
      res.end();
    });
    t.after(() => other.close());
    const http = await startHttpServer((_req, res) => res.writeHead(307, { Location: `ws://localhost:${other.port}/steal` }).end());
    t.after(() => http.close());
    const { connection, recorder } = connect(
      t,
      params(http.url, { headers: [{ name: 'Authorization', value: 'Bearer secret-token' }] }),
    );
    await assertFault(recorder, connection, { words: /HTTP 307 Temporary Redirect; it redirects to ws:\/\/localhost:\d+\/steal \(redirects are not followed\)/ });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(elsewhere, []);
  });
});

describe('Faults 7: the network says no', () => {
  it('a DNS failure names the host and the Node code', async (t) => {
    const { connection, recorder } = connect(t, params('ws://no-such-host.invalid/'));
    await assertFault(recorder, connection, { words: /DNS lookup failed for no-such-host\.invalid \((ENOTFOUND|EAI_AGAIN)\)/ });
  });

  it('a refused connection names the address and the Node code', async (t) => {
    const port = await closedPort();
    const { connection, recorder } = connect(t, params(`ws://127.0.0.1:${port}/`));
    await assertFault(recorder, connection, { words: new RegExp(`Connection refused by 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`) });
  });

  it('an unreachable host names the address and the Node code', async (t) => {
    // 100::/64 is the IPv6 discard prefix: no route leads there.
    // The kernel may take a few seconds (neighbour discovery) to give up on the route.
    const { connection, recorder } = connect(t, params('ws://[100::1]:9/'), { ...OPTIONS, handshakeTimeoutMs: 10_000 });
    const entry = await recorder.entry((e) => e.kind === 'error', 12_000);
    if (/handshake within/.test(entry.detail ?? '')) {
      t.skip('this machine routes the discard prefix; packets vanish instead of failing');
      return;
    }
    await assertFault(recorder, connection, { words: /Cannot reach \[100::1\]:9 from this machine \((EHOSTUNREACH|ENETUNREACH)\): no network route/ });
  });
});

describe('Faults 8: the server dies mid-session', () => {
  it('a dropped TCP connection is shown as 1006 abnormal, after the messages that came before', async (t) => {
    const { running } = await faultyServer(t, (socket) => setTimeout(() => socket.destroy(), 50));
    const { connection, recorder } = connect(t, params(running.url));
    const close = await recorder.kind('close');
    assert.match(close.detail ?? '', /Connection lost without a Close frame \(1006 Abnormal Closure, not clean\)/);
    assert.deepEqual(connection.state.close, { code: 1006, reason: '', wasClean: false });
    assert.deepEqual(recorder.ofKind('message')[0]?.payload, { kind: 'text', text: GREETING });
    // Reconnecting with backoff belongs to the reconnect feature and is tested with it.
  });
});

describe('Faults 9: a peer that ignores our Close frame', () => {
  it('stays CLOSING, then is terminated after the close timeout', async (t) => {
    const { running, seen } = await faultyServer(t, () => undefined, { ignoreClose: true });
    const { connection, recorder } = connect(t, params(running.url), { ...OPTIONS, closeTimeoutMs: 1000 });
    await recorder.kind('open');
    assert.deepEqual(connection.close(1000, 'bye', false), { ok: true });
    assert.equal(connection.state.readyState, 'CLOSING');
    await waitUntil(() => seen.clientClose !== undefined, () => 'no Close frame sent');
    assert.equal(seen.clientClose, 1000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(connection.state.readyState, 'CLOSING', 'gave up before the close timeout');
    const close = await recorder.kind('close', 3000);
    assert.match(close.detail ?? '', /the server did not answer our Close frame within 1 s, so the connection was terminated \(1006/);
    assert.equal(connection.state.readyState, 'CLOSED');
    assert.equal(recorder.ofKind('message').length, 1);
  });
});

describe('Faults 10: sending when not open', () => {
  it('is refused with the reason while connecting and after close, and nothing reaches the server', async (t) => {
    const received: Buffer[] = [];
    const server = await startHandshakeServer(() => '', (socket) => socket.on('data', (chunk: Buffer) => received.push(chunk)));
    t.after(() => server.close());
    const { connection, recorder } = connect(t, params(server.url), { ...OPTIONS, handshakeTimeoutMs: 60_000 });
    for (const result of [connection.send('text', 'early'), connection.control('ping', 'early'), connection.close(1000, '', false)]) {
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.error : '', /^Not connected: the socket is CONNECTING$/);
    }
    connection.disconnect();
    await recorder.kind('close');
    const late = connection.send('text', 'late');
    assert.deepEqual(late, { ok: false, field: 'message', error: 'Not connected: the socket is CLOSED' });
    assert.equal(recorder.ofKind('message').length, 0);
    assert.equal(connection.state.counters.messagesSent, 0);
    assert.deepEqual(received, []);
  });
});

describe('Faults 11: many connections', () => {
  it('1,000 connect/disconnect cycles leave no sockets, listeners or timers behind', async (t) => {
    const running = await startWsServer();
    t.after(() => running.close());
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    await settle();
    const resourcesBefore = countResources();
    const listenersBefore = running.server.listenerCount('connection');
    const processListenersBefore = process.listenerCount('uncaughtException');
    for (let i = 0; i < 1000; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const connection = new Connection(params(running.url), OPTIONS);
          const recorder = new ConnectionRecorder(connection);
          connection.open();
          await recorder.kind('open');
          connection.disconnect();
          await recorder.kind('close');
          connection.dispose();
        }),
      );
    }
    await waitUntil(() => running.server.clients.size === 0, () => `${running.server.clients.size} server sockets still open`);
    await settle();
    const resourcesAfter = countResources();
    assert.deepEqual(resourcesAfter, resourcesBefore, 'sockets or timers leaked');
    assert.equal(running.server.listenerCount('connection'), listenersBefore);
    assert.equal(process.listenerCount('uncaughtException'), processListenersBefore);
  });
});

/** Active handles by type, e.g. { TCPSocketWrap: 1, Timeout: 0 }. */
function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (type === 'TCPSocketWrap' || type === 'TCPServerWrap' || type === 'Timeout' || type === 'Immediate') {
      counts[type] = (counts[type] ?? 0) + 1;
    }
  }
  return counts;
}
