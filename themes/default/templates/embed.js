/* candor embed: a banner in your own product while an incident or maintenance
   affects the components or the audience named on the script tag:
     <script src="https://status.example.com/embed.js" data-components="api,payments" async></script>
     <script src="https://status.example.com/embed.js" data-audience="enterprise" async></script>
   Optional: data-lang="fi", data-target="#element-id". It reads the status page's
   own JSON once a minute and makes no other request; every text it shows is set
   as text, and its styles are set through the DOM, so a strict CSP needs only
   script-src and connect-src for the status page. */
(function () {
  "use strict";
  var STRINGS = {{ strings | safe }};
  var DEFAULT = {{ default_lang | safe }};
  var KEY = "candor-embed-dismissed";
  var script = document.currentScript || document.querySelector("script[src*='embed.js']");
  if (!script || !window.fetch) return;
  var widget = script.hasAttribute("data-widget");
  var query = new URLSearchParams(widget ? location.search : "");
  function option(name) {
    return (widget ? query.get(name) : script.getAttribute("data-" + name)) || "";
  }
  var base = new URL(".", script.src);
  var audience = option("audience").trim();
  var wanted = option("components").split(/[\s,]+/).filter(Boolean);
  var lang = option("lang") || (document.documentElement.lang || "").slice(0, 2);
  // Only the site's own languages: `lang="constructor"` must not find Object's.
  if (!Object.prototype.hasOwnProperty.call(STRINGS, lang)) lang = DEFAULT;
  var t = STRINGS[lang];
  if (audience && !/^[a-z0-9][a-z0-9-]*$/.test(audience)) return;
  var source = new URL(audience ? "for/" + audience + "/summary.json" : "api/v2/summary.json", base);
  var host = document.createElement("div");
  host.setAttribute("data-candor-embed", "");
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var region = document.createElement("div");
  region.setAttribute("role", "region");
  region.setAttribute("aria-live", "polite");
  root.appendChild(region);
  var placed = false;

  function place() {
    if (placed) return;
    placed = true;
    var target = option("target") && document.querySelector(option("target"));
    if (target) target.appendChild(host);
    else document.body.insertBefore(host, document.body.firstChild);
  }
  function style(el, rules) {
    for (var k in rules) el.style[k] = rules[k];
    return el;
  }
  function make(tag, text, rules) {
    var el = document.createElement(tag);
    if (text) el.textContent = text;
    return style(el, rules || {});
  }
  function fill(text, name, value) {
    return text.split("{" + name + "}").join(value);
  }
  function dismissed() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function dismiss(item) {
    var all = dismissed();
    all[item.id] = item.status;
    try { localStorage.setItem(KEY, JSON.stringify(all)); } catch (e) { /* private mode: hidden until reload */ }
  }
  function safeLink(link) {
    try {
      var url = new URL(String(link), base);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) { return null; }
  }
  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return "";
    var sameDay = new Date().toDateString() === d.toDateString();
    var parts = sameDay ? { hour: "2-digit", minute: "2-digit" } : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
    return new Intl.DateTimeFormat(lang, parts).format(d);
  }
  function concerns(item) {
    if (audience || !wanted.length) return true;
    var ids = (item.components || []).map(function (c) { return c.id; });
    return !ids.length || ids.some(function (id) { return wanted.indexOf(id) >= 0; });
  }
  function current(summary) {
    var incidents = summary.incidents || [];
    var works = (summary.scheduled_maintenances || []).filter(function (m) {
      return m.status === "in_progress" || m.status === "verifying";
    });
    return incidents.concat(works).filter(concerns);
  }
  function banner(item, maintenance) {
    var box = make("div", "", {
      display: "flex", alignItems: "flex-start", gap: "0.75em", margin: "0", padding: "0.6em 1em",
      background: maintenance ? "#e8f1fb" : "#fff4e0", color: "#1f1f1f",
      borderBottom: "2px solid " + (maintenance ? "#0b5cad" : "#b3470b"),
      font: "15px/1.4 system-ui, sans-serif", textAlign: "left",
    });
    var text = make("p", "", { margin: "0", flex: "1" });
    var status = t.status[item.status] || item.status;
    text.appendChild(make("strong", String(status) + ": "));
    var href = safeLink(item.shortlink);
    var title = make(href ? "a" : "span", String(item.name), { color: "#1f1f1f", textDecoration: "underline" });
    if (href) { title.href = href; title.target = "_top"; title.rel = "noopener"; }
    text.appendChild(title);
    var next = item.candor && item.candor.next_update_by;
    if (next && when(next)) text.appendChild(make("span", " · " + fill(t.next_update, "time", when(next))));
    var close = make("button", "×", {
      font: "inherit", fontSize: "1.25em", lineHeight: "1", background: "transparent", color: "#1f1f1f",
      border: "1px solid currentColor", borderRadius: "4px", padding: "0 0.35em", cursor: "pointer",
    });
    close.type = "button";
    close.setAttribute("aria-label", fill(t.dismiss, "title", String(item.name)));
    close.addEventListener("click", function () {
      dismiss(item);
      box.remove();
      if (!region.querySelector("div")) clear(last);
    });
    box.appendChild(text);
    box.appendChild(close);
    box.setAttribute("data-incident", String(item.id));
    return box;
  }
  var last = null;
  function clear(summary) {
    if (!widget) return;
    var ok = make("p", t.all_clear, { margin: "0", padding: "0.6em 1em", font: "15px/1.4 system-ui, sans-serif", color: "#1f1f1f", background: "#eaf6ec" });
    var href = summary && safeLink(summary.page && summary.page.url);
    if (href) {
      ok.appendChild(document.createTextNode(" "));
      var more = make("a", t.more, { color: "#1f1f1f" });
      more.href = href;
      more.target = "_top";
      ok.appendChild(more);
    }
    region.appendChild(ok);
  }
  function show(summary) {
    last = summary;
    var name = summary.page && summary.page.name ? String(summary.page.name) : "";
    region.setAttribute("aria-label", fill(t.label, "site", name));
    var hidden = dismissed();
    var items = current(summary).filter(function (item) { return hidden[item.id] !== item.status; });
    region.textContent = "";
    items.forEach(function (item) {
      region.appendChild(banner(item, (summary.scheduled_maintenances || []).indexOf(item) >= 0));
    });
    if (!items.length) clear(summary);
    if (items.length || widget) place();
    // For the host page: the banner has been brought up to date (and how many incidents it shows).
    document.dispatchEvent(new CustomEvent("candor:status", { detail: { shown: items.length } }));
  }
  function load() {
    fetch(source.href, { credentials: "omit", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (summary) { if (summary) show(summary); })
      .catch(function () { /* the status page is unreachable: keep what is shown */ });
  }
  function start() {
    load();
    setInterval(load, 60000);
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
