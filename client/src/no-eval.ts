/**
 * Imported first by main.tsx, before any schema is built: the CSP allows no eval, so zod must not
 * even try its `new Function` fast path (the attempt alone is reported as a violation).
 */
import { z } from "zod";

z.config({ jitless: true });
