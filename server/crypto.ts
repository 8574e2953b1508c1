import { createHash, randomBytes, randomInt } from "node:crypto";

const ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/** Lowercase ids without look-alike characters (no 0/o, 1/l). */
export function randomId(length = 10): string {
  let id = "";
  for (let i = 0; i < length; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/**
 * The same id every time for the same text: what a retried create (same Idempotency-Key, same
 * actor) names its object, so the second try finds the first one instead of making another.
 */
export function derivedId(text: string, length = 10): string {
  const bytes = createHash("sha256").update(text).digest();
  let id = "";
  for (let i = 0; i < length; i++) id += ID_ALPHABET[(bytes[i] ?? 0) % ID_ALPHABET.length];
  return id;
}

export function randomToken(): string {
  return randomBytes(24).toString("base64url");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * What a device key is stored as: 64 bits of its sha256 (16 hex). It names a resident's phone
 * within one chain, in every entry and device record, so it is kept short.
 */
export function deviceHashOf(deviceKey: string): string {
  return sha256(deviceKey).slice(0, 16);
}
