/**
 * Names of produce as growers write them, to tell "黄瓜 茄子 3元一斤" (two items sharing a price)
 * from "本地 小白菜 2元/斤" (one item) and "番茄/西红柿 3元一斤" (one item by two names). Only
 * for that: a name not in here is still a name, but several of them before one price are asked
 * about rather than split. Simplified characters (names are compared folded, see text-view).
 */

const VEGETABLES =
  "西红柿 番茄 圣女果 小番茄 黄瓜 茄子 豆角 四季豆 扁豆 长豆角 豇豆 荷兰豆 毛豆 豌豆 蚕豆 青椒 尖椒 辣椒 " +
  "彩椒 甜椒 菜椒 柿子椒 线椒 小米椒 土豆 马铃薯 洋芋 红薯 地瓜 番薯 紫薯 山药 芋头 芋艿 魔芋 萝卜 白萝卜 " +
  "红萝卜 胡萝卜 青萝卜 水萝卜 心里美 洋葱 大葱 小葱 香葱 葱 蒜 大蒜 蒜苗 蒜薹 蒜黄 生姜 姜 韭菜 韭黄 " +
  "韭菜花 白菜 大白菜 小白菜 娃娃菜 上海青 青菜 油菜 菜心 菜薹 芥蓝 芥菜 雪里蕻 油麦菜 生菜 菠菜 " +
  "芹菜 西芹 香芹 香菜 芫荽 茼蒿 空心菜 苋菜 木耳菜 蕹菜 莴笋 莴苣 茭白 芦笋 竹笋 冬笋 春笋 笋 " +
  "西兰花 花菜 菜花 花椰菜 包菜 卷心菜 圆白菜 洋白菜 莲花白 紫甘蓝 甘蓝 冬瓜 南瓜 丝瓜 苦瓜 西葫芦 " +
  "佛手瓜 黄瓜花 瓠子 瓠瓜 葫芦 秋葵 莲藕 藕 荸荠 马蹄 玉米 甜玉米 糯玉米 水果玉米 豆芽 黄豆芽 绿豆芽 " +
  "香菇 蘑菇 平菇 金针菇 杏鲍菇 木耳 银耳 茶树菇 口蘑 豆腐 千张 腐竹 豆皮 百合 香椿 荠菜 马齿苋 " +
  "蕨菜 灰灰菜 蒲公英 折耳根 鱼腥草 黄花菜 藜蒿 蒌蒿 红菜薹 儿菜 雪菜 酸菜";

const FRUITS =
  "苹果 梨 香梨 雪梨 桃 桃子 水蜜桃 黄桃 油桃 蟠桃 杏 李子 樱桃 车厘子 草莓 蓝莓 葡萄 提子 阳光玫瑰 " +
  "西瓜 麒麟瓜 甜瓜 哈密瓜 香瓜 香蕉 芭蕉 橘子 桔子 橙子 脐橙 柚子 柠檬 砂糖橘 沃柑 丑橘 芦柑 金桔 " +
  "芒果 菠萝 凤梨 荔枝 龙眼 桂圆 枇杷 杨梅 猕猴桃 奇异果 火龙果 石榴 柿子 冬枣 枣 红枣 山楂 桑葚 " +
  "榴莲 山竹 椰子 牛油果 百香果 无花果 橄榄 青枣 人参果";

const OTHERS =
  "鸡蛋 土鸡蛋 鸭蛋 咸鸭蛋 鹅蛋 鹌鹑蛋 松花蛋 皮蛋 猪肉 五花肉 排骨 里脊 猪蹄 牛肉 牛腩 羊肉 羊排 " +
  "鸡 土鸡 鸡腿 鸡翅 鸭 鸭子 鹅 鱼 草鱼 鲫鱼 鲤鱼 鲈鱼 带鱼 虾 鲜虾 螃蟹 大米 小米 糯米 面粉 挂面 " +
  "粉条 红薯粉 花生 瓜子 核桃 板栗 栗子 蜂蜜 菜籽油 花生油 香油 腊肉 香肠 牛奶 酸奶 馒头 包子 饺子 水饺 " +
  "粽子 年糕 枸杞 花椒 八角 桂皮 辣椒面";

/**
 * Names that are the same thing (one item written two ways: 番茄/西红柿). Only true synonyms: a
 * chain line saying one of them orders the item called by another (番茄2斤 where 西红柿 is sold).
 */
const SAME: readonly string[] = [
  "西红柿 番茄",
  "圣女果 小番茄",
  "土豆 马铃薯 洋芋",
  "红薯 地瓜 番薯",
  "芋头 芋艿",
  "香菜 芫荽",
  "包菜 卷心菜 圆白菜 洋白菜 莲花白",
  "花菜 菜花 花椰菜",
  "空心菜 蕹菜",
  "莴笋 莴苣",
  "荸荠 马蹄",
  "青椒 菜椒 柿子椒",
  "橘子 桔子",
  "菠萝 凤梨",
  "龙眼 桂圆",
  "猕猴桃 奇异果",
  "生姜 姜",
  "大蒜 蒜",
  "小葱 香葱",
  "藕 莲藕",
  "鸡蛋 土鸡蛋 柴鸡蛋 笨鸡蛋",
  "红枣 枣",
  "栗子 板栗",
  "水饺 饺子",
  "松花蛋 皮蛋",
];

const NAMES: ReadonlySet<string> = new Set(`${VEGETABLES} ${FRUITS} ${OTHERS}`.split(/\s+/u));

const GROUP: ReadonlyMap<string, number> = new Map(
  SAME.flatMap((names, group) => names.split(" ").map((name) => [name, group] as const)),
);

/** Words before a name that describe it (本地 小白菜): with the name, one item. */
const MODIFIERS =
  /^(?:本地|新鲜|农家|有机|散养|自家|自种|现摘|现挖|野生|高山|山东|东北|云南|海南|新疆|土|笨|老|嫩|小|大|精品|特级|一级|优质|正宗)$/u;

/** Is this (folded, trimmed) word the name of some produce? */
export function isProduce(word: string): boolean {
  return NAMES.has(word);
}

/** The other names of the same thing (西红柿 → 番茄). */
export function synonymsOf(name: string): string[] {
  const group = GROUP.get(name);
  return group === undefined
    ? []
    : (SAME[group]?.split(" ").filter((other) => other !== name) ?? []);
}

/** Are two names of produce the same thing (番茄 and 西红柿)? */
export function sameProduce(a: string, b: string): boolean {
  if (a === b) return true;
  const group = GROUP.get(a);
  return group !== undefined && group === GROUP.get(b);
}

/** A word that describes the name after it (本地, 新鲜). */
export function isModifier(word: string): boolean {
  return MODIFIERS.test(word);
}
