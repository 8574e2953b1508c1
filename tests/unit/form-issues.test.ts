/** Form problems in plain words, by the zod issue's code and path, never its English message. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { firstIssueWords, issuesByField } from "../../client/src/form-issues.js";
import { DropPointInput, InviteAcceptBody, nameText, Phone } from "../../shared/schemas.js";

const labels = { name: "名字", phone: "手机号", window: "取货时间", "window.start": "开始时间" };

describe("form problems in plain words", () => {
  it("words a missing name, a bad phone, a long name and markup by field", () => {
    const schema = InviteAcceptBody.extend({ name: nameText(24), phone: Phone });
    const token = "a".repeat(32);
    const empty = schema.safeParse({ token, name: "" });
    expect(empty.success).toBe(false);
    expect(issuesByField(empty.error?.issues ?? [], labels)).toEqual({
      name: "请填写名字",
      phone: "请填写手机号",
    });
    const bad = schema.safeParse({ token, name: "x".repeat(30), phone: "abc" });
    expect(issuesByField(bad.error?.issues ?? [], labels)).toEqual({
      name: "名字太长了（最多 24 个字）",
      phone: "手机号只能填数字、空格或 -，至少 4 位",
    });
    const markup = schema.safeParse({ token, name: "<b>", phone: "1234" });
    expect(firstIssueWords(markup.error?.issues, labels)).toBe("名字不能包含 < 或 >");
  });

  it("words the server's details the same way, and a time window", () => {
    expect(
      firstIssueWords(
        [{ path: ["name"], code: "too_small", minimum: 1, message: "must not be empty" }],
        labels,
      ),
    ).toBe("请填写名字");
    const window = DropPointInput.safeParse({ name: "东门", window: { start: "9", end: "08:00" } });
    expect(firstIssueWords(window.error?.issues, labels)).toBe("开始时间请填时间，如 08:30");
    const order = DropPointInput.safeParse({
      name: "东门",
      window: { start: "09:00", end: "08:00" },
    });
    expect(firstIssueWords(order.error?.issues, labels)).toBe("取货时间的开始时间要早于结束时间");
    expect(firstIssueWords(z.object({ x: z.string() }).safeParse({}).error?.issues, {})).toBe(
      "请填写这一项",
    );
  });
});
