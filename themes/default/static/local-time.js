// Optional enhancement; every page works without it. It shows each time also
// in the reader's own time zone, keeps relative times ("23 min ago") and the
// promised next update ("due in 5 min", "overdue by 3 min") current as the
// minutes pass, and, once a minute, asks this site's own status API whether
// the page has changed since it was opened, offering the latest when it has.
(function () {
  "use strict";
  var body = document.body;
  var lang = document.documentElement.lang || "en";
  var yours = body.getAttribute("data-your-time") || "your time";
  var clock = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" });
  var day = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
  var frozen = body.getAttribute("data-now");
  // A frozen page (an archive, a demo) shows its own moment, not the reader's clock.
  function now() { return frozen ? Date.parse(frozen) : Date.now(); }
  function ago(ms) {
    var minutes = Math.round(ms / 60000), hours = Math.round(ms / 3600000);
    if (Math.abs(minutes) < 60) return relative.format(minutes, "minute");
    if (Math.abs(hours) < 48) return relative.format(hours, "hour");
    return null;
  }
  function unit(n, u) {
    try { return new Intl.NumberFormat(lang, { style: "unit", unit: u, unitDisplay: "short" }).format(n); }
    catch (e) { return n + " " + u; }
  }
  function span(ms) {
    var minutes = Math.max(0, Math.round(ms / 60000));
    if (minutes < 60) return unit(minutes, "minute");
    var hours = Math.floor(minutes / 60), rest = minutes % 60;
    return rest ? unit(hours, "hour") + " " + unit(rest, "minute") : unit(hours, "hour");
  }
  var locals = [];
  function times() {
    var all = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < all.length; i++) {
      var el = all[i], iso = el.getAttribute("datetime");
      var when = new Date(iso);
      if (isNaN(when) || iso.length < 20) continue;
      var m = /([+-])(\d\d):(\d\d)$/.exec(iso);
      var siteOffset = m ? (m[1] === "-" ? -1 : 1) * (m[2] * 60 + +m[3]) : 0;
      var zone = "";
      if (siteOffset !== -when.getTimezoneOffset()) {
        var sameDay = new Date(when.getTime() + siteOffset * 60000).getUTCDate() === when.getDate();
        zone = (sameDay ? clock : day).format(when) + " " + yours;
      }
      var local = document.createElement("span");
      local.className = "local";
      el.parentNode.insertBefore(local, el.nextSibling);
      locals.push({ el: local, when: when.getTime(), zone: zone });
    }
  }
  var dues = document.querySelectorAll("[data-due]");
  var dueIn = body.getAttribute("data-due-in"), overdue = body.getAttribute("data-overdue");
  function tick() {
    var t = now();
    for (var i = 0; i < locals.length; i++) {
      var l = locals[i], parts = [];
      if (l.zone) parts.push(l.zone);
      var rel = relative ? ago(l.when - t) : null;
      if (rel) parts.push(rel);
      l.el.textContent = parts.length ? " (" + parts.join(", ") + ")" : "";
    }
    if (frozen) return;
    for (var j = 0; j < dues.length; j++) {
      var d = dues[j], left = Date.parse(d.getAttribute("data-due")) - t;
      if (isNaN(left) || !dueIn || !overdue) continue;
      d.textContent = left >= 0 ? dueIn.replace("{left}", span(left)) : overdue.replace("{by}", span(-left));
      var asOf = d.parentNode.querySelector(".as-of");
      if (asOf) asOf.hidden = true;
    }
  }
  var updated = body.getAttribute("data-updated"), api = body.getAttribute("data-api");
  var told = false;
  function check() {
    if (told || frozen || !updated || !api || !window.fetch || location.protocol === "file:") return;
    fetch(api, { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (status) {
      var latest = status && status.page && status.page.updated_at;
      if (!latest || latest === updated || Date.parse(latest) <= Date.parse(updated)) return;
      told = true;
      var note = document.createElement("p");
      note.className = "superseded";
      note.setAttribute("role", "status");
      note.textContent = body.getAttribute("data-superseded") || "";
      var link = document.createElement("a");
      link.href = location.href.split("#")[0];
      link.textContent = body.getAttribute("data-reload") || "Reload";
      note.appendChild(link);
      body.insertBefore(note, body.firstChild);
    }).catch(function () {});
  }
  times();
  tick();
  if (!frozen) {
    setInterval(function () { tick(); check(); }, 60000);
  }
})();
