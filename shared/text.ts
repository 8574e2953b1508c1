/**
 * Invisible characters that change how text reads without showing: bidi controls (U+202A–U+202E,
 * U+2066–U+2069, U+200E/U+200F, U+061C) can make "3-201" display as "102-3" or hide part of a
 * name, and zero-width characters (U+200B–U+200D, U+2060, U+FEFF) make two equal-looking names
 * differ. So do characters that show as nothing or as a blank: the soft hyphen U+00AD, the
 * combining grapheme joiner U+034F, Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), U+17B4–U+17B5,
 * U+180E and the invisible operators U+2061–U+2064 ("白\u00ad菜" is not "白菜"; a name of U+3164
 * alone looks empty). Names, buildings and notes are stored without them. Variation selectors
 * stay: emoji and some CJK and Mongolian names need them.
 */
const INVISIBLE =
  /\u034F|[\u00AD\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0]/gu;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/**
 * Half of a character: a UTF-16 surrogate without its pair (a cut emoji, a script's bug). It cannot
 * be written as UTF-8, so it would reach storage as an escape Redis's JSON reader refuses, or as
 * U+FFFD: every text field refuses it instead.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function wellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

export const BROKEN_CHARACTER = "contains a broken character (half of an emoji?)";
