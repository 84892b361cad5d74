// site_axe.js: axe-core in the system Chromium (puppeteer-core) over every
// page of a served site, in light and dark mode at 375 and 1280 px: one
// browser, one tab, many pages. Prints TAP lines; a violation names the
// page, the rule and the first elements it found. The same runs check the
// layout of the header in every language: at 1280 px its parts (title,
// sections, language switch, search box) sit on one row, and at no width
// does a page scroll sideways.
// usage: node site_axe.js MODULES_DIR BASE_URL PAGE...
const path = require("path");
const [modules, base, ...pages] = process.argv.slice(2);
const puppeteer = require(path.join(modules, "puppeteer-core"));
const axeSource = require("fs").readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8");

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const tab = await browser.newPage();
  let failed = 0, runs = 0, layoutFailed = 0;
  for (const scheme of ["light", "dark"]) {
    await tab.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    for (const width of [375, 1280]) {
      await tab.setViewport({ width, height: 900 });
      for (const p of pages) {
        await tab.goto(base + p, { waitUntil: "load" });
        await tab.evaluate(axeSource);
        const result = await tab.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
        runs++;
        const layout = await tab.evaluate(() => {
          const parts = [...document.querySelectorAll(".header-inner > *")].map((e) => e.getBoundingClientRect());
          const below = parts.filter((r) => r.top >= parts[0].bottom).length;
          const d = document.documentElement;
          return { below, scroll: d.scrollWidth, client: d.clientWidth };
        });
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
  await browser.close();
  if (layoutFailed === 0) console.log(`ok - the header is on one row at 1280 px and no page scrolls sideways at 375 or 1280 px (${pages.length} pages)`);
  if (failed === 0) console.log(`ok - axe-core finds no violations on ${pages.length} pages, light and dark, 375 and 1280 px (${runs} runs)`);
  process.exit(failed || layoutFailed ? 1 : 0);
})().catch((e) => { console.log("not ok - axe run: " + e.message); process.exit(1); });
