/**
 * A form's problem in plain words, from the zod issue's code and path (never its English message):
 * "请填写名字", "名字太长了（最多 24 个字）", "手机号只能填数字、空格或 -". The same words for an
 * issue found in the browser (a ZodError) and one the server sent back (ErrorDetails
 * validation_failed). Small, and free of the coordinator's words, so the join page can load it.
 */
import type { ValidationIssue } from "../../shared/errors.js";
import { words } from "./i18n.js";

const iw = words({
  zh: {
    empty: "请填写{label}",
    tooLong: "{label}太长了（最多 {max} 个字）",
    angle: "{label}不能包含 < 或 >",
    control: "{label}里有看不见的特殊字符，请重新输入",
    phone: "{label}只能填数字、空格或 -，至少 {min} 位",
    time: "{label}请填时间，如 08:30",
    window: "{label}的开始时间要早于结束时间",
    timezone: "{label}：不认识这个时区",
    number: "{label}请填一个数字",
    other: "{label}填得不对，请检查",
    thisField: "这一项",
  },
  en: {
    empty: "Please fill in {label}",
    tooLong: "{label} is too long (at most {max} characters)",
    angle: "{label} must not contain < or >",
    control: "{label} has hidden special characters: please type it again",
    phone: "{label}: digits, spaces or - only, at least {min}",
    time: "{label}: enter a time such as 08:30",
    window: "{label}: the start must be before the end",
    timezone: "{label} is not a time zone we know",
    number: "{label}: enter a number",
    other: "Please check {label}",
    thisField: "this field",
  },
});

/** What mapping needs of an issue: zod's own issues and the API's ValidationIssue both fit. */
export interface IssueLike {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  /** zod: the bound of too_big / too_small (a number or bigint), or the API's. */
  maximum?: unknown;
  minimum?: unknown;
  /** zod: what a too_small / too_big is about ("string", "number", "array"). */
  origin?: string;
  /** zod: invalid_format's format ("regex", "date"…). */
  format?: string;
  expected?: string;
  input?: unknown;
}

/** The label of an issue's field: the whole path, then its last part, then its first. */
function labelOf(path: readonly PropertyKey[], labels: Record<string, string>): string {
  const parts = path.map(String);
  const named = parts.filter((p) => !/^\d+$/.test(p));
  return (
    labels[parts.join(".")] ??
    labels[named.join(".")] ??
    labels[named[named.length - 1] ?? ""] ??
    labels[named[0] ?? ""] ??
    iw("thisField")
  );
}

/** The field the issue is about (its last named part): "name", "phone", "window"… */
export function fieldOf(issue: Pick<IssueLike, "path">): string {
  const named = issue.path.map(String).filter((p) => !/^\d+$/.test(p));
  return named[named.length - 1] ?? "";
}

/** One issue in plain words. `labels` maps a path ("name", "window.start") to its label. */
export function issueWords(issue: IssueLike, labels: Record<string, string>): string {
  const label = labelOf(issue.path, labels);
  const field = fieldOf(issue);
  const max = issue.maximum === undefined ? "" : String(issue.maximum);
  switch (issue.code) {
    case "too_small":
      // A text of at least 1 (every text field here): it was left empty.
      return issue.origin === "number" ? iw("number", { label }) : iw("empty", { label });
    case "too_big":
      return iw("tooLong", { label, max });
    case "invalid_type":
      // Absent where something is needed: empty; present but of another type: not a number.
      return issue.input === undefined || issue.expected === "string"
        ? iw("empty", { label })
        : iw("number", { label });
    case "invalid_format":
      if (field === "phone") return iw("phone", { label, min: 4 });
      if (field === "start" || field === "end") return iw("time", { label });
      return iw("other", { label });
    case "custom":
      // Our own checks (schemas.ts): each has one message, so the message names the check.
      if (issue.message.includes("< or >")) return iw("angle", { label });
      if (issue.message.includes("control characters")) return iw("control", { label });
      if (issue.message.includes("start must be before end")) return iw("window", { label });
      if (issue.message.includes("time zone")) return iw("timezone", { label });
      return iw("other", { label });
    default:
      return iw("other", { label });
  }
}

/** The first issue of a ZodError (or of the server's details), in plain words; "" if none. */
export function firstIssueWords(
  issues: readonly IssueLike[] | ValidationIssue[] | undefined,
  labels: Record<string, string>,
): string {
  const first = issues?.[0];
  return first ? issueWords(first as IssueLike, labels) : "";
}

/** Every issue's words by its field, for showing each under its own input. */
export function issuesByField(
  issues: readonly IssueLike[],
  labels: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const field = fieldOf(issue);
    out[field] ??= issueWords(issue, labels);
  }
  return out;
}
