import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { Connection, type ConnectionOptions } from '../../src/core/connection';
import { MASK } from '../../src/core/sessionBase';
import type { ConnectionParams, EndpointOptions } from '../../src/shared/protocol';
import { ConnectionRecorder, waitUntil } from './helpers/connectionRecorder';
import { makeCerts, startWssServer, type TestCerts } from './helpers/tlsServers';
import { startWsServer } from './helpers/testServers';

const BASE: ConnectionOptions = { handshakeTimeoutMs: 3000, maxPayload: 1024 * 1024 };

function open(t: TestContext, url: string, extra: Partial<ConnectionParams> = {}, options: Partial<ConnectionOptions> = {}) {
  const connection = new Connection({ url, protocols: [], headers: [], ...extra }, { ...BASE, ...options });
  t.after(() => connection.dispose());
  const recorder = new ConnectionRecorder(connection);
  assert.deepEqual(connection.open(), { ok: true });
  return { connection, recorder };
}

async function wsServer(t: TestContext, options: Parameters<typeof startWsServer>[0] = {}) {
  const running = await startWsServer(options);
  t.after(() => running.close());
  return running;
}

function header(pairs: [string, string][] | undefined, name: string): string | undefined {
  return pairs?.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

describe('Connection inspector (ws)', () => {
  it('times DNS, TCP and the Upgrade and shows both sides of the handshake', async (t) => {
    const running = await wsServer(t, { handleProtocols: () => 'chat' });
    let keySeen: string | undefined;
    running.server.on('headers', (_headers, req) => (keySeen = req.headers['sec-websocket-key']));
    const url = `ws://localhost:${running.port}/path?x=1`;
    const { connection, recorder } = open(t, url, { protocols: ['chat'], headers: [{ name: 'X-Trace', value: 'abc' }] });
    await recorder.kind('open');
    const info = connection.state.inspector!;
    assert.ok(info.timing.dnsMs !== undefined && info.timing.dnsMs >= 0, 'localhost is looked up');
    assert.ok(info.timing.tcpMs! >= 0 && info.timing.upgradeMs! >= 0);
    assert.equal(info.timing.tlsMs, undefined);
    assert.ok(info.timing.totalMs! >= info.timing.upgradeMs!);
    const hs = info.handshake!;
    assert.equal(hs.requestLine, 'GET /path?x=1 HTTP/1.1');
    assert.equal(header(hs.requestHeaders, 'Sec-WebSocket-Key'), keySeen);
    assert.equal(header(hs.requestHeaders, 'Sec-WebSocket-Version'), '13');
    assert.equal(header(hs.requestHeaders, 'Sec-WebSocket-Protocol'), 'chat');
    assert.match(header(hs.requestHeaders, 'Sec-WebSocket-Extensions') ?? '', /permessage-deflate/);
    assert.equal(header(hs.requestHeaders, 'X-Trace'), 'abc');
    assert.equal(header(hs.requestHeaders, 'Host'), `localhost:${running.port}`);
    assert.equal(hs.statusCode, 101);
    assert.equal(hs.acceptValid, true);
    assert.equal(header(hs.responseHeaders, 'Sec-WebSocket-Protocol'), 'chat');
    assert.match(info.remoteAddress ?? '', /:\d+$/);
  });

  it('measures ping round trips and reports who closed, with the code meaning and duration', async (t) => {
    const running = await wsServer(t);
    const { connection, recorder } = open(t, running.url);
    await recorder.kind('open');
    assert.equal(connection.state.inspector!.timing.dnsMs, undefined, 'an IP address needs no lookup');
    assert.deepEqual(connection.control('ping', 'hi'), { ok: true });
    const pong = await recorder.entry((e) => e.kind === 'pong' && e.direction === 'received');
    assert.match(pong.detail ?? '', /^round trip \d+(\.\d)? ms$/);
    assert.equal(connection.state.inspector!.pingRtts.length, 1);
    for (const client of running.server.clients) client.close(4000, 'bye');
    await recorder.kind('close');
    const close = connection.state.inspector!.close!;
    assert.equal(close.by, 'server');
    assert.equal(close.code, 4000);
    assert.equal(close.reason, 'bye');
    assert.equal(close.wasClean, true);
    assert.ok(close.durationMs !== undefined && close.durationMs >= 0);
  });

  it('says the network closed when the server vanishes: 1006 with its meaning', async (t) => {
    const running = await wsServer(t);
    const { connection, recorder } = open(t, running.url);
    await recorder.kind('open');
    for (const client of running.server.clients) client.terminate();
    await recorder.kind('close');
    const close = connection.state.inspector!.close!;
    assert.equal(close.by, 'network');
    assert.equal(close.meaning, '1006 Abnormal Closure: no Close frame: the connection was lost or dropped');
  });

  it('masks secret values in the URL and headers', async (t) => {
    const running = await wsServer(t);
    const { connection, recorder } = open(
      t,
      `${running.url}?token=s3cr3t`,
      { headers: [{ name: 'Authorization', value: 'Bearer s3cr3t' }] },
      { secrets: ['s3cr3t'] },
    );
    await recorder.kind('open');
    const state = connection.state;
    const text = JSON.stringify(state) + recorder.describe();
    assert.ok(!text.includes('s3cr3t'), text);
    assert.equal(header(state.inspector!.handshake!.requestHeaders, 'Authorization'), `Bearer ${MASK}`);
    assert.equal(state.url, `${running.url}?token=${MASK}`);
  });

  it('turns permessage-deflate off per endpoint', async (t) => {
    const running = await wsServer(t, { perMessageDeflate: true });
    const { connection, recorder } = open(t, running.url, { options: { perMessageDeflate: false } });
    await recorder.kind('open');
    const headers = connection.state.inspector!.handshake!.requestHeaders;
    assert.equal(header(headers, 'Sec-WebSocket-Extensions'), undefined);
    assert.equal(connection.state.extensions, '');
  });

  it('sends keep-alive pings and reports missing pongs; auto-pong can be turned off', async (t) => {
    const running = await wsServer(t, { autoPong: false });
    const pingsAtServer: string[] = [];
    running.server.on('connection', (socket) => {
      socket.on('ping', (data) => pingsAtServer.push(data.toString()));
      socket.ping('server ping');
    });
    const options: EndpointOptions = { pingIntervalSeconds: 0.3, autoPong: false };
    const { connection, recorder } = open(t, running.url, { options });
    await recorder.entry((e) => e.kind === 'error' && /No pong came back for the keep-alive ping/.test(e.detail ?? ''), 4000);
    await waitUntil(() => pingsAtServer.length >= 2, () => `pings reached the server: ${pingsAtServer.join(',')}`);
    assert.deepEqual(pingsAtServer.slice(0, 2), ['keep-alive 1', 'keep-alive 2']);
    assert.ok(connection.state.inspector!.missedPongs >= 1);
    const info = await recorder.entry((e) => e.kind === 'info');
    assert.match(info.detail ?? '', /Ping not answered/);
    assert.equal(recorder.entries.filter((e) => e.kind === 'pong' && e.direction === 'sent').length, 0);
  });
});

describe('Connection inspector and options (wss)', () => {
  let certs: TestCerts;
  before(async () => (certs = await makeCerts()));
  after(() => certs.remove());

  async function wss(t: TestContext, tls: Parameters<typeof startWssServer>[0]) {
    const running = await startWssServer(tls);
    t.after(() => running.close());
    return running;
  }

  it('refuses a self-signed certificate by default, with the Node error code', async (t) => {
    const running = await wss(t, { cert: certs.read('self.pem'), key: certs.read('self.key') });
    const { connection, recorder } = open(t, running.url);
    const error = await recorder.kind('error');
    assert.match(error.detail ?? '', /DEPTH_ZERO_SELF_SIGNED_CERT/);
    await recorder.kind('close');
    assert.equal(connection.state.readyState, 'CLOSED');
  });

  it('accepts it with the per-endpoint opt-in and says why it did not verify', async (t) => {
    const running = await wss(t, { cert: certs.read('self.pem'), key: certs.read('self.key') });
    const { connection, recorder } = open(t, running.url, { options: { acceptInvalidCerts: true } });
    await recorder.kind('open');
    const tls = connection.state.inspector!.tls!;
    assert.equal(tls.authorized, false);
    assert.match(tls.verification, /Not verified \(DEPTH_ZERO_SELF_SIGNED_CERT\): the certificate is self-signed/);
    assert.match(tls.protocol, /^TLSv1\.[23]$/);
    assert.ok(tls.cipher.length > 0);
    assert.equal(tls.chain[0]!.subject, 'CN=Self-signed test server');
    assert.match(tls.chain[0]!.subjectAltNames, /IP Address:127\.0\.0\.1/);
    const timing = connection.state.inspector!.timing;
    assert.ok(timing.tlsMs !== undefined && timing.tlsMs >= 0);
  });

  it('refuses an expired certificate, saying when it expired and what to do', async (t) => {
    const running = await wss(t, { cert: certs.read('expired.pem'), key: certs.read('server.key') });
    const { connection, recorder } = open(t, running.url, {}, { tlsFiles: { ca: certs.read('ca.pem') } });
    const error = await recorder.kind('error');
    const day = certs.expiredOn.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    assert.equal(
      error.detail,
      `The server's TLS certificate expired on ${day} (CERT_HAS_EXPIRED). Renew it on the server, or turn on "Accept invalid certificates" under Connection options (for test servers only)`,
    );
    assert.doesNotMatch(error.detail ?? '', /NODE_|--/);
    await recorder.kind('close');
    assert.equal(connection.state.error, error.detail);
  });

  it('refuses a certificate for another host, naming the hosts it is for', async (t) => {
    const running = await wss(t, { cert: certs.read('wrong-host.pem'), key: certs.read('server.key') });
    const { connection, recorder } = open(t, running.url, {}, { tlsFiles: { ca: certs.read('ca.pem') } });
    const error = await recorder.kind('error');
    assert.equal(
      error.detail,
      `The server's TLS certificate is for ${certs.wrongHost}, not 127.0.0.1 (ERR_TLS_CERT_ALTNAME_INVALID). Connect with a name the certificate lists, or turn on "Accept invalid certificates" under Connection options (for test servers only)`,
    );
    await recorder.kind('close');
    assert.equal(connection.state.readyState, 'CLOSED');
  });

  it('connects to the expired and the wrong-host certificate with "Accept invalid certificates"', async (t) => {
    for (const cert of ['expired.pem', 'wrong-host.pem'] as const) {
      const running = await wss(t, { cert: certs.read(cert), key: certs.read('server.key') });
      const { connection, recorder } = open(t, running.url, { options: { acceptInvalidCerts: true } }, { tlsFiles: { ca: certs.read('ca.pem') } });
      await recorder.kind('open');
      const tls = connection.state.inspector!.tls!;
      assert.equal(tls.authorized, false, cert);
      assert.match(
        tls.verification,
        cert === 'expired.pem' ? /CERT_HAS_EXPIRED\): the certificate has expired/ : /ERR_TLS_CERT_ALTNAME_INVALID\): the certificate is for another host name/,
      );
    }
  });

  it('trusts a custom CA, verifies and shows the chain', async (t) => {
    const running = await wss(t, { cert: certs.read('server.pem'), key: certs.read('server.key') });
    const { connection, recorder } = open(t, running.url, {}, { tlsFiles: { ca: certs.read('ca.pem') } });
    await recorder.kind('open');
    const tls = connection.state.inspector!.tls!;
    assert.equal(tls.authorized, true);
    assert.match(tls.verification, /^Verified/);
    assert.ok(tls.chain.length >= 1);
    assert.match(tls.chain[0]!.issuer, /WebSocket Debugger Test CA/);
  });

  it('supplies a client certificate (PEM, then PFX with passphrase) when the server requires one', async (t) => {
    const running = await wss(t, {
      cert: certs.read('server.pem'),
      key: certs.read('server.key'),
      ca: certs.read('ca.pem'),
      requestCert: true,
      rejectUnauthorized: true,
    });
    const without = open(t, running.url, {}, { tlsFiles: { ca: certs.read('ca.pem') } });
    await without.recorder.kind('close');
    assert.equal(without.recorder.ofKind('open').length, 0);
    assert.match(without.recorder.ofKind('error')[0]?.detail ?? '', /refused the TLS handshake over the client certificate \(ERR_SSL_\w*CERTIFICATE_REQUIRED\)/);

    const pem = open(t, running.url, {}, { tlsFiles: { ca: certs.read('ca.pem'), cert: certs.read('client.pem'), key: certs.read('client.key') } });
    await pem.recorder.kind('open');

    const pfx = open(
      t,
      running.url,
      { options: { passphrase: 'pfx-pass' } },
      { tlsFiles: { ca: certs.read('ca.pem'), pfx: certs.read('client.pfx') } },
    );
    await pfx.recorder.kind('open');
    await waitUntil(() => running.server.clients.size === 2, () => `${running.server.clients.size} clients`);
  });
});
