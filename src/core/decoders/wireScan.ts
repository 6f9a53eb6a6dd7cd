/**
 * Structural checks of MessagePack and CBOR bytes before a library decodes them: they walk the
 * items without building values, so a bad message is reported with the byte offset and what was
 * expected there ("at byte 7: expected item 3 of the array at byte 1, but the message ends"),
 * which the libraries do not say, and nesting is bounded before a recursive decoder sees it.
 * Iterative and linear in the input: every item takes at least one byte.
 */
import { l10n } from '../../shared/l10n';
import { MAX_DEPTH } from './jsonValue';

/** Where a message stops being valid, and what was expected there. */
export interface WireFault {
  offset: number;
  expected: string;
}

interface Open {
  kind: 'array' | 'map' | 'tag' | 'chunks';
  start: number;
  /** Items still to read; Infinity for CBOR indefinite lengths (ended by a break). */
  left: number;
  read: number;
  /** CBOR: the major type of an indefinite string's chunks. */
  major?: number;
}

function describe(open: Open | undefined, name: string): string {
  if (open === undefined) return l10n.t('a {0} value', name);
  switch (open.kind) {
    case 'array':
      return l10n.t('item {0} of the array at byte {1}', open.read + 1, open.start);
    case 'map': {
      const entry = Math.floor(open.read / 2) + 1;
      return open.read % 2 === 0
        ? l10n.t('the key of entry {0} of the map at byte {1}', entry, open.start)
        : l10n.t('the value of entry {0} of the map at byte {1}', entry, open.start);
    }
    case 'tag':
      return l10n.t('the value of the tag at byte {0}', open.start);
    case 'chunks':
      return l10n.t('a chunk (or the break) of the string at byte {0}', open.start);
  }
}

function readUint(bytes: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + bytes[at + i];
  return value;
}

type Expected = () => string;

/** Shared walk: `item` reads one item at `pos` and returns the next position, or a fault. */
function walk(
  bytes: Uint8Array,
  name: string,
  item: (pos: number, stack: Open[], expected: Expected) => number | WireFault,
  isBreak?: (pos: number) => boolean,
): WireFault | undefined {
  const stack: Open[] = [];
  let pos = 0;
  let done = false;
  // Built once: the words are only made when a fault is reported.
  const expected: Expected = () => describe(stack[stack.length - 1], name);
  while (!done) {
    const top = stack[stack.length - 1];
    if (top && top.left === Infinity && isBreak?.(pos)) {
      if (top.kind === 'map' && top.read % 2 === 1) return { offset: pos, expected: l10n.t('{0} (a map ends after a value, not a key)', expected()) };
      pos += 1;
      stack.pop();
    } else {
      if (pos >= bytes.length) return { offset: pos, expected: l10n.t('{0}, but the message ends', expected()) };
      const depth = stack.length;
      const next = item(pos, stack, expected);
      if (typeof next !== 'number') return next;
      if (stack.length > MAX_DEPTH) return { offset: pos, expected: l10n.t('at most {0} levels of nesting', MAX_DEPTH) };
      pos = next;
      if (stack.length > depth) continue; // a container opened: its items come next
    }
    // One item finished: count it in its container, closing containers that are complete.
    for (;;) {
      const open = stack[stack.length - 1];
      if (open === undefined) {
        done = true;
        break;
      }
      open.read += 1;
      if (open.left !== Infinity) open.left -= 1;
      if (open.left > 0) break;
      stack.pop();
    }
  }
  if (pos < bytes.length) {
    return { offset: pos, expected: l10n.t('the end of the message (the {0} value ends here, {1} more bytes follow)', name, bytes.length - pos) };
  }
  return undefined;
}

/**
 * A fault when fewer than `size` bytes remain at `pos`. `what` names them; like `expected`, it is
 * a function, so the walk over every item of every decoded message builds no words until a fault.
 */
function need(bytes: Uint8Array, pos: number, size: number, what: () => string, expected: Expected): WireFault | undefined {
  return pos + size > bytes.length ? { offset: pos, expected: l10n.t('{0} for {1}, but only {2} bytes remain', what(), expected(), bytes.length - pos) } : undefined;
}

/** A MessagePack item of `size` bytes after its type byte. */
function fixedItem(bytes: Uint8Array, pos: number, size: number, expected: Expected): number | WireFault {
  return pos + 1 + size <= bytes.length ? pos + 1 + size : (need(bytes, pos + 1, size, () => l10n.t('{0} bytes', size), expected) as WireFault);
}

/** A MessagePack item with a length of `lengthBytes` bytes, `extra` bytes (ext type) and the data. */
function sizedItem(bytes: Uint8Array, pos: number, lengthBytes: number, extra: number, expected: Expected): number | WireFault {
  const header = need(bytes, pos + 1, lengthBytes, () => l10n.t('a {0}-byte length', lengthBytes), expected);
  if (header) return header;
  const length = readUint(bytes, pos + 1, lengthBytes);
  const start = pos + 1 + lengthBytes;
  return need(bytes, start, extra + length, () => l10n.t('{0} bytes', extra + length), expected) ?? start + extra + length;
}

function openContainer(stack: Open[], kind: 'array' | 'map', pos: number, count: number, next: number): number {
  const items = kind === 'map' ? count * 2 : count;
  if (items > 0) stack.push({ kind, start: pos, left: items, read: 0 });
  return next;
}

/** Checks that `bytes` is exactly one MessagePack value. */
export function scanMsgpack(bytes: Uint8Array): WireFault | undefined {
  return walk(bytes, 'MessagePack', (pos, stack, expected) => {
    const b = bytes[pos];
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) return pos + 1;
    if (b <= 0x8f) return openContainer(stack, 'map', pos, b & 0x0f, pos + 1);
    if (b <= 0x9f) return openContainer(stack, 'array', pos, b & 0x0f, pos + 1);
    if (b <= 0xbf) return fixedItem(bytes, pos, b & 0x1f, expected);
    switch (b) {
      case 0xc4: return sizedItem(bytes, pos, 1, 0, expected);
      case 0xc5: return sizedItem(bytes, pos, 2, 0, expected);
      case 0xc6: return sizedItem(bytes, pos, 4, 0, expected);
      case 0xc7: return sizedItem(bytes, pos, 1, 1, expected);
      case 0xc8: return sizedItem(bytes, pos, 2, 1, expected);
      case 0xc9: return sizedItem(bytes, pos, 4, 1, expected);
      case 0xca: return fixedItem(bytes, pos, 4, expected);
      case 0xcb: return fixedItem(bytes, pos, 8, expected);
      case 0xcc: case 0xd0: return fixedItem(bytes, pos, 1, expected);
      case 0xcd: case 0xd1: return fixedItem(bytes, pos, 2, expected);
      case 0xce: case 0xd2: return fixedItem(bytes, pos, 4, expected);
      case 0xcf: case 0xd3: return fixedItem(bytes, pos, 8, expected);
      case 0xd4: return fixedItem(bytes, pos, 2, expected);
      case 0xd5: return fixedItem(bytes, pos, 3, expected);
      case 0xd6: return fixedItem(bytes, pos, 5, expected);
      case 0xd7: return fixedItem(bytes, pos, 9, expected);
      case 0xd8: return fixedItem(bytes, pos, 17, expected);
      case 0xd9: return sizedItem(bytes, pos, 1, 0, expected);
      case 0xda: return sizedItem(bytes, pos, 2, 0, expected);
      case 0xdb: return sizedItem(bytes, pos, 4, 0, expected);
      case 0xdc:
      case 0xdd:
      case 0xde:
      case 0xdf: {
        const size = b === 0xdc || b === 0xde ? 2 : 4;
        const header = need(bytes, pos + 1, size, () => l10n.t('a {0}-byte count', size), expected);
        if (header) return header;
        return openContainer(stack, b >= 0xde ? 'map' : 'array', pos, readUint(bytes, pos + 1, size), pos + 1 + size);
      }
      default:
        return { offset: pos, expected: l10n.t('{0} (0x{1} is not a MessagePack type byte)', expected(), b.toString(16)) };
    }
  });
}

/** Checks that `bytes` is exactly one well-formed CBOR data item (RFC 8949, appendix C). */
export function scanCbor(bytes: Uint8Array): WireFault | undefined {
  return walk(
    bytes,
    'CBOR',
    (pos, stack, expected) => {
      const b = bytes[pos];
      const major = b >> 5;
      const info = b & 0x1f;
      const parent = stack[stack.length - 1];
      if (parent?.kind === 'chunks' && major !== parent.major) {
        return { offset: pos, expected: l10n.t('{0} of major type {1}, not {2}', expected(), String(parent.major), major) };
      }
      let argument = info;
      let next = pos + 1;
      if (info >= 24 && info <= 27) {
        const size = 1 << (info - 24);
        if (pos + 1 + size > bytes.length) {
          return { offset: pos + 1, expected: l10n.t('a {0}-byte argument for {1}, but only {2} bytes remain', size, expected(), bytes.length - pos - 1) };
        }
        argument = readUint(bytes, pos + 1, size);
        next = pos + 1 + size;
      } else if (info >= 28 && info <= 30) {
        return { offset: pos, expected: l10n.t('{0} (additional information {1} is reserved)', expected(), info) };
      }
      const indefinite = info === 31;
      switch (major) {
        case 0:
        case 1:
          if (indefinite) return { offset: pos, expected: l10n.t('{0} (an integer has no indefinite length)', expected()) };
          return next;
        case 2:
        case 3:
          if (indefinite) {
            if (parent?.kind === 'chunks') return { offset: pos, expected: l10n.t('{0} (chunks cannot be indefinite)', expected()) };
            stack.push({ kind: 'chunks', start: pos, left: Infinity, read: 0, major });
            return next;
          }
          if (next + argument > bytes.length) {
            return { offset: next, expected: l10n.t('{0} bytes of the string at byte {1}, but only {2} remain', argument, pos, bytes.length - next) };
          }
          return next + argument;
        case 4:
        case 5: {
          const items = indefinite ? Infinity : major === 5 ? argument * 2 : argument;
          if (items > 0) stack.push({ kind: major === 5 ? 'map' : 'array', start: pos, left: items, read: 0 });
          return next;
        }
        case 6:
          if (indefinite) return { offset: pos, expected: l10n.t('{0} (a tag has no indefinite form)', expected()) };
          stack.push({ kind: 'tag', start: pos, left: 1, read: 0 });
          return next;
        default:
          if (indefinite) return { offset: pos, expected: l10n.t('{0} (a break outside an indefinite-length item)', expected()) };
          if (info === 24 && argument < 32) return { offset: pos, expected: l10n.t('{0} (simple value {1} must use the one-byte form)', expected(), argument) };
          return next;
      }
    },
    (pos) => bytes[pos] === 0xff,
  );
}
