/**
 * The saved messages of the endpoint a panel has loaded: which endpoint that is, the list the
 * webview shows, and the webview's requests to edit or send one. Edits go to the endpoint store;
 * endpoints shared by a workspace file are listed and sendable but edited only in their file.
 */
import { findEndpoint } from '../../shared/collections';
import { l10n } from '../../shared/l10n';
import { assertNever, type Endpoint, type FromWebview, type PayloadFormat, type SendFormat, type ToWebview } from '../../shared/protocol';
import { isPayloadFormat } from '../../shared/savedMessages';
import { checkEventName } from '../../shared/socketIo';
import { addMessage, deleteMessage, moveMessage, renameMessage, type MessagesChange } from '../../shared/savedMessages';
import type { ActionResult } from '../session';
import { findSharedEndpoint, type PanelHost } from './panelHost';

/** The webview's requests about saved messages. */
export type MessageRequest = Extract<
  FromWebview,
  { type: 'saveMessage' | 'renameMessage' | 'deleteMessage' | 'moveMessage' | 'sendMessage' }
>;

/** How a saved message goes out: the same paths as the composers'. */
export interface MessageSender {
  send(format: SendFormat, body: string): Promise<ActionResult>;
  emit(event: string, format: PayloadFormat, args: string, expectAck: boolean): ActionResult;
}

interface LoadedEndpoint {
  endpoint: Endpoint;
  /** Why its messages cannot be edited in the panel; absent for endpoints saved in the store. */
  readOnly?: string;
}

export class PanelMessages {
  private endpointId: string | undefined;

  constructor(
    private readonly host: PanelHost,
    private readonly post: (message: ToWebview) => void,
    private readonly sender: MessageSender,
    endpointId: string | undefined,
  ) {
    this.endpointId = endpointId;
  }

  /** The endpoint whose messages the panel lists, if it is (still) saved or shared. */
  get loaded(): LoadedEndpoint | undefined {
    if (this.endpointId === undefined) return undefined;
    const saved = findEndpoint(this.host.endpoints.collections, this.endpointId);
    if (saved) return { endpoint: saved.endpoint };
    const shared = findSharedEndpoint(this.host.sharedCollections(), this.endpointId);
    if (shared) return { endpoint: shared.endpoint, readOnly: l10n.t('Shared by {0}: edit its messages in that file', shared.file) };
    return undefined;
  }

  /** Makes this endpoint the panel's and lists its messages. */
  choose(endpointId: string | undefined): void {
    this.endpointId = endpointId;
    this.show();
  }

  /** Posts the current list (after any change to the collections or the shared files). */
  show(): void {
    const loaded = this.loaded;
    if (!loaded) {
      this.post({ type: 'savedMessages', messages: [] });
      return;
    }
    const { endpoint, readOnly } = loaded;
    this.post({
      type: 'savedMessages',
      endpoint: { id: endpoint.id, name: endpoint.name, socketio: endpoint.kind === 'socketio', ...(readOnly ? { readOnly } : {}) },
      messages: endpoint.messages ?? [],
    });
  }

  async handle(request: MessageRequest): Promise<ActionResult> {
    const loaded = this.loaded;
    if (!loaded || loaded.endpoint.id !== request.endpointId) {
      return refused(l10n.t('This panel has another endpoint loaded now: choose the endpoint again'));
    }
    switch (request.type) {
      case 'sendMessage':
        return this.sendSaved(loaded.endpoint, request.name);
      case 'saveMessage': {
        const socketio = loaded.endpoint.kind === 'socketio';
        const { event } = request.message;
        if (socketio && event === undefined) return refused(l10n.t('A Socket.IO message needs an event name'));
        if (socketio && event !== undefined && checkEventName(event)) return refused(checkEventName(event) ?? '');
        if (!socketio && (event !== undefined || request.message.ack !== undefined)) {
          return refused(l10n.t('Only Socket.IO endpoints keep event names and acks'));
        }
        return this.change(loaded, (messages) => addMessage(messages, request.message));
      }
      case 'renameMessage':
        return this.change(loaded, (messages) => renameMessage(messages, request.name, request.newName));
      case 'deleteMessage':
        return this.change(loaded, (messages) => deleteMessage(messages, request.name));
      case 'moveMessage':
        return this.change(loaded, (messages) => moveMessage(messages, request.name, request.offset));
      default:
        return assertNever(request);
    }
  }

  private async change(loaded: LoadedEndpoint, change: Parameters<PanelHost['endpoints']['changeMessages']>[1]): Promise<ActionResult> {
    if (loaded.readOnly) return refused(loaded.readOnly);
    const result: MessagesChange = await this.host.endpoints.changeMessages(loaded.endpoint.id, change);
    // The store's change event shows the new list too; posting it here answers at once.
    this.show();
    return result.ok ? { ok: true } : refused(result.error);
  }

  private async sendSaved(endpoint: Endpoint, name: string): Promise<ActionResult> {
    const message = endpoint.messages?.find((m) => m.name === name);
    if (!message) return refused(l10n.t('There is no saved message named "{0}" any more', name));
    const format = message.format;
    let result: ActionResult;
    if (endpoint.kind !== 'socketio') result = await this.sender.send(format, message.body);
    else if (isPayloadFormat(format)) result = this.sender.emit(message.event ?? '', format, message.body, message.ack === true);
    else result = refused(l10n.t('Socket.IO arguments are text, JSON, hex or base64, not {0}', format));
    // Shown beside the list the user sent from, whichever composer field the error was for.
    return result.ok ? result : { ...result, field: 'savedMessage' };
  }
}

function refused(error: string): ActionResult {
  return { ok: false, field: 'savedMessage', error };
}
