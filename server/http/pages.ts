/**
 * The two pages that links printed by the server open: first-run setup and accepting an invite.
 * Deliberately tiny (no build step); the web app replaces them. Text is set with textContent only.
 */
import { Router } from "express";

const page = (title: string, form: string, script: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · 接龙 Jielong</title>
<style>
body{font:18px/1.5 system-ui,sans-serif;margin:0 auto;max-width:30rem;padding:1rem}
label{display:block;margin:.8rem 0 .2rem}input{font:inherit;width:100%;box-sizing:border-box;padding:.6rem;min-height:44px}
button{font:inherit;margin-top:1rem;width:100%;min-height:48px;background:#1a7f37;color:#fff;border:0;border-radius:6px}
#out{margin-top:1rem;white-space:pre-wrap}.err{color:#b00020}
</style></head><body>
<h1>${title}</h1>
<form id="f">${form}<button>确定 OK</button></form>
<p id="out" role="status"></p>
<script type="module">
const token = new URLSearchParams(location.search).get("token") ?? "";
const out = document.getElementById("out");
const show = (text, bad) => { out.textContent = text; out.className = bad ? "err" : ""; };
async function send(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error?.message ?? res.statusText);
  return json;
}
const value = (id) => document.getElementById(id).value.trim();
${script}
</script></body></html>`;

const SETUP = page(
  "创建社区 Set up your community",
  `<label for="community">社区名称 Community name</label><input id="community" required maxlength="40" placeholder="文兴社区">
<label for="name">您的名字 Your name (coordinator)</label><input id="name" required maxlength="24">`,
  `document.getElementById("f").onsubmit = async (e) => {
  e.preventDefault();
  try {
    const s = await send("/api/setup", { token, community: { name: value("community") }, coordinator: { name: value("name") } });
    show("已创建 " + s.community.name + "，您已登录。\\nCreated " + s.community.name + "; you are signed in on this browser.\\nAPI token: " + s.token);
  } catch (err) { show(err.message, true); }
};`,
);

const JOIN = page(
  "加入社区 Accept an invite",
  `<label for="name">名字 Name</label><input id="name" maxlength="24">
<label for="village">村/合作社 Village (growers)</label><input id="village" maxlength="24">`,
  `document.getElementById("f").onsubmit = async (e) => {
  e.preventDefault();
  const body = { token };
  for (const k of ["name", "village"]) if (value(k)) body[k] = value(k);
  try {
    const s = await send("/api/invites/accept", body);
    show("欢迎 " + s.user.name + "（" + s.community.name + "）。您已登录。\\nWelcome, you are signed in.\\nAPI token: " + s.token);
  } catch (err) { show(err.message, true); }
};`,
);

export function pageRoutes(): Router {
  const r = Router();
  r.get("/setup", (_req, res) => {
    res.type("html").send(SETUP);
  });
  r.get("/join", (_req, res) => {
    res.type("html").send(JOIN);
  });
  return r;
}
