// site_axe.js: axe-core in the system Chromium (puppeteer-core) over every
// page of a served site, in light and dark mode at 375 and 1280 px: one
// browser, one tab, many pages. Prints TAP lines; a violation names the
// page, the rule and the first elements it found. The same runs check the
// layout of the header in every language: at 1280 px its parts (title,
// sections, language switch, search box) sit on one row, and at no width
// does a page scroll sideways; and no page jumps as it loads (its scripts
// arriving late, as on a phone: layout shift at most 0.1), and on a page
// shorter than the screen the footer's colour reaches its bottom. A last pass,
// without axe, checks every page at 360 px (a small phone): no sideways
// scrolling, nothing runs past the right edge of the screen outside a box
// that scrolls or clips it, the header's links are 44 px tall, and no two
// links' boxes overlap.
// usage: node site_axe.js MODULES_DIR BASE_URL PAGE...
const path = require("path");
const [modules, base, ...pages] = process.argv.slice(2);

// What sticks out past the right edge of the viewport and is not inside a
// box that scrolls or clips it: "TAG.class" of the first few.
function sticksOut() {
  const width = document.documentElement.clientWidth;
  const clipped = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > width + 0.5 && e.getClientRects().length > 0 && !clipped(e))
    .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : ""));
}
// Tap targets on a phone: the header's links under 44 px tall, and links
// whose boxes overlap (a tap between two would hit either): a few of each.
function tapProblems() {
  const small = [...document.querySelectorAll(".header-inner a")]
    .filter((a) => a.getClientRects().length > 0 && a.getBoundingClientRect().height < 43.5)
    .slice(0, 3).map((a) => `"${a.textContent.trim()}" ${a.getBoundingClientRect().height.toFixed(1)} px`);
  const links = [...document.querySelectorAll("a")].map((a) => [a, [...a.getClientRects()]]);
  const overlaps = [];
  for (let i = 0; i < links.length && overlaps.length < 3; i++) {
    for (let j = i + 1; j < links.length && overlaps.length < 3; j++) {
      for (const x of links[i][1]) {
        for (const y of links[j][1]) {
          const w = Math.min(x.right, y.right) - Math.max(x.left, y.left);
          const h = Math.min(x.bottom, y.bottom) - Math.max(x.top, y.top);
          if (w > 0.5 && h > 0.5) overlaps.push(`"${links[i][0].textContent.trim().slice(0, 30)}" / "${links[j][0].textContent.trim().slice(0, 30)}"`);
        }
      }
    }
  }
  return { small, overlaps: [...new Set(overlaps)] };
}
// The colour of the screen at (x, y) of the viewport, "r,g,b": a 1x1 PNG
// screenshot, its one row inflated (the filter of a lone pixel adds nothing).
async function pixel(tab, x, y) {
  const png = await tab.screenshot({ clip: { x, y, width: 1, height: 1 }, type: "png" });
  const idat = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    if (png.toString("ascii", at + 4, at + 8) === "IDAT") idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  return [...require("zlib").inflateSync(Buffer.concat(idat)).subarray(1, 4)].join(",");
}
const puppeteer = require(path.join(modules, "puppeteer-core"));
const axeSource = require("fs").readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8");

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const tab = await browser.newPage();
  // What moves on the screen while a page loads (text pushed down by what is
  // drawn above it later): the layout shifts Chromium reports, summed as
  // Web Vitals sums them (CLS); over 0.1 a reader sees the page jump.
  await tab.evaluateOnNewDocument(() => {
    window.__shift = { sum: 0, what: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        window.__shift.sum += e.value;
        for (const s of e.sources || []) {
          const n = s.node;
          if (n) window.__shift.what.push(n.nodeName.toLowerCase() + (n.className ? "." + String(n.className).split(" ")[0] : ""));
        }
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  // Scripts arrive late, as on a phone's network (and never from the cache,
  // which hid the jump): what the page shows before they run is drawn.
  await tab.setCacheEnabled(false);
  await tab.setRequestInterception(true);
  tab.on("request", (r) => {
    if (/\.js(\?|$)/.test(r.url())) setTimeout(() => r.continue(), 150);
    else r.continue();
  });
  let failed = 0, runs = 0, layoutFailed = 0, shiftFailed = 0, footFailed = 0;
  for (const scheme of ["light", "dark"]) {
    await tab.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    for (const width of [375, 1280]) {
      await tab.setViewport({ width, height: 900 });
      for (const p of pages) {
        await tab.goto(base + p, { waitUntil: "load" });
        await tab.evaluate(axeSource);
        const result = await tab.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
        runs++;
        const shift = await tab.evaluate(() => window.__shift);
        if (shift.sum > 0.1) {
          shiftFailed++;
          console.log(`not ok - the page does not jump as it loads: ${p} (${scheme}, ${width} px): ` +
            `layout shift ${shift.sum.toFixed(3)}, moved: ${[...new Set(shift.what)].slice(0, 3).join(", ")}`);
        }
        const layout = await tab.evaluate(() => {
          const parts = [...document.querySelectorAll(".header-inner > *")].map((e) => e.getBoundingClientRect());
          const below = parts.filter((r) => r.top >= parts[0].bottom).length;
          const d = document.documentElement;
          return { below, scroll: d.scrollWidth, client: d.clientWidth };
        });
        // a page shorter than the screen: below the footer, the footer's colour
        // (a band of the page's colour there reads as a page cut short)
        const foot = await tab.evaluate(() => {
          const f = document.querySelector(".site-footer");
          return f ? { bottom: f.getBoundingClientRect().bottom, screen: window.innerHeight } : null;
        });
        if (foot && foot.bottom < foot.screen - 4) {
          const under = await pixel(tab, 2, foot.screen - 2), inside = await pixel(tab, 2, foot.bottom - 2);
          if (under !== inside) {
            footFailed++;
            console.log(`not ok - the footer's colour down to the bottom of the screen: ${p} (${scheme}, ${width} px): ` +
              `rgb(${inside}) in the footer, rgb(${under}) under it`);
          }
        }
        if (width === 1280 && layout.below > 0) {
          layoutFailed++;
          console.log(`not ok - header on one row: ${p} (${scheme}, ${width} px): ${layout.below} of its parts below the first row`);
        }
        if (layout.scroll > layout.client) {
          layoutFailed++;
          console.log(`not ok - no sideways scrolling: ${p} (${scheme}, ${width} px): scrollWidth ${layout.scroll} > ${layout.client}`);
        }
        for (const v of result.violations) {
          failed++;
          const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
          console.log(`not ok - axe: ${p} (${scheme}, ${width} px): ${v.id}: ${v.help}`);
          console.log(`#   ${where}`);
          if (v.nodes[0] && v.nodes[0].failureSummary) console.log(`#   ${v.nodes[0].failureSummary.replace(/\n/g, " ")}`);
        }
      }
    }
  }
  // 360 px: the layout only (axe's findings do not depend on the width)
  await tab.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
  await tab.setViewport({ width: 360, height: 800 });
  let narrowFailed = 0, tapsFailed = 0;
  for (const p of pages) {
    await tab.goto(base + p, { waitUntil: "load" });
    const r = await tab.evaluate((fn, taps) => {
      const d = document.documentElement;
      return { scroll: d.scrollWidth, client: d.clientWidth, out: eval("(" + fn + ")")(), taps: eval("(" + taps + ")")() };
    }, sticksOut.toString(), tapProblems.toString());
    if (r.scroll > r.client || r.out.length > 0) {
      narrowFailed++;
      console.log(`not ok - nothing past the right edge at 360 px: ${p}: scrollWidth ${r.scroll} (screen ${r.client}); ` +
        `sticking out: ${r.out.join(", ") || "nothing"}`);
    }
    if (r.taps.small.length > 0 || r.taps.overlaps.length > 0) {
      tapsFailed++;
      console.log(`not ok - tap targets at 360 px: ${p}: header links under 44 px: ${r.taps.small.join(", ") || "none"}; ` +
        `overlapping links: ${r.taps.overlaps.join(", ") || "none"}`);
    }
  }
  await browser.close();
  if (narrowFailed === 0) console.log(`ok - at 360 px no page scrolls sideways or runs past the right edge (${pages.length} pages)`);
  if (tapsFailed === 0) console.log(`ok - at 360 px the header's links are 44 px tall and no two links overlap (${pages.length} pages)`);
  if (layoutFailed === 0) console.log(`ok - the header is on one row at 1280 px and no page scrolls sideways at 375 or 1280 px (${pages.length} pages)`);
  if (footFailed === 0) console.log(`ok - on a page shorter than the screen the footer's colour reaches its bottom (${pages.length} pages)`);
  if (shiftFailed === 0) console.log(`ok - no page jumps as it loads (layout shift at most 0.1) on ${pages.length} pages (${runs} loads)`);
  if (failed === 0) console.log(`ok - axe-core finds no violations on ${pages.length} pages, light and dark, 375 and 1280 px (${runs} runs)`);
  process.exit(failed || layoutFailed || narrowFailed || tapsFailed || shiftFailed || footFailed ? 1 : 0);
})().catch((e) => { console.log("not ok - axe run: " + e.message); process.exit(1); });
