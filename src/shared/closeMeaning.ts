/** What each close code tells the user, beyond its RFC 6455 name. */
import { closeCodeName } from './closeCodes';
import { l10n } from './l10n';

/** A function, not a table: the words are looked up in the language in use when asked. */
function meaningOf(code: number): string | undefined {
  switch (code) {
    case 1000: return l10n.t('the purpose of the connection was fulfilled');
    case 1001: return l10n.t('the endpoint is going away (server shutting down, page closed)');
    case 1002: return l10n.t('the endpoint saw a protocol error');
    case 1003: return l10n.t('the endpoint received data of a type it cannot accept');
    case 1005: return l10n.t('the Close frame carried no status code');
    case 1006: return l10n.t('no Close frame: the connection was lost or dropped');
    case 1007: return l10n.t('a message contained data inconsistent with its type (e.g. invalid UTF-8)');
    case 1008: return l10n.t("a message violated the endpoint's policy");
    case 1009: return l10n.t('a message was too big to process');
    case 1010: return l10n.t('the server did not negotiate an extension the client requires');
    case 1011: return l10n.t('the server hit an unexpected condition');
    case 1012: return l10n.t('the server is restarting');
    case 1013: return l10n.t('the server is overloaded; try again later');
    case 1014: return l10n.t('a gateway or proxy got an invalid response upstream');
    case 1015: return l10n.t('the TLS handshake failed');
    default: return undefined;
  }
}

/** "1006 Abnormal Closure: no Close frame: the connection was lost or dropped". */
export function closeCodeMeaning(code: number): string {
  const meaning = meaningOf(code);
  return `${code} ${closeCodeName(code)}${meaning ? `: ${meaning}` : ''}`;
}
