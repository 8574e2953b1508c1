/**
 * Print views (/print) rendered to PDF by Debian's Chromium (page.pdf), then read back page by
 * page with pdf.js: page counts from the layout's own numbers, the header on every page, every
 * resident exactly once, totals equal to the JSON lists, labels per sheet, weights and late marks.
 */
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { encode } from "uqr";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  A4,
  rowsPerPage,
  SHEET,
  STICKERS,
  sheetPages,
  stickersPerSheet,
  THERMAL,
} from "../../client/src/print/layout.js";
import { yuan } from "../../shared/money.js";
import type {
  ChainView,
  HarvestList,
  LoadList,
  PickupList,
  PickupResident,
} from "../../shared/views.js";
import {
  bearer,
  type Client,
  call,
  client,
  deviceKey,
  eventually,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
} from "../helpers/app.js";
import { launch, SCREENSHOTS, screenshot } from "./browser.js";

// ---- reading a PDF ----------------------------------------------------------------------------

interface PdfPage {
  /** Width and height in mm. */
  size: { width: number; height: number };
  /** Text lines, top to bottom: items on one baseline joined, with a space where there is a gap. */
  lines: string[];
  text: string;
}

const PT_TO_MM = 25.4 / 72;
const PDFJS = path.resolve(import.meta.dirname, "../../node_modules/pdfjs-dist");

/**
 * Chromium's PDFs map a glyph back to the first code point the font gives it, so with Noto CJK
 * 门 comes back as the radical ⻔ (U+2ED4) and 文 as the Kangxi radical ⽂ (U+2F42). Radicals
 * whose glyph is a unified ideograph's in Noto Sans CJK SC, read from the font's cmap:
 */
const RADICALS = new Map(
  zip(
    "⺂⺃⺅⺇⺉⺋⺍⺏⺐⺒⺓⺔⺕⺖⺘⺙⺛⺞⺠⺡⺣⺤⺦⺨⺩⺭⺮⺯⺰⺱⺳⺹⺺⺽⺾⺿⻀⻂⻅⻆⻇⻈⻉⻊⻋⻌⻐⻑⻒⻓⻔⻕⻖⻘⻙⻚⻛⻜⻝⻞⻟⻠⻡⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻮⻯⻰⻱⻲⼾",
    "乛乚亻𠘨刂㔾𭕄尣尢巳幺彑彐忄扌攵旡歺民氵灬爫丬犭𤣩礻𥫗糹纟罓㓁耂肀𦥑艹艹艹衤见角𧢲讠贝𧾷车辶钅長镸长门𨸏阝青韦页风飞食𩙿飠饣𩠐马骨鬼鱼鸟卤麦黄黾斉齐齿竜龙龜亀户",
  ),
);

function zip(from: string, to: string): [string, string][] {
  const a = Array.from(from);
  const b = Array.from(to);
  return a.map((ch, i) => [ch, b[i] ?? ch]);
}

/** The text as it was written: radicals (U+2E80–U+2FDF) back to the ideographs they stand for. */
function unradical(s: string): string {
  return Array.from(s, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x2e80 || cp > 0x2fdf) return ch;
    return RADICALS.get(ch) ?? ch.normalize("NFKC");
  }).join("");
}

async function readPdf(data: Buffer): Promise<PdfPage[]> {
  const doc = await getDocument({
    data: new Uint8Array(data),
    cMapUrl: `${PDFJS}/cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${PDFJS}/standard_fonts/`,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  const pages: PdfPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
    const content = await page.getTextContent();
    const runs: { x: number; y: number; w: number; s: string }[] = [];
    for (const item of content.items) {
      if (!("str" in item) || item.str.trim() === "") continue;
      runs.push({
        x: item.transform[4],
        y: item.transform[5],
        w: item.width,
        s: unradical(item.str),
      });
    }
    // Same line: baselines within 3 pt (cells of one row share a baseline).
    runs.sort((a, b) => b.y - a.y || a.x - b.x);
    const rows: (typeof runs)[] = [];
    for (const r of runs) {
      const row = rows.find((l) => Math.abs((l[0]?.y ?? 0) - r.y) < 3);
      if (row) row.push(r);
      else rows.push([r]);
    }
    const lines = rows.map((row) => {
      row.sort((a, b) => a.x - b.x);
      let out = "";
      let end = Number.NEGATIVE_INFINITY;
      for (const r of row) {
        out += (out && r.x - end > 1 ? " " : "") + r.s;
        end = r.x + r.w;
      }
      return out.replace(/\s+/g, " ").trim();
    });
    pages.push({
      size: { width: (x1 - x0) * PT_TO_MM, height: (y1 - y0) * PT_TO_MM },
      lines,
      text: lines.join("\n"),
    });
  }
  await doc.destroy();
  return pages;
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;
const money = yuan;

// ---- the world ---------------------------------------------------------------------------------

const SURNAMES = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];
const TITLES = ["阿姨", "叔叔", "奶奶", "爷爷", "老师", "婆婆", "师傅", "医生", "先生", "阿婆"];
const TITLES_MORE = ["阿公", "伯伯"];
/** 120 different names; none is part of another or of a staff name (李大姐, 王主任). */
const NAMES = [...TITLES, ...TITLES_MORE].flatMap((title) => SURNAMES.map((s) => `${s}${title}`));

describe("print views rendered to PDF in Chromium", () => {
  let t: TestApp;
  let w: World;
  let browser: Browser;
  let veg: ChainView;
  let pork: ChainView;
  let date: string;
  const contexts: BrowserContext[] = [];
  const weighed = { name: "周老板", building: "7-101", no: 0 };
  const lateOne = { name: "电话下单", building: "7-305" };

  /** One resident joins from their own phone (socket), at a drop point. */
  async function join(
    socket: Client,
    chain: ChainView,
    dropPointId: string,
    name: string,
    building: string,
    lines: { itemId: string; qty: number }[],
  ) {
    return ok(
      await call(socket, "entry:join", {
        requestId: requestId(),
        chainId: chain.id,
        dropPointId,
        name,
        building,
        lines,
      }),
    ).entry;
  }

  const vegLines = (i: number) => [
    { itemId: "i1", qty: 1 + (i % 4) * 0.5 },
    ...(i % 3 === 0 ? [{ itemId: "i2", qty: 2 }] : []),
    ...(i % 5 === 0 ? [{ itemId: "i3", qty: 1 }] : []),
  ];

  beforeAll(async () => {
    // A few phones stand in for 120 residents here, each far past the 20 entries a real phone
    // may hold in a chain.
    t = await startTestApp({ env: { CUTOFF_SWEEP_MS: "200", MAX_ENTRIES_PER_DEVICE: "0" } });
    w = await makeWorld(t);
    browser = await launch();
    const [dp0, dp1, dp2] = w.dropPoints.map((d) => d.id) as [string, string, string];
    veg = await postChain(t, w, {
      title: "河西村新鲜蔬菜",
      items: [
        { name: "五花肉", unit: "斤", priceFen: 2800, step: 0.5 },
        { name: "青菜", unit: "把", priceFen: 300 },
        { name: "土鸡蛋", unit: "盒", priceFen: 2500 },
      ],
    });
    date = veg.deliveryDate;
    // A second chain of the same day whose cutoff passes during the setup: entries a
    // coordinator adds after it are late.
    const cutoffAt = Date.now() + 4000;
    pork = await postChain(t, w, {
      title: "山后村土猪肉",
      deliveryDate: date,
      cutoffAt: new Date(cutoffAt).toISOString(),
      items: [
        { name: "猪肉", unit: "斤", priceFen: 3200, step: 0.5 },
        { name: "猪蹄", unit: "只", priceFen: 1800 },
      ],
    });
    const early = await client(t, { deviceKey: deviceKey() });
    weighed.no = (
      await join(early, pork, dp1, weighed.name, weighed.building, [
        { itemId: "i1", qty: 2 },
        { itemId: "i2", qty: 1 },
      ])
    ).no;

    // 120 residents at the first drop point, 30 at the third, a few at the second: six phones
    // joining at once, each resident with their own name and building.
    const sockets = await Promise.all(
      Array.from({ length: 6 }, () => client(t, { deviceKey: deviceKey() })),
    );
    const jobs: (() => Promise<unknown>)[] = [];
    NAMES.forEach((name, i) => {
      const building = `${1 + (i % 12)}-${1 + (i % 6)}0${1 + (i % 4)}`;
      jobs.push(() =>
        join(sockets[i % sockets.length] as Client, veg, dp0, name, building, vegLines(i)),
      );
    });
    NAMES.slice(0, 30).forEach((name, i) => {
      const building = `${20 + (i % 5)}-${1 + (i % 3)}0${1 + (i % 2)}`;
      jobs.push(() =>
        join(sockets[i % sockets.length] as Client, veg, dp2, `南${name}`, building, vegLines(i)),
      );
    });
    for (const [i, name] of ["孙奶奶", "钱叔叔", "郑阿姨", weighed.name].entries()) {
      const building = name === weighed.name ? weighed.building : `7-${2 + i}02`;
      jobs.push(() => join(early, veg, dp1, name, building, vegLines(i)));
    }
    const queue = [...jobs];
    await Promise.all(
      sockets.map(async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await job();
      }),
    );

    // After the cutoff: a coordinator adds an order (late); the grower weighs the pork.
    await eventually(() => expect(Date.now()).toBeGreaterThan(cutoffAt + 100), 10_000);
    const staff = await client(t, { token: w.coordinatorToken });
    ok(
      await call(staff, "entry:join", {
        requestId: requestId(),
        chainId: pork.id,
        dropPointId: dp1,
        name: lateOne.name,
        building: lateOne.building,
        lines: [{ itemId: "i2", qty: 2 }],
      }),
    );
    const growerSocket = await client(t, { token: w.growerToken });
    ok(
      await call(growerSocket, "entry:weigh", {
        requestId: requestId(),
        chainId: pork.id,
        no: weighed.no,
        lines: [{ itemId: "i1", actualQty: 1.8 }],
      }),
    );
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await t?.close();
  });

  const pickupList = async (dropPointId: string) =>
    (
      await t.http
        .get(`/api/communities/${w.communityId}/days/${date}/drop-points/${dropPointId}`)
        .set(bearer(w.coordinatorToken))
        .expect(200)
    ).body as PickupList;

  /** A desktop browser signed in as someone, on a print view, once its data is in. */
  async function open(url: string, token: string | null, lang?: "en"): Promise<Page> {
    const context = await browser.newContext({
      locale: "zh-CN",
      viewport: { width: 1000, height: 1200 },
    });
    contexts.push(context);
    if (token) await context.addCookies([{ name: "jl_session", value: token, url: t.baseUrl }]);
    if (lang === "en") {
      await context.addInitScript(() =>
        localStorage.setItem("jl:prefs", JSON.stringify({ lang: "en" })),
      );
    }
    const page = await context.newPage();
    page.on("pageerror", (err) => {
      throw err;
    });
    await page.goto(`${t.baseUrl}${url}`);
    if (token && url.includes("view=")) await page.locator(".print-root[data-ready]").waitFor();
    return page;
  }

  /** The PDF each page printed last, for the screenshots. */
  const printed = new WeakMap<Page, Buffer>();

  async function pdfOf(page: Page): Promise<PdfPage[]> {
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    printed.set(page, pdf);
    return readPdf(pdf);
  }

  const pdfShot = (page: Page) => {
    const pdf = printed.get(page);
    if (!pdf) throw new Error("print it first");
    return pdf;
  };

  const near = (a: number, b: number) => Math.abs(a - b) < 0.5;
  const isA4 = (p: PdfPage) => near(p.size.width, A4.width) && near(p.size.height, A4.height);

  /** The page (0-based) each resident's name is on, checking it is printed exactly once. */
  function pageOfEach(pages: PdfPage[], residents: PickupResident[]): number[] {
    const all = pages.map((p) => p.text).join("\n");
    return residents.map((r) => {
      expect(count(all, r.name), r.name).toBe(1);
      return pages.findIndex((p) => p.text.includes(r.name));
    });
  }

  /** The row of a resident: the line with their name holds building, number·code and amount. */
  function expectRow(pages: PdfPage[], r: PickupResident) {
    const line = pages.flatMap((p) => p.lines).find((l) => l.includes(r.name)) ?? "";
    expect(line).toContain(r.building);
    const first = r.entries[0];
    expect(line).toContain(`${first?.no} · ${first?.pickupCode}`);
    expect(line).toContain(money(r.amountFen));
    return line;
  }

  /** The footer: one line per (chain, item) with quantity and amount, then the grand total. */
  function expectTotals(page: PdfPage, list: PickupList) {
    const foot = page.lines
      .slice(page.lines.indexOf("合计"))
      .filter((l) => !/^第 \d+ \/ \d+ 页$/.test(l));
    expect(foot.length).toBe(list.items.length + 2);
    for (const i of list.items) {
      const line = foot.find((l) => l.includes(`${i.name} ${i.qty}${i.unit}`)) ?? "";
      expect(line, `${i.name} total`).toMatch(
        new RegExp(`${money(i.amountFen).replace(".", "\\.")}$`),
      );
    }
    const grand = `共 ${list.totals.residents} 户 · ${list.totals.entries} 单 ${money(list.totals.amountFen)}`;
    expect(foot.at(-1)).toBe(grand);
  }

  it("when 120 residents order at one drop point, then the pickup sheet fills the expected pages, with the header on each, everyone once and the totals of the JSON list", async () => {
    const dp = w.dropPoints[0] as { id: string; name: string };
    const list = await pickupList(dp.id);
    expect(list.totals.residents).toBe(120);
    const page = await open(`/print?view=pickup&date=${date}&dp=${dp.id}`, w.coordinatorToken);
    const pages = await pdfOf(page);
    // The printed geometry is the layout's: the page count below is computed from it.
    await page.emulateMedia({ media: "print" });
    const heights = await page.evaluate(() => {
      const mm = 96 / 25.4;
      const of = (sel: string) =>
        [...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect().height / mm);
      return { head: of(".sheet-head"), cols: of(".col-head"), rows: of(".resident-row") };
    });
    await page.emulateMedia({ media: null });
    expect(heights.head[0]).toBeCloseTo(SHEET.headMm, 1);
    expect(heights.cols[0]).toBeCloseTo(SHEET.colHeadMm, 1);
    expect(heights.rows.length).toBe(120);
    for (const h of heights.rows) expect(h).toBeCloseTo(SHEET.rowMm, 1);

    // 25 rows a page: 120 rows take 5 pages, and the footer fits under the last 20 rows.
    const perPage = rowsPerPage();
    expect(perPage).toBe(25);
    const expected = sheetPages(list.residents.length, list.items.length);
    expect(expected).toBe(5);
    expect(pages.length).toBe(expected);
    expect(pages.every(isA4)).toBe(true);

    pages.forEach((p, n) => {
      expect(p.lines[0]).toBe(`取货单 · ${dp.name} 文兴社区`);
      expect(p.text).toContain(`${date} `);
      expect(p.text).toContain("取货 07:30–09:00");
      expect(p.text).toMatch(/打印于 \d{4}-\d\d-\d\d \d\d:\d\d/);
      expect(p.text).toContain("河西村新鲜蔬菜（李大姐）");
      expect(p.lines).toContain("接龙号·取货码 姓名 楼栋 商品 金额 已取 / 已付");
      expect(p.text).toContain(`第 ${n + 1} / ${expected} 页`);
    });

    // Everyone exactly once, in the list's order (building, then number), 25 to a page.
    const where = pageOfEach(pages, list.residents);
    expect(where).toEqual(list.residents.map((_, k) => Math.floor(k / perPage)));
    const order = pages
      .flatMap((p) => p.lines)
      .flatMap((l) => list.residents.filter((r) => l.includes(r.name)).map((r) => r.name));
    expect(order).toEqual(list.residents.map((r) => r.name));
    for (const r of list.residents) {
      const line = expectRow(pages, r);
      expect(line).toContain("☐已取 ☐已付");
    }

    // The totals equal the JSON list's; they sit on the last page only.
    const last = pages.at(-1) as PdfPage;
    expectTotals(last, list);
    expect(pages.filter((p) => p.text.includes("共 120 户")).length).toBe(1);
    const sum = list.residents.reduce((n, r) => n + r.amountFen, 0);
    expect(sum).toBe(list.totals.amountFen);
    // First, second and last page: the header repeats, the totals close the last one.
    await savePdfPages("print-pickup-sheet", pdfShot(page), [1, 2, pages.length], {
      width: 440,
      columns: 3,
    });
  });

  it("when a line was weighed and an order was added after the cutoff, then the sheet shows ordered and actual quantity and marks the entry late", async () => {
    const dp = w.dropPoints[1] as { id: string; name: string };
    const list = await pickupList(dp.id);
    const page = await open(`/print?view=pickup&date=${date}&dp=${dp.id}`, w.coordinatorToken);
    const pages = await pdfOf(page);
    expect(pages.length).toBe(sheetPages(list.residents.length, list.items.length));
    expect(pages.length).toBe(1);
    const sheet = pages[0] as PdfPage;

    // Two chains here: each gets a letter (in chain id order), explained in the header.
    const [A, B] = veg.id < pork.id ? ["A", "B"] : ["B", "A"];
    expect(sheet.text).toContain(`${A} 河西村新鲜蔬菜（李大姐）`);
    expect(sheet.text).toContain(`${B} 山后村土猪肉（李大姐）`);
    const resident = list.residents.find((r) => r.name === weighed.name) as PickupResident;
    const porkEntry = resident.entries.find((e) => e.chainId === pork.id);
    const weighedLine = porkEntry?.lines.find((l) => l.itemId === "i1");
    expect(weighedLine).toMatchObject({ qty: 2, actualQty: 1.8, amountFen: 5760 });
    const row = sheet.text.slice(sheet.text.indexOf(weighed.name));
    expect(row).toContain("猪肉 2斤 (实称 1.8斤)、猪蹄 1只");
    expect(sheet.text).toContain(`${B}${porkEntry?.no} · ${porkEntry?.pickupCode}`);
    expect(sheet.text).toContain(money(resident.amountFen));

    const late = list.residents.find((r) => r.name === lateOne.name) as PickupResident;
    expect(late.entries[0]?.late).toBe(true);
    const lateLine = sheet.lines.find((l) => l.includes(lateOne.name)) ?? "";
    expect(lateLine).toMatch(/猪蹄 2只 迟加 · 王主任 \d\d-\d\d \d\d:\d\d/);
    // Nobody else is late.
    expect(count(sheet.text, "迟加")).toBe(1);
    expect(sheet.text).toContain("猪肉 2斤 (按实称 1.8斤)");
    expectTotals(sheet, list);
    for (const r of list.residents) expectRow(pages, r);
    await savePdfPages("print-pickup-weighed-late", pdfShot(page), [1], {
      width: 760,
      columns: 1,
    });

    // In English too.
    const en = await open(`/print?view=pickup&date=${date}&dp=${dp.id}`, w.coordinatorToken, "en");
    const enPages = await pdfOf(en);
    expect(enPages[0]?.lines[0]).toBe(`Pickup sheet · ${dp.name} 文兴社区`);
    expect(enPages[0]?.text).toContain("Page 1 of 1");
    expect(enPages[0]?.text).toContain("猪肉 2斤 (weighed 1.8斤)");
    expect(enPages[0]?.text).toMatch(/late · 王主任/);
  });

  it("when all drop points are printed at once, then each starts on a new page with its own header", async () => {
    const lists = await Promise.all(w.dropPoints.map((d) => pickupList(d.id)));
    const page = await open(`/print?view=pickup&date=${date}&dp=all`, w.coordinatorToken);
    const pages = await pdfOf(page);
    const each = lists.map((l) => sheetPages(l.residents.length, l.items.length));
    expect(each).toEqual([5, 1, 2]);
    expect(pages.length).toBe(5 + 1 + 2);
    const heads = pages.map((p) => p.lines[0]);
    expect(heads).toEqual(
      lists.flatMap((l, k) => Array(each[k]).fill(`取货单 · ${l.dropPoint.name} 文兴社区`)),
    );
    // Each drop point's residents on its own pages, once; its totals on its last page.
    let first = 0;
    lists.forEach((list, k) => {
      const own = pages.slice(first, first + (each[k] ?? 0));
      const where = pageOfEach(own, list.residents);
      expect(where.every((p) => p >= 0)).toBe(true);
      expectTotals(own.at(-1) as PdfPage, list);
      first += each[k] ?? 0;
    });
    // The top of each drop point's first page.
    await savePdfPages("print-all", pdfShot(page), [1, 2, 3, 4, 5, 6, 7, 8], {
      width: 320,
      columns: 4,
    });
  });

  it("when labels are printed for 30 residents, then there are 30 labels: 2 A4 sheets of 3×8, or 30 thermal pages of 60×40 mm", async () => {
    const dp = w.dropPoints[2] as { id: string; name: string };
    const list = await pickupList(dp.id);
    expect(list.residents.length).toBe(30);

    const a4 = await open(
      `/print?view=labels&date=${date}&dp=${dp.id}&layout=a4`,
      w.coordinatorToken,
    );
    expect(await a4.locator("article.label").count()).toBe(30);
    const a4Pages = await pdfOf(a4);
    expect(stickersPerSheet()).toBe(24);
    expect(a4Pages.length).toBe(Math.ceil(30 / stickersPerSheet()));
    expect(a4Pages.length).toBe(2);
    expect(a4Pages.every(isA4)).toBe(true);
    const where = pageOfEach(a4Pages, list.residents);
    expect(where).toEqual(list.residents.map((_, k) => (k < 24 ? 0 : 1)));
    // Stickers sit on the 70×37 mm grid.
    const boxes = await a4.evaluate(() => {
      const mm = 96 / 25.4;
      return [...document.querySelectorAll(".sticker")].slice(0, 4).map((el) => {
        const r = el.getBoundingClientRect();
        return [Math.round(r.width / mm), Math.round(r.height / mm)];
      });
    });
    expect(boxes).toEqual(Array(4).fill([STICKERS.width, STICKERS.height]));

    // Each label: name, building, drop point, items, pickup code, and a QR code of the code.
    for (const r of list.residents) {
      const code = r.entries[0]?.pickupCode ?? "";
      const label = a4.locator(`article.label[data-code="${code}"]`);
      const text = (await label.textContent()) ?? "";
      expect(text).toContain(r.name);
      expect(text).toContain(r.building);
      expect(text).toContain(dp.name);
      expect(text).toContain("五花肉");
      expect(text).toContain(code);
      expect(await label.locator("svg.qr").getAttribute("aria-label")).toBe(
        `取货码 ${code} 的二维码`,
      );
    }
    const code = list.residents[0]?.entries[0]?.pickupCode ?? "";
    const drawn = await a4
      .locator(`article.label[data-code="${code}"] svg.qr path`)
      .getAttribute("d");
    expect(drawn).toBe(qrPath(code));
    await savePdfPages("print-labels-a4", pdfShot(a4), [1, 2], { width: 600, columns: 2 });

    // A sheet with 20 stickers already used: the labels start at the 21st, so 3 sheets.
    const used = await open(
      `/print?view=labels&date=${date}&dp=${dp.id}&layout=a4&skip=20`,
      w.coordinatorToken,
    );
    const usedPages = await pdfOf(used);
    expect(usedPages.length).toBe(Math.ceil((20 + 30) / stickersPerSheet()));
    expect(usedPages.length).toBe(3);
    expect(await used.locator(".sticker-sheet").first().locator("article.label").count()).toBe(4);
    expect(pageOfEach(usedPages, list.residents)).toEqual(
      list.residents.map((_, k) => Math.floor((20 + k) / 24)),
    );

    const thermal = await open(
      `/print?view=labels&date=${date}&dp=${dp.id}&layout=thermal`,
      w.coordinatorToken,
    );
    const thermalPages = await pdfOf(thermal);
    expect(thermalPages.length).toBe(30);
    for (const p of thermalPages) {
      expect(near(p.size.width, THERMAL.width) && near(p.size.height, THERMAL.height)).toBe(true);
    }
    // One label per page, in the list's order, each with its code.
    list.residents.forEach((r, k) => {
      const p = thermalPages[k] as PdfPage;
      expect(p.text).toContain(r.name);
      expect(p.text).toContain(r.entries[0]?.pickupCode ?? "-");
      expect(list.residents.filter((o) => p.text.includes(o.name)).length).toBe(1);
    });
    await savePdfPages("print-labels-thermal", pdfShot(thermal), [1, 2, 3, 4, 5, 6], {
      width: 340,
      columns: 3,
    });
  });

  it("when a label is for a weighed line, then it shows ordered and actual quantity", async () => {
    const dp = w.dropPoints[1] as { id: string; name: string };
    const page = await open(
      `/print?view=labels&date=${date}&dp=${dp.id}&layout=thermal`,
      w.coordinatorToken,
    );
    const pages = await pdfOf(page);
    const list = await pickupList(dp.id);
    expect(pages.length).toBe(list.residents.length);
    const label = pages.find((p) => p.text.includes(weighed.name))?.text.replace(/\s/g, "") ?? "";
    expect(label).toContain("猪肉2斤(实称1.8斤)");
  });

  it("when the grower prints the load sheet and harvest list, then they equal the JSON load and harvest lists", async () => {
    const load = (
      await t.http.get(`/api/chains/${veg.id}/load`).set(bearer(w.growerToken)).expect(200)
    ).body as LoadList;
    const page = await open(`/print?view=load&chain=${veg.id}`, w.growerToken);
    const pages = await pdfOf(page);
    expect(pages.length).toBe(1);
    expect(pages.every(isA4)).toBe(true);
    const text = pages[0]?.text ?? "";
    expect(pages[0]?.lines[0]).toBe("装车单 · 河西村新鲜蔬菜 种植户 李大姐");
    const points = load.dropPoints.filter((d) => d.bags > 0);
    expect(points.map((d) => d.bags)).toEqual([120, 4, 30]);
    for (const d of points) {
      const head = pages[0]?.lines.find((l) => l.startsWith(d.dropPoint.name)) ?? "";
      expect(head).toContain(`${d.bags} 袋`);
      // The items under this drop point's head, up to the next head.
      const from = text.indexOf(head);
      const block = text.slice(from, text.indexOf("袋", from + head.length + 1));
      for (const i of d.items.filter((x) => x.qty > 0)) {
        expect(block).toContain(`${i.name} ${i.qty}${i.unit} ☐`);
      }
    }
    expect(text).toContain(`全部自提点合计 ${points.reduce((n, d) => n + d.bags, 0)} 袋`);
    await savePdfPages("print-load", pdfShot(page), [1], { width: 760, columns: 1 });

    const harvest = (
      await t.http.get(`/api/chains/${veg.id}/harvest`).set(bearer(w.growerToken)).expect(200)
    ).body as HarvestList;
    const h = await open(`/print?view=harvest&chain=${veg.id}`, w.growerToken);
    const hPages = await pdfOf(h);
    expect(hPages.length).toBe(1);
    const lines = hPages[0]?.lines ?? [];
    expect(lines[0]).toBe("采摘单 · 河西村新鲜蔬菜 种植户 李大姐");
    for (const i of harvest.items) {
      expect(lines).toContain(`${i.name} ${i.qty}${i.unit} ${money(i.amountFen)} ☐`);
    }
    expect(lines).toContain(`共 ${harvest.totals.entries} 单 ${money(harvest.totals.amountFen)}`);
    await savePdfPages("print-harvest", pdfShot(h), [1], { width: 760, columns: 1 });
  });

  it("when nobody is signed in, or a grower opens a pickup sheet, then it says why instead of printing", async () => {
    const anon = await open(`/print?view=pickup&date=${date}&dp=all`, null);
    await anon.getByRole("alert").getByText("请先用团长或种植户的登录链接登录").waitFor();
    const grower = await open(`/print?view=pickup&date=${date}&dp=all`, null);
    await grower
      .context()
      .addCookies([{ name: "jl_session", value: w.growerToken, url: t.baseUrl }]);
    await grower.reload();
    await grower.getByRole("alert").getByText("没有权限").waitFor();
    expect(await grower.getByRole("button", { name: "打印" }).isDisabled()).toBe(true);
  });

  it("on screen, the sheet has a Print button that is not printed, and reads on a phone", async () => {
    const dp = w.dropPoints[1] as { id: string; name: string };
    const page = await open(`/print?view=pickup&date=${date}&dp=${dp.id}`, w.coordinatorToken);
    const button = page.getByRole("button", { name: "打印" });
    await button.waitFor();
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await button.click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    const pages = await pdfOf(page);
    for (const word of ["返回", "大字模式", "English"]) {
      expect(pages.some((p) => p.text.includes(word))).toBe(false);
    }
    expect(pages.some((p) => p.lines.includes("打印"))).toBe(false);

    await page.setViewportSize({ width: 390, height: 844 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, "print-on-phone");
  });

  it("when /print is opened without a view, then it links every sheet of the day", async () => {
    const page = await open(`/print?date=${date}`, w.coordinatorToken);
    await page.getByRole("heading", { name: "打印" }).waitFor();
    const row = page.locator("li", { hasText: "7号楼北门" });
    await row.getByRole("link", { name: "取货单" }).click();
    await page.waitForURL(/view=pickup/);
    expect(new URL(page.url()).searchParams.get("dp")).toBe(w.dropPoints[1]?.id);
    await page.locator(".print-root[data-ready]").waitFor();
    await page.getByRole("heading", { name: "取货单 · 7号楼北门" }).waitFor();
    await page.goBack();
    const chains = page.locator("li", { hasText: "山后村土猪肉" });
    expect(await chains.getByRole("link", { name: "装车单" }).getAttribute("href")).toBe(
      `/print?view=load&chain=${pork.id}`,
    );
    expect(await page.getByRole("link", { name: "标签 60×40" }).count()).toBe(4);
  });

  // ---- screenshots ----------------------------------------------------------------------------

  /**
   * Pages of a printed PDF as pictures, for the README: pdf.js draws them in Chromium (the PDF's
   * own fonts, margins and page numbers), side by side on a grey board like paper on a desk.
   */
  async function savePdfPages(
    name: string,
    pdf: Buffer,
    pages: number[],
    opts: { width: number; columns: number },
  ) {
    const board = await browser.newPage({ viewport: { width: 400, height: 300 } });
    const origin = "http://pdf.invalid";
    // A page of its own (not page.evaluate: the test's code is transformed, the page's is not).
    const html = `<body style="margin:0;padding:16px;background:#ccc;display:inline-grid;gap:16px;grid-template-columns:repeat(${opts.columns},${opts.width}px)">
<script type="module">
import * as pdfjs from "${origin}/pdf.mjs";
pdfjs.GlobalWorkerOptions.workerSrc = "${origin}/pdf.worker.mjs";
const doc = await pdfjs.getDocument({ url: "${origin}/doc.pdf" }).promise;
for (const n of ${JSON.stringify(pages)}) {
  const page = await doc.getPage(n);
  const viewport = page.getViewport({ scale: (2 * ${opts.width}) / page.getViewport({ scale: 1 }).width });
  const canvas = document.createElement("canvas");
  canvas.width = viewport.width;
  canvas.height = viewport.height;
  canvas.style = "width:${opts.width}px;background:#fff;box-shadow:0 2px 6px #0005";
  document.body.append(canvas);
  await page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport }).promise;
}
document.body.dataset.done = "1";
</script></body>`;
    await board.route(`${origin}/**`, async (route) => {
      const file = new URL(route.request().url()).pathname.slice(1);
      if (file === "doc.pdf") return route.fulfill({ body: pdf, contentType: "application/pdf" });
      if (file === "") return route.fulfill({ body: html, contentType: "text/html" });
      return route.fulfill({
        path: path.join(PDFJS, "build", file),
        contentType: "text/javascript",
      });
    });
    await board.goto(`${origin}/`);
    await board.locator("body[data-done]").waitFor();
    await board.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await board.close();
  }
});

/** The path QrCode draws for a text: the same modules as uqr encodes. */
function qrPath(text: string): string {
  const { data } = encode(text, { ecc: "M", border: 2 });
  let d = "";
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return d;
}
