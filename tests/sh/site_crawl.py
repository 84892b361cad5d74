"""site_crawl.py: crawls a served site from its home page, as a visitor's
browser would: every href, src, srcset entry, meta refresh and og:image on
the host, every page, asset and download, once. Absolute addresses under
the site's base_url (canonical, og:image) are followed on the local server.
Prints TAP lines: one per address that does not answer 200, then a
summary; a crawl that fails midway says so as a "not ok" line. An address
with letters outside ASCII (/es/tags/anatomía/) is requested as a browser
requests it, its path in UTF-8, percent-encoded.
usage: site_crawl.py START_URL [BASE_URL]"""
import html.parser
import sys
import urllib.error
import urllib.parse
import urllib.request


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("href", "src"):
            if a.get(k):
                self.urls.append(a[k])
        if a.get("srcset"):
            self.urls += [part.strip().split(" ")[0] for part in a["srcset"].split(",") if part.strip()]
        if tag == "meta" and a.get("property") == "og:image" and a.get("content"):
            self.urls.append(a["content"])
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            content = a.get("content") or ""
            if "url=" in content:
                self.urls.append(content.split("url=", 1)[1])


def main():
    start = sys.argv[1]
    site_base = sys.argv[2] if len(sys.argv) > 2 else None
    host = urllib.parse.urlsplit(start).netloc
    seen, todo, bad, pages = set(), [start], [], 0
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url) as r:
                body = r.read()
                kind = r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            bad.append((url, e.code))
            continue
        if "text/html" not in kind:
            continue
        pages += 1
        p = Links()
        p.feed(body.decode("utf-8", "replace"))
        for u in p.urls:
            full = urllib.parse.urljoin(url, u)
            if site_base and full.startswith(site_base):
                full = start + full[len(site_base):]
            parts = urllib.parse.urlsplit(full)
            if parts.scheme in ("http", "https") and parts.netloc == host:
                path = urllib.parse.quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
                todo.append(urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")))
    for url, code in bad:
        print(f"not ok - {url} answers {code}")
    print(f"{'ok' if not bad else 'not ok'} - crawled {len(seen)} addresses ({pages} pages): {len(bad)} not found")
    return 1 if bad else 0


try:
    sys.exit(main())
except Exception as e:  # a crash is a failed check, not a silent one
    print(f"not ok - crawl stopped: {type(e).__name__}: {e}")
    sys.exit(1)
