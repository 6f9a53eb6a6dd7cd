/**
 * The endpoint's connection options: TLS (accept invalid certificates, CA file, client
 * certificate and key or PFX with passphrase), permessage-deflate, auto-reconnect, keep-alive
 * pings, automatic pongs, the protocol lens and Bypass proxy. Saved with the endpoint; defaults are left out of
 * what is sent. Socket.IO endpoints show (and send) only the proxy option.
 */
import type { ConnectionKind, ConnectionParams, EndpointOptions } from '../shared/protocol';
import { LENS_SETTINGS, type LensSetting } from '../shared/lenses/lensNames';
import type { OptionsDraft } from '../shared/settingsMarks';
import { h, labeled, select, uniqueId } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';
import { l10n } from './l10n';

const MAX_PING_INTERVAL_SECONDS = 86400;

/** The Protocol lens choices, in LENS_SETTINGS order. */
const LENS_OPTIONS: readonly (readonly [LensSetting, string])[] = [
  ['auto', l10n.t('Auto (from the subprotocol)')],
  ['none', l10n.t('None')],
  ['graphql-transport-ws', 'GraphQL (graphql-transport-ws)'],
  ['stomp', 'STOMP'],
  ['mqtt', 'MQTT'],
  ['jsonrpc', 'JSON-RPC 2.0'],
];

function checkbox(label: string, hint?: string): { element: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { id: uniqueId('option'), attrs: { type: 'checkbox' } });
  const element = h('div', { class: 'checkbox-field' }, input, h('label', { text: label, attrs: { for: input.id } }));
  if (hint) {
    const note = h('span', { class: 'note', id: uniqueId('hint'), text: hint });
    input.setAttribute('aria-describedby', note.id);
    element.append(note);
  }
  return { element, input };
}

function pathInput(placeholder: string): HTMLInputElement {
  return h('input', { attrs: { type: 'text', placeholder, spellcheck: 'false', autocomplete: 'off' } });
}

/**
 * The parameters as the page may keep them with setState (which VS Code writes to disk): a typed
 * passphrase is left out; a `{{variable}}` reference is kept.
 */
export function persistableParams(params: ConnectionParams): ConnectionParams {
  const passphrase = params.options?.passphrase;
  if (passphrase === undefined || /^\{\{[^{}]+\}\}$/.test(passphrase.trim())) return params;
  const options: EndpointOptions = { ...params.options };
  delete options.passphrase;
  return { ...params, options };
}

export class OptionsForm {
  /** The option fieldsets; the panel shows them in its Connection options tab. */
  readonly element: HTMLElement;
  private readonly acceptInvalid: HTMLInputElement;
  private readonly warning: HTMLDivElement;
  private readonly caFile = pathInput('/path/to/ca.pem');
  private readonly certFile = pathInput('/path/to/client.pem');
  private readonly keyFile = pathInput('/path/to/client.key');
  private readonly pfxFile = pathInput('/path/to/client.pfx');
  private readonly passphrase: HTMLInputElement;
  private readonly deflate: HTMLInputElement;
  private readonly autoReconnect: HTMLInputElement;
  private readonly pingInterval: HTMLInputElement;
  private readonly autoPong: HTMLInputElement;
  private readonly bypassProxy: HTMLInputElement;
  private readonly lens: HTMLSelectElement;
  /** The fieldsets that apply to plain WebSocket endpoints only. */
  private readonly webSocketOnly: HTMLElement[];
  private kind: ConnectionKind = 'websocket';
  private readonly error: ErrorSlot;

  /** `extra`: more fieldsets for both kinds of endpoint (Decoding: Socket.IO decodes binary event arguments). */
  constructor(errors: FieldErrors, extra: readonly HTMLElement[] = []) {
    const accept = checkbox(l10n.t('Accept invalid certificates'));
    this.acceptInvalid = accept.input;
    this.warning = h('div', {
      class: 'options-warning',
      id: uniqueId('warning'),
      text: l10n.t('Certificates of this endpoint are not verified: anyone on the network path could read and change the traffic. Use only for test servers.'),
    });
    this.acceptInvalid.setAttribute('aria-describedby', this.warning.id);
    this.passphrase = h('input', { attrs: { type: 'password', autocomplete: 'off', placeholder: l10n.t('or {0}', '{{variable}}') } });
    const deflate = checkbox(l10n.t('Offer permessage-deflate compression'));
    this.deflate = deflate.input;
    const reconnect = checkbox(l10n.t('Auto-reconnect'), l10n.t('with exponential backoff; Disconnect stops it'));
    this.autoReconnect = reconnect.input;
    this.pingInterval = h('input', {
      class: 'ping-interval',
      attrs: { type: 'number', min: '0', max: String(MAX_PING_INTERVAL_SECONDS), step: '1', placeholder: '0' },
    });
    const pingHint = h('span', { class: 'note', id: uniqueId('hint'), text: l10n.t('seconds between keep-alive pings; 0 turns them off') });
    this.pingInterval.setAttribute('aria-describedby', pingHint.id);
    const pong = checkbox(l10n.t('Answer pings automatically'));
    this.autoPong = pong.input;
    const proxy = checkbox(l10n.t('Bypass proxy'), l10n.t("connect directly, even when VS Code's http.proxy setting or HTTPS_PROXY applies"));
    this.bypassProxy = proxy.input;
    this.lens = select(l10n.t('Protocol lens'), LENS_OPTIONS);
    const lensHint = h('span', { class: 'note', id: uniqueId('hint'), text: l10n.t('reads the protocol on top in the log; Auto picks it from the subprotocol') });
    this.lens.setAttribute('aria-describedby', lensHint.id);
    this.error = new ErrorSlot([this.pingInterval]);
    errors.register('options', this.error);
    for (const input of [this.caFile, this.certFile, this.keyFile, this.pfxFile, this.passphrase, this.pingInterval]) {
      input.addEventListener('input', () => this.error.clear());
    }
    this.acceptInvalid.addEventListener('change', () => this.showWarning());

    // data-capability: what a host without it (the browser) disables, see hostInfo.ts.
    const tlsFieldset = h(
      'fieldset',
      { attrs: { 'data-capability': 'tls' } },
      h('legend', { text: l10n.t('TLS (wss)') }),
          accept.element,
          this.warning,
          labeled(l10n.t('CA certificate file'), this.caFile),
          labeled(l10n.t('Client certificate file'), this.certFile),
          labeled(l10n.t('Client key file'), this.keyFile),
          labeled(l10n.t('PFX file'), this.pfxFile),
      labeled(l10n.t('PFX passphrase'), this.passphrase),
    );
    const connectionFieldset = h(
      'fieldset',
      { attrs: { 'data-capability': 'controlFrames' } },
      h('legend', { text: l10n.t('Connection') }),
      deflate.element,
      reconnect.element,
      labeled(l10n.t('Ping interval'), this.pingInterval, pingHint),
      pong.element,
      labeled(l10n.t('Protocol lens'), this.lens, lensHint),
    );
    this.webSocketOnly = [tlsFieldset, connectionFieldset];
    this.element = h(
      'div',
      { class: 'options-form', attrs: { role: 'group', 'aria-label': l10n.t('Connection options') } },
      h(
        'div',
        { class: 'options-grid' },
        tlsFieldset,
        connectionFieldset,
        ...extra,
        h('fieldset', { attrs: { 'data-capability': 'proxy' } }, h('legend', { text: l10n.t('Proxy') }), proxy.element),
      ),
      this.error.element,
    );
    this.values = undefined;
  }

  set values(options: EndpointOptions | undefined) {
    const o = options ?? {};
    this.acceptInvalid.checked = o.acceptInvalidCerts === true;
    this.caFile.value = o.caFile ?? '';
    this.certFile.value = o.certFile ?? '';
    this.keyFile.value = o.keyFile ?? '';
    this.pfxFile.value = o.pfxFile ?? '';
    this.passphrase.value = o.passphrase ?? '';
    this.deflate.checked = o.perMessageDeflate !== false;
    this.autoReconnect.checked = o.autoReconnect === true;
    this.pingInterval.value = o.pingIntervalSeconds ? String(o.pingIntervalSeconds) : '';
    this.autoPong.checked = o.autoPong !== false;
    this.bypassProxy.checked = o.bypassProxy === true;
    this.lens.value = o.lens ?? 'auto';
    this.error.clear();
    this.showWarning();
  }

  /** Socket.IO endpoints take only the proxy option (and Decoding); the others stay hidden and unsent. */
  setKind(kind: ConnectionKind): void {
    this.kind = kind;
    for (const fieldset of this.webSocketOnly) fieldset.hidden = kind === 'socketio';
    if (kind === 'socketio') this.error.clear();
  }

  /** The options as typed, unchecked: what the tab's mark counts. */
  draft(): Omit<OptionsDraft, 'decodeAs'> {
    return {
      acceptInvalidCerts: this.acceptInvalid.checked,
      caFile: this.caFile.value,
      certFile: this.certFile.value,
      keyFile: this.keyFile.value,
      pfxFile: this.pfxFile.value,
      passphrase: this.passphrase.value,
      perMessageDeflate: this.deflate.checked,
      autoReconnect: this.autoReconnect.checked,
      pingInterval: this.pingInterval.value,
      autoPong: this.autoPong.checked,
      bypassProxy: this.bypassProxy.checked,
      lens: this.lens.value,
    };
  }

  /** The options that differ from the defaults, or undefined after showing what is wrong. */
  read(): { ok: true; options: EndpointOptions | undefined } | { ok: false } {
    const options: EndpointOptions = {};
    if (this.bypassProxy.checked) options.bypassProxy = true;
    if (this.kind === 'socketio') return { ok: true, options: Object.keys(options).length > 0 ? options : undefined };
    if (this.acceptInvalid.checked) options.acceptInvalidCerts = true;
    const paths = [
      ['caFile', this.caFile],
      ['certFile', this.certFile],
      ['keyFile', this.keyFile],
      ['pfxFile', this.pfxFile],
    ] as const;
    for (const [key, input] of paths) {
      const value = input.value.trim();
      if (value) options[key] = value;
    }
    if (this.passphrase.value) options.passphrase = this.passphrase.value;
    if (!this.deflate.checked) options.perMessageDeflate = false;
    if (this.autoReconnect.checked) options.autoReconnect = true;
    if (!this.autoPong.checked) options.autoPong = false;
    const lens = LENS_SETTINGS.find((setting) => setting === this.lens.value);
    if (lens !== undefined && lens !== 'auto') options.lens = lens;
    const interval = this.pingInterval.value.trim();
    if (interval !== '') {
      const seconds = Number(interval);
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_PING_INTERVAL_SECONDS) {
        this.error.show(l10n.t('Ping interval: enter a number of seconds from 0 to {0}', MAX_PING_INTERVAL_SECONDS));
        this.pingInterval.focus();
        return { ok: false };
      }
      if (seconds > 0) options.pingIntervalSeconds = Math.max(1, seconds);
    }
    if ((options.certFile === undefined) !== (options.keyFile === undefined)) {
      this.error.show(l10n.t('A client certificate needs both its certificate file and its key file'), {
        controls: [options.certFile === undefined ? this.certFile : this.keyFile],
      });
      return { ok: false };
    }
    return { ok: true, options: Object.keys(options).length > 0 ? options : undefined };
  }

  private showWarning(): void {
    this.warning.hidden = !this.acceptInvalid.checked;
  }
}
