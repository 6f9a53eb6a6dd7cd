/**
 * The names of the protocol lenses and of an endpoint's `"lens"` option. A module of their own,
 * importing nothing, so the collection schema and the model can name them without the parsers.
 */

/** The protocols a lens understands, by the name a collection's `"lens"` option uses. */
export const LENS_NAMES = ['graphql-transport-ws', 'stomp', 'mqtt', 'jsonrpc'] as const;
export type LensName = (typeof LENS_NAMES)[number];

/** What an endpoint's `"lens"` option may say: a lens, `"auto"` (the default: from the subprotocol) or `"none"`. */
export const LENS_SETTINGS = ['auto', 'none', ...LENS_NAMES] as const;
export type LensSetting = (typeof LENS_SETTINGS)[number];
