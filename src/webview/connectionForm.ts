/**
 * The connection form, in the parts the panel lays out: the URL bar (connection kind, URL,
 * Connect / Disconnect) and the request settings (query parameters, subprotocols and headers,
 * connection options, Socket.IO options, Save endpoint). Input is checked with the shared
 * validators first; nothing invalid is posted.
 */
import type { ConnectionKind, ConnectionParams, Endpoint, ReadyState } from '../shared/protocol';
import { checkSocketIoUrl } from '../shared/socketIo';
import { checkHeaders, checkUrl, parseSubprotocols } from '../shared/validation';
import { referencedNames, withPlaceholders } from '../shared/variables';
import { h, labeled, textButton } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';
import { HeadersEditor } from './headersEditor';
import { DecodeForm } from './decodeForm';
import { OptionsForm } from './optionsForm';
import { parseQuery, withQuery } from '../shared/queryParams';
import { countHeaders, countOptions, countParams, countSocketIo, type MarkedTab } from '../shared/settingsMarks';
import type { Requests } from './requests';
import { SocketIoForm } from './socketIoForm';

/** The protocol's limit for endpoint and collection names. */
const MAX_NAME_LENGTH = 200;

export class ConnectionForm {
  /** Connection kind, URL, Connect and Disconnect: the panel's top bar. */
  readonly urlBar: HTMLElement;
  /** The query parameters table (WebSocket only; Socket.IO has its own). */
  readonly paramsElement: HTMLElement;
  /** Subprotocols (WebSocket only) and request headers. */
  readonly headersElement: HTMLElement;
  readonly optionsElement: HTMLElement;
  readonly socketIoElement: HTMLElement;
  /** Save endpoint. */
  readonly saveElement: HTMLElement;
  private readonly url: HTMLInputElement;
  private readonly protocols: HTMLInputElement;
  private readonly headers: HeadersEditor;
  private readonly connectButton: HTMLButtonElement;
  private readonly disconnectButton: HTMLButtonElement;
  private readonly endpointName: HTMLInputElement;
  private readonly collection: HTMLInputElement;
  private readonly urlError: ErrorSlot;
  private readonly protocolsError: ErrorSlot;
  private readonly headersError: ErrorSlot;
  private readonly endpointError: ErrorSlot;
  private readonly options: OptionsForm;
  private readonly decode: DecodeForm;
  private readonly query: HeadersEditor;
  private readonly socketIo: SocketIoForm;

  /** `onKindChange` is told when the user switches between WebSocket and Socket.IO. */
  constructor(
    private readonly requests: Requests,
    errors: FieldErrors,
    onKindChange: (kind: ConnectionKind) => void = () => undefined,
  ) {
    this.url = h('input', {
      class: 'url-input',
      attrs: { type: 'text', placeholder: 'wss://example.com/socket', spellcheck: 'false', autocomplete: 'off' },
    });
    this.protocols = h('input', { attrs: { type: 'text', placeholder: 'chat, superchat', spellcheck: 'false' } });
    this.urlError = new ErrorSlot([this.url]);
    this.protocolsError = new ErrorSlot([this.protocols]);
    this.headers = new HeadersEditor(() => this.headersError.clear());
    this.headersError = new ErrorSlot();
    this.decode = new DecodeForm(errors);
    this.options = new OptionsForm(errors, [this.decode.element]);
    // The query table and the URL edit the same text: each change is copied to the other.
    this.query = new HeadersEditor(
      () => {
        this.url.value = withQuery(this.url.value, this.query.values);
        this.urlError.clear();
      },
      { group: 'Query parameters', name: 'Parameter name', value: 'Parameter value', add: 'Add parameter', remove: 'Remove parameter' },
    );
    this.url.addEventListener('input', () => this.syncQueryTable());

    this.connectButton = textButton('Connect', { iconName: 'plug' });
    this.disconnectButton = textButton('Disconnect', { iconName: 'debug-disconnect', secondary: true });
    this.connectButton.addEventListener('click', () => this.connect());
    this.disconnectButton.addEventListener('click', () => this.requests.send({ type: 'disconnect' }, ['general']));

    this.url.addEventListener('input', () => this.urlError.clear());
    this.url.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.isComposing) {
        event.preventDefault();
        if (!this.connectButton.disabled) this.connect();
      }
    });
    this.protocols.addEventListener('input', () => this.protocolsError.clear());

    this.endpointName = h('input', { attrs: { type: 'text', placeholder: 'My server' } });
    this.collection = h('input', { attrs: { type: 'text' } });
    this.collection.value = 'Default';
    this.endpointError = new ErrorSlot([this.endpointName]);
    this.endpointName.addEventListener('input', () => this.endpointError.clear());
    this.collection.addEventListener('input', () => this.endpointError.clear());
    const save = textButton('Save endpoint', { iconName: 'save', secondary: true });
    save.addEventListener('click', () => this.save());

    errors.register('url', this.urlError);
    errors.register('protocols', this.protocolsError);
    errors.register('headers', this.headersError);
    errors.register('endpoint', this.endpointError);

    const protocolsField = labeled('Subprotocols', this.protocols, this.protocolsError.element);
    this.socketIo = new SocketIoForm(errors, (kind) => {
      protocolsField.hidden = kind === 'socketio';
      // Socket.IO has its own query table; of the options only Bypass proxy applies.
      this.query.element.hidden = kind === 'socketio';
      this.options.setKind(kind);
      this.url.placeholder = kind === 'socketio' ? 'http://localhost:3000' : 'wss://example.com/socket';
      this.urlError.clear();
      onKindChange(kind);
    });
    this.urlBar = h(
      'div',
      { class: 'url-row' },
      this.socketIo.kindElement,
      labeled('URL', this.url, this.urlError.element),
      h('div', { class: 'button-row' }, this.connectButton, this.disconnectButton),
    );
    this.paramsElement = h('div', { class: 'connection-form' }, this.query.element);
    this.headersElement = h('div', { class: 'connection-form' }, protocolsField, this.headers.element, this.headersError.element);
    this.optionsElement = this.options.element;
    this.socketIoElement = this.socketIo.element;
    this.saveElement = h(
      'section',
      { class: 'save-endpoint', attrs: { 'aria-labelledby': 'save-heading' } },
      h('h2', { class: 'section-heading', id: 'save-heading', text: 'Save connection' }),
      h(
        'div',
        { class: 'save-fields' },
        labeled('Endpoint name', this.endpointName, this.endpointError.element),
        labeled('Collection', this.collection),
        save,
      ),
    );
    this.setReadyState('CLOSED');
  }

  setParams(params: ConnectionParams): void {
    this.url.value = params.url;
    this.protocols.value = params.protocols.join(', ');
    this.headers.values = params.headers;
    this.syncQueryTable();
    this.options.values = params.options;
    this.decode.values = params.decode;
    this.socketIo.setOptions(params.kind, params.socketio);
    this.urlError.clear();
    this.protocolsError.clear();
    this.headersError.clear();
  }

  /** How many values each of the form's tabs holds, as typed (the tabs' marks). */
  setCounts(): Record<Exclude<MarkedTab, 'variables'>, number> {
    const socketIo = this.socketIo.kind === 'socketio';
    return {
      params: countParams(this.url.value),
      headers: countHeaders(socketIo ? '' : this.protocols.value, this.headers.values),
      options: countOptions({ ...this.options.draft(), decodeAs: this.decode.chosen }, socketIo),
      socketio: countSocketIo(this.socketIo.draft()),
    };
  }

  private syncQueryTable(): void {
    this.query.values = parseQuery(this.url.value);
  }

  /** Fills the form from a saved endpoint; connecting stays the user's decision. */
  loadEndpoint(endpoint: Endpoint): void {
    this.setParams(endpoint);
    this.endpointName.value = endpoint.name;
    this.url.focus();
  }

  /** `reconnecting`: auto-reconnect is waiting, and Disconnect is what stops it. */
  setReadyState(readyState: ReadyState, reconnecting = false): void {
    const busy = readyState === 'CONNECTING' || readyState === 'OPEN';
    this.connectButton.disabled = busy;
    this.disconnectButton.disabled = !busy && !reconnecting;
    this.disconnectButton.title = readyState === 'CONNECTING' ? 'Cancel the connection attempt' : '';
  }

  private connect(): void {
    const params = this.validParams();
    if (params) this.requests.send({ type: 'connect', params }, ['url', 'protocols', 'headers', 'options', 'decode', 'socketio', 'auth']);
  }

  private save(): void {
    const params = this.validParams();
    const name = this.endpointName.value.trim();
    const collection = this.collection.value.trim() || 'Default';
    // The host checks names too; collections.ts cannot be imported here because it uses zod.
    const nameError =
      name === ''
        ? 'Enter a name for the endpoint'
        : name.length > MAX_NAME_LENGTH || collection.length > MAX_NAME_LENGTH
          ? `Names can be at most ${MAX_NAME_LENGTH} characters`
          : undefined;
    if (nameError) {
      this.endpointError.show(nameError);
      this.endpointName.focus();
      return;
    }
    if (!params) return;
    this.requests.send({ type: 'saveEndpoint', params, name, collection }, ['endpoint', 'url', 'protocols', 'headers', 'decode', 'socketio', 'auth']);
  }

  /** The form's parameters, or undefined after showing every problem next to its control. */
  private validParams(): ConnectionParams | undefined {
    const socketIo = this.socketIo.kind === 'socketio';
    // `{{name}}` references are checked as plain words; the host resolves them when connecting.
    const url = socketIo ? checkSocketIoUrl(this.url.value) : checkUrl(withPlaceholders(this.url.value));
    if (url.ok) this.urlError.clear();
    else this.urlError.show(url.error);

    const protocols = socketIo ? { ok: true as const, protocols: [] as string[] } : parseSubprotocols(withPlaceholders(this.protocols.value));
    if (protocols.ok) this.protocolsError.clear();
    else this.protocolsError.show(protocols.error);

    const headers = checkHeaders(this.headers.values);
    if (headers.ok) this.headersError.clear();
    else this.headersError.show(headers.error, { controls: this.headers.controlsOf(headers.index) });

    if (!url.ok) this.url.focus();
    else if (!protocols.ok) this.protocols.focus();
    else if (!headers.ok) this.headers.controlsOf(headers.index)[0]?.focus();

    if (!url.ok || !protocols.ok || !headers.ok) return undefined;
    if (socketIo) {
      const socketIoOptions = this.socketIo.options();
      const options = this.options.read();
      if (!socketIoOptions || !options.ok) return undefined;
      // A decoding error is shown in the Connection options, whose tab comes forward for it.
      const decode = this.decode.read();
      if (!decode.ok) return undefined;
      const params: ConnectionParams = { url: url.url, protocols: [], headers: headers.headers, kind: 'socketio', socketio: socketIoOptions };
      if (options.options) params.options = options.options;
      if (decode.decode) params.decode = decode.decode;
      return params;
    }
    const options = this.options.read();
    if (!options.ok) return undefined;
    // A decoding error is shown in the Connection options, whose tab comes forward for it.
    const decode = this.decode.read();
    if (!decode.ok) return undefined;
    const templated = referencedNames(this.url.value + this.protocols.value).length > 0;
    const params: ConnectionParams = templated
      ? { url: this.url.value.trim(), protocols: this.protocols.value.split(',').map((p) => p.trim()).filter(Boolean), headers: headers.headers }
      : { url: url.url, protocols: protocols.protocols, headers: headers.headers };
    if (options.options) params.options = options.options;
    if (decode.decode) params.decode = decode.decode;
    return params;
  }
}
