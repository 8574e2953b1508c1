/**
 * Invisible characters that change how text reads without showing: bidi controls (U+202A–U+202E,
 * U+2066–U+2069, U+200E/U+200F, U+061C) can make "3-201" display as "102-3" or hide part of a
 * name, and zero-width characters (U+200B–U+200D, U+2060, U+FEFF) make two equal-looking names
 * differ. Names, buildings and notes are stored without them.
 */
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/gu;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}
