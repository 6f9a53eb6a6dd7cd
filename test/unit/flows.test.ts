// The flow file format: every mistake named with its flow, 1-based step and field before anything
// connects; the checked form the runner executes; `{{name}}` resolution; collection version 3.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COLLECTION_FILE_VERSION, exportCollection, importCollection, parseStoredCollections, renameEndpoint } from '../../src/shared/collections';
import { resolveAction, resolveDeep } from '../../src/shared/flowTemplates';
import { checkEachFlow, checkFlows, describeFlowIssue, renameEndpointInFlows, type FlowEndpoint } from '../../src/shared/flows';

const endpoints: FlowEndpoint[] = [
  { name: 'echo', kind: 'websocket', messages: [{ name: 'hello', format: 'text', body: 'hi {{user}}' }] },
  { name: 'chat', kind: 'socketio' },
];

/** The one-line refusal for a flow with these steps. */
function refusal(steps: unknown[], variables?: string[]): string {
  const result = checkFlows([{ name: 'f', steps }], { endpoints, ...(variables ? { variables: new Set(variables) } : {}) });
  assert.equal(result.ok, false, 'the flow should be refused');
  return describeFlowIssue((result as { issue: Parameters<typeof describeFlowIssue>[0] }).issue);
}

function checked(steps: unknown[], variables?: string[]) {
  const result = checkFlows([{ name: 'f', steps }], { endpoints, ...(variables ? { variables: new Set(variables) } : {}) });
  if (!result.ok) assert.fail(describeFlowIssue(result.issue));
  return result.checked[0]!.steps;
}

describe('flow checks', () => {
  test('an unknown step key names the flow, the step and the key', () => {
    assert.equal(refusal([{ connect: 'echo' }, { sned: { text: 'x' } }]), 'Flow "f", step 2, field "sned": unknown step key "sned": a step has one of "connect", "send", "expect", "expectNone", "ping", "close", "wait", "emit"');
    assert.equal(refusal([{ connect: 'echo', send: { text: 'x' } }]), 'Flow "f", step 1, field "send": one action per step: found "connect" and "send"');
    assert.equal(refusal([{ connect: 'echo', colour: 'red' }]), 'Flow "f", step 1, field "colour": unknown key "colour" in a "connect" step');
  });

  test('a bad JSONPath, a regex that does not compile and bad hex are refused', () => {
    assert.match(refusal([{ connect: 'echo' }, { expect: { json: {} }, capture: { token: 'data.token' } }]), /^Flow "f", step 2, field "capture.token": a path starts with "\$"/);
    assert.match(refusal([{ connect: 'echo' }, { expect: { regex: '(' } }]), /^Flow "f", step 2, field "expect.regex": the regular expression does not compile/);
    assert.match(refusal([{ connect: 'echo' }, { send: { hex: 'zz' } }]), /^Flow "f", step 2, field "send.hex": /);
    assert.match(refusal([{ connect: 'echo' }, { expect: { hex: '0' } }]), /^Flow "f", step 2, field "expect.hex": /);
  });

  test('unknown endpoints, aliases and saved messages are refused', () => {
    assert.equal(refusal([{ connect: 'nope' }]), 'Flow "f", step 1, field "connect": unknown endpoint "nope": no endpoint of this collection has that name');
    assert.equal(refusal([{ connect: 'echo', as: 'a' }, { send: { text: 'x' }, on: 'b' }]), 'Flow "f", step 2, field "on": no connection "b" is open at this step (open: "a")');
    assert.equal(refusal([{ connect: 'echo' }, { send: { message: 'bye' } }]), 'Flow "f", step 2, field "send.message": unknown saved message "bye" of endpoint "echo"');
    assert.equal(refusal([{ send: { text: 'x' } }]), 'Flow "f", step 1, field "send": "send" needs a connection: add a "connect" step before it');
  });

  test('wrong types are refused with the field', () => {
    assert.equal(refusal([{ connect: 'echo' }, { wait: '100' }]), 'Flow "f", step 2, field "wait": expected a wait in milliseconds (a whole number)');
    assert.equal(refusal([{ connect: 'echo', timeout: 0 }]), 'Flow "f", step 1, field "timeout": a timeout must be at least 1 ms');
    assert.equal(refusal([{ connect: 'echo' }, { expect: { text: 3 } }]), 'Flow "f", step 2, field "expect.text": expected a string');
    assert.equal(refusal([{ connect: 'echo' }, { expect: { text: 'a' }, next: 'yes' }]), 'Flow "f", step 2, field "next": expected true or false');
    assert.equal(refusal([{ connect: 'echo' }, { expectNone: { text: 'a' } }]), 'Flow "f", step 2, field "for": expected "for" in milliseconds (a whole number)');
    assert.equal(refusal([{ connect: 'echo' }, { close: { code: 1005 } }]).startsWith('Flow "f", step 2, field "close.code": 1005'), true);
    assert.equal(refusal([{ connect: 'echo' }, { send: { text: 'a', json: 1 } }]), 'Flow "f", step 2, field "send": expected exactly one of "text", "json", "hex", "base64", "msgpack", "cbor", "protobuf", "message"');
    const flowLevel = checkFlows([{ name: 'f', steps: {} }], { endpoints });
    assert.equal(flowLevel.ok, false);
    assert.equal(describeFlowIssue((flowLevel as { issue: Parameters<typeof describeFlowIssue>[0] }).issue), 'Flow "f", field "steps": expected a list of steps');
    const twice = checkFlows([{ name: 'f', steps: [] }, { name: 'f', steps: [] }], { endpoints });
    assert.equal(twice.ok, false);
  });

  test('the session kind decides which steps and matches make sense', () => {
    assert.equal(refusal([{ connect: 'chat' }, { send: { text: 'x' } }]), 'Flow "f", step 2, field "send": "chat" is a Socket.IO connection: use "emit" (or a saved message)');
    assert.equal(refusal([{ connect: 'echo' }, { emit: { event: 'x' } }]), 'Flow "f", step 2, field "emit": "echo" is a plain WebSocket connection: use "send"');
    assert.match(refusal([{ connect: 'chat' }, { expect: { text: 'x' } }]), /field "expect.text": a Socket.IO connection receives events/);
    assert.match(refusal([{ connect: 'echo' }, { expect: { event: 'x' } }]), /field "expect.event": "event" matches Socket.IO events/);
    assert.match(refusal([{ connect: 'chat' }, { ping: '' }]), /field "ping": Socket.IO manages its own heartbeats/);
    assert.match(refusal([{ connect: 'chat' }, { emit: { event: 'connect' } }]), /field "emit.event": "connect" is reserved/);
  });

  test('variables must be known when names are given: environment, --var, or an earlier capture', () => {
    assert.equal(
      refusal([{ connect: 'echo' }, { send: { text: '{{token}}' } }], ['user']),
      'Flow "f", step 2, field "send": unknown variable {{token}}: define it in the environment, with --var, or capture it in an earlier step',
    );
    // A capture of a step is known from the next step on, not in the step itself.
    assert.match(refusal([{ connect: 'echo' }, { expect: { text: '{{t}}' }, capture: { t: '$' } }], []), /step 2, field "expect": unknown variable \{\{t\}\}/);
    checked([{ connect: 'echo' }, { expect: { json: {} }, capture: { t: '$.token' } }, { send: { json: { token: '{{t}}', user: '{{user}}' } } }], ['user']);
    // Without names (an import), references are not checked; a regex with a template still checks.
    checked([{ connect: 'echo' }, { expect: { regex: '^{{prefix}}-\\d+$' } }]);
    checked([{ connect: 'echo' }, { expect: { hex: '{{magic}} 00' } }]);
    assert.match(refusal([{ connect: 'echo' }, { expect: { regex: '({{prefix}}' } }]), /field "expect.regex": the regular expression does not compile/);
  });

  test('the checked form: titles, default timeout and alias, "on" and the last connection', () => {
    const steps = checked([
      { connect: 'echo', as: 'one' },
      { connect: 'echo', as: 'two', timeout: 100 },
      { send: { text: 'hi' } },
      { send: { json: { a: 1 } }, on: 'one', name: 'say a' },
      { expect: { contains: 'x' }, next: true },
      { close: {} },
      { expectNone: { text: 'y' }, for: 10 },
      { wait: 5 },
    ]);
    assert.deepEqual(steps.map((s) => [s.number, s.title, s.alias, s.timeoutMs]), [
      [1, 'connect echo as one', 'one', 5000],
      [2, 'connect echo as two', 'two', 100],
      [3, 'send text "hi"', 'two', 5000],
      [4, 'say a', 'one', 5000],
      [5, 'expect next text containing "x"', 'two', 5000],
      [6, 'close 1000', 'two', 5000],
      // After "two" closed, the last opened connection still open is "one".
      [7, 'expect no text "y" for 10 ms', 'one', 5000],
      [8, 'wait 5 ms', 'one', 5000],
    ]);
    assert.deepEqual(checked([{ wait: 10 }, { connect: 'echo' }]).map((s) => s.title), ['wait 10 ms', 'connect echo']);
  });
});

describe('flow templates', () => {
  const variables = [
    { name: 'user', value: 'ada' },
    { name: 'token', value: 's3cret', secret: true },
  ];

  test('every string inside a value is resolved; the secrets used come back', () => {
    const resolved = resolveDeep({ auth: { token: '{{token}}', n: 1 }, list: ['{{ user }}', true] }, variables);
    assert.deepEqual(resolved, { ok: true, value: { auth: { token: 's3cret', n: 1 }, list: ['ada', true] }, secrets: ['s3cret'] });
    assert.deepEqual(resolveDeep('{{nope}}', variables), { ok: false, error: 'Unknown variable {{nope}}: define it in the active environment' });
  });

  test('actions resolve their strings, and only those', () => {
    const send = resolveAction({ action: 'send', body: { kind: 'text', text: 'hi {{user}}' } }, variables);
    assert.deepEqual(send, { ok: true, value: { action: 'send', body: { kind: 'text', text: 'hi ada' } }, secrets: [] });
    const expect = resolveAction({ action: 'expect', match: { json: { user: '{{user}}' } }, capture: [{ variable: 'x', path: '$.x' }], next: false }, variables);
    assert.deepEqual(expect.ok && expect.value, { action: 'expect', match: { json: { user: 'ada' } }, capture: [{ variable: 'x', path: '$.x' }], next: false });
  });
});

describe('collection file version 3: flows', () => {
  const file = (version: number, flows: unknown) =>
    JSON.stringify({ format: 'websocket-debugger-collection', version, name: 'C', endpoints: [{ name: 'echo', url: 'ws://localhost:1/' }], flows });
  let n = 0;
  const ids = () => `id${n++}`;

  test('flows import, export unchanged, and import again', () => {
    assert.equal(COLLECTION_FILE_VERSION, 3);
    const flows = [{ name: 'smoke', steps: [{ connect: 'echo' }, { send: { text: 'hi' } }, { expect: { text: 'hi' }, timeout: 500 }] }];
    const imported = importCollection(file(3, flows), ids);
    assert.ok(imported.ok);
    assert.deepEqual(imported.collection.flows, flows);
    const text = exportCollection(imported.collection);
    assert.deepEqual(JSON.parse(text).flows, flows);
    assert.ok(importCollection(text, ids).ok);
  });

  test('a send step may name a saved message of the endpoint it acts on', () => {
    const text = JSON.stringify({
      format: 'websocket-debugger-collection',
      version: 3,
      name: 'C',
      endpoints: [{ name: 'echo', url: 'ws://localhost:1/', messages: [{ name: 'hello', format: 'text', body: 'hi' }] }],
      flows: [{ name: 'f', steps: [{ connect: 'echo' }, { send: { message: 'hello' } }] }],
    });
    assert.ok(importCollection(text, ids).ok);
    assert.deepEqual(importCollection(text.replace('"message":"hello"', '"message":"bye"'), ids), {
      ok: false,
      error: 'Flow "f", step 2, field "send.message": unknown saved message "bye" of endpoint "echo"',
    });
  });

  test('a bad flow refuses the file with flow, step and field; version 2 files cannot have flows', () => {
    assert.deepEqual(importCollection(file(3, [{ name: 'smoke', steps: [{ connect: 'other' }] }]), ids), {
      ok: false,
      error: 'Flow "smoke", step 1, field "connect": unknown endpoint "other": no endpoint of this collection has that name',
    });
    assert.deepEqual(importCollection(file(2, []), ids), { ok: false, error: '"flows" needs collection file version 3' });
    assert.deepEqual(importCollection(file(3, 'x'), ids), { ok: false, error: 'flows: expected a list of flows' });
  });

  test('flows survive extension storage; a flow that no longer checks is kept, to report its mistake', () => {
    const imported = importCollection(file(3, [{ name: 'smoke', steps: [{ connect: 'echo' }] }]), ids);
    assert.ok(imported.ok);
    const stored = JSON.parse(JSON.stringify([imported.collection]));
    assert.deepEqual(parseStoredCollections(stored)[0]!.flows, [{ name: 'smoke', steps: [{ connect: 'echo' }] }]);
    // The endpoint is gone (renamed behind the store's back, or deleted): the flow stays, and
    // checking it names the endpoint it misses instead of the flow vanishing.
    stored[0].endpoints[0].name = 'renamed';
    stored[0].flows.push({ name: 'not a flow', steps: 'x' }, 7);
    const reread = parseStoredCollections(stored);
    assert.equal(reread.length, 1);
    assert.deepEqual(reread[0]!.flows, [{ name: 'smoke', steps: [{ connect: 'echo' }] }]);
    const checked = checkEachFlow(reread[0]!.flows, { endpoints: reread[0]!.endpoints });
    assert.ok(checked.ok);
    assert.deepEqual(
      checked.issues.map(({ index, issue }) => [index, describeFlowIssue(issue)]),
      [[0, 'Flow "smoke", step 1, field "connect": unknown endpoint "echo": no endpoint of this collection has that name']],
    );
  });

  test('renaming an endpoint renames it in the flows, and the connection alias it gave', () => {
    const flows = [
      {
        name: 'default alias',
        steps: [{ connect: 'echo' }, { send: { text: 'a' }, on: 'echo' }, { connect: 'other', as: 'o' }, { expect: { text: 'a' }, on: 'echo' }, { close: {}, on: 'o' }],
      },
      { name: 'own alias', steps: [{ connect: 'echo', as: 'main' }, { send: { text: 'a' }, on: 'main' }] },
      { name: 'alias taken over', steps: [{ connect: 'echo' }, { close: {}, on: 'echo' }, { connect: 'other', as: 'echo' }, { send: { text: 'b' }, on: 'echo' }] },
      { name: 'untouched', steps: [{ connect: 'other' }] },
    ];
    const renamed = renameEndpointInFlows(flows, 'echo', 'echo v2');
    assert.deepEqual(renamed[0]!.steps, [
      { connect: 'echo v2' },
      { send: { text: 'a' }, on: 'echo v2' },
      { connect: 'other', as: 'o' },
      { expect: { text: 'a' }, on: 'echo v2' },
      { close: {}, on: 'o' },
    ]);
    assert.deepEqual(renamed[1]!.steps, [{ connect: 'echo v2', as: 'main' }, { send: { text: 'a' }, on: 'main' }]);
    assert.deepEqual(renamed[2]!.steps, [{ connect: 'echo v2' }, { close: {}, on: 'echo v2' }, { connect: 'other', as: 'echo' }, { send: { text: 'b' }, on: 'echo' }]);
    assert.equal(renamed[3], flows[3], 'a flow that does not name the endpoint is the same object');
  });

  test('renameEndpoint in the store updates the flows of that collection, which still check', () => {
    const imported = importCollection(file(3, [{ name: 'smoke', steps: [{ connect: 'echo' }, { send: { text: 'x' }, on: 'echo' }] }]), ids);
    assert.ok(imported.ok);
    const [collection] = renameEndpoint([imported.collection], imported.collection.endpoints[0]!.id, '  Echo 2 ');
    assert.equal(collection!.endpoints[0]!.name, 'Echo 2');
    assert.deepEqual(collection!.flows, [{ name: 'smoke', steps: [{ connect: 'Echo 2' }, { send: { text: 'x' }, on: 'Echo 2' }] }]);
    assert.ok(checkFlows(collection!.flows, { endpoints: collection!.endpoints }).ok);
    // Through storage as well.
    const reread = parseStoredCollections(JSON.parse(JSON.stringify([collection])));
    assert.ok(checkFlows(reread[0]!.flows, { endpoints: reread[0]!.endpoints }).ok);
  });

  test('version 1 and 2 files without flows still import', () => {
    const base = { format: 'websocket-debugger-collection', name: 'C', endpoints: [{ name: 'echo', url: 'ws://localhost:1/' }] };
    assert.ok(importCollection(JSON.stringify({ ...base, version: 1 }), ids).ok);
    assert.ok(importCollection(JSON.stringify({ ...base, version: 2 }), ids).ok);
  });
});
