#!/bin/sh
# pdf_sheet.sh: the exercise sheets and the large-print handouts as a patient
# gets them, on Letter (sheaf.yaml) and on A4 (the same project with
# pdf.paper a4), both variants:
#   - no raw count of seconds over 90 ("1200 s") anywhere on a sheet, and each
#     exercise's dosage line is the site's, word for word (sheaf.dosage);
#   - each card is whole, in English and in Spanish: the page of its
#     drawing holds its title, dosage line and stop-if box, and in standard
#     print its steps and cautions; in large print (18 pt does not fit a
#     card on one page) they follow on the next page, the last steps and
#     the cautions on a third only when they do not fit the second; the
#     cautions always on the page of the last step (never alone on a
#     page), the steps on one page but for those, and the drawing on the
#     card's first page only; each
#     next page of a card is headed "TITLE: steps" or "TITLE (continued)" (the i18n strings),
#     never with the bare title again, and the card prints its summary
#     once, before its steps;
#   - every card of the bilingual sheet keeps its drawing and its QR codes,
#     on a page with both titles, summaries and stop-if lines, and one that goes on to
#     a second page heads it "TITLE (continued)" in both languages; its
#     drawings are 80% to 140% of the theme's image_height, all about one size;
#   - no page of a sheet, English or Spanish, is more than half empty,
#     except the last and a card's "TITLE (continued)" page: text blocks and drawings cover at least half of its
#     text area (tests/sh/page_fill.py);
#   - no italic or oblique font in any large-print PDF (pdffonts);
#   - every sheet says what the pain scores mean (0 = no pain, 10 = worst
#     pain) in each of its languages, even when page 1 is short of room;
#   - the guide's body runs 60 to 70 characters a line in standard print;
#   - links print where they go: "(page N)" with the right N;
#   - web addresses break only after a '/' or before a '-', '.' and the like;
#   - the tracking grid keeps to one page, each day's heading on one line;
#     in every sheet, a tick box per session (frequency.per_day) a day, a
#     day's boxes on one line, pain cells 12 mm wide or more, and a grid
#     over two pages keeps 2 rows or more on each, under the day headings
#     again, and each of large print's two grids is whole on a page (the
#     fields' /Rect and /P, with qpdf);
#   - every exercise drawing is at least the theme's image_height tall (its
#     Figure's /BBox, the box it was painted in, read with qpdf);
#   - no page of any handout (guides and sheets, standard and large print,
#     English, Spanish, bilingual) holds only an article's QR block: it is
#     kept with the article's last lines, and no address under a QR code is
#     broken over two lines (tests/sh/pdf_qr_pages.py);
#   - every QR code of a large-print sheet, English and Spanish, has its
#     words on its page (pdf.qr_beside or pdf.qr_under);
#   - the Spanish sheet says its translation is not yet reviewed on page 1,
#     in both variants, on both papers, with its title and summary kept
#     there; the bilingual sheet says it on page 1 too;
#   - no sheet's contact block stands alone on a page: it is on the page of
#     its language's disclaimer;
#   - the bilingual guide's contents line up: each entry level with its
#     translation (pdftotext -layout prints both on one line);
#   - page 1 of a large-print sheet says "Large print" ("Letra grande"),
#     a standard one does not;
#   - no text of a sheet under 9 pt (14 in large print), no drawing's
#     label under 9 pt (18 in large print);
#   - tick boxes of 6 mm or more in large print (its week in two grids,
#     days 1 to 4 and 5 to 7), "(0 to 10)" never broken in the pain label;
#   - the bilingual sheet's page 1 gives every dose in both languages, and
#     no sheet's contact block and disclaimer stand on a page without the
#     grid's last rows.
# Page pictures for people to look at go to out/pdf-review/ (pdftoppm).
cd "$(dirname "$0")/../.." || exit 2
. tests/lib/test.sh
tmp=tests/tmp/pdf_sheet
rm -rf "$tmp"
mkdir -p "$tmp"

for tool in pdftotext pdffonts pdfinfo pdftoppm python3; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "ok - pdf sheet checks # skip $tool is not installed"
    exit 0
  fi
done

# the bundled project on Letter, and a copy of it on A4
a4_project "$tmp/a4-project" || { notok "the A4 copy of the project"; exit 1; }
for paper in letter a4; do
  dir=.; [ $paper = a4 ] && dir=$tmp/a4-project
  if "$BIN" build -C "$dir" -o "$tmp/$paper" -q site pdf > "$tmp/$paper.log" 2>&1; then
    ok "$paper: sheaf build site pdf succeeds"
  else
    notok "$paper: sheaf build site pdf succeeds" "$(cat "$tmp/$paper.log")"
    exit 1
  fi
done

cat > "$tmp/margins.lua" <<'EOF'
local theme = dofile("themes/default/pdf/styles.lua")
for _, v in ipairs({ "standard", "large-print" }) do
  local m = theme[v].sheet_margins
  print(v, m.top, m.right, m.bottom, m.left, theme[v].image_height)
end
print("bilingual-image-height", theme.bilingual.image_height)
EOF
BIN=$BIN python3 - "$tmp" <<'EOF' || notok "the sheet checks run to their end" "python3 exited $?"
import glob, html, os, re, subprocess, sys
tmp = sys.argv[1]
def run(*a):
    return subprocess.run(a, capture_output=True, text=True).stdout
def ok(name): print("ok - " + name)
def notok(name, *why):
    print("not ok - " + name)
    for w in why: print("#   " + str(w))
def squash(s): return re.sub(r"\s+", " ", s).strip()

exercises = []
for md in sorted(glob.glob("content/exercises/*.md")):
    # the English sheet: not _index.md, nor a translation (NAME.es.md)
    if md.endswith("_index.md") or re.search(r"\.[a-z][a-z]\.md$", md): continue
    fm = open(md).read().split("\n---", 1)[0]
    title = re.search(r"^title: *\"?(.*?)\"?\s*$", fm, re.M).group(1)
    slug = os.path.basename(md)[:-3]
    exercises.append((slug, title))

# the sheet's text area on the page: the theme's sheet_margins per variant
margins, image_height = {}, {}
bilingual_height = None
for line in run(os.environ.get("BIN", "./sheaf"), "run", os.path.join(tmp, "margins.lua")).splitlines():
    v, *m = line.split()
    if v == "bilingual-image-height": bilingual_height = float(m[0]); continue
    margins["" if v == "standard" else "-" + v] = m[:4]
    image_height["" if v == "standard" else "-" + v] = float(m[4])
if set(margins) != {"", "-large-print"}:
    notok("the theme's sheet margins", "sheaf run margins.lua printed %r" % margins)
    sys.exit(0)

def pages_text(pdf):
    return run("pdftotext", "-layout", pdf, "-").split("\f")[:-1]

def pages_read(pdf):
    """Each page's text in reading order: a two-column page's left column,
    then its right (-layout sets lines of both side by side)."""
    return run("pdftotext", pdf, "-").split("\f")[:-1]

def figures(pdf):
    """(alt text, /BBox) of each Figure structure element, read with qpdf."""
    import json
    raw = json.loads(run("qpdf", "--json", "--json-key=qpdf", pdf))["qpdf"][1]
    objs = {k: v.get("value") for k, v in raw.items() if isinstance(v, dict)}
    def get(v):
        return objs.get("obj:" + v) if isinstance(v, str) and v.endswith(" R") else v
    out = []
    for v in objs.values():
        if isinstance(v, dict) and v.get("/S") == "/Figure":
            a = get(v.get("/A"))
            alt = v.get("/Alt", "")
            alt = alt[2:] if alt.startswith("u:") else alt
            out.append((alt, a.get("/BBox") if isinstance(a, dict) else None))
    return out

def front(md):
    """(front matter, body) of a page."""
    text = open(md, encoding="utf-8").read()
    fm, body = text.split("\n---", 1)
    return fm, body

def card_parts(slug, lang):
    """What a card of exercise slug prints, in lang ("" or ".es"): title,
    drawing's alternate text, first step, first caution, stop-if line."""
    fm, body = front("content/exercises/%s%s.md" % (slug, lang))
    field = lambda k: re.search(r"^%s: *\"?(.*?)\"?\s*$" % k, fm, re.M).group(1)
    warn = re.search(r"^> \[!WARNING\][^\n]*\n((?:>.*\n?)+)", body, re.M)
    step = re.search(r"^1\. +(.*)$", body, re.M)
    run_ = re.search(r"^1\. .*(?:\n\d+\. .*)*", body, re.M)
    steps = re.findall(r"^\d+\. +(.*)$", run_.group(0), re.M) if run_ else []
    caution = re.search(r"^cautions:\n +- +(.*)$", fm, re.M)
    desc = re.search(r"^description: *\"?(.*?)\"?\s*$", fm, re.M)
    need = re.search(r"^equipment: *\[([^],]*)", fm, re.M)
    return {"need": squash(need.group(1))[:20] if need else None,"title": field("title"), "alt": field("image_alt"), "summary": squash(desc.group(1))[:30] if desc else None,
            "step": squash(re.sub(r"[*_`]", "", step.group(1)))[:30] if step else None,
            "caution": squash(caution.group(1))[:30] if caution else None,
            "last": squash(re.sub(r"[*_`]", "", steps[-1]))[:30] if steps else None, "n": len(steps),
            "steps": [squash(re.sub(r"[*_`]", "", t))[:30] for t in steps],
            "stop": squash(re.sub(r"^> ?", "", warn.group(1), flags=re.M))[:40] if warn else None}

def figure_pages(pdf):
    """{alternate text: page number} of each Figure (its /Pg, read with
    qpdf; the first page, for a drawing printed twice)."""
    return {alt: min(pages) for alt, pages in figure_all_pages(pdf).items()}

def i18n_pdf(lang, key):
    """A string of the theme's i18n pdf: table (themes/default/i18n/LANG.yaml)."""
    for l in open("themes/default/i18n/%s.yaml" % (lang or "en"), encoding="utf-8"):
        m = re.match(r'^  %s: *"?(.*?)"?\s*$' % key, l)
        if m: return m.group(1)

def continued_head(lang, title):
    """The "TITLE (continued)" heading, as words.continued makes it: a title
    ending in brackets takes the words inside them ("Arm slide (wall
    slide; continued)")."""
    s = i18n_pdf(lang, "continued").replace("{title}", title)
    inner = s[len(title) + 2:-1] if title.endswith(")") and s.startswith(title + " (") and s.endswith(")") else None
    if inner and "(" not in inner and ")" not in inner: return title[:-1] + "; " + inner + ")"
    return s

def lines_of(pdf):
    return [[l.strip() for l in p.splitlines() if l.strip()] for p in pages_text(pdf)]

def continued_check(c, p, pages, lines, lang):
    """A large-print card from the page of its drawing (p) on: each next
    page it takes (up to its first caution's) is headed "TITLE: steps" or
    "TITLE (continued)" (the i18n strings), no page but p has the bare title
    as a line of its own, and the summary is printed once, before the
    first step (the Spanish ice and heat card repeated its title with the
    summary and cautions after the steps; the English one had none)."""
    lang = lang.strip(".") or "en"
    heads = [squash(i18n_pdf(lang, "steps").replace("{title}", c["title"])), squash(continued_head(lang, c["title"]))]
    where = lambda s: [i + 1 for i, t in enumerate(pages) if s and s in t]
    last = min([n for n in where(c["caution"]) if n >= p] or [p])
    bad = []
    for q in range(p + 1, last + 1):
        if not any(h in pages[q - 1] for h in heads): bad.append("%s: page %d goes on with the card without %r or %r" % (
            c["title"], q, heads[0], heads[1]))
    # (not on the grid's pages, whose rows are the bare titles)
    week = i18n_pdf(lang, "my_week")
    grid = min([i + 1 for i, l in enumerate(lines) if week in l] or [len(pages) + 1])
    for q in range(p + 1, min(last + 2, len(pages) + 1, grid)):
        if c["title"] in lines[q - 1]: bad.append("%s: page %d repeats its bare title" % (c["title"], q))
    if c["summary"]:
        on = [n for n in where(c["summary"]) if n >= p and n <= last + 1]
        step = [n for n in where(c["step"]) if n >= p]
        if len(on) != 1: bad.append("%s: its summary %r is on pages %r of the card, not once" % (c["title"], c["summary"], on))
        elif step and (on[0] > step[0] or on[0] == step[0] and
                       pages[on[0] - 1].find(c["summary"]) > pages[on[0] - 1].find(c["step"])):
            bad.append("%s: its summary (page %d) comes after its first step (page %d)" % (c["title"], on[0], step[0]))
    return bad

def steps_check(c, p, pages, figs_on, lang):
    """A large-print card's steps start on the page after its drawing's
    (p) and are all on it, but on a card of three pages, whose last
    steps go on with its cautions under "TITLE (continued)" (p + 2); neither
    the steps page nor a "TITLE (continued)" page after it has the drawing
    again: a drawing repeated on the steps page pushed the English ice and
    heat card's steps 3 to 7 (Letter) onto a third page, and one repeated
    under "(continued)" was taken by a reader for another exercise."""
    where = lambda s: [i + 1 for i, t in enumerate(pages) if s and s in t and i + 1 > p]
    first, last = where(c["step"]), where(c["last"])
    cont = squash(continued_head(lang.strip(".") or "en", c["title"]))
    bad = []
    third = p + 2 <= len(pages) and cont in squash(pages[p + 1])
    if not first or not last or first[0] != p + 1 or last[0] not in ((p + 1, p + 2) if third else (p + 1,)):
        bad.append("%s: steps 1 to %s on pages %s to %s, not on page %d%s" % (
            c["title"], c["n"], first[:1], last[:1], p + 1, " and its '(continued)' page" if third else ""))
    if p + 1 in figs_on:
        bad.append("%s: its steps page (%d) has the drawing again" % (c["title"], p + 1))
    if p + 2 <= len(pages) and cont in squash(pages[p + 1]) and p + 2 in figs_on:
        bad.append("%s: its page %d, under %r, has the drawing again" % (c["title"], p + 2, cont))
    return bad

def figure_all_pages(pdf):
    """{alternate text: every page number} of each Figure."""
    import json
    doc = json.loads(run("qpdf", "--json", "--json-key=qpdf", "--json-key=pages", pdf))
    order = {p["object"]: i + 1 for i, p in enumerate(doc["pages"])}
    out = {}
    for v in doc["qpdf"][1].values():
        v = v.get("value") if isinstance(v, dict) else None
        if isinstance(v, dict) and v.get("/S") == "/Figure" and v.get("/Pg") in order:
            alt = v.get("/Alt", "")
            out.setdefault(alt[2:] if alt.startswith("u:") else alt, set()).add(order[v["/Pg"]])
    return out

def card_check(pdf, name, out, lang, variant):
    """Each card is whole: the page of its drawing (its Figure's /Pg, the
    first when a card repeats it) holds its title, dosage line (the
    site's) and stop-if box; in standard print its steps and cautions too.
    Large print, whose 18 pt text does not fit a card on one page, sets the
    steps and cautions on the next page, the last steps and the cautions
    on the one after when they do not fit there: the cautions always on
    the page of the last step."""
    pages = [squash(p) for p in pages_text(pdf)]
    read = [squash(p) for p in pages_read(pdf)]
    figs = figure_pages(pdf)
    bad, cont_bad, steps_bad, order_bad, care_bad = [], [], [], [], []
    all_figs = figure_all_pages(pdf) if variant else {}
    flat_read = re.sub(r"(\w-) (\w)", r"\1\2", " ".join(read))
    for slug, _ in exercises:
        c = card_parts(slug, lang)
        # "Take care" in one place on every card: after the steps (large
        # print set the arm slide's and tennis ball's before them, beside
        # the drawing, and the other cards' after)
        if c["caution"] and c["last"]:
            # (from the card's first step on: another card's caution may
            # open with the same 30 characters)
            at_s = flat_read.find(c["step"])
            at_c, at_l = flat_read.find(c["caution"], at_s), flat_read.find(c["last"], at_s)
            if at_s < 0 or at_c < 0 or at_l < 0 or at_c < at_l:
                order_bad.append("%s: first caution at %d, last step at %d" % (c["title"], at_c, at_l))
        # and in large print what you need on the steps' page, heading the
        # steps (it went under the dosage, before the stop-if box, on the
        # cards where that grew the drawing)
        if variant and c["need"] and c["stop"] and c["step"]:
            at_stop = flat_read.find(c["stop"][:30])
            at_need = flat_read.find(c["need"], at_stop)
            if at_stop < 0 or at_need < 0 or at_need > flat_read.find(c["step"], at_stop):
                order_bad.append("%s: what you need (%r at %d) is not between the stop-if box (%d) and the steps"
                                 % (c["title"], c["need"], at_need, at_stop))
        site = os.path.join(out, "site", "es" if lang else "", "exercises", slug, "index.html")
        m = re.search(r'<p class="exercise-dosage">(.*?)</p>', open(site, encoding="utf-8").read(), re.S)
        dose = squash(html.unescape(re.sub(r"<[^>]*>", "", m.group(1)))) if m else None
        p = min((n for alt, n in figs.items() if alt.startswith(c["alt"][:40])), default=None)
        if not p: bad.append("%s: its drawing %r is on no page" % (c["title"], c["alt"][:40])); continue
        where = lambda s: [i + 1 for i, t in enumerate(pages) if s and s in t]
        off = []
        if c["title"] not in pages[p - 1]: off.append("its title")
        # (in reading order too: a dose beside the drawing, as the ice and
        # heat card's, wraps among its labels in -layout's lines)
        if not dose or (dose not in pages[p - 1] and dose not in read[p - 1]):
            off.append("its dosage line (pages %s)" % where(dose))
        if not c["stop"] or c["stop"] not in pages[p - 1]: off.append("its stop-if box (pages %s)" % where(c["stop"]))
        for piece in ("step", "caution"):
            on = [n for n in where(c[piece]) if n >= p]
            if c[piece] and (not on or on[0] > (p if not variant else p + (1 if piece == "step" else 2))):
                off.append("its first %s (pages %s)" % (piece, on))
        if off: bad.append("%s: the page of its drawing (%d) lacks %s" % (c["title"], p, ", ".join(off)))
        # "Take care" on the page of the last step: a third page holding
        # only the cautions and the QR code read as a warning cut off from
        # its exercise (the English ice and heat card on Letter, three
        # Spanish cards on both papers)
        care, last = [n for n in where(c["caution"]) if n >= p], [n for n in where(c["last"]) if n >= p]
        if c["caution"] and c["last"] and (not care or not last or care[0] != last[0]):
            care_bad.append("%s: its cautions on page %s, its last step on page %s" % (c["title"], care[:1], last[:1]))
        if variant: cont_bad += continued_check(c, p, pages, lines_of(pdf), lang)
        if variant and c["step"]:
            on = set().union(*[v for alt, v in all_figs.items() if alt.startswith(c["alt"][:40])])
            # (no figure found by its alt text: the check below would see
            # no drawing anywhere and pass for nothing)
            if not on: steps_bad.append("%s: no figure with its drawing's alt text" % c["title"])
            steps_bad += steps_check(c, p, pages, on, lang)
    n = "%s: each card's title, drawing, dosage and stop-if box are on one page%s" % (
        name, "" if variant else ", steps and cautions too")
    if bad: notok(n, *bad)
    else: ok(n + " (%d cards)" % len(exercises))
    n = "%s: each card's cautions follow its last step%s" % (name, ", what you need heads its steps" if variant else "")
    if order_bad: notok(n, *order_bad)
    else: ok(n)
    n = "%s: each card's cautions are on the page of its last step, never alone on a page" % name
    if care_bad: notok(n, *care_bad)
    else: ok(n)
    if variant:
        n = ("%s: a card on more than one page heads each next one 'TITLE: steps' or 'TITLE (continued)', never its "
             "bare title, and prints its summary once, before its steps" % name)
        if cont_bad: notok(n, *cont_bad)
        else: ok(n)
        n = "%s: each card's steps are on one page, its drawing on its first page only" % name
        if steps_bad: notok(n, *steps_bad)
        else: ok(n)

def fill_check(pdf, name, margins, lang=""):
    """How full each page is: the share of its text area that text blocks
    and drawings cover (page_fill.py), not just how low the lowest ink is,
    which a card's frame or a box at the foot satisfies. A card's third
    page, under "TITLE (continued)", may be: it holds what the steps page had
    no room for, and filling it moved steps over a page turn, or printed
    the drawing again, which a reader took for another exercise."""
    fills = run("python3", "tests/sh/page_fill.py", pdf, *margins).split()
    fills = [int(fills[i + 1]) for i in range(0, len(fills), 2)]
    inner = i18n_pdf(lang.strip(".") or "en", "continued").replace("{title}", "").strip().strip("()")
    cont = re.compile(r"^\s*\S.*(\(|;\s)" + re.escape(inner) + r"\)\s*$", re.M)
    texts = pages_text(pdf)
    last_of_card = {k for k, t in enumerate(texts) if cont.search(t)}
    empty = ["page %d is %d%% empty" % (k + 1, 100 - f) for k, f in enumerate(fills[:-1])
             if f < 50 and k not in last_of_card]
    name_fill = "%s: no page but the last is more than half empty (%d pages: %s%% filled)" % (
        name, len(fills), " ".join(str(f) for f in fills))
    if not fills: notok(name + ": no page but the last is more than half empty", "page_fill.py measured nothing")
    elif empty: notok(name_fill, *empty)
    else: ok(name_fill)

def page_lows(pdf):
    """Per page: (width, height, the lowest text line's bottom above the
    footer, the text area's bottom), in points from the top (pdftotext
    -bbox-layout); the footer is what stands under the text area."""
    out = run("pdftotext", "-bbox-layout", pdf, "-")
    return [(float(w), float(h), [float(y) for y in re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)"', body)])
            for w, h, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)]

def grow_check(pdf, name, m, lang):
    """Large print: a card's drawing grows into its page (issue 14: "the
    drawing grows to use the space"): under the card's last line there
    is no more room than its frame's padding and a margin (26 pt), unless
    the drawing is as large as it may be (55% of the text area's height,
    three quarters of its width, or the card's width). The arm slide's
    drawing printed at 133 pt on Letter with 63 pt free under its card,
    its cautions beside it while the steps' page had room for them.
    And a card on three pages shares its steps so that its steps page is
    no more than a third empty under its last line (the Spanish ice and
    heat card's steps page was 36-37% empty before its last three steps:
    the split asked the third page to be the taller) unless its third
    opens with no more than the last two steps, which go on with the
    cautions there (the Spanish tennis ball card's steps page is 37% to
    41% empty before its last two), and its third no more than half
    empty (every page's rule: all the steps on one page leave the Spanish
    card's third, its cautions and QR code, 42% empty on Letter, its
    drawing not fitting there)."""
    top, right, bottom, left = (float(x) for x in m)
    lows, bad, seen, sizes, on = page_lows(pdf), [], set(), [], figure_pages(pdf)
    for alt, box in figures(pdf):
        if alt.startswith(("QR code", "C\u00f3digo QR")) or not box: continue
        pg = on.get(alt)
        if alt in seen or pg is None: continue
        seen.add(alt)
        w, h, ys = lows[pg - 1]
        foot = h - bottom
        free = foot - max([y for y in ys if y < foot] or [top])
        aw, ah = w - left - right, foot - top
        dw, dh = box[2] - box[0], box[3] - box[1]
        largest = dh >= min(0.75 * aw, 0.55 * ah) - 6 or dw >= aw - 30
        sizes.append("%.0f pt" % dh)
        if free > 26 and not largest:
            bad.append("page %d: %r is %.0f pt tall with %.0f pt free under its card" % (pg, alt[:40], dh, free))
    # three-page cards: the page before one headed "TITLE (continued)"
    texts = pages_text(pdf)
    for slug, _ in exercises:
        c = card_parts(slug, lang)
        head = squash(continued_head(lang.strip(".") or "en", c["title"]))
        for i, t in enumerate(texts):
            if i and head in squash(t):
                # (the steps the third page opens with)
                moved = sum(1 for st in c["steps"] if st in squash(t))
                for k in (i - 1, i):
                    w, h, ys = lows[k]
                    foot = h - bottom
                    free = (foot - max([y for y in ys if y < foot] or [top])) / (foot - top)
                    if free > (1 / 3 if k == i - 1 and moved > 2 else 1 / 2):
                        bad.append("page %d of %s's three: %.0f%% empty under its last line" % (k + 1, c["title"], 100 * free))
                    sizes.append("%s p%d %.0f%% empty" % (c["title"][:12], k + 1, 100 * free))
    n = "%s: each drawing grows into the free space of its card's page, and a card on three pages shares its steps" % name
    if bad: notok(n, *bad)
    else: ok(n + " (drawings %s)" % ", ".join(sizes))

def per_day(md):
    """(title, tick boxes a day) of an exercise page: frequency.per_day, its
    max when a range (sheaf.dosage.sessions_per_day)."""
    fm = front(md)[0]
    title = re.search(r"^title: *\"?(.*?)\"?\s*$", fm, re.M).group(1)
    m = re.search(r"per_day: *(?:(\d+)|\{[^}]*?(?:max|min): *(\d+))", fm)
    return title, int(m.group(1) or m.group(2)) if m else 1

sessions = {}
for slug, _ in exercises:
    en, n = per_day("content/exercises/%s.md" % slug)
    es, _ = per_day("content/exercises/%s.es.md" % slug)
    sessions[en] = sessions[es] = sessions["%s / %s" % (en, es)] = n

def box_of(name, k, n):
    """A tick box's place in its name in the handout's language(s): the
    i18n box_of string ("{k} of {n}", "{k} de {n}"), both for a bilingual
    sheet ("1 of 2 / 1 de 2")."""
    langs = ["en", "es"] if name.endswith(".en-es") else ["es"] if name.endswith(".es") else ["en"]
    return " / ".join(i18n_pdf(l, "box_of").replace("{k}", str(k)).replace("{n}", str(n)) for l in langs)

def grid_check(pdf, name):
    """The grid's form fields (qpdf): check boxes named "ROW, DAY[, k of n]"
    (the place in the handout's language: "1 de 2" in Spanish), pain cells
    "PAIN LABEL, DAY"; each with its /Rect and page."""
    import json
    doc = json.loads(run("qpdf", "--json", "--json-key=qpdf", "--json-key=pages", pdf))
    order = {p["object"]: i + 1 for i, p in enumerate(doc["pages"])}
    boxes, pain, places = {}, [], {}
    for v in doc["qpdf"][1].values():
        v = v.get("value") if isinstance(v, dict) else None
        if not isinstance(v, dict) or v.get("/FT") not in ("/Btn", "/Tx"): continue
        tu = v.get("/TU", "")
        tu = tu[2:] if tu.startswith("u:") else tu
        m = re.match(r"^(.*), ((?:Day|D\u00eda) \d(?: / D\u00eda \d)?)(?:, (.+))?$", tu)
        if not m: continue
        where = (v["/Rect"], order.get(v.get("/P")))
        if v["/FT"] == "/Btn":
            boxes.setdefault((m.group(1), m.group(2)), []).append(where)
            places.setdefault((m.group(1), m.group(2)), []).append(m.group(3))
        else: pain.append((m.group(1), where))
    # each box's place, in the sheet's language (they said "1 of 2" in the
    # Spanish sheets: pdf_table.c's English)
    named = []
    for key, got in sorted(places.items()):
        n = len(got)
        want = sorted(box_of(name, k, n) for k in range(1, n + 1)) if n > 1 else [None]
        if sorted(got, key=str) != sorted(want, key=str):
            named.append("%s, %s: boxes named %r, not %r" % (key[0], key[1], sorted(got, key=str), want))
    n = "%s: each of a day's tick boxes is named by its place in the sheet's language (%r)" % (name, box_of(name, 1, 2))
    if named: notok(n, *named[:4])
    else: ok(n)
    # the boxes are big enough to tick: 6 mm in large print (about 4 mm
    # before), 3.5 mm in standard print
    least = 6 if "large-print" in name else 3.5
    sizes = sorted(set(round(min(r[2] - r[0], r[3] - r[1]) / 72 * 25.4, 1) for got in boxes.values() for r, _ in got))
    n = "%s: every tick box is %g mm or more" % (name, least)
    if not sizes or sizes[0] < least - 0.05: notok(n, "boxes of %s mm" % sizes)
    else: ok(n + " (%s mm)" % "/".join("%.1f" % x for x in sizes))
    # ... and in large print a day's boxes are 2 mm apart or more, clear of
    # their 0.9 pt lines (three 6 mm boxes a day were 1.85 mm apart from
    # rectangle to rectangle, 1.5 mm between their lines: they read as one)
    if "large-print" in name:
        gaps = []
        for (row, day), got in sorted(boxes.items()):
            xs = sorted(r for r, _ in got)
            gaps += [((b[0] - a[2] - 0.9) / 72 * 25.4, row, day) for a, b in zip(xs, xs[1:])]
        n = "%s: a day's tick boxes are 2 mm apart or more (clear of their lines)" % name
        close = ["%s, %s: %.2f mm" % (r, d, g) for g, r, d in sorted(gaps) if g < 2 - 0.005]
        if not gaps: notok(n, "no day has more than one box")
        elif close: notok(n, *close[:4])
        else: ok(n + " (%.2f mm)" % min(g for g, _, _ in gaps))
    bad, rows, days_on = [], {}, {}
    for (row, day), got in sorted(boxes.items()):
        for _, page in got: days_on.setdefault(page, set()).add(day)
        want = sessions.get(row)
        if want is None: bad.append("%r: no exercise has this title" % row); continue
        if len(got) != want: bad.append("%s, %s: %d tick boxes for %d sessions a day" % (row, day, len(got), want))
        ys = sorted(set(round(r[1], 1) for r, _ in got))
        if len(ys) > 1: bad.append("%s, %s: its %d boxes are on %d lines" % (row, day, len(got), len(ys)))
        rows.setdefault(got[0][1], set()).add(row)
    days = set(d for _, d in boxes)
    if len(days) != 7: bad.append("tick boxes for %d days, not 7: %r" % (len(days), sorted(days)))
    if len(set(r for r, _ in boxes)) != len(exercises):
        bad.append("tick boxes for %d rows, not %d" % (len(set(r for r, _ in boxes)), len(exercises)))
    narrow = ["%s: %.1f mm wide" % (label, (r[2] - r[0]) / 72 * 25.4) for label, (r, _) in pain
              if r[2] - r[0] < 12 / 25.4 * 72 - 0.01]
    if len(pain) != 7: bad.append("%d pain cells, not 7" % len(pain))
    for _, (r, page) in pain: rows.setdefault(page, set()).add("pain")
    pages = pages_text(pdf)
    if len(rows) > 1:
        for page, on in sorted(rows.items()):
            if len(on) < 2: bad.append("page %d holds %d row of the grid" % (page, len(on)))
            lack = [d for d in sorted(days_on.get(page, ()))
                    if d.split(" / ")[0] not in re.sub(r"\s+", " ", pages[page - 1])]
            if lack: bad.append("page %d has grid rows without the day headings %r" % (page, lack))
    # each of large print's two grids (days 1 to 4, 5 to 7) whole on one
    # page: the second ran over two pages in every large-print sheet, on
    # both papers, and then in the Spanish one on Letter, 2 rows + 6 (its
    # second grid, the disclaimer and the contact block are taller than a
    # page: the grid keeps to itself, and they follow it)
    if "large-print" in name:
        parts = {}
        for (row, day), got in boxes.items():
            first = int(re.search(r"\d", day).group(0)) <= 4
            parts.setdefault(first, set()).update(page for _, page in got)
        n = "%s: each grid of the week (days 1 to 4, 5 to 7) is whole on one page" % name
        split = ["days %s on pages %s" % ("1 to 4" if k else "5 to 7", sorted(v)) for k, v in sorted(parts.items()) if len(v) > 1]
        if split or len(parts) != 2: notok(n, *(split or ["grids found: %d" % len(parts)]))
        else: ok(n + " (pages %s)" % ", ".join(str(min(v)) for _, v in sorted(parts.items(), reverse=True)))
    n = "%s: the tracking grid has a box per session a day, each day's on one line, pain cells 12 mm wide or more" % name
    n += ", on %s" % ("pages %s, 2 rows or more on each, under the headings" % sorted(rows) if len(rows) > 1 else "one page")
    if bad or narrow: notok(n, *(bad + narrow))
    else: ok(n + " (%d rows; pain cells %.1f mm)" % (len(set(r for r, _ in boxes)),
                                                    min((r[2] - r[0]) for _, (r, _) in pain) / 72 * 25.4))

for paper in ("letter", "a4"):
    out = os.path.join(tmp, paper)
    for variant in ("", "-large-print"):
        pdf = os.path.join(out, "pdf", "exercise-sheet%s.pdf" % variant)
        name = "%s exercise-sheet%s" % (paper, variant)
        pages = pages_text(pdf)
        flat = squash(" ".join(pages))
        raw = re.findall(r"\b(\d+) ?(?:s|sec|secs|seconds)\b", flat)
        big = [n for n in raw if int(n) > 90]
        if big: notok(name + ": no raw count of seconds over 90", "found: " + ", ".join(big))
        else: ok(name + ": no raw count of seconds over 90")
        # the site's dosage line, word for word
        bad, broken = [], []
        lines = [squash(l) for p in pages for l in p.splitlines()]
        for slug, title in exercises:
            page = open(os.path.join(out, "site", "exercises", slug, "index.html")).read()
            m = re.search(r'<p class="exercise-dosage">(.*?)</p>', page, re.S)
            if not m: bad.append("%s: no dosage line on the site" % slug); continue
            want = squash(html.unescape(re.sub(r"<[^>]*>", "", m.group(1))))
            if want not in flat: bad.append("%s: %r not in the PDF" % (slug, want))
            # a line breaks between the dose's parts, never inside one
            # ("... 3 times a day, every" / "day")
            for part in want.split(" \u00b7 "):
                if not any(part in l for l in lines): broken.append("%s: %r broken over two lines" % (slug, part))
        if bad: notok(name + ": each dosage line is the site's", *bad)
        else: ok(name + ": each dosage line is the site's (%d exercises)" % len(exercises))
        if broken: notok(name + ": no part of a dose is broken over two lines", *broken)
        else: ok(name + ": no part of a dose is broken over two lines")
        # each card keeps its summary, the exercise's description (what it
        # is for): a card dropped it to grow its drawing (tennis ball,
        # Letter) and the ice and heat card had none on the standard sheet
        read = re.sub(r"(\w-) (\w)", r"\1\2", squash(" ".join(pages_read(pdf))))
        lost = []
        for slug, title in exercises:
            fm = front("content/exercises/%s.md" % slug)[0]
            desc = re.search(r"^description: *\"?(.*?)\"?\s*$", fm, re.M)
            if desc and squash(desc.group(1)) not in read:
                lost.append("%s: lost %r" % (title, squash(desc.group(1))))
        if lost: notok(name + ": each card prints its summary", *lost)
        else: ok(name + ": each card prints its summary (%d exercises)" % len(exercises))
        # large print: the summary under its title on the page of the drawing
        # (the arm slide's went to its steps' page for 12 pt more drawing);
        # English: Spanish cards may need the second page for their summary
        if variant:
            figs, read_pages, away = figure_pages(pdf), [squash(p) for p in pages_read(pdf)], []
            for slug, title in exercises:
                c = card_parts(slug, "")
                p = min((n for alt, n in figs.items() if alt.startswith(c["alt"][:40])), default=None)
                if p and c["summary"] and c["summary"] not in read_pages[p - 1]:
                    away.append("%s: %r is not on page %d, its drawing's" % (title, c["summary"], p))
            n = name + ": each card's summary is on the page of its drawing"
            if away: notok(n, *away)
            else: ok(n)
            # every code has its caption, in English and in Spanish: the
            # codes set beside the dose had none (Spanish arm slide and
            # tennis ball on Letter, arm slide on A4; English ice and heat
            # on Letter), and a code alone reads as decoration
            for lang in ("", ".es"):
                lpdf = os.path.join(out, "pdf", "exercise-sheet%s%s.pdf" % (variant, lang))
                lread = [squash(p) for p in pages_read(lpdf)]
                words = [squash(i18n_pdf(lang[1:], k).replace("\\'", "'")) for k in ("qr_beside", "qr_under")]
                codes = [(int(l.split()[0]), int(l.split()[12])) for l in run("pdfimages", "-list", lpdf).splitlines()[2:]]
                bare = ["page %d: a code (%d ppi) and no %r" % (q, x, words[1][:40]) for q, x in codes
                        if not any(w in lread[q - 1] for w in words)]
                n = "%s%s: every QR code has its caption on its page" % (name, lang)
                if bare or not codes: notok(n, *(bare or ["no QR code found"]))
                else: ok(n + " (%d codes, ppi %s)" % (len(codes), " ".join(str(x) for _, x in codes)))
        # each card whole: its title, drawing, dosage and stop-if box on one
        # page, English and Spanish (cards(): below)
        for lang in ("", ".es"):
            card_check(os.path.join(out, "pdf", "exercise-sheet%s%s.pdf" % (variant, lang)),
                       "%s exercise-sheet%s%s" % (paper, variant, lang), out, lang, variant)
        # the tracking grid: on one page, each day's heading on one line (in
        # large print, whose 6 mm boxes three a day do not fit seven day
        # columns, days 1 to 4 then 5 to 7, from the page of its heading on);
        # "Pain score (0 to 10)" never broken inside "0 to 10"
        grid = [p for p in pages if "My week" in [l.strip() for l in p.splitlines()]]
        at = [i for i, p in enumerate(pages) if "My week" in [l.strip() for l in p.splitlines()]]
        n = name + ": the tracking grid is on one page, its day headings each on one line"
        if variant:
            n = name + ": the tracking grid (days 1 to 4, then 5 to 7) has its day headings each on one line"
        if len(grid) != 1 or "Pain score" not in grid[0]:
            notok(n, "pages with 'My week': %d; 'Pain score' on it: %s" % (len(grid), grid and "Pain score" in grid[0]))
        elif not variant and not re.search(r"Day 1\s+Day 2\s+Day 3\s+Day 4\s+Day 5\s+Day 6\s+Day 7", grid[0]):
            notok(n, "no line 'Day 1 ... Day 7'; heading row reads: %r" % [l for l in grid[0].splitlines() if "Day" in l][:3])
        elif variant and not (re.search(r"Day 1\s+Day 2\s+Day 3\s+Day 4\n", grid[0]) and
                              re.search(r"Day 5\s+Day 6\s+Day 7\n", "\n".join(pages[at[0]:]))):
            notok(n, "no lines 'Day 1 ... Day 4' and 'Day 5 ... Day 7': %r" % [l for l in grid[0].splitlines() if "Day" in l][:3])
        else: ok(n)
        # a grid that starts a page says whose week goes on there (large
        # print's days 5 to 7 began page 18 as a table without a title)
        if variant and at:
            later = [i for i, p in enumerate(pages) if i > at[0] and re.search(r"Day 5\s+Day 6\s+Day 7\n", p)]
            cont = squash(continued_head("en", "My week"))
            n = name + ": the grid's days 5 to 7, on a page of their own, are headed %r" % cont
            if not later: notok(n, "no page after %d with 'Day 5 Day 6 Day 7'" % (at[0] + 1))
            elif cont not in squash(pages[later[0]]): notok(n, "page %d reads: %r" % (later[0] + 1, squash(pages[later[0]])[:120]))
            else: ok(n)
        lines = [l for p in pages[at[0]:] for l in p.splitlines()] if at else []
        n = name + ": the grid's pain label keeps '(0 to 10)' on one line"
        if any(re.search(r"\(0\s+to\s+10\)", l) for l in lines): ok(n)
        else: notok(n, "its lines: %r" % [l.strip() for l in lines if "Pain" in l or "10)" in l][:3])

        # the drawings' size: the box each was painted in (qpdf's reading of
        # the Figure's /BBox), the QR codes aside
        drawings = [(alt, box) for alt, box in figures(pdf) if not alt.startswith("QR code")]
        least = image_height[variant]
        small = ["%r is %s" % (alt[:50], "%.1f pt tall" % (box[3] - box[1]) if box else "without a /BBox")
                 for alt, box in drawings if not box or box[3] - box[1] < least - 0.01]
        n = "%s: every exercise drawing is at least %g pt tall (%d drawings, the Figure /BBox)" % (
            name, least, len(drawings))
        if len(drawings) < len(exercises): notok(n, "found %d drawings for %d exercises" % (len(drawings), len(exercises)))
        elif small: notok(n, *small)
        else: ok(n + ": %s" % " ".join("%.0f" % (b[3] - b[1]) for _, b in drawings))

        fill_check(pdf, name, margins[variant])
        if variant:
            for lang in ("", ".es"):
                grow_check(os.path.join(out, "pdf", "exercise-sheet%s%s.pdf" % (variant, lang)),
                           "%s exercise-sheet%s%s" % (paper, variant, lang), margins[variant], lang)
        # the Spanish sheet, whose doses and steps run longer: its program
        # ran onto a nearly empty page 2, and its large-print cards left a
        # few lines on pages of their own
        fill_check(os.path.join(out, "pdf", "exercise-sheet%s.es.pdf" % variant),
                   "%s exercise-sheet%s.es" % (paper, variant), margins[variant], ".es")

    # the Spanish sheet's title and summary (sheaf.yaml's translations:),
    # and the first words of each language's disclaimer
    yaml = open("sheaf.yaml", encoding="utf-8").read()
    block = yaml[yaml.index("  - id: exercise-sheet"):]
    es_sheet = {k: re.search(r"^        %s: *(.*?)\s*$" % k, block, re.M).group(1) for k in ("title", "description")}
    disclaimer = {"en": squash(re.search(r"^disclaimer: >-\n((?:  .*\n)+)", yaml, re.M).group(1))[:30],
                  "es": squash(re.search(r"^    disclaimer: >-\n((?:      .*\n)+)", yaml, re.M).group(1))[:30]}
    # the tracking grid of every sheet: one tick box per session
    # (frequency.per_day a day), all of a day's boxes on one line (three
    # broke 2 + 1 in large print's day columns), pain cells at least 12 mm
    # wide; a grid over two pages keeps 2 rows or more on each, under the
    # day headings again
    for name in ("exercise-sheet", "exercise-sheet.es", "exercise-sheet-large-print",
                 "exercise-sheet-large-print.es", "exercise-sheet.en-es"):
        grid_check(os.path.join(out, "pdf", name + ".pdf"), "%s %s" % (paper, name))

    # the translation's review: on page 1 of the Spanish sheet, where a
    # reader looks first (it was on the last page on Letter, page 1 on A4)
    sentence = [l.split(":", 1)[1].strip() for l in open("themes/default/i18n/es.yaml", encoding="utf-8")
                if l.startswith("  translation_not_reviewed:")][0]
    for variant in ("", "-large-print"):
        pages = [squash(p) for p in pages_text(os.path.join(out, "pdf", "exercise-sheet%s.es.pdf" % variant))]
        where = [i + 1 for i, p in enumerate(pages) if sentence in p]
        n = "%s exercise-sheet%s.es: page 1 says a clinician has not yet reviewed the translation" % (paper, variant)
        if where[:1] == [1]: ok(n)
        else: notok(n, "%r is on pages %r" % (sentence, where))
        # ... and keeps the sheet's title and summary for it (the summary
        # was left out to make room: Letter standard, large print on both)
        n = "%s exercise-sheet%s.es: page 1 holds the title, the summary and the review sentence" % (paper, variant)
        # page 1 without its running head (the first line), which has the title too
        first = squash(pages_text(os.path.join(out, "pdf", "exercise-sheet%s.es.pdf" % variant))[0].strip().split("\n", 1)[-1])
        missing = [k for k, t in (("title", es_sheet["title"]), ("summary", es_sheet["description"]),
                                  ("review sentence", sentence)) if t not in first]
        if missing: notok(n, "page 1 lacks the " + ", the ".join(missing), "page 1 reads: %r" % first[:300])
        else: ok(n)
    # the bilingual sheet: the review sentence on page 1 too (it was on the
    # last page only, with the contact blocks)
    pages = [squash(p) for p in pages_read(os.path.join(out, "pdf", "exercise-sheet.en-es.pdf"))]
    where = [i + 1 for i, p in enumerate(pages) if sentence in p]
    n = "%s exercise-sheet.en-es: page 1 says a clinician has not yet reviewed the translation" % paper
    if where[:1] == [1]: ok(n)
    else: notok(n, "%r is on pages %r" % (sentence, where))
    # the bilingual sheet: every card keeps its drawing (the ice and heat
    # card's was left out to keep it on one page, both papers); the page of
    # the drawing has both titles and both stop-if lines, and a card that
    # goes on to the next page heads it "TITLE (continued)" in both languages
    pdf = os.path.join(out, "pdf", "exercise-sheet.en-es.pdf")
    pages, figs, bad = [squash(p) for p in pages_read(pdf)], figure_pages(pdf), []
    for slug, _ in exercises:
        a, b = card_parts(slug, ""), card_parts(slug, ".es")
        p = min((n for alt, n in figs.items() if alt.startswith(a["alt"][:40])), default=None)
        if not p: bad.append("%s: its drawing %r is on no page" % (a["title"], a["alt"][:40])); continue
        # (and both one-line summaries, what the exercise is for: the
        # doorway stretch's, both papers, and the hip flexor stretch's, A4,
        # were left out to keep their cards on one page)
        off = [k + (" (es)" if x is b else " (en)") for k in ("title", "summary", "stop") for x in (a, b)
               if x[k] and x[k] not in pages[p - 1]]
        if off: bad.append("%s: the page of its drawing (%d) lacks its %s" % (a["title"], p, ", ".join(off)))
        step = [n for n in range(p, len(pages) + 1) if a["step"] and a["step"] in pages[n - 1]][:1]
        if step and step[0] != p:
            heads = [squash(continued_head(l, x["title"])) for l, x in (("en", a), ("es", b))]
            lack = [h for h in heads if h not in pages[step[0] - 1]]
            if step[0] != p + 1 or lack:
                bad.append("%s: its steps go on to page %d without %r" % (a["title"], step[0], lack or heads))
    # page 1's program gives each exercise's dose, in both languages, as
    # the one-language sheets' does (it gave titles and pages only)
    first = squash(pages_read(pdf)[0])
    lack = []
    for slug, _ in exercises:
        for lang in ("", "es"):
            site = os.path.join(out, "site", lang, "exercises", slug, "index.html")
            m = re.search(r'<p class="exercise-dosage">(.*?)</p>', open(site, encoding="utf-8").read(), re.S)
            dose = squash(html.unescape(re.sub(r"<[^>]*>", "", m.group(1)))) if m else None
            if not dose or dose not in first: lack.append("%s%s: %r" % (slug, lang and " (es)", dose))
    n = "%s exercise-sheet.en-es: page 1's program gives every exercise's dose in both languages" % paper
    if lack: notok(n, *lack[:6])
    else: ok(n + " (%d doses)" % (2 * len(exercises)))
    n = "%s exercise-sheet.en-es: every card keeps its drawing, with both titles, summaries and stop-if lines, " \
        "and a card on two pages says '(continued)' in both languages" % paper
    if bad: notok(n, *bad)
    else: ok(n + " (%d cards)" % len(exercises))
    # ... and its two QR codes: a page printing a card's addresses prints
    # their codes (the arm slide's card gave them up to stay on one page,
    # Letter, its addresses printed with no code)
    per_page = {}
    for l in run("pdfimages", "-list", pdf).splitlines()[2:]:
        per_page[int(l.split()[0])] = per_page.get(int(l.split()[0]), 0) + 1
    bare = []
    for i, text in enumerate(pages, 1):
        shown = len(set(re.findall(r"upper-back/(?:es/)?h/PT-\d+/", text)))
        if shown and per_page.get(i, 0) < shown:
            bare.append("page %d: %d addresses, %d codes" % (i, shown, per_page.get(i, 0)))
    n = "%s exercise-sheet.en-es: every card's address has its QR code on its page" % paper
    if bare or not per_page: notok(n, *(bare or ["no QR code found"]))
    else: ok(n + " (%d codes)" % sum(per_page.values()))
    # ... and its drawings at about one size: 80% to 140% of the theme's
    # image_height (bilingual.lua's LADDER and GROW). A drawing at half size
    # was 1.5 cm tall (the tennis ball's, Letter) beside another filling
    # half a page (the arm slide's): for a reader who reads little, the
    # drawing is the instruction.
    heights = [(alt, box[3] - box[1]) for alt, box in figures(pdf) if box and not alt.startswith(("QR", "Código QR"))]
    least, most = 0.8 * (bilingual_height or 0), 1.4 * (bilingual_height or 0)
    off = ["%r is %.1f pt tall" % (alt[:40], h) for alt, h in heights if h < least - 0.01 or h > most + 0.01]
    n = "%s exercise-sheet.en-es: every drawing is %g to %g pt tall" % (paper, least, most)
    if not bilingual_height or len(heights) < len(exercises):
        notok(n, "theme's bilingual image_height %r, %d drawings for %d exercises" % (
            bilingual_height, len(heights), len(exercises)))
    elif off: notok(n, *off)
    else: ok(n + ": %s" % " ".join("%.0f" % h for _, h in heights))
    # no sheet's contact block is alone on a page: a page with a language's
    # contact block holds its disclaimer too (Letter's bilingual p10 held
    # only the two contact blocks, A4's the Spanish one)
    contact = {"en": "Questions? Contact us", "es": "\u00bfTiene preguntas?"}
    for name, langs in (("exercise-sheet", ["en"]), ("exercise-sheet.es", ["es"]), ("exercise-sheet-large-print", ["en"]),
                        ("exercise-sheet-large-print.es", ["es"]), ("exercise-sheet.en-es", ["en", "es"])):
        pages = [squash(p) for p in pages_read(os.path.join(out, "pdf", name + ".pdf"))]
        bad = []
        for lang in langs:
            on = [i for i, p in enumerate(pages) if contact[lang] in p]
            if not on: bad.append("no page has the %s contact block (%r)" % (lang, contact[lang]))
            bad += ["page %d has the %s contact block without its disclaimer (%r...)" % (i + 1, lang, disclaimer[lang])
                    for i in on if disclaimer[lang] not in pages[i]]
            # ... and the grid's last rows: the bilingual sheet's Letter p11
            # held only the two disclaimers and contact blocks. Only the
            # last page may, when the page before ends the grid (its pain
            # row; the grid check above holds each grid whole on a page):
            # together they are taller than a page (Spanish large print on
            # Letter)
            def whole_before(i):
                return i == len(pages) - 1 and i > 0 and re.search(r"Pain score|Nivel de dolor", pages[i - 1])
            bad += ["page %d holds the %s contact block and disclaimer but none of the grid" % (i + 1, lang)
                    for i in on if not re.search(r"Pain score|Nivel de dolor", pages[i]) and not whole_before(i)]
        n = "%s %s: each contact block is on a page with its disclaimer and the grid's last rows, never alone" % (
            paper, name)
        if bad: notok(n, *bad)
        else: ok(n)

    # the bilingual guide's contents, line for line: each article's title and
    # each of its sections level with the translation's (the k-th with the
    # k-th), which pdftotext -layout then prints on one line
    def entries(md):
        text = open(md, encoding="utf-8").read()
        fm, body = text.split("\n---", 1)
        title = re.search(r"^title: *\"?(.*?)\"?\s*$", fm, re.M).group(1)
        heads = [re.sub(r"[*_`]", "", h) for h in re.findall(r"^## +(.*?)\s*$", body, re.M)]
        return [title] + heads
    lines = []
    for p in pages_text(os.path.join(out, "pdf", "patient-guide.en-es.pdf"))[1:4]:
        if lines or "Contents" in p: lines += p.splitlines()
    def line_of(text, after):
        key = text[:22]
        for i in range(after, len(lines)):
            if key in lines[i]: return i
        return None
    bad, rows, at = [], 0, 0
    # the guide's articles in the handout's order (sheaf.yaml's include)
    guide = re.search(r"- id: patient-guide\n(.*?)\n  - id:", open("sheaf.yaml").read(), re.S).group(1)
    for rel in re.findall(r"^ +- (guide/[\w-]+)\.md$", guide, re.M):
        en, md = "content/%s.md" % rel, "content/%s.es.md" % rel
        for a, b in zip(entries(en), entries(md)):
            i, j = line_of(a, at), line_of(b, at)
            rows += 1
            if i is None or j is None: bad.append("%r or %r not in the contents" % (a, b))
            elif i != j: bad.append("%r and %r are %d lines apart" % (a, b, j - i))
            else: at = i
    n = "%s patient-guide.en-es: the contents' entries are level with their translations (%d rows)" % (paper, rows)
    if len(bad) > 6: bad = bad[:6] + ["... and %d more" % (len(bad) - 6)]
    if bad or not rows: notok(n, *(bad or ["no rows found"]))
    else: ok(n)

    # large print: no italics
    for pdf in sorted(glob.glob(os.path.join(out, "pdf", "*-large-print.pdf"))):
        fonts = run("pdffonts", pdf).splitlines()[2:]
        slanted = [l.split()[0] for l in fonts if re.search(r"italic|oblique", l, re.I)]
        n = "%s %s: no italic or oblique font (pdffonts)" % (paper, os.path.basename(pdf))
        if slanted: notok(n, *slanted)
        else: ok(n)

    # the guide's measure: body lines of 60 to 70 characters
    pdf = os.path.join(out, "pdf", "patient-guide.pdf")
    lens = []
    for p in pages_text(pdf)[3:]:
        for line in p.splitlines():
            l = line.strip()
            if len(l) > 45 and not re.match(r"^(\u2022|\d+\.|Upper Back|Example)", l): lens.append(len(l))
    lens.sort()
    med = lens[len(lens) // 2] if lens else 0
    if 58 <= med <= 72: ok("%s patient-guide: full body lines are about 65 characters (median %d)" % (paper, med))
    else: notok("%s patient-guide: full body lines are 60 to 70 characters" % paper, "median %d" % med)

    # no heading is left alone at the foot of a page, in either variant
    heads = set()
    for md in glob.glob("content/guide/*.md"):
        if re.search(r"\.[a-z][a-z]\.md$", md): continue
        for line in open(md):
            m = re.match(r"^#{2,4} +(.*?)\s*$", line)
            if m: heads.add(re.sub(r"[*_`]", "", m.group(1)))
    for v in ("", "-large-print"):
        stranded = []
        for i, p in enumerate(pages_text(os.path.join(out, "pdf", "patient-guide%s.pdf" % v))):
            lines = [l.strip() for l in p.splitlines() if l.strip()]
            body = [l for l in lines if not re.match(r"^(Upper Back Spasms.*Page \d+ of \d+|Page \d+ of \d+)$", l)
                    and not l.startswith("Upper Back Spasms: A Patient Guide")]
            if body and body[-1] in heads: stranded.append("page %d ends with %r" % (i + 1, body[-1]))
        n = "%s patient-guide%s: no heading alone at the foot of a page" % (paper, v)
        if stranded: notok(n, *stranded)
        else: ok(n)

    # links to other articles print their page, and it is the right page
    pages = pages_text(pdf)
    refs = []
    for i, p in enumerate(pages):
        for m in re.finditer(r"([A-Z][^()\n]{3,40}?) \((?:\u201c[^\u201d]*\u201d, )?page (\d+)\)", squash(p)):
            refs.append((i + 1, int(m.group(2))))
    bad = [r for r in refs if not (1 <= r[1] <= len(pages))]
    if not refs: notok(paper + " patient-guide: links print (page N)", "none found")
    elif bad: notok(paper + " patient-guide: links print (page N)", "pages out of range: %r" % bad)
    else: ok("%s patient-guide: %d links print (page N) with a page of the guide" % (paper, len(refs)))
EOF

# the "(page N)" of the link to when-to-see-a-doctor is the page that article starts on
python3 - "$tmp/letter/pdf/patient-guide.pdf" <<'EOF'
import re, subprocess, sys
pages = subprocess.run(["pdftotext", sys.argv[1], "-"], capture_output=True, text=True).stdout.split("\f")
start = [i + 1 for i, p in enumerate(pages) if i > 2 and "When to see a doctor" in [l.strip() for l in p.splitlines()]]
text = re.sub(r"\s+", " ", " ".join(pages))
got = set(int(n) for n in re.findall(r"when to see a doctor \(page\xa0?\s?(\d+)\)", text, re.I))
if start and got and got == {start[0]}:
    print("ok - a link to an article prints the page it starts on (%d)" % start[0])
else:
    print("not ok - a link to an article prints the page it starts on")
    print("#   article starts on %r, links say %r" % (start, sorted(got)))
EOF

# a web address printed in a PDF breaks only after a '/' or before a '-',
# '.', '_', '?', '#', '&', '=' or '~', so that no line ends with a piece of
# it that reads as a hyphenated word or a sentence's end (pdftotext -raw
# keeps the hyphen at a line's end); every handout, both papers
python3 - "$tmp" <<'EOF'
import glob, os, re, subprocess, sys
tmp = sys.argv[1]
urls = set()
for f in glob.glob("content/**/*.md", recursive=True) + ["published-urls.txt"]:
    for u in re.findall(r"https?://[^\s)\"'<>\]]+", open(f).read()):
        u = u.rstrip(".,;")
        urls.add(u)
        urls.add(re.sub(r"^https?://(www\.)?", "", u))
def in_url(s): return any(s in u for u in urls)
for paper in ("letter", "a4"):
    for pdf in sorted(glob.glob(os.path.join(tmp, paper, "pdf", "*.pdf"))):
        lines = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True).stdout.splitlines()
        bad, breaks = [], 0
        for a, b in zip(lines, lines[1:]):
            ta, tb = (a.split() or [""])[-1].lstrip("("), (b.split() or [""])[0].rstrip(").,")
            if not ta or not tb or not re.search(r"[/.]", ta) or not in_url(ta + tb): continue
            if not in_url(ta) or not in_url(tb): continue
            breaks += 1
            if not (ta.endswith("/") or tb[0] in "-._?#&=~") or tb[0] in "-._?#&=~" and ta[-1] in "/-._?#&=~":
                bad.append("%s | %s" % (ta, tb))
        name = "%s %s: web addresses break only after / or before - . _ ? # & = ~ (%d breaks)" % (
            paper, os.path.basename(pdf), breaks)
        if bad:
            print("not ok - " + name)
            for x in bad: print("#   " + x)
        else:
            print("ok - " + name)
EOF

# page 1 of a large-print sheet says "Large print" ("Letra grande"), as a
# large-print guide's cover does (pdf.large_print_edition); a standard one
# does not. And no text is small: in standard print nothing under 9 pt (the
# ice and heat clock's labels were 8 pt, the cards' QR addresses 7.7 to
# 8.8 pt), in large print nothing under 14 pt and no drawing's label under
# 18 pt (the sizes pdf_guide.sh holds the guides to). A word's size is its
# box's height over its font's ascender plus descender: Noto Sans for the
# text, DejaVu Sans for the drawings' labels (their SVGs' font).
python3 - "$tmp" <<'EOF'
import glob, os, re, sys
sys.path.insert(0, "tests/sh")
import pdf_guide_pages as gp
tmp = sys.argv[1]
def squash(s): return re.sub(r"\s+", " ", s).strip()
def i18n_pdf(lang, key):
    for l in open("themes/default/i18n/%s.yaml" % lang, encoding="utf-8"):
        m = re.match(r'^  %s: *"?(.*?)"?\s*$' % key, l)
        if m: return m.group(1)
labels = set()
for svg in glob.glob("content/**/*.svg", recursive=True):
    for t in re.findall(r"<text\b[^>]*>(.*?)</text>", open(svg, encoding="utf-8").read(), re.S):
        labels.update(re.sub(r"<[^>]+>", " ", t).split())
DEJAVU = 1.164  # DejaVu Sans: (ascender + descender) / size
for paper in ("letter", "a4"):
    for pdf in sorted(glob.glob(os.path.join(tmp, paper, "pdf", "exercise-sheet*.pdf"))):
        base = os.path.basename(pdf)[:-4]
        name = "%s %s" % (paper, base)
        large = "large-print" in base
        pages = gp.pages_of(pdf)
        first = squash(" ".join(w[1] for l in pages[0][2] for w in l[4])) if pages else ""
        langs = ["en", "es"] if base.endswith(".en-es") else ["es"] if base.endswith(".es") else ["en"]
        edition = [i18n_pdf(l, "large_print_edition") for l in langs]
        said = [e for e in edition if e in first]
        if large:
            n = "%s: page 1 says %s" % (name, " / ".join(repr(e) for e in edition))
            if len(said) == len(edition): print("ok - " + n)
            else: print("not ok - " + n + "\n#   page 1 reads: %r" % first[:200])
        else:
            n = "%s: page 1 of a standard-print sheet does not say large print" % name
            if said: print("not ok - " + n + "\n#   it says %r" % said)
            else: print("ok - " + n)
        # which end of the pain scale is worst, in each language, whatever
        # page 1 had room for (the grid's page says it where it is used)
        whole = squash(" ".join(w[1] for p in pages for l in p[2] for w in l[4]))
        scale = {"en": "0 = no pain, 10 = worst pain", "es": "0 = sin dolor, 10 = el peor dolor"}
        n = "%s: the sheet says what the pain scores mean (%s)" % (name, " / ".join(scale[l] for l in langs))
        missing = [scale[l] for l in langs if scale[l] not in whole]
        if missing: print("not ok - " + n + "\n#   missing: %r" % missing)
        else: print("ok - " + n)
        text_min, label_min = (14, 18) if large else (9, 9)
        bad, least = [], {}
        for i, (_, _, lines) in enumerate(pages, 1):
            for l in lines:
                for size, word, _ in l[4]:
                    if not re.search(r"\w", word): continue
                    label = word in labels
                    if label: size = size * gp.EM / DEJAVU
                    want = label_min if label else text_min
                    kind = "label" if label else "text"
                    least[kind] = min(least.get(kind, 99), size)
                    if size < want - 0.25:
                        bad.append("page %d: %s %r at %.1f pt (at least %d)" % (i, kind, word, size, want))
        n = "%s: no text under %d pt, no drawing's label under %d pt" % (name, text_min, label_min)
        if bad: print("not ok - " + n + "".join("\n#   " + b for b in bad[:8]) +
                      ("\n#   ... and %d more" % (len(bad) - 8) if len(bad) > 8 else ""))
        else: print("ok - %s (smallest: %s)" % (n, ", ".join("%s %.1f pt" % kv for kv in sorted(least.items()))))
EOF

# the QR block that closes an article is on the page of its last lines,
# and the address under a code is never broken
python3 tests/sh/pdf_qr_pages.py "$tmp"/letter/pdf/*.pdf "$tmp"/a4/pdf/*.pdf

# pages for people to look at
mkdir -p out/pdf-review
for paper in letter a4; do
  for id in exercise-sheet exercise-sheet-large-print; do
    pdftoppm -r 30 -png "$tmp/$paper/pdf/$id.pdf" "out/pdf-review/$paper-$id"
  done
done
exit 0
