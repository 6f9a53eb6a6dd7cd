// Flows located in a collection file's text (Test Explorer ranges) and its mistakes as spans
// (diagnostics): the span must cover the exact field the flow checks name.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileProblems, locateFlows, positionAt } from '../../src/core/flows/flowFile';

function file(flows: unknown[], endpoints: unknown[] = [{ name: 'echo', url: 'ws://127.0.0.1:1/' }]): string {
  return JSON.stringify({ format: 'websocket-debugger-collection', version: 3, name: 'c', endpoints, flows }, null, 2);
}

describe('flow file locations', () => {
  test('each flow and each step gets the span of its object', () => {
    const text = file([
      { name: 'one', steps: [{ connect: 'echo' }, { send: { text: 'a "quoted" \\ value' } }] },
      { name: 'two', steps: [{ wait: 1 }] },
    ]);
    const flows = locateFlows(text);
    assert.deepEqual(flows.map((f) => [f.index, f.name]), [[0, 'one'], [1, 'two']]);
    assert.deepEqual(JSON.parse(text.slice(flows[0]!.steps[1]!.start, flows[0]!.steps[1]!.end)), { send: { text: 'a "quoted" \\ value' } });
    assert.deepEqual(JSON.parse(text.slice(flows[1]!.span.start, flows[1]!.span.end)), { name: 'two', steps: [{ wait: 1 }] });
    assert.equal(positionAt(text, flows[1]!.steps[0]!.start).line, text.slice(0, flows[1]!.steps[0]!.start).split('\n').length - 1);
  });

  test('text that is not JSON has no flows', () => {
    assert.deepEqual(locateFlows('{"flows": ['), []);
  });
});

describe('flow file problems', () => {
  test('a file that imports has none', () => {
    assert.deepEqual(fileProblems(file([{ name: 'f', steps: [{ connect: 'echo' }] }])), []);
  });

  test('a regex that does not compile is marked at the regex', () => {
    const text = file([{ name: 'ok', steps: [] }, { name: 'bad', steps: [{ connect: 'echo' }, { expect: { regex: '(' } }] }]);
    const [problem, ...rest] = fileProblems(text);
    assert.equal(rest.length, 0);
    assert.match(problem!.message, /^Flow "bad", step 2, field "expect\.regex": the regular expression does not compile/);
    assert.equal(text.slice(problem!.span.start, problem!.span.end), '"("');
  });

  test('an unknown endpoint is marked at the connect value', () => {
    const text = file([{ name: 'f', steps: [{ connect: 'nope' }] }]);
    const [problem] = fileProblems(text);
    assert.match(problem!.message, /Flow "f", step 1, field "connect"/);
    assert.equal(text.slice(problem!.span.start, problem!.span.end), '"nope"');
  });

  test('a mistake outside the flows is reported at the start, a syntax error at its position', () => {
    const [other] = fileProblems(file([], [{ name: 'e', url: 'http://x' }]));
    assert.match(other!.message, /Endpoint "e"/);
    assert.deepEqual(other!.span, { start: 0, end: 1 });
    const [syntax] = fileProblems('{"a": 1,,}');
    assert.match(syntax!.message, /^Not valid JSON/);
    assert.equal(syntax!.span.start, 8);
  });
});
