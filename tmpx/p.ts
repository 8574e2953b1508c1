import { parseChainText } from "../shared/wechat/index.js";
const items = [{ id: "i1", name: "西红柿", unit: "斤" }, { id: "i2", name: "土鸡蛋", unit: "盒" }, { id: "i3", name: "小白菜", unit: "把" }];
const text = "1. 老王 5-302 笨鸡蛋2盒\n2. 老李 5-303 番茄2斤\n3. 老张 5-304 白菜1把\n4. 老赵 5-305 鸡蛋1盒 柿子2斤\n5. 老钱 5-306 青菜1把";
for (const r of parseChainText(text, items).review) console.log(JSON.stringify(r));
for (const r of parseChainText(text, items).entries) console.log(JSON.stringify(r.lines));
