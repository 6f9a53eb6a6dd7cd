/**
 * What the browser's WebSocket API cannot do, each with the one line the panel shows beside the
 * control it disables (vscode.dev, github.dev and other web extension hosts). The desktop and
 * remote hosts have none of these limits.
 */
import { l10n } from './l10n';

export interface HostLimits {
  /** Custom request headers (the browser sends its own, cookies and Origin included). */
  headers: string;
  /** Ping and pong frames, keep-alive pings and automatic pongs. */
  controlFrames: string;
  /** Close codes other than 1000 and 3000–4999. */
  closeCodes: string;
  /** The handshake inspector (timing waterfall, request and response headers, TLS details). */
  inspector: string;
  /** CA, client certificates, invalid certificates. */
  tls: string;
  /** Bypass proxy (the browser's own proxy settings apply). */
  proxy: string;
}

/** The lines in the configured language (a function, so they are looked up after the bundle is set). */
export function browserLimits(): HostLimits {
  return {
    headers: l10n.t('Not in the browser: its WebSocket API sends only its own headers (Origin, cookies); subprotocols still work.'),
    controlFrames: l10n.t('Not in the browser: its WebSocket API cannot send ping or pong frames (it answers pings itself).'),
    closeCodes: l10n.t('In the browser, Close accepts only 1000 or 3000–4999 (the WebSocket API refuses other codes).'),
    inspector: l10n.t('Not in the browser: it does not expose the handshake, its headers, timing or TLS details.'),
    tls: l10n.t('Not in the browser: certificates are the browser\'s own; it cannot use CA or client certificate files.'),
    proxy: l10n.t('Not in the browser: connections follow the browser\'s own proxy settings.'),
  };
}

/** The close codes the browser's `WebSocket.close()` accepts (anything else throws InvalidAccessError). */
export function browserMayClose(code: number): boolean {
  return code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999);
}

/** What the browser hands binary messages over as: its `WebSocket.binaryType`. */
export type BinaryType = 'blob' | 'arraybuffer';
