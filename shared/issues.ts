/**
 * A zod issue as the API reports it (ErrorDetails.validation_failed) and as forms word it: the
 * path, zod's issue code, our rule for our own checks, and the bound of a size check. Words are
 * chosen from these, never by matching the English message.
 */
import type { z } from "zod";
import type { ValidationIssue } from "./errors.js";

/** An unknown-keys issue names this many keys at most (a hostile payload may carry thousands). */
export const KEYS_NAMED = 10;

export function issueOf(i: z.core.$ZodIssue): ValidationIssue {
  const message =
    i.code === "unrecognized_keys" && i.keys.length > KEYS_NAMED
      ? `Unrecognized keys: ${i.keys
          .slice(0, KEYS_NAMED)
          .map((k) => JSON.stringify(k.slice(0, 40)))
          .join(", ")} … (${i.keys.length} in all)`
      : i.message;
  const out: ValidationIssue = { path: i.path.map(String), message, code: i.code };
  if (i.code === "custom" && typeof i.params?.rule === "string") out.rule = i.params.rule;
  if (i.code === "too_big") out.maximum = Number(i.maximum);
  if (i.code === "too_small") out.minimum = Number(i.minimum);
  return out;
}
