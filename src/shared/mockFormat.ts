/**
 * The mock servers of a collection file (`"mocks": [...]`, docs/mocks.md): reading and checking
 * them into definitions the engine (src/core/mock) runs. Everything that can be checked before a
 * port is opened is checked here (close codes, regexes, hex, templates, which actions a kind of
 * mock has), and a refusal names the mock, the 1-based rule number and the field.
 */
import { checkCloseCode, checkCloseReason } from './closeCodes';
import { decodeBase64, parseHex } from './codecs';
import { checkDecode } from './decodeConfig';
import { andList, l10n } from './l10n';
import { compileMatch, matchKeyOf, type CompiledMatch } from './match';
import { compileJsonTemplates, compileTemplate, type Template, type TemplateScope } from './mockTemplate';
import { checkEventName } from './socketIo';
import type { DecodeConfig } from './protocol';
import { decodeSchema } from './schemas';
import { checkSubprotocols } from './validation';

export type MockKind = 'websocket' | 'socketio';

/** What a reply or broadcast of a plain WebSocket mock sends; strings are templates. */
export type MockPayload =
  | { kind: 'text'; text: Template }
  | { kind: 'json'; value: unknown }
  | { kind: 'hex'; hex: Template }
  | { kind: 'base64'; base64: Template }
  /** A JSON document (strings are templates) sent as one binary message in that encoding. */
  | { kind: 'msgpack'; value: unknown }
  | { kind: 'cbor'; value: unknown }
  | { kind: 'protobuf'; value: unknown };

/** A Socket.IO event to send; the event name and every string in the arguments are templates. */
export interface MockEmit {
  event: Template;
  args: readonly unknown[];
}

/** What a rule does, in this order: wait, reply, broadcast, emit, ack, close, drop. */
export interface MockAction {
  delayMs: number;
  reply?: MockPayload;
  /** To every client of the mock: a payload (WebSocket) or an event (Socket.IO). */
  broadcast?: MockPayload | MockEmit;
  emit?: MockEmit;
  ack?: readonly unknown[];
  /** WebSocket: a Close frame; Socket.IO: a server-side disconnect (no code). */
  close?: { code: number; reason: Template } | { code: undefined };
  drop: boolean;
  /** Split this rule's messages into frames of at most this many bytes (overrides the mock's). */
  fragment?: number;
}

export type MockRule =
  | { trigger: 'connect'; number: number; action: MockAction }
  | { trigger: 'message'; number: number; match: CompiledMatch; action: MockAction }
  | { trigger: 'every'; number: number; intervalMs: number; broadcast: boolean; action: MockAction };

export interface MockHandshakeRefusal {
  status: number;
  headers: [string, string][];
  body: string;
}

export interface MockDefinition {
  name: string;
  kind: MockKind;
  host: string;
  port: number;
  /** WebSocket: the request path clients connect to; Socket.IO: the Engine.IO path. */
  path: string;
  /** Socket.IO only: the namespace clients join. */
  namespace: string;
  protocols: string[];
  handshake?: MockHandshakeRefusal;
  tls: boolean;
  fallback: 'echo' | 'ignore';
  /** Bytes per second each connection sends at most (WebSocket). */
  throttle?: number;
  /** Frames of at most this many bytes for every message (WebSocket). */
  fragment?: number;
  /** Server pings; a pong that does not come within `timeoutMs` is reported. */
  ping?: { intervalMs: number; timeoutMs: number };
  /** Decode binary as (WebSocket): for `on: {"decoded": ...}` and `reply: {"protobuf": ...}`. */
  decode?: DecodeConfig;
  rules: MockRule[];
}

/** Longest delay or interval, in ms: setTimeout's limit. */
const MAX_MS = 2_147_483_647;
/** `every` faster than this would only burn the CPU of the machine that runs the client under test. */
const MIN_EVERY_MS = 10;
const MAX_MOCKS = 100;
const MAX_RULES = 1000;

class Refusal extends Error {}

/** Field paths read like the file: `reply.json.user`, `rules[2]`. */
function join(at: string, key: string): string {
  return at === '' ? key : key.startsWith('[') ? `${at}${key}` : `${at}.${key}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one mock; `where` prefixes every refusal. */
class MockReader {
  private prefix: string;
  private kind: MockKind = 'websocket';
  private decode: DecodeConfig | undefined;

  constructor(private readonly index: number) {
    this.prefix = `mocks[${index}]`;
  }

  private refuse(field: string, error: string): never {
    throw new Refusal(`${this.prefix}${field === '' ? '' : `, ${field}`}: ${error}`);
  }

  private keys(value: Record<string, unknown>, allowed: readonly string[], at: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.refuse(join(at, key), l10n.t('unknown key; expected one of {0}', allowed.map((k) => `"${k}"`).join(', ')));
    }
  }

  private integer(value: unknown, field: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.refuse(field, l10n.t('expected a whole number from {0} to {1}, got {2}', min, max, String(JSON.stringify(value))));
    }
    return value;
  }

  private string(value: unknown, field: string): string {
    if (typeof value !== 'string') {
      const got = JSON.stringify(value);
      this.refuse(field, got === undefined ? l10n.t('expected a string, got nothing') : l10n.t('expected a string, got {0}', got));
    }
    return value;
  }

  read(value: unknown): MockDefinition {
    if (!isObject(value)) this.refuse('', l10n.t('expected an object with "name", "kind" and "rules"'));
    const name = this.string(value.name, 'name').trim();
    if (name === '' || name.length > 200) this.refuse('name', l10n.t('a mock needs a name of 1 to {0} characters', 200));
    this.prefix = l10n.t('Mock "{0}" (mocks[{1}])', name, this.index);
    this.keys(
      value,
      ['name', 'kind', 'host', 'port', 'path', 'namespace', 'protocols', 'handshake', 'tls', 'fallback', 'throttle', 'fragment', 'ping', 'decode', 'rules'],
      '',
    );
    const kind = value.kind ?? 'websocket';
    if (kind !== 'websocket' && kind !== 'socketio') this.refuse('kind', l10n.t('expected "websocket" or "socketio", got {0}', String(JSON.stringify(kind))));
    this.kind = kind;
    const socketIo = kind === 'socketio';
    const host = value.host === undefined ? '127.0.0.1' : this.string(value.host, 'host').trim();
    if (host === '' || /[\s/]/.test(host)) this.refuse('host', l10n.t('expected an interface address such as "127.0.0.1", "::1" or "0.0.0.0"'));
    const port = value.port === undefined ? 0 : this.integer(value.port, 'port', 0, 65535);
    const path = value.path === undefined ? (socketIo ? '/socket.io' : '/') : this.string(value.path, 'path');
    if (!path.startsWith('/') || /[\s?#]/.test(path)) this.refuse('path', l10n.t('expected a path that starts with "/" (no spaces, query or fragment)'));
    let namespace = '/';
    if (value.namespace !== undefined) {
      if (!socketIo) this.refuse('namespace', l10n.t('only Socket.IO mocks have namespaces'));
      namespace = this.string(value.namespace, 'namespace');
      if (!namespace.startsWith('/')) this.refuse('namespace', l10n.t('a namespace starts with "/"'));
    }
    let protocols: string[] = [];
    if (value.protocols !== undefined) {
      if (socketIo) this.refuse('protocols', l10n.t('Socket.IO mocks do not negotiate subprotocols'));
      if (!Array.isArray(value.protocols) || !value.protocols.every((p) => typeof p === 'string')) this.refuse('protocols', l10n.t('expected a list of strings'));
      const checked = checkSubprotocols(value.protocols as string[]);
      if (!checked.ok) this.refuse('protocols', checked.error);
      protocols = checked.protocols;
    }
    const handshake = value.handshake === undefined ? undefined : this.handshake(value.handshake);
    if (value.tls !== undefined && typeof value.tls !== 'boolean') this.refuse('tls', l10n.t('expected true or false'));
    const fallback = value.fallback ?? 'echo';
    if (fallback !== 'echo' && fallback !== 'ignore') this.refuse('fallback', l10n.t('expected "echo" or "ignore", got {0}', String(JSON.stringify(fallback))));
    if (socketIo && value.throttle !== undefined) this.refuse('throttle', l10n.t('only plain WebSocket mocks can be throttled (Socket.IO frames its own packets)'));
    if (socketIo && value.fragment !== undefined) this.refuse('fragment', l10n.t('only plain WebSocket mocks send fragmented messages'));
    const throttle = value.throttle === undefined ? undefined : this.integer(value.throttle, 'throttle', 1, 1024 ** 3);
    const fragment = value.fragment === undefined ? undefined : this.integer(value.fragment, 'fragment', 1, 1024 ** 3);
    const ping = value.ping === undefined ? undefined : this.ping(value.ping);
    if (value.decode !== undefined) {
      if (socketIo) this.refuse('decode', l10n.t('only plain WebSocket mocks decode binary messages'));
      this.decode = this.decodeConfig(value.decode);
    }
    if (!Array.isArray(value.rules)) {
      if (value.rules !== undefined) this.refuse('rules', l10n.t('expected a list of rules'));
    }
    const rawRules = (value.rules as unknown[] | undefined) ?? [];
    if (rawRules.length > MAX_RULES) this.refuse('rules', l10n.t('at most {0} rules', MAX_RULES));
    const rules = rawRules.map((rule, i) => this.rule(rule, i + 1));
    return {
      name,
      kind,
      host,
      port,
      path,
      namespace,
      protocols,
      ...(handshake ? { handshake } : {}),
      tls: value.tls === true,
      fallback,
      ...(throttle !== undefined ? { throttle } : {}),
      ...(fragment !== undefined ? { fragment } : {}),
      ...(ping ? { ping } : {}),
      ...(this.decode ? { decode: this.decode } : {}),
      rules,
    };
  }

  private decodeConfig(value: unknown): DecodeConfig {
    const parsed = decodeSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.refuse(join('decode', issue?.path.map(String).join('.') ?? ''), issue?.message ?? l10n.t('expected {"as": "msgpack" | "cbor" | "protobuf"}'));
    }
    const problem = checkDecode(parsed.data);
    if (problem) this.refuse('decode', problem.replace(/^"decode": /, ''));
    return parsed.data;
  }

  private handshake(value: unknown): MockHandshakeRefusal {
    if (!isObject(value)) this.refuse('handshake', l10n.t('expected {"status": 401, "headers": {...}, "body": "..."}'));
    this.keys(value, ['status', 'headers', 'body'], 'handshake');
    const status = this.integer(value.status, 'handshake.status', 100, 599);
    if (status < 200) this.refuse('handshake.status', status === 101 ? l10n.t('101 would accept the upgrade; a refusal is a status from 200 to 599') : l10n.t('a 1xx status is not an answer; a refusal is a status from 200 to 599'));
    const headers: [string, string][] = [];
    if (value.headers !== undefined) {
      if (!isObject(value.headers)) this.refuse('handshake.headers', l10n.t('expected an object of header names and values'));
      for (const [name, header] of Object.entries(value.headers)) {
        if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) this.refuse(`handshake.headers.${name}`, l10n.t('not a valid header name'));
        const text = this.string(header, `handshake.headers.${name}`);
        if (/[\r\n\x00]/.test(text)) this.refuse(`handshake.headers.${name}`, l10n.t('a header value cannot contain line breaks'));
        headers.push([name, text]);
      }
    }
    const body = value.body === undefined ? '' : this.string(value.body, 'handshake.body');
    return { status, headers, body };
  }

  private ping(value: unknown): { intervalMs: number; timeoutMs: number } {
    if (!isObject(value)) this.refuse('ping', l10n.t('expected {"every": <ms>, "timeout": <ms>}'));
    this.keys(value, ['every', 'timeout'], 'ping');
    const intervalMs = this.integer(value.every, 'ping.every', 100, MAX_MS);
    const timeoutMs = value.timeout === undefined ? intervalMs : this.integer(value.timeout, 'ping.timeout', 10, MAX_MS);
    return { intervalMs, timeoutMs };
  }

  private rule(value: unknown, number: number): MockRule {
    const at = l10n.t('rule {0}', number);
    if (!isObject(value)) this.refuse(at, l10n.t('expected an object with "onConnect", "on" or "every"'));
    const triggers = ['onConnect', 'on', 'every'].filter((key) => key in value);
    if (triggers.length !== 1) {
      this.refuse(
        at,
        triggers.length === 0
          ? l10n.t('a rule starts with "onConnect", "on" or "every"')
          : l10n.t('one trigger per rule, found {0}', andList(triggers.map((t) => `"${t}"`))),
      );
    }
    const socketIo = this.kind === 'socketio';
    if ('onConnect' in value) {
      this.keys(value, ['onConnect'], at);
      if (!isObject(value.onConnect)) this.refuse(`${at}, onConnect`, l10n.t('expected an action object, e.g. {"reply": {"text": "hello"}}'));
      const action = this.action(value.onConnect, `${at}, onConnect.`, { hasMessage: false, socketIo }, 'connect');
      return { trigger: 'connect', number, action };
    }
    if ('on' in value) {
      const compiled = compileMatch(value.on);
      if (!compiled.ok) this.refuse(`${at}, ${join('on', compiled.field)}`, compiled.error);
      const key = matchKeyOf(value.on);
      const forSocketIo = key === 'event';
      if (forSocketIo !== socketIo || key === 'pong' || key === 'close' || key === 'ack') {
        this.refuse(
          `${at}, on`,
          socketIo
            ? l10n.t('a Socket.IO mock matches events: {"event": "<name>", "args": [...]}')
            : l10n.t('a WebSocket mock matches messages with "text", "contains", "regex", "json", "hex" or "decoded"'),
        );
      }
      if (key === 'decoded' && !this.decode) this.refuse(`${at}, on.decoded`, l10n.t('the mock has no "decode" (e.g. {"as": "msgpack"}), so no message is decoded'));
      // Decoded event arguments are read by flows; a Socket.IO mock matches "args" as they arrive.
      if (key === 'event' && (value.on as { decoded?: unknown }).decoded !== undefined) this.refuse(`${at}, on.decoded`, l10n.t('a Socket.IO mock matches "event" and "args"; "decoded" event arguments are for flows'));
      const action = this.action(value, `${at}, `, { hasMessage: true, socketIo }, 'message', ['on']);
      return { trigger: 'message', number, match: compiled.matcher, action };
    }
    const intervalMs = this.integer(value.every, `${at}, every`, MIN_EVERY_MS, MAX_MS);
    const broadcast = value.broadcast === true;
    const rest = broadcast ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'broadcast')) : value;
    const action = this.action(rest, `${at}, `, { hasMessage: false, socketIo }, 'every', ['every']);
    return { trigger: 'every', number, intervalMs, broadcast, action };
  }

  private action(
    value: Record<string, unknown>,
    at: string,
    scope: TemplateScope,
    trigger: MockRule['trigger'],
    extra: readonly string[] = [],
  ): MockAction {
    const socketIo = scope.socketIo;
    const allowed = socketIo ? ['delay', 'broadcast', 'emit', 'ack', 'close', 'drop'] : ['delay', 'reply', 'broadcast', 'close', 'drop', 'fragment'];
    for (const key of Object.keys(value)) {
      if (extra.includes(key) || allowed.includes(key)) continue;
      if (key === 'reply' && socketIo) this.refuse(`${at}reply`, l10n.t('a Socket.IO mock answers with "emit" (or "ack")'));
      if ((key === 'emit' || key === 'ack') && !socketIo) this.refuse(`${at}${key}`, l10n.t('"{0}" is for Socket.IO mocks; a WebSocket mock uses "reply"', key));
      this.refuse(`${at}${key}`, l10n.t('unknown action; expected one of {0}', allowed.map((k) => `"${k}"`).join(', ')));
    }
    const action: MockAction = { delayMs: 0, drop: false };
    if (value.delay !== undefined) action.delayMs = this.integer(value.delay, `${at}delay`, 0, MAX_MS);
    if (value.reply !== undefined) action.reply = this.payload(value.reply, `${at}reply`, scope);
    if (value.broadcast !== undefined) {
      action.broadcast = socketIo ? this.emit(value.broadcast, `${at}broadcast`, scope) : this.payload(value.broadcast, `${at}broadcast`, scope);
    }
    if (value.emit !== undefined) action.emit = this.emit(value.emit, `${at}emit`, scope);
    if (value.ack !== undefined) {
      if (trigger !== 'message') this.refuse(`${at}ack`, l10n.t('only an event can be acknowledged: use "ack" in an "on" rule'));
      if (!Array.isArray(value.ack)) this.refuse(`${at}ack`, l10n.t("expected the list of the ack's arguments"));
      this.templates(value.ack, `${at}ack`, scope);
      action.ack = value.ack;
    }
    if (value.close !== undefined) action.close = this.close(value.close, `${at}close`, scope);
    if (value.drop !== undefined) {
      if (typeof value.drop !== 'boolean') this.refuse(`${at}drop`, l10n.t('expected true (destroy the connection without a Close frame)'));
      action.drop = value.drop;
    }
    if (value.fragment !== undefined) action.fragment = this.integer(value.fragment, `${at}fragment`, 1, 1024 ** 3);
    const acts = action.reply ?? action.broadcast ?? action.emit ?? action.ack ?? action.close ?? (action.drop || undefined);
    // An "on" rule without an action swallows what it matches (no echo); elsewhere it would do nothing.
    if (acts === undefined && trigger !== 'message') {
      this.refuse(at.replace(/, (onConnect\.)?$/, ''), l10n.t('the rule has no action ("reply", "broadcast", "close", "drop"...)'));
    }
    return action;
  }

  private templates(value: unknown, field: string, scope: TemplateScope): void {
    const checked = compileJsonTemplates(value, scope);
    if (!checked.ok) this.refuse(join(field, checked.field), checked.error);
  }

  private template(value: unknown, field: string, scope: TemplateScope): Template {
    const compiled = compileTemplate(this.string(value, field), scope);
    if (!compiled.ok) this.refuse(field, compiled.error);
    return compiled.template;
  }

  private payload(value: unknown, field: string, scope: TemplateScope): MockPayload {
    if (!isObject(value)) this.refuse(field, l10n.t('expected {"text" | "json" | "hex" | "base64" | "msgpack" | "cbor" | "protobuf": ...}'));
    const keys = Object.keys(value);
    if (keys.length !== 1 || !['text', 'json', 'hex', 'base64', 'msgpack', 'cbor', 'protobuf'].includes(keys[0])) {
      this.refuse(field, l10n.t('expected exactly one of "text", "json", "hex", "base64", "msgpack", "cbor", "protobuf"'));
    }
    const key = keys[0];
    const at = `${field}.${key}`;
    switch (key) {
      case 'text':
        return { kind: 'text', text: this.template(value.text, at, scope) };
      case 'json':
        this.templates(value.json, at, scope);
        return { kind: 'json', value: value.json };
      case 'msgpack':
      case 'cbor':
        this.templates(value[key], at, scope);
        return key === 'msgpack' ? { kind: key, value: value[key] } : { kind: key, value: value[key] };
      case 'protobuf':
        if (this.decode?.as !== 'protobuf') this.refuse(at, l10n.t('the mock needs "decode": {"as": "protobuf", "proto": ..., "type": ...} to send Protobuf'));
        this.templates(value.protobuf, at, scope);
        return { kind: 'protobuf', value: value.protobuf };
      case 'hex': {
        const hex = this.template(value.hex, at, scope);
        if (hex.parts.every((p) => typeof p === 'string')) this.bytes(() => parseHex(value.hex as string), at);
        return { kind: 'hex', hex };
      }
      default: {
        const base64 = this.template(value.base64, at, scope);
        if (base64.parts.every((p) => typeof p === 'string')) this.bytes(() => decodeBase64(value.base64 as string), at);
        return { kind: 'base64', base64 };
      }
    }
  }

  private bytes(decode: () => Uint8Array, field: string): void {
    try {
      decode();
    } catch (error) {
      this.refuse(field, error instanceof Error ? error.message : String(error));
    }
  }

  private emit(value: unknown, field: string, scope: TemplateScope): MockEmit {
    if (!isObject(value)) this.refuse(field, l10n.t('expected {"event": "<name>", "args": [...]}'));
    this.keys(value, ['event', 'args'], field);
    const event = this.template(value.event, `${field}.event`, scope);
    if (event.parts.every((p) => typeof p === 'string')) {
      const bad = checkEventName(value.event as string);
      if (bad !== undefined) this.refuse(`${field}.event`, bad);
    }
    if (value.args !== undefined && !Array.isArray(value.args)) this.refuse(`${field}.args`, l10n.t('expected a list of arguments'));
    const args = (value.args as unknown[] | undefined) ?? [];
    this.templates(args, `${field}.args`, scope);
    return { event, args };
  }

  private close(value: unknown, field: string, scope: TemplateScope): MockAction['close'] {
    if (!isObject(value)) this.refuse(field, this.kind === 'socketio' ? l10n.t('expected {} (a Socket.IO disconnect)') : l10n.t('expected {"code": 1000, "reason": "..."}'));
    if (this.kind === 'socketio') {
      this.keys(value, [], field);
      return { code: undefined };
    }
    this.keys(value, ['code', 'reason'], field);
    const code = value.code === undefined ? 1000 : value.code;
    if (typeof code !== 'number') this.refuse(`${field}.code`, l10n.t('expected a close code (a whole number)'));
    const verdict = checkCloseCode(code);
    if (!verdict.ok) this.refuse(`${field}.code`, l10n.t('{0}; to end a connection without a Close frame use "drop": true', verdict.reason));
    const reason = value.reason === undefined ? '' : this.string(value.reason, `${field}.reason`);
    const template = this.template(reason, `${field}.reason`, scope);
    if (template.parts.every((p) => typeof p === 'string')) {
      const tooLong = checkCloseReason(reason);
      if (tooLong !== undefined) this.refuse(`${field}.reason`, tooLong);
    }
    return { code, reason: template };
  }
}

type MocksResult = { ok: true; mocks: MockDefinition[] } | { ok: false; error: string };

/** Reads the `"mocks"` list of a collection file. */
export function parseMocks(value: unknown): MocksResult {
  if (!Array.isArray(value)) return { ok: false, error: l10n.t('mocks: expected a list of mock servers') };
  if (value.length > MAX_MOCKS) return { ok: false, error: l10n.t('mocks: at most {0} mock servers in one file', MAX_MOCKS) };
  const mocks: MockDefinition[] = [];
  const names = new Set<string>();
  for (const [index, raw] of value.entries()) {
    const parsed = parseMock(raw, index);
    if (!parsed.ok) return parsed;
    if (names.has(parsed.mock.name)) return { ok: false, error: l10n.t('Mock "{0}" (mocks[{1}]): another mock in this file has the same name', parsed.mock.name, index) };
    names.add(parsed.mock.name);
    mocks.push(parsed.mock);
  }
  return { ok: true, mocks };
}

/** Reads one mock (`index`: its place in the file's list, for the refusal). */
export function parseMock(value: unknown, index = 0): { ok: true; mock: MockDefinition } | { ok: false; error: string } {
  try {
    return { ok: true, mock: new MockReader(index).read(value) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.message };
    throw error;
  }
}
