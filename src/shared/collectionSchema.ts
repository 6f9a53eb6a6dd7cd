/**
 * The JSON schema of collection files, generated from the zod schemas the importer uses, so the
 * editor's squiggles and the import refusals agree. scripts/build.mjs writes it to
 * dist/collection.schema.json, which package.json contributes through `jsonValidation`.
 * Flows are spelled out step by step here (the importer checks them in code, for sentences that
 * name the flow and step); what a schema cannot say (unknown endpoint, a regex that does not
 * compile) the extension reports as diagnostics of its own.
 */
import './zod';
import * as z from 'zod/mini';
import { collectionFileSchema, MAX_NAME_LENGTH } from './collections';
import { flowStepJsonSchema } from './flows';

export function collectionJsonSchema(): Record<string, unknown> {
  const flow = z.strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(MAX_NAME_LENGTH)),
    steps: z.array(flowStepJsonSchema),
  });
  const file = z.extend(collectionFileSchema, { flows: z.optional(z.array(flow)) });
  const schema = z.toJSONSchema(file, { io: 'input', unrepresentable: 'any', target: 'draft-7' }) as Record<string, unknown>;
  return { ...schema, title: 'WebSocket Debugger collection file', description: 'Endpoints, environments and flows (docs/collection-format.md, docs/flows.md).' };
}
