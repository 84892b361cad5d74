# pdf_artifacts.py PDF: checks, from qpdf's JSON (decoded content streams),
# that every page paints only inside marked content, that each page's
# running header/footer text ("Page N of M") sits inside
# /Artifact <</Type /Pagination>> marked content, and that no other text is an
# artifact. Its own tokenizer, independent of core/pdf_artifact.c. Prints
# "OK ..." or one line per problem.
import base64, json, re, subprocess, sys

# "Page N of M", or the Spanish edition's "Página N de M" (its á is the
# octal escape of the string in the stream, read here as P341gina)
PAGE_N = r"(?:Page|P(?:\\?\d{3}|\S{1,2})gina)\s*%s\s*(?:of|de)\s*\d+"

CONTINUED = 120   # characters of a box's continued line, at most (two lines of a long title)
PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "Tj", "TJ", "'", '"', "EI"}
TOKEN = re.compile(rb"""\s+|%[^\r\n]*|(?P<str>\()|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s()<>\[\]{}/%]*|[^\s()<>\[\]{}/%]+""")

def literal(s, i):
    out, depth = bytearray(), 0
    while i < len(s):
        c = s[i]; i += 1
        if c == 0x5C:
            e = s[i:i + 1]; i += 1
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"(": b"(", b")": b")", b"\\": b"\\"}.get(e, e)
        elif c == 0x28:
            depth += 1
            if depth > 1: out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0: return bytes(out), i
            out.append(c)
        else:
            out.append(c)
    raise ValueError("unterminated string")

def ops(s):
    i, operands = 0, []
    while i < len(s):
        if s[i] == 0x28:
            text, i = literal(s, i)
            operands.append(("str", text)); continue
        m = TOKEN.match(s, i)
        if not m: raise ValueError("cannot tokenize at %d: %r" % (i, s[i:i + 20]))
        tok = m.group(0); i = m.end()
        if tok[:1].isspace() or tok[:1] == b"%": continue
        if tok[:1] in b"<[]>/" or re.fullmatch(rb"[-+.0-9]+|true|false|null", tok):
            operands.append(("tok", tok)); continue
        if tok == b"ID":
            j = s.index(b"EI", i)
            yield "EI", operands; operands = []; i = j + 2; continue
        yield tok.decode("latin1"), operands
        operands = []

def main(path):
    j = json.loads(subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline",
                                   "--decode-level=generalized", "--json-key=pages",
                                   "--json-key=qpdf", path], capture_output=True, text=True).stdout)
    objs = j["qpdf"][1]
    errs, npages, nart = [], 0, 0
    for page in j["pages"]:
        pn = page["pageposfrom1"]; npages += 1
        data = b"".join(base64.b64decode(objs["obj:" + c]["stream"]["data"]) for c in page["contents"])
        stack, art_text, body_text, outside = [], [], [], []
        try:
            for op, args in ops(data):
                if op in ("BMC", "BDC"):
                    kind = args[0][1].decode("latin1")
                    if kind == "/Artifact" and op == "BDC" and b"/Pagination" in b"".join(a[1] for a in args[1:]):
                        kind = "/Artifact/Pagination"
                    stack.append(kind)
                elif op == "EMC":
                    if not stack: raise ValueError("EMC without BMC/BDC")
                    stack.pop()
                elif op in PAINT:
                    text = b"".join(a[1] for a in args if a[0] == "str").decode("latin1")
                    if not stack: outside.append(op)
                    elif "/Artifact/Pagination" in stack: art_text.append(text)
                    elif "/Artifact" in stack:
                        if op in ("Tj", "TJ", "'", '"'): errs.append("page %d: text in a plain /Artifact: %r" % (pn, text))
                    else: body_text.append(text)
            if stack: raise ValueError("marked content left open")
        except ValueError as e:
            errs.append("page %d: %s" % (pn, e)); continue
        if outside:
            errs.append("page %d: %d painting operators outside marked content (%s)" % (pn, len(outside), " ".join(sorted(set(outside)))))
        # a header and footer, and a box's continued line ("... (continued)",
        # pagination too) at the top of each column
        if len("".join(art_text)) > 200 + 2 * CONTINUED:
            errs.append("page %d: %d characters of /Artifact /Pagination text, more than a header and footer: %r"
                        % (pn, len("".join(art_text)), "".join(art_text)[:120]))
        if re.search(PAGE_N % pn, "".join(art_text)): nart += 1
        elif art_text:
            errs.append("page %d: /Artifact /Pagination text without 'Page %d of N': %r" % (pn, pn, "".join(art_text)[:80]))
        if re.search(PAGE_N % r"\d+", "".join(body_text)):
            errs.append("page %d: a page number is in the structure" % pn)
    if nart < npages - 1:
        errs.append("only %d of %d pages have 'Page N of M' inside /Artifact /Pagination" % (nart, npages))
    print("\n".join(errs) if errs else "OK %d pages, header/footer artifacts on %d" % (npages, nart))

main(sys.argv[1])
