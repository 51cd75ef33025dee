//! What templates see: the model and its views, formatted for one language.
//!
//! Every value here is ready to print: times come with their ISO form for
//! `<time datetime>` and their text in the site's language and time zone;
//! labels are translated; Markdown is already rendered and sanitised. Plain
//! text stays plain, and the template engine escapes it.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::locale::Locale;
use crate::markdown;
use crate::model::{
    ActionItem, Advice, Audience, Breach, Component, Incident, Language, Markdown, Model, PeopleAffected, Postmortem,
    Reader, Site, Text, Update,
};
use crate::paths::{Paths, Place};
use crate::views::corrections::{self, Earlier, Piece, Section, UpdateVersion};
use crate::views::{ComponentView, Day, Phase, Promise, Verdict, Views};

/// How many characters of an update the front page shows; the full text is a click away.
const EXCERPT: usize = 240;

/// The heading level Markdown inside an update starts at.
const BODY_HEADING: u8 = 4;

/// Formats values for templates: one per build.
pub struct Formatter<'a> {
    /// The model.
    pub model: &'a Model,
    /// The views at now.
    pub views: &'a Views,
    /// The language.
    pub locale: &'a Locale,
    /// Each incident's shown update bodies, rendered on first use and shared by pages and feeds.
    pub bodies: &'a [std::sync::OnceLock<Vec<String>>],
    /// Each incident as lists show it, made on first use and shared by every list
    /// (the history, each audience's history, component pages).
    pub listed: &'a [std::sync::OnceLock<IncidentCx>],
    /// Each incident's advice (in [`Incident::advice_entries`] order), rendered
    /// on first use and shared by every page and feed that shows it.
    pub advice: &'a [std::sync::OnceLock<Vec<String>>],
    /// Each of the site's components with its history, made on first use: the
    /// front page, its component page and every audience's pages show it.
    pub components: &'a [std::sync::OnceLock<ComponentCx>],
    /// [`Formatter::listed`] as template values, made on first use: an incident
    /// is listed on history, component and front pages alike.
    pub listed_values: &'a [std::sync::OnceLock<tera::Value>],
    /// Renders Markdown as the site allows.
    pub markdown: &'a markdown::Renderer,
    /// The language being rendered.
    pub lang: Language,
    /// The default language's strings, for naming it.
    pub default_locale: &'a Locale,
    /// Every language of the site with its name in that language.
    pub names: &'a [(Language, String)],
    /// Where this language's pages and files live, and how they link.
    pub paths: Paths,
}

/// A moment, for `<time>`.
#[derive(Clone, Debug, Serialize)]
pub struct TimeCx {
    /// RFC 3339 with the site's offset.
    pub iso: String,
    /// Date and time in words.
    pub text: String,
    /// The date alone.
    pub date: String,
    /// The time of day alone.
    pub time: String,
}

/// A site-wide link.
#[derive(Clone, Debug, Serialize)]
pub struct LinkCx {
    /// Its text.
    pub name: String,
    /// Its target.
    pub url: String,
}

/// Site-wide values every page uses.
#[derive(Clone, Debug, Serialize)]
pub struct SiteCx {
    /// The title.
    pub title: String,
    /// The description.
    pub description: Option<String>,
    /// The absolute base URL, if configured.
    pub base_url: Option<String>,
    /// The `lang` attribute.
    pub language: &'static str,
    /// Time zone name and abbreviation now.
    pub timezone: String,
    /// Contact email.
    pub contact_email: Option<String>,
    /// Contact page.
    pub contact_url: Option<String>,
    /// Header links.
    pub links: Vec<LinkCx>,
    /// Statuspage indicator word.
    pub indicator: &'static str,
    /// Its sentence.
    pub indicator_text: String,
    /// When the page was generated (the build's now).
    pub generated: TimeCx,
    /// Days of history.
    pub history_days: u32,
    /// `index.html`, or empty with pretty URLs: appended to folder links.
    pub index: &'static str,
    /// The frozen `now:` of `site.yaml`, for relative times in archives and demos.
    pub frozen_now: Option<String>,
    /// When what the page shows last changed, as the API gives it: the
    /// optional script compares it with `api/v2/status.json` to tell a reader
    /// the page is out of date.
    pub updated: String,
}

/// Links every page has, relative to its language's root (what pages append to `root`).
#[derive(Clone, Debug, Serialize)]
pub struct LinksCx {
    /// The front page.
    pub home: String,
    /// The history index.
    pub history: String,
    /// The track record.
    pub track_record: String,
    /// The site's Atom feed.
    pub feed: String,
    /// The site's RSS feed.
    pub rss: String,
}

/// A component with its state and history.
#[derive(Clone, Debug, Serialize)]
pub struct ComponentCx {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its group.
    pub group: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// Status word.
    pub status: &'static str,
    /// Status label.
    pub status_label: String,
    /// Uptime over the window, as text ("99.95").
    pub uptime: String,
    /// One per day, oldest first.
    pub days: Vec<DayCx>,
    /// Its page, relative to the root.
    pub path: String,
    /// How the history bar is named for screen readers.
    pub bar_label: String,
    /// Whether it has its own feed (only once an incident has touched it).
    pub has_feed: bool,
    /// Its badge, relative to the site root (what pages append to `assets`).
    pub badge: String,
}

/// One day of a history bar.
#[derive(Clone, Debug, Serialize)]
pub struct DayCx {
    /// Worst status word that day.
    pub status: &'static str,
    /// What a screen reader says.
    pub label: String,
    /// The page of the day's worst incident, relative to the root.
    pub link: Option<String>,
}

/// A group of components.
#[derive(Clone, Debug, Serialize)]
pub struct GroupCx {
    /// The group's name; `None` for ungrouped components.
    pub name: Option<String>,
    /// The worst status in the group.
    pub status: &'static str,
    /// Its label.
    pub status_label: String,
    /// Members in the order written.
    pub components: Vec<ComponentCx>,
}

/// A component an incident affects.
#[derive(Clone, Debug, Serialize)]
pub struct AffectedCx {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The status the incident gives it.
    pub status: &'static str,
    /// Its label.
    pub status_label: String,
    /// Its page.
    pub path: String,
}

/// A promise of a next update and what became of it.
#[derive(Clone, Debug, Serialize)]
pub struct PromiseCx {
    /// The deadline.
    pub due: TimeCx,
    /// kept, broken, overdue or pending.
    pub verdict: &'static str,
    /// The verdict in words.
    pub text: String,
    /// Whether the verdict still moves with the clock (pending or overdue),
    /// so the optional script keeps it current and says "as of" otherwise.
    pub live: bool,
}

/// One update of a timeline.
#[derive(Clone, Debug, Serialize)]
pub struct UpdateCx {
    /// The anchor id on the incident page.
    pub anchor: String,
    /// Status word (`notice` for notices).
    pub status: &'static str,
    /// Its label.
    pub status_label: String,
    /// When.
    pub at: TimeCx,
    /// The body, rendered and sanitised.
    pub body_html: String,
    /// The promise it made, if it counts.
    pub promise: Option<PromiseCx>,
    /// Its opening words as plain text, shortened: what the front page shows.
    pub excerpt: Option<String>,
    /// The advice it gives, each under whom it is for (on the incident page).
    pub advice: Vec<AdviceCx>,
    /// What it said before it was edited, if it was after readers saw it.
    pub edits: Option<EditsCx>,
}

/// Edits of one thing after readers saw it: when, and what it said before.
#[derive(Clone, Debug, Serialize)]
pub struct EditsCx {
    /// The latest edit.
    pub edited: TimeCx,
    /// Each earlier version, the latest first.
    pub earlier: Vec<EarlierCx>,
}

/// One earlier version, and how the edit changed it.
#[derive(Clone, Debug, Serialize)]
pub struct EarlierCx {
    /// When it was replaced.
    pub replaced: TimeCx,
    /// Whether the edit only corrected wording: then the earlier text is not shown.
    pub wording_fix: bool,
    /// What else changed, each in words ("Status: Investigating → Identified").
    pub changes: Vec<String>,
    /// The text, word by word: what stayed, went and came.
    pub diff: Vec<PieceCx>,
}

/// A run of words in a difference.
#[derive(Clone, Debug, Serialize)]
pub struct PieceCx {
    /// `same`, `removed` or `added`.
    pub kind: &'static str,
    /// The words.
    pub text: String,
}

/// An update shown and later removed.
#[derive(Clone, Debug, Serialize)]
pub struct RemovedCx {
    /// When it was dated, as it was last shown.
    pub at: TimeCx,
    /// Its status label, as it was last shown.
    pub status_label: String,
    /// When it was removed.
    pub removed: TimeCx,
    /// What it said when it was removed, unless only its wording had been corrected.
    pub text: String,
    /// Its earlier edits, if any.
    pub edits: Option<EditsCx>,
}

/// An incident as lists show it.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentCx {
    /// Its id.
    pub id: String,
    /// Its page, relative to the root.
    pub path: String,
    /// Its title.
    pub title: String,
    /// The default language's tag when the title is shown untranslated.
    pub title_lang: Option<&'static str>,
    /// Kind word.
    pub kind: &'static str,
    /// Kind label.
    pub kind_label: String,
    /// Impact word.
    pub impact: &'static str,
    /// Impact label.
    pub impact_label: String,
    /// Phase word.
    pub phase: &'static str,
    /// Phase label.
    pub phase_label: String,
    /// Current status word.
    pub status: &'static str,
    /// Its label.
    pub status_label: String,
    /// Start.
    pub started: TimeCx,
    /// End, if ended.
    pub ended: Option<TimeCx>,
    /// Duration in words (with "so far" while ongoing).
    pub duration: Option<String>,
    /// Affected components.
    pub components: Vec<AffectedCx>,
    /// Maintenance window.
    pub window_start: Option<TimeCx>,
    /// Maintenance window end.
    pub window_end: Option<TimeCx>,
    /// When a notice takes effect.
    pub effective: Option<TimeCx>,
    /// Whether a post-mortem is published.
    pub has_postmortem: bool,
    /// On a reader's own page: whether it affects them, in words.
    pub affects: Option<String>,
}

/// An incident with its latest update, for the front page.
#[derive(Clone, Debug, Serialize)]
pub struct CurrentCx {
    /// The incident.
    #[serde(flatten)]
    pub incident: IncidentCx,
    /// Its latest update.
    pub latest: Option<UpdateCx>,
    /// The promise still open.
    pub open_promise: Option<PromiseCx>,
    /// On a reader's own page: the advice in effect for them, rendered, shown first.
    pub advice: Vec<String>,
    /// The ids of the components it affects, for the front page's "Show only what I use".
    pub component_ids: String,
}

/// Whom advice is for, or what a page is about: an audience or the users of
/// one component, by index in the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReaderRef {
    /// The audience at this index of `site.audiences`.
    Audience(usize),
    /// The component at this index of `site.components`.
    Component(usize),
}

/// Advice under a heading: whom it is for, and what it says.
#[derive(Clone, Debug, Serialize)]
pub struct AdviceCx {
    /// Whom it is for, in words.
    pub heading: String,
    /// Its bodies, rendered.
    pub html: Vec<String>,
}

/// Whether an incident affects one audience, for the incident page.
#[derive(Clone, Debug, Serialize)]
pub struct ReachCx {
    /// The audience's name.
    pub name: String,
    /// Its page, relative to the root.
    pub path: String,
    /// Whether it is affected.
    pub affected: bool,
    /// That, in words.
    pub label: String,
}

/// An audience, as its pages and the front page show it.
#[derive(Clone, Debug, Serialize)]
pub struct AudienceCx {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Who belongs to it.
    pub description: Option<String>,
    /// Its front page, relative to the root.
    pub path: String,
    /// Its components page, relative to the root.
    pub components_path: String,
    /// Its history, relative to the root.
    pub history_path: String,
    /// Its feed, relative to the root.
    pub feed: String,
    /// Its calendar, relative to the root.
    pub calendar: String,
    /// Its badge, relative to the site root.
    pub badge: String,
    /// Its JSON, relative to the site root.
    pub json: String,
    /// The indicator word of its headline.
    pub indicator: &'static str,
    /// Its headline in words.
    pub headline: String,
    /// Whether anything current affects it, in one sentence.
    pub answer: String,
    /// Whether anything current affects it.
    pub affected: bool,
    /// The ids of its components, space-separated, for the front page's script.
    pub component_ids: String,
    /// The names of its components, comma-separated.
    pub component_names: String,
    /// Whether it has its own feed (once an incident has affected it).
    pub has_feed: bool,
}

/// Everything an incident page shows.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentPageCx {
    /// The incident.
    #[serde(flatten)]
    pub incident: IncidentCx,
    /// When it was detected.
    pub detected: Option<TimeCx>,
    /// The summary, rendered.
    pub summary_html: Option<String>,
    /// A one-line description for `<meta>`.
    pub description: String,
    /// Updates, newest first.
    pub updates: Vec<UpdateCx>,
    /// The breach box.
    pub breach: Option<BreachCx>,
    /// The post-mortem, once published.
    pub postmortem: Option<PostmortemCx>,
    /// How the incident was communicated.
    pub record: Option<RecordCx>,
    /// Whether it affects each audience of the site.
    pub reach: Vec<ReachCx>,
    /// The advice in effect now, under a heading per audience, then per component.
    pub advice: Vec<AdviceCx>,
    /// Whether it has its own feed, calendar and JSON file (current or recent incidents).
    pub followed: bool,
    /// Its JSON file, relative to the site root (what pages append to `assets`).
    pub json: String,
    /// Earlier titles.
    pub title_edits: Option<EditsCx>,
    /// Earlier impacts.
    pub impact_edits: Option<EditsCx>,
    /// Updates shown and later removed, oldest first.
    pub removed: Vec<RemovedCx>,
}

/// One incident's communication record, in words.
#[derive(Clone, Debug, Serialize)]
pub struct RecordCx {
    /// From detection (or start) to the first public update.
    pub first_update_after: Option<String>,
    /// Whether that is counted from detection (a detection time is known) or from the start.
    pub from_detection: bool,
    /// Published updates.
    pub updates: usize,
    /// The longest gap between updates.
    pub longest_silence: Option<String>,
    /// Promises kept.
    pub promises_kept: usize,
    /// Promises whose outcome is known.
    pub promises_decided: usize,
    /// Promises still ahead.
    pub promises_pending: usize,
}

/// The track record over a period, in words.
#[derive(Clone, Debug, Serialize)]
pub struct TrackCx {
    /// The period's label (a year, or the history window).
    pub label: String,
    /// Incidents counted.
    pub incidents: usize,
    /// Median time to the first update.
    pub median_first_update: Option<String>,
    /// Promises kept, "12 of 13 (92%)".
    pub promises_kept: Option<String>,
    /// Post-mortems published, "3 of 3 (100%)".
    pub postmortems: Option<String>,
    /// Action items done on time.
    pub actions_on_time: Option<String>,
    /// Median time to resolve by impact: (impact label, duration).
    pub median_resolution: Vec<(String, String)>,
}

/// The facts of a breach.
#[derive(Clone, Debug, Serialize)]
pub struct BreachCx {
    /// Kinds of data.
    pub data_affected: Vec<String>,
    /// How many people, in words.
    pub people_affected: Option<String>,
    /// What to do, rendered.
    pub what_you_should_do_html: Option<String>,
    /// When the authority was told.
    pub authority_notified: Option<TimeCx>,
    /// How the count of people affected moved at its latest edit: `grown`, `lowered` or `changed`.
    pub people_moved: Option<&'static str>,
    /// That move in words ("up from 12,000").
    pub people_moved_text: Option<String>,
    /// Earlier counts.
    pub people_edits: Option<EditsCx>,
    /// Earlier lists of the data affected.
    pub data_edits: Option<EditsCx>,
    /// Earlier advice.
    pub advice_edits: Option<EditsCx>,
}

/// A post-mortem section.
#[derive(Clone, Debug, Serialize)]
pub struct SectionCx {
    /// Its heading.
    pub heading: String,
    /// Its body, rendered.
    pub html: String,
    /// What it said before it was edited.
    pub edits: Option<EditsCx>,
}

/// A post-mortem.
#[derive(Clone, Debug, Serialize)]
pub struct PostmortemCx {
    /// When published.
    pub published: Option<TimeCx>,
    /// Sections in reading order.
    pub sections: Vec<SectionCx>,
    /// Action items.
    pub action_items: Vec<ActionCx>,
    /// "What we learned", rendered.
    pub lessons_html: Option<String>,
    /// What it said before it was edited.
    pub lessons_edits: Option<EditsCx>,
}

/// One action item.
#[derive(Clone, Debug, Serialize)]
pub struct ActionCx {
    /// What will be done.
    pub text: String,
    /// Status word.
    pub status: &'static str,
    /// Its label.
    pub status_label: String,
    /// Due date in words.
    pub due: Option<String>,
    /// Done date in words.
    pub done_at: Option<String>,
    /// Whether it is past its due date and neither done nor dropped.
    pub overdue: bool,
}

impl<'a> Formatter<'a> {
    fn site(&self) -> &'a Site {
        &self.model.site
    }

    /// Update `u` of incident `i` as sanitised HTML, for a page (or feed)
    /// whose way to the site root is `root`; rendered once per build and
    /// language, and shared by pages and feeds.
    pub fn body(&self, i: usize, u: usize, root: &str) -> String {
        let inc = &self.model.incidents[i];
        let rendered = self.bodies[i].get_or_init(|| {
            let shown = self.views.incidents[i].shown_updates;
            inc.updates[..shown].iter().map(|u| self.unresolved_html(&u.body)).collect()
        });
        match rendered.get(u) {
            Some(html) => markdown::resolve(html, root).into_owned(),
            None => self.prose_html(&inc.updates[u].body, root),
        }
    }

    /// The way from the file of `place` to the site root, for the links in its Markdown.
    pub fn page_root(&self, place: Place<'_>) -> String {
        crate::paths::root_of(&self.paths.file(place))
    }

    /// `text` in the language being rendered, falling back to the default.
    pub fn tr(&self, text: &Text) -> String {
        text.get(self.lang).to_owned()
    }

    /// The default language's tag when `text` is shown untranslated, for a `lang` attribute.
    pub fn fallback(&self, text: &Text) -> Option<&'static str> {
        let default = self.site().language;
        (self.lang != default && text.translation(self.lang).is_none()).then(|| default.tag())
    }

    /// Markdown in the language being rendered, as sanitised HTML for a page
    /// whose way to the site root is `root`; untranslated text is marked with
    /// its language and a short note.
    pub fn prose_html(&self, m: &Markdown, root: &str) -> String {
        markdown::resolve(&self.unresolved_html(m), root).into_owned()
    }

    /// [`Formatter::prose_html`] before its site-relative links know their page.
    fn unresolved_html(&self, m: &Markdown) -> String {
        let html = self.markdown.to_html(m.0.get(self.lang), BODY_HEADING);
        match self.fallback(&m.0) {
            None => html,
            Some(tag) => {
                let default_name = self.default_language_name();
                let note = self.locale.fill("language.untranslated", &[("language", &default_name)]);
                format!(
                    "<p class=\"untranslated\">{}</p><div lang=\"{tag}\">{html}</div>",
                    crate::render::xml::escape(&note)
                )
            }
        }
    }

    /// The default language's name, in that language.
    fn default_language_name(&self) -> String {
        self.default_locale.get("language.name").to_owned()
    }

    /// A moment in the site's zone and language.
    pub fn time(&self, ts: Timestamp) -> TimeCx {
        let zoned = ts.to_zoned_datetime(self.site().timezone.clone());
        let (date, time, text) = self.locale.moment_parts(&zoned);
        TimeCx { iso: zoned.timestamp().display_with_offset(zoned.offset()).to_string(), text, date, time }
    }

    /// The link to incident `i`'s page, relative to the language's root.
    fn incident_link(&self, i: usize) -> String {
        self.paths.link(Place::Incident(&self.model.incidents[i].id))
    }

    /// Site-wide values.
    pub fn site_cx(&self) -> SiteCx {
        let site = self.site();
        let t = self.locale;
        SiteCx {
            title: self.tr(&site.title),
            description: site.description.as_ref().map(|d| self.tr(d)),
            base_url: site.base_url.clone(),
            language: self.lang.tag(),
            timezone: format!("{} ({})", site.timezone_name, Locale::zone_abbreviation(self.views.now, &site.timezone)),
            contact_email: site.contact.as_ref().and_then(|c| c.email.clone()),
            contact_url: site.contact.as_ref().and_then(|c| c.url.clone()),
            links: site.links.iter().map(|l| LinkCx { name: self.tr(&l.name), url: l.url.clone() }).collect(),
            indicator: self.views.indicator.as_str(),
            indicator_text: t.get(&format!("headline.{}", self.views.headline.as_str())).to_owned(),
            generated: self.time(self.views.now),
            history_days: site.history_days,
            index: self.paths.index(),
            frozen_now: site.now.map(|now| self.time(now).iso),
            updated: crate::render::api::format_time(self.views.updated_at(self.model), &site.timezone),
        }
    }

    /// The links every page has.
    pub fn links_cx(&self) -> LinksCx {
        let link = |place| self.paths.link(place);
        LinksCx {
            home: link(Place::Home),
            history: link(Place::History),
            track_record: link(Place::TrackRecord),
            feed: link(Place::Feed),
            rss: link(Place::Rss),
        }
    }

    /// Components by group, in the order first written.
    pub fn groups(&self) -> Vec<GroupCx> {
        self.groups_of(&(0..self.site().components.len()).collect::<Vec<_>>())
    }

    /// The components at `indexes` of the site's, by group, in the order first
    /// written; each group's status is the worst of those shown in it.
    pub fn groups_of(&self, indexes: &[usize]) -> Vec<GroupCx> {
        let mut groups: Vec<(GroupCx, crate::model::ComponentStatus)> = Vec::new();
        for &n in indexes {
            let (c, v) = (&self.site().components[n], &self.views.components[n]);
            let cx = self.component_at(n);
            let name = c.group.as_ref().map(|g| self.tr(g));
            match groups.iter_mut().find(|(g, _)| g.name == name && name.is_some()) {
                Some((group, worst)) => {
                    group.components.push(cx);
                    *worst = (*worst).max(v.status);
                }
                None => groups
                    .push((GroupCx { name, status: "", status_label: String::new(), components: vec![cx] }, v.status)),
            }
        }
        groups
            .into_iter()
            .map(|(mut g, worst)| {
                g.status = worst.as_str();
                g.status_label = self.locale.get(&format!("component.{}", worst.as_str())).to_owned();
                g
            })
            .collect()
    }

    /// The site's component `n` with its history.
    pub fn component_at(&self, n: usize) -> ComponentCx {
        let make = || self.component(&self.site().components[n], &self.views.components[n]);
        self.components[n].get_or_init(make).clone()
    }

    /// One component with its history.
    fn component(&self, c: &Component, v: &ComponentView) -> ComponentCx {
        let t = self.locale;
        let name = self.tr(&c.name);
        ComponentCx {
            id: c.id.to_string(),
            bar_label: t.fill("bar.label", &[("component", &name), ("days", &self.site().history_days.to_string())]),
            name,
            group: c.group.as_ref().map(|g| self.tr(g)),
            description: c.description.as_ref().map(|d| self.tr(d)),
            status: v.status.as_str(),
            status_label: t.get(&format!("component.{}", v.status.as_str())).to_owned(),
            uptime: self.locale.decimal(&format_uptime(v.uptime)),
            days: v.days.iter().map(|d| self.day(d)).collect(),
            path: self.paths.link(Place::Component(&c.id)),
            has_feed: v.incidents.iter().any(|i| self.views.incidents[*i].shown_updates > 0),
            badge: self.paths.link(Place::ComponentBadge(&c.id)),
        }
    }

    fn day(&self, d: &Day) -> DayCx {
        let t = self.locale;
        let date = t.date(d.date);
        let status = d.worst.as_str();
        let label = if d.affected_minutes == 0 && d.incidents.is_empty() {
            t.fill("day.no_data", &[("date", &date)])
        } else {
            let duration = t.duration(SignedDuration::from_mins(d.affected_minutes));
            t.fill(
                "day.summary",
                &[
                    ("date", &date),
                    ("status", &t.get(&format!("component.{status}")).to_lowercase()),
                    ("duration", &duration),
                ],
            )
        };
        let link = d.incidents.iter().min().map(|i| self.incident_link(*i));
        DayCx { status, label, link }
    }

    /// Incident `i` as lists show it.
    pub fn incident(&self, i: usize) -> IncidentCx {
        self.listed[i].get_or_init(|| self.make_incident(i)).clone()
    }

    fn make_incident(&self, i: usize) -> IncidentCx {
        let inc = &self.model.incidents[i];
        let v = &self.views.incidents[i];
        let t = self.locale;
        let status = v.status.map_or("notice", |s| s.as_str());
        let duration = v.duration.map(|d| {
            let text = t.duration(d);
            if v.phase == Phase::Active { t.fill("incident.duration_so_far", &[("duration", &text)]) } else { text }
        });
        IncidentCx {
            id: inc.id.to_string(),
            path: self.incident_link(i),
            title: self.tr(&inc.title),
            title_lang: self.fallback(&inc.title),
            kind: inc.kind.as_str(),
            kind_label: t.get(&format!("kind.{}", inc.kind.as_str())).to_owned(),
            impact: inc.impact.as_str(),
            impact_label: t.get(&format!("impact.{}", inc.impact.as_str())).to_owned(),
            phase: phase_word(v.phase),
            phase_label: t.get(&format!("phase.{}", phase_word(v.phase))).to_owned(),
            status,
            status_label: t.get(&format!("status.{status}")).to_owned(),
            started: self.time(inc.started_at),
            ended: v.end.map(|e| self.time(e)),
            duration,
            components: self.affected(inc),
            window_start: inc.scheduled.map(|w| self.time(w.start)),
            window_end: inc.scheduled.map(|w| self.time(w.end)),
            effective: inc.effective_at.map(|e| self.time(e)),
            has_postmortem: v.postmortem_published,
            affects: None,
        }
    }

    /// Incident `i` as a template value for a page that lists it (see [`Formatter::listed`]).
    pub fn listed(&self, i: usize) -> tera::Value {
        self.listed_values[i].get_or_init(|| tera::Value::from_serializable(&self.incident(i))).clone()
    }

    fn affected(&self, inc: &Incident) -> Vec<AffectedCx> {
        inc.components
            .iter()
            .filter_map(|a| {
                let c = self.site().component(&a.component)?;
                Some(AffectedCx {
                    id: c.id.to_string(),
                    name: self.tr(&c.name),
                    status: a.status.as_str(),
                    status_label: self.locale.get(&format!("component.{}", a.status.as_str())).to_owned(),
                    path: self.paths.link(Place::Component(&c.id)),
                })
            })
            .collect()
    }

    /// Incident `i` with its latest update, for the front page.
    pub fn current(&self, i: usize) -> CurrentCx {
        self.current_on(i, Place::Home)
    }

    /// Incident `i` with its latest update, for the page at `place`.
    pub fn current_on(&self, i: usize, place: Place<'_>) -> CurrentCx {
        let v = &self.views.incidents[i];
        let root = self.page_root(place);
        let latest = v.shown_updates.checked_sub(1).map(|u| {
            let body = &self.model.incidents[i].updates[u].body;
            let excerpt = truncate(&markdown::to_plain(body.0.get(self.lang)), EXCERPT);
            UpdateCx { excerpt: Some(excerpt), ..self.update(i, u, &root) }
        });
        let component_ids = self.model.incidents[i].components.iter().map(|a| a.component.as_str()).collect();
        CurrentCx {
            incident: self.incident(i),
            latest,
            open_promise: v.open_promise().map(|p| self.promise(p)),
            advice: Vec::new(),
            component_ids: join_ids(component_ids),
        }
    }

    fn update(&self, i: usize, index: usize, root: &str) -> UpdateCx {
        let (inc, v) = (&self.model.incidents[i], &self.views.incidents[i]);
        let u: &Update = &inc.updates[index];
        let status = u.status.map_or("notice", |s| s.as_str());
        UpdateCx {
            anchor: format!("update-{}", index + 1),
            status,
            status_label: self.locale.get(&format!("status.{status}")).to_owned(),
            at: self.time(u.at),
            body_html: self.body(i, index, root),
            promise: v.promise_of(index).map(|p| self.promise(p)),
            excerpt: None,
            advice: Vec::new(),
            edits: self.update_edits(v.corrections.update(index), &UpdateVersion::of_update(u)),
        }
    }

    /// The edits of an update, from its `earlier` versions to `current`.
    fn update_edits(&self, earlier: &[Earlier<UpdateVersion>], current: &UpdateVersion) -> Option<EditsCx> {
        self.edits(earlier, current, |old, new| {
            let t = self.locale;
            let mut changes = Vec::new();
            if old.at != new.at {
                changes.push(self.change("edit.time", self.time(old.at).text, self.time(new.at).text));
            }
            if old.status != new.status {
                let label = |s: Option<crate::model::UpdateStatus>| {
                    t.get(&format!("status.{}", s.map_or("notice", |s| s.as_str()))).to_owned()
                };
                changes.push(self.change("edit.status", label(old.status), label(new.status)));
            }
            if old.next_update_by != new.next_update_by {
                let when =
                    |p: Option<jiff::Timestamp>| p.map_or_else(|| t.get("edit.none").to_owned(), |p| self.time(p).text);
                changes.push(self.change("edit.promise", when(old.next_update_by), when(new.next_update_by)));
            }
            (changes, self.diff(old.body.0.get(self.lang), new.body.0.get(self.lang)))
        })
    }

    /// "What: before → after".
    fn change(&self, key: &str, before: String, after: String) -> String {
        self.locale.fill(key, &[("before", &before), ("after", &after)])
    }

    /// The difference between two texts, word by word.
    fn diff(&self, old: &str, new: &str) -> Vec<PieceCx> {
        if old == new {
            return Vec::new();
        }
        let mut out: Vec<PieceCx> = Vec::new();
        for piece in corrections::words(old, new) {
            let (kind, text) = match piece {
                Piece::Same(text) => ("same", text),
                Piece::Removed(text) => ("removed", text),
                Piece::Added(text) => ("added", text),
            };
            // Words replaced by others read apart from them.
            if kind == "added" && out.last().is_some_and(|p| p.kind == "removed") {
                out.push(PieceCx { kind: "same", text: " ".into() });
            }
            out.push(PieceCx { kind, text });
        }
        out
    }

    /// The edits of one thing, from its `earlier` values to `current`, each compared
    /// with the value that replaced it by `compare` (other changes in words, and the
    /// text word by word); the latest first.
    fn edits<T>(
        &self,
        earlier: &[Earlier<T>],
        current: &T,
        compare: impl Fn(&T, &T) -> (Vec<String>, Vec<PieceCx>),
    ) -> Option<EditsCx> {
        let edited = corrections::last_edit(earlier)?;
        let list = earlier
            .iter()
            .enumerate()
            .rev()
            .map(|(k, e)| {
                let next = earlier.get(k + 1).map_or(current, |n| &n.value);
                let (changes, diff) = if e.wording_fix { (Vec::new(), Vec::new()) } else { compare(&e.value, next) };
                EarlierCx { replaced: self.time(e.replaced_at), wording_fix: e.wording_fix, changes, diff }
            })
            .collect();
        Some(EditsCx { edited: self.time(edited), earlier: list })
    }

    /// The edits of a text (prose or Markdown source), `None` standing for its absence.
    fn text_edits(&self, earlier: &[Earlier<Option<String>>], current: Option<String>) -> Option<EditsCx> {
        self.edits(earlier, &current, |old, new| {
            let (old, new) = (old.as_deref().unwrap_or_default(), new.as_deref().unwrap_or_default());
            (Vec::new(), self.diff(old, new))
        })
    }

    /// Earlier Markdown values as text in the language rendered.
    fn markdown_edits(&self, earlier: &[Earlier<Option<Markdown>>], current: Option<&Markdown>) -> Option<EditsCx> {
        let texts: Vec<Earlier<Option<String>>> = earlier
            .iter()
            .map(|e| Earlier {
                value: e.value.as_ref().map(|m| m.0.get(self.lang).to_owned()),
                replaced_at: e.replaced_at,
                wording_fix: e.wording_fix,
            })
            .collect();
        self.text_edits(&texts, current.map(|m| m.0.get(self.lang).to_owned()))
    }

    /// Updates shown and later removed.
    fn removed(&self, i: usize) -> Vec<RemovedCx> {
        let t = self.locale;
        self.views.incidents[i]
            .corrections
            .removed
            .iter()
            .filter_map(|versions| {
                let (last, before) = versions.split_last()?;
                let v = &last.value;
                let status = v.status.map_or("notice", |s| s.as_str());
                Some(RemovedCx {
                    at: self.time(v.at),
                    status_label: t.get(&format!("status.{status}")).to_owned(),
                    removed: self.time(last.replaced_at),
                    text: if last.wording_fix { String::new() } else { v.body.0.get(self.lang).to_owned() },
                    edits: self.update_edits(before, v),
                })
            })
            .collect()
    }

    fn promise(&self, p: &Promise) -> PromiseCx {
        let t = self.locale;
        let due = self.time(p.due);
        let (verdict, text) = match p.verdict {
            Verdict::Kept => ("kept", t.get("promise.kept").to_owned()),
            Verdict::Broken { late } => ("broken", t.fill("promise.broken", &[("late", &t.duration(late))])),
            Verdict::Overdue { by } => ("overdue", t.fill("promise.overdue", &[("by", &t.duration(by))])),
            Verdict::Pending { left } => ("pending", t.fill("promise.pending", &[("left", &t.duration(left))])),
        };
        let live = matches!(p.verdict, Verdict::Pending { .. } | Verdict::Overdue { .. });
        PromiseCx { due, verdict, text, live }
    }

    /// Everything incident `i`'s page shows.
    pub fn incident_page(&self, i: usize) -> IncidentPageCx {
        let inc = &self.model.incidents[i];
        let v = &self.views.incidents[i];
        let root = self.page_root(Place::Incident(&inc.id));
        let updates = (0..v.shown_updates)
            .rev()
            .map(|u| UpdateCx { advice: self.update_advice(i, u, &root), ..self.update(i, u, &root) })
            .collect();
        let description = inc
            .summary
            .as_ref()
            .or_else(|| inc.updates.get(v.shown_updates.wrapping_sub(1)).map(|u| &u.body))
            .map(|m| truncate(&markdown::to_plain(m.0.get(self.lang)), 200))
            .unwrap_or_default();
        IncidentPageCx {
            incident: self.incident(i),
            detected: inc.detected_at.map(|d| self.time(d)),
            summary_html: inc.summary.as_ref().map(|m| self.prose_html(m, &root)),
            description,
            updates,
            breach: inc.breach.as_ref().map(|b| self.breach(i, b, &root)),
            postmortem: inc
                .postmortem
                .as_ref()
                .filter(|_| v.postmortem_published)
                .map(|p| self.postmortem(i, p, &root)),
            record: inc.kind.is_incident().then(|| self.record(i)),
            reach: self.reach(i),
            advice: self.advice_now(i, &root),
            followed: self.views.is_followed(self.model, i),
            json: self.paths.link(Place::IncidentJson(&inc.id)),
            title_edits: {
                let earlier: Vec<Earlier<Option<String>>> = v
                    .corrections
                    .title
                    .iter()
                    .map(|e| Earlier {
                        value: Some(self.tr(&e.value)),
                        replaced_at: e.replaced_at,
                        wording_fix: e.wording_fix,
                    })
                    .collect();
                self.text_edits(&earlier, Some(self.tr(&inc.title)))
            },
            impact_edits: self.edits(&v.corrections.impact, &inc.impact, |old, new| {
                let label = |i: &crate::model::Impact| self.locale.get(&format!("impact.{}", i.as_str())).to_owned();
                (vec![self.change("edit.impact", label(old), label(new))], Vec::new())
            }),
            removed: self.removed(i),
        }
    }

    /// Advice entry `k` of incident `i` (see [`Incident::advice_entries`]) as
    /// sanitised HTML for a page whose way to the site root is `root`:
    /// rendered once per build and language, and shared by every page and feed.
    pub fn advice_html(&self, i: usize, k: usize, root: &str) -> String {
        let inc = &self.model.incidents[i];
        let rendered =
            self.advice[i].get_or_init(|| inc.advice_entries().map(|(_, a)| self.unresolved_html(&a.body)).collect());
        rendered.get(k).map(|html| markdown::resolve(html, root).into_owned()).unwrap_or_default()
    }

    /// Whether `advice` is for `reader`: addressed to it, or (for an audience) to one of its components.
    pub fn reaches(&self, reader: ReaderRef, advice: &Advice) -> bool {
        match reader {
            ReaderRef::Audience(a) => self.site().audiences[a].is_reached_by(advice),
            ReaderRef::Component(c) => {
                let id = &self.site().components[c].id;
                advice.readers.iter().any(|r| matches!(r, Reader::Component(x) if x == id))
            }
        }
    }

    /// The advice in effect for `reader` on incident `i` once its first
    /// `shown` updates are out, rendered for a page at `root`.
    pub fn advice_for(&self, i: usize, shown: usize, reader: ReaderRef, root: &str) -> Vec<String> {
        let inc = &self.model.incidents[i];
        if inc.advice.is_empty() && inc.updates.iter().all(|u| u.advice.is_empty()) {
            return Vec::new();
        }
        inc.advice_at(shown, |a| self.reaches(reader, a)).into_iter().map(|k| self.advice_html(i, k, root)).collect()
    }

    /// Whom `reader` is, as a heading: the audience's name, or "If you use X".
    pub fn reader_heading(&self, reader: ReaderRef) -> String {
        match reader {
            ReaderRef::Audience(a) => self.tr(&self.site().audiences[a].name),
            ReaderRef::Component(c) => {
                self.locale.fill("advice.component", &[("component", &self.tr(&self.site().components[c].name))])
            }
        }
    }

    /// The advice in effect now on incident `i`: under a heading per
    /// audience it reaches, then per component it is addressed to.
    fn advice_now(&self, i: usize, root: &str) -> Vec<AdviceCx> {
        let shown = self.views.incidents[i].shown_updates;
        let audiences = (0..self.site().audiences.len()).map(ReaderRef::Audience);
        let components = (0..self.site().components.len()).map(ReaderRef::Component);
        audiences
            .chain(components)
            .filter_map(|reader| {
                let html = self.advice_for(i, shown, reader, root);
                (!html.is_empty()).then(|| AdviceCx { heading: self.reader_heading(reader), html })
            })
            .collect()
    }

    /// The advice update `u` of incident `i` gives, each under whom it is for.
    fn update_advice(&self, i: usize, u: usize, root: &str) -> Vec<AdviceCx> {
        let inc = &self.model.incidents[i];
        let first = inc.advice.len() + inc.updates[..u].iter().map(|x| x.advice.len()).sum::<usize>();
        inc.updates[u]
            .advice
            .iter()
            .enumerate()
            .map(|(n, a)| {
                let names: Vec<String> = a.readers.iter().map(|r| self.reader_name(r)).collect();
                let heading = self.locale.fill("advice.for", &[("readers", &names.join(", "))]);
                AdviceCx { heading, html: vec![self.advice_html(i, first + n, root)] }
            })
            .collect()
    }

    /// A reader's name: the audience's, or the component's.
    fn reader_name(&self, reader: &Reader) -> String {
        match reader {
            Reader::Audience(id) => self.site().audience(id).map(|a| self.tr(&a.name)).unwrap_or_default(),
            Reader::Component(id) => self.site().component(id).map(|c| self.tr(&c.name)).unwrap_or_default(),
        }
    }

    /// Whether incident `i` affects each audience.
    fn reach(&self, i: usize) -> Vec<ReachCx> {
        self.site()
            .audiences
            .iter()
            .enumerate()
            .map(|(a, audience)| {
                let affected = self.views.reach[i].contains(&a);
                ReachCx {
                    name: self.tr(&audience.name),
                    path: self.paths.link(Place::Audience(&audience.id)),
                    affected,
                    label: self.locale.get(if affected { "advice.affected" } else { "advice.not_affected" }).to_owned(),
                }
            })
            .collect()
    }

    /// Whether incident `i` affects audience `a`, in words, for that audience's pages.
    pub fn affects_label(&self, i: usize, a: usize) -> String {
        let key = if self.views.reach[i].contains(&a) { "audience.affects" } else { "audience.does_not_affect" };
        self.locale.fill(key, &[("audience", &self.tr(&self.site().audiences[a].name))])
    }

    /// Audience `a` as its pages and the front page show it.
    pub fn audience(&self, a: usize) -> AudienceCx {
        let (audience, view): (&Audience, _) = (&self.site().audiences[a], &self.views.audiences[a]);
        let t = self.locale;
        let current = view.incidents.iter().filter(|i| self.views.incidents[**i].phase.is_current()).count();
        let affected = view.incidents.iter().any(|i| {
            matches!(self.views.incidents[*i].phase, crate::views::Phase::Active | crate::views::Phase::InProgress)
        });
        let answer = match (affected, current) {
            (false, 0) => t.get("audience.answer_none").to_owned(),
            (false, n) => t.fill("audience.answer_planned", &[("n", &n.to_string())]),
            (true, _) => t.fill("audience.answer_affected", &[("n", &current.to_string())]),
        };
        let names: Vec<String> = view.components.iter().map(|c| self.tr(&self.site().components[*c].name)).collect();
        AudienceCx {
            id: audience.id.to_string(),
            name: self.tr(&audience.name),
            description: audience.description.as_ref().map(|d| self.tr(d)),
            path: self.paths.link(Place::Audience(&audience.id)),
            components_path: self.paths.link(Place::AudienceComponents(&audience.id)),
            history_path: self.paths.link(Place::AudienceHistory(&audience.id)),
            feed: self.paths.link(Place::AudienceFeed(&audience.id)),
            calendar: self.paths.link(Place::AudienceCalendar(&audience.id)),
            badge: self.paths.link(Place::AudienceBadge(&audience.id)),
            json: self.paths.link(Place::AudienceJson(&audience.id)),
            indicator: view.indicator.as_str(),
            headline: t.get(&format!("headline.{}", view.headline.as_str())).to_owned(),
            answer,
            affected,
            component_ids: join_ids(audience.components.iter().map(|c| c.as_str()).collect()),
            component_names: names.join(", "),
            has_feed: !view.incidents.is_empty(),
        }
    }

    /// Incident `i`'s communication record.
    pub fn record(&self, i: usize) -> RecordCx {
        let r = &self.views.records[i];
        RecordCx {
            first_update_after: r.first_update_after.map(|d| self.locale.duration(d)),
            from_detection: self.model.incidents[i].detected_at.is_some(),
            updates: r.updates,
            longest_silence: r.longest_silence.map(|d| self.locale.duration(d)),
            promises_kept: r.promises.kept,
            promises_decided: r.promises.decided(),
            promises_pending: r.promises.pending,
        }
    }

    /// A track record in words.
    pub fn track(&self, label: String, t: &crate::views::record::TrackRecord) -> TrackCx {
        let share = |s: &crate::views::record::Share| {
            s.percent().map(|p| {
                self.locale.fill(
                    "record.share",
                    &[("yes", &s.yes.to_string()), ("of", &s.of.to_string()), ("percent", &format!("{p:.0}"))],
                )
            })
        };
        TrackCx {
            label,
            incidents: t.incidents,
            median_first_update: t.median_first_update.map(|d| self.locale.duration(d)),
            promises_kept: share(&t.promises_kept),
            postmortems: share(&t.postmortems),
            actions_on_time: share(&t.actions_on_time),
            median_resolution: t
                .median_resolution
                .iter()
                .map(|(impact, d)| {
                    (self.locale.get(&format!("impact.{}", impact.as_str())).to_owned(), self.locale.duration(*d))
                })
                .collect(),
        }
    }

    fn breach(&self, i: usize, b: &Breach, root: &str) -> BreachCx {
        let c = &self.views.incidents[i].corrections;
        let people = |p: &Option<PeopleAffected>| -> Option<String> {
            p.as_ref().map(|p| match p {
                PeopleAffected::Count(n) => self.locale.count(*n),
                PeopleAffected::Words(w) => self.tr(w),
            })
        };
        let latest = c.people_affected.last();
        let people_moved = latest.map(|e| match (&e.value, &b.people_affected) {
            (Some(PeopleAffected::Count(old)), Some(PeopleAffected::Count(new))) if new > old => "grown",
            (Some(PeopleAffected::Count(old)), Some(PeopleAffected::Count(new))) if new < old => "lowered",
            _ => "changed",
        });
        let earlier_people: Vec<Earlier<Option<String>>> = c
            .people_affected
            .iter()
            .map(|e| Earlier { value: people(&e.value), replaced_at: e.replaced_at, wording_fix: e.wording_fix })
            .collect();
        let list = |d: &[Text]| d.iter().map(|t| self.tr(t)).collect::<Vec<_>>().join("; ");
        let earlier_data: Vec<Earlier<Option<String>>> = c
            .data_affected
            .iter()
            .map(|e| Earlier { value: Some(list(&e.value)), replaced_at: e.replaced_at, wording_fix: e.wording_fix })
            .collect();
        BreachCx {
            people_moved,
            people_moved_text: people_moved.map(|moved| {
                let before =
                    latest.and_then(|e| people(&e.value)).unwrap_or_else(|| self.locale.get("edit.none").to_owned());
                self.locale.fill(&format!("edit.people_{moved}"), &[("count", &before)])
            }),
            people_edits: self.text_edits(&earlier_people, people(&b.people_affected)),
            data_edits: self.text_edits(&earlier_data, Some(list(&b.data_affected))),
            advice_edits: self.markdown_edits(&c.what_you_should_do, b.what_you_should_do.as_ref()),
            data_affected: b.data_affected.iter().map(|d| self.tr(d)).collect(),
            people_affected: people(&b.people_affected),
            what_you_should_do_html: b.what_you_should_do.as_ref().map(|m| self.prose_html(m, root)),
            authority_notified: b.authority_notified_at.map(|a| self.time(a)),
        }
    }

    fn postmortem(&self, i: usize, p: &Postmortem, root: &str) -> PostmortemCx {
        let t = self.locale;
        let c = &self.views.incidents[i].corrections;
        let sections = [
            (Section::Summary, &p.summary),
            (Section::Impact, &p.impact),
            (Section::RootCause, &p.root_cause),
            (Section::Resolution, &p.resolution),
        ]
        .into_iter()
        .filter_map(|(section, body)| {
            body.as_ref().map(|b| SectionCx {
                heading: t.get(&format!("postmortem.{}", section.as_str())).to_owned(),
                html: self.prose_html(b, root),
                edits: self.markdown_edits(c.section(section), Some(b)),
            })
        })
        .collect();
        PostmortemCx {
            published: p.published_at.map(|at| self.time(at)),
            sections,
            action_items: p.action_items.iter().map(|a| self.action(a)).collect(),
            lessons_html: p.lessons.as_ref().map(|m| self.prose_html(m, root)),
            lessons_edits: self.markdown_edits(c.section(Section::Lessons), p.lessons.as_ref()),
        }
    }

    fn action(&self, a: &ActionItem) -> ActionCx {
        let t = self.locale;
        ActionCx {
            text: self.tr(&a.text),
            status: a.status.as_str(),
            status_label: t.get(&format!("action.{}", a.status.as_str())).to_owned(),
            due: a.due.map(|d| t.fill("postmortem.due", &[("date", &t.date(d))])),
            done_at: a.done_at.map(|d| t.fill("postmortem.done_at", &[("date", &t.date(d))])),
            overdue: a.due.is_some_and(|due| due < self.views.today)
                && matches!(a.status, crate::model::ActionStatus::Planned | crate::model::ActionStatus::InProgress),
        }
    }
}

/// Ids joined by spaces, as `data-` attributes hold them.
fn join_ids(ids: Vec<&str>) -> String {
    ids.join(" ")
}

/// The word templates and CSS use for a phase.
pub fn phase_word(phase: Phase) -> &'static str {
    match phase {
        Phase::Unpublished => "unpublished",
        Phase::Active => "active",
        Phase::Resolved => "resolved",
        Phase::Upcoming => "upcoming",
        Phase::InProgress => "in_progress",
        Phase::Completed => "completed",
        Phase::Announced => "announced",
        Phase::Expired => "expired",
    }
}

/// Uptime with two decimals, never rounding a bad day up to 100.
pub fn format_uptime(percent: f64) -> String {
    let floored = (percent * 100.0).floor() / 100.0;
    format!("{floored:.2}")
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptime_never_rounds_up_to_full() {
        assert_eq!(format_uptime(99.999), "99.99");
        assert_eq!(format_uptime(100.0), "100.00");
    }
}
