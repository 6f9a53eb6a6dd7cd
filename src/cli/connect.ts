/**
 * `websocket-debugger connect URL`: wscat's job done with the panel's own Connection. Each line
 * of standard input is sent as a text message, each received message is printed on standard
 * output, and the connection's open / error / close entries go to standard error in the words
 * the panel's log shows. See docs/cli.md for the exit statuses.
 */
import { Connection, type ConnectionOptions } from '../core/connection';
import type { ConnectionEntry } from '../core/session';
import type { HeaderRow, PayloadFormat } from '../shared/protocol';
import { visibleText } from '../shared/visibleText';
import { ExitStatus, UsageError, parseCommandArgs, type Command, type CommandIo } from './command';
import { isShowFormat, SHOW_FORMATS, showPayload } from './show';

const USAGE = `Usage: websocket-debugger connect URL [options]

Connects to a ws:// or wss:// URL. Each line of standard input is sent as a text
message; each message received is printed on standard output. Open, close and
errors are reported on standard error. At the end of input the tool waits, then
closes the connection with 1000 (Normal Closure).

Options:
  -H, --header 'Name: value'  Add a request header to the handshake (repeatable)
  --protocol P                Offer the subprotocol P (repeatable)
  --insecure                  Accept an invalid TLS certificate (self-signed, expired, ...)
  --show FORMAT               Print received messages as ${SHOW_FORMATS.join(', ')}
                              (default: text messages as text, binary as a hex dump)
  --wait MS                   Milliseconds to wait after the end of input before
                              closing (default 1000)
  -h, --help                  Show this help

Exit status: 0 after a clean close, 1 after a failure (refused handshake, error,
unclean close, a close code other than 1000 from the server), 2 for a usage
error, 130 / 143 after SIGINT / SIGTERM.`;

/** The panel's defaults (settings websocketDebugger.handshakeTimeout and maxMessageSize). */
const CONNECTION_OPTIONS: ConnectionOptions = {
  handshakeTimeoutMs: 10_000,
  maxPayload: 64 * 1024 * 1024,
};

const DEFAULT_WAIT_MS = 1000;
/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_WAIT_MS = 2_147_483_647;

/** Exit statuses after a signal, as shells report a process killed by it. */
const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Close codes from the server that count as success: 1000, and 1005 (a Close frame without a
 * status code, which some servers send for a normal end).
 */
const NORMAL_SERVER_CLOSE_CODES = new Set([1000, 1005]);

interface ConnectArgs {
  url: string;
  headers: HeaderRow[];
  protocols: string[];
  insecure: boolean;
  show: PayloadFormat | undefined;
  waitMs: number;
}

export const connectCommand: Command = {
  name: 'connect',
  summary: 'connect to a WebSocket server: send standard input lines, print received messages',
  usage: USAGE,
  run: async (args, io) => {
    const parsed = parseConnectArgs(args);
    if (parsed === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return ExitStatus.ok;
    }
    return new ConnectRun(parsed, io).run();
  },
};

function parseConnectArgs(args: string[]): ConnectArgs | 'help' {
  const parsed = parseCommandArgs(args, {
    header: { type: 'string', short: 'H', multiple: true },
    protocol: { type: 'string', multiple: true },
    insecure: { type: 'boolean' },
    show: { type: 'string' },
    wait: { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('connect needs the URL to connect to');
  if (positionals.length > 1) {
    throw new UsageError(`connect takes one URL; unexpected argument ${JSON.stringify(positionals[1])}`);
  }
  const show = values.show;
  if (show !== undefined && !isShowFormat(show)) {
    throw new UsageError(`--show must be one of ${SHOW_FORMATS.join(', ')}, not ${JSON.stringify(show)}`);
  }
  return {
    url: positionals[0]!,
    headers: (values.header ?? []).map(parseHeader),
    protocols: values.protocol ?? [],
    insecure: values.insecure === true,
    show,
    waitMs: values.wait === undefined ? DEFAULT_WAIT_MS : parseWait(values.wait),
  };
}

/** `Name: value`, as curl and wscat take it; the value may be empty. */
function parseHeader(text: string): HeaderRow {
  const colon = text.indexOf(':');
  if (colon < 0) throw new UsageError(`-H ${JSON.stringify(text)}: a header is written 'Name: value'`);
  const name = text.slice(0, colon).trim();
  if (name === '') throw new UsageError(`-H ${JSON.stringify(text)}: the header has no name`);
  // The shared check would point at the panel's Subprotocols field.
  if (name.toLowerCase() === 'sec-websocket-protocol') {
    throw new UsageError('Sec-WebSocket-Protocol is set from the subprotocols: use --protocol');
  }
  return { name, value: text.slice(colon + 1).trim() };
}

function parseWait(text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(ms <= MAX_WAIT_MS)) {
    throw new UsageError(`--wait takes a whole number of milliseconds from 0 to ${MAX_WAIT_MS}, not ${JSON.stringify(text)}`);
  }
  return ms;
}

/** One connection from handshake to exit status. */
class ConnectRun {
  private readonly connection: Connection;
  /** Lines read before the handshake completed, sent once it has. */
  private readonly queued: string[] = [];
  private partialLine = '';
  private opened = false;
  private inputEnded = false;
  private closed = false;
  private failed = false;
  private signalStatus: number | undefined;
  private stdoutGone = false;
  private waitTimer: NodeJS.Timeout | undefined;
  private finish: (status: number) => void = () => undefined;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly args: ConnectArgs,
    private readonly io: CommandIo,
  ) {
    this.connection = new Connection(
      {
        url: args.url,
        protocols: args.protocols,
        headers: args.headers,
        options: args.insecure ? { acceptInvalidCerts: true } : {},
      },
      CONNECTION_OPTIONS,
    );
  }

  run(): Promise<number> {
    const done = new Promise<number>((resolve) => {
      this.finish = resolve;
    });
    const subscription = this.connection.onEntry((entry) => this.handleEntry(entry));
    this.cleanups.push(() => subscription.dispose());
    const result = this.connection.open();
    if (!result.ok) {
      // Connection checks the URL, headers and subprotocols before any byte is sent.
      this.end();
      throw new UsageError(result.error);
    }
    this.watchOutput();
    this.readInput();
    this.cleanups.push(this.io.onSignal((signal) => this.interrupt(signal)));
    return done;
  }

  private handleEntry(entry: ConnectionEntry): void {
    switch (entry.kind) {
      case 'open':
        this.report(entry.detail);
        this.opened = true;
        for (const line of this.queued.splice(0)) this.sendLine(line);
        if (this.inputEnded) this.startWait();
        return;
      case 'message':
        if (entry.direction === 'received' && entry.payload) this.print(entry);
        return;
      case 'error': {
        this.failed = true;
        this.report(entry.detail);
        const refusal = this.connection.state.refusal;
        // The body often says why (a missing token, a bad origin): show it under the status.
        if (refusal && refusal.body.trim() !== '') this.report(indent(refusal.body.trimEnd()));
        return;
      }
      case 'info':
        this.report(entry.detail);
        return;
      case 'close':
        this.report(entry.detail);
        this.closed = true;
        this.end();
        this.finish(this.exitStatus());
        return;
      case 'ping':
      case 'pong':
      case 'event':
      case 'ack':
        // Control frames are answered by Connection; Socket.IO kinds do not occur on a plain socket.
        return;
    }
  }

  /** The status once the connection has closed; see docs/cli.md. */
  private exitStatus(): number {
    if (this.signalStatus !== undefined) return this.signalStatus;
    if (this.failed) return ExitStatus.failure;
    const close = this.connection.state.close;
    if (!close || !close.wasClean) return ExitStatus.failure;
    // Our own Close frame (end of input) answered cleanly is a normal end whatever code came back.
    if (this.connection.endedByUser) return ExitStatus.ok;
    return NORMAL_SERVER_CLOSE_CODES.has(close.code) ? ExitStatus.ok : ExitStatus.failure;
  }

  private readInput(): void {
    const stdin = this.io.stdin;
    stdin.setEncoding('utf8');
    const onData = (chunk: string | Buffer): void => this.addInput(String(chunk));
    const onEnd = (): void => this.endInput();
    const onError = (error: Error): void => {
      this.failed = true;
      this.report(`Could not read standard input: ${error.message}`);
      this.endInput();
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.on('error', onError);
    this.cleanups.push(() => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      // A terminal or a pipe still open would keep the process waiting for input nobody sends.
      stdin.destroy();
    });
  }

  private addInput(chunk: string): void {
    const text = this.partialLine + chunk;
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      const line = text.slice(start, newline);
      this.inputLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      start = newline + 1;
    }
    this.partialLine = text.slice(start);
  }

  private endInput(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    // A last line without a newline is still a line.
    if (this.partialLine !== '') this.inputLine(this.partialLine);
    this.partialLine = '';
    if (this.opened) this.startWait();
  }

  private inputLine(line: string): void {
    if (this.closed || this.signalStatus !== undefined) return;
    if (this.opened) this.sendLine(line);
    else this.queued.push(line);
  }

  private sendLine(line: string): void {
    const result = this.connection.send('text', line);
    // Lines that arrive once the socket is closing are dropped; the close line says why.
    if (!result.ok && this.connection.state.readyState === 'OPEN') {
      this.failed = true;
      this.report(result.error);
    }
  }

  private startWait(): void {
    if (this.waitTimer || this.closed) return;
    this.waitTimer = setTimeout(() => this.closeNormally(), this.args.waitMs);
  }

  private closeNormally(): void {
    this.clearWait();
    if (this.connection.state.readyState === 'OPEN') this.connection.close(1000, '', false);
  }

  /** First signal: close with 1001 Going Away (or cancel the handshake); a second one exits now. */
  private interrupt(signal: 'SIGINT' | 'SIGTERM'): void {
    const alreadyInterrupted = this.signalStatus !== undefined;
    this.signalStatus = SIGNAL_STATUS[signal];
    this.clearWait();
    if (alreadyInterrupted) {
      this.end();
      this.finish(this.signalStatus);
      return;
    }
    const readyState = this.connection.state.readyState;
    if (readyState === 'OPEN') this.connection.close(1001, '', true);
    else if (readyState === 'CONNECTING') this.connection.disconnect();
  }

  /** A reader that went away (`| head -1`) ends the session like the end of input, without the wait. */
  private watchOutput(): void {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (this.stdoutGone) return;
      this.stdoutGone = true;
      if (error.code !== 'EPIPE') {
        this.failed = true;
        this.report(`Could not write to standard output: ${error.message}`);
      }
      this.inputEnded = true;
      this.queued.length = 0;
      this.closeNormally();
    };
    this.io.stdout.on('error', onError);
    this.cleanups.push(() => this.io.stdout.off('error', onError));
  }

  private print(entry: ConnectionEntry): void {
    if (this.stdoutGone || !entry.payload) return;
    const shown = showPayload(entry.payload, this.args.show);
    this.io.stdout.write(`${shown.text}\n`);
    if (shown.note !== undefined) this.report(shown.note);
  }

  /** Standard error is for people: server-provided words are shown with visible control characters. */
  private report(text: string | undefined): void {
    if (text !== undefined) this.io.stderr.write(`${visibleText(text)}\n`);
  }

  private clearWait(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
  }

  /** Releases the input, the timers and the socket; safe to call twice. */
  private end(): void {
    this.clearWait();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.connection.dispose();
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
