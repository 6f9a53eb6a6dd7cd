/**
 * Entry point of the debugger webview: builds the panel, says `ready`, and applies what the
 * host sends. The host owns the socket; this page only shows state and posts requests.
 */
import { assertNever } from '../shared/assertNever';
import { closedState } from '../shared/model';
import type { ConnectionKind, ConnectionParams, ConnectionState, ToWebview } from '../shared/protocol';
import { CloseControls } from './closeControls';
import { Composer } from './composer';
import { ConnectionForm } from './connectionForm';
import { StateAnnouncer, StateBadge } from './connectionAnnouncer';
import { ConnectionDetails } from './connectionDetails';
import { ConnectionInfo } from './connectionInfo';
import { ControlFrames } from './controlFrames';
import { h } from './dom';
import { EmitComposer } from './emitComposer';
import { EndpointsList } from './endpointsList';
import { HostInfoView } from './hostInfo';
import { ErrorSlot, FieldErrors } from './errorSlot';
import { LogView } from './logView';
import { installPanelKeys } from './panelKeys';
import { Requests } from './requests';
import { persistableParams } from './optionsForm';
import { SavedMessagesList } from './savedMessagesList';
import { ScheduleControls } from './scheduleControls';
import { SettingsTabs } from './settingsTabs';
import { Splitter } from './splitter';
import { StatusLine } from './statusLine';
import { mountThroughputStrip } from './throughputStrip';
import { VariablesEditor } from './variablesEditor';
import { saveUiState, uiState } from './uiState';
import { vscode } from './vscodeApi';
import { l10n } from './l10n';

let connection: ConnectionState = closedState();
const readyState = () => connection.readyState;

const generalError = new ErrorSlot();
generalError.element.classList.add('general-error');
const errors = new FieldErrors(generalError);
const requests = new Requests(errors);

/** What only a WebSocket or only a Socket.IO connection uses; the form's kind picks which shows. */
const kindSections: Record<ConnectionKind, HTMLElement[]> = { websocket: [], socketio: [] };
let formKind: ConnectionKind = 'websocket';
/** Filled in once built: the form reports its kind while it is still being constructed. */
const late: { settings?: SettingsTabs } = {};
function showKind(kind: ConnectionKind): void {
  formKind = kind;
  for (const element of kindSections.websocket) element.hidden = kind !== 'websocket';
  for (const element of kindSections.socketio) element.hidden = kind !== 'socketio';
  // Socket.IO keeps its query parameters with its own options; WebSocket has no Socket.IO tab.
  late.settings?.setHidden('params', kind === 'socketio');
  late.settings?.setHidden('socketio', kind !== 'socketio');
  late.settings?.refreshMarks();
}

const form = new ConnectionForm(requests, errors, showKind);
const endpoints = new EndpointsList(requests, (endpoint) => {
  form.loadEndpoint(endpoint);
  late.settings?.refreshMarks();
  // The panel now works with this endpoint: the host answers with its saved messages.
  vscode.postMessage({ type: 'chooseEndpoint', endpointId: endpoint.id });
});
const info = new ConnectionInfo();
const details = new ConnectionDetails();
const variables = new VariablesEditor(requests, errors);
const schedule = new ScheduleControls(requests, errors);
const log = new LogView();
const composer = new Composer(requests, errors, readyState);
const controlFrames = new ControlFrames(requests, errors, readyState);
const closeControls = new CloseControls(requests, errors, readyState);
const emitComposer = new EmitComposer(requests, errors, readyState, log.element);
const savedMessages = new SavedMessagesList(requests, errors, {
  readMessage: () => composer.read(),
  loadMessage: (format, body) => composer.load(format, body),
  readEmit: () => emitComposer.read(),
  loadEmit: (event, format, args, ack) => emitComposer.load(event, format, args, ack),
});
// Repeat sends the composer's message, so it sits under the composer; frames and close beside it.
const composerColumn = h('div', { class: 'composer-column' }, composer.element, schedule.element);
const sideControls = h('div', { class: 'side-controls' }, controlFrames.element, closeControls.element);
kindSections.websocket.push(composerColumn, sideControls);
kindSections.socketio.push(emitComposer.element);
const settings = new SettingsTabs([
  { id: 'params', label: l10n.t('Params'), panel: form.paramsElement },
  { id: 'headers', label: l10n.t('Headers'), panel: form.headersElement },
  { id: 'options', label: l10n.t('Connection options'), panel: form.optionsElement },
  { id: 'socketio', label: l10n.t('Socket.IO'), panel: form.socketIoElement },
  { id: 'variables', label: l10n.t('Variables'), panel: variables.element },
  { id: 'endpoints', label: l10n.t('Endpoints'), panel: endpoints.element },
  { id: 'save', label: l10n.t('Save'), panel: form.saveElement },
]);
late.settings = settings;
settings.countWith(() => ({ ...form.setCounts(), variables: variables.setCount }));
// The URL (the Params tab's query) is typed in the top bar, outside the tabs.
form.urlBar.addEventListener('input', () => settings.refreshMarks());
showKind(formKind);
const status = new StatusLine();
const badge = new StateBadge();
const announcer = new StateAnnouncer();

function applyState(state: ConnectionState): void {
  connection = state;
  form.setReadyState(state.readyState, state.reconnect !== undefined);
  badge.update(state);
  announcer.update(state);
  info.update(state);
  details.update(state);
  schedule.update(state);
  status.update(state);
  throughput.update(state);
  // Connected (or waiting to reconnect): the settings fold away; an attempt changes nothing yet.
  if (state.readyState !== 'CONNECTING') {
    settings.setConnected(state.readyState !== 'CLOSED' || state.reconnect !== undefined);
  }
}

function setParams({ params }: { params: ConnectionParams }): void {
  form.setParams(params);
  settings.refreshMarks();
  uiState.params = persistableParams(params);
  saveUiState();
}

const topBar = h('header', { class: 'top-bar' }, form.urlBar, badge.element);
const hostInfo = new HostInfoView({
  topBar,
  details,
  headersElement: form.headersElement,
  optionsElement: form.optionsElement,
  controlFrames: controlFrames.element,
  closeControls: closeControls.element,
  setBinaryType: (binaryType) => vscode.postMessage({ type: 'setBinaryType', binaryType }),
});
const sendSection = h(
  'section',
  { class: 'send-section', attrs: { 'aria-label': l10n.t('Send') } },
  savedMessages.element,
  composerColumn,
  emitComposer.element,
  sideControls,
);
const readOnlyNote = h('p', { class: 'read-only-note', attrs: { role: 'note' } });
readOnlyNote.hidden = true;
/** The log above, the composer docked below it, the splitter between. */
const split = h('div', { class: 'log-split' }, log.element);
const splitter = new Splitter(split, sendSection, l10n.t('Resize composer'));
split.append(splitter.element, sendSection);
const layout = h('div', { class: 'panel-layout' });
/** The state fields and the folded Connection details share a line; unfolded, the details wrap below. */
const stateRow = h('div', { class: 'state-row' }, info.element, details.element);

/** A recorded log (a HAR file's): the log alone, with a note saying where it comes from. */
function showReadOnly(note: string | undefined): void {
  readOnlyNote.hidden = note === undefined;
  readOnlyNote.textContent = note ?? '';
  const requestParts = [topBar, stateRow, settings.element, splitter.element, sendSection, status.element];
  for (const element of requestParts) element.hidden = note !== undefined;
  layout.classList.toggle('read-only', note !== undefined);
}

function handle(message: ToWebview): void {
  switch (message.type) {
    case 'init':
      document.title = message.title;
      showReadOnly(message.readOnly);
      setParams(message);
      endpoints.update(message.collections, message.workspace);
      variables.update(message.collections);
      settings.refreshMarks();
      applyState(message.state);
      log.reset(message.entries, message.evicted, message.capacity);
      log.setRecording(message.recording);
      vscode.postMessage({ type: 'entriesAck', tail: log.followsTail });
      break;
    case 'hostInfo':
      hostInfo.apply(message);
      break;
    case 'state':
      applyState(message.state);
      break;
    case 'entries':
      log.append(message.entries, message.evicted, message);
      vscode.postMessage({ type: 'entriesAck', tail: log.followsTail });
      break;
    case 'recording':
      log.setRecording(message.file);
      break;
    case 'logCleared':
      log.clear();
      break;
    case 'panelAction':
      if (message.action === 'connect') form.submit();
      else if (formKind === 'socketio') emitComposer.submit();
      else composer.submit();
      break;
    case 'collections':
      endpoints.update(message.collections, message.workspace);
      variables.update(message.collections);
      settings.refreshMarks();
      break;
    case 'params':
      setParams(message);
      break;
    case 'savedMessages':
      savedMessages.update(message);
      uiState.endpointId = message.endpoint?.id;
      saveUiState();
      break;
    case 'result':
      requests.handleResult(message);
      break;
    default:
      assertNever(message);
  }
}

const app = document.getElementById('app') ?? document.body;
layout.append(
  topBar,
  h('main', { class: 'panel-main' }, generalError.element, readOnlyNote, stateRow, settings.element, split),
  status.element,
  announcer.element,
);
app.replaceChildren(layout);
installPanelKeys(log.element);
const throughput = mountThroughputStrip(status.element);
applyState(connection);

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  // Only the host posts to this page; anything without our shape is ignored.
  const message: unknown = event.data;
  if (typeof message !== 'object' || message === null || typeof (message as { type?: unknown }).type !== 'string') return;
  handle(event.data);
});

vscode.postMessage({ type: 'ready' });
