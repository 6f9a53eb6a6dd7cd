/**
 * The localisation suite: run by test/run-integration.mjs in a code-server whose display
 * language is German (`--locale de`), apart from the main suite, whose tests read English.
 */
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'l10n.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} localisation test(s) failed`)) : resolve()));
  });
}
