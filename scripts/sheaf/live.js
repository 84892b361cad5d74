// live.js: the live-reload script of `sheaf serve` (scripts/sheaf/serve.lua).
// The server puts it before </body> of every page it serves (never into the
// files `sheaf build` writes). It listens to BASE__sheaf/events: "reload"
// reloads the page, "css" reloads its stylesheets only, "build-error" shows
// the build's error over the page, "clear" takes it away.
(function () {
  "use strict";
  var me = document.currentScript;
  var base = me ? me.src.replace(/__sheaf\/live\.js(\?.*)?$/, "") : "/";
  var box = null;

  function show(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "sheaf-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;top:0;left:0;right:0;max-height:70vh;z-index:2147483647;overflow:auto;" +
        "margin:0;padding:1.5rem;background:#1e1e1e;color:#fff;font:15px/1.5 ui-monospace,monospace;" +
        "border-bottom:4px solid #e5484d;box-shadow:0 4px 24px rgba(0,0,0,.5)";
      var h = document.createElement("p");
      h.textContent = "sheaf serve: the build failed. The page below is the last good build; " +
        "it reloads once the file is fixed.";
      h.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#ffb4a8";
      var pre = document.createElement("pre");
      // every property the site's own stylesheet may give a <pre>
      pre.style.cssText = "margin:0;padding:0;border:0;border-radius:0;box-shadow:none;background:none;" +
        "color:#fff;font:inherit;white-space:pre-wrap;overflow:visible;max-width:none";
      box.appendChild(h);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.lastChild.textContent = text;
  }

  function clear() {
    if (box) box.remove();
    box = null;
  }

  function swapStyles() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href);
      url.searchParams.set("sheaf-live", Date.now().toString(36));
      links[i].href = url.toString();
    }
  }

  var events = new EventSource(base + "__sheaf/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("css", swapStyles);
  events.addEventListener("build-error", function (e) { show(e.data); });
  events.addEventListener("clear", clear);
}());
