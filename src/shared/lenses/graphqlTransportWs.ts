/**
 * The graphql-transport-ws lens (the protocol of the `graphql-ws` library): JSON messages with a
 * `type`, operations identified by `id`. `subscribe` opens an operation; its `next`, `error` and
 * `complete` messages are paired with it by id and show the time since it was subscribed.
 * The older subscriptions-transport-ws names (`start`, `data`, `stop`, `ka`), which servers
 * negotiating `graphql-ws` still speak, are read as their counterparts.
 */
import { l10n } from '../l10n';
import type { LensView } from '../model';
import { arrow, BoundedMap, clip, formatLatency, frameText, jsonField, opposite, type Lens, type LensFrame } from './lens';

interface Operation {
  time: number;
  /** The operation's name, or its first field when it has none. */
  name: string;
}

/** The legacy names, read as the graphql-transport-ws message they stand for. */
const LEGACY: Record<string, string> = { start: 'subscribe', data: 'next', stop: 'complete', ka: 'ka' };

export class GraphqlTransportWsLens implements Lens {
  readonly name = 'graphql-transport-ws' as const;
  /** Operations by the direction of their subscribe and their id. */
  private readonly operations = new BoundedMap<string, Operation>();

  observe(frame: LensFrame): LensView | undefined {
    const text = frameText(frame.data);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return this.error(l10n.t('not JSON'), text);
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) return this.error(l10n.t('not a JSON object'), text);
    const record = message as Record<string, unknown>;
    if (typeof record.type !== 'string') return this.error(l10n.t('no "type"'), text);
    const type = LEGACY[record.type] ?? record.type;
    const id = typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : undefined;
    const fields: [string, string][] = [['Type', record.type]];
    if (id !== undefined) fields.push(['Id', id]);
    const go = arrow(frame.direction);

    switch (type) {
      case 'subscribe': {
        const payload = objectOf(record.payload);
        const query = typeof payload.query === 'string' ? payload.query : '';
        const name = typeof payload.operationName === 'string' && payload.operationName !== '' ? payload.operationName : operationLabel(query);
        if (id !== undefined) this.operations.set(`${frame.direction}:${id}`, { time: frame.time, name });
        if (name) fields.push(['Operation', name]);
        if (query) fields.push(['Query', clip(query.trim())]);
        if (payload.variables !== undefined) fields.push(['Variables', jsonField(payload.variables)]);
        if (payload.extensions !== undefined) fields.push(['Extensions', jsonField(payload.extensions)]);
        return this.view(`${go} subscribe${idText(id)}${name ? ` ${name}` : ''}`, fields);
      }
      case 'next':
      case 'error':
      case 'complete': {
        // A server's next/error/complete answers our subscribe; a complete we send ends our own.
        const key = (from: LensFrame['direction']) => `${from}:${id ?? ''}`;
        const mine = type === 'complete' ? this.operations.get(key(frame.direction)) : undefined;
        const answered = mine ?? this.operations.get(key(opposite(frame.direction)));
        const ended = type !== 'next';
        if (ended && id !== undefined) this.operations.take(mine ? key(frame.direction) : key(opposite(frame.direction)));
        if (answered?.name) fields.push(['Operation', answered.name]);
        let detail = '';
        if (type === 'next') {
          const payload = objectOf(record.payload);
          if (payload.data !== undefined) fields.push(['Data', jsonField(payload.data)]);
          if (payload.errors !== undefined) {
            fields.push(['Errors', jsonField(payload.errors)]);
            detail = ` (errors: ${firstMessage(payload.errors)})`;
          }
        } else if (type === 'error') {
          fields.push(['Errors', jsonField(record.payload)]);
          detail = `: ${firstMessage(record.payload)}`;
        }
        const latency = answered ? ` ${formatLatency(frame.time - answered.time)}` : '';
        if (answered) fields.push([type === 'next' ? 'Since subscribe' : 'Duration', formatLatency(frame.time - answered.time)]);
        return this.view(`${go} ${type}${idText(id)}${latency}${detail}`, fields);
      }
      case 'connection_init':
      case 'connection_ack':
      case 'ping':
      case 'pong':
      case 'ka':
      case 'connection_error':
      case 'connection_terminate':
        if (record.payload !== undefined) fields.push(['Payload', jsonField(record.payload)]);
        return this.view(`${go} ${record.type}`, fields);
      default:
        if (record.payload !== undefined) fields.push(['Payload', jsonField(record.payload)]);
        return { lens: this.name, summary: `${go} ${clip(record.type, 60)} (unknown type)`, fields };
    }
  }

  private view(summary: string, fields: [string, string][]): LensView {
    return { lens: this.name, summary, fields };
  }

  private error(why: string, text: string): LensView {
    const error = l10n.t('Not a graphql-transport-ws message: {0}', why);
    return { lens: this.name, summary: error, fields: [['Text', clip(text, 200)]], error };
  }
}

function objectOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function idText(id: string | undefined): string {
  return id === undefined ? '' : ` #${clip(id, 40)}`;
}

/**
 * The operation's name from its query text (`subscription OnPrice { … }` gives OnPrice), else
 * its first field (`subscription { prices { … } }` gives prices).
 */
export function operationLabel(query: string): string {
  const named = /^\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query);
  if (named) return named[1] as string;
  const field = /\{\s*(?:[_A-Za-z][_0-9A-Za-z]*\s*:\s*)?([_A-Za-z][_0-9A-Za-z]*)/.exec(query);
  return field ? (field[1] as string) : '';
}

/** The first `message` of a GraphQL errors list, for the summary. */
function firstMessage(errors: unknown): string {
  const first = Array.isArray(errors) ? (errors[0] as unknown) : errors;
  const message = objectOf(first).message;
  return typeof message === 'string' ? clip(message, 120) : l10n.t('see the fields');
}
