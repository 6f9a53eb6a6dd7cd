// Connect from the command palette and send every "Send as" kind to a real echo server.
import { test } from '../framework.mjs';
import { assertText } from '../panel.mjs';
import { panel, quickPickInput, resetWorkbench, runCommand } from '../workbench.mjs';

test('connects from the palette and echoes text, JSON, hex and base64', async ({ page, echo, screenshot }) => {
  await runCommand(page, 'WebSocket: Connect…');
  await quickPickInput(page, echo.url);
  const view = await panel(page);
  const status = view.getByRole('contentinfo', { name: 'Connection summary' });
  await assertText(status, /OPEN/);

  const log = view.getByRole('listbox', { name: 'Message log' });
  const message = view.getByRole('textbox', { name: 'Message', exact: true });
  const sendAs = view.getByRole('combobox', { name: 'Send as', exact: true });
  const send = view.getByRole('button', { name: 'Send', exact: true });

  await message.fill('hello from e2e');
  await send.click();
  await log.locator('.entry', { hasText: 'received' }).filter({ hasText: 'hello from e2e' }).waitFor();

  await sendAs.selectOption({ label: 'JSON' });
  await message.fill('{"op":"subscribe","channel":"ticker"}');
  await send.click();
  // A text frame is shown as Text until the user picks JSON.
  await log.locator('.entry', { hasText: 'received' }).filter({ hasText: '{"op":"subscribe","channel":"ticker"}' }).waitFor();

  await sendAs.selectOption({ label: 'Hex' });
  await message.fill('de ad be ef');
  await send.click();
  await log.locator('.entry', { hasText: 'received' }).filter({ hasText: 'binary' }).filter({ hasText: 'de ad be ef' }).first().waitFor();

  await sendAs.selectOption({ label: 'Base64' });
  await message.fill('AAEC/w==');
  await send.click();
  await log.locator('.entry', { hasText: 'received' }).filter({ hasText: '00 01 02 ff' }).first().waitFor();

  await assertText(status, /sent 4/);
  await assertText(status, /received 4/);
  await screenshot('connect-send');
  await resetWorkbench(page);
});
