import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportCollection, importCollection, parseStoredCollections, saveEnvironment, selectEnvironment } from '../../src/shared/collections';
import type { Collection, Variable } from '../../src/shared/protocol';
import { referencedNames, resolveParams, resolveText, withoutSecrets, withPlaceholders } from '../../src/shared/variables';

const VARS: Variable[] = [
  { name: 'host', value: 'api.example' },
  { name: 'token', value: 'T0P-S3CRET', secret: true },
  { name: 'env.name', value: 'staging' },
];

describe('variables', () => {
  it('finds references, with spaces inside the braces', () => {
    assert.deepEqual(referencedNames('{{host}}/{{ token }}/{{host}}'), ['host', 'token']);
  });

  it('resolves text and reports the secret values used', () => {
    assert.deepEqual(resolveText('wss://{{host}}/?t={{ token }}&e={{env.name}}', VARS), {
      ok: true,
      value: 'wss://api.example/?t=T0P-S3CRET&e=staging',
      secrets: ['T0P-S3CRET'],
    });
  });

  it('names unknown variables', () => {
    const result = resolveText('{{nope}} {{also}}', VARS);
    assert.deepEqual(result, { ok: false, error: 'Unknown variables {{nope}}, {{also}}: define them in the active environment' });
  });

  it('does not resolve recursively', () => {
    const result = resolveText('{{a}}', [{ name: 'a', value: '{{b}}' }, { name: 'b', value: 'x' }]);
    assert.ok(result.ok && result.value === '{{b}}');
  });

  it('resolves a connection form and says which part failed', () => {
    const ok = resolveParams(
      { url: 'wss://{{host}}/', protocols: ['{{env.name}}'], headers: [{ name: 'Authorization', value: 'Bearer {{token}}' }], options: { passphrase: '{{token}}' } },
      VARS,
    );
    assert.ok(ok.ok);
    assert.equal(ok.params.url, 'wss://api.example/');
    assert.deepEqual(ok.params.protocols, ['staging']);
    assert.equal(ok.params.headers[0]!.value, 'Bearer T0P-S3CRET');
    assert.equal(ok.params.options?.passphrase, 'T0P-S3CRET');
    assert.deepEqual(ok.secrets, ['T0P-S3CRET']);
    const bad = resolveParams({ url: 'ws://x/', protocols: [], headers: [{ name: 'X', value: '{{missing}}' }] }, VARS);
    assert.deepEqual(bad, { ok: false, field: 'headers', error: 'Header "X": Unknown variable {{missing}}: define it in the active environment' });
  });

  it('keeps the Socket.IO kind and options, resolving the auth payload and query values', () => {
    const socketio = {
      namespace: '/chat',
      path: '/socket.io',
      transports: 'websocket' as const,
      version: 'v4' as const,
      auth: '{"token":"{{token}}"}',
      query: [{ name: 'env', value: '{{env.name}}' }],
      reconnection: true,
      ackTimeoutSeconds: 10,
    };
    const ok = resolveParams({ url: 'http://{{host}}', protocols: [], headers: [], kind: 'socketio', socketio }, VARS);
    assert.ok(ok.ok);
    assert.equal(ok.params.kind, 'socketio');
    assert.deepEqual(ok.params.socketio, { ...socketio, auth: '{"token":"T0P-S3CRET"}', query: [{ name: 'env', value: 'staging' }] });
    assert.deepEqual(ok.secrets, ['T0P-S3CRET']);
  });

  it('withholds secret variables from an untrusted source, naming the ones it asked for', () => {
    const allowed = withoutSecrets(VARS, 'wss://{{host}}/?e={{env.name}}');
    assert.ok(allowed.ok);
    assert.deepEqual(allowed.variables.map((v) => v.name), ['host', 'env.name']);
    const refused = withoutSecrets(VARS, JSON.stringify({ url: 'wss://{{host}}/', headers: [{ name: 'Authorization', value: 'Bearer {{ token }}' }] }));
    assert.deepEqual(refused, {
      ok: false,
      error: '{{token}} is a secret variable: secrets are not given to endpoints from a workspace you have not trusted',
    });
  });

  it('puts words in place of references for checking', () => {
    assert.equal(withPlaceholders('wss://{{host}}:{{ port }}/'), 'wss://host:port/');
  });
});

describe('environments in collections', () => {
  const base: Collection = { id: 'c1', name: 'Team', endpoints: [{ id: 'e1', name: 'Api', url: 'wss://{{host}}/', protocols: [], headers: [] }] };
  let counter = 0;
  const ids = () => `id-${++counter}`;

  it('saves an environment as the active one; a secret keeps its name only', () => {
    const [saved] = saveEnvironment([base], 'c1', { name: 'staging', variables: VARS });
    assert.equal(saved!.activeEnvironment, 'staging');
    assert.deepEqual(saved!.environments![0]!.variables[1], { name: 'token', value: '', secret: true });
    assert.equal(selectEnvironment([saved!], 'c1', '')[0]!.activeEnvironment, undefined);
    assert.equal(selectEnvironment([saved!], 'c1', 'unknown')[0]!.activeEnvironment, undefined);
  });

  it('exports and stores environments without secret values, and imports them back with references intact', () => {
    const withSecretValue: Collection = { ...base, environments: [{ name: 'staging', variables: VARS }], activeEnvironment: 'staging' };
    const text = exportCollection(withSecretValue);
    assert.ok(!text.includes('T0P-S3CRET'), text);
    assert.match(text, /"name": "token",\s*"value": "",\s*"secret": true/);
    const stored = parseStoredCollections(JSON.parse(JSON.stringify([withSecretValue])));
    assert.ok(!JSON.stringify(stored).includes('T0P-S3CRET'));
    const imported = importCollection(text, ids);
    assert.ok(imported.ok);
    assert.equal(imported.collection.endpoints[0]!.url, 'wss://{{host}}/');
    assert.equal(imported.collection.activeEnvironment, 'staging');
    assert.equal(imported.collection.environments![0]!.variables.length, 3);
  });
});
