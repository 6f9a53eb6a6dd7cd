/**
 * Saved endpoints, grouped by collection, then the endpoints workspace files share. Choosing one
 * only fills the connection form; it does not connect. Rename and delete of a saved endpoint are
 * asked of the host, which asks the user; a workspace file's endpoints are edited in that file, and
 * in Restricted Mode the host asks before connecting to one.
 */
import type { Collection, Endpoint, WorkspaceCollections } from '../shared/protocol';
import { addDescribedBy, h, iconButton, uniqueId } from './dom';
import type { Requests } from './requests';
import { l10n } from './l10n';

const NO_WORKSPACE: WorkspaceCollections = { collections: [], trusted: true };

export class EndpointsList {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;

  constructor(
    private readonly requests: Requests,
    private readonly onChoose: (endpoint: Endpoint) => void,
  ) {
    this.list = h('ul', { class: 'endpoints', attrs: { role: 'list', 'aria-label': l10n.t('Saved endpoints') } });
    this.element = h(
      'section',
      { class: 'endpoints-section', attrs: { 'aria-labelledby': 'endpoints-heading' } },
      h('h2', { class: 'section-heading', id: 'endpoints-heading', text: l10n.t('Endpoints') }),
      this.list,
    );
    this.update([]);
  }

  update(collections: readonly Collection[], workspace: WorkspaceCollections = NO_WORKSPACE): void {
    const items: HTMLLIElement[] = [];
    for (const collection of collections) {
      if (collection.endpoints.length === 0) continue;
      items.push(heading(collection.name));
      for (const endpoint of collection.endpoints) items.push(this.renderEndpoint(endpoint));
    }
    for (const { collection, file } of workspace.collections) {
      if (collection.endpoints.length === 0) continue;
      // Said in words, not by colour: "workspace", and "(restricted)" as the Endpoints view says it.
      const marker = h('span', {
        class: 'workspace-badge',
        id: uniqueId('workspace-badge'),
        text: workspace.trusted ? l10n.t('workspace') : l10n.t('workspace (restricted)'),
        attrs: { title: workspace.trusted ? l10n.t('Shared by {0}: edit it there', file) : l10n.t('Shared by {0}: Restricted Mode, connecting asks first', file) },
      });
      items.push(heading(collection.name, marker));
      for (const endpoint of collection.endpoints) items.push(this.renderShared(endpoint, marker.id));
    }
    if (items.length === 0) items.push(h('li', { class: 'empty', text: l10n.t('No saved endpoints yet') }));
    this.list.replaceChildren(...items);
  }

  private chooseButton(endpoint: Endpoint): HTMLButtonElement {
    const choose = h(
      'button',
      { class: 'endpoint-name', attrs: { type: 'button', title: endpoint.url } },
      h('span', { class: 'endpoint-label', text: endpoint.name }),
      h('span', { class: 'endpoint-url', text: endpoint.url, attrs: { 'aria-hidden': 'true' } }),
    );
    // The accessible name is the endpoint's name alone; the URL is in the tooltip and visible text.
    choose.setAttribute('aria-label', endpoint.name);
    choose.addEventListener('click', () => this.onChoose(endpoint));
    return choose;
  }

  private renderEndpoint(endpoint: Endpoint): HTMLLIElement {
    const rename = iconButton('edit', l10n.t('Rename endpoint {0}', endpoint.name));
    rename.addEventListener('click', () =>
      this.requests.send({ type: 'renameEndpoint', endpointId: endpoint.id }, ['endpoint']),
    );
    const remove = iconButton('trash', l10n.t('Delete endpoint {0}', endpoint.name));
    remove.addEventListener('click', () =>
      this.requests.send({ type: 'deleteEndpoint', endpointId: endpoint.id }, ['endpoint']),
    );
    return h('li', { class: 'endpoint' }, this.chooseButton(endpoint), h('span', { class: 'endpoint-actions' }, rename, remove));
  }

  /** A workspace file's endpoint: read-only here, described by its collection's marker. */
  private renderShared(endpoint: Endpoint, markerId: string): HTMLLIElement {
    const choose = this.chooseButton(endpoint);
    addDescribedBy(choose, markerId);
    return h('li', { class: 'endpoint workspace-endpoint' }, choose);
  }
}

function heading(name: string, marker?: HTMLElement): HTMLLIElement {
  const text = h('span', { attrs: { role: 'heading', 'aria-level': '3' } }, name);
  if (marker) text.append(' ', marker);
  return h('li', { class: 'collection-heading' }, text);
}
