/**
 * The Route line of the Connection details: which way the handshake went, as VS Code's proxy
 * support reported it ("DIRECT", "PROXY host:port", ...) and whether the endpoint bypasses it.
 * The route itself stays as VS Code wrote it; the words around it are translated.
 */
import { l10n } from './l10n';

/** `undefined` when there is nothing to say (no proxy support, e.g. outside VS Code). */
export function describeRoute(route: string | undefined, proxyBypassed: boolean | undefined): string | undefined {
  if (proxyBypassed) {
    // A direct-agent request never reaches VS Code's proxy agent, which is what reports a route.
    if (route === undefined || route === 'DIRECT') return l10n.t('direct (proxy bypassed)');
    return l10n.t('{0} (Bypass proxy could not take effect in this VS Code)', route);
  }
  if (route === undefined) return undefined;
  return route === 'DIRECT' ? l10n.t('direct (no proxy)') : route;
}
