/**
 * `npx tsx bench/wechat-parse.ts`: how long the WeChat parsers take on a long 接龙 (500 numbered
 * lines, with drop points, chatter and lines for review) and on a price post. Measured, not
 * asserted (tests never time anything): it prints the median and the best of many runs, after a
 * warm-up, with the load average, since the machine is shared.
 */
import { loadavg } from "node:os";
import { parseChainText } from "../shared/wechat/chain-parser.js";
import { parseListing } from "../shared/wechat/listing-parser.js";

const ITEMS = [
  { name: "西红柿", unit: "斤" },
  { name: "黄瓜", unit: "斤" },
  { name: "茄子", unit: "斤" },
  { name: "小白菜", unit: "把" },
  { name: "土鸡蛋", unit: "个" },
];
const DROP_POINTS = [
  { id: "nm", name: "南门岗亭", aliases: ["南门"] },
  { id: "bm7", name: "7号楼北门", aliases: ["七号楼北门"] },
  { id: "dm", name: "东门菜鸟驿站", aliases: ["东门", "驿站"] },
];
const ORDERS = [
  "西红柿2斤 黄瓜1斤",
  "要两斤茄子",
  "小白菜两把 土鸡蛋10个 南门自提",
  "黄瓜一斤半，西红柿半斤",
  "土鸡蛋x10 7号楼北门取",
  "西红柿、黄瓜各1斤 放东门",
  "茄子2斤 豆腐1块",
  "小白菜+1 谢谢",
];
const BUILDINGS = ["3-201", "12栋2单元1101", "5号楼302", "9-3-1102", "7#502", "东区8号楼"];
const NAMES = ["王姐", "李阿姨", "老张", "🌸花花", "Amy", "赵大爷"];

function chainText(lines: number): string {
  const out = [
    "#接龙 明天的菜 今晚8点截单",
    "西红柿3元/斤 黄瓜2.5元/斤",
    "例：张三 1-101 西红柿2斤",
    "",
  ];
  for (let k = 1; k <= lines; k++) {
    const pick = <T>(list: readonly T[]) => list[(k * 7 + list.length) % list.length] as T;
    out.push(`${k}. ${pick(NAMES)} ${pick(BUILDINGS)} ${ORDERS[k % ORDERS.length]}`);
    if (k % 25 === 0) out.push("收到，谢谢");
  }
  return out.join("\n");
}

const POST = [
  "【惠民直通车】明天(周六)的菜,今晚8点截单👇",
  "🍅西红柿 3元/斤 限量100斤",
  "🥒黄瓜 茄子 2.5元一斤",
  "🥬小白菜、油麦菜 2元一把",
  "🥚土鸡蛋 1.5元/个 每户限30个",
  "红薯 20元/袋 限10袋",
  "每人每样限购5斤",
  "📍南门岗亭自提",
].join("\n");

/**
 * Wall-clock times (median and best of `rounds`), and the CPU time per run: on a shared, busy
 * machine the wall clock also counts the time other processes had the CPU; the CPU time does not.
 */
function measure(label: string, run: () => void, rounds: number): void {
  for (let k = 0; k < 5; k++) run(); // warm-up: the JIT, the module-level tables
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let k = 0; k < rounds; k++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  const best = times[0] ?? 0;
  const cpuMs = (cpu.user + cpu.system) / 1000 / rounds;
  console.log(
    `${label}: median ${median.toFixed(2)} ms, best ${best.toFixed(2)} ms, ` +
      `CPU ${cpuMs.toFixed(2)} ms per run (${rounds} runs)`,
  );
}

const text500 = chainText(500);
const parsed = parseChainText(text500, ITEMS, { dropPoints: DROP_POINTS });
console.log(
  `load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(" / ")}; 500-line chain: ${text500.split("\n").length} lines, ` +
    `${parsed.entries.length} entries, ${parsed.review.length} for review`,
);
measure(
  "parseChainText, 500 lines",
  () => parseChainText(text500, ITEMS, { dropPoints: DROP_POINTS }),
  50,
);
measure(
  "parseChainText, 2000 lines",
  () => parseChainText(chainText(2000), ITEMS, { dropPoints: DROP_POINTS }),
  10,
);
measure("parseListing, 8-line post", () => parseListing(POST), 200);
