// epub_grid.js: the exercise books' "My week" page (my-week.xhtml) in the
// system Chromium (puppeteer-core) at reader widths: every day's tick boxes
// on one line, the boxes at least as large as the text around them, the
// grid's caption inside the screen, nothing past the right edge of the
// page, no day hidden in a box that scrolls sideways, and each row's label
// set from its cell's left edge.
// Prints TAP lines. usage: node epub_grid.js MODULES_DIR WIDTHS FILE...
const path = require("path");
const [modules, widths, ...files] = process.argv.slice(2);
const puppeteer = require(path.join(modules, "puppeteer-core"));

function measure() {
  const width = document.documentElement.clientWidth;
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  const scrolls = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const wrapped = [], small = [];
  for (const s of document.querySelectorAll(".tick-boxes")) {
    // one line box per span: the boxes' tops all on one line
    const tops = new Set([...s.getClientRects()].map((r) => Math.round(r.top)));
    const row = s.closest("tr").querySelector("th").textContent;
    if (tops.size !== 1) wrapped.push(`${row} (${s.textContent.length > 1 ? s.textContent : "1"}: ${tops.size} lines)`);
    const size = parseFloat(getComputedStyle(s).fontSize);
    if (size < body) small.push(`${row}: ${size}px < ${body}px`);
  }
  const out = [...document.body.querySelectorAll("*")]
    .filter((e) => e.getBoundingClientRect().right > width + 0.5 && e.getClientRects().length > 0 && !scrolls(e))
    .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : ""));
  // the caption names the grid: it wraps on the screen, none of it past the edge
  const caption = document.querySelector(".tracking-grid caption").getBoundingClientRect();
  if (caption.left < -0.5 || caption.right > width + 0.5) out.push(`caption (${Math.round(caption.left)} to ${Math.round(caption.right)} px)`);
  // no day hidden in a box that scrolls sideways (a patient saw days 1 to 3
  // of a week, and many readers cannot scroll such a box)
  const hidden = [...document.querySelectorAll(".tracking-scroll")]
    .filter((b) => b.scrollWidth > b.clientWidth + 1)
    .map((b) => `${b.querySelector("caption").textContent}: ${b.scrollWidth} px in ${b.clientWidth}`);
  // each row's label (an exercise's name) reads from its cell's left edge,
  // as on paper and on the site: centred, a label of two or three lines
  // ("Estiramiento de los / flexores de la / cadera") is ragged on both sides
  const centred = [...document.querySelectorAll('.tracking-grid th[scope="row"]')].filter((th) => {
    const r = document.createRange();
    r.selectNodeContents(th);
    const first = r.getClientRects()[0];
    const inner = th.getBoundingClientRect().left + parseFloat(getComputedStyle(th).paddingLeft);
    return first && first.left - inner > 2;
  }).map((th) => th.textContent);
  return { centred: [...new Set(centred)].slice(0, 3), labels: document.querySelectorAll('.tracking-grid th[scope="row"]').length,
    wrapped: wrapped.slice(0, 4), small: small.slice(0, 4), out, hidden, page: document.documentElement.scrollWidth,
    width, spans: document.querySelectorAll(".tick-boxes").length };
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const tab = await browser.newPage();
  let failed = 0;
  for (const file of files) {
    const name = path.basename(path.dirname(path.dirname(path.dirname(file))));
    for (const w of widths.split(",").map(Number)) {
      await tab.setViewport({ width: w, height: 900 });
      await tab.goto("file://" + path.resolve(file), { waitUntil: "load" });
      const r = await tab.evaluate(measure);
      const n = `${name} at ${w} px: each day's tick boxes on one line, not smaller than the text, every day in view`;
      if (r.spans > 0 && r.wrapped.length === 0 && r.small.length === 0 && r.out.length === 0 && r.hidden.length === 0 &&
          r.page <= r.width) {
        console.log("ok - " + n);
      } else {
        failed++;
        console.log("not ok - " + n);
        console.log(`#   ${r.spans} tick-box cells; wrapped: ${r.wrapped.join("; ") || "none"}`);
        console.log(`#   smaller: ${r.small.join("; ") || "none"}; past the edge: ${r.out.join(", ") || "none"} (page ${r.page}, screen ${r.width})`);
        console.log(`#   scrolled out of view: ${r.hidden.join("; ") || "none"}`);
      }
      const m = `${name} at ${w} px: each row's label starts at its cell's left edge`;
      if (r.labels > 0 && r.centred.length === 0) console.log("ok - " + m);
      else {
        failed++;
        console.log("not ok - " + m);
        console.log(`#   ${r.labels} labels; set away from the left edge: ${r.centred.join("; ") || "none"}`);
      }
    }
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log("not ok - epub grid in Chromium: " + e.message); process.exit(1); });
