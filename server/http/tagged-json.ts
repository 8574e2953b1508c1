/**
 * JSON that carries a version tag, encoded once per version: the bytes, and (on the first client
 * that accepts it) their gzip, made off the main thread and shared by every request for that
 * version. A 1,000-entry pickup list is about 670 KB: turning the string into bytes, and gzipping
 * it, on every request cost far more than everything else the request did (BENCHMARKS.md, P4).
 *
 * Sent with a weak `ETag` and `Cache-Control: private, no-cache`: a client may keep it, but asks
 * each time, and gets `304 Not Modified` when it already has it (If-None-Match).
 */
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { Request, Response } from "express";

const gzipAsync = promisify(gzip);

/** Below this, gzip is not worth a round trip to the thread pool (and the middleware handles it). */
const GZIP_MIN_BYTES = 1024;

class TaggedJson {
  readonly etag: string;
  readonly body: Buffer;
  private gzipped: Promise<Buffer> | null = null;

  constructor(tag: string, value: unknown) {
    this.etag = `W/"${tag}"`;
    this.body = Buffer.from(JSON.stringify(value));
  }

  gzip(): Promise<Buffer> {
    this.gzipped ??= gzipAsync(this.body);
    return this.gzipped;
  }
}

/** Encodings, kept with the value they encode: gone when the domain drops it (a new version). */
const encoded = new WeakMap<object, TaggedJson>();

/**
 * Send `value`, whose version is `tag`. The caller passes the same object again while the version
 * holds (e.g. domain/pickup-list.ts pickupListTagged); its encoding is then reused.
 */
export async function sendTagged(
  req: Request,
  res: Response,
  tag: string,
  value: object,
): Promise<void> {
  let t = encoded.get(value);
  if (!t || t.etag !== `W/"${tag}"`) {
    t = new TaggedJson(tag, value);
    encoded.set(value, t);
  }
  res.set({ ETag: t.etag, "Cache-Control": "private, no-cache", Vary: "Accept-Encoding" });
  const asked = req.get("If-None-Match");
  if (asked?.split(",").some((x) => x.trim() === t.etag)) {
    res.status(304).end();
    return;
  }
  res.type("application/json; charset=utf-8");
  if (t.body.length >= GZIP_MIN_BYTES && req.acceptsEncodings("gzip", "identity") === "gzip") {
    const zipped = await t.gzip();
    // Already encoded: the compression middleware leaves it alone.
    res.set("Content-Encoding", "gzip").send(zipped);
    return;
  }
  res.send(t.body);
}
