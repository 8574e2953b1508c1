/**
 * Exports of a day's pickup lists and of a chain's orders (CSV and XLSX), read back and checked
 * against the JSON of the same data.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvText, guardFormula } from "../../server/domain/exports/csv.js";
import { contentDisposition } from "../../server/domain/exports/export-files.js";
import { sheetNames } from "../../server/domain/exports/xlsx.js";
import type {
  ChainSnapshot,
  ChainView,
  DayOverview,
  HarvestList,
  LoadList,
  PickupList,
  StaffEntry,
} from "../../shared/views.js";
import {
  addDropPoint,
  bearer,
  type Client,
  call,
  client,
  deviceKey,
  invite,
  makeWorld,
  ok,
  postChain,
  requestId,
  startTestApp,
  type TestApp,
  type World,
  waitForRedisTime,
} from "../helpers/app.js";

// ---- reading the files back -----------------------------------------------------------------

/**
 * A strict RFC 4180 reader: records end with CRLF, a field is either plain (no quote, comma or
 * line break) or quoted with doubled quotes inside. Anything else throws, so a sloppy writer fails.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== "," && next !== "\r")
          throw new Error(`text after a closing quote at ${i}`);
      }
    } else if (c === '"') {
      if (field !== "" || wasQuoted) throw new Error(`a quote inside a plain field at ${i}`);
      quoted = true;
      wasQuoted = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
      wasQuoted = false;
    } else if (c === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`CR without LF at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      wasQuoted = false;
      i++;
    } else if (c === "\n") {
      throw new Error(`LF without CR at ${i}`);
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error("a quoted field is not closed");
  if (field !== "" || record.length) throw new Error("the last record does not end with CRLF");
  return records;
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
const fenOf = (text: string) => {
  expect(text).toMatch(/^\d+\.\d\d$/);
  return Number(text.replace(".", ""));
};
const yn = (b: boolean) => (b ? "是" : "否");
/** What the CSV must do to text that a spreadsheet would run as a formula. */
const guarded = (s: string) => (/^[=+\-@]/.test(s) ? `'${s}` : s);

const CSV_HEADER = [
  "自提点",
  "接龙",
  "农户",
  "接龙号",
  "取货码",
  "姓名",
  "楼栋门牌",
  "电话",
  "商品",
  "订购数量",
  "实际数量",
  "单位",
  "单价（元）",
  "应付（元）",
  "已取货",
  "已付款",
  "未来取",
  "截单后改",
  "改单人",
  "候补未满足",
];
const SHEET_HEADER = CSV_HEADER.slice(1);
const COL = Object.fromEntries(CSV_HEADER.map((h, i) => [h, i])) as Record<string, number>;

/** The filename* of a Content-Disposition header, decoded. */
function utf8FileName(disposition: string | undefined): string {
  const m = /^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''([A-Za-z0-9%._~!-]+)$/.exec(
    disposition ?? "",
  );
  if (!m?.[1]) throw new Error(`not an attachment with filename*: ${disposition}`);
  return decodeURIComponent(m[1]);
}

async function readXlsx(body: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}

/** The values of a worksheet row, columns 1…n (null for an empty cell). */
function rowValues(ws: ExcelJS.Worksheet, row: number, n = SHEET_HEADER.length): unknown[] {
  const r = ws.getRow(row);
  return Array.from({ length: n }, (_, i) => r.getCell(i + 1).value ?? null);
}

// ---- the scenario ---------------------------------------------------------------------------

const TRICKY_POINT = "A/B栋:东[门]*?";
const TRICKY_SHEET = "A／B栋：东［门］＊？";
const COMMA_QUOTE = '王,"老"五';
const FORMULA = "=cmd|' /C calc'!A0";
const EMOJI = "🍅番茄妹😀";
const AT_NAME = "@小李";

describe("exports: a day's pickup lists and a chain's orders as CSV and XLSX", () => {
  let t: TestApp;
  let w: World;
  let otherGrower: string;
  let date: string;
  let vegetables: ChainView;
  let potatoes: ChainView;
  const ids = {} as Record<"weighed" | "noShow" | "late" | "cancelled", number>;

  const coord = () => bearer(w.coordinatorToken);
  const get = <T>(path: string, token = w.coordinatorToken) =>
    t.http
      .get(path)
      .set(bearer(token))
      .expect(200)
      .then((r) => r.body as T);
  /** A download, as raw bytes. */
  const download = (path: string, token: string | null = w.coordinatorToken) => {
    const req = t.http
      .get(path)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done(null, Buffer.concat(chunks)));
      });
    return token ? req.set(bearer(token)) : req;
  };
  const dayPath = (format: string) =>
    `/api/communities/${w.communityId}/days/${date}/export.${format}`;

  async function join(
    chainId: string,
    dropPointId: string,
    name: string,
    building: string,
    lines: { itemId: string; qty: number }[],
    phone?: string,
  ): Promise<{ resident: Client; no: number }> {
    const resident = await client(t, { deviceKey: deviceKey() });
    const r = ok(
      await call(resident, "entry:join", {
        requestId: requestId(),
        chainId,
        dropPointId,
        name,
        building,
        lines,
        ...(phone && { phone }),
      }),
    );
    return { resident, no: r.entry.no };
  }

  beforeAll(async () => {
    t = await startTestApp();
    w = await makeWorld(t);
    w.dropPoints.push(
      await addDropPoint(t, w.communityId, w.coordinatorToken, {
        name: TRICKY_POINT,
        window: { start: "08:00", end: "10:00" },
      }),
    );
    const zhou = await invite(t, w.communityId, w.coordinatorToken, "grower", "老周");
    otherGrower = zhou.token;
    const [p0, p1, , p3] = w.dropPoints.map((d) => d.id) as [string, string, string, string];

    // A chain whose cutoff passes during the set-up, for a coordinator's late change.
    const late = await postChain(t, w, {
      title: "晚到的青菜",
      cutoffAt: new Date(Date.now() + 2000).toISOString(),
      dropPointIds: [p0],
      items: [{ name: "青菜", unit: "把", priceFen: 150 }],
    });
    const lateJoin = await join(late.id, p0, "晚到的人", "7-303", [{ itemId: "i1", qty: 1 }]);
    ids.late = lateJoin.no;

    vegetables = await postChain(t, w, {
      title: "河西村新鲜蔬菜",
      dropPointIds: w.dropPoints.map((d) => d.id),
      items: [
        { name: "五花肉", unit: "斤", priceFen: 333, step: 0.5 },
        { name: "土鸡蛋", unit: "盒", priceFen: 2500 },
        { name: "青菜", unit: "把", priceFen: 150 },
      ],
    });
    potatoes = await postChain(
      t,
      w,
      {
        title: "山后村土豆",
        dropPointIds: [p0, p1],
        items: [{ name: "土豆", unit: "斤", priceFen: 180 }],
      },
      otherGrower,
    );
    date = vegetables.deliveryDate;
    expect([late.deliveryDate, potatoes.deliveryDate]).toEqual([date, date]);

    const v = vegetables.id;
    const weighed = await join(
      v,
      p0,
      COMMA_QUOTE,
      "3-201",
      [
        { itemId: "i1", qty: 2 },
        { itemId: "i2", qty: 1 },
      ],
      "13800001234",
    );
    ids.weighed = weighed.no;
    // Full-width digits are stored as 3-201: the same building as above.
    await join(v, p0, FORMULA, "３-２０１", [{ itemId: "i3", qty: 3 }]);
    await join(v, p1, EMOJI, "12-502", [{ itemId: "i1", qty: 1.5 }], "+86 139 0000 5678");
    ids.noShow = (await join(v, p3, AT_NAME, "-1-101", [{ itemId: "i2", qty: 2 }])).no;
    const gone = await join(v, p1, "取消了的人", "9-901", [{ itemId: "i2", qty: 1 }]);
    ids.cancelled = gone.no;
    ok(
      await call(gone.resident, "entry:cancel", {
        requestId: requestId(),
        chainId: v,
        no: gone.no,
      }),
    );
    await join(potatoes.id, p0, COMMA_QUOTE, "3-201", [{ itemId: "i1", qty: 4 }]);
    await join(potatoes.id, p1, "张阿姨", "5-101", [{ itemId: "i1", qty: 2 }]);

    // The grower weighs: 333 fen × 1.5 斤 = 499.5 → 500 fen. The coordinator ticks.
    const grower = await client(t, { token: w.growerToken });
    ok(
      await call(grower, "entry:weigh", {
        requestId: requestId(),
        chainId: v,
        no: ids.weighed,
        lines: [{ itemId: "i1", actualQty: 1.5 }],
      }),
    );
    const coordinator = await client(t, { token: w.coordinatorToken });
    const mark = (no: number, m: "collected" | "paid" | "noShow") =>
      call(coordinator, "entry:mark", {
        requestId: requestId(),
        chainId: v,
        no,
        mark: m,
        on: true,
      });
    ok(await mark(ids.weighed, "collected"));
    ok(await mark(ids.weighed, "paid"));
    ok(await mark(ids.noShow, "noShow"));

    await waitForRedisTime(t, late.cutoffAt + 200);
    ok(
      await call(coordinator, "entry:update", {
        requestId: requestId(),
        chainId: late.id,
        no: ids.late,
        lines: [{ itemId: "i1", qty: 2 }],
      }),
    );
  });
  afterAll(() => t.close());

  /** The JSON pickup lists of the day, in the order of the day overview. */
  async function dayLists(): Promise<PickupList[]> {
    const overview = await get<DayOverview>(`/api/communities/${w.communityId}/days/${date}`);
    return Promise.all(
      overview.dropPoints.map((d) =>
        get<PickupList>(
          `/api/communities/${w.communityId}/days/${date}/drop-points/${d.dropPoint.id}`,
        ),
      ),
    );
  }

  /** Every entry line of a pickup list as the CSV must write it (without the late-by column). */
  function expectedRows(list: PickupList): string[][] {
    const items = new Map(list.items.map((i) => [`${i.chainId}:${i.itemId}`, i]));
    return list.residents.flatMap((r) =>
      r.entries.flatMap((e) =>
        e.lines.map((l) => {
          const item = items.get(`${e.chainId}:${l.itemId}`);
          return [
            list.dropPoint.name,
            e.chainTitle,
            e.growerName,
            String(e.no),
            e.pickupCode,
            guarded(e.name),
            guarded(e.building),
            guarded(e.phone ?? ""),
            item?.name ?? "?",
            String(l.qty),
            l.actualQty === null ? "" : String(l.actualQty),
            item?.unit ?? "?",
            yuan(l.priceFen),
            yuan(l.amountFen),
            yn(!!e.checks.collected),
            yn(!!e.checks.paid),
            yn(!!e.checks.noShow),
            yn(e.late),
          ];
        }),
      ),
    );
  }

  async function dayCsv() {
    const res = await download(dayPath("csv")).expect(200);
    const body = res.body as Buffer;
    return { res, body, records: parseCsv(body.toString("utf8").replace(/^\uFEFF/, "")) };
  }

  it("the day's CSV starts with a BOM, is RFC 4180 with CRLF, and has every JSON line once with matching totals", async () => {
    const { res, body, records } = await dayCsv();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["content-disposition"]).toContain(`filename="pickup-lists-${date}.csv"`);
    expect(utf8FileName(res.headers["content-disposition"])).toBe(`文兴社区-${date}-取货单.csv`);

    const lists = await dayLists();
    expect(lists.map((l) => l.dropPoint.name)).toContain(TRICKY_POINT);
    const [head, ...rest] = records;
    const rows = rest.slice(0, -1);
    const total = rest.at(-1) ?? [];
    expect(head).toEqual(CSV_HEADER);
    expect(records.every((r) => r.length === CSV_HEADER.length)).toBe(true);
    // Without the last two columns: late change by (checked below) and the waitlist's unmet
    // demand (a chain's export only: tests/integration/waitlist.test.ts).
    expect(rows.map((r) => r.slice(0, -2))).toEqual(lists.flatMap(expectedRows));
    expect(rows.every((r) => r.at(-1) === "")).toBe(true);
    // Every active entry line once, nothing else.
    expect(rows).toHaveLength(
      lists.reduce(
        (s, l) => s + l.residents.flatMap((r) => r.entries).flatMap((e) => e.lines).length,
        0,
      ),
    );
    expect(rows.some((r) => r[COL.姓名 as number] === "取消了的人")).toBe(false);

    const entries = lists.reduce((s, l) => s + l.totals.entries, 0);
    const amountFen = lists.reduce((s, l) => s + l.totals.amountFen, 0);
    expect(entries).toBe(7);
    expect(total[0]).toBe(`总计（${entries} 单）`);
    expect(fenOf(total[COL["应付（元）"] as number] ?? "")).toBe(amountFen);
    expect(rows.reduce((s, r) => s + fenOf(r[COL["应付（元）"] as number] ?? ""), 0)).toBe(
      amountFen,
    );
  });

  it("the CSV quotes commas and quotes, keeps emoji, and defuses formula text", async () => {
    const { body, records } = await dayCsv();
    const text = body.toString("utf8");
    expect(text).toContain(`,"王,""老""五",3-201,13800001234,`);
    const byName = (name: string) => records.find((r) => r[COL.姓名 as number] === name);
    expect(byName(`'${FORMULA}`)?.[COL.楼栋门牌 as number]).toBe("3-201");
    expect(byName(EMOJI)?.[COL.电话 as number]).toBe("'+86 139 0000 5678");
    expect(byName(`'${AT_NAME}`)?.[COL.楼栋门牌 as number]).toBe("'-1-101");
    expect(byName(`'${AT_NAME}`)?.[0]).toBe(TRICKY_POINT);
    // No field that a spreadsheet would run as a formula, anywhere.
    expect(records.flat().filter((f) => /^[=+\-@\t\r]/.test(f))).toEqual([]);
  });

  it("a weighed line shows ordered and actual quantity and the amount due; marks and late changes show", async () => {
    const { records } = await dayCsv();
    const line = (name: string, item: string) =>
      records.find((r) => r[COL.姓名 as number] === name && r[COL.商品 as number] === item);
    const pick = (r: string[] | undefined, ...cols: string[]) =>
      cols.map((c) => r?.[COL[c] as number]);
    const cols = ["订购数量", "实际数量", "单位", "单价（元）", "应付（元）"];
    const marks = ["已取货", "已付款", "未来取", "截单后改"];
    expect(pick(line(COMMA_QUOTE, "五花肉"), ...cols)).toEqual(["2", "1.5", "斤", "3.33", "5.00"]);
    expect(pick(line(COMMA_QUOTE, "五花肉"), ...marks)).toEqual(["是", "是", "否", "否"]);
    // The marks are the entry's: its other line has them too, and no weight.
    expect(pick(line(COMMA_QUOTE, "土鸡蛋"), ...cols)).toEqual(["1", "", "盒", "25.00", "25.00"]);
    expect(pick(line(COMMA_QUOTE, "土鸡蛋"), ...marks)).toEqual(["是", "是", "否", "否"]);
    expect(pick(line(`'${AT_NAME}`, "土鸡蛋"), ...marks)).toEqual(["否", "否", "是", "否"]);
    const late = line("晚到的人", "青菜");
    expect(pick(late, "订购数量", "应付（元）", "截单后改")).toEqual(["2", "3.00", "是"]);
    expect(late?.[COL.改单人 as number]).toMatch(/^王主任 \d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(line(EMOJI, "五花肉")?.[COL.改单人 as number]).toBe("");
  });

  it("the day's XLSX opens with exceljs: one sheet per drop point, named after it, with the JSON rows and totals", async () => {
    const res = await download(dayPath("xlsx")).expect(200);
    expect(res.headers["content-type"]).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(utf8FileName(res.headers["content-disposition"])).toBe(`文兴社区-${date}-取货单.xlsx`);
    const wb = await readXlsx(res.body as Buffer);
    const lists = await dayLists();
    expect(wb.worksheets.map((s) => s.name)).toEqual(
      lists.map((l) => (l.dropPoint.name === TRICKY_POINT ? TRICKY_SHEET : l.dropPoint.name)),
    );

    for (const [i, list] of lists.entries()) {
      const ws = wb.worksheets[i] as ExcelJS.Worksheet;
      expect(rowValues(ws, 1)).toEqual(SHEET_HEADER);
      expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
      const { start, end } = list.dropPoint.window;
      expect(ws.headerFooter.oddHeader).toBe(
        `&L文兴社区 · ${date} · ${list.dropPoint.name}&R${start}–${end}`,
      );
      const items = new Map(list.items.map((x) => [`${x.chainId}:${x.itemId}`, x]));
      const expected = list.residents.flatMap((r) =>
        r.entries.flatMap((e) =>
          e.lines.map((l) => {
            const item = items.get(`${e.chainId}:${l.itemId}`);
            return [
              e.chainTitle,
              e.growerName,
              e.no,
              e.pickupCode,
              e.name,
              e.building,
              e.phone,
              item?.name,
              l.qty,
              l.actualQty,
              item?.unit,
              l.priceFen / 100,
              l.amountFen / 100,
              yn(!!e.checks.collected),
              yn(!!e.checks.paid),
              yn(!!e.checks.noShow),
              yn(e.late),
            ];
          }),
        ),
      );
      const n = expected.length;
      const got = Array.from({ length: n }, (_, k) =>
        rowValues(ws, k + 2, SHEET_HEADER.length - 2),
      );
      expect(got).toEqual(expected);
      if (n) {
        expect(ws.getRow(2).getCell(SHEET_HEADER.indexOf("应付（元）") + 1).numFmt).toBe("0.00");
        expect(ws.getColumn(SHEET_HEADER.indexOf("姓名") + 1).width).toBeGreaterThanOrEqual(6);
      }

      // After the rows: a blank row, the totals by item, the total, paid and unpaid.
      const label = (r: number) => ws.getRow(r).getCell(1).value;
      const amount = (r: number) =>
        ws.getRow(r).getCell(SHEET_HEADER.indexOf("应付（元）") + 1).value;
      expect(rowValues(ws, n + 2).every((v) => v === null)).toBe(true);
      let r = n + 3;
      if (list.items.length) {
        expect(label(r++)).toBe("按商品合计");
        for (const item of list.items) {
          const row = ws.getRow(r++);
          const at = (h: string) => row.getCell(SHEET_HEADER.indexOf(h) + 1).value;
          expect([at("商品"), at("订购数量"), at("单位"), at("应付（元）")]).toEqual([
            item.name,
            item.qty,
            item.unit,
            item.amountFen / 100,
          ]);
        }
      }
      expect(label(r)).toBe(`总计（${list.totals.entries} 单）`);
      expect(amount(r)).toBe(list.totals.amountFen / 100);
      expect(ws.getRow(r).getCell(1).font?.bold).toBe(true);
      expect([label(r + 1), amount(r + 1)]).toEqual(["已付款", list.checkOff.paidFen / 100]);
      expect([label(r + 2), amount(r + 2)]).toEqual(["未付款", list.checkOff.unpaidFen / 100]);
    }

    // Formula text is a plain string cell: shown as typed, never run.
    const first = wb.worksheets[0] as ExcelJS.Worksheet;
    const cell = first
      .getColumn(SHEET_HEADER.indexOf("姓名") + 1)
      .values.find((v) => typeof v === "string" && v.startsWith("=cmd"));
    expect(cell).toBe(FORMULA);
    let formulaCells = 0;
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((c) => {
          if (c.type === ExcelJS.ValueType.Formula) formulaCells++;
        }),
      );
    }
    expect(formulaCells).toBe(0);
  });

  it("a chain's CSV and XLSX: its grower gets every active line, one sheet per drop point it serves, totals of harvest and load", async () => {
    const path = `/api/chains/${vegetables.id}`;
    const token = w.growerToken;
    const [entries, load, harvest, snap] = await Promise.all([
      get<StaffEntry[]>(`${path}/entries`, token),
      get<LoadList>(`${path}/load`, token),
      get<HarvestList>(`${path}/harvest`, token),
      get<ChainSnapshot>(path, token),
    ]);
    const items = new Map(snap.chain.items.map((i) => [i.id, i]));
    const expected = load.dropPoints.flatMap(({ dropPoint }) =>
      entries
        .filter((e) => e.status === "active" && e.dropPointId === dropPoint.id)
        .sort((a, b) => a.no - b.no)
        .flatMap((e) =>
          e.lines.map((l) => [
            dropPoint.name,
            "河西村新鲜蔬菜",
            "李大姐",
            String(e.no),
            e.pickupCode,
            guarded(e.name),
            guarded(e.building),
            guarded(e.phone ?? ""),
            items.get(l.itemId)?.name ?? "?",
            String(l.qty),
            l.actualQty === null ? "" : String(l.actualQty),
            items.get(l.itemId)?.unit ?? "?",
            yuan(l.priceFen),
            yuan(l.amountFen),
            yn(!!e.checks.collected),
            yn(!!e.checks.paid),
            yn(!!e.checks.noShow),
            yn(e.late),
            "",
            "",
          ]),
        ),
    );

    const csv = await download(`${path}/export.csv`, token).expect(200);
    expect(utf8FileName(csv.headers["content-disposition"])).toBe(
      `河西村新鲜蔬菜-${date}-订单.csv`,
    );
    const records = parseCsv((csv.body as Buffer).toString("utf8").replace(/^\uFEFF/, ""));
    expect(records[0]).toEqual(CSV_HEADER);
    expect(records.slice(1, -1)).toEqual(expected);
    expect(records.slice(1, -1).map((r) => r[COL.接龙号 as number])).not.toContain(
      String(ids.cancelled),
    );
    const total = records.at(-1) ?? [];
    expect(harvest.totals.entries).toBe(4);
    expect(total[0]).toBe(`总计（${harvest.totals.entries} 单）`);
    expect(fenOf(total[COL["应付（元）"] as number] ?? "")).toBe(harvest.totals.amountFen);

    const xlsx = await download(`${path}/export.xlsx`, token).expect(200);
    const wb = await readXlsx(xlsx.body as Buffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(
      snap.chain.dropPoints.map((d) => (d.name === TRICKY_POINT ? TRICKY_SHEET : d.name)),
    );
    expect(wb.worksheets).toHaveLength(4);
    for (const [i, point] of load.dropPoints.entries()) {
      const ws = wb.worksheets[i] as ExcelJS.Worksheet;
      const rows = expected.filter((r) => r[0] === point.dropPoint.name);
      const amountCol = SHEET_HEADER.indexOf("应付（元）") + 1;
      for (const [k, row] of rows.entries()) {
        expect(ws.getRow(k + 2).getCell(SHEET_HEADER.indexOf("接龙号") + 1).value).toBe(
          Number(row[COL.接龙号 as number]),
        );
        expect(ws.getRow(k + 2).getCell(amountCol).value).toBe(
          fenOf(row[COL["应付（元）"] as number] ?? "") / 100,
        );
      }
      let totalRow = 0;
      ws.eachRow((row, r) => {
        if (String(row.getCell(1).value).startsWith("总计")) totalRow = r;
      });
      expect(ws.getRow(totalRow).getCell(1).value).toBe(`总计（${point.bags} 单）`);
      expect(ws.getRow(totalRow).getCell(amountCol).value).toBe(point.amountFen / 100);
    }
    // 南门岗亭 has no entries: its sheet is there, with a zero total.
    expect(load.dropPoints.find((d) => d.dropPoint.name === "南门岗亭")?.bags).toBe(0);

    // A coordinator may export the chain too.
    await download(`${path}/export.csv`, w.coordinatorToken).expect(200);
  });

  it("lang=en writes English headers and words; other query parameters are refused", async () => {
    const res = await download(`${dayPath("csv")}?lang=en`).expect(200);
    const records = parseCsv((res.body as Buffer).toString("utf8").replace(/^\uFEFF/, ""));
    expect(records[0]?.slice(0, 5)).toEqual([
      "Drop point",
      "Chain",
      "Grower",
      "No.",
      "Pickup code",
    ]);
    expect(records.at(-1)?.[0]).toBe("Total (7 entries)");
    expect(new Set(records.slice(1, -1).map((r) => r[COL.已付款 as number]))).toEqual(
      new Set(["yes", "no"]),
    );
    expect(utf8FileName(res.headers["content-disposition"])).toBe(
      `文兴社区-${date}-pickup-lists.csv`,
    );
    await t.http
      .get(`${dayPath("csv")}?lang=fr`)
      .set(coord())
      .expect(400);
    await t.http
      .get(`${dayPath("csv")}?format=csv`)
      .set(coord())
      .expect(400);
  });

  it("only coordinators export the day; only the chain's grower or a coordinator exports a chain", async () => {
    for (const format of ["csv", "xlsx"]) {
      const day = dayPath(format);
      const chain = `/api/chains/${vegetables.id}/export.${format}`;
      expect((await t.http.get(day).expect(401)).body.error.code).toBe("unauthorized");
      expect((await t.http.get(chain).expect(401)).body.error.code).toBe("unauthorized");
      const grower = await t.http.get(day).set(bearer(w.growerToken)).expect(403);
      expect(grower.body.error).toEqual({ code: "forbidden", message: "coordinators only" });
      const other = await t.http.get(chain).set(bearer(otherGrower)).expect(403);
      expect(other.body.error).toEqual({ code: "forbidden", message: "not your chain" });
      // 老周 exports his own chain.
      await download(`/api/chains/${potatoes.id}/export.${format}`, otherGrower).expect(200);
      await t.http
        .get(`/api/chains/${w.communityId}-zzzzzzzz/export.${format}`)
        .set(coord())
        .expect(404);
      await t.http
        .get(`/api/communities/${w.communityId}/days/2026-02-30/export.${format}`)
        .set(coord())
        .expect(400);
    }
  });
});

describe("export builders", () => {
  it("CSV fields with commas, quotes and line breaks are quoted; records end with CRLF after a BOM", () => {
    const text = csvText([
      ["a,b", 'say "hi"', "two\nlines", "cr\rlf", "plain", ""],
      ["x", "y"],
    ]);
    expect(text).toBe('\uFEFF"a,b","say ""hi""","two\nlines","cr\rlf",plain,\r\nx,y\r\n');
    expect(parseCsv(text.slice(1))).toEqual([
      ["a,b", 'say "hi"', "two\nlines", "cr\rlf", "plain", ""],
      ["x", "y"],
    ]);
  });

  it("text a spreadsheet would run as a formula gets a leading apostrophe", () => {
    expect(
      ["=1+2", "+86 139", "-1-101", "@SUM(A1)", "\tx", "3-201", "王=五", "'x"].map(guardFormula),
    ).toEqual(["'=1+2", "'+86 139", "'-1-101", "'@SUM(A1)", "'\tx", "3-201", "王=五", "'x"]);
  });

  it("sheet names: at most 31 characters, no []:*?/\\, no edge apostrophes, unique", () => {
    const long = "一二三四五六七八九十".repeat(4);
    const emoji = `${"a".repeat(30)}😀`;
    const names = sheetNames([
      "3号楼东门",
      "a/b:c*d?e[f]g\\h",
      long,
      long,
      "'引号'",
      "''",
      "History",
      "3号楼东门",
      emoji,
    ]);
    expect(names).toEqual([
      "3号楼东门",
      "a／b：c＊d？e［f］g＼h",
      long.slice(0, 31),
      `${long.slice(0, 27)} (2)`,
      "引号",
      "Sheet",
      "History 1",
      "3号楼东门 (2)",
      "a".repeat(30),
    ]);
    for (const n of names) {
      expect(n.length).toBeLessThanOrEqual(31);
      expect(n).not.toMatch(/[[\]:*?/\\]|^'|'$/);
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  });

  it("Content-Disposition has an ASCII name and the UTF-8 name per RFC 5987", () => {
    expect(contentDisposition("文兴(东)'s*.csv", "pickup lists.csv")).toBe(
      "attachment; filename=\"pickup_lists.csv\"; filename*=UTF-8''%E6%96%87%E5%85%B4%28%E4%B8%9C%29%27s%2A.csv",
    );
  });
});
