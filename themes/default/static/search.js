/* search.js: client-side search for sheaf sites. The index comes from
   search-index.js (window.SHEAF_SEARCH = {pages: [{t, d, u, b}]}) because
   fetch() of a JSON file fails on file://. Words are matched by prefix; a hit
   in the title counts more than one in the description, which counts more than
   one in the body. Every query word must match somewhere. */
(function () {
  "use strict";

  var data = window.SHEAF_SEARCH || { pages: [] };
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var input = document.getElementById("search-q");
  if (!list || !input) return;
  var root = list.getAttribute("data-root") || "";
  /* Opened from disk, a folder does not open its index.html: the layout
     points the page's own links at it, results are pointed here. */
  var index = window.location.protocol === "file:" ? "index.html" : "";

  function fold(s) {
    return (s || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  function tokens(s) {
    return fold(s).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }
  function unique(a) {
    var seen = Object.create(null), out = [];
    for (var i = 0; i < a.length; i++) if (!seen[a[i]]) { seen[a[i]] = 1; out.push(a[i]); }
    return out;
  }

  var docs = null;
  function prepare() {
    if (docs) return docs;
    docs = data.pages.map(function (p) {
      return { p: p, title: unique(tokens(p.t)), desc: unique(tokens(p.d)), body: unique(tokens(p.b)),
        ftitle: fold(p.t), fbody: fold(p.b) };
    });
    return docs;
  }

  function matches(words, term) {
    for (var i = 0; i < words.length; i++) {
      if (words[i].lastIndexOf(term, 0) === 0) return words[i] === term ? 2 : 1;
    }
    return 0;
  }

  function search(q) {
    var terms = unique(tokens(q));
    if (!terms.length) return [];
    var phrase = fold(q).trim();
    var out = [];
    prepare().forEach(function (d) {
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = matches(d.title, terms[i]) * 10 + matches(d.desc, terms[i]) * 4 + matches(d.body, terms[i]);
        if (!t) return;
        score += t;
      }
      if (terms.length > 1) {
        if (d.ftitle.indexOf(phrase) >= 0) score += 20;
        if (d.fbody.indexOf(phrase) >= 0) score += 5;
      }
      out.push({ d: d, score: score });
    });
    out.sort(function (a, b) { return b.score - a.score || (a.d.p.t < b.d.p.t ? -1 : a.d.p.t > b.d.p.t ? 1 : 0); });
    return out;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* s folded as fold() folds it, with the index in s each folded character
     came from (and s.length at the end): the query words are folded, so they
     are looked for in the folded text and marked in s as it is written
     ("musculo" or "músculo" marks "músculo"). */
  function foldMap(s) {
    var text = "", from = [];
    for (var i = 0; i < s.length;) {
      var ch = String.fromCodePoint(s.codePointAt(i)), f = ch < "\u0080" ? ch.toLowerCase() : fold(ch);
      for (var k = 0; k < f.length; k++) from.push(i);
      text += f;
      i += ch.length;
    }
    from.push(s.length);
    return { text: text, from: from };
  }

  function escapeRe(t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Marks the query words in s (already plain text); returns HTML.
  function highlight(s, terms) {
    if (!terms.length) return escapeHtml(s);
    var m = foldMap(s), re = new RegExp("(^|[^\\p{L}\\p{N}])(" + terms.map(escapeRe).join("|") + ")", "gu");
    var html = "", last = 0, r;
    while ((r = re.exec(m.text))) {
      var a = m.from[r.index + r[1].length], b = m.from[r.index + r[0].length];
      html += escapeHtml(s.slice(last, a)) + "<mark>" + escapeHtml(s.slice(a, b)) + "</mark>";
      last = b;
    }
    return html + escapeHtml(s.slice(last));
  }

  /* About 180 characters of body text around the first query word of the
     page d (its folded body kept for the next query: folding it character
     by character is the slow part of a search). */
  function snippet(d, terms) {
    var p = d.p, body = p.b || "", fb = d.fmap || (d.fmap = foldMap(body)), at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) {
      var m = new RegExp("(^|[^\\p{L}\\p{N}])" + escapeRe(terms[i]), "u").exec(fb.text);
      if (m) at = fb.from[m.index + m[1].length];
    }
    if (at < 0) return p.d || body.slice(0, 180);
    var start = Math.max(0, at - 60), end = Math.min(body.length, start + 180);
    if (start > 0) { var sp = body.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < body.length) { var sp2 = body.lastIndexOf(" ", end); if (sp2 > at) end = sp2; }
    return (start > 0 ? "… " : "") + body.slice(start, end) + (end < body.length ? " …" : "");
  }

  /* the page's language's messages: data-say-* of the results list (the theme's i18n strings) */
  function say(key, fallback, count, q) {
    var t = list.getAttribute("data-say-" + key) || fallback;
    return t.replace("{count}", String(count)).replace("{query}", q);
  }

  function render(q) {
    list.textContent = "";
    q = q.trim();
    if (!q) { status.textContent = say("hint", "Type a word or two to search {count} pages.", data.pages.length, q); return; }
    var results = search(q), terms = unique(tokens(q)), shown = results.slice(0, 50);
    status.textContent = results.length === 0 ? say("none", "No pages match \u201c{query}\u201d.", 0, q)
      : results.length === 1 ? say("one", "1 page matches \u201c{query}\u201d.", 1, q)
      : say("many", "{count} pages match \u201c{query}\u201d.", results.length, q);
    shown.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "search-result";
      var a = document.createElement("a");
      a.href = root + r.d.p.u + (/(^|\/)$/.test(r.d.p.u) ? index : "");
      a.innerHTML = highlight(r.d.p.t, terms);
      var p = document.createElement("p");
      p.innerHTML = highlight(snippet(r.d, terms), terms);
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  render(input.value);

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      render(input.value);
      try {
        var u = new URL(window.location.href);
        if (input.value) u.searchParams.set("q", input.value); else u.searchParams.delete("q");
        window.history.replaceState(null, "", u.toString());
      } catch (e) { /* file:// in some browsers refuses replaceState */ }
    }, 120);
  });
  var form = input.form;
  if (form) form.addEventListener("submit", function (e) { e.preventDefault(); render(input.value); });
})();
