/**
 * What every subcommand of the command-line tool provides, and the error that turns into the
 * usage-error exit status. Commands get their streams passed in rather than reaching for
 * `process`, so that the dispatcher alone decides when the process ends.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit statuses shared by all commands; CI scripts depend on them. */
export const ExitStatus = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;

/** Bad arguments: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandIo {
  stdin: NodeJS.ReadableStream & { destroy(): void };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Registers a handler for SIGINT / SIGTERM; returns a function that removes it. */
  onSignal(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void;
}

export interface Command {
  name: string;
  /** One line for the tool's own --help. */
  summary: string;
  /** The command's --help text. */
  usage: string;
  /** Runs to completion and resolves with the exit status; throws UsageError for bad arguments. */
  run(args: string[], io: CommandIo): Promise<number>;
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: T }>>;

/**
 * A command's arguments: its options plus -h/--help, positionals allowed, unknown options refused.
 * Resolves to 'help' when help was asked for; parseArgs's own sentence for a mistake (an unknown
 * option, a missing value) becomes a UsageError.
 */
export function parseCommandArgs<T extends OptionsConfig>(args: string[], options: T): Parsed<T> | 'help' {
  const config = { args, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } } as const;
  let parsed;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return (parsed.values as { help?: boolean }).help === true ? 'help' : (parsed as unknown as Parsed<T>);
}
