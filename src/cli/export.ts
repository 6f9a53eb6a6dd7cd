/**
 * `websocket-debugger export artillery FILE --flow NAME`: writes a flow of a collection file as an
 * Artillery script (YAML), for load at scale. The conversion is src/shared/artilleryExport.ts;
 * this module reads the file, picks the flow and the variables, prints the notes on what Artillery
 * cannot express on standard error and writes the script. See docs/flows.md.
 */
import { writeFile } from 'node:fs/promises';
import { artilleryYaml, describeExportNote, exportArtillery, type ArtilleryExport } from '../shared/artilleryExport';
import { checkFlows, describeFlowIssue } from '../shared/flows';
import type { Collection, Endpoint, Variable } from '../shared/protocol';
import { referencedNames, VARIABLE_NAME } from '../shared/variables';
import { visibleText } from '../shared/visibleText';
import { chooseEnvironment, readCollectionArg } from './collectionArg';
import { ExitStatus, UsageError, parseCommandArgs, type Command } from './command';

const USAGE = `Usage: websocket-debugger export artillery FILE --flow NAME [options]

Writes a flow of a collection file (format version 3) as an Artillery script: its
ws engine for WebSocket endpoints, its socketio engine for Socket.IO endpoints.
What Artillery cannot run as the flow does is listed on standard error and in a
comment at the top of the script.

Options:
  --flow NAME          The flow to export (may be left out when the file has one flow)
  -o, --out PATH       Write the script to PATH (default: standard output)
  --force              Replace PATH when it exists
  --env NAME           Take variables from this environment (default: the file's active one)
  --var NAME=VALUE     Set a variable, overriding the environment (repeatable)
  --duration SECONDS   The load phase's length (default 60)
  --arrival-rate N     Virtual users started per second (default 1)
  -h, --help           Show this help

Plain variables are written into the script's config.variables; secret variables
never are: the script reads them from the environment variables WSD_SECRET_<NAME>
when Artillery runs it, as 'websocket-debugger run' does.

Exit status: 0 when the script was written, 2 for a usage error or a file that
cannot be used.`;

const FORMATS = ['artillery'] as const;

interface ExportArgs {
  file: string;
  flow: string | undefined;
  out: string | undefined;
  force: boolean;
  env: string | undefined;
  vars: { name: string; value: string }[];
  duration: number;
  arrivalRate: number;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'write a flow of a collection file as an Artillery load-test script',
  usage: USAGE,
  run: async (args, io) => {
    const parsed = parseExportArgs(args);
    if (parsed === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return ExitStatus.ok;
    }
    const fail = (message: string): number => {
      io.stderr.write(`websocket-debugger: ${visibleText(message)}\n`);
      return ExitStatus.usage;
    };
    const prepared = await prepare(parsed);
    if (!prepared.ok) return fail(prepared.error);
    const { result, collection, flow } = prepared;
    const text = artilleryYaml(result, { collection: collection.name, flow });
    for (const note of result.notes) io.stderr.write(`websocket-debugger: ${visibleText(describeExportNote(note))}\n`);
    if (parsed.out === undefined) {
      io.stdout.write(text);
      return ExitStatus.ok;
    }
    try {
      // "wx" refuses an existing file in the same call that creates it.
      await writeFile(parsed.out, text, { flag: parsed.force ? 'w' : 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return fail(`${parsed.out} exists; use --force to replace it`);
      return fail(`could not write ${parsed.out}: ${code === 'ENOENT' ? 'no such directory' : code === 'EISDIR' ? 'it is a directory' : error instanceof Error ? error.message : String(error)}`);
    }
    io.stderr.write(`websocket-debugger: wrote ${parsed.out} (Artillery ${result.engine} engine, ${result.notes.length} note${result.notes.length === 1 ? '' : 's'})\n`);
    return ExitStatus.ok;
  },
};

function positiveNumber(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 1_000_000) {
    throw new UsageError(`${option} ${JSON.stringify(text)}: expected a positive number`);
  }
  return value;
}

function parseExportArgs(args: string[]): ExportArgs | 'help' {
  const parsed = parseCommandArgs(args, {
    flow: { type: 'string' },
    out: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    env: { type: 'string' },
    var: { type: 'string', multiple: true },
    duration: { type: 'string' },
    'arrival-rate': { type: 'string' },
  });
  if (parsed === 'help') return 'help';
  const { values, positionals } = parsed;
  const [format, file, extra] = positionals;
  if (format === undefined) throw new UsageError(`export needs a format (${FORMATS.join(', ')}) and the collection file`);
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown export format ${JSON.stringify(format)} (known: ${FORMATS.join(', ')})`);
  if (file === undefined) throw new UsageError('export artillery needs the collection file');
  if (extra !== undefined) throw new UsageError(`export artillery takes one collection file; unexpected argument ${JSON.stringify(extra)}`);
  if (values.out === '') throw new UsageError('--out needs a file path');
  const vars = (values.var ?? []).map((text) => {
    const at = text.indexOf('=');
    const name = at < 0 ? text : text.slice(0, at);
    if (at < 0) throw new UsageError(`--var ${JSON.stringify(text)}: write it NAME=VALUE`);
    if (!VARIABLE_NAME.test(name)) throw new UsageError(`--var ${JSON.stringify(text)}: a variable name starts with a letter or _, then letters, digits, _ . -`);
    return { name, value: text.slice(at + 1) };
  });
  return {
    file,
    flow: values.flow,
    out: values.out,
    force: values.force === true,
    env: values.env,
    vars,
    duration: positiveNumber('--duration', values.duration, 60),
    arrivalRate: positiveNumber('--arrival-rate', values['arrival-rate'], 1),
  };
}

/** Every variable an endpoint's connection settings refer to. */
function endpointReferences(endpoint: Endpoint): string[] {
  const texts = [endpoint.url, ...endpoint.protocols, ...endpoint.headers.map((h) => h.value)];
  if (endpoint.socketio) texts.push(endpoint.socketio.auth, ...endpoint.socketio.query.map((q) => q.value));
  return texts.flatMap(referencedNames);
}

type Prepared = { ok: true; result: Extract<ArtilleryExport, { ok: true }>; collection: Collection; flow: string } | { ok: false; error: string };

async function prepare(args: ExportArgs): Promise<Prepared> {
  const read = await readCollectionArg(args.file);
  if (!read.ok) return read;
  const collection = read.collection;
  const chosen = chooseEnvironment(args.file, collection, args.env);
  if (!chosen.ok) return chosen;
  const environment = chosen.environment;
  const envName = args.env ?? collection.activeEnvironment;
  // A secret's value is never needed here: the script reads it from the environment when it runs.
  const variables = new Map<string, Variable>();
  for (const v of environment?.variables ?? []) variables.set(v.name, v.secret ? { name: v.name, value: '', secret: true } : { name: v.name, value: v.value });
  for (const v of args.vars) {
    const secret = variables.get(v.name)?.secret === true;
    variables.set(v.name, secret ? { name: v.name, value: '', secret: true } : { name: v.name, value: v.value });
  }
  const checked = checkFlows(collection.flows ?? [], { endpoints: collection.endpoints, variables: new Set(variables.keys()) });
  if (!checked.ok) return { ok: false, error: `${args.file}: ${describeFlowIssue(checked.issue)}` };
  const flows = checked.checked;
  if (flows.length === 0) return { ok: false, error: `${args.file}: the collection has no flows` };
  const names = flows.map((f) => JSON.stringify(f.name)).join(', ');
  if (args.flow === undefined && flows.length > 1) return { ok: false, error: `${args.file}: choose the flow to export with --flow (it has ${names})` };
  const flow = args.flow === undefined ? flows[0]! : flows.find((f) => f.name === args.flow);
  if (!flow) return { ok: false, error: `${args.file}: no flow ${JSON.stringify(args.flow)} (it has ${names})` };
  for (const step of flow.steps) {
    if (step.act.action !== 'connect') continue;
    const endpointName = step.act.endpoint;
    const endpoint = collection.endpoints.find((e) => e.name === endpointName)!;
    const missing = endpointReferences(endpoint).find((name) => !variables.has(name));
    if (missing !== undefined) {
      const where = envName === undefined ? ' (the file has no active environment; choose one with --env)' : ` "${envName}"`;
      return { ok: false, error: `${args.file}: Flow ${JSON.stringify(flow.name)}, step ${step.number}: endpoint ${JSON.stringify(endpoint.name)} uses {{${missing}}}: define it in the environment${where} or with --var` };
    }
  }
  const result = exportArtillery({
    flow,
    endpoints: collection.endpoints,
    variables: [...variables.values()],
    phase: { duration: args.duration, arrivalRate: args.arrivalRate },
  });
  if (!result.ok) return { ok: false, error: `${args.file}: ${result.error}` };
  return { ok: true, result, collection, flow: flow.name };
}
