/**
 * Saved endpoints grouped in collections: the shareable file format (import / export), the
 * tolerant reader for what the extension stored earlier, and pure operations on the list.
 * Files come from anywhere, so they are parsed with zod schemas: unknown keys (including
 * `__proto__`) are stripped, and every endpoint passes the same checks as the connection form.
 */
import './zod';
import * as z from 'zod/mini';
import type { Collection, Endpoint, EndpointOptions, Environment, FlowDefinition, HeaderRow, MockSource, SavedMessage, SocketIoOptions } from './protocol';
import { parseMock, parseMocks } from './mockFormat';
import { checkDecode, decodeFields } from './decodeConfig';
import { boundedString, connectionParamsSchema, environmentSchema, headerRowSchema, savedMessagesSchema, socketIoOptionsSchema } from './schemas';
import { checkEachFlow, checkFlows, describeFlowIssue, renameEndpointInFlows, type FlowIssue } from './flows';
import { copyMessage, isPayloadFormat, type MessagesChange } from './savedMessages';
import { checkEventName, checkSocketIoParams, DEFAULT_SOCKET_IO_OPTIONS } from './socketIo';
import { checkHeaders, checkSubprotocols, checkUrl } from './validation';
import { referencedNames, withPlaceholders } from './variables';
import { l10n } from './l10n';

/** Identifies our files, so another tool's JSON is refused with a clear sentence. */
export const COLLECTION_FILE_FORMAT = 'websocket-debugger-collection';
/** The file version this build writes; it also reads every earlier version. */
export const COLLECTION_FILE_VERSION = 3;
/** Version 1 files (no endpoint options) and version 2 files (no saved messages, no flows, no mocks) still import. */
const OLDEST_FILE_VERSION = 1;
/** The first version with `"flows"`. */
const FLOWS_FILE_VERSION = 3;
/** Longest collection or endpoint name, in UTF-16 code units (JavaScript string length). */
export const MAX_NAME_LENGTH = 200;

// An endpoint in a file is the connection form's fields (schemas.ts, which also validates the
// webview's messages), so an imported endpoint can always be put in the form and connected with.
const nameSchema = z.string({ error: () => l10n.t('expected a string') }).check(
  z.trim(),
  z.minLength(1, { error: () => l10n.t('must not be empty') }),
  z.maxLength(MAX_NAME_LENGTH, { error: () => l10n.t('must be at most {0} characters', MAX_NAME_LENGTH) }),
);

/** Socket.IO options in a file: every field optional, defaults filled in on import. */
const socketIoFileSchema = z.partial(socketIoOptionsSchema);

/**
 * Protocols and headers may be left out of a file (version 1 wrote them only when set); the
 * name comes first, then the form's fields in their order.
 */
const endpointFileSchema = z.object(
  {
    name: nameSchema,
    ...z.partial(connectionParamsSchema, { protocols: true, headers: true }).shape,
    socketio: z.optional(socketIoFileSchema),
    /** Saved messages: version 3 and later. */
    messages: z.optional(savedMessagesSchema),
  },
  { error: () => l10n.t('expected an object') },
);

/** The file's top level; exported for the generated JSON schema (collectionSchema.ts). */
export const collectionFileSchema = z.object({
  format: z.literal(COLLECTION_FILE_FORMAT),
  version: z.number().check(z.int(), z.gte(OLDEST_FILE_VERSION), z.lte(COLLECTION_FILE_VERSION)),
  name: nameSchema,
  endpoints: z.array(endpointFileSchema, { error: () => l10n.t('expected a list of endpoints') }),
  environments: z.optional(z.array(environmentSchema, { error: () => l10n.t('expected a list of environments') }).check(z.maxLength(50))),
  activeEnvironment: z.optional(boundedString(200)),
  // Checked step by step by checkFlows, which names the flow, step and field of a mistake.
  flows: z.optional(z.array(z.unknown(), { error: () => l10n.t('expected a list of flows') })),
  mocks: z.optional(z.array(z.record(z.string(), z.unknown(), { error: () => l10n.t('expected a mock server object') }), { error: () => l10n.t('expected a list of mock servers') })),
});

/** What the extension keeps in globalState: the in-memory shape, ids included. */
const storedEndpointSchema = z.extend(endpointFileSchema, {
  id: z.string().check(z.minLength(1)),
  protocols: z.array(z.string()),
  headers: z.array(headerRowSchema),
});

/** Socket.IO options with the defaults for what a file or storage left out. */
function socketIoOptionsFrom(file: z.infer<typeof socketIoFileSchema> | undefined): SocketIoOptions {
  return {
    namespace: file?.namespace ?? DEFAULT_SOCKET_IO_OPTIONS.namespace,
    path: file?.path ?? DEFAULT_SOCKET_IO_OPTIONS.path,
    transports: file?.transports ?? DEFAULT_SOCKET_IO_OPTIONS.transports,
    version: file?.version ?? DEFAULT_SOCKET_IO_OPTIONS.version,
    auth: file?.auth ?? DEFAULT_SOCKET_IO_OPTIONS.auth,
    query: copyHeaders(file?.query ?? []),
    reconnection: file?.reconnection ?? DEFAULT_SOCKET_IO_OPTIONS.reconnection,
    ackTimeoutSeconds: file?.ackTimeoutSeconds ?? DEFAULT_SOCKET_IO_OPTIONS.ackTimeoutSeconds,
  };
}
const storedCollectionSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: nameSchema,
  endpoints: z.array(z.unknown()),
  environments: z.optional(z.array(environmentSchema)),
  activeEnvironment: z.optional(z.string()),
  flows: z.optional(z.array(z.unknown())),
  mocks: z.optional(z.array(z.unknown())),
});

/**
 * Writes a collection in the file format (checked against the schema that reads it back); ids are
 * local to one installation and are left out.
 */
export function exportCollection(collection: Collection): string {
  const file = {
    format: COLLECTION_FILE_FORMAT,
    version: COLLECTION_FILE_VERSION,
    name: collection.name,
    endpoints: collection.endpoints.map((e) => ({
      name: e.name,
      ...(e.kind === 'socketio' ? { kind: e.kind, socketio: socketIoFileFields(e.socketio) } : {}),
      url: e.url,
      ...(e.protocols.length > 0 ? { protocols: e.protocols } : {}),
      ...(e.headers.length > 0 ? { headers: e.headers.map((h) => ({ name: h.name, value: h.value })) } : {}),
      ...withOptions(e.options),
      ...decodeFields(e.decode),
      ...messageFields(e.messages),
    })),
    ...environmentFields(collection),
    ...(collection.flows && collection.flows.length > 0 ? { flows: collection.flows } : {}),
    ...(collection.mocks && collection.mocks.length > 0 ? { mocks: collection.mocks } : {}),
  } satisfies z.input<typeof collectionFileSchema>;
  return JSON.stringify(file, null, 2) + '\n';
}

/** Socket.IO options for a file: only what differs from the defaults. */
function socketIoFileFields(options: SocketIoOptions | undefined): Partial<SocketIoOptions> {
  const out: Partial<SocketIoOptions> = {};
  if (!options) return out;
  const defaults = DEFAULT_SOCKET_IO_OPTIONS;
  if (options.namespace !== defaults.namespace) out.namespace = options.namespace;
  if (options.path !== defaults.path) out.path = options.path;
  if (options.transports !== defaults.transports) out.transports = options.transports;
  if (options.version !== defaults.version) out.version = options.version;
  if (options.auth !== defaults.auth) out.auth = options.auth;
  if (options.query.length > 0) out.query = copyHeaders(options.query);
  if (options.reconnection !== defaults.reconnection) out.reconnection = options.reconnection;
  if (options.ackTimeoutSeconds !== defaults.ackTimeoutSeconds) out.ackTimeoutSeconds = options.ackTimeoutSeconds;
  return out;
}

function pathInWords(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += (out === '' ? '' : '.') + String(key);
  }
  return out === '' ? l10n.t('the file') : out;
}

/** Keys that mean prototype pollution in JavaScript; a file carrying one is refused outright. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface JsonNode {
  value: unknown;
  key?: PropertyKey;
  parent?: JsonNode;
}

/**
 * The first forbidden key anywhere in parsed JSON, with its path. Iterative, and each node only
 * points at its parent, so a deeply nested file costs neither stack nor quadratic time.
 */
export function findForbiddenKey(data: unknown): { key: string; path: string } | undefined {
  const stack: JsonNode[] = [{ value: data }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, key: index, parent: node }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        const path: PropertyKey[] = [key];
        for (let at: JsonNode | undefined = node; at?.key !== undefined; at = at.parent) path.unshift(at.key);
        return { key, path: pathInWords(path) };
      }
      stack.push({ value: (value as Record<string, unknown>)[key], key, parent: node });
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How importCollection treats flows with mistakes. */
export interface ImportOptions {
  /**
   * Keep the flows that check and report the others in `flowIssues`, instead of refusing the
   * file: for a workspace's shared file, read again as it changes, where one typo in a flow
   * should not hide its endpoints and other flows.
   */
  keepGoodFlows?: boolean;
}

export type ImportResult = { ok: true; collection: Collection; flowIssues?: { index: number; issue: FlowIssue }[] } | { ok: false; error: string };

/** Reads a collection file; every refusal is a sentence for the user. Ids come from `newId`. */
export function importCollection(text: string, newId: () => string, options: ImportOptions = {}): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const cut = /end of JSON input|Unterminated/i.test(message);
    return { ok: false, error: cut ? l10n.t('Not a JSON file: {0} (the file ends too early: was it cut short?)', message) : l10n.t('Not a JSON file: {0}', message) };
  }
  const forbidden = findForbiddenKey(data);
  if (forbidden !== undefined) {
    return { ok: false, error: l10n.t('{0}: the key "{1}" is not allowed in a collection file', forbidden.path, forbidden.key) };
  }
  if (!isPlainObject(data) || data.format !== COLLECTION_FILE_FORMAT) {
    return {
      ok: false,
      error: l10n.t('Not a WebSocket Debugger collection: "format" must be "{0}"', COLLECTION_FILE_FORMAT),
    };
  }
  const version = data.version;
  if (typeof version === 'number' && Number.isInteger(version) && version > COLLECTION_FILE_VERSION) {
    return {
      ok: false,
      error: l10n.t('This collection was written by a newer version (version {0}); this version reads versions {1} to {2}', version, OLDEST_FILE_VERSION, COLLECTION_FILE_VERSION),
    };
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < OLDEST_FILE_VERSION) {
    return {
      ok: false,
      error: l10n.t('Unknown collection file version {0}; this version reads versions {1} to {2}', JSON.stringify(version) ?? 'undefined', OLDEST_FILE_VERSION, COLLECTION_FILE_VERSION),
    };
  }
  const parsed = collectionFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${pathInWords(issue.path)}: ${issue.message}` };
  }
  const endpoints: Endpoint[] = [];
  const names = new Set<string>();
  for (const [index, e] of parsed.data.endpoints.entries()) {
    const where = `Endpoint "${e.name}" (endpoints[${index}])`;
    if (names.has(e.name)) {
      return { ok: false, error: l10n.t('{0}: another endpoint in this collection has the same name', where) };
    }
    names.add(e.name);
    if (version === 1 && (e.kind !== undefined || e.socketio !== undefined)) {
      return { ok: false, error: l10n.t('{0}: "kind" and "socketio" need collection file version 2', where) };
    }
    const messages = checkMessages(e, version);
    if (typeof messages === 'string') return { ok: false, error: `${where}: ${messages}` };
    if (e.decode !== undefined) {
      const problem = checkDecode(e.decode);
      if (problem) return { ok: false, error: `${where}: ${problem}` };
    }
    if (e.kind === 'socketio') {
      const checked = checkSocketIoParams({
        url: e.url,
        protocols: [],
        headers: e.headers ?? [],
        kind: 'socketio',
        socketio: socketIoOptionsFrom(e.socketio),
        ...withOptions(e.options),
        ...decodeFields(e.decode),
      });
      if (!checked.ok) return { ok: false, error: `${where}: ${checked.error}` };
      endpoints.push({ id: '', name: e.name, ...checked.params, ...messages });
      continue;
    }
    // `{{name}}` references are checked as plain words and kept as written.
    const url = checkUrl(withPlaceholders(e.url));
    if (!url.ok) return { ok: false, error: `${where}: ${url.error}` };
    const protocols = checkSubprotocols((e.protocols ?? []).map(withPlaceholders));
    if (!protocols.ok) return { ok: false, error: `${where}: ${protocols.error}` };
    const headers = checkHeaders(e.headers ?? []);
    if (!headers.ok) return { ok: false, error: `${where}, headers[${headers.index}]: ${headers.error}` };
    endpoints.push({
      id: '',
      name: e.name,
      url: referencedNames(e.url).length > 0 ? e.url.trim() : url.url,
      protocols: (e.protocols ?? []).some((p) => referencedNames(p).length > 0) ? (e.protocols ?? []) : protocols.protocols,
      headers: headers.headers,
      ...withOptions(e.options),
      ...decodeFields(e.decode),
      ...messages,
    });
  }
  const collection: Collection = { id: newId(), name: parsed.data.name, endpoints, ...environmentFields(parsed.data) };
  let flowIssues: { index: number; issue: FlowIssue }[] | undefined;
  if (parsed.data.flows !== undefined) {
    if (version < FLOWS_FILE_VERSION) return { ok: false, error: l10n.t('"flows" needs collection file version {0}', FLOWS_FILE_VERSION) };
    const flows = options.keepGoodFlows ? checkEachFlow(parsed.data.flows, { endpoints }) : { ...checkFlows(parsed.data.flows, { endpoints }), issues: [] };
    if (!flows.ok) return { ok: false, error: describeFlowIssue(flows.issue) };
    if (flows.flows.length > 0) collection.flows = flows.flows;
    if (flows.issues.length > 0) flowIssues = flows.issues;
  }
  const mocks = parsed.data.mocks;
  if (mocks !== undefined) {
    if (version < 3) return { ok: false, error: l10n.t('"mocks" needs collection file version 3') };
    const checked = parseMocks(mocks);
    if (!checked.ok) return checked;
    if (mocks.length > 0) collection.mocks = mocks;
  }
  for (const e of endpoints) e.id = newId();
  return flowIssues ? { ok: true, collection, flowIssues } : { ok: true, collection };
}

/**
 * An endpoint's saved messages from a file, or why they cannot be used: names unique, and an
 * event name exactly on the messages of Socket.IO endpoints.
 */
function checkMessages(
  e: { kind?: string; messages?: SavedMessage[] },
  version: number,
): { messages?: SavedMessage[] } | string {
  if (e.messages === undefined) return {};
  if (version < 3) return l10n.t('"messages" needs collection file version 3');
  const names = new Set<string>();
  for (const [index, m] of e.messages.entries()) {
    const where = `messages[${index}] ("${m.name}")`;
    if (names.has(m.name)) return l10n.t('{0}: another message of this endpoint has the same name', where);
    names.add(m.name);
    if (e.kind === 'socketio') {
      if (m.event === undefined) return l10n.t('{0}: a Socket.IO endpoint\'s message needs an "event"', where);
      const eventError = checkEventName(m.event);
      if (eventError) return `${where}, event: ${eventError}`;
      if (!isPayloadFormat(m.format)) return l10n.t('{0}, format: Socket.IO arguments are "text", "json", "hex" or "base64"', where);
    } else if (m.event !== undefined || m.ack !== undefined) {
      return l10n.t('{0}: "event" and "ack" are for Socket.IO endpoints only', where);
    }
  }
  return messageFields(e.messages);
}

/** Messages as an endpoint keeps and writes them: left out when there are none. */
function messageFields(messages: readonly SavedMessage[] | undefined): { messages?: SavedMessage[] } {
  return messages && messages.length > 0 ? { messages: messages.map(copyMessage) } : {};
}

/** A flow's outer shape (a name and a list of step objects); its steps are checked where it runs. */
function isFlowShape(value: unknown): value is FlowDefinition {
  if (!isPlainObject(value) || typeof value.name !== 'string' || value.name.trim() === '' || !Array.isArray(value.steps)) return false;
  return value.steps.every(isPlainObject);
}

/**
 * Reads collections back from extension storage. Storage may hold anything (an older build,
 * a hand-edited profile), so invalid collections and endpoints are dropped, never thrown on.
 */
export function parseStoredCollections(value: unknown): Collection[] {
  if (!Array.isArray(value)) return [];
  const collections: Collection[] = [];
  const ids = new Set<string>();
  for (const item of value) {
    const c = storedCollectionSchema.safeParse(item);
    if (!c.success || ids.has(c.data.id)) continue;
    ids.add(c.data.id);
    const endpoints: Endpoint[] = [];
    for (const raw of c.data.endpoints) {
      const e = storedEndpointSchema.safeParse(raw);
      if (!e.success || ids.has(e.data.id)) continue;
      ids.add(e.data.id);
      const { socketio, kind, messages, decode, ...endpoint } = e.data;
      const kept = { ...endpoint, ...decodeFields(decode), ...messageFields(messages) };
      endpoints.push(kind === 'socketio' ? { ...kept, kind, socketio: socketIoOptionsFrom(socketio) } : kept);
    }
    const collection: Collection = { id: c.data.id, name: c.data.name, endpoints, ...environmentFields(c.data) };
    // Flows are kept as written even when they no longer check (an endpoint they name was
    // deleted): the Test Explorer shows such a flow with its mistake ("unknown endpoint ...")
    // instead of it vanishing. Only entries that are not flows at all are dropped.
    const flows = (c.data.flows ?? []).filter(isFlowShape);
    if (flows.length > 0) collection.flows = flows;
    // Mocks that no longer check (a hand-edited profile) are dropped, like endpoints.
    const mocks = (c.data.mocks ?? []).filter((m): m is MockSource => parseMock(m).ok && typeof m === 'object' && m !== null);
    if (mocks.length > 0) collection.mocks = mocks;
    collections.push(collection);
  }
  return collections;
}

/** An error sentence for a collection or endpoint name, or undefined when it is fine. */
export function validateName(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return l10n.t('Enter a name');
  if (trimmed.length > MAX_NAME_LENGTH) {
    return l10n.t('A name can be at most {0} characters; this one has {1}', MAX_NAME_LENGTH, trimmed.length);
  }
  return undefined;
}

/** A passphrase is kept only as a reference to a variable, never as the secret itself. */
const VARIABLE_REFERENCE = /^\{\{\s*[A-Za-z_][\w.-]*\s*\}\}$/;

/**
 * The options worth keeping with an endpoint: empty file paths dropped, and a passphrase only
 * when it names a variable. `{}` when nothing is left, so endpoints without options stay as
 * they were written.
 */
export function withOptions(options: EndpointOptions | undefined): { options?: EndpointOptions } {
  if (!options) return {};
  const kept: EndpointOptions = {};
  for (const [key, value] of Object.entries(options) as [keyof EndpointOptions, EndpointOptions[keyof EndpointOptions]][]) {
    if (value === undefined || value === '') continue;
    if (key === 'passphrase' && !VARIABLE_REFERENCE.test(String(value))) continue;
    (kept as Record<string, unknown>)[key] = value;
  }
  return Object.keys(kept).length > 0 ? { options: kept } : {};
}

/**
 * A collection's environments as they may be stored or written: a secret variable keeps its
 * name and the secret flag, never a value (the value lives in SecretStorage).
 */
function environmentFields(source: { environments?: Environment[]; activeEnvironment?: string }): {
  environments?: Environment[];
  activeEnvironment?: string;
} {
  if (!source.environments || source.environments.length === 0) return {};
  const environments = source.environments.map((env) => ({
    name: env.name,
    variables: env.variables.map((v) => (v.secret ? { name: v.name, value: '', secret: true } : { name: v.name, value: v.value })),
  }));
  const active = environments.some((env) => env.name === source.activeEnvironment) ? source.activeEnvironment : undefined;
  return active !== undefined ? { environments, activeEnvironment: active } : { environments };
}

/** Adds or replaces environment `environment.name` of a collection and makes it the active one. */
export function saveEnvironment(collections: Collection[], collectionId: string, environment: Environment): Collection[] {
  return collections.map((c) => {
    if (c.id !== collectionId) return c;
    const others = (c.environments ?? []).filter((env) => env.name !== environment.name);
    return { ...c, ...environmentFields({ environments: [...others, environment], activeEnvironment: environment.name }) };
  });
}

/** Makes `name` the active environment of a collection ('' for none). */
export function selectEnvironment(collections: Collection[], collectionId: string, name: string): Collection[] {
  return collections.map((c) => {
    if (c.id !== collectionId) return c;
    const rest: Collection = { ...c };
    delete rest.activeEnvironment;
    return name && c.environments?.some((env) => env.name === name) ? { ...rest, activeEnvironment: name } : rest;
  });
}

function copyHeaders(headers: readonly HeaderRow[]): HeaderRow[] {
  return headers.map((h) => ({ name: h.name, value: h.value }));
}

/**
 * Saves an endpoint under `collectionName` (names trimmed, compared exactly), creating the
 * collection if needed. Saving under an existing endpoint name replaces it and keeps its id,
 * so "save" after editing updates the endpoint rather than duplicating it.
 */
export function saveEndpoint(
  collections: Collection[],
  collectionName: string,
  endpoint: Omit<Endpoint, 'id'>,
  newId: () => string,
): { collections: Collection[]; endpoint: Endpoint } {
  const name = collectionName.trim();
  const endpointName = endpoint.name.trim();
  const fields = {
    name: endpointName,
    url: endpoint.url,
    protocols: [...endpoint.protocols],
    headers: copyHeaders(endpoint.headers),
    ...withOptions(endpoint.options),
    ...decodeFields(endpoint.decode),
    ...(endpoint.kind === 'socketio' ? { kind: endpoint.kind, socketio: socketIoOptionsFrom(endpoint.socketio) } : {}),
  };
  const target = collections.find((c) => c.name === name);
  if (target === undefined) {
    const collectionId = newId();
    const saved: Endpoint = { id: newId(), ...fields };
    return { collections: [...collections, { id: collectionId, name, endpoints: [saved] }], endpoint: saved };
  }
  const existing = target.endpoints.find((e) => e.name === endpointName);
  // Saving the form again must not lose the messages saved with the endpoint.
  const saved: Endpoint = { id: existing?.id ?? newId(), ...fields, ...messageFields(endpoint.messages ?? existing?.messages) };
  const endpoints = existing
    ? target.endpoints.map((e) => (e === existing ? saved : e))
    : [...target.endpoints, saved];
  return {
    collections: collections.map((c) => (c === target ? { ...c, endpoints } : c)),
    endpoint: saved,
  };
}

function mapEndpoints(
  collections: Collection[],
  endpointId: string,
  change: (endpoints: Endpoint[], index: number) => Endpoint[],
): Collection[] {
  return collections.map((c) => {
    const index = c.endpoints.findIndex((e) => e.id === endpointId);
    return index < 0 ? c : { ...c, endpoints: change(c.endpoints, index) };
  });
}

/** Renames an endpoint (trimmed); unknown ids leave the list as it was. */
export function renameEndpoint(collections: Collection[], endpointId: string, newName: string): Collection[] {
  const name = newName.trim();
  return collections.map((c) => {
    const endpoint = c.endpoints.find((e) => e.id === endpointId);
    if (!endpoint) return c;
    const renamed: Collection = { ...c, endpoints: c.endpoints.map((e) => (e.id === endpointId ? { ...e, name } : e)) };
    // The collection's flows name endpoints by name: they follow the rename.
    if (c.flows && endpoint.name !== name) renamed.flows = renameEndpointInFlows(c.flows, endpoint.name, name);
    return renamed;
  });
}

/**
 * Applies `change` to the messages of a saved endpoint. The collections are new only when the
 * change succeeded; an unknown endpoint is refused with a sentence.
 */
export function changeEndpointMessages(
  collections: Collection[],
  endpointId: string,
  change: (messages: readonly SavedMessage[]) => MessagesChange,
): { collections: Collection[]; result: MessagesChange } {
  const found = findEndpoint(collections, endpointId);
  if (!found) return { collections, result: { ok: false, error: l10n.t('This endpoint is not saved any more') } };
  const result = change(found.endpoint.messages ?? []);
  if (!result.ok) return { collections, result };
  const updated = mapEndpoints(collections, endpointId, (endpoints, index) =>
    endpoints.map((e, i) => {
      if (i !== index) return e;
      const rest: Endpoint = { ...e };
      delete rest.messages;
      return { ...rest, ...messageFields(result.messages) };
    }),
  );
  return { collections: updated, result };
}

/** Removes an endpoint; its collection stays, even when empty, so the user can refill it. */
export function deleteEndpoint(collections: Collection[], endpointId: string): Collection[] {
  return mapEndpoints(collections, endpointId, (endpoints, index) => endpoints.filter((_, i) => i !== index));
}

export function findEndpoint(
  collections: Collection[],
  endpointId: string,
): { collection: Collection; endpoint: Endpoint } | undefined {
  for (const collection of collections) {
    const endpoint = collection.endpoints.find((e) => e.id === endpointId);
    if (endpoint) return { collection, endpoint };
  }
  return undefined;
}

/**
 * Adds an imported collection without overwriting anything: a taken name becomes "Name (2)",
 * "Name (3)", ..., shortened if needed to stay within the name limit.
 */
export function addImportedCollection(collections: Collection[], imported: Collection): Collection[] {
  const taken = new Set(collections.map((c) => c.name));
  let name = imported.name;
  for (let n = 2; taken.has(name); n++) {
    const suffix = ` (${n})`;
    name = imported.name.slice(0, MAX_NAME_LENGTH - suffix.length).trimEnd() + suffix;
  }
  return [...collections, { ...imported, name }];
}
