// The Artillery export as pure code: a flow becomes the script object Artillery 2.0's ws and
// socketio engines read (test/artillery/export.test.mjs runs such scripts with the real
// artillery), every step it cannot express becomes a note naming the step, secrets stay
// references to the environment; and the YAML writer round-trips through a YAML reader.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { artilleryYaml, describeExportNote, exportArtillery, type ArtilleryExport } from '../../src/shared/artilleryExport';
import { checkFlows, describeFlowIssue } from '../../src/shared/flows';
import type { Endpoint, Variable } from '../../src/shared/protocol';
import { toYaml } from '../../src/shared/yamlText';

// js-yaml (4.x, in node_modules through @vscode/vsce and mocha) reads YAML as Artillery's js-yaml 3 does.
const jsYaml = createRequire(__filename)('js-yaml') as { load(text: string): unknown };

const endpoints: Endpoint[] = [
  {
    id: 'e1',
    name: 'echo',
    url: 'wss://{{host}}/ws',
    protocols: ['chat.v1'],
    headers: [{ name: 'Authorization', value: 'Bearer {{token}}' }],
    options: { acceptInvalidCerts: true },
    messages: [
      { name: 'hello', format: 'text', body: 'hi {{user.name}}' },
      { name: 'bytes', format: 'hex', body: 'de ad' },
    ],
  },
  { id: 'e2', name: 'other', url: 'ws://127.0.0.1:9/', protocols: [], headers: [] },
  {
    id: 'e3',
    name: 'chat',
    kind: 'socketio',
    url: 'wss://rt.example.com/',
    protocols: [],
    headers: [{ name: 'X-Client', value: 'wsd' }],
    socketio: {
      namespace: '/room',
      path: '/io',
      transports: 'websocket',
      version: 'v4',
      auth: '{"token": "{{token}}"}',
      query: [{ name: 'room', value: '{{room}}' }],
      reconnection: false,
      ackTimeoutSeconds: 10,
    },
    messages: [{ name: 'join', format: 'json', body: '{"room": "{{room}}"}', event: 'join', ack: true }],
  },
];

const variables: Variable[] = [
  { name: 'host', value: 'example.com' },
  { name: 'user.name', value: 'ada' },
  { name: 'user_name', value: 'clash' },
  { name: 'room', value: 'lobby' },
  // A secret's value must never reach the script, even when the caller has it.
  { name: 'token', value: 'TOP-SECRET', secret: true },
];

function exported(steps: unknown[]): Extract<ArtilleryExport, { ok: true }> {
  const checked = checkFlows([{ name: 'load', steps }], { endpoints, variables: new Set(variables.map((v) => v.name)) });
  if (!checked.ok) assert.fail(describeFlowIssue(checked.issue));
  const result = exportArtillery({ flow: checked.checked[0]!, endpoints, variables, phase: { duration: 30, arrivalRate: 5 } });
  if (!result.ok) assert.fail(result.error);
  return result;
}

type Script = { config: Record<string, unknown>; scenarios: { name: string; engine: string; flow: Record<string, unknown>[] }[] };
const script = (result: Extract<ArtilleryExport, { ok: true }>) => result.script as unknown as Script;
const notes = (result: Extract<ArtilleryExport, { ok: true }>) => result.notes.map(describeExportNote);

describe('Artillery export: ws engine', () => {
  test('the connection settings go to config with plain values, secrets as environment references', () => {
    const result = exported([{ connect: 'echo' }, { send: { text: 'x' } }]);
    assert.equal(result.engine, 'ws');
    assert.deepEqual(script(result).config, {
      target: 'wss://example.com/ws',
      phases: [{ name: 'load', duration: 30, arrivalRate: 5 }],
      variables: { host: 'example.com', user_name: 'ada', user_name_2: 'clash', room: 'lobby' },
      tls: { rejectUnauthorized: false },
      ws: { timeout: 5, subprotocols: ['chat.v1'], headers: { Authorization: 'Bearer {{ $processEnvironment.WSD_SECRET_token }}' } },
    });
    assert.equal(script(result).scenarios[0]!.engine, 'ws');
    assert.ok(!JSON.stringify(result.script).includes('TOP-SECRET'));
    assert.ok(!artilleryYaml(result, { collection: 'c', flow: 'load' }).includes('TOP-SECRET'));
  });

  test('a send followed by an expect becomes one send with match and capture; a lone expect waits', () => {
    const result = exported([
      { connect: 'echo' },
      { send: { json: { op: 'login', who: '{{user.name}}', token: '{{token}}' } } },
      { expect: { json: { ok: true, user: { name: 'ada' }, list: [1, 'two'] } }, capture: { sid: '$.session.id', last: '$.list[-1]' }, next: true },
      { expect: { text: 'welcome {{sid}}' }, next: true },
      { wait: 1500 },
      { wait: 2000 },
      { send: { message: 'hello' } },
      { expect: { contains: 'hi a.b' }, next: true },
      { send: { json: 'plain' } },
      { expect: { regex: '^ok \\d+$' }, next: true },
      { send: { json: { match: 1 } } },
      { expect: { json: {} }, next: true },
    ]);
    assert.deepEqual(script(result).scenarios[0]!.flow, [
      {
        send: {
          payload: { op: 'login', who: '{{ user_name }}', token: '{{ $processEnvironment.WSD_SECRET_token }}' },
          match: [
            { json: '$.ok', value: true },
            { json: '$.user.name', value: 'ada' },
            { json: '$.list[0]', value: 1 },
            { json: '$.list[1]', value: 'two' },
          ],
          capture: [
            { json: '$.session.id', as: 'sid' },
            { json: '$.list[-1:]', as: 'last' },
          ],
        },
      },
      { wait: { match: [{ regexp: '^[\\s\\S]*$', value: 'welcome {{ sid }}' }] } },
      { think: '1500ms' },
      { think: 2 },
      { send: { payload: 'hi {{ user_name }}', match: [{ regexp: 'hi a\\.b', value: 'hi a.b' }] } },
      { send: { payload: '"plain"', capture: [{ regexp: '^(?=[\\s\\S]*?(?:^ok \\d+$))[\\s\\S]*', flags: 'u', as: 'wsd_step_10' }] } },
      // An object whose keys Artillery would take for its own is sent as JSON text.
      { send: { payload: '{"match":1}', capture: [{ json: '$', as: 'wsd_step_12' }] } },
    ]);
    assert.deepEqual(result.notes, []);
  });

  test('what the ws engine cannot do is left out with a note naming the step', () => {
    const result = exported([
      { connect: 'echo' },
      { ping: 'p' },
      { send: { hex: 'de ad' } },
      { send: { message: 'bytes' } },
      { expect: { hex: 'de ad' } },
      { expect: { pong: 'p' } },
      { expectNone: { contains: 'error' }, for: 100 },
      { connect: 'other', as: 'second' },
      { send: { text: 'to the second' } },
      { send: { text: 'to the first' }, on: 'echo' },
      { expect: { close: { code: 1000 } }, on: 'echo' },
      { close: { code: 4000, reason: 'done' }, on: 'echo' },
    ]);
    assert.deepEqual(notes(result), [
      `step 2 (ping "p"): not exported: Artillery's ws engine cannot send pings`,
      `step 3 (send bytes de ad): not exported: Artillery's ws engine sends text messages only`,
      `step 4 (send saved message "bytes"): not exported: saved message "bytes" is binary (hex); Artillery's ws engine sends text messages only`,
      `step 5 (expect bytes de ad): not exported: Artillery's ws engine cannot compare binary messages`,
      `step 6 (expect pong "p"): not exported: Artillery's ws engine does not report pongs`,
      'step 7 (expect no text containing "error" for 100 ms): not exported: Artillery cannot check that nothing arrives',
      'step 8 (connect other as second): not exported: Artillery opens one connection per virtual user: the steps on this second connection are left out',
      'step 9 (send text "to the second"): not exported: it acts on connection "second", which is not in the script (Artillery opens one connection per virtual user)',
      `step 11 (expect close 1000): not exported: Artillery's ws engine does not report the server's close`,
      'step 12 (close 4000 "done"): approximated: Artillery closes the connection when the scenario ends, without a close code (the flow closes with 4000)',
    ]);
    assert.deepEqual(script(result).scenarios[0]!.flow, [{ send: 'to the first' }]);
    const yaml = artilleryYaml(result, { collection: 'Team', flow: 'load' });
    assert.match(yaml, /^# Artillery 2\.0\.34 script \(ws engine\) exported by websocket-debugger$/m);
    assert.match(yaml, /^# Secret variables are read from the environment: WSD_SECRET_token\.$/m);
    for (const line of notes(result)) assert.ok(yaml.includes(`# - ${line}\n`), line);
  });

  test('approximations are reported: the next message only, one timeout, JSON text compared re-serialized', () => {
    const result = exported([
      { connect: 'echo' },
      { send: { text: 'a' } },
      { expect: { text: '{"a": 1}' }, timeout: 2500 },
      { expect: { json: { list: [] } }, next: true },
    ]);
    assert.deepEqual(notes(result), [
      'step 3 (expect text "{\\"a\\": 1}"): approximated: Artillery compares a JSON message as it re-serializes it (no spaces), not as it arrived',
      'step 4 (expect next JSON containing {"list":[]}): approximated: Artillery cannot check that a key holds an object or list: the empty {} and [] of the expected JSON are not checked',
      'flow: approximated: Artillery checks the very next message, where the flow passes over messages that do not match (step 3); add "next": true to those steps to run the same check in websocket-debugger',
      "flow: approximated: Artillery has one response timeout for every step (5 s, the longest of the flow's steps)",
    ]);
    assert.equal((script(result).config.ws as { timeout: number }).timeout, 5);
  });

  test('a flow that connects nowhere is refused', () => {
    const checked = checkFlows([{ name: 'idle', steps: [{ wait: 10 }] }], { endpoints });
    assert.ok(checked.ok);
    const result = exportArtillery({ flow: checked.checked[0]!, endpoints, variables: [], phase: { duration: 1, arrivalRate: 1 } });
    assert.deepEqual(result, { ok: false, error: 'flow "idle" connects to no endpoint: there is nothing to export' });
  });
});

describe('Artillery export: socketio engine', () => {
  test('emits with their reply event and ack, the namespace on each, the options in config.socketio', () => {
    const result = exported([
      { connect: 'chat' },
      { emit: { event: 'hello', args: [{ user: '{{user.name}}' }] } },
      { expect: { event: 'welcome', args: ['ada'] }, capture: { id: '$[1].id' } },
      { send: { message: 'join' } },
      { expect: { ack: [{ ok: true }] }, capture: { seat: '$[0].seat' } },
      { emit: { event: 'tags', args: ['a', '{{id}}'] } },
      { emit: { event: 'ping' } },
      { wait: 100 },
    ]);
    assert.equal(result.engine, 'socketio');
    const { config, scenarios } = script(result);
    assert.equal(config.target, 'https://rt.example.com');
    assert.equal(config.timeout, 5);
    assert.deepEqual(config.socketio, {
      path: '/io',
      transports: ['websocket'],
      query: { room: 'lobby' },
      auth: { token: '{{ $processEnvironment.WSD_SECRET_token }}' },
      extraHeaders: { 'X-Client': 'wsd' },
      reconnection: false,
    });
    assert.deepEqual(scenarios[0]!.flow, [
      {
        emit: { channel: 'hello', data: { user: '{{ user_name }}' } },
        namespace: '/room',
        response: { channel: 'welcome', data: ['ada'], capture: [{ json: '$[1].id', as: 'id' }] },
      },
      {
        emit: { channel: 'join', data: { room: '{{ room }}' } },
        namespace: '/room',
        acknowledge: { match: [{ json: '$[0].ok', value: true }], capture: [{ json: '$[0].seat', as: 'seat' }] },
      },
      { emit: ['tags', 'a', '{{ id }}'], namespace: '/room' },
      { emit: ['ping'], namespace: '/room' },
      { think: '100ms' },
    ]);
    assert.deepEqual(notes(result), [
      'step 3 (expect event "welcome" with args ["ada"]): approximated: Artillery compares the whole argument list (equal, not a subset: no extra keys or arguments)',
      'step 5 (expect ack [{"ok":true}]): approximated: Artillery waits for the ack without a timeout',
    ]);
  });

  test('an event that is no reply, an ack of no emit, several non-string arguments: left out with notes', () => {
    const result = exported([
      { connect: 'chat' },
      { expect: { event: 'greeting' } },
      { emit: { event: 'x', args: [1, 2] } },
      { emit: { event: 'y' } },
      { expect: { ack: [] } },
      { emit: { event: 'z' } },
      { expect: { event: 'z' } },
      { close: {} },
    ]);
    assert.deepEqual(notes(result), [
      `step 2 (expect event "greeting"): not exported: Artillery's socketio engine waits for an event only in reply to the emit just before it`,
      'step 3 (emit "x"): not exported: Artillery emits one argument, or several that are all strings',
      'step 5 (expect ack []): not exported: Artillery checks an ack only on the emit just before it, and not together with a reply event',
      'step 7 (expect event "z"): approximated: Artillery waits for its whole response timeout before it accepts an event without expected arguments',
      'step 8 (close 1000): approximated: Artillery disconnects when the scenario ends',
    ]);
  });
});

describe('YAML writer', () => {
  test('round-trips JSON data through a YAML reader, whatever the strings hold', () => {
    const value = {
      plain: 'text',
      tricky: ['yes', 'no', 'null', '~', '#not a comment', '- dash', 'a: b', '{{ x }}', "it's \"quoted\"", 'line\nbreak\ttab', '', ' padded ', '007', '1e3', 'é ✓ 😀'],
      numbers: [0, -1, 2.5, 1e21],
      flags: [true, false, null],
      empty: { list: [], object: {} },
      nested: [[1, [2, 3]], [], {}, { a: { b: [{ c: 'd' }] } }],
      'key with spaces': 1,
      yes: 'key that reads as a boolean',
      '$processEnvironment': 'dollar',
    };
    assert.deepEqual(jsYaml.load(toYaml(value)), value);
  });

  test('comments come first, one line each, control characters made spaces', () => {
    const text = toYaml({ a: 1 }, ['first', 'two\nlines', '']);
    assert.equal(text, '# first\n# two lines\n#\na: 1\n');
    assert.deepEqual(jsYaml.load(text), { a: 1 });
  });
});
