/**
 * Puts a protocol lens's view on the messages of one session (see src/shared/lenses). The host
 * does it, once per message as it is logged, so the view travels with the entry: the webview
 * draws the summary of the few rows it shows and filters on it without parsing any payload, and
 * a recording keeps it.
 *
 * Which lens is decided at the first message, when the subprotocol is known, from the endpoint's
 * `"lens"` option. Without a lens nothing changes: received text still goes into the log as its
 * bytes (the flood path), at the cost of one comparison per message.
 */
import { createLens } from '../../shared/lenses/createLens';
import { l10n } from '../../shared/l10n';
import { chooseLens, type Lens } from '../../shared/lenses/lens';
import type { LensSetting } from '../../shared/lenses/lensNames';
import type { LogEntry } from '../../shared/protocol';

/** Messages larger than this are not read by a lens: parsing them would hold up the host. */
export const MAX_LENS_BYTES = 4 * 1024 * 1024;

const utf8 = new TextDecoder();

export class EntryLens {
  private lens: Lens | undefined;
  private decided = false;

  /** `protocol` reads the subprotocol the server chose (asked once, at the first message). */
  constructor(
    private readonly setting: LensSetting | undefined,
    private readonly protocol: () => string,
  ) {}

  /** Whether a lens reads this session's messages. */
  get active(): boolean {
    if (!this.decided) {
      this.decided = true;
      const name = chooseLens(this.setting, this.protocol());
      this.lens = name === undefined ? undefined : createLens(name);
    }
    return this.lens !== undefined;
  }

  /** The entry with the lens's view of it, when it is a message a lens reads. */
  annotate(entry: Omit<LogEntry, 'id'>): Omit<LogEntry, 'id'> {
    if (entry.kind !== 'message' || entry.direction === 'none' || !entry.payload || !this.active) return entry;
    const lens = this.lens as Lens;
    if (entry.size > MAX_LENS_BYTES) {
      entry.lens = { lens: lens.name, summary: l10n.t('not read: larger than {0} MiB', MAX_LENS_BYTES / 1024 / 1024), fields: [] };
      return entry;
    }
    const data = entry.payload.kind === 'text' ? entry.payload.text : new Uint8Array(Buffer.from(entry.payload.base64, 'base64'));
    const view = lens.observe({ direction: entry.direction, time: entry.time, data });
    if (view) entry.lens = view;
    return entry;
  }

  /** A received text message (given as its UTF-8 bytes) as an entry with the lens's view. */
  receivedText(time: number, bytes: Uint8Array): Omit<LogEntry, 'id'> {
    return this.annotate({
      time,
      kind: 'message',
      direction: 'received',
      frame: 'text',
      size: bytes.length,
      payload: { kind: 'text', text: utf8.decode(bytes) },
    });
  }
}
