/**
 * The connection form's Socket.IO part: the Connection kind select and, for Socket.IO, the
 * namespace, path, transports, protocol version, auth payload, query parameters, reconnection
 * and ack timeout. The options are checked with the shared validators before anything is posted.
 */
import type { ConnectionKind, SocketIoOptions } from '../shared/protocol';
import type { SocketIoDraft } from '../shared/settingsMarks';
import { DEFAULT_SOCKET_IO_OPTIONS, parseAuth } from '../shared/socketIo';
import { h, labeled, select } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';
import { HeadersEditor } from './headersEditor';

const KIND_OPTIONS = [
  ['websocket', 'WebSocket'],
  ['socketio', 'Socket.IO'],
] as const;
const TRANSPORT_OPTIONS = [
  ['websocket', 'WebSocket only'],
  ['polling', 'Polling, then upgrade'],
] as const;
const VERSION_OPTIONS = [
  ['v4', 'v3/v4'],
  ['v2', 'v2'],
] as const;

export class SocketIoForm {
  /** The Connection kind select, placed by the caller next to the URL. */
  readonly kindElement: HTMLElement;
  /** The Socket.IO options, shown only for Socket.IO. */
  readonly element: HTMLElement;
  private readonly kindSelect: HTMLSelectElement;
  private readonly namespace: HTMLInputElement;
  private readonly path: HTMLInputElement;
  private readonly transports: HTMLSelectElement;
  private readonly version: HTMLSelectElement;
  private readonly auth: HTMLTextAreaElement;
  private readonly query: HeadersEditor;
  private readonly reconnection: HTMLInputElement;
  private readonly ackTimeout: HTMLInputElement;
  private readonly optionsError: ErrorSlot;
  private readonly authError: ErrorSlot;

  /** `onKindChange` lets the page show the controls of the chosen kind. */
  constructor(
    errors: FieldErrors,
    private readonly onKindChange: (kind: ConnectionKind) => void,
  ) {
    this.kindSelect = select('Connection kind', KIND_OPTIONS);
    this.kindSelect.addEventListener('change', () => this.syncKind());
    this.kindElement = labeled('Connection kind', this.kindSelect);

    this.namespace = h('input', { attrs: { type: 'text', placeholder: '/', spellcheck: 'false', autocomplete: 'off' } });
    this.path = h('input', { attrs: { type: 'text', placeholder: '/socket.io', spellcheck: 'false', autocomplete: 'off' } });
    this.transports = select('Transports', TRANSPORT_OPTIONS);
    this.version = select('Protocol version', VERSION_OPTIONS);
    this.auth = h('textarea', { attrs: { rows: '2', spellcheck: 'false', placeholder: '{"token": "..."}' } });
    this.query = new HeadersEditor(() => this.optionsError.clear(), {
      group: 'Query parameters',
      add: 'Add query parameter',
      name: 'Query parameter name',
      value: 'Query parameter value',
      remove: 'Remove query parameter',
    });
    this.reconnection = h('input', { attrs: { type: 'checkbox' } });
    this.ackTimeout = h('input', { attrs: { type: 'number', min: '0.1', max: '600', step: 'any' } });
    this.optionsError = new ErrorSlot([this.namespace, this.path, this.ackTimeout]);
    this.authError = new ErrorSlot([this.auth]);
    for (const input of [this.namespace, this.path, this.ackTimeout]) input.addEventListener('input', () => this.optionsError.clear());
    this.auth.addEventListener('input', () => this.authError.clear());
    errors.register('socketio', this.optionsError);
    errors.register('auth', this.authError);

    this.element = h(
      'div',
      { class: 'socketio-options', attrs: { role: 'group', 'aria-label': 'Socket.IO options' } },
      h(
        'div',
        { class: 'socketio-row' },
        labeled('Namespace', this.namespace),
        labeled('Path', this.path),
        labeled('Transports', this.transports),
        labeled('Protocol version', this.version),
      ),
      this.optionsError.element,
      labeled('Auth payload', this.auth, this.authError.element),
      this.query.element,
      h(
        'div',
        { class: 'socketio-row' },
        h('label', { class: 'checkbox' }, this.reconnection, h('span', { text: 'Reconnect automatically' })),
        labeled('Ack timeout (s)', this.ackTimeout),
      ),
    );
    this.setOptions('websocket', undefined);
  }

  get kind(): ConnectionKind {
    return this.kindSelect.value === 'socketio' ? 'socketio' : 'websocket';
  }

  setOptions(kind: ConnectionKind | undefined, options: SocketIoOptions | undefined): void {
    const o = options ?? DEFAULT_SOCKET_IO_OPTIONS;
    this.kindSelect.value = kind ?? 'websocket';
    this.namespace.value = o.namespace;
    this.path.value = o.path;
    this.transports.value = o.transports;
    this.version.value = o.version;
    this.auth.value = o.auth;
    this.query.values = o.query;
    this.reconnection.checked = o.reconnection;
    this.ackTimeout.value = String(o.ackTimeoutSeconds);
    this.optionsError.clear();
    this.authError.clear();
    this.syncKind();
  }

  /** The options as typed, unchecked: what the tab's mark counts. */
  draft(): SocketIoDraft {
    return {
      namespace: this.namespace.value,
      path: this.path.value,
      transports: this.transports.value,
      version: this.version.value,
      auth: this.auth.value,
      query: this.query.values,
      reconnection: this.reconnection.checked,
      ackTimeout: this.ackTimeout.value,
    };
  }

  /** The options as typed, or undefined after showing what is wrong. The host checks again. */
  options(): SocketIoOptions | undefined {
    const auth = parseAuth(this.auth.value);
    if (!auth.ok) {
      this.authError.show(auth.error);
      this.auth.focus();
      return undefined;
    }
    const ackTimeoutSeconds = Number(this.ackTimeout.value);
    if (this.ackTimeout.value.trim() === '' || !Number.isFinite(ackTimeoutSeconds)) {
      this.optionsError.show('Enter the ack timeout in seconds, such as 10', { controls: [this.ackTimeout] });
      this.ackTimeout.focus();
      return undefined;
    }
    return {
      namespace: this.namespace.value.trim() || '/',
      path: this.path.value.trim() || DEFAULT_SOCKET_IO_OPTIONS.path,
      transports: this.transports.value === 'polling' ? 'polling' : 'websocket',
      version: this.version.value === 'v2' ? 'v2' : 'v4',
      auth: this.auth.value.trim(),
      query: this.query.values,
      reconnection: this.reconnection.checked,
      ackTimeoutSeconds,
    };
  }

  private syncKind(): void {
    this.element.hidden = this.kind !== 'socketio';
    this.onKindChange(this.kind);
  }
}
