-- pdf_in_book_words.lua: a theme's `pdf.in_book_at` without `{url}` (a
-- translator's "(en «{book}»)") prints the title alone, as a theme without
-- in_book_at does (docs/pdf.md); it stopped the pdf format with "attempt to
-- index a nil value" from words.lua. Builds the bundled project's PDFs with
-- such a Spanish string and reads the Spanish guide back.
local t = dofile("tests/lib/t.lua")

local BIN = t.bin()
local DIR = "tests/tmp/pdf_in_book_words"

t.test("an in_book_at without {url} prints the handout's title alone, and the build goes on", function()
  t.sh("rm -rf " .. DIR .. " && mkdir -p " .. DIR .. "/p/themes/default/i18n && cp -r content sheaf.yaml "
    .. "glossary.yaml glossary.es.yaml translations " .. DIR .. "/p/")
  local f = assert(io.open(DIR .. "/p/themes/default/i18n/es.yaml", "w"))
  f:write('pdf:\n  in_book_at: " (en «{book}»)"\n')
  f:close()
  local out, rc = t.sh(BIN .. " build -q -C " .. DIR .. "/p -o " .. DIR .. "/out pdf")
  t.eq(rc, 0, "exit status; output:\n" .. out)
  local text = t.sh("pdftotext " .. DIR .. "/out/pdf/patient-guide.es.pdf - | tr -s ' \\n' '  '")
  t.ok(text:find("(en «Ejercicios", 1, true), "the sheet named by its title:\n" .. text:sub(1, 400))
  t.ok(not text:find("/h/exercise-sheet/", 1, true), "no address where the theme's words have none")
end)
