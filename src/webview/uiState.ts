/**
 * UI-only state that survives the panel being hidden and revived (vscode.setState). Connection
 * data is not kept here: the host re-sends it, log included, on `init`.
 */
import type { ConnectionParams, PayloadFormat, SendFormat, ShowFormat } from '../shared/protocol';
import { isPayloadFormat, isSendFormat, isShowFormat } from './format';
import { vscode } from './vscodeApi';

export interface UiState {
  /** The panel-wide Show as, once the user picked one; before that each entry uses its default. */
  showAs?: ShowFormat;
  /** Per-entry Show as overrides, by entry id. */
  overrides: Record<string, ShowFormat>;
  composerBody: string;
  sendAs: SendFormat;
  /**
   * The connection parameters the host last confirmed. VS Code hands this state to the host's
   * panel serializer after a window reload, so the revived panel knows its endpoint.
   */
  params?: ConnectionParams;
  /** The endpoint whose saved messages the panel lists; handed to the serializer like `params`. */
  endpointId?: string;
  /** The Socket.IO composer's fields and the muted event names. */
  emit?: EmitFields;
  /** The user hid the throughput strip. */
  throughputHidden?: boolean;
  /** The request settings tab last chosen (its id). */
  settingsTab?: string;
  /**
   * Whether the request settings are unfolded, kept apart for a connected and a closed panel:
   * they fold away once connected unless the user unfolded them while connected.
   */
  settingsOpen: { connected: boolean; closed: boolean };
  /** The composer's height in CSS pixels, as the user set it with the splitter. */
  composerHeight?: number;
  /** Whether the Connection details (the inspector) are unfolded. */
  detailsOpen: boolean;
}

export interface EmitFields {
  event: string;
  args: string;
  format: PayloadFormat;
  expectAck: boolean;
  muted: string;
}

function restoreEmit(saved: unknown): EmitFields | undefined {
  if (typeof saved !== 'object' || saved === null) return undefined;
  const e = saved as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    event: text(e.event),
    args: text(e.args),
    format: isPayloadFormat(e.format) ? e.format : 'json',
    expectAck: e.expectAck === true,
    muted: text(e.muted),
  };
}

function restore(saved: unknown): UiState {
  const state: UiState = {
    overrides: {},
    composerBody: '',
    sendAs: 'text',
    settingsOpen: { connected: false, closed: true },
    detailsOpen: false,
  };
  if (typeof saved !== 'object' || saved === null) return state;
  const s = saved as Record<string, unknown>;
  if (typeof s.settingsTab === 'string') state.settingsTab = s.settingsTab;
  if (typeof s.settingsOpen === 'object' && s.settingsOpen !== null) {
    const open = s.settingsOpen as Record<string, unknown>;
    if (typeof open.connected === 'boolean') state.settingsOpen.connected = open.connected;
    if (typeof open.closed === 'boolean') state.settingsOpen.closed = open.closed;
  }
  if (typeof s.composerHeight === 'number' && Number.isFinite(s.composerHeight)) state.composerHeight = s.composerHeight;
  if (typeof s.detailsOpen === 'boolean') state.detailsOpen = s.detailsOpen;
  if (isShowFormat(s.showAs)) state.showAs = s.showAs;
  if (isSendFormat(s.sendAs)) state.sendAs = s.sendAs;
  if (typeof s.composerBody === 'string') state.composerBody = s.composerBody;
  // Passed through as is: the host validates it when it revives the panel.
  if (typeof s.params === 'object' && s.params !== null) state.params = s.params as ConnectionParams;
  if (typeof s.endpointId === 'string') state.endpointId = s.endpointId;
  state.emit = restoreEmit(s.emit);
  if (s.throughputHidden === true) state.throughputHidden = true;
  if (typeof s.overrides === 'object' && s.overrides !== null) {
    for (const [id, format] of Object.entries(s.overrides)) {
      if (isShowFormat(format)) state.overrides[id] = format;
    }
  }
  return state;
}

export const uiState: UiState = restore(vscode.getState());

let saveScheduled = false;

/** Saves on the next tick, so a burst of edits (typing) costs one setState. */
export function saveUiState(): void {
  if (saveScheduled) return;
  saveScheduled = true;
  setTimeout(() => {
    saveScheduled = false;
    vscode.setState(uiState);
  }, 100);
}
