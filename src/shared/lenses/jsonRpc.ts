/**
 * The JSON-RPC 2.0 lens: requests (`method` with an `id`), notifications (`method`, no `id`) and
 * responses (`result` or `error` with the request's `id`). A response is paired with the request
 * of the same id that went the other way, which gives its method and latency. Batches (arrays)
 * are read member by member.
 */
import { l10n } from '../l10n';
import type { LensView } from '../model';
import { arrow, BoundedMap, clip, formatLatency, frameText, jsonField, MAX_LISTED, MAX_READ, opposite, type Lens, type LensFrame } from './lens';

interface Pending {
  time: number;
  method: string;
}

/** Members of a batch named in its summary; the fields list all of them. */
const SUMMARY_MEMBERS = 3;

export class JsonRpcLens implements Lens {
  readonly name = 'jsonrpc' as const;
  /** Requests waiting for their response, by direction and id. */
  private readonly pending = new BoundedMap<string, Pending>();

  observe(frame: LensFrame): LensView | undefined {
    const text = frameText(frame.data);
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return this.error(l10n.t('not JSON'), text);
    }
    if (Array.isArray(message)) {
      if (message.length === 0) return this.error(l10n.t('an empty batch'), text);
      const members = message.slice(0, MAX_READ).map((member) => this.member(member, frame));
      const fields: [string, string][] = [['Batch', `${message.length} messages`]];
      members.slice(0, MAX_LISTED).forEach((member, index) => {
        for (const [name, value] of member.fields) fields.push([`[${index + 1}] ${name}`, value]);
      });
      if (members.length > MAX_LISTED) fields.push(['Not listed', l10n.t('{0} more members', members.length - MAX_LISTED)]);
      if (message.length > MAX_READ) fields.push(['Not read', l10n.t('members after the first {0}', MAX_READ)]);
      const shown = members.slice(0, SUMMARY_MEMBERS).map((member) => member.summary.replace(/^[→←] /, ''));
      const more = members.length > SUMMARY_MEMBERS ? `, +${members.length - SUMMARY_MEMBERS}` : '';
      const view: LensView = { lens: this.name, summary: `${arrow(frame.direction)} batch of ${message.length}: ${shown.join(', ')}${more}`, fields };
      const failed = members.find((member) => member.error !== undefined);
      if (failed) view.error = failed.error;
      return view;
    }
    return this.member(message, frame);
  }

  private member(message: unknown, frame: LensFrame): LensView {
    const go = arrow(frame.direction);
    if (message === null || typeof message !== 'object' || Array.isArray(message)) return this.error(l10n.t('not a JSON object'), jsonField(message));
    const record = message as Record<string, unknown>;
    const fields: [string, string][] = [];
    const version = record.jsonrpc;
    const id = record.id;
    const idValid = id === undefined || id === null || typeof id === 'string' || typeof id === 'number';
    const idLabel = id === undefined || id === null ? '' : ` #${clip(typeof id === 'string' ? id : String(id), 40)}`;
    const problems: string[] = [];
    if (version !== '2.0') problems.push(version === undefined ? l10n.t('"jsonrpc" is missing, not "2.0"') : l10n.t('"jsonrpc" is {0}, not "2.0"', jsonField(version)));
    if (!idValid) problems.push(l10n.t('"id" is not a string, number or null'));

    if (typeof record.method === 'string') {
      const method = record.method;
      const notification = id === undefined;
      fields.push(['Kind', notification ? 'notification' : 'request'], ['Method', method]);
      if (!notification) fields.push(['Id', jsonField(id)]);
      if (record.params !== undefined) fields.push(['Params', jsonField(record.params)]);
      if (!notification && idValid) this.pending.set(`${frame.direction}:${jsonField(id)}`, { time: frame.time, method });
      const summary = notification ? `${go} notification ${clip(method, 80)}` : `${go} ${clip(method, 80)}${idLabel}`;
      return this.checked(summary, fields, problems);
    }

    const hasResult = 'result' in record;
    const hasError = 'error' in record;
    if (!hasResult && !hasError) return this.error(l10n.t('no "method", "result" or "error"'), jsonField(message));
    if (hasResult && hasError) problems.push(l10n.t('both "result" and "error"'));
    const request = idValid && id !== undefined ? this.pending.take(`${opposite(frame.direction)}:${jsonField(id)}`) : undefined;
    fields.push(['Kind', hasError ? 'error response' : 'result'], ['Id', jsonField(id)]);
    if (request) fields.push(['Request method', request.method], ['Latency', formatLatency(frame.time - request.time)]);
    const latency = request ? ` ${formatLatency(frame.time - request.time)}` : '';
    if (hasError) {
      const error = record.error !== null && typeof record.error === 'object' ? (record.error as Record<string, unknown>) : {};
      const code = typeof error.code === 'number' ? error.code : undefined;
      const text = typeof error.message === 'string' ? error.message : '';
      if (code !== undefined) fields.push(['Error code', `${code}${standardMeaning(code)}`]);
      if (text) fields.push(['Error message', clip(text)]);
      if (error.data !== undefined) fields.push(['Error data', jsonField(error.data)]);
      if (code === undefined || typeof error.message !== 'string') problems.push(l10n.t('"error" needs a numeric "code" and a "message"'));
      const words = [code !== undefined ? String(code) : '', clip(text, 80)].filter((part) => part !== '').join(' ');
      return this.checked(`${go} error${idLabel}${words ? ` ${words}` : ''}${latency}`, fields, problems);
    }
    fields.push(['Result', jsonField(record.result)]);
    return this.checked(`${go} result${idLabel}${latency}`, fields, problems);
  }

  private checked(summary: string, fields: [string, string][], problems: string[]): LensView {
    const view: LensView = { lens: this.name, summary, fields };
    if (problems.length > 0) {
      view.error = l10n.t('Not quite JSON-RPC 2.0: {0}', problems.join('; '));
      fields.push(['Problem', view.error]);
    }
    return view;
  }

  private error(why: string, text: string): LensView {
    const error = l10n.t('Not a JSON-RPC message: {0}', why);
    return { lens: this.name, summary: error, fields: [['Text', clip(text, 200)]], error };
  }
}

/** The name of a code the JSON-RPC 2.0 specification reserves, after an em dash. */
function standardMeaning(code: number): string {
  switch (code) {
    case -32700:
      return ' — Parse error';
    case -32600:
      return ' — Invalid Request';
    case -32601:
      return ' — Method not found';
    case -32602:
      return ' — Invalid params';
    case -32603:
      return ' — Internal error';
    default:
      return code <= -32000 && code >= -32099 ? ' — Server error' : '';
  }
}
