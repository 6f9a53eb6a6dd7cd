// The JSON schema contributed for collection files (generated from the importer's zod schemas)
// accepts what the importer accepts and marks the mistakes an editor should underline.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { collectionJsonSchema } from '../../src/shared/collectionSchema';

const validate = new Ajv({ strict: false, allErrors: true }).compile(collectionJsonSchema());

function file(flows: unknown[]): unknown {
  return {
    format: 'websocket-debugger-collection',
    version: 3,
    name: 'c',
    endpoints: [{ name: 'echo', url: 'ws://127.0.0.1:1/', headers: [{ name: 'x-a', value: '1' }] }],
    environments: [{ name: 'dev', variables: [{ name: 'user', value: 'ada' }] }],
    activeEnvironment: 'dev',
    flows,
  };
}

describe('collection file JSON schema', () => {
  test('a file with every kind of step is valid', () => {
    const ok = validate(
      file([
        {
          name: 'all',
          steps: [
            { connect: 'echo', as: 'a', timeout: 1000 },
            { send: { json: { op: 'hi' } }, name: 'hello' },
            { send: { hex: 'de ad' }, on: 'a' },
            { expect: { regex: '^x' }, capture: { t: '$.token' }, next: true },
            { expectNone: { contains: 'error' }, for: 100 },
            { ping: 'p' },
            { wait: 5 },
            { emit: { event: 'e', args: [1], ack: true } },
            { expect: { ack: [] } },
            { close: { code: 1000 } },
          ],
        },
      ]),
    );
    assert.equal(ok, true, JSON.stringify(validate.errors));
  });

  test('an unknown step key, a string timeout and a wrong format are invalid', () => {
    assert.equal(validate(file([{ name: 'f', steps: [{ sned: { text: 'x' } }] }])), false);
    assert.equal(validate(file([{ name: 'f', steps: [{ wait: '5' }] }])), false);
    assert.equal(validate(file([{ name: 'f', steps: [{ send: { txt: 'x' } }] }])), false);
    assert.equal(validate({ ...(file([]) as object), format: 'other' }), false);
  });
});
