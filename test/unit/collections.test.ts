import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Collection } from '../../src/shared/protocol';
import {
  COLLECTION_FILE_VERSION,
  addImportedCollection,
  deleteEndpoint,
  exportCollection,
  findEndpoint,
  importCollection,
  parseStoredCollections,
  renameEndpoint,
  saveEndpoint,
  validateName,
} from '../../src/shared/collections';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import { describeFlowIssue } from '../../src/shared/flows';

function idSource(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

const sample: Collection = {
  id: 'c1',
  name: 'Chat',
  endpoints: [
    { id: 'e1', name: 'Local', url: 'ws://localhost:8080/', protocols: [], headers: [] },
    {
      id: 'e2',
      name: 'Staging',
      url: 'wss://staging.example.com/chat',
      protocols: ['chat.v2'],
      headers: [{ name: 'Authorization', value: 'Bearer x' }],
    },
  ],
};

function file(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: 'websocket-debugger-collection',
    version: 1,
    name: 'Imported',
    endpoints: [{ name: 'One', url: 'ws://one.example/' }],
    ...overrides,
  });
}

function importError(text: string): string {
  const result = importCollection(text, idSource());
  assert.equal(result.ok, false, 'import should be refused');
  return (result as { error: string }).error;
}

describe('exportCollection', () => {
  test('writes the version 3 format, pretty, without ids, with a trailing newline', () => {
    assert.equal(COLLECTION_FILE_VERSION, 3);
    const text = exportCollection(sample);
    assert.equal(
      text,
      `{
  "format": "websocket-debugger-collection",
  "version": 3,
  "name": "Chat",
  "endpoints": [
    {
      "name": "Local",
      "url": "ws://localhost:8080/"
    },
    {
      "name": "Staging",
      "url": "wss://staging.example.com/chat",
      "protocols": [
        "chat.v2"
      ],
      "headers": [
        {
          "name": "Authorization",
          "value": "Bearer x"
        }
      ]
    }
  ]
}
`,
    );
  });

  test('round-trips through importCollection with fresh ids', () => {
    const result = importCollection(exportCollection(sample), idSource('n'));
    assert.deepEqual(result, {
      ok: true,
      collection: {
        id: 'n1',
        name: 'Chat',
        endpoints: [
          { ...sample.endpoints[0], id: 'n2' },
          { ...sample.endpoints[1], id: 'n3' },
        ],
      },
    });
  });
});

describe('importCollection', () => {
  test('fills in missing protocols and headers and normalizes URLs', () => {
    const result = importCollection(file({ endpoints: [{ name: ' One ', url: ' WS://One.Example ' }] }), idSource());
    assert.deepEqual(result, {
      ok: true,
      collection: { id: 'id1', name: 'Imported', endpoints: [{ id: 'id2', name: 'One', url: 'ws://one.example/', protocols: [], headers: [] }] },
    });
  });

  test('an empty collection is fine', () => {
    assert.deepEqual(importCollection(file({ endpoints: [] }), idSource()), { ok: true, collection: { id: 'id1', name: 'Imported', endpoints: [] } });
  });

  test('refuses non-JSON', () => {
    assert.match(importError('{ nope'), /^Not a JSON file: \S/);
    assert.match(importError(''), /^Not a JSON file: /);
  });

  test('refuses other formats', () => {
    const expected = 'Not a WebSocket Debugger collection: "format" must be "websocket-debugger-collection"';
    assert.equal(importError(file({ format: 'postman' })), expected);
    assert.equal(importError('[]'), expected);
    assert.equal(importError('null'), expected);
    assert.equal(importError('{"version":1}'), expected);
  });

  test('refuses newer and unknown versions', () => {
    assert.equal(importError(file({ version: 4 })), 'This collection was written by a newer version (version 4); this version reads versions 1 to 3');
    assert.equal(importError(file({ version: 0 })), 'Unknown collection file version 0; this version reads versions 1 to 3');
    assert.equal(importError(file({ version: '1' })), 'Unknown collection file version "1"; this version reads versions 1 to 3');
    assert.equal(importError(file({ version: 1.5 })), 'Unknown collection file version 1.5; this version reads versions 1 to 3');
    assert.equal(importError(file({ version: undefined })), 'Unknown collection file version undefined; this version reads versions 1 to 3');
  });

  test('schema errors name the path in words', () => {
    const endpoints = [
      { name: 'A', url: 'ws://a/' },
      { name: 'B', url: 'ws://b/' },
      { name: 'C', url: 42 },
    ];
    assert.equal(importError(file({ endpoints })), 'endpoints[2].url: expected a string');
    assert.equal(importError(file({ endpoints: [{ name: 'A' }] })), 'endpoints[0].url: expected a string');
    assert.equal(importError(file({ name: '  ' })), 'name: must not be empty');
    assert.equal(importError(file({ name: 'x'.repeat(201) })), 'name: must be at most 200 characters');
    assert.equal(importError(file({ endpoints: 'x' })), 'endpoints: expected a list of endpoints');
    assert.equal(importError(file({ endpoints: [null] })), 'endpoints[0]: expected an object');
    assert.equal(
      importError(file({ endpoints: [{ name: 'A', url: 'ws://a/', headers: [{ name: 'X' }] }] })),
      'endpoints[0].headers[0].value: expected a string',
    );
    assert.equal(importError(file({ endpoints: [{ name: 'A', url: 'ws://a/', protocols: [1] }] })), 'endpoints[0].protocols[0]: expected a string');
  });

  test('each endpoint passes the connection form checks; the error names it', () => {
    assert.equal(
      importError(file({ endpoints: [{ name: 'Web', url: 'https://x/' }] })),
      'Endpoint "Web" (endpoints[0]): https:// is not a WebSocket URL; use wss:// instead',
    );
    assert.equal(
      importError(file({ endpoints: [{ name: 'P', url: 'ws://x/', protocols: ['a b'] }] })),
      `Endpoint "P" (endpoints[0]): "a b" is not a valid subprotocol name: it contains a space; only letters, digits and !#$%&'*+-.^_\`|~ are allowed`,
    );
    assert.equal(
      importError(file({ endpoints: [{ name: 'A', url: 'ws://a/' }, { name: 'H', url: 'ws://x/', headers: [{ name: 'X', value: '1' }, { name: 'Host', value: 'evil' }] }] })),
      'Endpoint "H" (endpoints[1]), headers[1]: Host is set from the URL; it cannot be set here',
    );
    assert.equal(
      importError(file({ endpoints: [{ name: 'I', url: 'ws://x/', headers: [{ name: 'X', value: 'a\r\nInjected: 1' }] }] })),
      'Endpoint "I" (endpoints[0]), headers[0]: The value of "X" contains a carriage return (CR) at position 2',
    );
  });

  test('two endpoints with the same name are refused', () => {
    assert.equal(
      importError(file({ endpoints: [{ name: 'A', url: 'ws://a/' }, { name: 'A ', url: 'ws://b/' }] })),
      'Endpoint "A" (endpoints[1]): another endpoint in this collection has the same name',
    );
  });

  test('unknown keys are ignored and not kept', () => {
    const text =
      '{"format":"websocket-debugger-collection","version":1,"name":"P","extra":true,' +
      '"endpoints":[{"name":"E","url":"ws://e/","x":{"y":1},"headers":[{"name":"X","value":"1","z":2}]}]}';
    const result = importCollection(text, idSource());
    assert.ok(result.ok);
    assert.deepEqual(result.collection, {
      id: 'id1',
      name: 'P',
      endpoints: [{ id: 'id2', name: 'E', url: 'ws://e/', protocols: [], headers: [{ name: 'X', value: '1' }] }],
    });
    assert.equal(Object.hasOwn(result.collection, 'extra'), false);
  });

  test('__proto__, constructor and prototype keys anywhere refuse the file, naming where', () => {
    const base = '{"format":"websocket-debugger-collection","version":1,"name":"P",';
    const cases: [string, string][] = [
      [`${base}"__proto__":{"polluted":"yes"},"endpoints":[]}`, '__proto__: the key "__proto__" is not allowed in a collection file'],
      [`${base}"constructor":{"prototype":{"polluted":"yes"}},"endpoints":[]}`, 'constructor: the key "constructor" is not allowed in a collection file'],
      [
        `${base}"endpoints":[{"name":"E","url":"ws://e/","headers":[{"name":"X","value":"1","__proto__":{"polluted":"yes"}}]}]}`,
        'endpoints[0].headers[0].__proto__: the key "__proto__" is not allowed in a collection file',
      ],
      [`${base}"endpoints":[{"name":"E","url":"ws://e/","prototype":{"x":1}}]}`, 'endpoints[0].prototype: the key "prototype" is not allowed in a collection file'],
    ];
    for (const [text, error] of cases) assert.equal(importError(text), error);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a truncated file is refused as cut short, and deep nesting does not overflow', () => {
    const whole = file({});
    assert.match(importError(whole.slice(0, whole.length - 5)), /^Not a JSON file: .*\(the file ends too early: was it cut short\?\)$/);
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.match(importError(deep), /^Not a WebSocket Debugger collection/);
  });
});

describe('parseStoredCollections', () => {
  test('returns [] for anything but an array', () => {
    for (const value of [undefined, null, 42, 'x', {}, { collections: [] }]) assert.deepEqual(parseStoredCollections(value), []);
  });

  test('reads valid state back unchanged', () => {
    assert.deepEqual(parseStoredCollections(JSON.parse(JSON.stringify([sample]))), [sample]);
  });

  test('drops invalid collections and endpoints instead of throwing', () => {
    const stored = [
      null,
      { id: 'bad', name: '', endpoints: [] },
      { id: 'c1', name: 'Keep', endpoints: [
        { id: 'e1', name: 'Good', url: 'ws://g/', protocols: [], headers: [] },
        { id: 'e2', name: 'No url', protocols: [], headers: [] },
        'garbage',
        { id: 'e1', name: 'Same id', url: 'ws://s/', protocols: [], headers: [] },
        { id: 'e3', name: 'Bad header', url: 'ws://b/', protocols: [], headers: [{ name: 1, value: 'x' }] },
      ] },
      { id: 'c1', name: 'Duplicate id', endpoints: [] },
      { id: 'c2', name: 'No endpoints list' },
    ];
    assert.deepEqual(parseStoredCollections(stored), [
      { id: 'c1', name: 'Keep', endpoints: [{ id: 'e1', name: 'Good', url: 'ws://g/', protocols: [], headers: [] }] },
    ]);
  });
  test('strips unknown keys, __proto__ included, from stored state', () => {
    const stored = JSON.parse(
      '[{"id":"c1","name":"C","__proto__":{"polluted":"yes"},"endpoints":[' +
        '{"id":"e1","name":"E","url":"ws://e/","protocols":[],"extra":1,"constructor":{"prototype":{"polluted":"yes"}},' +
        '"__proto__":{"polluted":"yes"},"headers":[{"name":"X","value":"1","__proto__":{"polluted":"yes"}}]}]}]',
    ) as unknown;
    const [collection] = parseStoredCollections(stored);
    const endpoint = collection.endpoints[0];
    assert.deepEqual(Object.keys(endpoint).sort(), ['headers', 'id', 'name', 'protocols', 'url']);
    for (const obj of [collection, endpoint, endpoint.headers[0]] as object[]) {
      assert.equal(Object.getPrototypeOf(obj), Object.prototype);
      assert.equal(Object.hasOwn(obj, '__proto__'), false);
      assert.equal(Object.hasOwn(obj, 'constructor'), false);
      assert.equal((obj as Record<string, unknown>).polluted, undefined);
    }
  });
});

describe('saveEndpoint', () => {
  const local = { name: 'Local', url: 'ws://localhost/', protocols: ['a'], headers: [{ name: 'X', value: '1' }] };

  test('creates the collection when no collection has that name', () => {
    const before: Collection[] = [];
    const { collections, endpoint } = saveEndpoint(before, '  Dev  ', local, idSource());
    assert.deepEqual(endpoint, { id: 'id2', ...local });
    assert.deepEqual(collections, [{ id: 'id1', name: 'Dev', endpoints: [endpoint] }]);
    assert.deepEqual(before, []);
  });

  test('adds to an existing collection (names compared exactly after trimming)', () => {
    const { collections, endpoint } = saveEndpoint([sample], ' Chat', { ...local, name: 'Remote' }, idSource('n'));
    assert.deepEqual(endpoint, { id: 'n1', ...local, name: 'Remote' });
    assert.equal(collections.length, 1);
    assert.equal(collections[0].id, 'c1');
    assert.deepEqual(collections[0].endpoints, [...sample.endpoints, endpoint]);
    assert.equal(sample.endpoints.length, 2);
  });

  test('replaces an endpoint with the same name, keeping its id, without mutating', () => {
    const snapshot = structuredClone(sample);
    const { collections, endpoint } = saveEndpoint([sample], 'Chat', { ...local, name: 'Staging ', url: 'wss://new/' }, idSource('n'));
    assert.deepEqual(endpoint, { id: 'e2', name: 'Staging', url: 'wss://new/', protocols: ['a'], headers: [{ name: 'X', value: '1' }] });
    assert.deepEqual(collections[0].endpoints, [sample.endpoints[0], endpoint]);
    assert.deepEqual(sample, snapshot);
  });

  test('a different case is a different collection', () => {
    const { collections } = saveEndpoint([sample], 'chat', local, idSource('n'));
    assert.deepEqual(collections.map((c) => c.name), ['Chat', 'chat']);
  });

  test('the saved endpoint does not share arrays with the input', () => {
    const input = { ...local, protocols: ['a'], headers: [{ name: 'X', value: '1' }] };
    const { endpoint } = saveEndpoint([], 'Dev', input, idSource());
    input.protocols.push('b');
    input.headers[0].value = 'changed';
    assert.deepEqual(endpoint.protocols, ['a']);
    assert.equal(endpoint.headers[0].value, '1');
  });
});

describe('rename, delete, find', () => {
  test('renameEndpoint renames only that endpoint and returns new arrays', () => {
    const snapshot = structuredClone(sample);
    const renamed = renameEndpoint([sample], 'e2', '  Prod ');
    assert.deepEqual(renamed[0].endpoints.map((e) => [e.id, e.name]), [['e1', 'Local'], ['e2', 'Prod']]);
    assert.equal(renamed[0].endpoints[0], sample.endpoints[0]);
    assert.deepEqual(sample, snapshot);
    assert.deepEqual(renameEndpoint([sample], 'missing', 'X'), [sample]);
  });

  test('deleteEndpoint keeps the collection even when it becomes empty', () => {
    const one = deleteEndpoint([sample], 'e1');
    assert.deepEqual(one[0].endpoints.map((e) => e.id), ['e2']);
    const none = deleteEndpoint(one, 'e2');
    assert.deepEqual(none, [{ id: 'c1', name: 'Chat', endpoints: [] }]);
    assert.equal(sample.endpoints.length, 2);
    assert.deepEqual(deleteEndpoint([sample], 'missing'), [sample]);
  });

  test('findEndpoint returns the endpoint and its collection', () => {
    const other: Collection = { id: 'c2', name: 'Other', endpoints: [{ id: 'e9', name: 'N', url: 'ws://n/', protocols: [], headers: [] }] };
    const found = findEndpoint([sample, other], 'e9');
    assert.equal(found?.collection, other);
    assert.equal(found?.endpoint, other.endpoints[0]);
    assert.equal(findEndpoint([sample, other], 'nope'), undefined);
  });
});

describe('addImportedCollection', () => {
  const imported = (name: string): Collection => ({ id: `new-${name}`, name, endpoints: [] });

  test('adds under its own name when free', () => {
    assert.deepEqual(addImportedCollection([sample], imported('Other')).map((c) => c.name), ['Chat', 'Other']);
  });

  test('never overwrites: a taken name gets (2), (3), ...', () => {
    let list = [sample];
    list = addImportedCollection(list, imported('Chat'));
    list = addImportedCollection(list, imported('Chat'));
    assert.deepEqual(list.map((c) => c.name), ['Chat', 'Chat (2)', 'Chat (3)']);
    assert.deepEqual(list[0], sample);
    assert.deepEqual(list.map((c) => c.id), ['c1', 'new-Chat', 'new-Chat']);
  });

  test('a suffixed long name still fits the name limit', () => {
    const long = 'x'.repeat(200);
    const list = addImportedCollection([{ id: 'a', name: long, endpoints: [] }], imported(long));
    assert.equal(list[1].name, 'x'.repeat(196) + ' (2)');
    assert.equal(validateName(list[1].name), undefined);
  });
});

describe('validateName', () => {
  test('refuses empty and overly long names', () => {
    assert.equal(validateName('Chat'), undefined);
    assert.equal(validateName('  x  '), undefined);
    assert.equal(validateName('x'.repeat(200)), undefined);
    assert.equal(validateName('   '), 'Enter a name');
    assert.equal(validateName(''), 'Enter a name');
    assert.equal(validateName('x'.repeat(201)), 'A name can be at most 200 characters; this one has 201');
  });
});

describe('endpoint options (file version 2)', () => {
  const withTls: Collection = {
    id: 'c',
    name: 'Secure',
    endpoints: [
      {
        id: 'e',
        name: 'Mutual TLS',
        url: 'wss://api.example/',
        protocols: [],
        headers: [],
        options: { acceptInvalidCerts: true, pfxFile: '/keys/client.pfx', passphrase: 'typed-secret', autoReconnect: true, pingIntervalSeconds: 15 },
      },
      {
        id: 'f',
        name: 'By variable',
        url: 'wss://api.example/',
        protocols: [],
        headers: [],
        options: { passphrase: '{{pfxPassphrase}}', caFile: '' },
      },
    ],
  };

  test('exports options, but never a typed passphrase (a variable reference is kept)', () => {
    const text = exportCollection(withTls);
    assert.ok(!text.includes('typed-secret'));
    const parsed = JSON.parse(text) as { endpoints: { options?: Record<string, unknown> }[] };
    assert.deepEqual(parsed.endpoints[0]!.options, {
      acceptInvalidCerts: true,
      pfxFile: '/keys/client.pfx',
      autoReconnect: true,
      pingIntervalSeconds: 15,
    });
    assert.deepEqual(parsed.endpoints[1]!.options, { passphrase: '{{pfxPassphrase}}' });
  });

  test('imports them back, and still imports version 1 files', () => {
    const result = importCollection(exportCollection(withTls), idSource());
    assert.ok(result.ok);
    assert.equal(result.collection.endpoints[0]!.options?.pingIntervalSeconds, 15);
    assert.ok(importCollection(file({ version: 1 }), idSource()).ok);
  });

  test('refuses options of the wrong type with the path', () => {
    const bad = file({ version: 2, endpoints: [{ name: 'One', url: 'ws://one.example/', options: { pingIntervalSeconds: 'often' } }] });
    assert.match(importError(bad), /^endpoints\[0\]\.options\.pingIntervalSeconds: /);
  });

  test('Bypass proxy is an optional field of version 2: exported, imported, and absent when off', () => {
    const proxied: Collection = { ...withTls, endpoints: [{ ...withTls.endpoints[1]!, options: { bypassProxy: true } }] };
    const text = exportCollection(proxied);
    const parsed = JSON.parse(text) as { version: number; endpoints: { options?: Record<string, unknown> }[] };
    assert.equal(parsed.version, 3);
    assert.deepEqual(parsed.endpoints[0]!.options, { bypassProxy: true });
    const result = importCollection(text, idSource());
    assert.ok(result.ok);
    assert.equal(result.collection.endpoints[0]!.options?.bypassProxy, true);
    const off = importCollection(file({ version: 2, endpoints: [{ name: 'One', url: 'ws://one.example/' }] }), idSource());
    assert.ok(off.ok);
    assert.equal(off.collection.endpoints[0]!.options, undefined);
    const bad = file({ version: 2, endpoints: [{ name: 'One', url: 'ws://one.example/', options: { bypassProxy: 'yes' } }] });
    assert.match(importError(bad), /^endpoints\[0\]\.options\.bypassProxy: /);
  });

  test('saving keeps options without the typed passphrase', () => {
    const { endpoint } = saveEndpoint([], 'C', { ...withTls.endpoints[0]!, name: 'X' }, idSource());
    assert.equal(endpoint.options?.passphrase, undefined);
    assert.equal(endpoint.options?.autoReconnect, true);
  });
});

describe('collection file version 2: Socket.IO endpoints', () => {
  const socketIo: Collection = {
    id: 'c',
    name: 'Realtime',
    endpoints: [
      {
        id: 'e1',
        name: 'Chat',
        url: 'http://localhost:3000',
        protocols: [],
        headers: [],
        kind: 'socketio',
        socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, namespace: '/chat', version: 'v2', query: [{ name: 'room', value: 'a' }] },
      },
      { id: 'e2', name: 'Plain', url: 'ws://localhost:8080/', protocols: [], headers: [] },
    ],
  };

  test('exports kind and only the options that differ from the defaults, and imports them back', () => {
    const text = exportCollection(socketIo);
    const data = JSON.parse(text) as { version: number; endpoints: Record<string, unknown>[] };
    assert.equal(data.version, 3);
    assert.deepEqual(data.endpoints[0], {
      name: 'Chat',
      kind: 'socketio',
      socketio: { namespace: '/chat', version: 'v2', query: [{ name: 'room', value: 'a' }] },
      url: 'http://localhost:3000',
    });
    assert.deepEqual(data.endpoints[1], { name: 'Plain', url: 'ws://localhost:8080/' });
    const back = importCollection(text, idSource());
    assert.ok(back.ok);
    assert.deepEqual(
      back.collection.endpoints.map(({ id: _id, ...rest }) => rest),
      socketIo.endpoints.map(({ id: _id, ...rest }) => rest),
    );
  });

  test('a Socket.IO endpoint keeps Bypass proxy through saving, export and import', () => {
    const endpoint = { ...socketIo.endpoints[0]!, name: 'Direct chat', options: { bypassProxy: true } };
    const saved = saveEndpoint([], 'Realtime', endpoint, idSource());
    assert.deepEqual(saved.endpoint.options, { bypassProxy: true });
    const collection = saved.collections[0]!;
    const back = importCollection(exportCollection(collection), idSource());
    assert.ok(back.ok);
    assert.equal(back.collection.endpoints[0]!.kind, 'socketio');
    assert.deepEqual(back.collection.endpoints[0]!.options, { bypassProxy: true });
  });

  test('migrates version 1 files: every endpoint is a WebSocket endpoint', () => {
    const result = importCollection(file({ version: 1, endpoints: [{ name: 'Old', url: 'ws://old.example/', protocols: ['chat'] }] }), idSource());
    assert.ok(result.ok);
    assert.equal(result.collection.endpoints[0]?.kind, undefined);
    assert.deepEqual(result.collection.endpoints[0], { id: 'id2', name: 'Old', url: 'ws://old.example/', protocols: ['chat'], headers: [] });
  });

  test('refuses Socket.IO fields in a version 1 file and bad Socket.IO options', () => {
    const endpoint = { name: 'S', url: 'http://a.example', kind: 'socketio' };
    assert.match(importError(file({ version: 1, endpoints: [endpoint] })), /need collection file version 2/);
    assert.match(
      importError(file({ version: 2, endpoints: [{ ...endpoint, socketio: { namespace: 'chat' } }] })),
      /namespace must start with "\/"/,
    );
    assert.match(importError(file({ version: 2, endpoints: [{ ...endpoint, socketio: { version: 'v3' } }] })), /socketio\.version: expected "v4" or "v2"/);
    assert.match(importError(file({ version: 2, endpoints: [{ ...endpoint, socketio: { auth: '[1]' } }] })), /auth payload must be a JSON object/);
  });

  test('stored Socket.IO endpoints get defaults for options they lack', () => {
    const stored = parseStoredCollections([
      { id: 'c', name: 'N', endpoints: [{ id: 'e', name: 'S', url: 'http://a.example', protocols: [], headers: [], kind: 'socketio', socketio: { namespace: '/x' } }] },
    ]);
    assert.deepEqual(stored[0]?.endpoints[0]?.socketio, { ...DEFAULT_SOCKET_IO_OPTIONS, namespace: '/x' });
  });
});

describe('importCollection with keepGoodFlows (workspace files)', () => {
  const flows = [
    { name: 'good', steps: [{ connect: 'One' }, { send: { text: 'hi' } }] },
    { name: 'typo', steps: [{ connect: 'One' }, { expect: { regex: '(' } }] },
    { name: 'good', steps: [{ connect: 'One' }] },
    { steps: [] },
    { name: 'also good', steps: [{ wait: 5 }] },
  ];

  test('keeps the flows that check and names each other one with its index, step and field', () => {
    const result = importCollection(file({ version: 3, flows }), idSource(), { keepGoodFlows: true });
    assert.ok(result.ok);
    assert.deepEqual(result.collection.flows?.map((f) => f.name), ['good', 'also good']);
    assert.deepEqual(result.collection.endpoints.map((e) => e.name), ['One']);
    assert.deepEqual(
      result.flowIssues?.map(({ index, issue }) => [index, describeFlowIssue(issue)]),
      [
        [1, 'Flow "typo", step 2, field "expect.regex": the regular expression does not compile: Invalid regular expression: /(/u: Unterminated group'],
        [2, 'Flow "good", field "name": another flow in this collection has the same name'],
        [3, 'Flow "flows[3]", field "name": expected a non-empty flow name'],
      ],
    );
  });

  test('without it the first bad flow refuses the file, as imports always did; a clean file has no flowIssues', () => {
    assert.match(importError(file({ version: 3, flows })), /^Flow "typo", step 2, field "expect\.regex"/);
    const clean = importCollection(file({ version: 3, flows: [flows[0]] }), idSource(), { keepGoodFlows: true });
    assert.ok(clean.ok);
    assert.equal('flowIssues' in clean, false);
    // "flows" that is not a list is still a mistake of the whole file.
    const whole = importCollection(file({ version: 3, flows: {} }), idSource(), { keepGoodFlows: true });
    assert.equal(whole.ok, false);
  });
});
