"""i18n_links.py: checks a built site of several languages from its files.
Every href and src of every page that stays on the site leads to a file;
every page under LANG/ says <html lang="LANG"> and the others the default's;
every hreflang link leads to a page that says that language and links back
with the page's own language. Prints TAP lines. usage: i18n_links.py SITE
BASE_URL DEFAULT_LANG LANG..."""
import html.parser
import os
import sys
import urllib.parse


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.alternates, self.lang = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates.append((a["hreflang"], a["href"]))
        for k in ("href", "src"):
            if a.get(k):
                self.urls.append(a[k])


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def target(site, page_rel, url, base):
    """The file under site a URL of page page_rel leads to, or None when it
    leaves the site."""
    base_path = urllib.parse.urlsplit(base).path
    if url.startswith(base):
        rel = url[len(base):]
    elif url.startswith(base_path):
        rel = url[len(base_path):]
    elif urllib.parse.urlsplit(url).scheme or url.startswith("//") or url.startswith("#"):
        return None
    else:
        rel = os.path.normpath(os.path.join(os.path.dirname(page_rel), url.split("#")[0].split("?")[0]))
        if rel == ".":
            rel = ""
    path = os.path.join(site, urllib.parse.unquote(rel))
    if os.path.isdir(path):
        path = os.path.join(path, "index.html")
    return path


def main():
    site, base, default, langs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    pages = {}
    for d, _, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                rel = os.path.relpath(os.path.join(d, f), site)
                pages[rel] = parse(os.path.join(site, rel))
    broken, wrong_lang, bad_pairs, pairs = [], [], [], 0
    for rel, p in sorted(pages.items()):
        for u in p.urls:
            t = target(site, rel, u, base)
            if t and not os.path.exists(t):
                broken.append("%s: %s" % (rel, u))
        top = rel.split("/")[0]
        want = top if top in langs else default
        if p.lang != want and not rel.startswith("h/") and "/h/" not in rel:
            wrong_lang.append("%s: lang=%r, want %r" % (rel, p.lang, want))
        for hl, href in p.alternates:
            t = target(site, rel, href, base)
            if not t or not os.path.exists(t):
                bad_pairs.append("%s: hreflang %s %s leads nowhere" % (rel, hl, href))
                continue
            other = pages[os.path.relpath(t, site)]
            if other.lang != hl:
                bad_pairs.append("%s: hreflang %s leads to a page with lang=%r" % (rel, hl, other.lang))
            elif not any(l == p.lang and target(site, os.path.relpath(t, site), h, base) ==
                         os.path.join(site, rel) for l, h in other.alternates):
                bad_pairs.append("%s: %s does not link back with hreflang %s" % (rel, href, p.lang))
            else:
                pairs += 1
    for name, bad in (("every link and source on the site leads to a file", broken),
                      ("every page's <html lang> is its language's", wrong_lang),
                      ("every hreflang link leads to its language's page, which links back", bad_pairs)):
        if bad:
            print("not ok - %s" % name)
            for b in bad[:20]:
                print("#   %s" % b)
        else:
            print("ok - %s" % name)
    print("# %d pages, %d hreflang links" % (len(pages), pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
