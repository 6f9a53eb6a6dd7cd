/**
 * Saved endpoints, grouped by collection. Choosing one only fills the connection form; it does
 * not connect. Rename and delete are asked of the host, which asks the user.
 */
import type { Collection, Endpoint } from '../shared/protocol';
import { h, iconButton } from './dom';
import type { Requests } from './requests';

export class EndpointsList {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;

  constructor(
    private readonly requests: Requests,
    private readonly onChoose: (endpoint: Endpoint) => void,
  ) {
    this.list = h('ul', { class: 'endpoints', attrs: { role: 'list', 'aria-label': 'Saved endpoints' } });
    this.element = h(
      'section',
      { class: 'endpoints-section', attrs: { 'aria-labelledby': 'endpoints-heading' } },
      h('h2', { class: 'section-heading', id: 'endpoints-heading', text: 'Endpoints' }),
      this.list,
    );
    this.update([]);
  }

  update(collections: readonly Collection[]): void {
    const items: HTMLLIElement[] = [];
    for (const collection of collections) {
      if (collection.endpoints.length === 0) continue;
      items.push(
        h(
          'li',
          { class: 'collection-heading' },
          h('span', { text: collection.name, attrs: { role: 'heading', 'aria-level': '3' } }),
        ),
      );
      for (const endpoint of collection.endpoints) items.push(this.renderEndpoint(endpoint));
    }
    if (items.length === 0) items.push(h('li', { class: 'empty', text: 'No saved endpoints yet' }));
    this.list.replaceChildren(...items);
  }

  private renderEndpoint(endpoint: Endpoint): HTMLLIElement {
    const choose = h(
      'button',
      { class: 'endpoint-name', attrs: { type: 'button', title: endpoint.url } },
      h('span', { class: 'endpoint-label', text: endpoint.name }),
      h('span', { class: 'endpoint-url', text: endpoint.url, attrs: { 'aria-hidden': 'true' } }),
    );
    // The accessible name is the endpoint's name alone; the URL is in the tooltip and visible text.
    choose.setAttribute('aria-label', endpoint.name);
    choose.addEventListener('click', () => this.onChoose(endpoint));

    const rename = iconButton('edit', `Rename endpoint ${endpoint.name}`);
    rename.addEventListener('click', () =>
      this.requests.send({ type: 'renameEndpoint', endpointId: endpoint.id }, ['endpoint']),
    );
    const remove = iconButton('trash', `Delete endpoint ${endpoint.name}`);
    remove.addEventListener('click', () =>
      this.requests.send({ type: 'deleteEndpoint', endpointId: endpoint.id }, ['endpoint']),
    );
    return h('li', { class: 'endpoint' }, choose, h('span', { class: 'endpoint-actions' }, rename, remove));
  }
}
