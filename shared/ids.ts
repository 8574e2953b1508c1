/**
 * Request ids for writes. Not crypto.randomUUID: browsers only have it in a secure context, and a
 * phone on the LAN opens the service over plain HTTP. getRandomValues is there everywhere.
 */

/** 64 characters a request id may hold (schemas.ts RequestId): 6 random bits each. */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** 22 characters, 132 random bits. */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let id = "";
  for (const b of bytes) id += ALPHABET[b & 63];
  return id;
}
