/**
 * The rules and edits of an endpoint's saved messages: names are trimmed, 1 to 200 characters
 * and unique within the endpoint (flows refer to a message by its name), and the list keeps the
 * order the user gave it. Pure and zod-free, so the webview checks names with the same words.
 */
import type { PayloadFormat, SavedMessage } from './model';
import { l10n } from './l10n';
import { MAX_MESSAGE_NAME_LENGTH, MAX_SAVED_MESSAGES } from './savedMessageLimits';


/** Whether a saved message's format is one Socket.IO arguments can have (not a binary encoding). */
export function isPayloadFormat(format: SavedMessage['format']): format is PayloadFormat {
  return format === 'text' || format === 'json' || format === 'hex' || format === 'base64';
}

export type MessagesChange = { ok: true; messages: SavedMessage[] } | { ok: false; error: string };

/** Why `name` (already trimmed) cannot name a message of `messages`, or undefined. `except` is the one being renamed. */
export function checkMessageName(name: string, messages: readonly SavedMessage[], except?: string): string | undefined {
  if (name === '') return l10n.t('Enter a name for the message');
  if (name.length > MAX_MESSAGE_NAME_LENGTH) return l10n.t('A message name can be at most {0} characters; this one has {1}', MAX_MESSAGE_NAME_LENGTH, name.length);
  if (name !== except && messages.some((m) => m.name === name)) return l10n.t('This endpoint already has a message named "{0}"', name);
  return undefined;
}

/** The fields a message keeps, in the file's key order; `ack` only when true. */
export function copyMessage(message: SavedMessage): SavedMessage {
  return {
    name: message.name,
    format: message.format,
    body: message.body,
    ...(message.event !== undefined ? { event: message.event } : {}),
    ...(message.ack === true ? { ack: true as const } : {}),
  };
}

function indexOf(messages: readonly SavedMessage[], name: string): number | { ok: false; error: string } {
  const index = messages.findIndex((m) => m.name === name);
  return index >= 0 ? index : { ok: false, error: l10n.t('There is no saved message named "{0}" any more', name) };
}

/** Appends a message under its trimmed name. */
export function addMessage(messages: readonly SavedMessage[], message: SavedMessage): MessagesChange {
  const name = message.name.trim();
  const error = checkMessageName(name, messages);
  if (error) return { ok: false, error };
  if (messages.length >= MAX_SAVED_MESSAGES) return { ok: false, error: l10n.t('An endpoint can keep at most {0} messages', MAX_SAVED_MESSAGES) };
  return { ok: true, messages: [...messages.map(copyMessage), copyMessage({ ...message, name })] };
}

export function renameMessage(messages: readonly SavedMessage[], name: string, newName: string): MessagesChange {
  const index = indexOf(messages, name);
  if (typeof index !== 'number') return index;
  const trimmed = newName.trim();
  const error = checkMessageName(trimmed, messages, name);
  if (error) return { ok: false, error };
  return { ok: true, messages: messages.map((m, i) => copyMessage(i === index ? { ...m, name: trimmed } : m)) };
}

export function deleteMessage(messages: readonly SavedMessage[], name: string): MessagesChange {
  const index = indexOf(messages, name);
  if (typeof index !== 'number') return index;
  return { ok: true, messages: messages.filter((_, i) => i !== index).map(copyMessage) };
}

/** Moves a message one place up (-1) or down (1); at either end the list stays as it is. */
export function moveMessage(messages: readonly SavedMessage[], name: string, offset: -1 | 1): MessagesChange {
  const index = indexOf(messages, name);
  if (typeof index !== 'number') return index;
  const target = index + offset;
  const moved = messages.map(copyMessage);
  if (target < 0 || target >= moved.length) return { ok: true, messages: moved };
  [moved[index], moved[target]] = [moved[target], moved[index]];
  return { ok: true, messages: moved };
}
