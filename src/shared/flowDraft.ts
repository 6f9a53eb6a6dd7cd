/**
 * "Save as flow": the log entries a panel shows turned into a flow draft for the user to edit and
 * paste into the "flows" of a collection file. Sent messages become `send` steps and received ones
 * `expect` steps (text → "text", JSON → "json", binary → "hex"); Socket.IO events become `emit`
 * and `expect` event steps, an ack an `expect` ack. A `connect` step comes first and a `close`
 * last. Lifecycle entries (open, close, errors, info) and keep-alive pings are left out. Pure.
 */
import { decodeBase64, formatHex, utf8Decode } from './codecs';
import type { FlowDefinition, LogEntry, Payload } from './protocol';

/** The first step's name says what the draft is for, where the user will read it first. */
export const DRAFT_NOTE = 'Draft from the log: edit it, then paste this flow into "flows" of a collection file';

/** A text payload as JSON when it holds an object or an array (what servers send as JSON), else undefined. */
function asJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

function hexOf(payload: Extract<Payload, { kind: 'binary' }>): string {
  return formatHex(decodeBase64(payload.base64));
}

/** The body of a send step, or the match of an expect step, for a message payload. */
function bodyOf(payload: Payload): Record<string, unknown> {
  if (payload.kind === 'binary') return { hex: hexOf(payload) };
  const json = asJson(payload.text);
  return json === undefined ? { text: payload.text } : { json };
}

/** A Socket.IO argument as the flow writes it: its JSON value; binary as the runner observes it. */
function argumentOf(payload: Payload): unknown {
  if (payload.kind === 'binary') return { '<binary>': payload.base64 };
  try {
    return JSON.parse(payload.text) as unknown;
  } catch {
    return payload.text;
  }
}

function textOf(payload: Payload | undefined): string {
  if (!payload) return '';
  return payload.kind === 'text' ? payload.text : utf8Decode(decodeBase64(payload.base64));
}

/** `note` names the connect step: where the flow came from (a HAR import names the file's exchange). */
export function flowDraft(entries: readonly LogEntry[], endpointName: string, flowName: string, note: string = DRAFT_NOTE): FlowDefinition {
  const acked = new Set(entries.flatMap((e) => (e.kind === 'ack' && e.event?.emitNumber !== undefined ? [e.event.emitNumber] : [])));
  const steps: Record<string, unknown>[] = [{ name: note, connect: endpointName }];
  for (const entry of entries) {
    const step = stepOf(entry, acked);
    if (step) steps.push(step);
  }
  steps.push({ close: {} });
  return { name: flowName, steps };
}

function stepOf(entry: LogEntry, acked: ReadonlySet<number>): Record<string, unknown> | undefined {
  switch (entry.kind) {
    case 'message':
      if (!entry.payload) return undefined;
      if (entry.direction === 'sent') return { send: bodyOf(entry.payload) };
      if (entry.direction === 'received') return { expect: bodyOf(entry.payload) };
      return undefined;
    case 'event': {
      const event = entry.event;
      if (!event) return undefined;
      const args = event.args.map(argumentOf);
      if (entry.direction === 'sent') {
        const ack = event.emitNumber !== undefined && acked.has(event.emitNumber);
        return { emit: { event: event.name, ...(args.length > 0 ? { args } : {}), ...(ack ? { ack: true } : {}) } };
      }
      return entry.direction === 'received' ? { expect: { event: event.name, ...(args.length > 0 ? { args } : {}) } } : undefined;
    }
    case 'ack':
      return entry.event && entry.direction === 'received' ? { expect: { ack: entry.event.args.map(argumentOf) } } : undefined;
    case 'ping':
      // Keep-alive pings are the connection's own, not the user's.
      return entry.direction === 'sent' && entry.detail !== 'keep-alive' ? { ping: textOf(entry.payload) } : undefined;
    case 'pong':
    case 'open':
    case 'close':
    case 'error':
    case 'info':
      return undefined;
  }
}
