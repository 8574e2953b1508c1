/** Validation at the HTTP edge: parse with a shared schema or fail with validation_failed. */
import type { Request } from "express";
import type { z } from "zod";
import { RequestId } from "../../shared/schemas.js";
import { AppError, validationError } from "../errors.js";

export function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export const body = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.body ?? {});
export const params = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.params);
export const query = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.query);

/**
 * The optional `Idempotency-Key` of a write: sent again with the same body after an
 * `outcome_unknown` (or no answer at all), the write answers as the first time and applies once.
 */
export function idempotencyKey(req: Request): string | undefined {
  const raw = req.get("Idempotency-Key");
  if (raw === undefined) return undefined;
  const parsed = RequestId.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("validation_failed", "Idempotency-Key: 8–64 letters, digits, - or _", [
      { path: ["Idempotency-Key"], message: "8–64 letters, digits, - or _" },
    ]);
  }
  return parsed.data;
}
