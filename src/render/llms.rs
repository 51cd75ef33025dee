//! The site for machines and assistants: `llms.txt`, and Markdown versions of
//! the front page, of each audience's front page and of each current
//! incident, made from the same views as the pages, so a support bot answers
//! "is it down for me?" from the same source as the people reading.
//!
//! Plain text is escaped so it stays text; Markdown bodies are passed on
//! through [`crate::markdown::to_markdown`], without raw HTML and with the
//! site's own links resolved for the file they are in.

use std::fmt::Write as _;

use super::context::{Formatter, ReaderRef};
use crate::files::OutFile;
use crate::markdown::{escape_inline as esc, to_markdown};
use crate::paths::{Place, root_of};
use crate::views::Phase;

/// The heading level Markdown bodies start at in these files.
const BODY_HEADING: u8 = 4;

/// The way from the file at `place` to the site root: the absolute base URL when there is one.
fn root(fmt: &Formatter<'_>, place: Place<'_>) -> String {
    if fmt.paths.is_absolute() { fmt.paths.absolute("") } else { root_of(&fmt.paths.file(place)) }
}

/// A link from the file at `from` to `to`.
fn link(fmt: &Formatter<'_>, from: Place<'_>, to: Place<'_>) -> String {
    format!("{}{}", root(fmt, from), fmt.paths.url(to).trim_start_matches(&fmt.paths.absolute("")))
}

/// The phases the front pages list, with their headings, in order.
const SECTIONS: [(Phase, &str); 4] = [
    (Phase::Active, "index.active"),
    (Phase::InProgress, "index.maintenance"),
    (Phase::Upcoming, "index.maintenance"),
    (Phase::Announced, "index.notices"),
];

/// One current incident in a list: its title linked to its Markdown version, its facts, its latest words.
fn item(fmt: &Formatter<'_>, from: Place<'_>, i: usize, reader: Option<ReaderRef>, out: &mut String) {
    let (inc, v) = (&fmt.model.incidents[i], &fmt.views.incidents[i]);
    let cx = fmt.incident(i);
    let t = fmt.locale;
    let _ = writeln!(out, "### [{}]({})\n", esc(&cx.title), link(fmt, from, Place::IncidentMarkdown(&inc.id)));
    facts(fmt, i, out);
    if let Some(reader) = reader {
        advice(fmt, i, reader, from, out);
    }
    if let Some(u) = v.shown_updates.checked_sub(1) {
        let latest = crate::markdown::to_plain(inc.updates[u].body.0.get(fmt.lang));
        let when = fmt.time(inc.updates[u].at).text;
        let _ = writeln!(out, "{} ({}): {}\n", esc(t.get("index.latest_update")), esc(&when), esc(&latest));
    }
}

/// An incident's facts as a list: status, impact, start, components, audiences, the promised next update, its page.
fn facts(fmt: &Formatter<'_>, i: usize, out: &mut String) {
    let (inc, v) = (&fmt.model.incidents[i], &fmt.views.incidents[i]);
    let cx = fmt.incident(i);
    let t = fmt.locale;
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(out, "- {}: {}", esc(t.get(label)), value);
    };
    line("incident.status", &esc(&cx.status_label));
    line("incident.kind", &esc(&cx.kind_label));
    if inc.kind.is_incident() {
        line("incident.impact", &esc(&cx.impact_label));
    }
    if let (Some(s), Some(e)) = (&cx.window_start, &cx.window_end) {
        line("incident.window", &format!("{} – {}", esc(&s.text), esc(&e.text)));
    } else {
        line("incident.started", &esc(&cx.started.text));
    }
    let components: Vec<String> =
        cx.components.iter().map(|a| format!("{} ({})", esc(&a.name), esc(&a.status_label.to_lowercase()))).collect();
    let none = t.get("incident.no_components").to_owned();
    line("incident.components", &if components.is_empty() { none.clone() } else { components.join(", ") });
    if !fmt.model.site.audiences.is_empty() {
        let reached: Vec<String> =
            fmt.views.reach[i].iter().map(|a| esc(&fmt.tr(&fmt.model.site.audiences[*a].name))).collect();
        line("advice.audiences", &if reached.is_empty() { none.clone() } else { reached.join(", ") });
    }
    if let Some(p) = v.open_promise() {
        line("advice.next_update", &esc(&fmt.time(p.due).text));
    }
    line("advice.page", &fmt.paths.url(Place::Incident(&inc.id)));
    out.push('\n');
}

/// The advice in effect for `reader` on incident `i`, under its heading.
fn advice(fmt: &Formatter<'_>, i: usize, reader: ReaderRef, from: Place<'_>, out: &mut String) {
    let inc = &fmt.model.incidents[i];
    let shown = fmt.views.incidents[i].shown_updates;
    let entries: Vec<&crate::model::Advice> = inc.advice_entries().map(|(_, a)| a).collect();
    let list = inc.advice_at(shown, |a| fmt.reaches(reader, a));
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "**{}**\n", esc(fmt.locale.get("advice.title")));
    for k in list {
        let _ = writeln!(out, "{}\n", to_markdown(entries[k].body.0.get(fmt.lang), BODY_HEADING, &root(fmt, from)));
    }
}

/// The current incidents among `indexes`, by section.
fn current(fmt: &Formatter<'_>, from: Place<'_>, indexes: &[usize], reader: Option<ReaderRef>, out: &mut String) {
    let views = fmt.views;
    let mut last_heading = "";
    for (phase, heading) in SECTIONS {
        let list: Vec<usize> = indexes.iter().copied().filter(|i| views.incidents[*i].phase == phase).collect();
        if list.is_empty() {
            continue;
        }
        if heading != last_heading {
            let _ = writeln!(out, "## {}\n", esc(fmt.locale.get(heading)));
            last_heading = heading;
        }
        for i in list.into_iter().take(super::pages::INDEX_LIMIT) {
            item(fmt, from, i, reader, out);
        }
    }
}

/// Components as a list: name, group and status.
fn components(fmt: &Formatter<'_>, indexes: &[usize], out: &mut String) {
    let _ = writeln!(out, "## {}\n", esc(fmt.locale.get("index.components")));
    for g in fmt.groups_of(indexes) {
        for c in g.components {
            let group = g.name.as_ref().map(|n| format!(" ({})", esc(n))).unwrap_or_default();
            let _ = writeln!(out, "- {}{group}: {}", esc(&c.name), esc(&c.status_label));
        }
    }
    out.push('\n');
}

/// The heading of a front page: the title, the status, and when it was made.
fn head(fmt: &Formatter<'_>, title: &str, headline: &str, out: &mut String) {
    let site = fmt.site_cx();
    let _ = writeln!(out, "# {}\n", esc(title));
    let generated = fmt.locale.fill("footer.generated", &[("time", &site.generated.text)]);
    let _ = writeln!(out, "**{}** · {} {}\n", esc(headline), esc(&generated), esc(&site.timezone));
}

/// `index.md`: the front page as Markdown.
pub fn home(fmt: &Formatter<'_>) -> OutFile {
    let model = fmt.model;
    let site = fmt.site_cx();
    let mut out = String::with_capacity(8192);
    head(fmt, &site.title, &site.indicator_text, &mut out);
    if let Some(d) = &site.description {
        let _ = writeln!(out, "{}\n", esc(d));
    }
    let all: Vec<usize> = (0..model.incidents.len()).collect();
    current(fmt, Place::HomeMarkdown, &all, None, &mut out);
    components(fmt, &(0..model.site.components.len()).collect::<Vec<_>>(), &mut out);
    if !model.site.audiences.is_empty() {
        let _ = writeln!(out, "## {}\n", esc(fmt.locale.get("choose.audiences")));
        for (a, audience) in model.site.audiences.iter().enumerate() {
            let cx = fmt.audience(a);
            let md = link(fmt, Place::HomeMarkdown, Place::AudienceMarkdown(&audience.id));
            let _ = writeln!(out, "- [{}]({md}): {} {}", esc(&cx.name), esc(&cx.headline), esc(&cx.answer));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}: {}", esc(fmt.locale.get("advice.page")), fmt.paths.canonical_url(Place::Home));
    OutFile { path: fmt.paths.file(Place::HomeMarkdown), bytes: out.into_bytes() }
}

/// `for/ID/index.md`: audience `a`'s front page as Markdown, with its advice.
pub fn audience(fmt: &Formatter<'_>, a: usize) -> OutFile {
    let id = &fmt.model.site.audiences[a].id;
    let place = Place::AudienceMarkdown(id);
    let cx = fmt.audience(a);
    let view = &fmt.views.audiences[a];
    let mut out = String::with_capacity(4096);
    head(fmt, &cx.name, &cx.headline, &mut out);
    let _ = writeln!(out, "{}\n", esc(&cx.answer));
    if let Some(d) = &cx.description {
        let _ = writeln!(out, "{}\n", esc(d));
    }
    current(fmt, place, &view.incidents, Some(ReaderRef::Audience(a)), &mut out);
    components(fmt, &view.components, &mut out);
    let _ = writeln!(out, "{}: {}", esc(fmt.locale.get("advice.page")), fmt.paths.canonical_url(Place::Audience(id)));
    OutFile { path: fmt.paths.file(place), bytes: out.into_bytes() }
}

/// `incidents/ID/index.md`: current incident `i` as Markdown: its facts, the
/// advice in effect for each audience, its summary and its timeline.
pub fn incident(fmt: &Formatter<'_>, i: usize) -> OutFile {
    let (inc, v) = (&fmt.model.incidents[i], &fmt.views.incidents[i]);
    let place = Place::IncidentMarkdown(&inc.id);
    let base = root(fmt, place);
    let t = fmt.locale;
    let mut out = String::with_capacity(4096);
    let _ = writeln!(out, "# {}\n", esc(&fmt.tr(&inc.title)));
    facts(fmt, i, &mut out);
    let readers = (0..fmt.model.site.audiences.len())
        .map(ReaderRef::Audience)
        .chain((0..fmt.model.site.components.len()).map(ReaderRef::Component));
    let entries: Vec<&crate::model::Advice> = inc.advice_entries().map(|(_, a)| a).collect();
    let mut titled = false;
    for reader in readers {
        let list = inc.advice_at(v.shown_updates, |a| fmt.reaches(reader, a));
        if list.is_empty() {
            continue;
        }
        if !titled {
            let _ = writeln!(out, "## {}\n", esc(t.get("advice.title")));
            titled = true;
        }
        let _ = writeln!(out, "### {}\n", esc(&fmt.reader_heading(reader)));
        for k in list {
            let _ = writeln!(out, "{}\n", to_markdown(entries[k].body.0.get(fmt.lang), BODY_HEADING, &base));
        }
    }
    if let Some(summary) = &inc.summary {
        let _ = writeln!(
            out,
            "## {}\n\n{}\n",
            esc(t.get("incident.summary")),
            to_markdown(summary.0.get(fmt.lang), 3, &base)
        );
    }
    let _ = writeln!(out, "## {}\n", esc(t.get("incident.timeline")));
    for u in (0..v.shown_updates).rev() {
        let update = &inc.updates[u];
        let status = update.status.map_or("notice", |s| s.as_str());
        let label = t.get(&format!("status.{status}")).to_owned();
        let _ = writeln!(out, "### {} · {}\n", esc(&label), esc(&fmt.time(update.at).text));
        let _ = writeln!(out, "{}\n", to_markdown(update.body.0.get(fmt.lang), BODY_HEADING, &base));
    }
    OutFile { path: fmt.paths.file(place), bytes: out.into_bytes() }
}

/// `llms.txt`: what the site is, its status now, and where each Markdown version and JSON file is.
pub fn llms_txt(fmt: &Formatter<'_>) -> OutFile {
    let (model, views) = (fmt.model, fmt.views);
    let site = fmt.site_cx();
    let t = fmt.locale;
    let url = |place: Place<'_>| fmt.paths.url(place);
    let mut out = String::with_capacity(4096);
    let _ = writeln!(out, "# {}\n", esc(&site.title));
    let about = site.description.clone().unwrap_or_else(|| site.title.clone());
    let _ = writeln!(out, "> {} {}: {}.\n", esc(&about), esc(t.get("llms.now")), esc(&site.indicator_text));
    let _ = writeln!(out, "{}\n", esc(t.get("llms.intro")));
    let _ = writeln!(out, "## {}\n", esc(t.get("llms.status")));
    for lang in &model.site.languages {
        let paths = crate::paths::Paths::new(&model.site, *lang);
        let _ = writeln!(
            out,
            "- [{} ({})]({}): {}",
            esc(t.get("llms.front")),
            lang.tag(),
            paths.url(Place::HomeMarkdown),
            esc(t.get("llms.front_about"))
        );
    }
    let _ = writeln!(
        out,
        "- [{}]({}): {}",
        esc(t.get("llms.summary")),
        url(Place::Api("summary")),
        esc(t.get("llms.summary_about"))
    );
    out.push('\n');
    let current: Vec<usize> =
        views.incidents.iter().enumerate().filter(|(_, v)| v.phase.is_current()).map(|(i, _)| i).collect();
    if !current.is_empty() {
        let _ = writeln!(out, "## {}\n", esc(t.get("llms.current")));
        for i in current {
            let cx = fmt.incident(i);
            let _ = writeln!(
                out,
                "- [{}]({}): {}",
                esc(&cx.title),
                url(Place::IncidentMarkdown(&model.incidents[i].id)),
                esc(&cx.status_label)
            );
        }
        out.push('\n');
    }
    if !model.site.audiences.is_empty() {
        let _ = writeln!(out, "## {}\n", esc(t.get("choose.audiences")));
        for (a, audience) in model.site.audiences.iter().enumerate() {
            let cx = fmt.audience(a);
            let _ = writeln!(
                out,
                "- [{}]({}): {} {} JSON: {}",
                esc(&cx.name),
                url(Place::AudienceMarkdown(&audience.id)),
                esc(&cx.component_names),
                esc(&cx.answer),
                url(Place::AudienceJson(&audience.id))
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Optional\n");
    let _ = writeln!(out, "- [{}]({})", esc(t.get("history.title")), url(Place::History));
    let _ = writeln!(out, "- [{}]({})", esc(t.get("follow.site_feed")), url(Place::Feed));
    OutFile { path: fmt.paths.file(Place::LlmsTxt), bytes: out.into_bytes() }
}
