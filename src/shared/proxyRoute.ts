/**
 * The Route line of the Connection details: which way the handshake went, as VS Code's proxy
 * support reported it ("DIRECT", "PROXY host:port", ...) and whether the endpoint bypasses it.
 */

/** `undefined` when there is nothing to say (no proxy support, e.g. outside VS Code). */
export function describeRoute(route: string | undefined, proxyBypassed: boolean | undefined): string | undefined {
  if (proxyBypassed) {
    // A direct-agent request never reaches VS Code's proxy agent, which is what reports a route.
    if (route === undefined || route === 'DIRECT') return 'direct (proxy bypassed)';
    return `${route} (Bypass proxy could not take effect in this VS Code)`;
  }
  if (route === undefined) return undefined;
  return route === 'DIRECT' ? 'direct (no proxy)' : route;
}
