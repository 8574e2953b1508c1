import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

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

/** HMAC-SHA256 of `text` with `secret`, base64url, cut to `length` characters. */
export function hmac(secret: string, text: string, length = 24): string {
  return createHmac("sha256", secret).update(text).digest("base64url").slice(0, length);
}

/** Two strings equal, compared in constant time (for secrets). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
