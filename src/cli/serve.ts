/**
 * `websocket-debugger serve FILE --mock NAME`: runs one mock server of a collection file until
 * SIGINT / SIGTERM, for the CI of client apps. Standard output gets exactly one line, `listening
 * on URL`, so a script can wait for it and read the port; everything the mock sees and does goes
 * to standard error, one line per log entry, in the words of the panel's log. See docs/mocks.md.
 */
import path from 'node:path';
import { isLoopback, startMock } from '../core/mock/startMock';
import type { RunningMock } from '../core/mock/mockTypes';
import { formatHex } from '../shared/codecs';
import { parseMocks, type MockDefinition } from '../shared/mockFormat';
import type { DecodedInfo, LogEntry, Payload } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import { readCollectionArg } from './collectionArg';
import { ExitStatus, UsageError, parseCommandArgs, type Command, type CommandIo } from './command';

const USAGE = `Usage: websocket-debugger serve FILE [--mock NAME] [options]

Runs a mock server of the collection file FILE (its "mocks" list) until SIGINT or
SIGTERM, then closes every client with 1001 (Going Away) and exits 0.
Standard output gets one line once the mock listens:
  listening on ws://127.0.0.1:PORT/path      (wss:// with "tls": true;
                                              http:// or https:// for Socket.IO)
Standard error gets one line per event: clients, messages, rules, errors.

Options:
  --mock NAME    The mock to run (needed when the file has more than one)
  --port N       Listen on port N instead of the file's (0: any free port)
  --host H       Listen on H instead of the file's host; an address beyond
                 127.0.0.1 / ::1 makes the mock reachable from other machines
  --quiet        Leave messages and rule firings out of standard error
  -h, --help     Show this help

Exit status: 0 after SIGINT / SIGTERM, 1 when the mock cannot listen (port in use,
address not available), 2 for a usage error or a file that cannot be used.`;

interface ServeArgs {
  file: string;
  mock: string | undefined;
  port: number | undefined;
  host: string | undefined;
  quiet: boolean;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run a mock server of a collection file (prints "listening on URL")',
  usage: USAGE,
  run: async (args, io) => {
    const parsed = parseServeArgs(args);
    if (parsed === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return ExitStatus.ok;
    }
    const definition = await pickMock(parsed);
    // A .proto path in the mock's "decode" is relative to the collection file, then to the working directory.
    return serve(definition, parsed.quiet, io, [path.dirname(path.resolve(parsed.file)), process.cwd()]);
  },
};

function parseServeArgs(args: string[]): ServeArgs | 'help' {
  const parsed = parseCommandArgs(args, {
    mock: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (parsed === 'help') return 'help';
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('serve needs the collection file that holds the mock');
  if (positionals.length > 1) throw new UsageError(`serve takes one file; unexpected argument ${JSON.stringify(positionals[1])}`);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = /^\d+$/.test(values.port) ? Number(values.port) : NaN;
    if (!(port <= 65535)) throw new UsageError(`--port takes a port number from 0 to 65535, not ${JSON.stringify(values.port)}`);
  }
  const host = values.host?.trim();
  if (host === '') throw new UsageError('--host needs an address, such as 127.0.0.1 or 0.0.0.0');
  return { file: positionals[0]!, mock: values.mock, port, host, quiet: values.quiet === true };
}

/** The chosen mock of the file with --port and --host applied; an unusable file is a usage error. */
async function pickMock(args: ServeArgs): Promise<MockDefinition> {
  const read = await readCollectionArg(args.file);
  if (!read.ok) throw new UsageError(read.error);
  const parsed = parseMocks(read.collection.mocks ?? []);
  if (!parsed.ok) throw new UsageError(`${args.file}: ${parsed.error}`);
  const mocks = parsed.mocks;
  const names = mocks.map((m) => JSON.stringify(m.name)).join(', ');
  if (mocks.length === 0) throw new UsageError(`${args.file} has no mocks (a "mocks" list, see docs/mocks.md)`);
  let mock: MockDefinition | undefined;
  if (args.mock === undefined) {
    if (mocks.length > 1) throw new UsageError(`${args.file} has ${mocks.length} mocks (${names}): choose one with --mock NAME`);
    mock = mocks[0];
  } else {
    mock = mocks.find((m) => m.name === args.mock);
    if (!mock) throw new UsageError(`${args.file} has no mock named ${JSON.stringify(args.mock)}; its mocks: ${names}`);
  }
  return { ...mock!, ...(args.port !== undefined ? { port: args.port } : {}), ...(args.host !== undefined ? { host: args.host } : {}) };
}

async function serve(definition: MockDefinition, quiet: boolean, io: CommandIo, protoFolders: string[]): Promise<number> {
  const report = (line: string): void => {
    io.stderr.write(`${visibleText(line)}\n`);
  };
  // The host is the file's or --host's, so it was chosen explicitly: no question to ask here.
  const started = await startMock(definition, { allowNonLoopback: true, protoFolders });
  if (!started.ok) {
    report(started.error);
    return ExitStatus.failure;
  }
  const mock = started.mock;
  // Standard error first: a script that waits for the listening line has everything before it.
  for (const entry of mock.log.messages.entries()) report(describeEntry(entry, ''));
  if (!isLoopback(definition.host)) report(`Listening on ${definition.host}: other machines can reach this mock`);
  mock.log.onEntry((entry, clientId) => {
    if (quiet && (entry.kind === 'message' || entry.kind === 'event' || entry.kind === 'ack' || entry.kind === 'info' || entry.kind === 'ping' || entry.kind === 'pong')) return;
    report(describeEntry(entry, clientId));
  });
  mock.onEvent((event) => {
    if (event.type === 'refused') report(`Refused a handshake from ${event.remoteAddress} for ${event.url} with ${event.status}: ${event.reason}`);
  });
  io.stdout.write(`listening on ${mock.url}\n`);
  return waitForSignal(mock, io);
}

function waitForSignal(mock: RunningMock, io: CommandIo): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const remove = io.onSignal(() => {
      // A second signal while clients are being closed ends at once.
      if (stopping) {
        remove();
        resolve(ExitStatus.ok);
        return;
      }
      stopping = true;
      void mock.stop().then(() => {
        remove();
        resolve(ExitStatus.ok);
      });
    });
  });
}

const SHOWN = 200;

function shortPayload(payload: Payload | undefined): string {
  if (!payload) return '';
  if (payload.kind === 'text') return payload.text.length > SHOWN ? `${payload.text.slice(0, SHOWN)}… (${payload.text.length} characters)` : payload.text;
  const bytes = Buffer.from(payload.base64, 'base64');
  return `binary ${bytes.length} B ${formatHex(bytes.subarray(0, 32))}${bytes.length > 32 ? ' …' : ''}`;
}

/** A message the mock's "decode" read, as one line of compact JSON; undefined when it did not decode. */
function shortDecoded(decoded: DecodedInfo, size: number): string | undefined {
  if (decoded.json === undefined) return undefined;
  const json = JSON.stringify(JSON.parse(decoded.json));
  return `${decoded.as} ${size} B ${json.length > SHOWN ? `${json.slice(0, SHOWN)}… (${json.length} characters)` : json}`;
}

/** One line of standard error for a log entry. */
function describeEntry(entry: LogEntry, clientId: string): string {
  const time = new Date(entry.time).toISOString().slice(11, 23);
  const who = clientId === '' ? 'mock' : `client ${clientId}`;
  const arrow = entry.direction === 'received' ? '<-' : entry.direction === 'sent' ? '->' : '  ';
  switch (entry.kind) {
    case 'message':
      return `${time} ${who} ${arrow} ${entry.decoded ? shortDecoded(entry.decoded, entry.size) ?? shortPayload(entry.payload) : shortPayload(entry.payload)}`;
    case 'event':
    case 'ack': {
      const args = (entry.event?.args ?? []).map((p) => shortPayload(p)).join(', ');
      return `${time} ${who} ${arrow} ${entry.kind} ${JSON.stringify(entry.event?.name ?? '')} [${args}]${entry.detail ? ` (${entry.detail})` : ''}`;
    }
    case 'ping':
    case 'pong':
      return `${time} ${who} ${arrow} ${entry.kind}${entry.detail ? ` (${entry.detail})` : ''}`;
    case 'open':
    case 'close':
    case 'info':
    case 'error':
      return `${time} ${entry.kind === 'error' ? 'error: ' : ''}${entry.detail ?? ''}`;
  }
}
