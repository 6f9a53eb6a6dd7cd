import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { visibleSegments, visibleText } from '../../src/shared/visibleText';

describe('visibleText', () => {
  it('leaves ordinary text, newlines, tabs, markup and right-to-left letters alone', () => {
    for (const text of ['', 'hello', 'a\nb\tc', '<img src=x onerror=alert(1)>', 'שלום عربي', 'héllo ✓ 😀']) {
      assert.equal(visibleText(text), text);
    }
  });

  it('shows C0 controls as control pictures and DEL as ␡', () => {
    assert.equal(visibleText('a\u0000b'), 'a␀b');
    assert.equal(visibleText('\u001b[31mred\u001b[0m'), '␛[31mred␛[0m');
    assert.equal(visibleText('line\r\n'), 'line␍\n');
    assert.equal(visibleText('\u0007\u0008\u007f'), '␇␈␡');
  });

  it('shows bidi controls, zero-width and C1 characters as code point markers', () => {
    assert.equal(visibleText('file\u202Etxt.exe'), 'file<U+202E>txt.exe');
    assert.equal(visibleText('pay\u200Bpal'), 'pay<U+200B>pal');
    assert.equal(visibleText('\uFEFFstart'), '<U+FEFF>start');
    assert.equal(visibleText('\u2066x\u2069'), '<U+2066>x<U+2069>');
    assert.equal(visibleText('a\u0085b'), 'a<U+0085>b');
    assert.equal(visibleText('a\u2028b'), 'a<U+2028>b');
    assert.equal(visibleText('tag\u{E0041}'), 'tag<U+E0041>');
  });

  it('keeps a zero-width joiner that builds one emoji, but not one between letters', () => {
    const family = '👨\u200D👩\u200D👧';
    assert.equal(visibleText(family), family);
    assert.equal(visibleText('a\u200Db'), 'a<U+200D>b');
    assert.equal(visibleText('\u200D👩'), '<U+200D>👩');
  });

  it('splits into runs and markers that name what they replace', () => {
    assert.deepEqual(visibleSegments('ok\u202E\u200Bgo\u0000'), [
      { text: 'ok' },
      { text: '<U+202E><U+200B>', replaced: 'U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE' },
      { text: 'go' },
      { text: '␀', replaced: 'U+0000 NULL' },
    ]);
    assert.deepEqual(visibleSegments(''), []);
    assert.deepEqual(visibleSegments('plain'), [{ text: 'plain' }]);
  });

  it('handles a 5 MB single line with controls scattered through it quickly', () => {
    const line = ('x'.repeat(999) + '\u0000').repeat(5 * 1024);
    const started = Date.now();
    const shown = visibleText(line);
    assert.ok(Date.now() - started < 2000);
    assert.equal(shown.length, line.length);
    assert.ok(!shown.includes('\u0000'));
  });
});
