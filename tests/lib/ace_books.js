// ace_books.js: Ace by DAISY over several EPUBs in one Node process and one
// Chromium, for tests/sh/epub_handouts.sh. Ace's command line checks one
// book per run, each run loading Ace's modules and starting Chromium again;
// here ace-core checks each book in turn with the same axe runner, whose
// browser starts once. Usage:
//   node tests/lib/ace_books.js ACE OUTDIR EPUB...
// ACE is the ace-puppeteer command that `make ace` installs (its modules
// are found beside it). The Nth EPUB's report goes to OUTDIR/N/report.json,
// as `ace -o OUTDIR/N EPUB` writes it; when Ace fails on a book, why goes
// to OUTDIR/N.err and the next book is still checked.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

async function main() {
  const [aceBin, outdir, ...books] = process.argv.slice(2);
  const req = createRequire(fs.realpathSync(aceBin));
  const ace = req('@daisy/ace-core');
  const runner = req('@daisy/ace-axe-runner-puppeteer');
  req('@daisy/ace-logger').initLogger({ verbose: false, silent: true, fileName: 'ace-cli.log' });
  // ace-core launches and closes the runner's browser once per book: the
  // first launch is kept for every book and closed at the end
  let launched = null;
  const shared = Object.create(runner);
  shared.launch = () => launched || (launched = runner.launch());
  shared.close = () => Promise.resolve();
  for (let i = 0; i < books.length; i++) {
    const n = String(i + 1);
    try {
      await ace(books[i], { cwd: process.cwd(), outdir: path.join(outdir, n), silent: true, jobId: '' }, shared);
    } catch (err) {
      const why = (err && err.stack) || String(err);
      fs.writeFileSync(path.join(outdir, n + '.err'), (why || 'Ace failed without a message') + '\n');
    }
  }
  if (launched) await runner.close();
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
