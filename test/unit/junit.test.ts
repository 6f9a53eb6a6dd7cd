// JUnit XML: well formed whatever the servers sent (quotes, markup, control characters, lone
// surrogates), one testsuite per flow and one testcase per step, failures with message and body.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunReport } from '../../src/core/flows/flowRunner';
import { junitXml, xmlText } from '../../src/core/flows/junit';
import { parseXml } from './helpers/xml';

describe('junitXml', () => {
  it('escapes markup and shows what XML cannot carry as \\uXXXX', () => {
    assert.equal(xmlText(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    assert.equal(xmlText('bell\u0007 nul\u0000 lone\uD800 pair\uD83D\uDE00 line\nnext'), 'bell\\u0007 nul\\u0000 lone\\ud800 pair\uD83D\uDE00 line&#10;next');
  });

  it('writes one testsuite per flow and one testcase per step, and parses back', () => {
    const nasty = 'text "\u0001<script>&amp;\uDC00"';
    const report: RunReport = {
      passed: 1,
      failed: 1,
      interrupted: false,
      flows: [
        { name: 'ok', passed: true, ms: 12, steps: [{ number: 1, title: 'connect echo', status: 'passed', ms: 12 }] },
        {
          name: 'bad <flow>',
          passed: false,
          ms: 1500,
          steps: [
            { number: 1, title: 'connect echo', status: 'passed', ms: 3 },
            { number: 2, title: 'expect text "x"', status: 'failed', ms: 1497, failure: { message: `no match; ${nasty}`, expected: 'text "x"', actual: nasty, passedOver: [nasty], passedOverCount: 30 } },
            { number: 3, title: 'close 1000', status: 'skipped', ms: 0 },
          ],
        },
      ],
    };
    const xml = parseXml(junitXml('Coll & co', report));
    assert.deepEqual(xml.attributes, { name: 'Coll & co', tests: '4', failures: '1', errors: '0', skipped: '1', time: '1.512' });
    const [ok, bad] = xml.children;
    assert.equal(ok!.children.length, 1);
    assert.equal(bad!.attributes.name, 'bad <flow>');
    const failure = bad!.children[1]!.children[0]!;
    assert.equal(failure.attributes.message, 'no match; text "\\u0001<script>&amp;\\udc00"');
    assert.equal(
      failure.text,
      'no match; text "\\u0001<script>&amp;\\udc00"\nexpected: text "x"\nactual:   text "\\u0001<script>&amp;\\udc00"\npassed over (30):\n  text "\\u0001<script>&amp;\\udc00"\n  … and 29 more',
    );
    assert.equal(bad!.children[2]!.children[0]!.name, 'skipped');
  });
});
