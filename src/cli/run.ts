/**
 * `websocket-debugger run FILE`: runs the flows of a collection file headless, for CI. One line
 * per step on standard output, the last line exactly `N passed, M failed` (counting flows);
 * optional JUnit XML. Every mistake in the file, the environment or the variables is refused
 * before anything connects. See docs/flows.md for the exit statuses and secret variables.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FlowRunner, type FlowConnection, type FlowRunEvent, type StepReport } from '../core/flows/flowRunner';
import { writeHar, type HarSession } from '../core/har/harWriter';
import type { ConnectionEntry } from '../core/session';
import { failureText, junitXml } from '../core/flows/junit';
import { checkFlows, describeFlowIssue, type CheckedFlow } from '../shared/flows';
import type { Collection, Endpoint, Variable } from '../shared/protocol';
import { DEFAULT_SOCKET_IO_OPTIONS } from '../shared/socketIo';
import { referencedNames, resolveText, secretEnvName, VARIABLE_NAME } from '../shared/variables';
import { visibleText } from '../shared/visibleText';
import { chooseEnvironment, readCollectionArg } from './collectionArg';
import { ExitStatus, UsageError, parseCommandArgs, type Command, type CommandIo } from './command';

const USAGE = `Usage: websocket-debugger run FILE [options]

Runs the flows of a collection file (format version 3) and reports each step.
The last line is "N passed, M failed", counting flows.

Options:
  --flow NAME        Run only this flow (repeatable; default: every flow, in file order)
  --env NAME         Take variables from this environment (default: the file's active one)
  --var NAME=VALUE   Set a variable, overriding the environment (repeatable)
  --junit PATH       Also write the results as JUnit XML to PATH
  --bail             Stop after the first flow that fails
  --har PATH         Also record the run's connections as a HAR file at PATH
                     (secret values become {{name}}, cookies are removed)
  --keep-cookies     With --har: keep the Cookie and Set-Cookie headers
  --keep-secrets     With --har: keep the values of secret variables
  -h, --help         Show this help

Secret variables of the environment take their values from environment variables
named WSD_SECRET_<NAME> (the variable's name, with "." and "-" written as "_").

Exit status: 0 when every flow passed, 1 when one failed, 2 for a usage error or a
file that cannot be used (nothing connected), 130 / 143 after SIGINT / SIGTERM.`;

/** Set by scripts/build.mjs from package.json. */
declare const CLI_VERSION: string;

/** Exit statuses after a signal, as shells report a process killed by it. */
const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;

interface RunArgs {
  file: string;
  flows: string[];
  env: string | undefined;
  vars: { name: string; value: string }[];
  junit: string | undefined;
  bail: boolean;
  har: string | undefined;
  keepCookies: boolean;
  keepSecrets: boolean;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run the flows of a collection file and report each step (JUnit XML for CI)',
  usage: USAGE,
  run: async (args, io) => {
    const parsed = parseRunArgs(args);
    if (parsed === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return ExitStatus.ok;
    }
    const prepared = await prepare(parsed, process.env);
    if (!prepared.ok) {
      io.stderr.write(`websocket-debugger: ${visibleText(prepared.error)}\n`);
      return ExitStatus.usage;
    }
    return execute(parsed, prepared.value, io);
  },
};

function parseRunArgs(args: string[]): RunArgs | 'help' {
  const parsed = parseCommandArgs(args, {
    flow: { type: 'string', multiple: true },
    env: { type: 'string' },
    var: { type: 'string', multiple: true },
    junit: { type: 'string' },
    bail: { type: 'boolean' },
    har: { type: 'string' },
    'keep-cookies': { type: 'boolean' },
    'keep-secrets': { type: 'boolean' },
  });
  if (parsed === 'help') return 'help';
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('run needs the collection file');
  if (positionals.length > 1) throw new UsageError(`run takes one collection file; unexpected argument ${JSON.stringify(positionals[1])}`);
  const vars = (values.var ?? []).map((text) => {
    const at = text.indexOf('=');
    const name = at < 0 ? text : text.slice(0, at);
    if (at < 0) throw new UsageError(`--var ${JSON.stringify(text)}: write it NAME=VALUE`);
    if (!VARIABLE_NAME.test(name)) throw new UsageError(`--var ${JSON.stringify(text)}: a variable name starts with a letter or _, then letters, digits, _ . -`);
    return { name, value: text.slice(at + 1) };
  });
  if (values.junit === '') throw new UsageError('--junit needs a file path');
  if (values.har === '') throw new UsageError('--har needs a file path');
  const keepCookies = values['keep-cookies'] === true;
  const keepSecrets = values['keep-secrets'] === true;
  if (values.har === undefined && (keepCookies || keepSecrets)) throw new UsageError(`--${keepCookies ? 'keep-cookies' : 'keep-secrets'} goes with --har`);
  return { file: positionals[0]!, flows: values.flow ?? [], env: values.env, vars, junit: values.junit, bail: values.bail === true, har: values.har, keepCookies, keepSecrets };
}

interface Prepared {
  collection: Collection;
  flows: CheckedFlow[];
  variables: Variable[];
}

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Everything checked before a byte is sent: the file, the flows, the environment, the variables. */
async function prepare(args: RunArgs, env: NodeJS.ProcessEnv): Promise<Result<Prepared>> {
  const read = await readCollectionArg(args.file);
  if (!read.ok) return read;
  const collection = read.collection;
  const chosen = chooseEnvironment(args.file, collection, args.env);
  if (!chosen.ok) return chosen;
  const environment = chosen.environment;
  const envName = args.env ?? collection.activeEnvironment;
  const variables = new Map<string, Variable>();
  const missingSecrets = new Set<string>();
  for (const v of environment?.variables ?? []) {
    if (!v.secret) {
      variables.set(v.name, { name: v.name, value: v.value });
      continue;
    }
    const value = env[secretEnvName(v.name)];
    if (value === undefined) missingSecrets.add(v.name);
    else variables.set(v.name, { name: v.name, value, secret: true });
  }
  for (const v of args.vars) {
    // A value given for a secret variable stays secret: masked in every report.
    const secret = environment?.variables.some((e) => e.name === v.name && e.secret) === true;
    variables.set(v.name, secret ? { name: v.name, value: v.value, secret: true } : { name: v.name, value: v.value });
    missingSecrets.delete(v.name);
  }
  const known = new Set(variables.keys());
  const checked = checkFlows(collection.flows ?? [], { endpoints: collection.endpoints, variables: known });
  if (!checked.ok) {
    const missing = /unknown variable \{\{([^}]+)\}\}/.exec(checked.issue.error)?.[1];
    if (missing !== undefined && missingSecrets.has(missing)) {
      return { ok: false, error: `${describeFlowIssue(checked.issue)}\n{{${missing}}} is a secret variable: set it in the environment variable ${secretEnvName(missing)}` };
    }
    return { ok: false, error: `${args.file}: ${describeFlowIssue(checked.issue)}` };
  }
  if (checked.checked.length === 0) return { ok: false, error: `${args.file}: the collection has no flows` };
  let flows = checked.checked;
  if (args.flows.length > 0) {
    const unknown = args.flows.find((name) => !flows.some((f) => f.name === name));
    if (unknown !== undefined) {
      return { ok: false, error: `${args.file}: no flow ${JSON.stringify(unknown)} (it has ${flows.map((f) => JSON.stringify(f.name)).join(', ')})` };
    }
    flows = flows.filter((f) => args.flows.includes(f.name));
  }
  // The endpoints these flows connect to must resolve too, or the run would stop at a connect.
  for (const flow of flows) {
    for (const step of flow.steps) {
      if (step.act.action !== 'connect') continue;
      const endpointName = step.act.endpoint;
      const endpoint = collection.endpoints.find((e) => e.name === endpointName)!;
      const missing = endpointReferences(endpoint).find((name) => !known.has(name));
      if (missing === undefined) continue;
      const hint = missingSecrets.has(missing)
        ? `it is a secret variable: set it in the environment variable ${secretEnvName(missing)}`
        : `define it in the environment${envName === undefined ? ' (the file has no active environment; choose one with --env)' : ` "${envName}"`} or with --var`;
      return { ok: false, error: `${args.file}: Flow ${JSON.stringify(flow.name)}, step ${step.number}: endpoint ${JSON.stringify(endpoint.name)} uses {{${missing}}}: ${hint}` };
    }
  }
  return { ok: true, value: { collection, flows, variables: [...variables.values()] } };
}

/** Every variable an endpoint's connection form refers to. */
function endpointReferences(endpoint: Endpoint): string[] {
  const texts = [endpoint.url, ...endpoint.protocols, ...endpoint.headers.map((h) => h.value)];
  if (endpoint.options?.passphrase !== undefined) texts.push(endpoint.options.passphrase);
  if (endpoint.socketio) texts.push(endpoint.socketio.auth, ...endpoint.socketio.query.map((q) => q.value));
  return texts.flatMap(referencedNames);
}

async function execute(args: RunArgs, prepared: Prepared, io: CommandIo): Promise<number> {
  const recorded = new Map<number, { connection: FlowConnection; entries: ConnectionEntry[] }>();
  const runner = new FlowRunner({
    endpoints: prepared.collection.endpoints,
    flows: prepared.flows,
    variables: prepared.variables,
    bail: args.bail,
    ...(args.har === undefined
      ? {}
      : {
          // Unmasked: the HAR writer replaces each secret value with its {{name}} (or keeps it).
          unmaskedLog: true,
          log: (entry: ConnectionEntry, connection: FlowConnection) => {
            const record = recorded.get(connection.number) ?? { connection, entries: [] };
            recorded.set(connection.number, record);
            record.entries.push(entry);
          },
        }),
    // A .proto path in "decode" is relative to the collection file, then to the working directory.
    protoFolders: [path.dirname(path.resolve(args.file)), process.cwd()],
  });
  const out = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };
  const tally = { passed: 0, failed: 0 };
  runner.onEvent((event) => {
    if (event.type === 'flowFinished') tally[event.flow.passed ? 'passed' : 'failed'] += 1;
    printEvent(event, out);
  });
  let signalStatus: number | undefined;
  let forceExit: ((status: number) => void) | undefined;
  const forced = new Promise<number>((resolve) => (forceExit = resolve));
  const removeSignals = io.onSignal((signal) => {
    if (signalStatus !== undefined) {
      // A second signal: stop waiting for servers to answer the Close frames.
      forceExit?.(SIGNAL_STATUS[signal]);
      return;
    }
    signalStatus = SIGNAL_STATUS[signal];
    runner.interrupt();
  });
  try {
    const report = await Promise.race([runner.run(), forced]);
    if (typeof report === 'number') {
      out(`${tally.passed} passed, ${tally.failed} failed`);
      return report;
    }
    const notRun = prepared.flows.length - report.flows.length;
    if (notRun > 0 && !report.interrupted) out(`Stopped after the first failed flow (--bail): ${notRun} not run`);
    let status: number = report.failed > 0 ? ExitStatus.failure : ExitStatus.ok;
    if (args.har !== undefined && !(await writeRunHar(args, prepared, [...recorded.values()], out, io))) status = ExitStatus.usage;
    out(`${report.passed} passed, ${report.failed} failed`);
    if (args.junit !== undefined) {
      try {
        await writeFile(args.junit, junitXml(prepared.collection.name, report));
      } catch (error) {
        io.stderr.write(`websocket-debugger: could not write the JUnit file ${args.junit}: ${error instanceof Error ? error.message : String(error)}\n`);
        status = ExitStatus.usage;
      }
    }
    return report.interrupted ? (signalStatus ?? SIGNAL_STATUS.SIGINT) : status;
  } finally {
    removeSignals();
  }
}

/**
 * What a Socket.IO connection adds to its HAR session: its options (query and auth with the run's
 * variables, as the connection used them) and, with no handshake inspector, the endpoint's headers.
 */
function socketIoPart(endpoint: FlowConnection['endpoint'], variables: Prepared['variables'], inspected: boolean): Pick<HarSession, 'socketio' | 'handshake'> {
  const resolved = (text: string): string => {
    const value = resolveText(text, variables);
    return value.ok ? value.value : text;
  };
  const options = endpoint.socketio ?? DEFAULT_SOCKET_IO_OPTIONS;
  return {
    socketio: { ...options, auth: resolved(options.auth), query: options.query.map((q) => ({ name: q.name, value: resolved(q.value) })) },
    ...(inspected ? {} : { handshake: { requestLine: '', requestHeaders: endpoint.headers.map((h): [string, string] => [h.name, resolved(h.value)]), responseHeaders: [] } }),
  };
}

/** Writes the run's connections as HAR; says what it stripped (before the last line, which stays the tally). */
async function writeRunHar(
  args: RunArgs,
  prepared: Prepared,
  recorded: { connection: FlowConnection; entries: ConnectionEntry[] }[],
  out: (line: string) => void,
  io: CommandIo,
): Promise<boolean> {
  const sessions: HarSession[] = recorded.map(({ connection, entries }) => {
    const inspector = connection.session.state.inspector;
    const opened = entries.find((e) => e.kind === 'open');
    const total = inspector?.timing.totalMs;
    return {
      url: connection.url,
      startedAt: opened && total !== undefined ? opened.time - total : (entries[0]?.time ?? Date.now()),
      ...(inspector?.handshake ? { handshake: inspector.handshake } : {}),
      ...(inspector ? { timing: inspector.timing } : {}),
      ...(inspector?.remoteAddress ? { remoteAddress: inspector.remoteAddress } : {}),
      ...(connection.endpoint.kind === 'socketio' ? socketIoPart(connection.endpoint, prepared.variables, inspector?.handshake !== undefined) : {}),
      entries,
    };
  });
  const secrets = prepared.variables.filter((v) => v.secret === true).map((v) => ({ name: v.name, value: v.value }));
  const written = writeHar(sessions, { creator: { name: 'websocket-debugger run', version: CLI_VERSION }, secrets, keepSecrets: args.keepSecrets, keepCookies: args.keepCookies });
  try {
    await writeFile(args.har!, written.text);
  } catch (error) {
    io.stderr.write(`websocket-debugger: could not write the HAR file ${args.har}: ${error instanceof Error ? error.message : String(error)}\n`);
    return false;
  }
  out(`Recorded ${sessions.length} connection${sessions.length === 1 ? '' : 's'} (${written.messages} messages) as HAR in ${args.har}`);
  for (const note of written.notes) out(`  ${note}`);
  return true;
}

const MARK = { passed: '✓', failed: '✗', skipped: '-' } as const;

function stepLine(flow: string, step: StepReport): string {
  const time = step.status === 'skipped' ? 'skipped' : `${step.ms} ms`;
  return `${MARK[step.status]} ${visibleText(flow)} › ${step.number}. ${visibleText(step.title)} (${time})`;
}

function printEvent(event: FlowRunEvent, out: (line: string) => void): void {
  switch (event.type) {
    case 'flowStarted':
    case 'stepStarted':
    case 'flowFinished':
    case 'runFinished':
      return;
    case 'stepPassed':
    case 'stepSkipped':
      out(stepLine(event.flow, event.step));
      return;
    case 'stepFailed':
      out(stepLine(event.flow, event.step));
      for (const line of failureText(event.step).split('\n')) out(`    ${visibleText(line)}`);
      return;
    case 'interrupted':
      out('Interrupted: connections were closed with 1001 (Going Away)');
      return;
  }
}
