/**
 * Drop points (自提点) named in a 接龙 line — "南门自提", "7号楼北门取", "放东门", "自提点：驿站" — and
 * which of a community's drop points they mean, by name or alias. Pure and isomorphic.
 *
 * A place is only a drop point when it looks like one: a gate with its side (北门, 3号楼东门), a
 * known kind of place (岗亭, 驿站, 超市, 物业), or a name or alias of one of the community's drop
 * points. "放门口" and "送到家门口" name no drop point: that is the resident's own door.
 */
import { readChineseNumber } from "./numerals.js";
import { foldText } from "./text-view.js";

/** A community's drop point as the parser needs it (aliases: other names residents use). */
export interface DropPointRef {
  id: string;
  name: string;
  aliases?: readonly string[];
}

/** What a line says about its drop point. */
export type DropPointRead =
  /** It names none: the caller decides (a community with one drop point, a default). */
  | { kind: "none" }
  /** It names this one. `text` is the place as written. */
  | { kind: "matched"; id: string; text: string }
  /** It names a place that is none of them; `candidates` are those whose names contain it. */
  | { kind: "unknown"; text: string; candidates: string[] }
  /** It names more than one, or a place several of them are called. */
  | { kind: "ambiguous"; text: string; ids: string[] };

/** The answer of matchDropPoint: which drop point a place written in a line is. */
export type DropPointMatch =
  | { kind: "matched"; id: string }
  | { kind: "ambiguous"; ids: string[] }
  | { kind: "unknown"; candidates: string[] };

const CN_DIGIT = "[一二两三四五六七八九十]";
const BUILDING_REF = String.raw`(?:\d{1,3}|${CN_DIGIT}{1,3})(?:号楼|号|栋|幢|座)`;
const SIDE = "(?:东南|东北|西南|西北|[东西南北正侧后前])";
const GATE = "(?:大门|门口|门)";
/** Places that are pick-up places by their kind. */
const KIND =
  "(?:门岗|岗亭|门卫室|门卫|保安亭|菜鸟驿站|驿站|快递柜|丰巢柜|丰巢|超市|便利店|物业楼下|物业办公室|物业|车库入口|车库|地库|广场|停车场|篮球场|凉亭|菜站|服务站|自提柜|活动中心)";
const NEAR = "(?:门口|楼下|旁边|那边|那里|这边)";
const PLACE = `(?:小区)?(?:(?:${BUILDING_REF})?${SIDE}${GATE}${KIND}?|(?:${BUILDING_REF})?${SIDE}?${KIND}${NEAR}?|${BUILDING_REF}(?:${GATE}|楼下|下面|下))`;
/** Before a place: where to put it, where to take it from, "自提点：". */
const LEAD =
  "(?:自提点|取货点|提货点|自提地点|取货地点)[ \\t:]*|(?:放在|放到|送到|送至|送去|放|送|到|在|去)";
/** After a place: taking it from there. */
const TAIL = "(?:自提点|自提|自取|取货|提货|领取|取|拿|领|提)";

const PHRASE = new RegExp(`(${LEAD})?(${PLACE})(${TAIL})?`, "gu");
/** Every place above has one of these: a text without any names none (most lines of a chain). */
const PLACE_HINT = /[门亭站柜巢市店业库场心下]/u;
const LEAD_AT_END = new RegExp(`(?:${LEAD})$`, "u");
const LEAD_AT_START = new RegExp(`^(?:${LEAD})`, "u");
const TAIL_AT_START = new RegExp(`^${TAIL}`, "u");
const TAIL_AT_END = new RegExp(`${TAIL}$`, "u");
const NUMERAL_BUILDING = new RegExp(`${CN_DIGIT}{1,3}(?=号楼|号|栋|幢|座)`, "gu");

/** A drop-point phrase in a text: the words to leave out of the order, and the place they name. */
export interface PlaceFound {
  /** The whole phrase (with 放, 自提…). */
  start: number;
  end: number;
  /** The place alone. */
  placeStart: number;
  placeEnd: number;
}

/** Names and aliases of the community's drop points: folded (to find) and as keys (to match). */
export interface PlaceIndex {
  /** Longest first. */
  names: { text: string; key: string; id: string }[];
}

/** Indexes of recent communities' drop points, by their ids, names and aliases. */
const INDEXES = new Map<string, PlaceIndex>();

export function placeIndex(points: readonly DropPointRef[]): PlaceIndex {
  const list = Array.isArray(points) ? points : [];
  if (list.length === 0) return EMPTY;
  let key = "";
  for (const point of list) {
    const aliases = point && Array.isArray(point.aliases) ? point.aliases.join("\u0001") : "";
    key +=
      point && typeof point === "object"
        ? `${point.id}\u0001${point.name}\u0003${aliases}\u0002`
        : "\u0002";
  }

  let index = INDEXES.get(key);
  if (!index) {
    index = buildIndex(list);
    if (INDEXES.size > 50) INDEXES.clear();
    INDEXES.set(key, index);
  }
  return index;
}

const EMPTY: PlaceIndex = { names: [] };

function buildIndex(points: readonly DropPointRef[]): PlaceIndex {
  const names: PlaceIndex["names"] = [];
  for (const point of points) {
    if (!point || typeof point.id !== "string" || typeof point.name !== "string") continue;
    for (const name of [point.name, ...(Array.isArray(point.aliases) ? point.aliases : [])]) {
      const text = typeof name === "string" ? foldText(name).replace(/\s+/gu, "") : "";
      if (text.length > 0) names.push({ text, key: placeKey(text), id: point.id });
    }
  }
  names.sort((a, b) => b.text.length - a.text.length);
  return { names };
}

/**
 * Every drop-point phrase in text[from, to) (folded text), left to right, not overlapping each
 * other or `avoid` (item names). A place that is a drop point's name or alias counts whatever it
 * looks like; any other must look like a place (see the module comment). A name inside a longer
 * place is not that name: "东门" in "3号楼东门" is not the compound's 东门.
 */
export function findPlaces(
  text: string,
  from: number,
  to: number,
  index: PlaceIndex,
  avoid: readonly { start: number; end: number }[] = [],
): PlaceFound[] {
  const slice = text.slice(from, to);
  const outside = (start: number, end: number) =>
    !avoid.some((a) => a.start < end && start < a.end);
  let found: PlaceFound[] = [];
  PHRASE.lastIndex = 0;
  const hinted = PLACE_HINT.test(slice);
  for (let m = hinted ? PHRASE.exec(slice) : null; m; m = PHRASE.exec(slice)) {
    const start = from + m.index;
    const end = start + m[0].length;
    const placeStart = start + (m[1]?.length ?? 0);
    const placeEnd = placeStart + (m[2]?.length ?? 0);
    if (outside(start, end)) found.push({ start, end, placeStart, placeEnd });
  }
  // Names that look like no place ("幸福里菜站"), or hold more than one ("东门菜鸟驿站").
  const named: PlaceFound[] = [];
  for (const { text: name } of index.names) {
    for (let at = slice.indexOf(name); at !== -1; at = slice.indexOf(name, at + name.length)) {
      const placeStart = from + at;
      const placeEnd = placeStart + name.length;
      const lead = LEAD_AT_END.exec(text.slice(Math.max(from, placeStart - 6), placeStart));
      const tail = TAIL_AT_START.exec(text.slice(placeEnd, Math.min(to, placeEnd + 3)));
      const start = placeStart - (lead?.[0].length ?? 0);
      const end = placeEnd + (tail?.[0].length ?? 0);
      const overlaps = (f: PlaceFound) => f.placeStart < placeEnd && placeStart < f.placeEnd;
      if (!outside(start, end) || named.some(overlaps)) continue;
      const covered = found.filter(overlaps);
      if (covered.some((f) => f.placeStart < placeStart || f.placeEnd > placeEnd)) continue;
      found = found.filter((f) => !overlaps(f));
      named.push({ start, end, placeStart, placeEnd });
    }
  }
  return [...found, ...named].sort((a, b) => a.start - b.start);
}

/**
 * The form places are compared in: 七号楼 → 7栋, 7号楼 and 7幢 → 7栋, 南大门 and 南门口 → 南门,
 * without 放/自提 around it, "小区" before it or "那边" after it, spaces and marks.
 */
export function placeKey(text: string): string {
  let key = PLACE_KEYS.get(text);
  if (key === undefined) {
    key = readPlaceKey(text);
    if (PLACE_KEYS.size > 2000) PLACE_KEYS.clear();
    PLACE_KEYS.set(text, key);
  }
  return key;
}

/** Places are few and come again and again (南门, 东门…). */
const PLACE_KEYS = new Map<string, string>();

function readPlaceKey(text: string): string {
  let key = foldText(text).replace(/[\s\p{P}\p{S}]+/gu, "");
  key = key.replace(NUMERAL_BUILDING, (numeral) => {
    const read = readChineseNumber(numeral, 0, 0);
    return read && read.end === numeral.length ? String(read.scaled) : numeral;
  });
  return key
    .replace(/(\d)(?:号楼|幢|号(?!院))/gu, "$1栋")
    .replace(/([东西南北正侧后前])大门/gu, "$1门")
    .replace(LEAD_AT_START, "")
    .replace(TAIL_AT_END, "")
    .replace(/^小区(?=.)/u, "")
    .replace(/(?<=.)(?:那边|那里|这边|这里|旁边|附近)$/u, "")
    .replace(/门口$/u, "门");
}

/**
 * Which of `points` the place `text` (as written in a line) is: the one whose name or alias it is
 * (compared as placeKey). Otherwise unknown, with the drop points whose names contain it for a
 * person to pick from ("北门" where there is a 7号楼北门): a part of a name is not guessed.
 */
export function matchDropPoint(text: string, points: readonly DropPointRef[]): DropPointMatch {
  return matchPlace(text, placeIndex(points));
}

function matchPlace(text: string, index: PlaceIndex): DropPointMatch {
  const key = placeKey(text);
  const ids = (list: PlaceIndex["names"]) => [...new Set(list.map((name) => name.id))];
  if (key.length === 0) return { kind: "unknown", candidates: [] };
  const exact = ids(index.names.filter((name) => name.key === key));
  if (exact.length === 1 && exact[0] !== undefined) return { kind: "matched", id: exact[0] };
  if (exact.length > 1) return { kind: "ambiguous", ids: exact };
  return { kind: "unknown", candidates: ids(index.names.filter((name) => name.key.includes(key))) };
}

/**
 * What the places found in a line say together: none, one drop point (named once or more), a place
 * that is none of them, or more than one.
 */
export function readDropPoint(places: readonly string[], index: PlaceIndex): DropPointRead {
  if (places.length === 0) return { kind: "none" };
  const matched = new Set<string>();
  for (const place of places) {
    const match = matchPlace(place, index);
    if (match.kind === "unknown") {
      return { kind: "unknown", text: place, candidates: match.candidates };
    }
    if (match.kind === "ambiguous") return { kind: "ambiguous", text: place, ids: match.ids };
    matched.add(match.id);
  }
  const text = places.join("、");
  const [only, ...more] = [...matched];
  if (only !== undefined && more.length === 0) return { kind: "matched", id: only, text };
  return { kind: "ambiguous", text, ids: [...matched] };
}
