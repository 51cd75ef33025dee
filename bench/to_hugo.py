#!/usr/bin/env python3
"""Converts a candor site (site.yaml + incidents/**/*.yaml) into Hugo sites, for benchmarks.

    to_hugo.py cstate SITE_DIR OUT_DIR CSTATE_THEME_DIR
    to_hugo.py bare   SITE_DIR OUT_DIR

`cstate` writes a site for the cState theme (https://github.com/cstate/cstate):
`config.yml` with the components as `params.systems` (their groups as
`categories`), one `content/issues/ID.md` per incident with the front matter
cState reads (title, date, resolved, resolvedWhen, severity, affected,
section: issue, informational for announcements), and the summary, the
updates (newest first, each with cState's `track` shortcode) and the
post-mortem as the Markdown body. `themes/cstate` is a symbolic link to
CSTATE_THEME_DIR.

`bare` writes the smallest Hugo site that renders the same texts: one
template (`layouts/_default/single.html`) and one page per incident, every
other kind of page (home, sections, taxonomies, feeds, sitemap) disabled.

Needs PyYAML (Debian: python3-yaml). Reads only the files candor generate
writes; times are kept in UTC, as cState recommends.
"""

import os
import sys

import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml: slower, same result
    Loader = yaml.SafeLoader


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def incidents(site_dir):
    root = os.path.join(site_dir, "incidents")
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                continue
            yield name.rsplit(".", 1)[0], load(os.path.join(folder, name))


def text(value):
    """A YAML scalar (datetime or string) as written in the source, in UTC with Z."""
    if hasattr(value, "isoformat"):
        s = value.isoformat()
        return s.replace("+00:00", "Z")
    return str(value)


def q(value):
    """A YAML double-quoted string."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def affected_names(incident, names):
    comps = incident.get("components") or []
    ids = list(comps.keys()) if isinstance(comps, dict) else list(comps)
    return [names[i] for i in ids]


def is_resolved(incident):
    if incident.get("resolved_at") is not None:
        return True
    last = max(incident["updates"], key=lambda u: text(u["at"]))
    return last.get("status") in ("resolved", "completed")


def end_time(incident):
    if incident.get("resolved_at") is not None:
        return text(incident["resolved_at"])
    return max(text(u["at"]) for u in incident["updates"])


def severity(incident):
    kind = incident["kind"]
    if kind in ("maintenance", "notice"):
        return "notice"
    if kind == "outage" or incident.get("impact") in ("major", "critical"):
        return "down"
    return "disrupted"


def body(incident, shortcode):
    parts = []
    if incident.get("summary"):
        parts.append(incident["summary"].strip())
    for u in sorted(incident["updates"], key=lambda u: text(u["at"]), reverse=True):
        status = (u.get("status") or "update").replace("_", " ").capitalize()
        at = text(u["at"])
        stamp = '{{< track "%s" >}}' % at if shortcode else "(%s)" % at
        parts.append("*%s* - %s %s" % (status, u["body"].strip(), stamp))
    breach = incident.get("breach")
    if breach:
        parts.append("## Data affected\n\n" + "\n".join("- " + d for d in breach.get("data_affected", [])))
        parts.append("**People affected:** %s" % breach.get("people_affected"))
        parts.append("## What you should do\n\n" + breach.get("what_you_should_do", "").strip())
    pm = incident.get("postmortem")
    if pm:
        for key, title in (
            ("summary", "Post-mortem"),
            ("impact", "Impact"),
            ("root_cause", "Root cause"),
            ("resolution", "Resolution"),
            ("lessons", "Lessons"),
        ):
            if pm.get(key):
                parts.append("## %s\n\n%s" % (title, pm[key].strip()))
        items = pm.get("action_items") or []
        if items:
            parts.append("## Action items\n\n" + "\n".join("- %s (%s)" % (i["text"], i["status"]) for i in items))
    return "\n\n".join(parts) + "\n"


CSTATE_CONFIG = """title: {title}
baseURL: {base_url}
buildFuture: true
languageCode: en
defaultContentLanguage: en
enableGitInfo: false
theme: cstate
preserveTaxonomyNames: true
taxonomies:
  affected: affected
outputs:
  page: [html, json]
  section: [html, json, rss]
  home: [html, json, rss, svg]
  term: [html, json, rss, svg]
outputFormats:
  svg:
    isPlainText: true
    mediaType: image/svg+xml
params:
  enableUptimeHistogram: true
  monitorBot: false
  dateFormat: January 2, 2006 at 3:04 PM
  shortDateFormat: 15:04 — Jan 2
  useRelativeTime: true
  skipSeconds: false
  enableLastMod: true
  useLargeHeaderDesign: false
  incidentHistoryFormat: yearly
  disableIncidentHistory: false
  disableDarkMode: false
  useLogo: false
  description: {description}
  disableComplexCalculations: false
  incidentPostsPerPage: 5
  enableCustomHTML: false
  brand: "#0a0c0f"
  ok: "#008000"
  disrupted: "#cc4400"
  down: "#e60000"
  notice: "#24478f"
  alwaysKeepBrandColor: true
  headerTextColor: white
  googleAnalytics: UA-00000000-1
"""


def cstate(site_dir, out, theme):
    site = load(os.path.join(site_dir, "site.yaml"))
    names = {c["id"]: c["name"] for c in site["components"]}
    groups = []
    for c in site["components"]:
        g = c.get("group") or "Uncategorized"
        if g not in groups:
            groups.append(g)
    os.makedirs(os.path.join(out, "content", "issues"))
    os.makedirs(os.path.join(out, "themes"))
    os.symlink(os.path.abspath(theme), os.path.join(out, "themes", "cstate"))
    with open(os.path.join(out, "config.yml"), "w", encoding="utf-8") as f:
        f.write(
            CSTATE_CONFIG.format(
                title=q(site["title"]), base_url=site.get("base_url", "https://example.test/"),
                description=q(site.get("description", "")),
            )
        )
        f.write("  categories:\n")
        for g in groups:
            f.write("    - name: %s\n" % q(g))
        f.write("  systems:\n")
        for c in site["components"]:
            f.write("    - name: %s\n" % q(c["name"]))
            if c.get("description"):
                f.write("      description: %s\n" % q(c["description"]))
            f.write("      category: %s\n" % q(c.get("group") or "Uncategorized"))
    count = 0
    for ident, inc in incidents(site_dir):
        resolved = is_resolved(inc)
        lines = ["---", "title: %s" % q(inc["title"]), "date: %s" % text(inc["started_at"])]
        lines.append("resolved: %s" % ("true" if resolved else "false"))
        if resolved:
            lines.append("resolvedWhen: %s" % end_time(inc))
        if inc["kind"] == "notice":
            lines.append("informational: true")
        lines.append("severity: %s" % severity(inc))
        lines.append("affected: [%s]" % ", ".join(q(n) for n in affected_names(inc, names)))
        lines.append("section: issue")
        lines.append("---")
        with open(os.path.join(out, "content", "issues", ident + ".md"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n\n" + body(inc, shortcode=True))
        count += 1
    return count


BARE_CONFIG = """title: {title}
baseURL: {base_url}
buildFuture: true
disableKinds: [home, section, taxonomy, term, RSS, sitemap, robotsTXT, "404"]
"""

BARE_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title></head>
<body><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02 15:04 MST" }}</p>{{ .Content }}</body></html>
"""


def bare(site_dir, out):
    site = load(os.path.join(site_dir, "site.yaml"))
    os.makedirs(os.path.join(out, "content", "incidents"))
    os.makedirs(os.path.join(out, "layouts", "_default"))
    with open(os.path.join(out, "config.yml"), "w", encoding="utf-8") as f:
        f.write(BARE_CONFIG.format(title=q(site["title"]), base_url=site.get("base_url", "https://example.test/")))
    with open(os.path.join(out, "layouts", "_default", "single.html"), "w", encoding="utf-8") as f:
        f.write(BARE_TEMPLATE)
    count = 0
    for ident, inc in incidents(site_dir):
        front = "---\ntitle: %s\ndate: %s\n---\n\n" % (q(inc["title"]), text(inc["started_at"]))
        with open(os.path.join(out, "content", "incidents", ident + ".md"), "w", encoding="utf-8") as f:
            f.write(front + body(inc, shortcode=False))
        count += 1
    return count


def main(argv):
    if len(argv) == 5 and argv[1] == "cstate":
        n = cstate(argv[2], argv[3], argv[4])
    elif len(argv) == 4 and argv[1] == "bare":
        n = bare(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    print("converted %d incidents into %s" % (n, argv[3]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
