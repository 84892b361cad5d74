// site_drawing.js: the exercise pages' card in the system Chromium
// (puppeteer-core) at 1280 and 375 px: the words inside a drawing (its SVG
// <text>) come out at MIN_WIDE px or more at 1280 and MIN_NARROW at 375 (the
// SVG's smallest font-size times the drawing's shown width over its viewBox
// width), and at 1280 the fact with the most words ("You need") gets at
// least half the card's width. Prints TAP lines.
// usage: node site_drawing.js MODULES_DIR SITE_DIR MIN_WIDE MIN_NARROW PAGE...
const fs = require("fs");
const path = require("path");
const [modules, site, minWide, minNarrow, ...pages] = process.argv.slice(2);
const puppeteer = require(path.join(modules, "puppeteer-core"));

// The smallest font-size of an SVG's text and its viewBox width, or null
// when it has no text.
function svgText(file) {
  const svg = fs.readFileSync(file, "utf8");
  if (!/<text[\s>]/.test(svg)) return null;
  const sizes = [...svg.matchAll(/font-size(?:="|:\s*)([0-9.]+)/g)].map((m) => Number(m[1]));
  const vb = svg.match(/viewBox="[-0-9.]+[ ,]+[-0-9.]+[ ,]+([0-9.]+)/);
  return { size: Math.min(...sizes), width: Number(vb[1]) };
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const tab = await browser.newPage();
  let failed = 0, labelled = 0;
  for (const [width, min] of [[1280, Number(minWide)], [375, Number(minNarrow)]]) {
    await tab.setViewport({ width, height: 900 });
    for (const p of pages) {
      const file = path.resolve(site, p, "index.html");
      await tab.goto("file://" + file, { waitUntil: "load" });
      const r = await tab.evaluate(() => {
        const img = document.querySelector(".exercise-figure img"), card = document.querySelector(".exercise-card");
        const facts = [...document.querySelectorAll(".exercise-facts > div")];
        const longest = facts.sort((a, b) => b.textContent.length - a.textContent.length)[0];
        const cs = getComputedStyle(card);
        return {
          src: img && img.getAttribute("src"), shown: img && img.getBoundingClientRect().width,
          card: card.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
          fact: longest && longest.querySelector("dt").textContent, factWidth: longest && longest.getBoundingClientRect().width,
        };
      });
      if (!r.src) continue;
      const t = svgText(path.resolve(path.dirname(file), r.src));
      if (t) {
        labelled++;
        const px = (t.size * r.shown) / t.width;
        const n = `${p} at ${width} px: the drawing's labels at ${px.toFixed(1)} px (>= ${min})`;
        if (px >= min) console.log("ok - " + n);
        else { failed++; console.log(`not ok - ${n}`); console.log(`#   font-size ${t.size} in a viewBox ${t.width} wide, shown ${r.shown.toFixed(0)} px wide`); }
      }
      if (width === 1280 && r.fact) {
        const n = `${p} at 1280 px: "${r.fact}" is at least half the card's width`;
        if (r.factWidth >= r.card / 2) console.log("ok - " + n);
        else { failed++; console.log("not ok - " + n); console.log(`#   ${r.factWidth.toFixed(0)} px of ${r.card.toFixed(0)} px`); }
      }
    }
  }
  if (labelled === 0) { failed++; console.log("not ok - some exercise drawing has labels"); }
  await browser.close();
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log("not ok - site drawing in Chromium: " + e.message); process.exit(1); });
