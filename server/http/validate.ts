/** Validation at the HTTP edge: parse with a shared schema or fail with validation_failed. */
import type { Request } from "express";
import type { z } from "zod";
import { validationError } from "../errors.js";

export function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export const body = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.body ?? {});
export const params = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.params);
export const query = <S extends z.ZodType>(req: Request, schema: S) => parse(schema, req.query);
