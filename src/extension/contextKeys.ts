/**
 * The context keys the manifest's `when` clauses read: commands show in the palette, the panel's
 * editor title and the keybindings only where they can act. Each key is set again whenever what it
 * says may have changed, and only when its value did (setContext is a round trip to the workbench).
 */
import * as vscode from 'vscode';
import type { EndpointStore } from './endpointStore';
import type { MockServers } from './mockServers';
import type { PanelRegistry } from './panelRegistry';

export const CONTEXT_KEYS = {
  /** A debugger panel is open. */
  panelOpen: 'websocketDebugger.panelOpen',
  /** Some panel's connection is open or opening: Disconnect can act. */
  connected: 'websocketDebugger.connected',
  /** The panel the user looked at last is connected (its editor title shows Disconnect, not Connect). */
  activePanelConnected: 'websocketDebugger.activePanelConnected',
  /** The panel the user looked at last is recording to a file. */
  activePanelRecording: 'websocketDebugger.activePanelRecording',
  /** A saved collection holds an endpoint: Rename and Delete can act. */
  hasSavedEndpoints: 'websocketDebugger.hasSavedEndpoints',
  /** A collection is saved: Export can act. */
  hasSavedCollections: 'websocketDebugger.hasSavedCollections',
  /** A mock server runs: Stop, Copy URL and Open Mock Panel can act. */
  mockRunning: 'websocketDebugger.mockRunning',
  /** A panel has sent a message since VS Code started (the walkthrough's "Send" step). */
  messageSent: 'websocketDebugger.messageSent',
} as const;

export type ContextKey = (typeof CONTEXT_KEYS)[keyof typeof CONTEXT_KEYS];

export class ContextKeys implements vscode.Disposable {
  private readonly current = new Map<ContextKey, boolean>();
  private readonly subscriptions: vscode.Disposable[];
  private sent = false;

  constructor(
    private readonly panels: PanelRegistry,
    private readonly store: EndpointStore,
    private readonly mocks: MockServers,
  ) {
    // Panels change often (a state post per batch during a flood): the store, whose read parses
    // every collection, is read only when it changes.
    this.subscriptions = [
      panels.onDidChange(() => this.updatePanels()),
      store.onDidChange(() => this.updateStore()),
      mocks.onDidChange(() => this.set(CONTEXT_KEYS.mockRunning, this.mocks.all.length > 0)),
    ];
    this.updatePanels();
    this.updateStore();
    this.set(CONTEXT_KEYS.mockRunning, this.mocks.all.length > 0);
  }

  /** The values last set, for the integration tests (VS Code offers no way to read context keys). */
  get values(): Readonly<Record<ContextKey, boolean>> {
    return Object.fromEntries(this.current) as Record<ContextKey, boolean>;
  }

  private updatePanels(): void {
    const panels = this.panels.all;
    const active = this.panels.active;
    this.sent ||= panels.some((panel) => panel.state.counters.messagesSent > 0);
    this.set(CONTEXT_KEYS.panelOpen, panels.length > 0);
    this.set(CONTEXT_KEYS.connected, panels.some((panel) => panel.isConnected));
    this.set(CONTEXT_KEYS.activePanelConnected, active?.isConnected === true);
    this.set(CONTEXT_KEYS.activePanelRecording, active?.recording === true);
    this.set(CONTEXT_KEYS.messageSent, this.sent);
  }

  private updateStore(): void {
    const collections = this.store.collections;
    this.set(CONTEXT_KEYS.hasSavedEndpoints, collections.some((collection) => collection.endpoints.length > 0));
    this.set(CONTEXT_KEYS.hasSavedCollections, collections.length > 0);
  }

  private set(key: ContextKey, value: boolean): void {
    if (this.current.get(key) === value) return;
    this.current.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
