/**
 * What every session (WebSocket or Socket.IO) shares: its state and entry events, the masking of
 * secret values, the failure it last reported, handlers that never throw into a library, and
 * disposal. Written once so that the two kinds cannot drift apart again (Socket.IO once masked
 * nothing because its copy of these helpers had no secrets).
 */
import type { ConnectionState, Field, LogEntry } from '../shared/protocol';
import { l10n } from '../shared/l10n';
import { Emitter, type Disposable } from './emitter';

export type ActionResult =
  | { ok: true }
  | { ok: false; field: Field; error: string; needsConfirmation?: boolean };

/** A log row before the log assigns its id. */
export type ConnectionEntry = Omit<LogEntry, 'id'>;

/** The answer to a frame action (send, ping/pong) asked of a Socket.IO session. */
export function framesRefused(action: 'send' | 'control'): ActionResult {
  switch (action) {
    case 'send':
      return { ok: false, field: 'message', error: l10n.t('A Socket.IO connection sends events: use Emit') };
    case 'control':
      return { ok: false, field: 'control', error: l10n.t('Socket.IO manages its own heartbeats; ping and pong frames cannot be sent here') };
  }
}

/** What secret values are replaced with wherever a session reports something. */
export const MASK = '••••••';

/** The options every kind of session takes; each kind adds its own. */
export interface SessionOptions {
  /** How long the server may take to answer the opening handshake. */
  handshakeTimeoutMs: number;
  /**
   * Values hidden wherever the session reports what was sent (secret variables): the state, the
   * words of every log entry, errors and action results. Message and event payloads are data and
   * are shown as they are.
   */
  secrets?: readonly string[];
}

export abstract class SessionBase {
  private readonly entryEmitter = new Emitter<ConnectionEntry>();
  private readonly stateEmitter = new Emitter<ConnectionState>();
  private readonly secrets: readonly string[];
  private statePending = false;

  readonly onEntry: (listener: (entry: ConnectionEntry) => void) => Disposable = this.entryEmitter.event;
  readonly onStateChange: (listener: (state: ConnectionState) => void) => Disposable = this.stateEmitter.event;

  /** The last failure in words (already masked), reported as the state's `error`. */
  protected failure: string | undefined;
  protected disposed = false;

  constructor(options: SessionOptions) {
    // Longest first: a secret that contains another must not be left half visible.
    this.secrets = [...new Set(options.secrets ?? [])].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  }

  /** A snapshot of the session with every secret value masked. */
  get state(): ConnectionState {
    const state = this.snapshot();
    if (this.secrets.length === 0) return state;
    state.url = this.mask(state.url);
    if (state.error !== undefined) state.error = this.mask(state.error);
    if (state.close) state.close.reason = this.mask(state.close.reason);
    const refusal = state.refusal;
    if (refusal) {
      refusal.statusMessage = this.mask(refusal.statusMessage);
      refusal.headers = refusal.headers.map(([name, value]) => [name, this.mask(value)]);
      refusal.body = this.mask(refusal.body);
    }
    return state;
  }

  /** Releases every listener; subclasses end their socket and call this. */
  dispose(): void {
    this.disposed = true;
    this.entryEmitter.dispose();
    this.stateEmitter.dispose();
  }

  /** The state in the session's own terms, as fresh objects the caller may change. */
  protected abstract snapshot(): ConnectionState;

  /** Replaces every secret value in `text` with the mask: the one place secrets are hidden. */
  protected readonly mask = (text: string): string => {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  };

  /** A refused action whose words may come from a library (and so may quote a secret). */
  protected refuse(field: Field, error: string): ActionResult {
    return { ok: false, field, error: this.mask(error) };
  }

  /** Logs an entry stamped now; its words are masked. */
  protected log(entry: Omit<ConnectionEntry, 'time'>): void {
    const full: ConnectionEntry = { time: Date.now(), ...entry };
    if (full.detail !== undefined && this.secrets.length > 0) full.detail = this.mask(full.detail);
    this.emitEntry(full);
  }

  /**
   * Reports a finished entry as it is: for payload-only entries on the received-message path,
   * where one object less per message counts and there are no words to mask.
   */
  protected emitEntry(entry: ConnectionEntry): void {
    if (this.disposed) return;
    this.entryEmitter.fire(entry);
  }

  protected info(detail: string): void {
    this.log({ kind: 'info', direction: 'none', size: 0, detail });
    this.notifyState();
  }

  /** Records a failure as the state's error and as an 'error' entry. */
  protected fail(sentence: string): void {
    this.failure = this.mask(sentence);
    this.log({ kind: 'error', direction: 'none', size: 0, detail: this.failure });
    this.notifyState();
  }

  protected notifyState(): void {
    if (this.disposed) return;
    this.stateEmitter.fire(this.state);
  }

  /**
   * One state notification for a run of messages: a library parses every frame of a TCP chunk
   * in one go, and a state snapshot per message was a large share of the cost of a flood.
   */
  protected notifyStateSoon(): void {
    if (this.statePending) return;
    this.statePending = true;
    queueMicrotask(() => {
      this.statePending = false;
      this.notifyState();
    });
  }

  /** Wraps a library event handler so that nothing it throws escapes into the library / the host. */
  protected guarded<A extends unknown[]>(event: string, handler: (...args: A) => void): (...args: A) => void {
    return (...args: A): void => {
      try {
        handler(...args);
      } catch (error) {
        this.internalError(event, error);
      }
    };
  }

  protected internalError(event: string, error: unknown): void {
    try {
      this.log({
        kind: 'error',
        direction: 'none',
        size: 0,
        detail: `Internal error while handling the '${event}' event: ${messageOf(error)}`,
      });
    } catch {
      // Logging itself failed; swallowing is the only way to protect the host.
    }
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
