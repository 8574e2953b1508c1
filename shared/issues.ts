/**
 * A zod issue as the API reports it (ErrorDetails.validation_failed) and as forms word it: the
 * path, zod's issue code, our rule for our own checks, and the bound of a size check. Words are
 * chosen from these, never by matching the English message.
 */
import type { z } from "zod";
import type { ValidationIssue } from "./errors.js";

export function issueOf(i: z.core.$ZodIssue): ValidationIssue {
  const out: ValidationIssue = { path: i.path.map(String), message: i.message, code: i.code };
  if (i.code === "custom" && typeof i.params?.rule === "string") out.rule = i.params.rule;
  if (i.code === "too_big") out.maximum = Number(i.maximum);
  if (i.code === "too_small") out.minimum = Number(i.minimum);
  return out;
}
