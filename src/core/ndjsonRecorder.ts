/**
 * Record to file: every log entry, as it arrives, appended to a file as one JSON object per line
 * (NDJSON), so a session longer than the log's capacity loses nothing. Writes go through one
 * stream; a batch is one write. Free of `vscode` so it is unit-tested in plain Node.
 *
 * A decoded binary message is recorded raw and decoded: `payload` keeps its bytes (base64) and
 * `decoded` holds `{"as", "value"}` (the decoded value as JSON) or `{"as", "error"}`.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { LogEntry } from '../shared/protocol';

/** The line of one entry: the decoded value as JSON data rather than as text inside a string. */
export function recordOf(entry: LogEntry): object {
  const decoded = entry.decoded;
  if (decoded === undefined) return entry;
  const { json, ...rest } = decoded;
  return { ...entry, decoded: json === undefined ? rest : { ...rest, value: JSON.parse(json) as unknown } };
}
import type { EntrySink } from './logPipeline';

export class NdjsonRecorder implements EntrySink {
  private written = 0;
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly stream: WriteStream,
    private readonly onError: (error: Error) => void,
  ) {
    stream.on('error', (error) => {
      if (this.failure) return;
      this.failure = error;
      this.onError(error);
    });
  }

  /** Creates (or truncates) `file`; resolves once it is open, rejects when it cannot be. */
  static open(file: string, onError: (error: Error) => void): Promise<NdjsonRecorder> {
    return new Promise((resolve, reject) => {
      const stream = createWriteStream(file, { flags: 'w', encoding: 'utf8' });
      const failed = (error: Error): void => reject(error);
      stream.once('error', failed);
      stream.once('open', () => {
        stream.off('error', failed);
        resolve(new NdjsonRecorder(file, stream, onError));
      });
    });
  }

  /** How many entries have been handed to the file. */
  get count(): number {
    return this.written;
  }

  write(entries: readonly LogEntry[]): void {
    if (this.closed || this.failure || entries.length === 0) return;
    let chunk = '';
    for (const entry of entries) chunk += `${JSON.stringify(recordOf(entry))}\n`;
    this.stream.write(chunk);
    this.written += entries.length;
  }

  /** Flushes what is buffered and closes the file. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => {
      if (this.stream.closed) {
        resolve();
        return;
      }
      this.stream.once('close', () => resolve());
      if (this.failure) this.stream.destroy();
      else this.stream.end();
    });
  }
}
