//! What changed after readers saw it: corrections, derived by comparing an
//! incident with its earlier versions ([`crate::model::Revision`]).
//!
//! Something is corrected when a value readers could see (an update's text,
//! status, promise or time; a post-mortem section; a breach fact; the title;
//! the impact) is replaced more than the grace period after it was first
//! shown. A change before it was shown (a draft dated later, still being
//! edited) or within the grace period (a typo fixed at once) is not a
//! correction. A change declared a fix of wording alone is listed without the
//! earlier text, but only when it leaves every number, time, status and
//! promise as it was; otherwise the declaration is refused and the change is
//! shown like any other.

use jiff::{SignedDuration, Timestamp};

use crate::diagnostic::Pos;
use crate::model::{Impact, Incident, Markdown, PeopleAffected, Text, Update, UpdateStatus};

/// One earlier value of something readers saw, and when it was replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Earlier<T> {
    /// What it was.
    pub value: T,
    /// When the edit replaced it.
    pub replaced_at: Timestamp,
    /// Whether that edit was a fix of wording alone (declared, and checked to change no fact).
    pub wording_fix: bool,
}

/// An update as one version said it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateVersion {
    /// When it was dated.
    pub at: Timestamp,
    /// Its status.
    pub status: Option<UpdateStatus>,
    /// Its text.
    pub body: Markdown,
    /// Its promise.
    pub next_update_by: Option<Timestamp>,
}

impl UpdateVersion {
    /// What `u` says.
    pub fn of_update(u: &Update) -> UpdateVersion {
        UpdateVersion { at: u.at, status: u.status, body: u.body.clone(), next_update_by: u.next_update_by }
    }
}

/// A post-mortem section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// What happened.
    Summary,
    /// Who was affected and how.
    Impact,
    /// Why it happened.
    RootCause,
    /// How it was fixed.
    Resolution,
    /// What was learned.
    Lessons,
}

impl Section {
    /// Every section, in reading order.
    pub const ALL: [Section; 5] =
        [Section::Summary, Section::Impact, Section::RootCause, Section::Resolution, Section::Lessons];

    /// Its field name, as written in incident files (and its key among the UI strings).
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Summary => "summary",
            Section::Impact => "impact",
            Section::RootCause => "root_cause",
            Section::Resolution => "resolution",
            Section::Lessons => "lessons",
        }
    }

    fn of(self, incident: &Incident) -> Option<Markdown> {
        let p = incident.postmortem.as_ref()?;
        match self {
            Section::Summary => p.summary.clone(),
            Section::Impact => p.impact.clone(),
            Section::RootCause => p.root_cause.clone(),
            Section::Resolution => p.resolution.clone(),
            Section::Lessons => p.lessons.clone(),
        }
    }
}

/// A declared fix of wording that changed a fact, so it is shown as a correction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// When the edit was made.
    pub replaced_at: Timestamp,
    /// What fact it changed, in words.
    pub what: String,
    /// Where that is written in the file now.
    pub pos: Pos,
}

/// Everything corrected in one incident, each list oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Corrections {
    /// Earlier titles.
    pub title: Vec<Earlier<Text>>,
    /// Earlier impacts.
    pub impact: Vec<Earlier<Impact>>,
    /// Earlier versions of each update, by its index in the incident; empty when none changed.
    pub updates: Vec<Vec<Earlier<UpdateVersion>>>,
    /// Updates that were shown and then removed: their versions, the last one replaced by nothing.
    pub removed: Vec<Vec<Earlier<UpdateVersion>>>,
    /// Earlier versions of post-mortem sections; `None` where a section was taken out.
    pub sections: Vec<(Section, Vec<Earlier<Option<Markdown>>>)>,
    /// Earlier counts of the people affected by a breach.
    pub people_affected: Vec<Earlier<Option<PeopleAffected>>>,
    /// Earlier lists of the data a breach affected.
    pub data_affected: Vec<Earlier<Vec<Text>>>,
    /// Earlier advice to the people affected by a breach.
    pub what_you_should_do: Vec<Earlier<Option<Markdown>>>,
    /// Declared fixes of wording that changed a fact.
    pub refused: Vec<Refused>,
}

impl Corrections {
    /// Whether nothing was corrected.
    pub fn is_empty(&self) -> bool {
        self.title.is_empty()
            && self.impact.is_empty()
            && self.updates.iter().all(Vec::is_empty)
            && self.removed.is_empty()
            && self.sections.is_empty()
            && self.people_affected.is_empty()
            && self.data_affected.is_empty()
            && self.what_you_should_do.is_empty()
    }

    /// The earlier versions of update `index`.
    pub fn update(&self, index: usize) -> &[Earlier<UpdateVersion>] {
        self.updates.get(index).map_or(&[], Vec::as_slice)
    }

    /// The latest edit after publishing of what the incident says as a whole
    /// (title, impact, post-mortem, breach facts), as opposed to one update.
    pub fn incident_edit(&self) -> Option<Timestamp> {
        let sections = self.sections.iter().filter_map(|(_, e)| last_edit(e));
        [
            last_edit(&self.title),
            last_edit(&self.impact),
            last_edit(&self.people_affected),
            last_edit(&self.data_affected),
            last_edit(&self.what_you_should_do),
        ]
        .into_iter()
        .flatten()
        .chain(sections)
        .max()
    }

    /// The earlier versions of post-mortem section `section`.
    pub fn section(&self, section: Section) -> &[Earlier<Option<Markdown>>] {
        self.sections.iter().find(|(s, _)| *s == section).map_or(&[], |(_, e)| e.as_slice())
    }
}

/// The time of the latest edit among `earlier`, if any.
pub fn last_edit<T>(earlier: &[Earlier<T>]) -> Option<Timestamp> {
    earlier.iter().map(|e| e.replaced_at).max()
}

/// One version of the incident: what it said, and when readers could see it.
struct Span<'a> {
    incident: &'a Incident,
    published: Timestamp,
    /// When the next version replaced it; `None` for the version being built.
    replaced: Option<Timestamp>,
}

impl Span<'_> {
    /// When something that appears at `from` was first shown in this version, if before it was replaced.
    fn shown(&self, from: Timestamp) -> Option<Timestamp> {
        let at = self.published.max(from);
        self.replaced.is_none_or(|r| at < r).then_some(at)
    }

    /// When the incident itself was first shown in this version: its first update.
    fn incident_shown(&self) -> Option<Timestamp> {
        self.incident.updates.first().and_then(|u| self.shown(u.at))
    }

    /// When its post-mortem was first shown in this version, if it was.
    fn postmortem_shown(&self) -> Option<Timestamp> {
        let p = self.incident.postmortem.as_ref()?;
        let until = self.replaced.map(|r| r - SignedDuration::from_secs(1))?;
        let view = super::incident(self.incident, until);
        if !view.postmortem_published {
            return None;
        }
        self.shown(p.published_at.or(view.end).unwrap_or(self.published))
    }
}

/// One edit: when it was made, and whether it was a fix of wording alone.
#[derive(Clone, Copy)]
struct Edit {
    at: Timestamp,
    wording_fix: bool,
}

/// Derives what was corrected in `incident`, with `now` standing for the time of an
/// edit not yet published, and `grace` the time after something was first shown
/// within which an edit is not a correction.
pub fn derive(incident: &Incident, now: Timestamp, grace: SignedDuration) -> Corrections {
    if incident.revisions.is_empty() {
        return Corrections::default();
    }
    let mut spans: Vec<Span<'_>> = incident
        .revisions
        .iter()
        .map(|r| Span {
            incident: &r.incident,
            published: r.published_at,
            replaced: Some(r.replaced_at.unwrap_or(now)),
        })
        .collect();
    let last = spans.last().and_then(|s| s.replaced).unwrap_or(now);
    spans.push(Span { incident, published: last, replaced: None });
    let mut out = Corrections::default();
    let edits: Vec<Edit> = incident
        .revisions
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let at = r.replaced_at.unwrap_or(now);
            let wording_fix = r.wording_fix
                && match facts_changed(spans[k].incident, spans[k + 1].incident) {
                    None => true,
                    Some(what) => {
                        let pos = refused_pos(incident, k + 1 == incident.revisions.len(), &what);
                        out.refused.push(Refused { replaced_at: at, what: what.describe(), pos });
                        false
                    }
                };
            Edit { at, wording_fix }
        })
        .collect();
    let t = Tracer { edits: &edits, grace };
    out.title = t.trace(&spans, |s| (Some(s.incident.title.clone()), s.incident_shown()));
    out.impact = t.trace(&spans, |s| (Some(s.incident.impact), s.incident_shown()));
    out.people_affected =
        t.trace(&spans, |s| (s.incident.breach.as_ref().map(|b| b.people_affected.clone()), s.incident_shown()));
    out.data_affected =
        t.trace(&spans, |s| (s.incident.breach.as_ref().map(|b| b.data_affected.clone()), s.incident_shown()));
    out.what_you_should_do =
        t.trace(&spans, |s| (s.incident.breach.as_ref().map(|b| b.what_you_should_do.clone()), s.incident_shown()));
    for section in Section::ALL {
        let earlier = t.trace(&spans, |s| {
            let shown = s.postmortem_shown();
            (s.incident.postmortem.as_ref().map(|_| section.of(s.incident)), shown)
        });
        if !earlier.is_empty() {
            out.sections.push((section, earlier));
        }
    }
    updates(&t, &spans, &mut out);
    out
}

/// A value of one version, and when it was first shown in it; `None` as the value
/// where that version does not have it.
type Seen<T> = (Option<T>, Option<Timestamp>);

/// Walks versions of one thing, recording each value that was shown and then edited.
struct Tracer<'e> {
    edits: &'e [Edit],
    grace: SignedDuration,
}

impl Tracer<'_> {
    /// The earlier values of what `seen` picks out of each version.
    fn trace<T: Clone + PartialEq>(&self, spans: &[Span<'_>], seen: impl Fn(&Span<'_>) -> Seen<T>) -> Vec<Earlier<T>> {
        let values: Vec<Seen<T>> = spans.iter().map(seen).collect();
        self.record(&values)
    }

    /// The earlier values among `values`, one per version, the last the version being built.
    fn record<T: Clone + PartialEq>(&self, values: &[Seen<T>]) -> Vec<Earlier<T>> {
        let mut first_shown: Option<Timestamp> = None;
        let mut out = Vec::new();
        for (k, edit) in self.edits.iter().enumerate() {
            let ((value, shown), (next, _)) = (&values[k], &values[k + 1]);
            let (Some(value), Some(shown)) = (value, shown) else { continue };
            let first = *first_shown.get_or_insert(*shown);
            if next.as_ref() != Some(value) && edit.at > first + self.grace {
                out.push(Earlier { value: value.clone(), replaced_at: edit.at, wording_fix: edit.wording_fix });
            }
        }
        out
    }
}

/// The earlier versions of each update, and the updates removed, following each
/// update from version to version (see [`follow`]).
fn updates(t: &Tracer<'_>, spans: &[Span<'_>], out: &mut Corrections) {
    let last = spans.len() - 1;
    // Each chain is one update's value in every version, `None` where it is not there.
    let mut chains: Vec<Vec<Option<&Update>>> = spans[0].incident.updates.iter().map(|u| vec![Some(u)]).collect();
    for k in 1..spans.len() {
        let now = &spans[k].incident.updates;
        let alive: Vec<usize> = (0..chains.len()).filter(|c| chains[*c][k - 1].is_some()).collect();
        let before: Vec<&Update> = alive.iter().filter_map(|c| chains[*c][k - 1]).collect();
        let matched = follow(&before, now);
        let mut taken = vec![false; now.len()];
        for chain in &mut chains {
            chain.push(None);
        }
        for (n, c) in alive.iter().enumerate() {
            if let Some(j) = matched[n] {
                chains[*c][k] = Some(&now[j]);
                taken[j] = true;
            }
        }
        for (_, u) in now.iter().enumerate().filter(|(j, _)| !taken[*j]) {
            let mut chain = vec![None; k];
            chain.push(Some(u));
            chains.push(chain);
        }
    }
    for chain in chains {
        let values: Vec<Seen<UpdateVersion>> = chain
            .iter()
            .zip(spans)
            .map(|(u, span)| (u.map(UpdateVersion::of_update), u.and_then(|u| span.shown(u.at))))
            .collect();
        let earlier = t.record(&values);
        if earlier.is_empty() {
            continue;
        }
        match chain[last] {
            Some(u) => {
                // `u` was taken from these very updates, so it is found; were it
                // not, its edits would belong to no update shown, not to another.
                let Some(index) = spans[last].incident.updates.iter().position(|x| std::ptr::eq(x, u)) else {
                    continue;
                };
                if out.updates.is_empty() {
                    out.updates = vec![Vec::new(); spans[last].incident.updates.len()];
                }
                out.updates[index] = earlier;
            }
            None => out.removed.push(earlier),
        }
    }
    out.removed.sort_by_key(|e| e.first().map(|v| v.value.at));
}

/// Which update of `after` each of `before` became: the one dated the same, else,
/// among those left on both sides, the one in the same place in time order (an
/// update whose time was corrected); `None` where it was removed.
fn follow(before: &[&Update], after: &[Update]) -> Vec<Option<usize>> {
    let mut taken = vec![false; after.len()];
    let mut out: Vec<Option<usize>> = before
        .iter()
        .map(|u| {
            let j = (0..after.len()).find(|j| !taken[*j] && after[*j].at == u.at)?;
            taken[j] = true;
            Some(j)
        })
        .collect();
    let left: Vec<usize> = (0..after.len()).filter(|j| !taken[*j]).collect();
    let unmatched: Vec<usize> = (0..before.len()).filter(|i| out[*i].is_none()).collect();
    for (i, j) in unmatched.into_iter().zip(left) {
        out[i] = Some(j);
    }
    out
}

/// A fact an edit changed.
enum Fact {
    /// A field of the incident (its name).
    Field(&'static str),
    /// Something in update `index` (what).
    Update(usize, &'static str),
}

impl Fact {
    fn describe(&self) -> String {
        match self {
            Fact::Field(name) => format!("`{name}`"),
            Fact::Update(_, what) => (*what).to_owned(),
        }
    }
}

/// Where the fact `what` is written in `incident`'s file now, when `current` (the edit
/// made the version being built); else where its title is.
fn refused_pos(incident: &Incident, current: bool, what: &Fact) -> Pos {
    match what {
        Fact::Update(i, _) if current => incident.updates.get(*i).map_or(incident.title_pos, |u| u.pos),
        Fact::Field("breach.people_affected") => incident.breach_pos.unwrap_or(incident.title_pos),
        _ => incident.title_pos,
    }
}

/// The first number, time, status or promise that differs between `a` and `b`; `None`
/// when only wording changed.
fn facts_changed(a: &Incident, b: &Incident) -> Option<Fact> {
    let fields: [(&'static str, bool); 10] = [
        ("kind", a.kind == b.kind),
        ("impact", a.impact == b.impact),
        ("components", a.components == b.components),
        ("started_at", a.started_at == b.started_at),
        ("detected_at", a.detected_at == b.detected_at),
        ("resolved_at", a.resolved_at == b.resolved_at),
        ("scheduled", a.scheduled == b.scheduled),
        ("effective_at", a.effective_at == b.effective_at),
        ("title", numbers(&a.title) == numbers(&b.title)),
        ("summary", numbers_of(a.summary.as_ref()) == numbers_of(b.summary.as_ref())),
    ];
    if let Some((name, _)) = fields.iter().find(|(_, same)| !same) {
        return Some(Fact::Field(name));
    }
    if a.updates.len() != b.updates.len() {
        return Some(Fact::Field("updates"));
    }
    for (i, (x, y)) in a.updates.iter().zip(&b.updates).enumerate() {
        let what = if x.at != y.at {
            "the time of an update"
        } else if x.status != y.status {
            "the status of an update"
        } else if x.next_update_by != y.next_update_by {
            "a promised next update"
        } else if numbers(&x.body.0) != numbers(&y.body.0) {
            "a number in an update"
        } else if rewritten(&x.body.0, &y.body.0) {
            "more of an update's wording than a typo fix would"
        } else {
            continue;
        };
        return Some(Fact::Update(i, what));
    }
    postmortem_facts(a, b).or_else(|| breach_facts(a, b))
}

fn postmortem_facts(a: &Incident, b: &Incident) -> Option<Fact> {
    let (x, y) = match (&a.postmortem, &b.postmortem) {
        (None, None) => return None,
        (Some(x), Some(y)) => (x, y),
        _ => return Some(Fact::Field("postmortem")),
    };
    if x.published_at != y.published_at {
        return Some(Fact::Field("postmortem.published_at"));
    }
    let same_sections = Section::ALL.iter().all(|s| {
        let (p, q) = (s.of(a), s.of(b));
        let reworded = matches!((&p, &q), (Some(p), Some(q)) if rewritten(&p.0, &q.0));
        numbers_of(p.as_ref()) == numbers_of(q.as_ref()) && !reworded
    });
    let same_items = x.action_items.len() == y.action_items.len()
        && x.action_items.iter().zip(&y.action_items).all(|(p, q)| {
            p.status == q.status && p.due == q.due && p.done_at == q.done_at && numbers(&p.text) == numbers(&q.text)
        });
    if !same_sections {
        return Some(Fact::Field("postmortem"));
    }
    (!same_items).then_some(Fact::Field("postmortem.action_items"))
}

fn breach_facts(a: &Incident, b: &Incident) -> Option<Fact> {
    let (x, y) = match (&a.breach, &b.breach) {
        (None, None) => return None,
        (Some(x), Some(y)) => (x, y),
        _ => return Some(Fact::Field("breach")),
    };
    if x.people_affected != y.people_affected {
        return Some(Fact::Field("breach.people_affected"));
    }
    if x.authority_notified_at != y.authority_notified_at {
        return Some(Fact::Field("breach.authority_notified_at"));
    }
    let data = |b: &crate::model::Breach| b.data_affected.iter().flat_map(numbers).collect::<Vec<_>>();
    if data(x) != data(y) || numbers_of(x.what_you_should_do.as_ref()) != numbers_of(y.what_you_should_do.as_ref()) {
        return Some(Fact::Field("breach"));
    }
    None
}

/// Every number written in `text`, in every language, in order, as written.
pub fn numbers(text: &Text) -> Vec<String> {
    text.all().flat_map(numbers_in).map(str::to_owned).collect()
}

/// Every number in `text`, in order, as written: a run of digits with the
/// separators people write inside numbers (`12,000`, `12 000`, `1.5`) kept, so
/// that `1.5` and `15` are different numbers and `12 000` is one.
pub fn numbers_in(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|(_, n)| n.is_numeric());
        let joins = matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\'') && next_is_digit;
        match (c.is_numeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) if !joins => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn numbers_of(text: Option<&Markdown>) -> Vec<String> {
    text.map(|m| numbers(&m.0)).unwrap_or_default()
}

/// One piece of a difference between two texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Words in both.
    Same(String),
    /// Words only in the earlier text.
    Removed(String),
    /// Words only in the later text.
    Added(String),
}

/// Whether `b` rewrites `a` beyond what fixing typos does: in some language, more
/// words went or came than one in five of the text's words (and more than three).
/// A fix of wording may leave the earlier text unshown, so it must be small.
fn rewritten(a: &Text, b: &Text) -> bool {
    let languages = a.all().zip(b.all());
    languages.into_iter().any(|(old, new)| {
        let changed: usize = words(old, new)
            .iter()
            .map(|p| match p {
                Piece::Removed(w) | Piece::Added(w) => w.split_whitespace().count(),
                Piece::Same(_) => 0,
            })
            .sum();
        changed > 3 && changed * 5 > old.split_whitespace().count()
    })
}

/// The longest pair of texts (in words, multiplied) compared word by word; longer
/// ones are shown as removed and added whole, so a hostile file cannot make the
/// comparison take long.
const MAX_WORD_PAIRS: usize = 4_000_000;

/// The difference between `old` and `new`, word by word: the words that stayed, went
/// and came, in reading order, each run of them in one piece.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let count = |t: &str| t.split_whitespace().count().max(1);
    if count(old).saturating_mul(count(new)) > MAX_WORD_PAIRS {
        return [Piece::Removed(old.to_owned()), Piece::Added(new.to_owned())].into();
    }
    let diff = similar::TextDiff::from_words(old, new);
    let mut out: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        let piece = match change.tag() {
            similar::ChangeTag::Equal => Piece::Same(text.to_owned()),
            similar::ChangeTag::Delete => Piece::Removed(text.to_owned()),
            similar::ChangeTag::Insert => Piece::Added(text.to_owned()),
        };
        match (out.last_mut(), piece) {
            (Some(Piece::Same(a)), Piece::Same(b)) | (Some(Piece::Removed(a)), Piece::Removed(b)) => a.push_str(&b),
            (Some(Piece::Added(a)), Piece::Added(b)) => a.push_str(&b),
            (_, piece) => out.push(piece),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_say_what_went_and_came() {
        let pieces = words("About 12,000 people were affected.", "About 15,000 people were affected.");
        assert_eq!(
            pieces,
            [
                Piece::Same("About ".into()),
                Piece::Removed("12,000".into()),
                Piece::Added("15,000".into()),
                Piece::Same(" people were affected.".into()),
            ]
        );
    }

    #[test]
    fn numbers_are_runs_of_digits() {
        assert_eq!(numbers(&Text::new("Next update by 14:30, 12,000 people")), ["14", "30", "12,000"]);
        assert_eq!(numbers_in("1.5 or 15, 12 000 (8)."), ["1.5", "15", "12 000", "8"]);
    }
}
