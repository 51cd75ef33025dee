// Optional enhancement: shows each time also in the reader's own time zone,
// and recent times relative to now ("23 min ago"). The page works without it.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var yours = document.body.getAttribute("data-your-time") || "your time";
  var clock = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" });
  var day = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
  var frozen = document.body.getAttribute("data-now");
  var now = frozen ? Date.parse(frozen) : Date.now();
  function ago(ms) {
    var minutes = Math.round(ms / 60000), hours = Math.round(ms / 3600000);
    if (Math.abs(minutes) < 60) return relative.format(minutes, "minute");
    if (Math.abs(hours) < 48) return relative.format(hours, "hour");
    return null;
  }
  var times = document.querySelectorAll("time[datetime]");
  for (var i = 0; i < times.length; i++) {
    var el = times[i], iso = el.getAttribute("datetime");
    var when = new Date(iso);
    if (isNaN(when) || iso.length < 20) continue;
    var m = /([+-])(\d\d):(\d\d)$/.exec(iso);
    var siteOffset = m ? (m[1] === "-" ? -1 : 1) * (m[2] * 60 + +m[3]) : 0;
    var parts = [];
    if (siteOffset !== -when.getTimezoneOffset()) {
      var sameDay = new Date(when.getTime() + siteOffset * 60000).getUTCDate() === when.getDate();
      parts.push((sameDay ? clock : day).format(when) + " " + yours);
    }
    var rel = relative ? ago(when.getTime() - now) : null;
    if (rel) parts.push(rel);
    if (!parts.length) continue;
    var span = document.createElement("span");
    span.className = "local";
    span.textContent = " (" + parts.join(", ") + ")";
    el.parentNode.insertBefore(span, el.nextSibling);
  }
})();
