// Protocol lenses as a user meets them: the panel connects to the graphql-ws library's server
// with the subprotocol graphql-transport-ws, the rows show the lens summaries (subscribe, next and
// complete paired by id, with latency), a summary opens the Lens fields region, and the filter's
// lens: prefix finds entries by what the lens read.
import assert from 'node:assert/strict';
import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { test } from '../framework.mjs';
import { assertText, eventually, openConnectionOptions, openEmptyPanel, openSettingsTab, received, sendText, stateFields, textOf, WAIT, selectEntry } from '../panel.mjs';
import { resetWorkbench } from '../workbench.mjs';

/** The graphql-ws server on a ws server on port 0: a query `hello` and a subscription counting to `to`. */
async function startGraphqlWs() {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        count: {
          type: GraphQLInt,
          args: { to: { type: GraphQLInt } },
          subscribe: async function* (_root, { to }) {
            for (let i = 1; i <= (to ?? 3); i++) {
              await new Promise((resolve) => setTimeout(resolve, 20));
              yield { count: i };
            }
          },
        },
      },
    }),
  });
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const disposable = useServer({ schema }, wss);
  return {
    url: `ws://127.0.0.1:${wss.address().port}/graphql`,
    close: async () => {
      await disposable.dispose();
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

/** The log row whose lens summary matches `pattern`. */
function lensRow(ui, pattern) {
  return ui.entries.filter({ has: ui.view.locator('.entry-lens', { hasText: pattern }) });
}

test('graphql-transport-ws: rows show the lens summaries, a summary shows its fields, lens: filters', { timeout: 120_000 }, async ({ page, screenshot }) => {
  const server = await startGraphqlWs();
  try {
    const ui = await openEmptyPanel(page);
    await ui.url.fill(server.url);
    await openSettingsTab(ui, 'Headers');
    await ui.subprotocols.fill('graphql-transport-ws');
    await ui.connect.click();
    await assertText(ui.status, /^OPEN\b/, 'status OPEN');
    assert.equal((await stateFields(ui)).protocol, 'graphql-transport-ws');

    await sendText(ui, '{"type":"connection_init","payload":{}}');
    await lensRow(ui, /^← connection_ack$/).first().waitFor({ timeout: WAIT });
    await sendText(ui, '{"id":"1","type":"subscribe","payload":{"query":"subscription Counter { count(to: 3) }"}}');
    await lensRow(ui, /^→ subscribe #1 Counter$/).first().waitFor({ timeout: WAIT });
    await lensRow(ui, /^← complete #1 \d+ ms$/).first().waitFor({ timeout: WAIT });
    await eventually(() => lensRow(ui, /^← next #1 \d+ ms$/).count(), (n) => n === 3, 'three next rows paired with the subscribe');
    await screenshot('lenses-graphql-rows');

    // The row shows the summary; selecting it shows the lens's fields in the Message detail pane.
    const firstNext = lensRow(ui, /^← next #1/).first();
    const id = await firstNext.getAttribute('data-entry-id');
    const detail = await selectEntry(ui, id);
    const region = detail.getByRole('region', { name: 'Lens fields' });
    await region.waitFor({ state: 'visible', timeout: WAIT });
    await assertText(region.locator('.details-heading'), new RegExp(`^GraphQL \\(graphql-transport-ws\\) · entry ${id} \\(received\\)$`), 'the region names the entry');
    const fields = await region.locator('.lens-fields > div').evaluateAll((rows) =>
      Object.fromEntries(rows.map((row) => [row.querySelector('dt')?.textContent ?? '', row.querySelector('dd')?.textContent ?? ''])));
    assert.equal(fields.Type, 'next');
    assert.equal(fields.Id, '1');
    assert.equal(fields.Operation, 'Counter');
    assert.equal(fields.Data, '{"count":1}');
    assert.match(fields['Since subscribe'], /^\d+ ms$/);
    await screenshot('lenses-graphql-fields');
    await ui.view.getByRole('button', { name: 'Close lens fields' }).click();
    await region.waitFor({ state: 'hidden', timeout: WAIT });

    // lens: searches only what the lens read; plain text also finds the summaries.
    const filter = ui.view.getByRole('searchbox', { name: 'Filter log' });
    const matches = ui.view.locator('.filter-summary');
    await filter.fill('lens:complete');
    await assertText(matches, /^1 of \d+ match$/, 'one complete');
    await eventually(() => ui.entries.count(), (n) => n === 1, 'one row');
    assert.equal(await textOf(ui.entries.first().locator('.entry-lens mark')), 'complete');
    await filter.fill('lens:{"count":2}');
    await assertText(matches, /^1 of \d+ match$/, 'the second next by its data field');
    await filter.fill('next #1');
    await assertText(matches, /^3 of \d+ match$/, 'the three next rows by their summary');
    await filter.fill('');

    // Connection options → Protocol lens "None": the same traffic, no summaries.
    await ui.disconnect.click();
    await assertText(ui.status, /^CLOSED\b/, 'status CLOSED');
    await ui.view.getByRole('button', { name: 'Clear log' }).click();
    await openConnectionOptions(ui);
    const lensOption = ui.view.getByRole('combobox', { name: 'Protocol lens' });
    assert.equal(await lensOption.inputValue(), 'auto');
    await lensOption.selectOption({ label: 'None' });
    await ui.connect.click();
    await assertText(ui.status, /^OPEN\b/, 'status OPEN again');
    await sendText(ui, '{"type":"connection_init","payload":{}}');
    await received(ui, { text: 'connection_ack' }).first().waitFor({ timeout: WAIT });
    assert.equal(await ui.log.locator('.entry-lens').count(), 0, 'no lens summaries with the lens off');
  } finally {
    await resetWorkbench(page);
    await server.close();
  }
});
