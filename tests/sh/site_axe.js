// site_axe.js: axe-core in the system Chromium (puppeteer-core) over every
// page of a served site, in light and dark mode at 375 and 1280 px: one
// browser, one tab, many pages. Prints TAP lines; a violation names the
// page, the rule and the first elements it found.
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
  let failed = 0, runs = 0;
  for (const scheme of ["light", "dark"]) {
    await tab.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    for (const width of [375, 1280]) {
      await tab.setViewport({ width, height: 900 });
      for (const p of pages) {
        await tab.goto(base + p, { waitUntil: "load" });
        await tab.evaluate(axeSource);
        const result = await tab.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
        runs++;
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
  if (failed === 0) console.log(`ok - axe-core finds no violations on ${pages.length} pages, light and dark, 375 and 1280 px (${runs} runs)`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log("not ok - axe run: " + e.message); process.exit(1); });
