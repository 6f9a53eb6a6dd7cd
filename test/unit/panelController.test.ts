// The panel's logic driven as the webview drives it: validated messages in, posted messages out,
// with a fake host and real servers on port 0.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { WebSocket as ServerSocket } from 'ws';
import type { ActionResult } from '../../src/core/session';
import { MASK } from '../../src/core/sessionBase';
import { writeHar, type HarSession } from '../../src/core/har/harWriter';
import { encodeValue } from '../../src/core/decoders/binaryCodec';
import { INLINE_DECODE_BYTES } from '../../src/core/decoders/orderedDecoding';
import { PanelController, type PanelStart } from '../../src/core/panel/panelController';
import type { PanelHost, PanelSettings, SharedEndpoint } from '../../src/core/panel/panelHost';
import { changeEndpointMessages } from '../../src/shared/collections';
import { RepeatScheduler } from '../../src/core/panel/repeatScheduler';
import { mayConnectFromWorkspace } from '../../src/core/panel/workspaceTrust';
import { decodeEntries } from '../../src/shared/entryTransport';
import { checkFlows } from '../../src/shared/flows';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../../src/shared/socketIo';
import type {
  Collection,
  ConnectionParams,
  Endpoint,
  Environment,
  LogEntry,
  ResultMessage,
  SavedMessagesMessage,
  SharedCollection,
  ToWebview,
  Variable,
} from '../../src/shared/protocol';
import { waitUntil } from './helpers/connectionRecorder';
import { startSocketIoServer } from './helpers/socketIoServer';
import { startWsServer } from './helpers/testServers';

const SECRET = 's3cr3t-t0ken-value';

const SETTINGS: PanelSettings = {
  connection: { handshakeTimeoutMs: 2000, maxPayload: 1024 * 1024 },
  // The shortest delays backoff allows (250 ms), so a reconnect test stays quick.
  reconnect: { initialMs: 0, maxMs: 300, maxAttempts: 3 },
  logCapacity: 1000,
  // panelControllerWorker.test.ts runs this whole file again with sessions in a worker thread.
  worker: { enabled: process.env.WSD_TEST_SESSIONS_IN_WORKER === '1', proxyMayApply: false },
};

/** A collection with an active environment holding one plain and one secret variable. */
function teamCollection(host: string): Collection {
  return {
    id: 'team',
    name: 'Team',
    endpoints: [],
    environments: [{ name: 'dev', variables: [{ name: 'host', value: host }, { name: 'token', value: '', secret: true }] }],
    activeEnvironment: 'dev',
  };
}

/** Records everything the controller asks of VS Code; answers like the extension would. */
class FakeHost implements PanelHost {
  readonly posted: ToWebview[] = [];
  readonly titles: string[] = [];
  readonly lines: string[] = [];
  readonly saved: { collection: string; endpoint: Omit<Endpoint, 'id'> }[] = [];
  readonly renamed: string[] = [];
  readonly drafts: string[] = [];
  trusted = true;
  collections: Collection[] = [];
  /** Endpoints of workspace files, by id. */
  readonly shared = new Map<string, SharedEndpoint>();
  /** Secret values by variable name, as SecretStorage would hold them. */
  readonly secretValues = new Map<string, string>([['token', SECRET]]);
  /** Where Decode binary as looks for .proto files. */
  folders: string[] = [];

  protoFolders(): string[] {
    return this.folders;
  }

  /** A fresh view each time, so the controller always sees the current collections. */
  get endpoints(): PanelHost['endpoints'] {
    return {
      collections: this.collections,
      save: async (collection, endpoint) => {
        this.saved.push({ collection, endpoint });
        return { id: `id-${this.saved.length}`, ...endpoint };
      },
      selectEnvironment: async () => undefined,
      changeMessages: async (endpointId, change) => {
        const { collections, result } = changeEndpointMessages(this.collections, endpointId, change);
        this.collections = collections;
        return result;
      },
    };
  }

  /** Each shared endpoint as its own workspace collection. */
  sharedCollections(): SharedCollection[] {
    return [...this.shared.values()].map(({ endpoint, file }) => ({ collection: { id: `file:${endpoint.id}`, name: 'Shared', endpoints: [endpoint] }, file }));
  }

  /** The modal questions asked, and the answer the next ones get. */
  readonly questions: string[] = [];
  answer = false;
  async confirm(question: string, action: string): Promise<boolean> {
    this.questions.push(`${question} [${action}]`);
    return this.answer;
  }

  readonly variables = {
    activeVariables: async (collection: Collection | undefined): Promise<Variable[]> => {
      const environment = collection?.environments?.find((env) => env.name === collection.activeEnvironment);
      return (environment?.variables ?? []).map((v) =>
        v.secret ? { name: v.name, value: this.secretValues.get(v.name) ?? '', secret: true } : { name: v.name, value: v.value },
      );
    },
    save: async (_collectionId: string, _environment: Environment): Promise<ActionResult> => ({ ok: true }),
  };

  readonly files = {
    file: undefined,
    start: async () => undefined,
    stop: async () => undefined,
    openEntry: async () => undefined,
    saveEntry: async () => undefined,
    copyToClipboard: async (text: string | undefined, note: string) => {
      this.clipboard.push({ text, note });
    },
    exportHar: async (sessions: HarSession[], secrets: { name: string; value: string }[], title: string) => {
      this.harExports.push({ sessions, secrets, title });
      return undefined;
    },
  };
  readonly clipboard: { text: string | undefined; note: string }[] = [];
  readonly harExports: { sessions: HarSession[]; secrets: { name: string; value: string }[]; title: string }[] = [];
  readonly notices: string[] = [];
  notify(message: string): void {
    this.notices.push(message);
  }

  post(message: ToWebview): void {
    this.posted.push(message);
  }
  showTitle(title: string): void {
    this.titles.push(title);
  }
  log(line: string): void {
    this.lines.push(line);
  }
  settings(): PanelSettings {
    return SETTINGS;
  }
  workspaceTrusted(): boolean {
    return this.trusted;
  }
  async renameEndpoint(id: string): Promise<void> {
    this.renamed.push(id);
  }
  async deleteEndpoint(): Promise<void> {}
  async openFlowDraft(json: string): Promise<void> {
    this.drafts.push(json);
  }

  /** Every log entry posted so far (init and entries batches), decoded as the webview would. */
  postedEntries(): LogEntry[] {
    return this.posted.flatMap((m) => (m.type === 'init' || m.type === 'entries' ? decodeEntries(m.entries.json) : []));
  }

  /** Everything posted, as text with the entry batches decoded: what the webview could ever show. */
  postedText(): string {
    return JSON.stringify(this.posted.map((m) => (m.type === 'init' || m.type === 'entries' ? { ...m, entries: decodeEntries(m.entries.json) } : m)));
  }

  states() {
    return this.posted.flatMap((m) => (m.type === 'state' ? [m.state] : m.type === 'init' ? [m.state] : []));
  }
}

/** A controller whose webview is ready and acknowledges every batch, as the real one does. */
function openPanel(t: TestContext, start: Partial<PanelStart> = {}, host = new FakeHost()) {
  const controller = new PanelController(host, { params: { url: '', protocols: [], headers: [] }, title: 'WebSocket Debugger', ...start });
  t.after(() => controller.dispose());
  const post = host.post.bind(host);
  host.post = (message) => {
    post(message);
    if (message.type === 'entries' || message.type === 'init') setImmediate(() => controller.receive({ type: 'entriesAck' }));
  };
  controller.receive({ type: 'ready' });
  let nextId = 1;
  /** Sends a request as the webview does and waits for its result. */
  const request = async (message: Record<string, unknown>): Promise<ResultMessage> => {
    const requestId = nextId++;
    controller.receive({ ...message, requestId });
    await waitUntil(() => host.posted.some((m) => m.type === 'result' && m.inReplyTo === requestId), () => `no reply to ${JSON.stringify(message)}`);
    return host.posted.find((m): m is ResultMessage => m.type === 'result' && m.inReplyTo === requestId)!;
  };
  const waitForState = (test: (state: ReturnType<FakeHost['states']>[number]) => boolean, what: string, timeoutMs?: number) =>
    waitUntil(() => host.states().some(test), () => `no posted state ${what}; got ${JSON.stringify(host.states().map((s) => s.readyState))}`, timeoutMs);
  const waitForEntry = (test: (entry: LogEntry) => boolean, what: string, timeoutMs?: number) =>
    waitUntil(() => host.postedEntries().some(test), () => `no posted entry ${what}; got ${JSON.stringify(host.postedEntries().map((e) => e.detail ?? e.kind))}`, timeoutMs);
  return { controller, host, request, waitForState, waitForEntry };
}

/** A ws server that keeps each upgrade request and server-side socket, and echoes nothing. */
async function server(t: TestContext) {
  const running = await startWsServer();
  t.after(() => running.close());
  const requests: IncomingMessage[] = [];
  const sockets: ServerSocket[] = [];
  const messages: string[] = [];
  running.server.on('connection', (socket, request) => {
    requests.push(request);
    sockets.push(socket);
    socket.on('message', (data) => messages.push(String(data)));
  });
  return { ...running, requests, sockets, messages };
}

function params(url: string, extra: Partial<ConnectionParams> = {}): ConnectionParams {
  return { url, protocols: [], headers: [], ...extra };
}

describe('PanelController', () => {
  it('answers ready with init, then reports connect and disconnect as results and states', async (t) => {
    const srv = await server(t);
    const { host, request, waitForState, waitForEntry } = openPanel(t);
    const init = host.posted[0];
    assert.equal(init?.type, 'init');
    assert.equal(init.type === 'init' && init.state.readyState, 'CLOSED');
    assert.equal(init.type === 'init' && init.title, 'WebSocket Debugger');

    const connected = await request({ type: 'connect', params: params(srv.url) });
    assert.deepEqual(connected, { type: 'result', inReplyTo: 1, ok: true });
    assert.ok(host.posted.some((m) => m.type === 'params' && m.params.url === srv.url), 'the form got the parameters');
    assert.deepEqual(host.titles, [`127.0.0.1:${srv.port}`]);
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    await waitForEntry((e) => e.kind === 'open', 'open');
    assert.equal(srv.requests.length, 1);

    const again = await request({ type: 'connect', params: params(srv.url) });
    assert.equal(again.ok, false);
    assert.match(again.error ?? '', /Already connected/);

    const disconnected = await request({ type: 'disconnect' });
    assert.equal(disconnected.ok, true);
    await waitForState((s) => s.readyState === 'CLOSED' && s.close !== undefined, 'CLOSED after Disconnect');
    assert.equal(srv.requests.length, 1, 'no second handshake');
  });

  it('resolves {{name}} from the active environment; secret values reach the server but never a posted message', async (t) => {
    const srv = await server(t);
    const host = new FakeHost();
    host.collections = [teamCollection(`127.0.0.1:${srv.port}`)];
    const { controller, request, waitForState, waitForEntry } = openPanel(t, {}, host);
    controller.receive({ type: 'selectEnvironment', collectionId: 'team', environment: 'dev' });
    const form = params('ws://{{host}}/feed?token={{token}}', { headers: [{ name: 'Authorization', value: 'Bearer {{ token }}' }] });
    assert.equal((await request({ type: 'connect', params: form })).ok, true);
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    assert.equal(srv.requests[0]?.url, `/feed?token=${SECRET}`);
    assert.equal(srv.requests[0]?.headers.authorization, `Bearer ${SECRET}`);

    assert.equal((await request({ type: 'send', format: 'text', body: 'host is {{host}}' })).ok, true);
    await waitUntil(() => srv.messages.length === 1, () => 'the message did not arrive');
    assert.equal(srv.messages[0], `host is 127.0.0.1:${srv.port}`);
    await waitForEntry((e) => e.kind === 'message' && e.direction === 'sent', 'sent message');

    const params_ = host.posted.find((m) => m.type === 'params');
    assert.deepEqual(params_?.type === 'params' && params_.params, form, 'the form keeps its references');
    const text = host.postedText();
    assert.ok(!text.includes(SECRET), 'a secret value was posted to the webview');
    assert.ok(text.includes(`/feed?token=${MASK}`), 'the masked URL is shown');
    assert.deepEqual(controller.currentParams, form);
  });

  it('Export as HAR hands the log’s connection, its handshake and the secret values to the host; the HAR holds no secret', async (t) => {
    const srv = await server(t);
    const host = new FakeHost();
    host.collections = [teamCollection(`127.0.0.1:${srv.port}`)];
    const { controller, request, waitForState, waitForEntry } = openPanel(t, {}, host);
    controller.receive({ type: 'exportHar' });
    await waitUntil(() => host.notices.length === 1, () => 'no notice for an empty log');
    assert.match(host.notices[0]!, /no connection to export yet/);
    controller.receive({ type: 'selectEnvironment', collectionId: 'team', environment: 'dev' });
    assert.equal((await request({ type: 'connect', params: params('ws://{{host}}/feed?token={{token}}') })).ok, true);
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    assert.equal((await request({ type: 'send', format: 'text', body: 'auth {{token}}' })).ok, true);
    await waitForEntry((e) => e.kind === 'message' && e.direction === 'sent', 'sent message');
    controller.receive({ type: 'exportHar' });
    await waitUntil(() => host.harExports.length === 1, () => 'exportHar did not reach the host');
    const { sessions, secrets } = host.harExports[0]!;
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]!.url, `ws://127.0.0.1:${srv.port}/feed?token=${SECRET}`);
    assert.equal(sessions[0]!.handshake?.statusCode, 101);
    assert.deepEqual(secrets, [{ name: 'token', value: SECRET }]);
    const { text, notes } = writeHar(sessions, { creator: { name: 'test', version: '0' }, secrets });
    assert.ok(!text.includes(SECRET), 'a secret value was exported');
    assert.match(notes[0]!, /\{\{token\}\} \(2×\)/);
  });

  it('a read-only panel (a recorded log) never connects and tells its webview so in init', async (t) => {
    const srv = await server(t);
    const { host, request } = openPanel(t, { params: params(srv.url), readOnly: 'Recorded in x.har' });
    const init = host.posted.find((m) => m.type === 'init');
    assert.equal(init?.type === 'init' && init.readOnly, 'Recorded in x.har');
    const refused = await request({ type: 'connect', params: params(srv.url) });
    assert.equal(refused.ok, false);
    assert.match(refused.error ?? '', /recorded log and does not connect/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(srv.requests.length, 0);
  });

  it('refuses an unknown variable by name, on the field that holds it, before any handshake', async (t) => {
    const srv = await server(t);
    const host = new FakeHost();
    host.collections = [teamCollection(`127.0.0.1:${srv.port}`)];
    const { controller, request, waitForState } = openPanel(t, {}, host);
    controller.receive({ type: 'selectEnvironment', collectionId: 'team', environment: 'dev' });

    const url = await request({ type: 'connect', params: params('ws://{{hots}}/') });
    assert.equal(url.ok, false);
    assert.equal(url.field, 'url');
    assert.match(url.error ?? '', /\{\{hots\}\}/);
    const header = await request({ type: 'connect', params: params(`${srv.url}`, { headers: [{ name: 'X-Key', value: '{{apiKey}}' }] }) });
    assert.equal(header.field, 'headers');
    assert.match(header.error ?? '', /Header "X-Key".*\{\{apiKey\}\}/);
    assert.equal(srv.requests.length, 0);

    assert.equal((await request({ type: 'connect', params: params(srv.url) })).ok, true);
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    const send = await request({ type: 'send', format: 'text', body: 'hello {{who}}' });
    assert.equal(send.field, 'message');
    assert.match(send.error ?? '', /\{\{who\}\}/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(srv.messages, []);
  });

  it('an untrusted workspace endpoint is asked about first, and its panel never gets secrets', async (t) => {
    const srv = await server(t);
    const questions: string[] = [];
    let answer = false;
    const prompt = {
      trusted: false,
      workspaceTrusted: () => prompt.trusted,
      confirm: async (question: string, action: string) => {
        questions.push(`${question} [${action}]`);
        return answer;
      },
    };
    const endpoint = { name: 'Shared', url: 'ws://{{host}}/?t={{token}}', headers: [{ name: 'X-Team', value: 'blue' }] };
    assert.equal(await mayConnectFromWorkspace(prompt, endpoint, '.vscode/websocket-debugger.json'), false, 'Cancel must not connect');
    assert.deepEqual(questions, [
      '"Shared" comes from .vscode/websocket-debugger.json in a workspace you have not trusted. Connect to ws://{{host}}/?t={{token}} with the 1 header(s) that file sets? [Connect]',
    ]);
    answer = true;
    assert.equal(await mayConnectFromWorkspace(prompt, endpoint, '.vscode/websocket-debugger.json'), true);
    prompt.trusted = true;
    assert.equal(await mayConnectFromWorkspace(prompt, endpoint, '.vscode/websocket-debugger.json'), true);
    assert.equal(questions.length, 2, 'a trusted workspace is not asked');

    const host = new FakeHost();
    host.trusted = false;
    host.collections = [teamCollection(`127.0.0.1:${srv.port}`)];
    const { controller, request, waitForState } = openPanel(t, { untrustedSource: true }, host);
    controller.receive({ type: 'selectEnvironment', collectionId: 'team', environment: 'dev' });
    const refused = await request({ type: 'connect', params: params(endpoint.url) });
    assert.equal(refused.ok, false);
    assert.match(refused.error ?? '', /\{\{token\}\} is a secret variable: secrets are not given to endpoints from a workspace you have not trusted/);
    assert.equal(srv.requests.length, 0);

    // Plain variables still apply; a message asking for the secret is refused too.
    assert.equal((await request({ type: 'connect', params: params('ws://{{host}}/plain') })).ok, true);
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    const send = await request({ type: 'send', format: 'text', body: '{{token}}' });
    assert.equal(send.field, 'message');
    assert.match(send.error ?? '', /secret variable/);
    assert.ok(!host.postedText().includes(SECRET));

    // Once the user trusts the workspace, the secret is given.
    host.trusted = true;
    assert.equal((await request({ type: 'send', format: 'text', body: '{{token}}' })).ok, true);
    await waitUntil(() => srv.messages.length === 1, () => 'the message did not arrive');
    assert.equal(srv.messages[0], SECRET);
  });

  it('reports unreadable TLS files on the options field, and opens nothing', async (t) => {
    const { request, host } = openPanel(t);
    const missing = await request({ type: 'connect', params: params('wss://127.0.0.1:1/', { options: { caFile: '/nonexistent/ca.pem' } }) });
    assert.equal(missing.ok, false);
    assert.equal(missing.field, 'options');
    assert.equal(missing.error, 'Could not read the CA certificate file /nonexistent/ca.pem: it does not exist');
    const half = await request({ type: 'connect', params: params('wss://127.0.0.1:1/', { options: { certFile: '/tmp/cert.pem' } }) });
    assert.equal(half.field, 'options');
    assert.match(half.error ?? '', /needs both its certificate file and its key file/);
    const folder = await request({ type: 'connect', params: params('wss://127.0.0.1:1/', { options: { pfxFile: '/tmp' } }) });
    assert.equal(folder.error, 'The PFX file /tmp is not a file');
    assert.ok(!host.posted.some((m) => m.type === 'params'), 'the form was not replaced');
    assert.deepEqual(host.titles, []);
  });

  it('reconnects after the server drops the connection, and not after Disconnect', async (t) => {
    const srv = await server(t);
    const { request, waitForState, waitForEntry, host } = openPanel(t);
    assert.equal((await request({ type: 'connect', params: params(srv.url, { options: { autoReconnect: true } }) })).ok, true);
    await waitUntil(() => srv.sockets.length === 1, () => 'no first connection');
    srv.sockets[0]!.terminate();
    await waitForState((s) => s.reconnect?.attempt === 1, 'waiting for attempt 1');
    await waitForEntry((e) => /^Auto-reconnect: attempt 1 in /.test(e.detail ?? ''), 'announcing attempt 1');
    await waitUntil(() => srv.sockets.length === 2, () => 'no reconnection', 3000);
    await waitUntil(() => host.states().at(-1)?.readyState === 'OPEN' && host.states().at(-1)?.reconnect === undefined, () => 'not OPEN again');

    assert.equal((await request({ type: 'disconnect' })).ok, true);
    await waitForState((s) => s.readyState === 'CLOSED' && s.close?.code === 1000, 'closed by Disconnect');
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(srv.sockets.length, 2, 'Disconnect was followed by a reconnect');
  });

  it('Disconnect while a reconnect waits cancels it and says so', async (t) => {
    const srv = await server(t);
    const { request, waitForState, waitForEntry } = openPanel(t);
    await request({ type: 'connect', params: params(srv.url, { options: { autoReconnect: true } }) });
    await waitUntil(() => srv.sockets.length === 1, () => 'no first connection');
    await srv.close();
    await waitForState((s) => s.reconnect !== undefined, 'waiting to reconnect');
    await request({ type: 'disconnect' });
    await waitForEntry((e) => e.detail === 'Auto-reconnect stopped by Disconnect', 'the cancel');
  });

  it('repeats a message until stopped, and stops when the connection closes', async (t) => {
    const srv = await server(t);
    const { request, waitForState, waitForEntry, host } = openPanel(t);
    const early = await request({ type: 'startSchedule', format: 'text', body: 'beat', intervalSeconds: 1 });
    assert.deepEqual([early.ok, early.field, early.error], [false, 'message', 'Not connected: press Connect first.']);

    await request({ type: 'connect', params: params(srv.url) });
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    assert.equal((await request({ type: 'startSchedule', format: 'text', body: 'beat', intervalSeconds: 0.1 })).ok, true);
    await waitUntil(() => srv.messages.length >= 3, () => `only ${srv.messages.length} beats`);
    await waitForState((s) => s.schedule?.intervalSeconds === 0.1 && s.schedule.sent >= 2, 'repeating');
    await waitForEntry((e) => e.detail === 'Repeating the message every 0.1 s until stopped', 'started');
    assert.equal((await request({ type: 'stopSchedule' })).ok, true);
    const stoppedAfter = /^Stopped repeating after (\d+) message\(s\)$/;
    await waitForEntry((e) => stoppedAfter.test(e.detail ?? ''), 'stopped');
    // The count the panel reports; beats already on the wire may still be reaching the server.
    const sent = Number(stoppedAfter.exec(host.postedEntries().find((e) => stoppedAfter.test(e.detail ?? ''))!.detail!)![1]);
    await waitUntil(() => srv.messages.length >= sent, () => `the server got ${srv.messages.length} of ${sent} beats`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(srv.messages.length, sent, 'beats went on after Stop');
    assert.equal(host.states().at(-1)?.schedule, undefined);

    await request({ type: 'startSchedule', format: 'text', body: 'beat', intervalSeconds: 0.1 });
    srv.sockets[0]!.terminate();
    await waitForEntry((e) => /^Stopped repeating after \d+ message\(s\): the connection closed$/.test(e.detail ?? ''), 'stopped by the close');
  });

  it('refuses intervals out of bounds: the schema drops the message, the scheduler refuses a direct call', async (t) => {
    const { controller, host } = openPanel(t);
    const before = host.posted.length;
    controller.receive({ type: 'startSchedule', requestId: 9, format: 'text', body: 'x', intervalSeconds: 0.05 });
    controller.receive({ type: 'startSchedule', requestId: 10, format: 'text', body: 'x', intervalSeconds: 100000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(host.posted.length, before);
    assert.equal(host.lines.filter((l) => /^Ignored a malformed message/.test(l)).length, 2);

    const infos: string[] = [];
    const scheduler = new RepeatScheduler({ info: (detail) => infos.push(detail), changed: () => undefined });
    t.after(() => scheduler.dispose());
    let sends = 0;
    const send = async (): Promise<ActionResult> => {
      sends += 1;
      return { ok: true };
    };
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 86400.5]) {
      const result = await scheduler.start(send, bad);
      assert.deepEqual(result, { ok: false, field: 'message', error: 'Repeat every: enter a number of seconds from 0.1 to 86400' }, String(bad));
    }
    assert.equal(sends, 0);
    assert.equal(scheduler.snapshot, undefined);
    assert.deepEqual(await scheduler.start(send, 86400), { ok: true });
    assert.deepEqual(scheduler.snapshot, { intervalSeconds: 86400, sent: 1 });
    assert.deepEqual(infos, ['Repeating the message every 86400 s until stopped']);
  });

  it('checks an endpoint before saving it, saves references as written, and takes its name', async (t) => {
    const { request, host, controller } = openPanel(t);
    const form = params('ws://{{host}}/feed', { headers: [{ name: 'Authorization', value: 'Bearer {{token}}' }] });
    const noName = await request({ type: 'saveEndpoint', params: form, name: '  ', collection: 'Team' });
    assert.deepEqual([noName.ok, noName.field], [false, 'endpoint']);
    assert.match(noName.error ?? '', /^Endpoint name: /);
    const noCollection = await request({ type: 'saveEndpoint', params: form, name: 'Feed', collection: '' });
    assert.match(noCollection.error ?? '', /^Collection: /);
    const badUrl = await request({ type: 'saveEndpoint', params: params('http://example.com/'), name: 'Feed', collection: 'Team' });
    assert.deepEqual([badUrl.ok, badUrl.field], [false, 'url']);
    assert.equal(host.saved.length, 0);

    assert.equal((await request({ type: 'saveEndpoint', params: form, name: ' Feed ', collection: ' Team ' })).ok, true);
    assert.equal(host.saved.length, 1);
    assert.equal(host.saved[0]!.collection, 'Team');
    assert.equal(host.saved[0]!.endpoint.name, 'Feed');
    assert.equal(host.saved[0]!.endpoint.url, 'ws://{{host}}/feed');
    assert.deepEqual(host.saved[0]!.endpoint.headers, form.headers);
    assert.deepEqual(host.titles, ['Feed']);
    assert.equal(controller.title, 'Feed');
  });

  it('ignores malformed webview messages: nothing posted, nothing done, one log line each', async (t) => {
    const { controller, host } = openPanel(t);
    const before = host.posted.length;
    for (const raw of [
      'connect',
      null,
      { type: 'connect', requestId: 1 },
      { type: 'connect', requestId: -1, params: params('ws://127.0.0.1:1/') },
      { type: 'send', requestId: 2, format: 'rot13', body: 'x' },
      { type: 'renameEndpoint', requestId: 3, endpointId: 7 },
      { type: 'openFile', requestId: 4, path: '/etc/passwd' },
    ]) {
      controller.receive(raw);
    }
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(host.posted.length, before);
    assert.equal(host.lines.length, 7);
    assert.ok(host.lines.every((l) => l === 'Ignored a malformed message from the debugger panel "WebSocket Debugger".'));
    assert.deepEqual(host.renamed, []);
    assert.equal(controller.state.readyState, 'CLOSED');
  });

  it('answers requests it cannot serve with the field to show the error on', async (t) => {
    const srv = await server(t);
    const { request, host } = openPanel(t);
    const control = await request({ type: 'control', frame: 'ping', payload: '' });
    assert.deepEqual([control.field, control.error], ['control', 'Not connected: press Connect first.']);
    const close = await request({ type: 'close', code: 1000, reason: '', advancedConfirmed: false });
    assert.equal(close.field, 'closeCode');
    await request({ type: 'connect', params: params(srv.url) });
    const emit = await request({ type: 'emit', event: 'hello', format: 'json', args: '[]', expectAck: false });
    assert.equal(emit.field, 'eventName');
    assert.match(emit.error ?? '', /Not connected to a Socket.IO server/);
    assert.equal((await request({ type: 'renameEndpoint', endpointId: 'abc' })).ok, true);
    assert.deepEqual(host.renamed, ['abc']);
  });

  it('drives a Socket.IO session: a secret in the query, emit with its ack, Send and Ping refused, Close disconnects', async (t) => {
    // The Socket.IO servers of the e2e suite, loaded from the repository root.
    const servers = (await import(path.resolve(__dirname, '../../../test/e2e/socketIoServers.mjs'))) as {
      startSocketIoServer(options: { version: 'v4' }): Promise<{ url: string; close(): Promise<void> }>;
    };
    const sio = await servers.startSocketIoServer({ version: 'v4' });
    t.after(() => sio.close());
    const host = new FakeHost();
    host.collections = [teamCollection('unused')];
    const { controller, request, waitForState, waitForEntry } = openPanel(t, {}, host);
    controller.receive({ type: 'selectEnvironment', collectionId: 'team', environment: 'dev' });
    const form = params(sio.url, {
      kind: 'socketio',
      socketio: { ...DEFAULT_SOCKET_IO_OPTIONS, query: [{ name: 'token', value: '{{token}}' }] },
    });
    assert.equal((await request({ type: 'connect', params: form })).ok, true);
    await waitForState((s) => s.readyState === 'OPEN' && s.socketio !== undefined, 'OPEN with Socket.IO details');

    assert.equal((await request({ type: 'emit', event: 'echo', format: 'json', args: '["hi"]', expectAck: true })).ok, true);
    await waitForEntry((e) => e.kind === 'ack' && e.event?.emitNumber === 1, 'the ack');
    await waitForEntry((e) => e.kind === 'event' && e.direction === 'received' && e.event?.name === 'echo', 'the echo');
    const send = await request({ type: 'send', format: 'text', body: 'x' });
    assert.deepEqual([send.field, send.error], ['message', 'A Socket.IO connection sends events: use Emit']);
    const ping = await request({ type: 'control', frame: 'ping', payload: '' });
    assert.equal(ping.field, 'control');
    assert.ok(!host.postedText().includes(SECRET), 'a secret value was posted to the webview');

    // Export as HAR: the Engine.IO handshake URL and the packets, the secret in the query stripped.
    controller.receive({ type: 'exportHar' });
    await waitUntil(() => host.harExports.length === 1, () => 'exportHar did not reach the host');
    const { sessions, secrets } = host.harExports[0]!;
    assert.equal(sessions[0]!.socketio?.query[0]?.value, SECRET);
    const { har, notes } = writeHar(sessions, { creator: { name: 'test', version: '0' }, secrets });
    const entry = har.log.entries[0]!;
    assert.equal(entry.request.url, `${sio.url.replace('http:', 'ws:')}/socket.io/?token={{token}}&EIO=4&transport=websocket`);
    assert.deepEqual(entry._webSocketMessages.map((m) => m.data).filter((d) => d.startsWith('42') || d.startsWith('43')), ['420["echo","hi"]', '42["echo","hi"]', '430["hi"]']);
    assert.deepEqual(notes, ['Secret values replaced by their variable: {{token}} (1×).']);

    assert.equal((await request({ type: 'close', code: 1000, reason: '', advancedConfirmed: false })).ok, true);
    await waitForState((s) => s.readyState === 'CLOSED' && s.socketio?.sid === '', 'disconnected');
  });

  it('Save as flow turns the entries the filter shows into a draft the flow checks accept', async (t) => {
    const srv = await server(t);
    const { controller, request, host, waitForEntry } = openPanel(t, { title: 'echo' });
    await request({ type: 'connect', params: params(srv.url) });
    await waitForEntry((e) => e.kind === 'open', 'open');
    await request({ type: 'send', format: 'text', body: 'hello' });
    await request({ type: 'send', format: 'json', body: '{"op":"join"}' });
    srv.sockets[0]!.send('{"op":"join"}');
    await waitForEntry((e) => e.kind === 'message' && e.direction === 'received' && e.payload?.kind === 'text' && e.payload.text === '{"op":"join"}', 'the echo');
    const filter = { text: 'join', regex: false, direction: 'any', frame: 'any', event: '' };
    controller.receive({ type: 'saveAsFlow', filter });
    await waitUntil(() => host.drafts.length === 1, () => 'no draft opened');
    const draft = JSON.parse(host.drafts[0]!) as { name: string; steps: Record<string, unknown>[] };
    assert.deepEqual(draft.steps.slice(1), [{ send: { json: { op: 'join' } } }, { expect: { json: { op: 'join' } } }, { close: {} }]);
    // No saved endpoint has this URL: the connect step names the panel (its host) for the user to edit.
    assert.equal(draft.steps[0]!.connect, controller.title);
    const checked = checkFlows([draft], { endpoints: [{ name: controller.title, kind: 'websocket' }] });
    assert.ok(checked.ok);
    controller.receive({ type: 'saveAsFlow', filter: { ...filter, text: '' } });
    await waitUntil(() => host.drafts.length === 2, () => 'no second draft');
    assert.equal((JSON.parse(host.drafts[1]!) as { steps: unknown[] }).steps.length, 5, 'with no filter, every message');
  });

  it('the log selection: Copy and Copy as JSON from the host\'s entries, Resend of messages only, Save as flow of the ids', async (t) => {
    const srv = await server(t);
    const { controller, request, host, waitForEntry } = openPanel(t, { title: 'echo' });
    await request({ type: 'connect', params: params(srv.url) });
    await waitForEntry((e) => e.kind === 'open', 'open');
    await request({ type: 'send', format: 'text', body: 'first' });
    await request({ type: 'send', format: 'hex', body: 'de ad' });
    srv.sockets[0]!.send('{"op":"join"}');
    await waitForEntry((e) => e.direction === 'received' && e.payload?.kind === 'text', 'the server message');
    const byText = (text: string) => host.postedEntries().find((e) => e.payload?.kind === 'text' && e.payload.text === text)!.id;
    const open = host.postedEntries().find((e) => e.kind === 'open')!.id;
    const first = byText('first');
    const binary = host.postedEntries().find((e) => e.frame === 'binary' && e.direction === 'sent')!.id;
    const joined = byText('{"op":"join"}');

    // Ids arrive in any order; the clipboard has them oldest first.
    controller.receive({ type: 'copyEntries', entryIds: [joined, first, binary], as: 'text' });
    await waitUntil(() => host.clipboard.length === 1, () => 'nothing copied');
    assert.deepEqual(host.clipboard[0], { text: 'first\nde ad\n{"op":"join"}', note: 'Copied 3 entries.' });
    controller.receive({ type: 'copyEntries', entryIds: [binary, 999_999], as: 'json' });
    await waitUntil(() => host.clipboard.length === 2, () => 'nothing copied as JSON');
    const records = JSON.parse(host.clipboard[1]!.text!) as Record<string, unknown>[];
    assert.deepEqual(records.map((r) => [r.id, r.direction, r.frame, r.base64, r.size]), [[binary, 'sent', 'binary', '3q0=', 2]]);
    assert.equal(host.clipboard[1]!.note, 'Copied 1 entry as JSON (1 no longer kept).');
    controller.receive({ type: 'copyEntries', entryIds: [999_999], as: 'text' });
    await waitUntil(() => host.clipboard.length === 3, () => 'no note for a selection gone');
    assert.equal(host.clipboard[2]!.text, undefined);

    // Resend: the open entry is left out (and the log says so); the messages go out as they were.
    srv.messages.length = 0;
    controller.receive({ type: 'resendEntries', entryIds: [open, first, joined] });
    await waitUntil(() => srv.messages.length === 2, () => `the server got ${JSON.stringify(srv.messages)}`);
    assert.deepEqual(srv.messages, ['first', '{"op":"join"}']);
    await waitForEntry((e) => e.kind === 'info' && /^Resend left out 1 entry/.test(e.detail ?? ''), 'the note on what was left out');

    controller.receive({ type: 'saveAsFlow', filter: { text: '', regex: false, direction: 'any', frame: 'any', event: '' }, entryIds: [joined, first] });
    await waitUntil(() => host.drafts.length === 1, () => 'no draft opened');
    const draft = JSON.parse(host.drafts[0]!) as { steps: Record<string, unknown>[] };
    assert.deepEqual(draft.steps.slice(1), [{ send: { text: 'first' } }, { expect: { json: { op: 'join' } } }, { close: {} }]);
  });

  it('clears the log on request and posts nothing once disposed', async (t) => {
    const srv = await server(t);
    const { controller, request, host, waitForEntry } = openPanel(t);
    await request({ type: 'connect', params: params(srv.url) });
    await waitForEntry((e) => e.kind === 'open', 'open');
    controller.receive({ type: 'clearLog' });
    await waitUntil(() => host.posted.some((m) => m.type === 'logCleared'), () => 'no logCleared');
    assert.deepEqual(controller.entries, []);
    controller.dispose();
    const count = host.posted.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(host.posted.length, count);
    await waitUntil(() => srv.sockets[0]?.readyState === srv.sockets[0]?.CLOSED, () => 'the socket outlived the panel');
  });
});

/** The last saved-messages list the controller posted. */
function lastList(host: FakeHost): SavedMessagesMessage | undefined {
  return host.posted.filter((m): m is SavedMessagesMessage => m.type === 'savedMessages').at(-1);
}

describe('PanelController: saved messages', () => {
  function feedCollection(url: string): Collection {
    return {
      ...teamCollection(new URL(url).host),
      endpoints: [
        {
          id: 'feed',
          name: 'Feed',
          url,
          protocols: [],
          headers: [],
          messages: [
            { name: 'Hello', format: 'text', body: 'hello from {{host}} with {{token}}' },
            { name: 'Bytes', format: 'hex', body: 'de ad' },
          ],
        },
      ],
    };
  }

  it('an unsaved connection lists no endpoint; the endpoint the panel opened for lists its messages', async (t) => {
    const unsaved = openPanel(t, { params: params('ws://nowhere.example/') });
    assert.deepEqual(lastList(unsaved.host), { type: 'savedMessages', messages: [] });

    const host = new FakeHost();
    host.collections = [feedCollection('ws://127.0.0.1:1/')];
    openPanel(t, { endpointId: 'feed' }, host);
    assert.deepEqual(lastList(host), {
      type: 'savedMessages',
      endpoint: { id: 'feed', name: 'Feed', socketio: false },
      messages: host.collections[0].endpoints[0].messages,
    });
    // A revived panel has only its URL: the saved endpoint with that URL is found again.
    const revived = new FakeHost();
    revived.collections = host.collections;
    openPanel(t, { params: params('ws://127.0.0.1:1/') }, revived);
    assert.equal(lastList(revived)?.endpoint?.id, 'feed');
  });

  it('save, rename, reorder and delete go to the store and post the new list; bad names are refused', async (t) => {
    const host = new FakeHost();
    host.collections = [feedCollection('ws://127.0.0.1:1/')];
    const { request } = openPanel(t, { endpointId: 'feed' }, host);
    const stored = () => (host.collections[0].endpoints[0].messages ?? []).map((m) => m.name);

    const saved = await request({ type: 'saveMessage', endpointId: 'feed', message: { name: ' Ping ', format: 'json', body: '{"op":"ping"}' } });
    assert.equal(saved.ok, true);
    assert.deepEqual(stored(), ['Hello', 'Bytes', 'Ping']);
    assert.deepEqual(lastList(host)?.messages.map((m) => m.name), ['Hello', 'Bytes', 'Ping'], 'the list was posted');

    const duplicate = await request({ type: 'saveMessage', endpointId: 'feed', message: { name: 'Hello', format: 'text', body: 'x' } });
    assert.deepEqual(
      { ok: duplicate.ok, field: duplicate.field, error: duplicate.error },
      { ok: false, field: 'savedMessage', error: 'This endpoint already has a message named "Hello"' },
    );
    const tooLong = await request({ type: 'renameMessage', endpointId: 'feed', name: 'Ping', newName: 'x'.repeat(201) });
    assert.match(tooLong.error ?? '', /at most 200 characters/);
    const withEvent = await request({ type: 'saveMessage', endpointId: 'feed', message: { name: 'E', format: 'text', body: '', event: 'e' } });
    assert.match(withEvent.error ?? '', /Only Socket.IO endpoints/);

    assert.equal((await request({ type: 'renameMessage', endpointId: 'feed', name: 'Ping', newName: 'Keep-alive' })).ok, true);
    assert.equal((await request({ type: 'moveMessage', endpointId: 'feed', name: 'Keep-alive', offset: -1 })).ok, true);
    assert.equal((await request({ type: 'moveMessage', endpointId: 'feed', name: 'Keep-alive', offset: -1 })).ok, true);
    assert.deepEqual(stored(), ['Keep-alive', 'Hello', 'Bytes']);
    assert.equal((await request({ type: 'deleteMessage', endpointId: 'feed', name: 'Bytes' })).ok, true);
    assert.deepEqual(stored(), ['Keep-alive', 'Hello']);
    assert.deepEqual(lastList(host)?.messages.map((m) => m.name), ['Keep-alive', 'Hello']);

    const stale = await request({ type: 'deleteMessage', endpointId: 'other', name: 'Hello' });
    assert.equal(stale.ok, false);
    assert.match(stale.error ?? '', /another endpoint loaded/);
    assert.deepEqual(stored(), ['Keep-alive', 'Hello']);
  });

  it('sends a saved message as the composer does: variables resolved, the secret reaching only the server', async (t) => {
    const srv = await server(t);
    const host = new FakeHost();
    host.collections = [feedCollection(srv.url)];
    const { controller, request, waitForState, waitForEntry } = openPanel(t, { endpointId: 'feed' }, host);
    controller.receive({ type: 'selectEnvironment', collectionId: 'team', environment: 'dev' });

    const early = await request({ type: 'sendMessage', endpointId: 'feed', name: 'Hello' });
    assert.deepEqual({ field: early.field, error: early.error }, { field: 'savedMessage', error: 'Not connected: press Connect first.' });

    assert.equal((await request({ type: 'connect', params: params(srv.url) })).ok, true);
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    assert.equal((await request({ type: 'sendMessage', endpointId: 'feed', name: 'Hello' })).ok, true);
    assert.equal((await request({ type: 'sendMessage', endpointId: 'feed', name: 'Bytes' })).ok, true);
    await waitUntil(() => srv.messages.length === 2, () => 'the messages did not arrive');
    assert.equal(srv.messages[0], `hello from 127.0.0.1:${srv.port} with ${SECRET}`);
    await waitForEntry((e) => e.kind === 'message' && e.direction === 'sent' && e.frame === 'binary', 'the hex message sent as binary');

    const gone = await request({ type: 'sendMessage', endpointId: 'feed', name: 'Nope' });
    assert.equal(gone.error, 'There is no saved message named "Nope" any more');
  });

  it('a workspace-shared endpoint: messages listed and sendable, edits refused with the reason', async (t) => {
    const srv = await server(t);
    const host = new FakeHost();
    const endpoint: Endpoint = { id: 'workspace:0:0', name: 'Shared', url: srv.url, protocols: [], headers: [], messages: [{ name: 'Hi', format: 'text', body: 'hi' }] };
    host.shared.set(endpoint.id, { endpoint, file: '.vscode/websocket-debugger.json' });
    const { request, waitForState } = openPanel(t, { params: params(srv.url), endpointId: endpoint.id }, host);
    const reason = 'Shared by .vscode/websocket-debugger.json: edit its messages in that file';
    assert.deepEqual(lastList(host)?.endpoint, { id: endpoint.id, name: 'Shared', socketio: false, readOnly: reason });

    const save = await request({ type: 'saveMessage', endpointId: endpoint.id, message: { name: 'New', format: 'text', body: 'x' } });
    assert.deepEqual({ ok: save.ok, error: save.error }, { ok: false, error: reason });
    assert.equal((await request({ type: 'deleteMessage', endpointId: endpoint.id, name: 'Hi' })).error, reason);

    assert.equal((await request({ type: 'connect', params: params(srv.url) })).ok, true);
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    assert.equal((await request({ type: 'sendMessage', endpointId: endpoint.id, name: 'Hi' })).ok, true);
    await waitUntil(() => srv.messages[0] === 'hi', () => 'the shared message did not arrive');
  });

  it("lists the workspace files' collections; in Restricted Mode the panel's Connect to one asks first", async (t) => {
    const srv = await server(t);
    const host = new FakeHost();
    host.trusted = false;
    host.collections = [teamCollection(`127.0.0.1:${srv.port}`)];
    const endpoint: Endpoint = { id: 'workspace:0:0', name: 'Shared', url: srv.url, protocols: [], headers: [{ name: 'X-Team', value: 'blue' }] };
    host.shared.set(endpoint.id, { endpoint, file: '.vscode/websocket-debugger.json' });
    const { controller, request, waitForState } = openPanel(t, {}, host);
    const init = host.posted.find((m) => m.type === 'init');
    assert.deepEqual(init?.type === 'init' && init.workspace, { collections: host.sharedCollections(), trusted: false });

    // A typed URL is not asked about.
    assert.equal((await request({ type: 'connect', params: params(srv.url) })).ok, true);
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    controller.disconnect();
    await waitUntil(() => host.states().at(-1)?.readyState === 'CLOSED', () => 'not closed');
    assert.deepEqual(host.questions, []);

    controller.receive({ type: 'chooseEndpoint', endpointId: endpoint.id });
    const form = params(srv.url, { headers: endpoint.headers });
    const cancelled = await request({ type: 'connect', params: form });
    assert.equal(cancelled.ok, false);
    assert.equal(cancelled.error, 'Not connected: "Shared" comes from .vscode/websocket-debugger.json in a workspace you have not trusted, and you did not confirm.');
    assert.deepEqual(host.questions, [
      `"Shared" comes from .vscode/websocket-debugger.json in a workspace you have not trusted. Connect to ${srv.url} with the 1 header(s) that file sets? [Connect]`,
    ]);
    assert.equal(srv.requests.length, 1, 'Cancel still connected');

    host.answer = true;
    assert.equal((await request({ type: 'connect', params: form })).ok, true);
    await waitUntil(() => srv.requests.length === 2, () => 'Connect did not connect');
    assert.equal(srv.requests[1].headers['x-team'], 'blue');
    assert.equal(host.titles.at(-1), 'Shared', 'the panel is titled by the endpoint it connected to');
    // Agreed once for this URL and these headers: a second Connect is not asked again, and the
    // panel's connections get no secrets from now on. The server saw the request, but the client
    // may still be CONNECTING, and the last state posted may be the first session's CLOSED: wait
    // for the session itself to be closed, or the next Connect finds it still connected.
    controller.disconnect();
    await waitUntil(() => !controller.isConnected && host.states().at(-1)?.readyState === 'CLOSED', () => 'not closed');
    controller.receive({ type: 'selectEnvironment', collectionId: 'team', environment: 'dev' });
    const again = await request({ type: 'connect', params: form });
    assert.equal(again.ok, true, again.error);
    await waitUntil(() => srv.requests.length === 3, () => 'the second Connect did not connect');
    assert.equal(host.questions.length, 2);
    const secret = await request({ type: 'send', format: 'text', body: '{{token}}' });
    assert.match(secret.error ?? '', /secret variable/);

    // A trust change reaches the panel's list.
    host.trusted = true;
    controller.sharedEndpointsChanged();
    const last = host.posted.filter((m) => m.type === 'collections').at(-1);
    assert.equal(last?.type === 'collections' && last.workspace.trusted, true);
  });

  it('choosing an endpoint in the panel lists its messages; saving the form makes it the panel endpoint', async (t) => {
    const host = new FakeHost();
    host.collections = [feedCollection('ws://127.0.0.1:1/')];
    const { controller, request } = openPanel(t, {}, host);
    assert.equal(lastList(host)?.endpoint, undefined);
    controller.receive({ type: 'chooseEndpoint', endpointId: 'feed' });
    assert.equal(lastList(host)?.endpoint?.name, 'Feed');
    // The fake store answers a save with the id `id-1`; here the store already holds that endpoint.
    const other: Endpoint = { id: 'id-1', name: 'Other', url: 'ws://127.0.0.1:2/', protocols: [], headers: [] };
    host.collections = [{ ...host.collections[0], endpoints: [...host.collections[0].endpoints, other] }];
    assert.equal((await request({ type: 'saveEndpoint', params: params(other.url), name: 'Other', collection: 'Team' })).ok, true);
    assert.deepEqual(lastList(host), { type: 'savedMessages', endpoint: { id: 'id-1', name: 'Other', socketio: false }, messages: [] });
  });

  it('a Socket.IO endpoint emits its saved message with the event, arguments and ack', async (t) => {
    const received: unknown[][] = [];
    const { url } = await startSocketIoServer(t, (io) => {
      io.on('connection', (socket) => {
        socket.on('join', (...args: unknown[]) => {
          const ack = args.at(-1);
          received.push(args.slice(0, -1));
          if (typeof ack === 'function') ack('welcome');
        });
      });
    });
    const socketio = { ...DEFAULT_SOCKET_IO_OPTIONS, transports: 'websocket' as const, query: [] };
    const host = new FakeHost();
    host.collections = [
      {
        id: 'c',
        name: 'Chat',
        endpoints: [
          {
            id: 'chat',
            name: 'Chat',
            url,
            protocols: [],
            headers: [],
            kind: 'socketio',
            socketio,
            messages: [{ name: 'Join', format: 'json', body: '["lobby", {"id": 7}]', event: 'join', ack: true }],
          },
        ],
      },
    ];
    const { request, waitForState, waitForEntry } = openPanel(t, { endpointId: 'chat' }, host);
    assert.equal(lastList(host)?.endpoint?.socketio, true);
    const noEvent = await request({ type: 'saveMessage', endpointId: 'chat', message: { name: 'X', format: 'json', body: '[]' } });
    assert.equal(noEvent.error, 'A Socket.IO message needs an event name');

    assert.equal((await request({ type: 'connect', params: { url, protocols: [], headers: [], kind: 'socketio', socketio } })).ok, true);
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    assert.equal((await request({ type: 'sendMessage', endpointId: 'chat', name: 'Join' })).ok, true);
    await waitUntil(() => received.length === 1, () => 'the emit did not arrive');
    assert.deepEqual(received[0], ['lobby', { id: 7 }]);
    await waitForEntry((e) => e.kind === 'ack' && e.direction === 'received', 'the ack');
  });
});

describe('PanelController: Decode binary as', () => {
  const protoDir = path.resolve(__dirname, '../../../test/fixtures/proto');

  /** A ws server that keeps every binary message it gets and sends `reply` on connect. */
  async function binaryServer(t: TestContext, reply: Uint8Array) {
    const running = await startWsServer();
    t.after(() => running.close());
    const got: Buffer[] = [];
    running.server.on('connection', (socket) => {
      socket.send(reply);
      socket.on('message', (data, binary) => binary && got.push(data as Buffer));
    });
    return { ...running, got };
  }

  it('posts binary messages with their Decoded view and sends Send as MessagePack and CBOR as binary frames', async (t) => {
    // {"hello": "world"} in MessagePack
    const srv = await binaryServer(t, Uint8Array.from([0x81, 0xa5, ...Buffer.from('hello'), 0xa5, ...Buffer.from('world')]));
    const { request, waitForEntry } = openPanel(t);
    assert.equal((await request({ type: 'connect', params: params(srv.url, { decode: { as: 'msgpack' } }) })).ok, true);
    await waitForEntry((e) => e.direction === 'received' && e.decoded?.json === '{\n  "hello": "world"\n}', 'the decoded greeting');
    assert.equal((await request({ type: 'send', format: 'msgpack', body: '{"n":1}' })).ok, true);
    assert.equal((await request({ type: 'send', format: 'cbor', body: '{"n":1}' })).ok, true);
    await waitUntil(() => srv.got.length === 2, () => `${srv.got.length} binary messages arrived`);
    assert.deepEqual(srv.got.map((b) => b.toString('hex')), ['81a16e01', 'a1616e01']);
    // The sent MessagePack message is decoded in the log too; the CBOR one is not MessagePack
    // (a1 61 reads as the string "a", then two bytes are left over).
    await waitForEntry((e) => e.direction === 'sent' && e.decoded?.json === '{\n  "n": 1\n}', 'the sent message decoded');
    await waitForEntry((e) => e.direction === 'sent' && /^Not valid MessagePack at byte 2: expected the end of the message/.test(e.decoded?.error ?? ''), 'the CBOR message noted as not MessagePack');
    const bad = await request({ type: 'send', format: 'msgpack', body: '{"n":' });
    assert.equal(bad.ok, false);
    assert.equal(bad.field, 'message');
    assert.match(bad.error ?? '', /^Send as MessagePack takes a JSON document: /);
  });

  it('decodes a large message off the host thread and logs it in its place among the others', async (t) => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `item ${i}` }));
    const bigBytes = encodeValue(big, { as: 'msgpack' });
    if (!bigBytes.ok) assert.fail(bigBytes.error);
    assert.ok(bigBytes.bytes.length > INLINE_DECODE_BYTES && bigBytes.bytes.length < SETTINGS.connection.maxPayload);
    const running = await startWsServer();
    t.after(() => running.close());
    running.server.on('connection', (socket) => {
      socket.send(Uint8Array.from([0x81, 0xa1, 0x6e, 0x01]));
      socket.send(bigBytes.bytes);
      socket.send('plain text');
      socket.send(Uint8Array.from([0x81, 0xa1, 0x6e, 0x02]));
    });
    const { controller, request, waitForEntry } = openPanel(t);
    assert.equal((await request({ type: 'connect', params: params(running.url, { decode: { as: 'msgpack' } }) })).ok, true);
    await waitForEntry((e) => e.decoded?.json === '{\n  "n": 2\n}', 'the last message decoded', 10_000);
    const received = controller.entries.filter((e) => e.kind === 'message' && e.direction === 'received');
    assert.deepEqual(
      received.map((e) => (e.payload?.kind === 'text' ? e.payload.text : e.size)),
      [4, bigBytes.bytes.length, 'plain text', 4],
    );
    assert.deepEqual(JSON.parse(received[1]?.decoded?.json ?? 'null'), big);
    assert.equal(received[0]?.decoded?.json, '{\n  "n": 1\n}');
  });

  it('loads the .proto from the host folders; Send as Protobuf is checked against the type', async (t) => {
    // feed.v1.Tick {symbol: "ACME"}
    const srv = await binaryServer(t, Uint8Array.from([0x0a, 0x04, ...Buffer.from('ACME')]));
    const host = new FakeHost();
    host.folders = [protoDir];
    const { request, waitForEntry } = openPanel(t, {}, host);
    const decode = { as: 'protobuf' as const, proto: 'feed.proto', type: 'feed.v1.Tick' };
    assert.equal((await request({ type: 'connect', params: params(srv.url, { decode }) })).ok, true);
    await waitForEntry((e) => e.direction === 'received' && e.decoded?.json === '{\n  "symbol": "ACME"\n}', 'the decoded Tick');
    const refused = await request({ type: 'send', format: 'protobuf', body: '{"price":"x"}' });
    assert.deepEqual([refused.ok, refused.field, refused.error], [false, 'message', '$.price: expected a number (double), not string "x"']);
    assert.equal((await request({ type: 'send', format: 'protobuf', body: '{"symbol":"B"}' })).ok, true);
    await waitUntil(() => srv.got.length === 1, () => 'the Tick did not arrive');
    assert.equal(srv.got[0]!.toString('hex'), '0a0142');
  });

  it('a Socket.IO panel decodes binary event arguments (received and emitted) with the endpoint decoder', async (t) => {
    // {"hello": "world"} in MessagePack, as the only argument and beside a JSON one.
    const hello = Buffer.from([0x81, 0xa5, ...Buffer.from('hello'), 0xa5, ...Buffer.from('world')]);
    const { url } = await startSocketIoServer(t, (io) => {
      io.on('connection', (socket) => {
        socket.emit('greeting', hello, { n: 1 });
        socket.on('echo', (...args: unknown[]) => socket.emit('echo', ...args));
      });
    });
    const { request, waitForEntry } = openPanel(t);
    const form = params(url, { kind: 'socketio', socketio: { ...DEFAULT_SOCKET_IO_OPTIONS }, decode: { as: 'msgpack' } });
    assert.equal((await request({ type: 'connect', params: form })).ok, true);
    await waitForEntry((e) => e.kind === 'event' && e.event?.name === 'greeting' && e.decoded?.json === JSON.stringify([{ hello: 'world' }, { n: 1 }], null, 2), 'the decoded greeting');
    assert.equal((await request({ type: 'emit', event: 'echo', format: 'base64', args: 'wQ==', expectAck: false })).ok, true);
    await waitForEntry((e) => e.kind === 'event' && e.direction === 'sent' && /^argument 1: Not valid MessagePack at byte 0: /.test(e.decoded?.error ?? ''), 'the emitted byte noted as not MessagePack');
  });

  it('a .proto that cannot be found is reported in the log; the connection still opens', async (t) => {
    const srv = await binaryServer(t, Uint8Array.from([1]));
    const { request, waitForState, waitForEntry } = openPanel(t);
    const decode = { as: 'protobuf' as const, proto: 'missing.proto', type: 'a.B' };
    assert.equal((await request({ type: 'connect', params: params(srv.url, { decode }) })).ok, true);
    await waitForEntry((e) => e.kind === 'error' && /^Decode binary as: The \.proto file "missing\.proto" was not found/.test(e.detail ?? ''), 'the error entry');
    await waitForState((s) => s.readyState === 'OPEN', 'OPEN');
    await waitForEntry((e) => e.direction === 'received' && e.decoded === undefined && e.payload?.kind === 'binary', 'the message as bytes only');
  });
});
