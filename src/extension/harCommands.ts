/**
 * WebSocket: Export as HAR… (a panel's log, also the log toolbar's button) and WebSocket: Import
 * HAR… (a HAR file saved by Chrome, Firefox or HTTP Toolkit becomes a collection, and each
 * recorded connection's log opens in a panel of its own). The work is in src/core/har; this is
 * the dialogs, the quick picks and the messages.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_HAR_BYTES, readHar } from '../core/har/harReader';
import type { HarExportChoices } from '../core/panel/panelHost';
import type { Collection } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import { COMMANDS } from './commandIds';
import type { DebuggerPanel } from './debuggerPanel';
import { newId, type EndpointStore } from './endpointStore';
import type { PanelRegistry } from './panelRegistry';

/** What Import HAR… did: the collection added and the panels showing the recorded logs. */
export interface HarImportOutcome {
  collection: Collection;
  panels: DebuggerPanel[];
}

/** Choices a caller (a test, a keybinding) may pass instead of answering the quick pick. */
interface ImportChoices {
  keepCookies?: boolean;
  /** Open each recorded log in a panel (default: ask with a button on the message). */
  openLogs?: boolean;
}

function isExportChoices(value: unknown): value is HarExportChoices {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.keepCookies === 'boolean' && typeof v.keepSecrets === 'boolean' && (v.file === undefined || typeof v.file === 'string');
}

async function exportHar(panels: PanelRegistry, choices: unknown): Promise<string | undefined> {
  const candidates = panels.all.filter((p) => p.entries.some((e) => e.kind === 'open' || e.kind === 'message'));
  const active = panels.active;
  let panel = active && candidates.includes(active) ? active : candidates.length === 1 ? candidates[0] : undefined;
  if (!panel && candidates.length > 1) {
    const pick = await vscode.window.showQuickPick(
      candidates.map((p) => ({ label: p.title, description: p.state.url, panel: p })),
      { title: vscode.l10n.t('Export which panel’s log as HAR?') },
    );
    panel = pick?.panel;
    if (!panel) return undefined;
  }
  if (!panel) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No panel has a connection in its log to export yet.'));
    return undefined;
  }
  // A file passed in (not chosen in the save dialog) is replaced only after VS Code's confirmation.
  if (isExportChoices(choices) && choices.file !== undefined && (await exists(vscode.Uri.file(choices.file)))) {
    const replaceAction = vscode.l10n.t('Replace');
    const replace = await vscode.window.showWarningMessage(vscode.l10n.t('{0} already exists. Replace it?', path.basename(choices.file)), { modal: true }, replaceAction);
    if (replace !== replaceAction) return undefined;
  }
  return panel.exportHar(isExportChoices(choices) ? choices : undefined);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function pickImportChoices(): Promise<ImportChoices | undefined> {
  const picked = await vscode.window.showQuickPick(
    [{ label: vscode.l10n.t('Keep cookies'), description: vscode.l10n.t('keep the Cookie request header on the endpoints (left out by default)') }],
    { title: vscode.l10n.t('Import HAR: keep anything that is left out by default?'), placeHolder: vscode.l10n.t('Leave it unchecked to leave cookies out, then press Enter'), canPickMany: true },
  );
  return picked ? { keepCookies: picked.length > 0 } : undefined;
}

async function importHar(store: EndpointStore, panels: PanelRegistry, arg: unknown, choicesArg: unknown): Promise<HarImportOutcome | undefined> {
  let uri = arg instanceof vscode.Uri ? arg : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({ title: vscode.l10n.t('Import a HAR file'), canSelectMany: false, filters: { [vscode.l10n.t('HAR files')]: ['har', 'json'], [vscode.l10n.t('All files')]: ['*'] } });
    uri = picked?.[0];
  }
  if (!uri) return undefined;
  const given = typeof choicesArg === 'object' && choicesArg !== null ? (choicesArg as ImportChoices) : undefined;
  const choices = given ?? (await pickImportChoices());
  if (!choices) return undefined;
  const fileName = path.posix.basename(uri.path);
  let text: string;
  try {
    const size = (await vscode.workspace.fs.stat(uri)).size;
    if (size > MAX_HAR_BYTES) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot import {0}: it is {1} MB; HAR files are read up to {2} MB. Nothing was imported.', fileName, (size / 1024 / 1024).toFixed(1), MAX_HAR_BYTES / 1024 / 1024));
      return undefined;
    }
    text = new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    const reason = error instanceof TypeError ? vscode.l10n.t('the file is not UTF-8 text') : error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot import {0}: {1}. Nothing was imported.', fileName, reason));
    return undefined;
  }
  const result = readHar(text, { name: fileName.replace(/\.har$/i, ''), keepCookies: choices.keepCookies === true, newId });
  if (!result.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot import {0}: {1}. Nothing was imported.', fileName, visibleText(result.error)));
    return undefined;
  }
  const added = await store.addImported(result.value.collection);
  const count = added.endpoints.length;
  const message = [
    count === 1
      ? vscode.l10n.t('Imported 1 WebSocket connection from {0} (saved by {1}) as the collection "{2}", with a replay flow for each.', fileName, visibleText(result.value.creator), added.name)
      : vscode.l10n.t('Imported {0} WebSocket connections from {1} (saved by {2}) as the collection "{3}", with a replay flow for each.', count, fileName, visibleText(result.value.creator), added.name),
    ...result.value.notes.map(visibleText),
  ].join(' ');
  const openLogs = (): DebuggerPanel[] =>
    result.value.logs.map((log, index) => {
      const endpoint = added.endpoints[index];
      // A Socket.IO recording opens as a Socket.IO panel, so its events show as events.
      const params = endpoint
        ? { url: endpoint.url, protocols: endpoint.protocols, headers: endpoint.headers, ...(endpoint.kind === 'socketio' ? { kind: endpoint.kind, socketio: endpoint.socketio } : {}) }
        : { url: log.url, protocols: [], headers: [] };
      const note = vscode.l10n.t(
        'Recorded in {0} (saved by {1}): {2}. Read-only: to talk to the server, connect from the endpoint "{3}" of the collection "{4}" or run its replay flow.',
        fileName, visibleText(result.value.creator), visibleText(log.url), visibleText(log.endpoint), visibleText(added.name),
      );
      const panel = panels.openRecorded(vscode.l10n.t('{0} (HAR)', log.endpoint), params, note);
      // Copies: the log numbers what it is given, and the same recording may open twice.
      for (const entry of log.entries) panel.logEntry({ ...entry });
      return panel;
    });
  if (choices.openLogs === true) {
    void vscode.window.showInformationMessage(message);
    return { collection: added, panels: openLogs() };
  }
  void vscode.window.showInformationMessage(message, vscode.l10n.t('Open the recorded log')).then((choice) => {
    if (choice) openLogs();
  });
  return { collection: added, panels: [] };
}

export function registerHarCommands(store: EndpointStore, panels: PanelRegistry): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.exportHar, (choices?: unknown) => exportHar(panels, choices)),
    vscode.commands.registerCommand(COMMANDS.importHar, (uri?: unknown, choices?: unknown) => importHar(store, panels, uri, choices)),
  ];
}
