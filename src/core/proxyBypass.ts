/**
 * "Bypass proxy", per endpoint: connect directly even when VS Code has a proxy configured.
 *
 * VS Code's proxy support (`http.proxySupport`, default "override") replaces `request` and `get`
 * of Node's `http` and `https` modules in the extension host, and in "override" mode it swaps
 * every request's agent for its own proxy agent, so an explicit agent alone cannot opt out. It
 * keeps the functions it replaced on the module as `__vscodeOriginal` (Microsoft's own
 * extensions use them for direct probes). The bundler routes the `http` / `https` imports of
 * the bundled client libraries (ws, engine.io's XMLHttpRequest) through `withProxyBypass`,
 * which sends a request whose agent came from `directAgent` to the original function and every
 * other request to the module's own, proxied one, exactly as before.
 *
 * `fetch` is patched the same way; `unproxiedFetch` is the one VS Code replaced.
 *
 * Outside VS Code (unit tests, plain Node) nothing is patched and both paths are the same.
 * Deliberately free of `vscode` imports.
 */
import * as http from 'node:http';
import * as https from 'node:https';

/** Marks agents made by directAgent; a registry symbol, so every bundle recognises them. */
const DIRECT = Symbol.for('websocketDebugger.directAgent');

/** `request` and `get` of `http` / `https`, in all their call forms. */
type RequestFunction = (...args: unknown[]) => http.ClientRequest;

/** The part of `http` / `https` this module touches. */
export interface HttpModule {
  request: RequestFunction;
  get: RequestFunction;
  /** What VS Code's proxy support replaced, when it did. */
  __vscodeOriginal?: { request?: RequestFunction };
}

/**
 * A fresh agent for one connection that goes straight to the server. Handed to a client
 * library as its `agent` option; the library's requests then skip VS Code's proxy.
 */
export function directAgent(secure: boolean): http.Agent {
  const agent = secure ? new https.Agent() : new http.Agent();
  Object.defineProperty(agent, DIRECT, { value: true });
  return agent;
}

export function isDirectAgent(agent: unknown): boolean {
  return typeof agent === 'object' && agent !== null && (agent as Record<symbol, unknown>)[DIRECT] === true;
}

/** The request options among `request(url, options?, callback?)` / `request(options, callback?)`. */
function requestOptions(args: readonly unknown[]): { agent?: unknown } | undefined {
  const [first, second] = args;
  const options = typeof first === 'string' || first instanceof URL ? second : first;
  return typeof options === 'object' && options !== null ? (options as { agent?: unknown }) : undefined;
}

/**
 * `module` with `request` and `get` that send direct-agent requests past VS Code's proxy
 * support and everything else through the module as it is.
 */
export function withProxyBypass<M extends HttpModule>(module: M): M {
  const direct: RequestFunction = module.__vscodeOriginal?.request ?? module.request;
  const request: RequestFunction = (...args) =>
    isDirectAgent(requestOptions(args)?.agent) ? direct(...args) : module.request(...args);
  const get: RequestFunction = (...args) => {
    if (!isDirectAgent(requestOptions(args)?.agent)) return module.get(...args);
    // What Node's own get() does: a request without a body.
    const req = direct(...args);
    req.end();
    return req;
  };
  return { ...module, request, get };
}

/** The global `fetch` as it was before VS Code's proxy support replaced it (kept as `__vscodeOriginalFetch`). */
export function unproxiedFetch(global: object = globalThis): typeof fetch {
  const original = (global as { __vscodeOriginalFetch?: unknown }).__vscodeOriginalFetch;
  return typeof original === 'function' ? (original as typeof fetch) : fetch;
}
