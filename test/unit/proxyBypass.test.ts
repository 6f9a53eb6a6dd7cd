import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import { after, before, describe, test, type TestContext } from 'node:test';
import { Connection, type ConnectionOptions } from '../../src/core/connection';
import { directAgent, isDirectAgent, unproxiedFetch, withProxyBypass, type HttpModule } from '../../src/core/proxyBypass';
import type { EndpointOptions } from '../../src/shared/protocol';
import { describeRoute } from '../../src/shared/proxyRoute';
import { ConnectionRecorder } from './helpers/connectionRecorder';
import { startHttpServer, startWsServer } from './helpers/testServers';
import { makeCerts, startWssServer, type TestCerts } from './helpers/tlsServers';

/** A stand-in for `http` as VS Code leaves it: `request` / `get` replaced, the originals kept. */
function patchedModule(withOriginal: boolean) {
  const calls: string[] = [];
  const fake = (name: string) => (...args: unknown[]) => {
    calls.push(name);
    const req = { ended: false, args, end: () => void (req.ended = true) };
    return req as unknown as http.ClientRequest;
  };
  const module: HttpModule & { STATUS_CODES: unknown } = {
    request: fake('proxied request'),
    get: fake('proxied get'),
    STATUS_CODES: http.STATUS_CODES,
    ...(withOriginal ? { __vscodeOriginal: { request: fake('original request') } } : {}),
  };
  return { module, calls };
}

describe('directAgent', () => {
  test('is a fresh http or https agent, marked so every bundle recognises it', () => {
    const plain = directAgent(false);
    const secure = directAgent(true);
    assert.ok(plain instanceof http.Agent && !(plain instanceof https.Agent));
    assert.ok(secure instanceof https.Agent);
    assert.notEqual(directAgent(true), secure, 'one agent per connection');
    assert.ok(isDirectAgent(plain) && isDirectAgent(secure));
    for (const other of [new http.Agent(), http.globalAgent, undefined, null, false, {}, 'agent']) {
      assert.equal(isDirectAgent(other), false);
    }
  });
});

describe('withProxyBypass', () => {
  test('sends direct-agent requests to the function VS Code replaced, all others through the patch', () => {
    const { module, calls } = patchedModule(true);
    const patched = module.request;
    const shimmed = withProxyBypass(module);
    const agent = directAgent(false);
    shimmed.request({ host: 'example.test', agent });
    shimmed.request('http://example.test/', { agent });
    shimmed.request(new URL('http://example.test/'), { agent }, () => undefined);
    shimmed.request({ host: 'example.test' });
    shimmed.request({ host: 'example.test', agent: new http.Agent() });
    shimmed.request('http://example.test/', () => undefined);
    assert.deepEqual(calls, [
      'original request',
      'original request',
      'original request',
      'proxied request',
      'proxied request',
      'proxied request',
    ]);
    assert.equal(shimmed.STATUS_CODES, http.STATUS_CODES, 'the rest of the module is unchanged');
    assert.equal(module.request, patched, 'the module itself is left as it was');
  });

  test('get() with a direct agent is the original request, ended; without, the patched get', () => {
    const { module, calls } = patchedModule(true);
    const shimmed = withProxyBypass(module);
    const req = shimmed.get({ agent: directAgent(true) }) as unknown as { ended: boolean };
    assert.equal(req.ended, true);
    shimmed.get({});
    assert.deepEqual(calls, ['original request', 'proxied get']);
  });

  test('where nothing was patched (plain Node), every request goes through the module', () => {
    const { module, calls } = patchedModule(false);
    withProxyBypass(module).request({ agent: directAgent(false) });
    assert.deepEqual(calls, ['proxied request']);
  });

  test('against a real server, a patched module that would fail is skipped for the direct agent', async (t) => {
    const server = await startHttpServer((_req, res) => res.end('direct'));
    t.after(() => server.close());
    const refuse = (): never => {
      throw new Error('went through the patched module');
    };
    const shimmed = withProxyBypass({ ...http, request: refuse, get: refuse, __vscodeOriginal: { request: http.request } } as HttpModule);
    const body = await new Promise<string>((resolve, reject) => {
      const req = shimmed.request({ host: '127.0.0.1', port: server.port, path: '/', agent: directAgent(false) }, (res: http.IncomingMessage) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body, 'direct');
    assert.throws(() => shimmed.request({ host: '127.0.0.1', port: server.port }), /patched module/);
  });
});

describe('unproxiedFetch', () => {
  test('is the fetch VS Code kept aside, or the global fetch where nothing was patched', () => {
    const original = (() => undefined) as unknown as typeof fetch;
    assert.equal(unproxiedFetch({ __vscodeOriginalFetch: original }), original);
    assert.equal(unproxiedFetch({}), fetch);
    assert.equal(unproxiedFetch({ __vscodeOriginalFetch: 'not a function' }), fetch);
  });
});

describe('Connection with Bypass proxy', () => {
  let certs: TestCerts;
  before(async () => (certs = await makeCerts()));
  after(() => certs.remove());

  function open(t: TestContext, url: string, options: EndpointOptions | undefined, extra: Partial<ConnectionOptions> = {}) {
    const connection = new Connection({ url, protocols: [], headers: [], ...(options ? { options } : {}) }, { handshakeTimeoutMs: 3000, maxPayload: 1024, ...extra });
    t.after(() => connection.dispose());
    const recorder = new ConnectionRecorder(connection);
    assert.deepEqual(connection.open(), { ok: true });
    return { connection, recorder };
  }

  test('connects with a direct agent and reports the route as bypassed', async (t) => {
    const running = await startWsServer();
    t.after(() => running.close());
    const { connection, recorder } = open(t, running.url, { bypassProxy: true });
    await recorder.kind('open');
    const info = connection.state.inspector!;
    assert.equal(info.proxyBypassed, true);
    assert.equal(info.route, undefined);
    assert.ok(info.timing.tcpMs !== undefined, 'the socket connected by itself, its phases were timed');
  });

  test('without the option nothing is said about bypassing', async (t) => {
    const running = await startWsServer();
    t.after(() => running.close());
    const { connection, recorder } = open(t, running.url, undefined);
    await recorder.kind('open');
    assert.equal(connection.state.inspector?.proxyBypassed, undefined);
  });

  test('the TLS options reach the direct agent: verification stays on, CA and client certificate apply', async (t) => {
    const selfSigned = await startWssServer({ cert: certs.read('self.pem'), key: certs.read('self.key') });
    t.after(() => selfSigned.close());
    const refused = open(t, selfSigned.url, { bypassProxy: true });
    assert.match((await refused.recorder.kind('error')).detail ?? '', /DEPTH_ZERO_SELF_SIGNED_CERT/);

    const mutual = await startWssServer({
      cert: certs.read('server.pem'),
      key: certs.read('server.key'),
      ca: certs.read('ca.pem'),
      requestCert: true,
      rejectUnauthorized: true,
    });
    t.after(() => mutual.close());
    const tlsFiles = { ca: certs.read('ca.pem'), cert: certs.read('client.pem'), key: certs.read('client.key') };
    const { connection, recorder } = open(t, mutual.url, { bypassProxy: true }, { tlsFiles });
    await recorder.kind('open');
    assert.equal(connection.state.inspector?.tls?.authorized, true);
  });
});

describe('describeRoute', () => {
  test('words the route VS Code reported, and a bypass', () => {
    assert.equal(describeRoute(undefined, undefined), undefined);
    assert.equal(describeRoute('DIRECT', undefined), 'direct (no proxy)');
    assert.equal(describeRoute('PROXY proxy.example:3128', false), 'PROXY proxy.example:3128');
    assert.equal(describeRoute(undefined, true), 'direct (proxy bypassed)');
    assert.equal(describeRoute('DIRECT', true), 'direct (proxy bypassed)');
    assert.equal(
      describeRoute('PROXY proxy.example:3128', true),
      'PROXY proxy.example:3128 (Bypass proxy could not take effect in this VS Code)',
    );
  });
});
