import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportCollection, importCollection, parseStoredCollections } from '../../src/shared/collections';
import { parseMock, parseMocks, type MockDefinition } from '../../src/shared/mockFormat';
import { compileTemplate, renderJson, renderTemplate } from '../../src/shared/mockTemplate';

function refusal(mock: unknown): string {
  const parsed = parseMock(mock);
  assert.equal(parsed.ok, false, 'expected a refusal');
  return (parsed as { error: string }).error;
}

function mock(value: unknown): MockDefinition {
  const parsed = parseMock(value);
  if (!parsed.ok) assert.fail(parsed.error);
  return parsed.mock;
}

describe('mock format: defaults', () => {
  test('a WebSocket mock listens on 127.0.0.1, any port, path /, echoes', () => {
    const m = mock({ name: 'Echo' });
    assert.deepEqual(
      { kind: m.kind, host: m.host, port: m.port, path: m.path, fallback: m.fallback, tls: m.tls, rules: m.rules },
      { kind: 'websocket', host: '127.0.0.1', port: 0, path: '/', fallback: 'echo', tls: false, rules: [] },
    );
  });

  test('a Socket.IO mock has the /socket.io path and the / namespace', () => {
    const m = mock({ name: 'IO', kind: 'socketio' });
    assert.equal(m.path, '/socket.io');
    assert.equal(m.namespace, '/');
  });

  test('rules keep their 1-based numbers and triggers', () => {
    const m = mock({
      name: 'R',
      rules: [
        { onConnect: { reply: { text: 'hi' } } },
        { on: { contains: 'x' }, reply: { json: { a: 1 } }, delay: 5 },
        { every: 1000, broadcast: true, reply: { hex: '01 02' } },
        { on: { text: 'quiet' } },
      ],
    });
    assert.deepEqual(m.rules.map((r) => [r.number, r.trigger]), [[1, 'connect'], [2, 'message'], [3, 'every'], [4, 'message']]);
    const every = m.rules[2];
    assert.ok(every.trigger === 'every' && every.broadcast && every.intervalMs === 1000);
    assert.equal(m.rules[1].action.delayMs, 5);
  });
});

describe('mock format: refusals name the mock, the rule and the field', () => {
  const cases: [string, unknown, string][] = [
    ['no name', { kind: 'websocket' }, 'mocks[0], name: expected a string, got nothing'],
    ['bad kind', { name: 'A', kind: 'mqtt' }, 'Mock "A" (mocks[0]), kind: expected "websocket" or "socketio", got "mqtt"'],
    ['bad port', { name: 'A', port: 70000 }, 'Mock "A" (mocks[0]), port: expected a whole number from 0 to 65535, got 70000'],
    ['unknown key', { name: 'A', prot: 1 }, 'Mock "A" (mocks[0]), prot: unknown key; expected one of'],
    ['path without slash', { name: 'A', path: 'ws' }, 'Mock "A" (mocks[0]), path: expected a path that starts with "/"'],
    ['bad regex', { name: 'A', rules: [{ on: { regex: '(' } , reply: { text: 'x' } }] }, 'Mock "A" (mocks[0]), rule 1, on.regex: the regular expression does not compile'],
    ['bad hex', { name: 'A', rules: [{ on: { text: 'a' } }, { on: { text: 'b' }, reply: { hex: 'zz' } }] }, 'Mock "A" (mocks[0]), rule 2, reply.hex:'],
    ['forbidden close code', { name: 'A', rules: [{ on: { text: 'a' }, close: { code: 1006 } }] }, 'Mock "A" (mocks[0]), rule 1, close.code: 1006 is reserved'],
    ['reason too long', { name: 'A', rules: [{ on: { text: 'a' }, close: { code: 4000, reason: 'x'.repeat(124) } }] }, 'rule 1, close.reason: The close reason is 124 bytes'],
    ['unknown template', { name: 'A', rules: [{ on: { text: 'a' }, reply: { text: '{{message.body}}' } }] }, 'rule 1, reply.text: {{message.body}} is not a template'],
    ['message template without a message', { name: 'A', rules: [{ onConnect: { reply: { text: '{{message.text}}' } } }] }, 'rule 1, onConnect.reply.text: {{message.text}}: only rules with "on" have a message'],
    ['template deep in json', { name: 'A', rules: [{ on: { text: 'a' }, reply: { json: { user: { name: '{{who}}' } } } }] }, 'rule 1, reply.json.user.name: {{who}} is not a template'],
    ['two triggers', { name: 'A', rules: [{ on: { text: 'a' }, every: 100, reply: { text: 'x' } }] }, 'rule 1: one trigger per rule, found "on" and "every"'],
    ['no trigger', { name: 'A', rules: [{ reply: { text: 'x' } }] }, 'rule 1: a rule starts with "onConnect", "on" or "every"'],
    ['every too fast', { name: 'A', rules: [{ every: 1, reply: { text: 'x' } }] }, 'rule 1, every: expected a whole number from 10'],
    ['every without action', { name: 'A', rules: [{ every: 100 }] }, 'Mock "A" (mocks[0]), rule 1: the rule has no action'],
    ['emit on a WebSocket mock', { name: 'A', rules: [{ on: { text: 'a' }, emit: { event: 'x' } }] }, 'rule 1, emit: "emit" is for Socket.IO mocks'],
    ['reply on a Socket.IO mock', { name: 'A', kind: 'socketio', rules: [{ on: { event: 'a' }, reply: { text: 'x' } }] }, 'rule 1, reply: a Socket.IO mock answers with "emit"'],
    ['text match on a Socket.IO mock', { name: 'A', kind: 'socketio', rules: [{ on: { text: 'a' }, emit: { event: 'b' } }] }, 'rule 1, on: a Socket.IO mock matches events'],
    ['ack outside an on rule', { name: 'A', kind: 'socketio', rules: [{ onConnect: { ack: [1] } }] }, 'rule 1, onConnect.ack: only an event can be acknowledged'],
    ['reserved event name', { name: 'A', kind: 'socketio', rules: [{ on: { event: 'a' }, emit: { event: 'disconnect' } }] }, 'rule 1, emit.event: "disconnect" is reserved'],
    ['throttle on Socket.IO', { name: 'A', kind: 'socketio', throttle: 100 }, 'Mock "A" (mocks[0]), throttle: only plain WebSocket mocks can be throttled'],
    ['handshake 101', { name: 'A', handshake: { status: 101 } }, 'handshake.status: 101 would accept the upgrade'],
    ['handshake header with a line break', { name: 'A', handshake: { status: 401, headers: { 'X-A': 'a\r\nb' } } }, 'handshake.headers.X-A: a header value cannot contain line breaks'],
    ['payload with two kinds', { name: 'A', rules: [{ on: { text: 'a' }, reply: { text: 'x', json: 1 } }] }, 'rule 1, reply: expected exactly one of "text", "json", "hex", "base64"'],
    ['args template on a WebSocket mock', { name: 'A', rules: [{ on: { text: 'a' }, reply: { text: '{{message.args.0}}' } }] }, 'only Socket.IO events have arguments'],
  ];
  for (const [what, value, expected] of cases) {
    test(what, () => {
      const error = refusal(value);
      assert.ok(error.startsWith(expected) || error.includes(expected), `${error}\n  should contain\n${expected}`);
    });
  }

  test('two mocks with one name', () => {
    const parsed = parseMocks([{ name: 'A' }, { name: 'A' }]);
    assert.deepEqual(parsed, { ok: false, error: 'Mock "A" (mocks[1]): another mock in this file has the same name' });
  });
});

describe('mock templates', () => {
  const scope = { hasMessage: true, socketIo: true };
  const context = { message: { text: '{"user":{"name":"Ann"},"n":3}', json: { user: { name: 'Ann' }, n: 3 }, args: ['a', { b: [1, 2] }] }, connectionId: '7', seq: 12, now: 1000 };
  const render = (source: string): string => {
    const compiled = compileTemplate(source, scope);
    if (!compiled.ok) assert.fail(compiled.error);
    return renderTemplate(compiled.template, context);
  };

  test('each name renders its value; non-strings as JSON; missing as nothing', () => {
    assert.equal(render('{{message.json.user.name}} #{{ seq }} on {{connection.id}} at {{now}}'), 'Ann #12 on 7 at 1000');
    assert.equal(render('{{message.json.user}}'), '{"name":"Ann"}');
    assert.equal(render('{{message.args.1.b.1}}|{{message.args.0}}'), '2|a');
    assert.equal(render('[{{message.json.missing.deep}}]'), '[]');
    assert.equal(render('{{message.text}}'), context.message.text);
  });

  test('in JSON, a string that is only a template becomes the value itself', () => {
    assert.deepEqual(renderJson({ n: '{{message.json.n}}', s: 'n={{message.json.n}}', gone: '{{message.json.x}}', list: ['{{seq}}'] }, scope, context), {
      n: 3,
      s: 'n=3',
      gone: null,
      list: [12],
    });
  });
});

describe('collection files with mocks', () => {
  const file = (extra: Record<string, unknown>): string =>
    JSON.stringify({ format: 'websocket-debugger-collection', version: 3, name: 'C', endpoints: [], ...extra });
  let n = 0;
  const newId = (): string => `id${n++}`;

  test('a version 3 file keeps its mocks and writes them back unchanged', () => {
    const mocks = [{ name: 'Echo', port: 8080, rules: [{ on: { text: 'ping' }, reply: { text: 'pong' } }] }];
    const imported = importCollection(file({ mocks }), newId);
    assert.ok(imported.ok);
    assert.deepEqual(imported.collection.mocks, mocks);
    assert.deepEqual(JSON.parse(exportCollection(imported.collection)).mocks, mocks);
  });

  test('a mistake in a mock refuses the file, naming mock, rule and field', () => {
    const imported = importCollection(file({ mocks: [{ name: 'Echo', rules: [{ on: { text: 'a' }, close: { code: 999 } }] }] }), newId);
    assert.equal(imported.ok, false);
    assert.match((imported as { error: string }).error, /^Mock "Echo" \(mocks\[0\]\), rule 1, close\.code: 999 is not used/);
  });

  test('stored collections keep their mocks and drop ones that no longer check', () => {
    const [stored] = parseStoredCollections([{ id: 'c', name: 'C', endpoints: [], mocks: [{ name: 'Good' }, { name: 'Bad', port: -1 }, 'nonsense'] }]);
    assert.deepEqual(stored.mocks, [{ name: 'Good' }]);
  });

  test('"mocks" needs version 3; versions 1 and 2 still import', () => {
    assert.deepEqual(importCollection(file({ version: 2, mocks: [{ name: 'A' }] }), newId), { ok: false, error: '"mocks" needs collection file version 3' });
    assert.ok(importCollection(file({ version: 2 }), newId).ok);
    assert.ok(importCollection(file({ version: 1 }), newId).ok);
  });
});
