// site_print.js: pages of the site printed from the system Chromium
// (puppeteer-core's page.pdf, as a reader's Print > Save as PDF) at each
// paper size, then read back with pdftotext -layout: no page but the last
// ends with a heading or a callout's or the disclaimer's title, with a
// heading and one line under it, or with a heading and a numbered list's
// first item (the "Steps" heading and step 1 alone at the foot of page 1),
// nor with a line that ends in ":" (the sentence that introduces a list,
// cut off from it). Prints TAP lines; the PDFs stay in
// OUT_DIR for people to look at.
// usage: node site_print.js MODULES_DIR SITE_DIR OUT_DIR PAPER,PAPER PAGE...
const { execFileSync } = require("child_process");
const path = require("path");
const [modules, site, outDir, papers, ...pages] = process.argv.slice(2);
const puppeteer = require(path.join(modules, "puppeteer-core"));

// Letters and digits only: pdftotext spaces an icon off its title ("✓ Tip")
// and may join words the DOM has apart.
const norm = (s) => s.replace(/[^\p{L}\p{N}]+/gu, "").toLowerCase();

// The text lines of each page of a PDF, blank lines dropped.
function pdfPages(file) {
  const text = execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"], { encoding: "utf8" });
  const out = text.split("\f").map((p) => p.split("\n").map((l) => l.trim()).filter((l) => l !== ""));
  while (out.length && out[out.length - 1].length === 0) out.pop();
  return out;
}

// Whether a printed line is a heading: the whole heading, or the last line
// of one that wrapped.
function isHeading(line, heads) {
  const n = norm(line);
  return n !== "" && heads.some((h) => h === n || (n.length >= 8 && h.endsWith(n)));
}

// What is wrong at the foot of a page that is not the last, or null. A
// callout's title and one line is a whole callout, so titles count for the
// last line only.
function badFoot(lines, heads, titles) {
  const last = lines[lines.length - 1];
  if (isHeading(last, heads) || isHeading(last, titles)) return `ends with the heading "${last}"`;
  if (lines.length > 1 && isHeading(lines[lines.length - 2], heads)) {
    return `ends with the heading "${lines[lines.length - 2]}" and one line, "${last}"`;
  }
  // a heading a few lines up with a numbered list's first item alone
  // under it, its lines wrapped
  for (let i = Math.max(0, lines.length - 5); i < lines.length - 1; i++) {
    if (!isHeading(lines[i], heads)) continue;
    const tail = lines.slice(i + 1);
    if (/^1\.\s/.test(tail[0]) && !tail.some((l) => /^2\.\s/.test(l))) {
      return `ends with the heading "${lines[i]}" and item 1 alone, "${tail.join(" ")}"`;
    }
  }
  if (/:$/.test(last)) return `ends with "${last}", which introduces what follows`;
  return null;
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const tab = await browser.newPage();
  await tab.emulateMediaType("print");
  let failed = 0;
  for (const p of pages) {
    await tab.goto("file://" + path.resolve(site, p, "index.html"), { waitUntil: "load" });
    // what prints as a heading, and as a box's title (hidden parts, such
    // as the contents box, left out)
    const shown = (sel) => tab.evaluate((s) => [...document.querySelectorAll(s)]
      .filter((e) => e.getClientRects().length > 0).map((e) => e.textContent), sel);
    const heads = (await shown("h1, h2, h3, h4")).map(norm);
    const titles = (await shown(".callout-title, .disclaimer-label, .exercise-cautions > p")).map(norm);
    for (const paper of papers.split(",")) {
      const file = path.join(outDir, `${p.replace(/\//g, "_")}-${paper}.pdf`);
      await tab.pdf({ path: file, format: paper });
      const bad = [];
      pdfPages(file).forEach((lines, i, all) => {
        const why = i < all.length - 1 && lines.length > 0 && badFoot(lines, heads, titles);
        if (why) bad.push(`page ${i + 1} of ${all.length} ${why}`);
      });
      const name = `${p} printed on ${paper}: no page ends with a heading or an introduction`;
      if (bad.length === 0) console.log("ok - " + name);
      else { failed++; console.log("not ok - " + name); bad.forEach((b) => console.log("#   " + b)); }
    }
  }
  await browser.close();
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.log("not ok - site pages print from Chromium");
  console.log("#   " + e.message);
  process.exit(1);
});
