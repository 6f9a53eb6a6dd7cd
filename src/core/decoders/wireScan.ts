/**
 * Structural checks of MessagePack and CBOR bytes before a library decodes them: they walk the
 * items without building values, so a bad message is reported with the byte offset and what was
 * expected there ("at byte 7: expected item 3 of the array at byte 1, but the message ends"),
 * which the libraries do not say, and nesting is bounded before a recursive decoder sees it.
 * Iterative and linear in the input: every item takes at least one byte.
 */
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
  if (open === undefined) return `a ${name} value`;
  switch (open.kind) {
    case 'array':
      return `item ${open.read + 1} of the array at byte ${open.start}`;
    case 'map':
      return `the ${open.read % 2 === 0 ? 'key' : 'value'} of entry ${Math.floor(open.read / 2) + 1} of the map at byte ${open.start}`;
    case 'tag':
      return `the value of the tag at byte ${open.start}`;
    case 'chunks':
      return `a chunk (or the break) of the string at byte ${open.start}`;
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
      if (top.kind === 'map' && top.read % 2 === 1) return { offset: pos, expected: `${expected()} (a map ends after a value, not a key)` };
      pos += 1;
      stack.pop();
    } else {
      if (pos >= bytes.length) return { offset: pos, expected: `${expected()}, but the message ends` };
      const depth = stack.length;
      const next = item(pos, stack, expected);
      if (typeof next !== 'number') return next;
      if (stack.length > MAX_DEPTH) return { offset: pos, expected: `at most ${MAX_DEPTH} levels of nesting` };
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
    return { offset: pos, expected: `the end of the message (the ${name} value ends here, ${bytes.length - pos} more bytes follow)` };
  }
  return undefined;
}

function need(bytes: Uint8Array, pos: number, size: number, what: string, expected: Expected): WireFault | undefined {
  return pos + size > bytes.length ? { offset: pos, expected: `${what} for ${expected()}, but only ${bytes.length - pos} bytes remain` } : undefined;
}

/** A MessagePack item of `size` bytes after its type byte. */
function fixedItem(bytes: Uint8Array, pos: number, size: number, expected: Expected): number | WireFault {
  return pos + 1 + size <= bytes.length ? pos + 1 + size : (need(bytes, pos + 1, size, `${size} bytes`, expected) as WireFault);
}

/** A MessagePack item with a length of `lengthBytes` bytes, `extra` bytes (ext type) and the data. */
function sizedItem(bytes: Uint8Array, pos: number, lengthBytes: number, extra: number, expected: Expected): number | WireFault {
  const header = need(bytes, pos + 1, lengthBytes, `a ${lengthBytes}-byte length`, expected);
  if (header) return header;
  const length = readUint(bytes, pos + 1, lengthBytes);
  const start = pos + 1 + lengthBytes;
  return need(bytes, start, extra + length, `${extra + length} bytes`, expected) ?? start + extra + length;
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
        const header = need(bytes, pos + 1, size, `a ${size}-byte count`, expected);
        if (header) return header;
        return openContainer(stack, b >= 0xde ? 'map' : 'array', pos, readUint(bytes, pos + 1, size), pos + 1 + size);
      }
      default:
        return { offset: pos, expected: `${expected()} (0x${b.toString(16)} is not a MessagePack type byte)` };
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
        return { offset: pos, expected: `${expected()} of major type ${parent.major}, not ${major}` };
      }
      let argument = info;
      let next = pos + 1;
      if (info >= 24 && info <= 27) {
        const size = 1 << (info - 24);
        if (pos + 1 + size > bytes.length) {
          return { offset: pos + 1, expected: `a ${size}-byte argument for ${expected()}, but only ${bytes.length - pos - 1} bytes remain` };
        }
        argument = readUint(bytes, pos + 1, size);
        next = pos + 1 + size;
      } else if (info >= 28 && info <= 30) {
        return { offset: pos, expected: `${expected()} (additional information ${info} is reserved)` };
      }
      const indefinite = info === 31;
      switch (major) {
        case 0:
        case 1:
          if (indefinite) return { offset: pos, expected: `${expected()} (an integer has no indefinite length)` };
          return next;
        case 2:
        case 3:
          if (indefinite) {
            if (parent?.kind === 'chunks') return { offset: pos, expected: `${expected()} (chunks cannot be indefinite)` };
            stack.push({ kind: 'chunks', start: pos, left: Infinity, read: 0, major });
            return next;
          }
          if (next + argument > bytes.length) {
            return { offset: next, expected: `${argument} bytes of the string at byte ${pos}, but only ${bytes.length - next} remain` };
          }
          return next + argument;
        case 4:
        case 5: {
          const items = indefinite ? Infinity : major === 5 ? argument * 2 : argument;
          if (items > 0) stack.push({ kind: major === 5 ? 'map' : 'array', start: pos, left: items, read: 0 });
          return next;
        }
        case 6:
          if (indefinite) return { offset: pos, expected: `${expected()} (a tag has no indefinite form)` };
          stack.push({ kind: 'tag', start: pos, left: 1, read: 0 });
          return next;
        default:
          if (indefinite) return { offset: pos, expected: `${expected()} (a break outside an indefinite-length item)` };
          if (info === 24 && argument < 32) return { offset: pos, expected: `${expected()} (simple value ${argument} must use the one-byte form)` };
          return next;
      }
    },
    (pos) => bytes[pos] === 0xff,
  );
}
