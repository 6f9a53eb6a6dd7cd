// A plain WebSocket session in a worker thread, against a real server on port 0: what it
// receives reaches the host as the bytes of each text, in order with its other entries, and a
// worker that dies is a closed session that says why.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { Connection } from '../../src/core/connection';
import type { ConnectionEntry } from '../../src/core/sessionBase';
import { oldGenerationLimitMb, WorkerSession } from '../../src/core/worker/workerSession';
import { SLOT_BYTES } from '../../src/core/worker/workerProtocol';
import type { ConnectionState } from '../../src/shared/protocol';
import { waitUntil } from './helpers/connectionRecorder';

async function server(onConnection: (socket: import('ws').WebSocket) => void): Promise<{ url: string; close(): void }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', onConnection);
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

const OPTIONS = { handshakeTimeoutMs: 2000, maxPayload: 1024 * 1024, secrets: ['hunter2'] };

function watch(session: WorkerSession): { log: string[]; states: ConnectionState[] } {
  const log: string[] = [];
  const states: ConnectionState[] = [];
  const decoder = new TextDecoder();
  session.setTextSink((_time, utf8) => log.push(`text ${decoder.decode(utf8)}`));
  session.onEntry((entry: ConnectionEntry) => log.push(`${entry.kind}${entry.payload?.kind === 'binary' ? ' binary' : ''}${entry.detail ? ` ${entry.detail}` : ''}`));
  session.onStateChange((state) => states.push(state));
  return { log, states };
}

describe('WorkerSession', () => {
  it('receives texts as bytes, in order with binary messages, sends, closes, and masks secrets', async (t) => {
    const srv = await server((socket) => {
      socket.send('one');
      socket.send(Buffer.from([1, 2]), { binary: true });
      socket.send('two ✓');
      socket.on('message', (data) => socket.send(`echo ${data.toString()}`));
    });
    t.after(() => srv.close());
    const session = new WorkerSession({ url: srv.url, protocols: [], headers: [] }, OPTIONS, 'DIRECT');
    t.after(() => session.dispose());
    const { log } = watch(session);
    assert.deepEqual(session.open(), { ok: true });
    assert.equal(session.state.readyState, 'CONNECTING');
    await waitUntil(() => log.includes('text two ✓'), () => log.join(' | '));
    assert.equal(session.state.readyState, 'OPEN');
    assert.equal(session.state.inspector?.route, 'DIRECT');
    assert.deepEqual(log.filter((l) => !l.startsWith('open') && !l.startsWith('info')), ['text one', 'message binary', 'text two ✓']);
    assert.deepEqual(await session.send('text', 'hi hunter2'), { ok: true });
    await waitUntil(() => log.includes('text echo hi hunter2'), () => log.join(' | '));
    const refused = await session.send('json', '{nope');
    assert.equal(refused.ok, false);
    assert.deepEqual(await session.close(1000, 'done hunter2', false), { ok: true });
    await waitUntil(() => session.state.readyState === 'CLOSED', () => session.state.readyState);
    assert.equal(session.endedByUser, true);
    assert.equal(session.state.close?.reason, 'done ••••••');
  });

  it('refuses bad parameters at once, before any worker starts', () => {
    const session = new WorkerSession({ url: 'http://nope', protocols: [], headers: [] }, OPTIONS);
    const result = session.open();
    assert.equal(result.ok, false);
    session.dispose();
  });

  for (const [fault, reason] of [
    ['throw', /a fault injected by a test/],
    ['exit', /exited with code 70/],
    ['oom', /memory limit/i],
  ] as const) {
    it(`a worker that dies (${fault}) closes the session with the reason and answers what was asked`, async (t) => {
      const srv = await server((socket) => socket.send('before'));
      t.after(() => srv.close());
      const session = new WorkerSession({ url: srv.url, protocols: [], headers: [] }, OPTIONS);
      t.after(() => session.dispose());
      const { log } = watch(session);
      session.open();
      await waitUntil(() => log.includes('text before'), () => log.join(' | '));
      session.injectFault(fault);
      await waitUntil(() => session.state.readyState === 'CLOSED', () => session.state.readyState, 10_000);
      assert.match(session.state.error ?? '', /^The session worker stopped \(/);
      assert.match(session.state.error ?? '', reason);
      assert.match(log.at(-1) ?? '', /^error The session worker stopped/);
      assert.equal(session.endedByUser, false);
      const after = await session.send('text', 'x');
      assert.equal(after.ok, false);
      assert.match(after.ok ? '' : after.error, /session worker stopped/);
    });
  }

  it('a Connection that stops reading receives nothing until it reads again (the worker\'s flow control)', async (t) => {
    const srv = await server((socket) => {
      const timer = setInterval(() => socket.send('tick'), 10);
      socket.on('close', () => clearInterval(timer));
    });
    t.after(() => srv.close());
    const connection = new Connection({ url: srv.url, protocols: [], headers: [] }, OPTIONS);
    t.after(() => connection.dispose());
    let received = 0;
    connection.setTextSink(() => received++);
    connection.open();
    await waitUntil(() => received > 3, () => `${received} received`);
    connection.setReading(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const paused = received;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(received, paused, 'nothing is read while paused');
    connection.setReading(true);
    await waitUntil(() => received > paused + 3, () => `${received} received`);
  });

  it('hands a flood over in shared slots, reused in turn, with a message larger than a slot in between, while the host is slow', async (t) => {
    const big = 'B'.repeat(SLOT_BYTES + 1000);
    const texts = Array.from({ length: 30_000 }, (_, i) => `message ${i} ${'x'.repeat(90)}`);
    texts.splice(12_345, 0, big);
    texts.push('end');
    const srv = await server((socket) => {
      for (const text of texts) socket.send(text);
    });
    t.after(() => srv.close());
    const session = new WorkerSession({ url: srv.url, protocols: [], headers: [] }, { ...OPTIONS, maxPayload: 2 * 2 ** 20 }, 'DIRECT');
    t.after(() => session.dispose());
    const got: string[] = [];
    const decoder = new TextDecoder();
    let lastTime = 0;
    let timesOutOfOrder = 0;
    session.setTextSink((time, utf8) => {
      // A slow host: every slot fills before the first is handed back.
      if (got.length % 2000 === 0) {
        const until = Date.now() + 30;
        while (Date.now() < until);
      }
      if (time < lastTime) timesOutOfOrder++;
      lastTime = time;
      got.push(decoder.decode(utf8));
    });
    session.open();
    await waitUntil(() => got.at(-1) === 'end', () => `${got.length} of ${texts.length} received`, 20_000);
    assert.equal(got.length, texts.length);
    assert.ok(got.every((text, i) => text === texts[i]), 'every text intact and in order');
    assert.equal(timesOutOfOrder, 0);
  });

  it('gives the worker room for a few of the largest messages allowed', () => {
    assert.equal(oldGenerationLimitMb(1024), 96);
    assert.ok(oldGenerationLimitMb(64 * 2 ** 20) >= 3 * 64);
  });
});
