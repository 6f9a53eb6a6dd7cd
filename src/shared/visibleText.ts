/**
 * Makes invisible and reordering characters visible, so text from a server can neither hide
 * content nor disguise it: C0 controls become Unicode control pictures (NUL as ␀, ESC as ␛),
 * and C1 controls, bidi overrides and isolates, zero-width and other format characters become
 * markers such as <U+202E>. Newline and tab keep their meaning; everything else is unchanged.
 *
 * Pure: used by the webview's text rendering and by the host for tree labels and titles.
 */

/** A run of ordinary text, or a marker standing for one or more invisible characters. */
export interface VisibleSegment {
  text: string;
  /** Set for markers: the characters they stand for, named, e.g. "U+202E RIGHT-TO-LEFT OVERRIDE". */
  replaced?: string;
}

/** Characters shown by a marker; \p{Cf} covers bidi controls, zero-width characters, BOM, tags. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u;
const INVISIBLE_RUN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]+/gu;
/** A zero-width joiner between two pictographs builds one emoji (a family, a profession); it stays. */
const PICTOGRAPH_BEFORE = /\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?$/u;
const PICTOGRAPH_AFTER = /^\p{Extended_Pictographic}/u;

const NAMES: Readonly<Record<number, string>> = {
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (BOM)',
};
const C0_NAMES = [
  'NULL', 'START OF HEADING', 'START OF TEXT', 'END OF TEXT', 'END OF TRANSMISSION', 'ENQUIRY', 'ACKNOWLEDGE',
  'BELL', 'BACKSPACE', 'CHARACTER TABULATION', 'LINE FEED', 'LINE TABULATION', 'FORM FEED', 'CARRIAGE RETURN',
  'SHIFT OUT', 'SHIFT IN', 'DATA LINK ESCAPE', 'DEVICE CONTROL ONE', 'DEVICE CONTROL TWO', 'DEVICE CONTROL THREE',
  'DEVICE CONTROL FOUR', 'NEGATIVE ACKNOWLEDGE', 'SYNCHRONOUS IDLE', 'END OF TRANSMISSION BLOCK', 'CANCEL',
  'END OF MEDIUM', 'SUBSTITUTE', 'ESCAPE', 'FILE SEPARATOR', 'GROUP SEPARATOR', 'RECORD SEPARATOR', 'UNIT SEPARATOR',
];

function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** How one invisible character is shown. */
function markerFor(cp: number): string {
  if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
  if (cp === 0x7f) return '\u2421';
  return `<${codePointLabel(cp)}>`;
}

function nameOf(cp: number): string {
  const name = cp < 0x20 ? C0_NAMES[cp] : cp === 0x7f ? 'DELETE' : NAMES[cp];
  return name ? `${codePointLabel(cp)} ${name}` : codePointLabel(cp);
}

function isEmojiJoiner(text: string, run: string, start: number): boolean {
  return (
    run === '\u200D' &&
    PICTOGRAPH_BEFORE.test(text.slice(Math.max(0, start - 4), start)) &&
    PICTOGRAPH_AFTER.test(text.slice(start + 1, start + 3))
  );
}

/** Splits `text` into ordinary runs and markers, in order; joining the segments' text gives visibleText(text). */
export function visibleSegments(text: string): VisibleSegment[] {
  if (!INVISIBLE.test(text)) return text === '' ? [] : [{ text }];
  const segments: VisibleSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(INVISIBLE_RUN)) {
    const start = match.index;
    if (isEmojiJoiner(text, match[0], start)) continue;
    if (start > last) segments.push({ text: text.slice(last, start) });
    const cps = Array.from(match[0], (ch) => ch.codePointAt(0) ?? 0);
    segments.push({ text: cps.map(markerFor).join(''), replaced: cps.map(nameOf).join(', ') });
    last = start + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

/** `text` with every invisible or reordering character replaced by its visible marker. */
export function visibleText(text: string): string {
  if (!INVISIBLE.test(text)) return text;
  return visibleSegments(text)
    .map((segment) => segment.text)
    .join('');
}
