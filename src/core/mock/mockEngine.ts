/**
 * The mock's brain, the same for both kinds: it logs what comes and goes, picks the rule for each
 * connection and message (first match acts, else the fallback), runs actions with their templates
 * and delays, keeps the `every` timers, and reports events. Sockets belong to the transports.
 *
 * A rule that fails while acting (a template that renders bad hex, a client that left during a
 * delay) is reported as a `ruleError` event and an error entry; nothing a rule does can stop the
 * mock, because every action runs inside one guard.
 */
import { checkCloseCode, checkCloseReason } from '../../shared/closeCodes';
import { decodeBase64, encodeBase64, parseHex } from '../../shared/codecs';
import type { MockAction, MockDefinition, MockEmit, MockPayload, MockRule } from '../../shared/mockFormat';
import { renderJson, renderTemplate, type TemplateContext, type TemplateMessage, type TemplateScope } from '../../shared/mockTemplate';
import type { Observed } from '../../shared/match';
import { decodeBinary, encodeValue, type BinaryDecoder } from '../decoders/binaryCodec';
import { withDecoded } from '../decoders/entryDecoder';
import type { LogEntry, Payload } from '../../shared/protocol';
import { payloadsSize, receivedArgumentPayload } from '../../shared/socketIo';
import { messageOf } from '../sessionBase';
import type { MockLog } from './mockLog';
import type { AckCallback, MockPeer, MockTransport, TransportHooks } from './mockPeer';
import type { MockActionResult, MockClient, MockEvent, MockOutgoing, RunningMock } from './mockTypes';
import { l10n } from '../../shared/l10n';

const SENT: MockActionResult = Object.freeze({ ok: true });


/**
 * The largest binary message a mock decodes (1 MiB). A mock decodes on its own thread (the
 * extension host, or the CLI's process for `serve`) as each message arrives, because its rules
 * match on the decoded value before it replies; 1 MiB of MessagePack records decodes (with its
 * Decoded view's JSON) in 55–112 ms, median 61 ms (9 runs, 2 cores at load 4.4), where the
 * panel's 16 MiB limit would stall the thread for a second or more. A
 * bigger message is logged with its raw bytes and a note, and rules see it undecoded.
 */
export const MOCK_DECODE_BYTES = 1024 * 1024;
export class MockEngine implements TransportHooks, RunningMock {
  private readonly peers = new Map<number, MockPeer>();
  private clientCount = 0;
  private seq = 0;
  private listeners: ((event: MockEvent) => void)[] = [];
  private readonly mockTimers = new Set<ReturnType<typeof setTimeout>>();
  private transport: MockTransport | undefined;
  private stopping: Promise<void> | undefined;
  private rules: MockRule[];
  private messageRules: Extract<MockRule, { trigger: 'message' }>[] = [];
  url = '';
  port = 0;

  constructor(
    public definition: MockDefinition,
    readonly log: MockLog,
    readonly fingerprint256: string | undefined,
    /** The mock's Decode binary as, loaded by startMock (its panel's Send as Protobuf uses it too). */
    readonly decoder?: BinaryDecoder,
  ) {
    this.rules = definition.rules;
    this.indexRules();
  }

  /** Called once the transport listens. */
  attach(transport: MockTransport, url: string): void {
    this.transport = transport;
    this.port = transport.port;
    this.url = url;
    this.startBroadcastTimers();
  }

  // RunningMock

  clients(): MockClient[] {
    return [...this.peers.values()].map((peer) => ({ ...peer.info, headers: peer.info.headers.map(([n, v]) => [n, v] as [string, string]) }));
  }

  onEvent(listener: (event: MockEvent) => void): { dispose(): void } {
    this.listeners = [...this.listeners, listener];
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  }

  sendTo(target: string, message: MockOutgoing): MockActionResult {
    const socketIo = this.definition.kind === 'socketio';
    if (socketIo !== (message.kind === 'event')) {
      return { ok: false, error: socketIo ? l10n.t('A Socket.IO mock sends events') : l10n.t('A WebSocket mock sends text or binary messages') };
    }
    if (target !== 'all') {
      // The panel's composer and the benchmark's flood come here once per message: no arrays.
      const peer = this.peers.get(Number(target));
      if (!peer) return this.noClient(target);
      const error = this.sendOutgoing(peer, message);
      return error === undefined ? SENT : { ok: false, error };
    }
    for (const peer of this.peers.values()) this.sendOutgoing(peer, message);
    return SENT;
  }

  close(clientId: string, code: number, reason: string): MockActionResult {
    const peer = this.peers.get(Number(clientId));
    if (!peer) return this.noClient(clientId);
    if (this.definition.kind === 'websocket') {
      const verdict = checkCloseCode(code);
      if (!verdict.ok) return { ok: false, error: verdict.reason };
      const tooLong = checkCloseReason(reason);
      if (tooLong !== undefined) return { ok: false, error: tooLong };
    }
    peer.close(this.definition.kind === 'websocket' ? code : undefined, reason);
    return { ok: true };
  }

  drop(clientId: string): MockActionResult {
    const peer = this.peers.get(Number(clientId));
    if (!peer) return this.noClient(clientId);
    peer.drop();
    return { ok: true };
  }

  reload(definition: MockDefinition): MockActionResult {
    if (definition.kind !== this.definition.kind) {
      return { ok: false, error: l10n.t('The mock is a {0} mock; restart it to make it a {1} one', this.definition.kind, definition.kind) };
    }
    if (JSON.stringify(definition.decode) !== JSON.stringify(this.definition.decode)) {
      return { ok: false, error: l10n.t('The mock\'s "decode" changed; restart the mock to load the new decoder') };
    }
    this.definition = definition;
    this.rules = definition.rules;
    this.indexRules();
    for (const timer of this.mockTimers) clearInterval(timer);
    this.mockTimers.clear();
    this.startBroadcastTimers();
    for (const peer of this.peers.values()) {
      for (const timer of peer.timers) clearTimeout(timer);
      peer.timers.clear();
      this.startPeerTimers(peer);
    }
    this.logInfo(undefined, definition.rules.length === 1
      ? l10n.t('Rules reloaded: 1 rule, fallback {0}', definition.fallback)
      : l10n.t('Rules reloaded: {0} rules, fallback {1}', definition.rules.length, definition.fallback));
    return { ok: true };
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    for (const timer of this.mockTimers) clearInterval(timer);
    this.mockTimers.clear();
    this.stopping = (this.transport?.stop() ?? Promise.resolve()).finally(() => {
      this.listeners = [];
    });
    return this.stopping;
  }

  // TransportHooks

  nextClientNumber(): number {
    return ++this.clientCount;
  }

  connected(peer: MockPeer): void {
    this.peers.set(peer.number, peer);
    const info = peer.info;
        this.record(peer, { kind: 'open', direction: 'none', size: 0, detail: clientConnected(info, this.definition.kind) });
    this.report({ type: 'connected', client: info });
    if (this.stopping) return;
    const onConnect = this.rules.find((rule) => rule.trigger === 'connect');
    if (onConnect) this.fire(onConnect, peer, undefined, undefined);
    this.startPeerTimers(peer);
  }

  disconnected(peer: MockPeer, code: number | undefined, reason: string): void {
    if (!this.peers.delete(peer.number)) return;
    for (const timer of peer.timers) clearTimeout(timer);
    peer.timers.clear();
    const how = code === undefined ? reason : `${code}${reason === '' ? '' : ` ${JSON.stringify(reason)}`}`;
    this.record(peer, { kind: 'close', direction: 'none', size: 0, detail: `Client ${peer.info.id} disconnected: ${how}` });
    this.report({ type: 'disconnected', client: peer.info, ...(code !== undefined ? { code } : {}), reason });
  }

  message(peer: MockPeer, data: Buffer, binary: boolean): void {
    const time = Date.now();
    if (binary) {
      const entry: Omit<LogEntry, 'id'> = { time, kind: 'message', direction: 'received', frame: 'binary', size: data.length, payload: { kind: 'binary', base64: encodeBase64(data) } };
      this.record(peer, this.decoder ? withDecoded(entry, this.decoder, MOCK_DECODE_BYTES) : entry);
    } else {
      const id = this.log.appendReceivedText(peer.number, time, data);
      if (this.listeners.length > 0) {
        const entry = this.log.messages.get(id);
        if (entry) this.report({ type: 'message', clientId: peer.info.id, direction: 'in', entry });
      }
    }
    if (this.stopping) return;
    if (this.messageRules.length > 0) {
      const text = binary ? '' : data.toString('utf8');
      const observed: Observed = binary ? this.binaryObserved(data) : { kind: 'text', text };
      const rule = this.messageRules.find((candidate) => candidate.match.test(observed));
      if (rule) {
        this.fire(rule, peer, binary ? { text: '' } : textMessage(text), undefined);
        return;
      }
    }
    if (this.definition.fallback === 'echo') {
      const error = this.sendData(peer, data, binary, this.definition.fragment);
      if (error !== undefined) this.ruleError(peer, undefined, `echo: ${error}`);
    }
  }

  event(peer: MockPeer, name: string, args: unknown[], ack: AckCallback | undefined): void {
    const payloads = args.map(receivedArgumentPayload);
    this.record(peer, {
      kind: 'event',
      direction: 'received',
      size: payloadsSize(payloads),
      ...(ack ? { detail: l10n.t('asks for an ack') } : {}),
      event: { name, args: payloads },
    });
    if (this.stopping) return;
    const observed: Observed = { kind: 'event', name, args };
    const rule = this.messageRules.find((candidate) => candidate.match.test(observed));
    if (rule) {
      this.fire(rule, peer, { text: JSON.stringify(args) ?? '', json: args, args }, ack, name);
      return;
    }
    if (this.definition.fallback === 'echo') {
      this.emitTo(peer, name, args);
      if (ack) this.ackTo(peer, name, ack, args);
    }
  }

  record(peer: MockPeer | undefined, entry: Omit<LogEntry, 'id' | 'time'> & { time?: number }): void {
    const full = entry.time === undefined ? { time: Date.now(), ...entry } : (entry as Omit<LogEntry, 'id'>);
    const logged = this.log.append(peer?.number ?? 0, full);
    if (this.listeners.length > 0 && (full.kind === 'message' || full.kind === 'event' || full.kind === 'ack')) {
      this.report({ type: 'message', clientId: peer?.info.id ?? '', direction: full.direction === 'sent' ? 'out' : 'in', entry: logged });
    }
  }

  report(event: MockEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error(error);
      }
    }
  }

  // Acting

  private fire(rule: MockRule, peer: MockPeer, message: TemplateMessage | undefined, ack: AckCallback | undefined, eventName = ''): void {
    const seq = ++this.seq;
    const description = describeRule(rule);
    this.logInfo(peer, `Rule ${rule.number} (${description})`);
    this.report({ type: 'rule', clientId: peer.info.id, rule: rule.number, description });
    const scope: TemplateScope = { hasMessage: rule.trigger === 'message', socketIo: this.definition.kind === 'socketio' };
    const act = (): void => {
      peer.timers.delete(timer as ReturnType<typeof setTimeout>);
      if (!this.peers.has(peer.number)) {
        this.ruleError(peer, rule.number, l10n.t('the client left before the delay was over'));
        return;
      }
      try {
        this.act(rule.action, peer, scope, { message, connectionId: peer.info.id, seq, now: Date.now() }, ack, eventName);
      } catch (error) {
        this.ruleError(peer, rule.number, messageOf(error));
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (rule.action.delayMs > 0) {
      timer = setTimeout(act, rule.action.delayMs);
      peer.timers.add(timer);
    } else act();
  }

  private act(action: MockAction, peer: MockPeer, scope: TemplateScope, context: TemplateContext, ack: AckCallback | undefined, eventName: string): void {
    const fragment = action.fragment ?? this.definition.fragment;
    const failed: string[] = [];
    const note = (error: string | undefined): void => {
      if (error !== undefined) failed.push(error);
    };
    if (action.reply) {
      const rendered = renderPayload(action.reply, scope, context, this.decoder);
      if (typeof rendered === 'string') note(rendered);
      else note(this.sendData(peer, rendered[0], rendered[1], fragment));
    }
    if (action.broadcast) {
      const broadcast = action.broadcast;
      if ('event' in broadcast) {
        const [event, args] = renderEmit(broadcast, scope, context);
        for (const other of this.peers.values()) note(this.emitTo(other, event, args));
      } else {
        const rendered = renderPayload(broadcast, scope, context, this.decoder);
        if (typeof rendered === 'string') note(rendered);
        else for (const other of this.peers.values()) note(this.sendData(other, rendered[0], rendered[1], fragment));
      }
    }
    if (action.emit) {
      const [event, args] = renderEmit(action.emit, scope, context);
      note(this.emitTo(peer, event, args));
    }
    if (action.ack) {
      if (!ack) note(l10n.t('the event asked for no acknowledgement, so "ack" had nothing to answer'));
      else this.ackTo(peer, eventName, ack, renderJson(action.ack, scope, context) as unknown[]);
    }
    if (action.close) {
      const close = action.close;
      if (close.code === undefined) peer.close(undefined, '');
      else {
        const reason = renderTemplate(close.reason, context);
        const tooLong = checkCloseReason(reason);
        // The Close frame is still sent, with the reason cut to what fits, so the fault happens.
        peer.close(close.code, tooLong === undefined ? reason : Buffer.from(reason).subarray(0, 123).toString('utf8').replace(/\uFFFD$/, ''));
        if (tooLong !== undefined) note(l10n.t('{0}; it was cut to fit', tooLong));
      }
    }
    if (action.drop) peer.drop();
    if (failed.length > 0) throw new Error(failed.join('; '));
  }

  /** Sends and logs one message; returns why it was not sent. */
  private sendData(peer: MockPeer, data: string | Buffer, binary: boolean, fragment: number | undefined): string | undefined {
    // Encoded once: ws sends these bytes and the log keeps them, with no entry object per message.
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const error = peer.send(bytes, bytes.length, binary, fragment);
    if (error !== undefined) return error;
    const time = Date.now();
    if (!binary) {
      const id = this.log.appendSentText(peer.number, time, bytes);
      if (this.listeners.length > 0) {
        const entry = this.log.messages.get(id);
        if (entry) this.report({ type: 'message', clientId: peer.info.id, direction: 'out', entry });
      }
      return undefined;
    }
    const payload: Payload = { kind: 'binary', base64: bytes.toString('base64') };
    const sent: Omit<LogEntry, 'id'> = { time, kind: 'message', direction: 'sent', frame: 'binary', size: bytes.length, payload };
    const entry = this.log.append(peer.number, this.decoder ? withDecoded(sent, this.decoder, MOCK_DECODE_BYTES) : sent);
    if (this.listeners.length > 0) this.report({ type: 'message', clientId: peer.info.id, direction: 'out', entry });
    return undefined;
  }

  private emitTo(peer: MockPeer, event: string, args: readonly unknown[]): string | undefined {
    const error = peer.emit(event, args);
    if (error !== undefined) return error;
    const payloads = args.map(receivedArgumentPayload);
    this.record(peer, { kind: 'event', direction: 'sent', size: payloadsSize(payloads), event: { name: event, args: payloads } });
    return undefined;
  }

  private ackTo(peer: MockPeer, event: string, ack: AckCallback, args: readonly unknown[]): void {
    ack(...args);
    const payloads: Payload[] = args.map(receivedArgumentPayload);
    this.record(peer, { kind: 'ack', direction: 'sent', size: payloadsSize(payloads), event: { name: event, args: payloads } });
  }

  private startPeerTimers(peer: MockPeer): void {
    for (const rule of this.rules) {
      if (rule.trigger !== 'every' || rule.broadcast) continue;
      const timer = setInterval(() => this.fire(rule, peer, undefined, undefined), rule.intervalMs);
      peer.timers.add(timer);
    }
  }

  /** `"every"` with `"broadcast": true`: one timer for the mock, acting on every client at each tick. */
  private startBroadcastTimers(): void {
    for (const rule of this.rules) {
      if (rule.trigger !== 'every' || !rule.broadcast) continue;
      const timer = setInterval(() => {
        for (const peer of [...this.peers.values()]) this.fire(rule, peer, undefined, undefined);
      }, rule.intervalMs);
      this.mockTimers.add(timer);
    }
  }

  private indexRules(): void {
    this.messageRules = this.rules.filter((rule): rule is Extract<MockRule, { trigger: 'message' }> => rule.trigger === 'message');
  }

  private ruleError(peer: MockPeer, rule: number | undefined, error: string): void {
    this.record(peer, { kind: 'error', direction: 'none', size: 0, detail: `${rule === undefined ? '' : `Rule ${rule}: `}${error}` });
    this.report({ type: 'ruleError', clientId: peer.info.id, rule, error });
  }

  private logInfo(peer: MockPeer | undefined, detail: string): void {
    this.record(peer, { kind: 'info', direction: 'none', size: 0, detail });
  }

  /** A received binary message as rules see it: with its decoded value when the mock decodes. */
  private binaryObserved(data: Buffer): Observed {
    if (!this.decoder || data.length > MOCK_DECODE_BYTES) return { kind: 'binary', bytes: data };
    const decoded = decodeBinary(data, this.decoder);
    return decoded.ok ? { kind: 'binary', bytes: data, decoded: { value: decoded.value } } : { kind: 'binary', bytes: data };
  }

  private sendOutgoing(peer: MockPeer, message: MockOutgoing): string | undefined {
    switch (message.kind) {
      case 'event':
        return this.emitTo(peer, message.event, message.args);
      case 'text':
        return this.sendData(peer, message.text, false, this.definition.fragment);
      case 'binary':
        return this.sendData(peer, Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength), true, this.definition.fragment);
    }
  }

  private noClient(clientId: string): { ok: false; error: string } {
    return { ok: false, error: l10n.t('No client {0} is connected to mock "{1}"', clientId, this.definition.name) };
  }
}

function textMessage(text: string): TemplateMessage {
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    return { text };
  }
}

/** The data and whether it is binary; a string alone is why it cannot be sent (an encoding error). */
function renderPayload(payload: MockPayload, scope: TemplateScope, context: TemplateContext, decoder: BinaryDecoder | undefined): [string | Buffer, boolean] | string {
  switch (payload.kind) {
    case 'msgpack':
    case 'cbor':
    case 'protobuf': {
      // mockFormat refuses a protobuf reply without the mock's protobuf decode.
      const using: BinaryDecoder | undefined = payload.kind === 'protobuf' ? decoder : { as: payload.kind };
      if (using?.as !== payload.kind) return l10n.t('{0}: the mock has no protobuf decoder', payload.kind);
      const encoded = encodeValue(renderJson(payload.value, scope, context), using);
      return encoded.ok ? [Buffer.from(encoded.bytes.buffer, encoded.bytes.byteOffset, encoded.bytes.byteLength), true] : `${payload.kind}: ${encoded.error}`;
    }
    case 'text':
      return [renderTemplate(payload.text, context), false];
    case 'json':
      return [JSON.stringify(renderJson(payload.value, scope, context)) ?? 'null', false];
    case 'hex':
      return [Buffer.from(parseHex(renderTemplate(payload.hex, context))), true];
    case 'base64':
      return [Buffer.from(decodeBase64(renderTemplate(payload.base64, context))), true];
  }
}

function renderEmit(emit: MockEmit, scope: TemplateScope, context: TemplateContext): [string, unknown[]] {
  return [renderTemplate(emit.event, context), renderJson(emit.args, scope, context) as unknown[]];
}

/** The log's line for a new client, one whole sentence per case. */
function clientConnected(info: MockPeer['info'], kind: MockDefinition['kind']): string {
  const address = `${info.remoteAddress}:${info.remotePort}`;
  if (info.protocol === '') return l10n.t('Client {0} connected from {1} ({2})', info.id, address, info.url);
  return kind === 'socketio'
    ? l10n.t('Client {0} connected from {1} over {2} ({3})', info.id, address, info.protocol, info.url)
    : l10n.t('Client {0} connected from {1}, subprotocol {2} ({3})', info.id, address, info.protocol, info.url);
}

function describeRule(rule: MockRule): string {
  switch (rule.trigger) {
    case 'connect':
      return 'onConnect';
    case 'message':
      return rule.match.description;
    case 'every':
      return rule.broadcast ? l10n.t('every {0} ms to all clients', rule.intervalMs) : l10n.t('every {0} ms', rule.intervalMs);
  }
}
