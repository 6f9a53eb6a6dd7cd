/**
 * Requests to the host carry an increasing id; the host's `result` names the id it answers.
 * A failed result's error goes next to the field it names; a successful one clears the fields
 * the request was about.
 */
import type { Field, FromWebview, ResultMessage } from '../shared/protocol';
import type { FieldErrors } from './errorSlot';
import { vscode } from './vscodeApi';
import { l10n } from './l10n';

type Request = Extract<FromWebview, { requestId: number }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'requestId'> : never;
export type RequestBody = WithoutId<Request>;

interface Pending {
  fields: readonly Field[];
  onResult?: (result: ResultMessage) => boolean | void;
}

export class Requests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly errors: FieldErrors) {}

  /**
   * Posts a request. `fields` are the controls it concerns (cleared on success). `onResult`
   * sees the answer first and returns true when it has shown the outcome itself.
   */
  send(body: RequestBody, fields: readonly Field[], onResult?: Pending['onResult']): number {
    const requestId = this.nextId++;
    this.pending.set(requestId, { fields, onResult });
    vscode.postMessage({ ...body, requestId });
    return requestId;
  }

  handleResult(result: ResultMessage): void {
    const pending = this.pending.get(result.inReplyTo);
    this.pending.delete(result.inReplyTo);
    if (pending?.onResult?.(result) === true) return;
    if (result.ok) {
      this.errors.clear([...(pending?.fields ?? []), 'general']);
    } else {
      this.errors.show(result.field, result.error ?? l10n.t('The request failed.'));
    }
  }
}
