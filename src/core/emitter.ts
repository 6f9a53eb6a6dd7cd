/**
 * A tiny typed event emitter with the same shape as VS Code's (`event(listener)` returns a
 * Disposable), so host modules that must not import `vscode` can still expose events.
 */

/** Something that holds a resource (listener, socket, timer) until it is disposed. */
export interface Disposable {
  dispose(): void;
}

/** Called when a listener throws; the default writes to the console (the extension host log). */
export type ListenerErrorHandler = (error: unknown) => void;

export class Emitter<T> {
  // An array of wrapper objects (not a Set of functions) so one function can subscribe twice
  // and each subscription is removed by its own Disposable.
  private listeners: { fn: (value: T) => void }[] = [];
  private disposed = false;

  constructor(private readonly onListenerError: ListenerErrorHandler = (error) => console.error(error)) {}

  /** Subscribes; after `dispose()` of the emitter this is a no-op that returns a no-op handle. */
  readonly event = (listener: (value: T) => void): Disposable => {
    if (this.disposed) return { dispose: () => undefined };
    const entry = { fn: listener };
    this.listeners.push(entry);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((candidate) => candidate !== entry);
      },
    };
  };

  /**
   * Calls every listener with `value`. A throwing listener is reported and does not stop the
   * others: fire() is called from socket event handlers, where an exception would crash the host.
   */
  fire(value: T): void {
    // Snapshot: listeners may unsubscribe (or subscribe) while being called.
    for (const { fn } of this.listeners.slice()) {
      try {
        fn(value);
      } catch (error) {
        try {
          this.onListenerError(error);
        } catch {
          // The error handler itself failed; nothing sensible is left to do.
        }
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}
