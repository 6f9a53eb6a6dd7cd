/**
 * The `websocket-debugger` command-line tool: a small dispatcher that hands the arguments after
 * the command name to that command's module. Later commands join the `COMMANDS` list.
 *
 * Built by scripts/build.mjs into dist/cli.js (package.json `bin`). Node, never `vscode`.
 */
import { connectCommand } from './connect';
import { exportCommand } from './export';
import { harCommand } from './har';
import { runCommand } from './run';
import { serveCommand } from './serve';
import { ExitStatus, UsageError, type Command, type CommandIo } from './command';

/** Set by scripts/build.mjs from package.json. */
declare const CLI_VERSION: string;

const TOOL = 'websocket-debugger';

const COMMANDS: readonly Command[] = [connectCommand, exportCommand, harCommand, runCommand, serveCommand];

function toolUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const commands = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n');
  return `Usage: ${TOOL} COMMAND [options]

Commands:
${commands}

Options:
  -h, --help     Show this help ('${TOOL} COMMAND --help' for a command's options)
  -V, --version  Print the version

Documentation: docs/cli.md in the package.`;
}

async function dispatch(argv: string[], io: CommandIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(`${toolUsage()}\n`);
    return ExitStatus.usage;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(`${toolUsage()}\n`);
    return ExitStatus.ok;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${CLI_VERSION}\n`);
    return ExitStatus.ok;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option ${JSON.stringify(first)}; options go after the command`);
  const command = COMMANDS.find((candidate) => candidate.name === first);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(first)}`);
  return command.run(rest, io);
}

/** Resolves once everything written so far has been handed to the system (or the stream is gone). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

async function main(): Promise<void> {
  // A reader that went away (`| head -1`) is not worth a stack trace; commands react to it themselves.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  const io: CommandIo = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    onSignal: (handler) => {
      const onInt = (): void => handler('SIGINT');
      const onTerm = (): void => handler('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
  };
  let status: number;
  try {
    status = await dispatch(process.argv.slice(2), io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const command = COMMANDS.find((candidate) => candidate.name === process.argv[2]);
    process.stderr.write(`${TOOL}: ${error.message}\nTry '${TOOL} ${command ? `${command.name} ` : ''}--help'.\n`);
    status = ExitStatus.usage;
  }
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(status);
}

main().catch((error: unknown) => {
  process.stderr.write(`${TOOL}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(ExitStatus.failure);
});
