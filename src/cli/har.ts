/**
 * `websocket-debugger har import FILE.har --out COLLECTION.json`: turns the WebSocket entries of a
 * HAR file (Chrome DevTools, Firefox, HTTP Toolkit) into a collection file: an endpoint per
 * connection, its sent messages as saved messages, the exchange as a flow that `run` replays.
 * Prints what it imported; never replaces an existing file without --force. See docs/har.md.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_HAR_BYTES, readHar, type HarImport } from '../core/har/harReader';
import { exportCollection } from '../shared/collections';
import { visibleText } from '../shared/visibleText';
import { ExitStatus, UsageError, parseCommandArgs, type Command, type CommandIo } from './command';

const USAGE = `Usage: websocket-debugger har import FILE.har --out COLLECTION.json [options]

Reads the WebSocket entries of a HAR file saved by Chrome, Firefox or HTTP Toolkit
and writes a collection file (format version 3): one endpoint per connection (URL,
subprotocols, request headers without cookies or the handshake's own headers), its
sent messages as saved messages, and a flow "Replay ENDPOINT" that sends the sent
messages and expects the received ones ('websocket-debugger run' replays it).

Options:
  --out PATH       Where to write the collection file (required)
  --force          Replace PATH if it exists
  --name NAME      The collection's name (default: the HAR file's name)
  --keep-cookies   Keep the Cookie request header on the endpoints
  -h, --help       Show this help

Exit status: 0 when the collection was written, 2 for a usage error or a HAR file
that cannot be used (nothing is written).`;

interface ImportArgs {
  file: string;
  out: string;
  force: boolean;
  name: string | undefined;
  keepCookies: boolean;
}

export const harCommand: Command = {
  name: 'har',
  summary: 'import a HAR file (Chrome, Firefox, HTTP Toolkit) as a collection with a replay flow',
  usage: USAGE,
  run: async (args, io) => {
    const parsed = parseHarArgs(args);
    if (parsed === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return ExitStatus.ok;
    }
    return importHar(parsed, io);
  },
};

function parseHarArgs(args: string[]): ImportArgs | 'help' {
  const parsed = parseCommandArgs(args, {
    out: { type: 'string' },
    force: { type: 'boolean' },
    name: { type: 'string' },
    'keep-cookies': { type: 'boolean' },
  });
  if (parsed === 'help') return 'help';
  const { values, positionals } = parsed;
  const [action, file, extra] = positionals;
  if (action === undefined) throw new UsageError('har needs an action: har import FILE.har --out COLLECTION.json');
  if (action !== 'import') throw new UsageError(`unknown har action ${JSON.stringify(action)}; the action is "import"`);
  if (file === undefined) throw new UsageError('har import needs the HAR file');
  if (extra !== undefined) throw new UsageError(`har import takes one HAR file; unexpected argument ${JSON.stringify(extra)}`);
  if (values.out === undefined || values.out === '') throw new UsageError('har import needs --out COLLECTION.json');
  if (values.name === '') throw new UsageError('--name needs a name');
  return { file, out: values.out, force: values.force === true, name: values.name, keepCookies: values['keep-cookies'] === true };
}

function fail(io: CommandIo, message: string): number {
  io.stderr.write(`websocket-debugger: ${visibleText(message)}\n`);
  return ExitStatus.usage;
}

async function readText(file: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  try {
    const size = (await stat(file)).size;
    if (size > MAX_HAR_BYTES) return { ok: false, error: `it is ${(size / 1024 / 1024).toFixed(1)} MB; HAR files are read up to ${MAX_HAR_BYTES / 1024 / 1024} MB` };
    const bytes = await readFile(file);
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, error: 'no such file' };
    if (code === 'EISDIR') return { ok: false, error: 'it is a directory' };
    if (error instanceof TypeError) return { ok: false, error: 'the file is not UTF-8 text' };
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function importHar(args: ImportArgs, io: CommandIo): Promise<number> {
  const read = await readText(args.file);
  if (!read.ok) return fail(io, `${args.file}: ${read.error}`);
  let n = 0;
  const name = args.name ?? path.basename(args.file).replace(/\.har$/i, '');
  const result = readHar(read.text, { name, keepCookies: args.keepCookies, newId: () => `cli:${n++}` });
  if (!result.ok) return fail(io, `${args.file}: ${result.error}; nothing was written`);
  try {
    // "wx" fails when the file exists, so a file made meanwhile is not replaced either.
    await writeFile(args.out, exportCollection(result.value.collection), { flag: args.force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return fail(io, `${args.out} exists; add --force to replace it`);
    return fail(io, `could not write ${args.out}: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const line of summary(result.value, args)) io.stdout.write(`${visibleText(line)}\n`);
  return ExitStatus.ok;
}

/** What was imported, one line per endpoint, then the notes. */
function summary(imported: HarImport, args: Pick<ImportArgs, 'file' | 'out'>): string[] {
  const { collection, logs } = imported;
  const count = collection.endpoints.length;
  const lines = [`Imported ${count} WebSocket connection${count === 1 ? '' : 's'} from ${args.file} (saved by ${imported.creator}) into ${args.out}, collection "${collection.name}":`];
  for (const [index, endpoint] of collection.endpoints.entries()) {
    const entries = logs[index]?.entries ?? [];
    const socketIo = endpoint.kind === 'socketio';
    // A Socket.IO log counts its events and acks (connects and disconnects are not messages).
    const counted = socketIo ? entries.filter((e) => e.kind === 'event' || e.kind === 'ack') : entries;
    const sent = counted.filter((e) => e.direction === 'sent').length;
    const saved = endpoint.messages?.length ?? 0;
    const flow = collection.flows?.[index]?.name;
    const what = socketIo ? `Socket.IO ${endpoint.socketio?.version ?? 'v4'} namespace ${endpoint.socketio?.namespace ?? '/'}, ${sent} sent and ${counted.length - sent} received events` : `${sent} sent and ${counted.length - sent} received messages`;
    lines.push(`  ${endpoint.name}: ${endpoint.url}, ${what}, ${saved} saved message${saved === 1 ? '' : 's'}${flow ? `, flow "${flow}"` : ''}`);
  }
  for (const note of imported.notes) lines.push(`Note: ${note}`);
  return lines;
}
