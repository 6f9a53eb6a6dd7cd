/**
 * Loads a .proto file and the files it imports into one protobufjs Root, reading them ourselves
 * (protobufjs's own loader looks files up through an eval'd `require("fs")` and reports a
 * missing import without saying where it looked). Google's well-known types
 * (google/protobuf/timestamp.proto, ...) come with protobufjs and need no file.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Enum, Namespace, Root, Type, common, parse, type ReflectionObject } from 'protobufjs';
import { l10n } from '../../shared/l10n';

/** A .proto file bigger than this is not a schema anyone wrote by hand: refused. */
export const MAX_PROTO_FILE_BYTES = 4 * 1024 * 1024;
/** Imports past this many files are refused (an import cycle is already handled). */
export const MAX_PROTO_FILES = 500;

export type ProtoResult = { ok: true; type: Type; file: string } | { ok: false; error: string };

/**
 * The first of `dirs` that holds `name` (an absolute `name` is taken as it is), or undefined.
 * A .proto path in a collection is relative to the collection file, then to the workspace.
 */
export async function findProtoFile(name: string, dirs: readonly string[]): Promise<string | undefined> {
  const candidates = path.isAbsolute(name) ? [name] : dirs.map((dir) => path.resolve(dir, name));
  for (const candidate of candidates) {
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Parses `protoName` (found in `dirs`) with its imports and returns the message type
 * `typeName` (fully qualified, a leading dot allowed). Every failure is a sentence that names
 * the file or the type.
 */
export async function loadProtoType(protoName: string, typeName: string, dirs: readonly string[]): Promise<ProtoResult> {
  const main = await findProtoFile(protoName, dirs);
  if (main === undefined) {
    return {
      ok: false,
      error: dirs.length > 0
        ? l10n.t('The .proto file "{0}" was not found (looked in {1})', protoName, dirs.join(', '))
        : l10n.t('The .proto file "{0}" was not found (looked in no folder)', protoName),
    };
  }
  const root = new Root();
  const loaded = new Set<string>();
  // Imports resolve against the importing file's folder, the main file's folder, then `dirs`.
  const pending: { file: string; from: string }[] = [{ file: main, from: main }];
  while (pending.length > 0) {
    const { file, from } = pending.shift() as { file: string; from: string };
    if (loaded.has(file)) continue;
    if (loaded.size >= MAX_PROTO_FILES) return { ok: false, error: l10n.t('{0} imports more than {1} files', protoName, MAX_PROTO_FILES) };
    loaded.add(file);
    let source: string;
    try {
      const info = await stat(file);
      if (info.size > MAX_PROTO_FILE_BYTES) {
        return { ok: false, error: l10n.t('{0} is {1} bytes; a .proto file may have at most {2}', file, info.size, MAX_PROTO_FILE_BYTES) };
      }
      source = await readFile(file, 'utf8');
    } catch (error) {
      return { ok: false, error: l10n.t('Cannot read {0} (imported by {1}): {2}', file, from, messageOf(error)) };
    }
    let imports: string[];
    try {
      const parsed = parse(source, root, { keepCase: true });
      imports = [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])];
    } catch (error) {
      return { ok: false, error: l10n.t('{0} does not parse: {1}', file, messageOf(error)) };
    }
    for (const name of imports) {
      const bundled = common.get(name);
      if (bundled) {
        if (!loaded.has(name)) {
          loaded.add(name);
          root.addJSON(bundled.nested ?? {});
        }
        continue;
      }
      const found = await findProtoFile(name, [path.dirname(file), path.dirname(main), ...dirs]);
      if (found === undefined) return { ok: false, error: l10n.t('{0} imports "{1}", which was not found', file, name) };
      pending.push({ file: found, from: file });
    }
  }
  try {
    root.resolveAll();
  } catch (error) {
    return { ok: false, error: `${protoName}: ${messageOf(error)}` };
  }
  const wanted = typeName.replace(/^\./, '');
  const found = wanted === '' ? null : root.lookup(wanted);
  if (!(found instanceof Type)) {
    const known = messageTypes(root);
    const list = `${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}`;
    return {
      ok: false,
      error: known.length > 0
        ? l10n.t('{0} has no message type "{1}"; it defines {2}', protoName, typeName, list)
        : l10n.t('{0} has no message type "{1}"; it defines no message types', protoName, typeName),
    };
  }
  return { ok: true, type: found, file: main };
}

/** The fully qualified names of every message type under `ns`, for "did you mean". */
function messageTypes(ns: Namespace): string[] {
  const out: string[] = [];
  const walk = (object: ReflectionObject): void => {
    if (object instanceof Type) out.push(object.fullName.replace(/^\./, ''));
    if (object instanceof Namespace && !(object instanceof Enum)) for (const child of object.nestedArray) walk(child);
  };
  walk(ns);
  return out.filter((name) => !name.startsWith('google.protobuf.'));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
