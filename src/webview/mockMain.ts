/**
 * Entry point of a mock server's panel: the mock (name, URL, state), a Client list that picks
 * whose entries the log shows ("All clients" merges them) and whom the composer sends to, the
 * message log, the composer (or the Socket.IO emitter), Close with a code and Drop. The host owns
 * the mock; this page shows what it posts and sends requests (src/core/mock/mockPanelController.ts).
 */
import type { LogEntry, MockPanelClient, MockPanelSummary, ReadyState, ToMockWebview } from '../shared/protocol';
import { CloseControls } from './closeControls';
import { Composer } from './composer';
import { h, labeled, select, textButton } from './dom';
import { EmitComposer } from './emitComposer';
import { ErrorSlot, FieldErrors } from './errorSlot';
import { LogView } from './logView';
import { Requests } from './requests';
import { visibleFragment } from './visibleTextNodes';
import { vscode } from './vscodeApi';
import { l10n } from './l10n';

const ALL = 'all';

function assertNever(value: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(value)}`);
}

let mock: MockPanelSummary = { name: '', kind: 'websocket', url: '', running: false };
let clients: MockPanelClient[] = [];
let view = ALL;

const generalError = new ErrorSlot();
generalError.element.classList.add('general-error');
const errors = new FieldErrors(generalError);
const requests = new Requests(errors);
// The controls always ask the host, which answers why not (no client, the mock stopped).
const readyState = (): ReadyState => 'OPEN';
const target = (): string => view;

/** Whose each entry is in the merged view: the client number of id `id` at `(id - 1) % length`. */
let owners = new Uint32Array(0);
function keepOwners(firstId: number, batch: Uint32Array | undefined, count: number): void {
  if (owners.length === 0) return;
  for (let i = 0; i < count; i++) owners[(firstId + i - 1) % owners.length] = batch?.[i] ?? 0;
}
function peerOf(entry: LogEntry): string | undefined {
  if (view !== ALL || owners.length === 0) return undefined;
  const owner = owners[(entry.id - 1) % owners.length];
  return owner ? `client ${owner}` : undefined;
}

const log = new LogView({ saveAsFlow: false, peerOf });
const composer = new Composer(requests, errors, readyState, target);
const emitComposer = new EmitComposer(requests, errors, readyState, log.element, target);
const closeControls = new CloseControls(requests, errors, readyState, target);
const drop = textButton(l10n.t('Drop connection'), { iconName: 'debug-disconnect', secondary: true });
drop.title = l10n.t('Destroy the TCP connection of the chosen client, without a Close frame');
drop.addEventListener('click', () => requests.send({ type: 'mockDrop', target: view }, ['general']));
const perClient = h('div', { class: 'side-controls mock-client-controls' }, closeControls.element, h('div', { class: 'button-row' }, drop));

const heading = h('h2', { class: 'section-heading', id: 'mock-heading' });
const fields = h('dl', { class: 'state-fields' });
const clientSelect = select(l10n.t('Client'), [[ALL, l10n.t('All clients')]]);
clientSelect.addEventListener('change', () => {
  view = clientSelect.value;
  vscode.postMessage({ type: 'mockView', clientId: view });
  showDetails();
});
const clientCount = h('span', { class: 'hint', id: 'mock-client-count', attrs: { 'aria-live': 'polite' } });
clientSelect.setAttribute('aria-describedby', clientCount.id);
const handshake = h('div', { class: 'mock-handshake' });

function field(name: string, value: string, valueClass?: string): HTMLElement {
  return h('div', { class: 'state-field' }, h('dt', { text: name }), h('dd', { class: valueClass }, visibleFragment(value)));
}

function clientLabel(client: MockPanelClient): string {
  return l10n.t('Client {0} ({1})', client.id, `${client.remoteAddress}:${client.remotePort}`);
}

function showMock(): void {
  heading.textContent = l10n.t('Mock server: {0}', mock.name);
  const rows = [
    field(l10n.t('state'), mock.running ? l10n.t('listening') : l10n.t('stopped'), mock.running ? 'ready-open' : 'ready-closed'),
    field('url', mock.url || '—'),
    field(l10n.t('kind'), mock.kind === 'socketio' ? 'Socket.IO' : 'WebSocket'),
    field(l10n.t('clients'), String(clients.length)),
  ];
  if (mock.fingerprint256) rows.push(field(l10n.t('certificate SHA-256'), mock.fingerprint256));
  fields.replaceChildren(...rows);
  composer.element.hidden = mock.kind !== 'websocket';
  emitComposer.element.hidden = mock.kind !== 'socketio';
}

function showClients(): void {
  // A client that left stays choosable while its entries are shown, marked as gone.
  const options: [string, string][] = [[ALL, l10n.t('All clients')], ...clients.map((c): [string, string] => [c.id, clientLabel(c)])];
  if (view !== ALL && !clients.some((c) => c.id === view)) options.push([view, l10n.t('Client {0} (disconnected)', view)]);
  clientSelect.replaceChildren(...options.map(([value, text]) => h('option', { text, attrs: { value } })));
  clientSelect.value = view;
  clientCount.textContent = l10n.t('{0} connected', clients.length);
  showDetails();
}

/** The chosen client's handshake: address, subprotocol, path and request headers. */
function showDetails(): void {
  const client = clients.find((c) => c.id === view);
  perClient.hidden = view === ALL;
  if (!client) {
    handshake.replaceChildren(
      h('p', { class: 'hint', text: view === ALL ? l10n.t('Messages go to every connected client; choose one client to close or drop it.') : l10n.t('This client has disconnected.') }),
    );
    return;
  }
  const rows = [
    field(l10n.t('remote address'), `${client.remoteAddress}:${client.remotePort}`),
    field(mock.kind === 'socketio' ? l10n.t('transport') : l10n.t('subprotocol'), client.protocol || '—'),
    field(l10n.t('request'), client.url),
    field(l10n.t('connected'), new Date(client.connectedAt).toLocaleTimeString()),
  ];
  const headers = h(
    'dl',
    { class: 'state-fields mock-headers', attrs: { 'aria-label': l10n.t('Handshake headers') } },
    ...client.headers.map(([name, value]) => field(name, value)),
  );
  handshake.replaceChildren(h('dl', { class: 'state-fields' }, ...rows), h('h3', { class: 'section-heading', text: l10n.t('Handshake headers') }), headers);
}

function handle(message: ToMockWebview): void {
  switch (message.type) {
    case 'mockInit':
      document.title = message.title;
      mock = message.mock;
      clients = message.clients;
      view = message.view;
      showMock();
      showClients();
      owners = new Uint32Array(message.capacity);
      keepOwners(message.entries.firstId, message.owners, message.entries.starts.length);
      log.reset(message.entries, message.evicted, message.capacity);
      log.setRecording(message.recording);
      vscode.postMessage({ type: 'entriesAck' });
      break;
    case 'mockState':
      mock = message.mock;
      clients = message.clients;
      showMock();
      showClients();
      break;
    case 'entries':
      keepOwners(message.entries.firstId, message.owners, message.entries.starts.length);
      log.append(message.entries, message.evicted);
      vscode.postMessage({ type: 'entriesAck' });
      break;
    case 'logCleared':
      log.clear();
      break;
    case 'recording':
      log.setRecording(message.file);
      break;
    case 'result':
      requests.handleResult(message);
      break;
    default:
      assertNever(message);
  }
}

const app = document.getElementById('app') ?? document.body;
app.replaceChildren(
  h(
    'main',
    { class: 'main mock-main' },
    generalError.element,
    h(
      'section',
      { class: 'connection-info mock-info', attrs: { 'aria-labelledby': 'mock-heading' } },
      heading,
      fields,
      h('div', { class: 'inline-fields' }, labeled(l10n.t('Client'), clientSelect, clientCount)),
      handshake,
    ),
    log.element,
    h('section', { class: 'send-section', attrs: { 'aria-label': l10n.t('Send') } }, composer.element, emitComposer.element, perClient),
  ),
);
showMock();
showClients();

window.addEventListener('message', (event: MessageEvent<ToMockWebview>) => {
  const message: unknown = event.data;
  if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return;
  handle(event.data);
});

vscode.postMessage({ type: 'ready' });
