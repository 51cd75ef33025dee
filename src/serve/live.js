// Live reload for `candor serve`: reloads after a good rebuild, shows errors after a bad one.
(function () {
  "use strict";
  var box = null;
  function show(text) {
    if (!box) {
      box = document.createElement("div");
      box.setAttribute("role", "alert");
      box.id = "candor-errors";
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
        "margin:0;padding:1rem 1.25rem;background:#1f2328;color:#fff;border-top:4px solid #cf222e;" +
        "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "candor: the last save has errors; this page shows the last good build.";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:.75rem 0 0";
    pre.textContent = text;
    box.appendChild(title);
    box.appendChild(pre);
  }
  var source = new EventSource("/__candor/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("errors", function (event) {
    try { show(JSON.parse(event.data).text); } catch (e) { show(String(event.data)); }
  });
})();
