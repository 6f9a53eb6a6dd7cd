/**
 * The bounds of saved messages, in a module of their own: the zod schema (schemas.ts) and the
 * zod-free rules the webview also runs (savedMessages.ts) both need them.
 */

/** Longest message name, in UTF-16 code units. */
export const MAX_MESSAGE_NAME_LENGTH = 200;
/** Most messages one endpoint keeps. */
export const MAX_SAVED_MESSAGES = 500;
