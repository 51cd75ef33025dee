//! A deterministic synthetic site, for candor's benchmarks: `candor-generate`.
//!
//! The same arguments and seed always give byte-identical files: every choice
//! comes from a small SplitMix64 generator seeded by `--seed`, and every time
//! is computed from a fixed "now" (2026-11-20T12:00:00+02:00), never the clock.
//! Times are written in UTC with `Z`, so daylight saving time in the site's
//! zone (Europe/Helsinki) can never make one ambiguous or nonexistent.
//!
//! The mix aims at what a real status page accumulates over three years:
//! mostly outages and degraded performance, some maintenance, a few security
//! incidents, data breaches and notices; about 10% still active (recent, with
//! a pending promise of the next update), about 20% with a post-mortem, and
//! promises (`next_update_by`) on most updates that are not final, some kept
//! and some broken. The site is also clean for `candor check` (no lint
//! warnings), so a benchmark build measures building rather than printing.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use candor::author::slugify;
use candor::load::{INCIDENTS_DIR, SITE_FILE};
use candor::model::Kind;
use candor::yaml;
use clap::Parser;
use jiff::Timestamp;

/// Writes a synthetic candor site for benchmarks.
#[derive(Debug, Parser)]
#[command(name = "candor-generate", version, about)]
pub struct GenerateArgs {
    /// Where to write the site (created; must not exist or be empty).
    #[arg(long)]
    pub out: PathBuf,
    /// Number of incidents.
    #[arg(long, default_value_t = 1000)]
    pub incidents: usize,
    /// Updates per incident.
    #[arg(long, default_value_t = 6)]
    pub updates: usize,
    /// Number of components.
    #[arg(long, default_value_t = 20)]
    pub components: usize,
    /// Seed of the pseudo-random choices.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Number of audiences, each depending on five components, with advice for them on the active,
    /// major and critical incidents and on data breaches; 0 writes the site as without them.
    #[arg(long, default_value_t = 4)]
    pub audiences: usize,
    /// Also write the site's history to this file, as a `git fast-import` stream: each
    /// incident committed in stages (its first update, half of them, all), each at the
    /// time of the last update it holds, and one in 25 with a wording corrected after
    /// publishing. The files on disk are the last commit's. `bench/history.sh` imports it.
    #[arg(long)]
    pub history: Option<PathBuf>,
}

/// The moment the synthetic site is frozen at: 2026-11-20T12:00:00+02:00, in seconds since 1970.
pub const NOW: i64 = 1_795_168_800;

/// The `now:` line written to `site.yaml`, the same moment as [`NOW`].
pub const NOW_TEXT: &str = "2026-11-20T12:00:00+02:00";

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// How far back the incidents go.
const SPAN: i64 = 3 * 365 * DAY;

/// One file of the synthetic site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The path relative to the site root, e.g. `incidents/2025/2025-03-14-api-unavailable-17.yaml`.
    pub path: PathBuf,
    /// The file's contents.
    pub text: String,
}

fn main() -> ExitCode {
    match run(&GenerateArgs::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the synthetic site into `args.out`, which must not exist or be an empty folder.
pub fn run(args: &GenerateArgs) -> Result<(), String> {
    check_args(args)?;
    prepare_out(&args.out)?;
    let mut generator = Generator::new(args);
    let mut bytes = 0usize;
    let site = generator.site_file();
    bytes += site.text.len();
    write_file(&args.out, &site)?;
    let mut events: Vec<Event> = Vec::new();
    for index in 0..args.incidents {
        let (file, versions) = generator.incident_versions(index);
        bytes += file.text.len();
        write_file(&args.out, &file)?;
        if args.history.is_some() {
            events.extend(versions.into_iter().map(|(time, text)| Event { time, path: file.path.clone(), text }));
        }
    }
    if let Some(path) = &args.history {
        let stream = history_stream(&site, events);
        fs::write(path, stream).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    println!(
        "Generated {} incidents ({} updates each, {} components, seed {}) into {}: {} bytes",
        args.incidents,
        args.updates,
        args.components,
        args.seed,
        args.out.display(),
        bytes
    );
    Ok(())
}

/// Every file of the synthetic site, in memory: `site.yaml` first, then the incidents.
pub fn files(args: &GenerateArgs) -> Result<Vec<GeneratedFile>, String> {
    check_args(args)?;
    let mut generator = Generator::new(args);
    let mut all = vec![generator.site_file()];
    all.extend((0..args.incidents).map(|i| generator.incident_file(i)));
    Ok(all)
}

fn check_args(args: &GenerateArgs) -> Result<(), String> {
    if args.updates == 0 {
        return Err("--updates must be at least 1: every incident needs an update".into());
    }
    if args.components == 0 {
        return Err("--components must be at least 1: a site needs a component".into());
    }
    if args.updates > 200 {
        return Err("--updates must be at most 200, to keep each incident file well under 1 MiB".into());
    }
    Ok(())
}

/// Creates `out`, or accepts it when it is an empty folder; refuses anything else.
fn prepare_out(out: &Path) -> Result<(), String> {
    match fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(format!("{} exists and is not empty; choose a new or empty folder", out.display()));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))
        }
        Err(e) => Err(format!("cannot use {} as the output folder: {e}", out.display())),
    }
}

/// One in how many incidents has a wording corrected after publishing, in the history.
const CORRECTED_EVERY: usize = 25;

/// What the first update of a corrected incident says at first, and is taken back.
const WRONG: &str = "\nWe expect this to be fixed within minutes.";

/// One commit of the history: a file's text at a time.
struct Event {
    time: i64,
    path: PathBuf,
    text: String,
}

/// A `git fast-import` stream of `site` committed a day before the first event, then
/// every event in time order, one commit each, on `refs/heads/main`.
fn history_stream(site: &GeneratedFile, mut events: Vec<Event>) -> Vec<u8> {
    events.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.path.cmp(&b.path)));
    let first = events.first().map_or(NOW, |e| e.time) - DAY;
    let mut out = Vec::with_capacity(events.iter().map(|e| e.text.len() + 200).sum());
    let mut commit = |time: i64, path: &Path, text: &str, message: &str| {
        let path = path.to_string_lossy().replace('\\', "/");
        let _ = write!(
            Sink(&mut out),
            "commit refs/heads/main\ncommitter Status Team <status@example.test> {time} +0000\ndata {}\n{message}\nM 100644 inline {path}\ndata {}\n{text}\n",
            message.len() + 1,
            text.len()
        );
    };
    commit(first, &site.path, &site.text, "Set up the status page");
    for e in &events {
        let name = e.path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        commit(e.time, &e.path, &e.text, &format!("Update {name}"));
    }
    out
}

/// Lets `write!` append to a byte buffer.
struct Sink<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

fn write_file(root: &Path, file: &GeneratedFile) -> Result<(), String> {
    let path = root.join(&file.path);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(&path, &file.text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// SplitMix64: tiny, fast, and good enough to make a varied but reproducible site.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0); the tiny modulo bias does not matter here.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A number in `low..=high`.
    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1).max(1) as u64) as i64
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    /// One element of a non-empty slice.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A component of the synthetic site.
#[derive(Clone, Debug)]
struct Component {
    id: String,
    name: String,
    group: String,
}

/// A group of readers and the components (by index) it depends on.
#[derive(Clone, Debug)]
struct Audience {
    id: String,
    name: String,
    components: Vec<usize>,
}

/// `(id, name)` of realistic audiences, in the order they are used.
const AUDIENCES: &[(&str, &str)] = &[
    ("online-shops", "Online shops"),
    ("in-store", "In-store merchants"),
    ("developers", "Developers and platforms"),
    ("enterprise", "Enterprise customers"),
    ("marketplaces", "Marketplaces"),
    ("eu-merchants", "Merchants in the EU"),
];

/// `(id, name, description)` of realistic components, in the order they are used.
const COMPONENTS: &[(&str, &str, &str)] = &[
    ("api", "Public API", "REST API at api.example.test"),
    ("payments", "Card payments", "Authorisation, capture and refunds"),
    ("webhooks", "Webhooks", "Event delivery to your endpoints"),
    ("checkout", "Hosted checkout", "The payment page your customers see"),
    ("payouts", "Payouts", "Transfers to your bank account"),
    ("dashboard", "Merchant dashboard", "dashboard.example.test"),
    ("mobile-app", "Mobile app", "For iOS and Android"),
    ("sign-in", "Sign-in", "Passwords, two-factor and single sign-on"),
    ("search", "Search", "Search in the dashboard and the API"),
    ("reports", "Reports", "Scheduled and on-demand reports"),
    ("email", "Email notifications", "Receipts, payout notices and sign-in emails"),
    ("sms", "SMS notifications", "One-time codes and alerts by text message"),
    ("push", "Push notifications", "Notifications to the mobile app"),
    ("chat", "Support chat", "Live chat with our support team"),
    ("invoicing", "Invoicing", "Invoices and payment links"),
    ("subscriptions", "Subscriptions", "Recurring billing"),
    ("fraud", "Fraud screening", "Risk scores for every payment"),
    ("exports", "Data exports", "CSV and accounting exports"),
    ("cdn", "CDN", "Static files and images"),
    ("dns", "DNS", "Name servers for our domains"),
    ("docs", "Developer docs", "docs.example.test"),
    ("website", "Website", "www.example.test"),
    ("sandbox", "Sandbox", "The test environment for integrations"),
    ("terminals", "Card terminals", "In-store payment terminals"),
    ("bank-transfers", "Bank transfers", "SEPA and instant transfers"),
];

const GROUPS: &[&str] =
    &["Platform", "Payments", "Customer-facing", "Communication", "Operations", "Infrastructure", "Developers"];

const REGIONS: &[&str] = &[
    "Helsinki (eu-north-1)",
    "Frankfurt (eu-central-1)",
    "Dublin (eu-west-1)",
    "Virginia (us-east-1)",
    "Singapore (ap-southeast-1)",
];

const CAUSES: &[&str] = &[
    "a configuration change that sent traffic to a pool of servers that was being drained",
    "an expired TLS certificate on an internal load balancer",
    "a database failover that did not complete",
    "a full disk on one of the message queue nodes",
    "a faulty release of the request router",
    "an outage at one of our upstream network providers",
    "a memory leak in a worker process introduced in last week's release",
    "a DNS record that was removed by mistake",
    "connection pool exhaustion after a sudden rise in traffic",
    "a slow database query that locked a busy table",
];

const FIXES: &[&str] = &[
    "rolling back the change",
    "failing over to the standby database",
    "adding capacity and moving traffic to healthy servers",
    "replacing the certificate",
    "restarting the affected workers one at a time",
    "routing traffic around the failing provider",
];

/// The kind of a synthetic incident: 40% outages, 33% degraded, 15% maintenance,
/// 5% security, 2% breaches, 5% notices.
fn choose_kind(rng: &mut Rng) -> Kind {
    match rng.below(1000) {
        0..=399 => Kind::Outage,
        400..=729 => Kind::Degraded,
        730..=879 => Kind::Maintenance,
        880..=929 => Kind::Security,
        930..=949 => Kind::DataBreach,
        _ => Kind::Notice,
    }
}

/// One update being written: when, its status, its promise and its body.
#[derive(Clone, Debug)]
struct Update {
    at: i64,
    status: Option<&'static str>,
    next_update_by: Option<i64>,
    body: String,
}

/// What one incident's texts agree on: the component, the region, the cause and the fix.
#[derive(Clone, Copy, Debug)]
struct Story<'a> {
    c: &'a str,
    region: &'a str,
    cause: &'static str,
    fix: &'static str,
}

/// Everything about one incident before it is written as YAML.
#[derive(Clone, Debug)]
struct Draft {
    title: String,
    kind: Kind,
    impact: Option<&'static str>,
    components: Vec<usize>,
    /// The map form: a status for each component, or the list form when `None`.
    statuses: Option<Vec<&'static str>>,
    started_at: i64,
    detected_at: Option<i64>,
    resolved_at: Option<i64>,
    summary: Option<String>,
    updates: Vec<Update>,
    postmortem: Option<String>,
    /// Why `postmortem-missing` does not apply, written as an `allow:` entry.
    allow: Option<&'static str>,
    breach: Option<String>,
    scheduled: Option<(i64, i64)>,
    effective_at: Option<i64>,
}

/// The generator: its options, its components and the one random stream all choices come from.
struct Generator {
    rng: Rng,
    updates: usize,
    components: Vec<Component>,
    audiences: Vec<Audience>,
}

impl Generator {
    fn new(args: &GenerateArgs) -> Generator {
        // Mixing the seed once keeps seeds 0, 1, 2... from starting on related streams.
        let mut rng = Rng(args.seed ^ 0x6361_6E64_6F72_2021);
        rng.next();
        let components: Vec<Component> = (0..args.components)
            .map(|i| {
                let (id, name, _) = COMPONENTS[i % COMPONENTS.len()];
                let round = i / COMPONENTS.len();
                // Groups of four or five: 5, 4, 5, 4, ...
                let group_index = (i * 2) / 9;
                let group = match GROUPS.get(group_index) {
                    Some(g) => (*g).to_owned(),
                    None => format!("Region {}", group_index - GROUPS.len() + 2),
                };
                if round == 0 {
                    Component { id: id.to_owned(), name: name.to_owned(), group }
                } else {
                    Component { id: format!("{id}-{}", round + 1), name: format!("{name} ({})", round + 1), group }
                }
            })
            .collect();
        // Five components each, overlapping the next audience's by two; chosen without the
        // random stream, so a site without audiences is the same as before they existed.
        let total = components.len();
        let audiences = (0..args.audiences)
            .map(|k| {
                let (id, name) = AUDIENCES[k % AUDIENCES.len()];
                let round = k / AUDIENCES.len();
                let (id, name) = if round == 0 {
                    (id.to_owned(), name.to_owned())
                } else {
                    (format!("{id}-{}", round + 1), format!("{name} ({})", round + 1))
                };
                let mut depends: Vec<usize> = (0..5.min(total)).map(|j| (k * 3 + j) % total).collect();
                depends.sort_unstable();
                depends.dedup();
                Audience { id, name, components: depends }
            })
            .collect();
        Generator { rng, updates: args.updates, components, audiences }
    }

    fn site_file(&self) -> GeneratedFile {
        let mut s = String::new();
        s.push_str("# A synthetic site written by `candor generate`, for benchmarks.\n");
        s.push_str("title: Example Status\n");
        s.push_str("base_url: https://status.example.test/\n");
        s.push_str("timezone: Europe/Helsinki\n");
        s.push_str("language: en\n");
        s.push_str("description: Live status and incident history for Example's payment services.\n");
        s.push_str("contact:\n  email: support@example.test\n  url: https://example.test/support\n");
        s.push_str("links:\n  - name: Example\n    url: https://example.test\n");
        s.push_str("history_days: 90\n");
        let _ = writeln!(s, "now: {NOW_TEXT}");
        s.push_str("components:\n");
        for (i, c) in self.components.iter().enumerate() {
            let (_, _, description) = COMPONENTS[i % COMPONENTS.len()];
            let _ = writeln!(s, "  - id: {}", c.id);
            let _ = writeln!(s, "    name: {}", yaml::quoted(&c.name));
            let _ = writeln!(s, "    group: {}", yaml::quoted(&c.group));
            let _ = writeln!(s, "    description: {}", yaml::quoted(description));
        }
        if !self.audiences.is_empty() {
            s.push_str("audiences:\n");
            for a in &self.audiences {
                let ids: Vec<&str> = a.components.iter().map(|&c| self.components[c].id.as_str()).collect();
                let _ = writeln!(s, "  - id: {}", a.id);
                let _ = writeln!(s, "    name: {}", yaml::quoted(&a.name));
                let _ =
                    writeln!(s, "    description: {}", yaml::quoted(&format!("Customers who use {}.", ids.join(", "))));
                let _ = writeln!(s, "    components: [{}]", ids.join(", "));
            }
        }
        GeneratedFile { path: PathBuf::from(SITE_FILE), text: s }
    }

    fn incident_file(&mut self, index: usize) -> GeneratedFile {
        self.incident_versions(index).0
    }

    /// One incident's file, and the texts it had as it was published, each with the
    /// time it was committed, oldest first (the last is the file). Choosing them draws
    /// nothing from the random stream, so the files are the same with or without history.
    fn incident_versions(&mut self, index: usize) -> (GeneratedFile, Vec<(i64, String)>) {
        let draft = self.draft();
        let day = date(draft.started_at);
        let id = format!("{day}-{}-{index}", slugify(&draft.title));
        let path = PathBuf::from(INCIDENTS_DIR).join(&day[..4]).join(format!("{id}.yaml"));
        let versions = self.stages(&draft, index % CORRECTED_EVERY == CORRECTED_EVERY / 2);
        (GeneratedFile { path, text: self.yaml(&draft) }, versions)
    }

    /// The texts of `d` as its updates were published: after the first, after half of
    /// them, and whole. With `corrected`, the first update first says more than it
    /// should, and a commit half an hour after it takes that back.
    fn stages(&self, d: &Draft, corrected: bool) -> Vec<(i64, String)> {
        let k = d.updates.len();
        let mut shown = vec![1, k.div_ceil(2), k];
        shown.dedup();
        let fix_at = d.updates[0].at + 30 * MINUTE;
        let text = |count: usize, wrong: bool| {
            let mut stage = d.clone();
            if count < k {
                stage.updates.truncate(count);
                stage.resolved_at = None;
                stage.postmortem = None;
            }
            if wrong {
                stage.updates[0].body.push_str(WRONG);
            }
            self.yaml(&stage)
        };
        let mut out: Vec<(i64, String)> = Vec::new();
        let mut published = 0;
        for count in shown {
            let time = d.updates[count - 1].at + MINUTE;
            if corrected && published > 0 && time >= fix_at && out.last().is_some_and(|(t, _)| *t < fix_at) {
                out.push((fix_at, text(published, false)));
            }
            out.push((time, text(count, corrected && time < fix_at)));
            published = count;
        }
        if corrected && out.last().is_some_and(|(t, _)| *t < fix_at) {
            out.push((fix_at, text(k, false)));
        }
        out
    }

    /// Chooses one incident: kind, components, whether it is active, and its timeline.
    fn draft(&mut self) -> Draft {
        let kind = choose_kind(&mut self.rng);
        // Notices and data breaches are always over; the others are active often enough
        // that about 10% of all incidents are (0.93 × 0.107 ≈ 0.10).
        let active = matches!(kind, Kind::Outage | Kind::Degraded | Kind::Security | Kind::Maintenance)
            && self.rng.chance(0.107);
        let count = match kind {
            Kind::Notice | Kind::DataBreach => 1,
            _ => 1 + self.rng.below(3) as usize,
        };
        let components = self.choose_components(count);
        let c = self.components[components[0]].name.clone();
        let region = self.rng.pick(REGIONS);
        let title = self.title(kind, &c, region);
        let mut draft = Draft {
            title,
            kind,
            impact: None,
            components,
            statuses: None,
            started_at: 0,
            detected_at: None,
            resolved_at: None,
            summary: None,
            updates: Vec::new(),
            postmortem: None,
            allow: None,
            breach: None,
            scheduled: None,
            effective_at: None,
        };
        match kind {
            Kind::Maintenance => self.maintenance(&mut draft, active, &c, region),
            Kind::Notice => self.notice(&mut draft, &c),
            _ => self.incident(&mut draft, active, &c, region),
        }
        draft
    }

    fn choose_components(&mut self, count: usize) -> Vec<usize> {
        let total = self.components.len();
        let mut chosen: Vec<usize> = Vec::with_capacity(count);
        while chosen.len() < count.min(total) {
            let c = self.rng.below(total as u64) as usize;
            if !chosen.contains(&c) {
                chosen.push(c);
            }
        }
        chosen
    }

    fn title(&mut self, kind: Kind, c: &str, region: &str) -> String {
        let templates: &[&str] = match kind {
            Kind::Outage => &[
                "{c} unavailable",
                "{c} returning errors",
                "{c} down in {r}",
                "Failed requests to {c}",
                "{c} not loading for most users",
                "Complete outage of {c}",
            ],
            Kind::Degraded => &[
                "Slow responses from {c}",
                "Elevated error rates on {c}",
                "{c} delayed",
                "Intermittent timeouts on {c}",
                "Degraded performance of {c} in {r}",
                "Some {c} requests failing",
            ],
            Kind::Maintenance => &[
                "Scheduled database upgrade for {c}",
                "Planned network maintenance in {r}",
                "{c} moving to a new cluster",
                "Security patching of {c} servers",
                "Storage upgrade for {c}",
            ],
            Kind::Security => &[
                "Credential stuffing attempts against {c}",
                "Vulnerability in a third-party library used by {c}",
                "Suspicious sign-in attempts blocked on {c}",
                "Phishing emails pretending to come from us",
            ],
            Kind::DataBreach => &[
                "Customer contact details exposed through {c}",
                "Unauthorised access to {c} export files",
                "Support tickets visible to the wrong customers",
            ],
            Kind::Notice => &[
                "Changes to {c} rate limits",
                "Retiring TLS 1.1 on {c}",
                "New IP addresses for {c}",
                "{c}: old version to be switched off",
            ],
        };
        self.rng.pick(templates).replace("{c}", c).replace("{r}", region)
    }

    /// An outage, degradation, security incident or data breach.
    fn incident(&mut self, d: &mut Draft, active: bool, c: &str, region: &str) {
        let rng = &mut self.rng;
        d.impact = Some(match d.kind {
            // Some outages hit only a few customers: `minor`.
            Kind::Outage => {
                rng.pick(&["major", "major", "major", "major", "critical", "critical", "minor", "minor", "minor"])
            }
            Kind::Degraded => "minor",
            Kind::Security => rng.pick(&["none", "minor"]),
            _ => "major",
        });
        if d.kind == Kind::DataBreach {
            d.statuses = Some(vec!["operational"; d.components.len()]);
        } else if rng.chance(0.25) {
            let options: &[&str] = match d.kind {
                Kind::Outage => &["major_outage", "partial_outage"],
                _ => &["degraded_performance", "partial_outage"],
            };
            let statuses = d.components.iter().map(|_| rng.pick(options)).collect();
            d.statuses = Some(statuses);
        }
        let k = self.updates;
        let statuses = incident_statuses(k, !active);
        let (offsets, promises) = self.timeline(k);
        let rng = &mut self.rng;
        let first_at = if active {
            // The last update a few minutes before now, promising the next one after now.
            NOW - rng.range(3, 40) * MINUTE - offsets[k - 1]
        } else {
            // Over three years, ending at least three days before now.
            NOW - offsets[k - 1] - rng.range(3 * DAY, SPAN)
        };
        let first_at = round_to_minute(first_at);
        let lag = if d.kind == Kind::DataBreach {
            rng.range(2 * 24 * 60, 9 * 24 * 60) * MINUTE
        } else {
            rng.range(4, 35) * MINUTE
        };
        d.started_at = first_at - lag;
        // The first public update comes within minutes of detection (candor check's
        // `late-first-update` expects it within 30).
        d.detected_at = Some(first_at - rng.range(1, 25) * MINUTE);
        let last_at = first_at + offsets[k - 1];
        let story = Story { c, region, cause: self.rng.pick(CAUSES), fix: self.rng.pick(FIXES) };
        for (i, status) in statuses.iter().enumerate() {
            let at = first_at + offsets[i];
            let next_update_by = match (active, promises[i]) {
                (true, _) if i == k - 1 => Some(NOW + self.rng.range(15, 90) * MINUTE),
                (_, Some(p)) => Some(at + p),
                _ => None,
            };
            let again = i > 0 && statuses[i - 1] == *status;
            let body = self.incident_body(d, &story, status, at, again);
            d.updates.push(Update { at, status: Some(status), next_update_by, body });
        }
        let rng = &mut self.rng;
        if !active && rng.chance(0.9) {
            d.resolved_at = Some(last_at);
        }
        if rng.chance(0.6) {
            d.summary = Some(summary(d, &story, active));
        }
        if d.kind == Kind::DataBreach {
            d.breach = Some(self.breach(d));
        }
        // Post-mortems for about 20% of all incidents: every data breach, three in four
        // resolved major or critical incidents, a few minor ones. The major ones without
        // one say why in `allow:`, as candor check asks.
        let rng = &mut self.rng;
        let serious = d.kind == Kind::DataBreach || matches!(d.impact, Some("major" | "critical"));
        let wanted = d.kind == Kind::DataBreach || rng.chance(if serious { 0.75 } else { 0.05 });
        if !active && wanted {
            let published = (last_at + rng.range(1, 6) * DAY).min(NOW - HOUR).max(last_at + HOUR);
            d.postmortem = Some(self.postmortem(&story, published));
        } else if !active && serious {
            d.allow = Some(rng.pick(&[
                "A short incident; the final update explains the cause and the fix.",
                "Caused by our provider; their post-mortem is linked in the final update.",
                "Covered by the post-mortem of the incident it was part of.",
            ]));
        }
    }

    /// Offsets of `k` updates from the first one, and the promise (as a delay) each makes.
    ///
    /// A promise is kept about three times in four: the next update comes at or before it;
    /// otherwise the next update is late by 5 to 90 minutes. The last update of an active
    /// incident gets its promise elsewhere, pointing after now.
    fn timeline(&mut self, k: usize) -> (Vec<i64>, Vec<Option<i64>>) {
        let rng = &mut self.rng;
        let mut offsets = Vec::with_capacity(k);
        let mut promises = Vec::with_capacity(k);
        let mut at = 0;
        for i in 0..k {
            offsets.push(at);
            let last = i + 1 == k;
            if last {
                promises.push(None);
                break;
            }
            let promise = rng.chance(0.85).then(|| rng.pick(&[30, 30, 45, 60, 60, 90, 120]) * MINUTE);
            let gap = match promise {
                Some(p) if rng.chance(0.75) => p - rng.range(0, (p / MINUTE) / 2) * MINUTE,
                Some(p) => p + rng.range(5, 90) * MINUTE,
                None => rng.range(15, 150) * MINUTE,
            };
            promises.push(promise);
            at += gap.max(5 * MINUTE);
        }
        (offsets, promises)
    }

    /// Scheduled maintenance: announced days ahead, reminded, carried out, completed.
    fn maintenance(&mut self, d: &mut Draft, active: bool, c: &str, region: &str) {
        let k = self.updates;
        let rng = &mut self.rng;
        if rng.chance(0.3) {
            d.statuses = Some(vec!["under_maintenance"; d.components.len()]);
        }
        let (scheduled_count, progress_count) = match (k, active) {
            (1, false) => (0, 0),
            (1, true) => (0, 1),
            (_, false) => {
                let p = (k - 1) / 2;
                (k - 1 - p, p)
            }
            (_, true) => {
                let p = k / 2;
                (k - p, p)
            }
        };
        let step = 15 * MINUTE;
        let window_start = round_to_minute(if active {
            NOW - (progress_count.max(1) as i64 - 1) * step - rng.range(5, 40) * MINUTE
        } else {
            NOW - rng.range(3 * DAY, SPAN)
        });
        // An active window lasts past now, so it never looks overrun.
        let length = rng.range(if active { 2 } else { 1 }, 4) * HOUR;
        let window_end = window_start + length;
        // Announced at least four days ahead (`maintenance-short-notice` wants three).
        let announced = window_start - rng.range(4, 14) * DAY - rng.range(0, 8) * HOUR;
        d.scheduled = Some((window_start, window_end));
        d.started_at = if scheduled_count == 0 { window_start } else { announced };
        for i in 0..scheduled_count {
            // The announcement, then reminders spread over the days before the window.
            let at = announced + (window_start - announced) * i as i64 / scheduled_count as i64;
            let at = round_to_minute(at).max(announced);
            let body = self.maintenance_body("scheduled", c, region, window_start, window_end, i);
            d.updates.push(Update { at, status: Some("scheduled"), next_update_by: None, body });
        }
        // In-progress updates come every 15 minutes and promise the next in 15, 30 or 60:
        // kept, except sometimes on the last one, before a long stretch of work.
        for i in 0..progress_count {
            let at = window_start + i as i64 * step;
            let last = i + 1 == progress_count;
            let next_update_by = if active && last {
                Some(NOW + self.rng.range(15, 60) * MINUTE)
            } else if self.rng.chance(0.8) {
                Some(at + self.rng.pick(&[15, 30, 60]) * MINUTE)
            } else {
                None
            };
            let body = self.maintenance_body("in_progress", c, region, window_start, window_end, i);
            d.updates.push(Update { at, status: Some("in_progress"), next_update_by, body });
        }
        if !active {
            let after = window_start + (progress_count as i64 - 1).max(0) * step;
            let completed = after + self.rng.range(10, (length / MINUTE) + 30) * MINUTE;
            let body = self.maintenance_body("completed", c, region, window_start, completed, 0);
            d.updates.push(Update { at: completed, status: Some("completed"), next_update_by: None, body });
            d.resolved_at = Some(completed);
        }
        if self.rng.chance(0.4) {
            d.summary = Some(format!(
                "Planned work on **{c}** in {region}. See the [maintenance calendar]\
                 (https://status.example.test/calendar.ics) for all upcoming windows.\n"
            ));
        }
    }

    /// An announcement: updates without a status, and the date the change takes effect.
    fn notice(&mut self, d: &mut Draft, c: &str) {
        let k = self.updates;
        let rng = &mut self.rng;
        let announced = round_to_minute(NOW - rng.range(3 * DAY, SPAN));
        d.started_at = announced;
        let effective = announced + rng.range(10, 60) * DAY;
        d.effective_at = Some(effective);
        let mut at = announced;
        for i in 0..k {
            let body = self.notice_body(c, effective, i);
            d.updates.push(Update { at, status: None, next_update_by: None, body });
            at += self.rng.range(1, 6) * HOUR;
        }
        d.summary = Some(format!(
            "A planned change to **{c}**. Read the [announcement](https://example.test/changes/{}) \
             and the [migration guide](https://docs.example.test/migrate).\n",
            slugify(&d.title)
        ));
    }

    /// The body of an update with `status` at `at`; `again` when the previous update had the same status.
    fn incident_body(&mut self, d: &Draft, story: &Story<'_>, status: &str, at: i64, again: bool) -> String {
        let Story { c, region, cause, fix } = *story;
        let start = d.started_at;
        let rng = &mut self.rng;
        let pct = rng.range(2, 60);
        let other = self.components[rng.below(self.components.len() as u64) as usize].name.clone();
        let since = clock(start);
        let now_text = clock(at);
        let mut s = String::new();
        match (d.kind, status) {
            (Kind::DataBreach, "investigating") if !again => {
                let _ = write!(
                    s,
                    "We have found that someone outside the company accessed data through **{c}**. \
                     We cut off the access at {now_text} UTC.\n\n\
                     **What we know:**\n\n\
                     - The access started on {} at about {since} UTC.\n\
                     - Card numbers and passwords are not stored in this system.\n\
                     - We have asked an outside forensics firm to help.\n\n\
                     As a precaution, [change your password](https://dashboard.example.test/settings/security).\n",
                    date(start)
                );
            }
            (Kind::Security, "investigating") if !again => {
                let _ = write!(
                    s,
                    "We are looking into unusual activity on **{c}**. So far we have seen no sign that \
                     any account or data was affected.\n\n\
                     - Turn on two-factor sign-in if you have not already.\n\
                     - We will never ask for your password by email or phone.\n\n\
                     Report anything suspicious to [security@example.test](mailto:security@example.test).\n"
                );
            }
            (_, "investigating") if !again => {
                let _ = write!(
                    s,
                    "We are investigating {} affecting **{c}** in {region}. About {pct}% of requests \
                     are affected.\n\n\
                     What we know so far:\n\n\
                     - The problem started at about {since} UTC.\n\
                     - **{other}** is not affected.\n\
                     - No data has been lost.\n\n\
                     We will post here as soon as we know more.\n",
                    if d.kind == Kind::Outage { "failed requests" } else { "slow responses" }
                );
            }
            (_, "investigating") => {
                let _ = write!(
                    s,
                    "We are still investigating. Error rates on **{c}** are at about {pct}%. \
                     Engineers from the {} team have joined.\n\n\
                     If a request failed, you can retry it safely: retries with the same \
                     [idempotency key](https://docs.example.test/api/idempotency) are never applied twice.\n",
                    rng.pick(&["platform", "database", "network", "payments"])
                );
            }
            (_, "identified") if again => {
                let _ = write!(
                    s,
                    "We are still {fix}. It is taking longer than we hoped; about {pct}% of requests to **{c}** \
                     still fail.\n\n\
                     - Work that was queued will be processed in order.\n\
                     - **{other}** is not affected.\n"
                );
            }
            (_, "identified") => {
                let _ = write!(
                    s,
                    "We have found the cause: {cause}. We are now {fix}.\n\n\
                     1. Stop the problem from spreading.\n\
                     2. Restore service in {region}.\n\
                     3. Replay anything that was queued.\n\n\
                     See [our support page](https://support.example.test/status) if you need help in the meantime.\n"
                );
            }
            (_, "monitoring") => {
                let _ = write!(
                    s,
                    "A fix is in place and **{c}** is recovering: errors are down to {}% and falling. \
                     We are watching it closely.\n\n\
                     - Requests made since {now_text} UTC work normally.\n\
                     - Queued events are being delivered in order.\n",
                    pct / 10 + 1
                );
            }
            (Kind::DataBreach, _) | (Kind::Security, _) => {
                let _ = write!(
                    s,
                    "Our investigation is complete and the way in has been closed. We are closing this \
                     incident, but we will keep watching for misuse.\n\n\
                     If you see anything suspicious, write to [security@example.test](mailto:security@example.test).\n"
                );
            }
            _ => {
                let _ = write!(
                    s,
                    "This incident is resolved. **{c}** has worked normally since {now_text} UTC.\n\n\
                     - Requests that failed between {since} and {now_text} UTC can be retried safely.\n\
                     - ~~No action is needed~~ If you run nightly reconciliation, run it again for {}.\n\n\
                     We are sorry for the disruption.\n",
                    date(at)
                );
            }
        }
        s
    }

    fn maintenance_body(&mut self, status: &str, c: &str, region: &str, start: i64, end: i64, i: usize) -> String {
        let minutes = self.rng.range(2, 15);
        match status {
            "scheduled" if i == 0 => format!(
                "On {} between {} and {} UTC we will do planned work on **{c}** in {region}.\n\n\
                 - Requests may take up to {minutes} minutes longer.\n\
                 - Nothing will be lost: work is queued and done in order.\n\n\
                 Add the window to your calendar from the [maintenance calendar](https://status.example.test/calendar.ics).\n",
                date(start),
                clock(start),
                clock(end)
            ),
            "scheduled" => format!(
                "A reminder: the planned work on **{c}** starts on {} at {} UTC, as announced.\n",
                date(start),
                clock(start)
            ),
            "in_progress" if i == 0 => {
                format!("The work has started. **{c}** may be slower than usual until it is complete.\n")
            }
            "in_progress" => format!(
                "Step {} of the work is done. Everything is on schedule; delays are under {minutes} minutes.\n",
                i + 1
            ),
            _ => format!(
                "The work is complete at {} UTC and **{c}** works normally again.\n\n\
                 If something looks wrong, tell us at [support@example.test](mailto:support@example.test).\n",
                clock(end)
            ),
        }
    }

    fn notice_body(&mut self, c: &str, effective: i64, i: usize) -> String {
        if i == 0 {
            format!(
                "From **{}** the change to **{c}** takes effect.\n\n\
                 **Are you affected?** Check the [usage page](https://dashboard.example.test/developers/usage).\n\n\
                 **What you should do:**\n\n\
                 1. Read the [migration guide](https://docs.example.test/migrate).\n\
                 2. Test your integration in the sandbox.\n\
                 3. Deploy before the date above.\n",
                date(effective)
            )
        } else {
            let share = self.rng.range(1, 40);
            format!(
                "An update on the change to **{c}**: {share}% of integrations still need to move. \
                 Write to [support@example.test](mailto:support@example.test) if you need more time.\n"
            )
        }
    }

    fn breach(&mut self, d: &Draft) -> String {
        let rng = &mut self.rng;
        let people = rng.range(120, 60_000);
        let as_number = rng.chance(0.5);
        let authority = d.updates[0].at + rng.range(2, 60) * HOUR;
        let mut s = String::new();
        s.push_str("breach:\n  data_affected:\n");
        for item in ["names", "email addresses", "phone numbers", "the last four digits of card numbers"]
            .iter()
            .take(rng.range(2, 4) as usize)
        {
            let _ = writeln!(s, "    - {item}");
        }
        if as_number {
            let _ = writeln!(s, "  people_affected: {people}");
        } else {
            let _ = writeln!(s, "  people_affected: {}", yaml::quoted(&format!("about {people} customers")));
        }
        s.push_str(
            "  what_you_should_do: |\n    \
             If we emailed you about this incident:\n\n    \
             1. **Set a new password.** Go to [dashboard.example.test](https://dashboard.example.test) yourself.\n    \
             2. **Turn on two-factor sign-in** under Settings → Security.\n    \
             3. **Be wary of phishing.** We will never ask for your password.\n\n    \
             Questions: write to [security@example.test](mailto:security@example.test).\n",
        );
        let _ = writeln!(s, "  authority_notified_at: {}", timestamp(authority));
        s
    }

    fn postmortem(&mut self, story: &Story<'_>, published: i64) -> String {
        let Story { c, cause, fix, .. } = *story;
        let rng = &mut self.rng;
        let mut s = String::new();
        let _ = writeln!(s, "postmortem:\n  published_at: {}", timestamp(published));
        let _ = write!(
            s,
            "  summary: |\n    \
             **{c}** failed for part of our customers. This post-mortem explains what happened and what we \
             are changing.\n  \
             impact: |\n    \
             - About {}% of requests to **{c}** failed or were slow.\n    \
             - No data was lost.\n  \
             root_cause: |\n    \
             The cause was {cause}. Our alerts did not fire because the check only looked at averages.\n  \
             resolution: |\n    \
             We resolved it by {fix}. See the [runbook](https://docs.example.test/runbooks/{}) for details.\n  \
             lessons: |\n    \
             A change that cannot be rolled back in one step needs a second reviewer.\n",
            rng.range(1, 80),
            slugify(c)
        );
        s.push_str("  action_items:\n");
        let texts = [
            "Alert on error rates per region, not only on averages",
            "Add a circuit breaker in front of the database",
            "Rehearse failover every quarter",
            "Roll out configuration changes to one region at a time",
            "Renew certificates automatically and alert 30 days before expiry",
            "Add capacity headroom of 50% to the queue cluster",
        ];
        let count = rng.range(2, 4) as usize;
        let first = rng.below(texts.len() as u64) as usize;
        let published_day = published.div_euclid(DAY);
        let today = NOW.div_euclid(DAY);
        for j in 0..count {
            let text = texts[(first + j) % texts.len()];
            let due = published_day + rng.range(7, 90);
            // Items past their due date are done (mostly on time) or dropped, never left
            // open (`action-overdue`); items still ahead may be in any state.
            let status = if due < today {
                rng.pick(&["done", "done", "done", "done", "dropped"])
            } else {
                rng.pick(&["planned", "in_progress", "done"])
            };
            let _ =
                write!(s, "    - text: {}\n      status: {status}\n      due: {}\n", yaml::quoted(text), day_text(due));
            if status == "done" {
                let done = (due - rng.range(-10, 20)).max(published_day).min(today);
                let _ = writeln!(s, "      done_at: {}", day_text(done));
            }
        }
        s
    }

    fn yaml(&self, d: &Draft) -> String {
        let mut s = String::with_capacity(4096);
        let _ = writeln!(s, "title: {}", yaml::quoted(&d.title));
        let _ = writeln!(s, "kind: {}", d.kind.as_str());
        if let Some(impact) = d.impact {
            let _ = writeln!(s, "impact: {impact}");
        }
        match &d.statuses {
            None => {
                let ids: Vec<&str> = d.components.iter().map(|&c| self.components[c].id.as_str()).collect();
                let _ = writeln!(s, "components: [{}]", ids.join(", "));
            }
            Some(statuses) => {
                s.push_str("components:\n");
                for (&c, status) in d.components.iter().zip(statuses) {
                    let _ = writeln!(s, "  {}: {status}", self.components[c].id);
                }
            }
        }
        let _ = writeln!(s, "started_at: {}", timestamp(d.started_at));
        if let Some(t) = d.detected_at {
            let _ = writeln!(s, "detected_at: {}", timestamp(t));
        }
        if let Some(t) = d.resolved_at {
            let _ = writeln!(s, "resolved_at: {}", timestamp(t));
        }
        if let Some((start, end)) = d.scheduled {
            let _ = writeln!(s, "scheduled:\n  start: {}\n  end: {}", timestamp(start), timestamp(end));
        }
        if let Some(t) = d.effective_at {
            let _ = writeln!(s, "effective_at: {}", timestamp(t));
        }
        if let Some(summary) = &d.summary {
            s.push_str("summary:");
            s.push_str(&yaml::block_value(summary, 0));
        }
        let advised = self.advised(d);
        if let Some((first, _)) = advised.as_ref() {
            s.push_str(first);
        }
        s.push_str("updates:\n");
        for (n, u) in d.updates.iter().enumerate() {
            let _ = writeln!(s, "  - at: {}", timestamp(u.at));
            if let Some(status) = u.status {
                let _ = writeln!(s, "    status: {status}");
            }
            s.push_str("    body:");
            s.push_str(&yaml::block_value(&u.body, 4));
            if let Some(t) = u.next_update_by {
                let _ = writeln!(s, "    next_update_by: {}", timestamp(t));
            }
            if let Some((_, Some(latest))) = advised.as_ref().filter(|_| n + 1 == d.updates.len()) {
                s.push_str(latest);
            }
        }
        if let Some(breach) = &d.breach {
            s.push_str(breach);
        }
        if let Some(postmortem) = &d.postmortem {
            s.push_str(postmortem);
        }
        if let Some(reason) = d.allow {
            let _ = write!(s, "allow:\n  - lint: postmortem-missing\n    reason: {}\n", yaml::quoted(reason));
        }
        s
    }
}

impl Generator {
    /// The audiences `d` affects: those depending on one of its components, or all when it names none.
    fn affected(&self, d: &Draft) -> Vec<&Audience> {
        self.audiences
            .iter()
            .filter(|a| d.components.is_empty() || a.components.iter().any(|c| d.components.contains(c)))
            .collect()
    }

    /// The `advice:` of an incident that gets some (active, major or critical, or a data breach),
    /// and, while it is active, of its latest update: for the first audience it affects and its
    /// first component, or, on a breach, for every audience it affects.
    fn advised(&self, d: &Draft) -> Option<(String, Option<String>)> {
        let affected = self.affected(d);
        let first = affected.first()?;
        let active = d.resolved_at.is_none()
            && d.updates.last().is_some_and(|u| u.status.is_some_and(|s| !matches!(s, "resolved" | "completed")));
        let serious = matches!(d.impact, Some("major" | "critical"));
        let breach = d.kind == Kind::DataBreach;
        if !(active || serious || breach) {
            return None;
        }
        let c = &self.components[d.components.first().copied().unwrap_or(first.components[0])];
        let mut s = String::from("advice:\n");
        if breach {
            let ids: Vec<&str> = affected.iter().map(|a| a.id.as_str()).collect();
            let _ = writeln!(s, "  - for: [{}]", ids.join(", "));
            s.push_str("    body:");
            s.push_str(&yaml::block_value(
                "Change your password, and watch for emails that ask you to sign in: we never ask for your password by email.\n\n- [How to change your password](https://example.test/help/password)\n- Turn on two-step sign-in in your account settings.\n",
                4,
            ));
        } else {
            let _ = writeln!(s, "  - for: [{}]", first.id);
            s.push_str("    body:");
            s.push_str(&yaml::block_value(&format!("**{}** may fail for you. Retrying is safe: nothing is charged twice.\n\n- check a payment's status before you retry it;\n- see [our retry guide](https://example.test/docs/retries).\n", c.name), 4));
            let _ = writeln!(s, "  - for: [{}]", c.id);
            s.push_str("    body:");
            s.push_str(&yaml::block_value(
                &format!("If you use **{}**, expect errors and slow answers until this is resolved.\n", c.name),
                4,
            ));
        }
        let latest = active.then(|| {
            let mut u = String::from("    advice:\n");
            let _ = writeln!(u, "      - for: [{}]", first.id);
            u.push_str("        body:");
            u.push_str(&yaml::block_value(
                "Most requests work again. If one still fails, retry it after a minute; *nothing is lost*.\n",
                8,
            ));
            u
        });
        Some((s, latest))
    }
}

/// The summary of an incident: what is affected and, once over, when and why.
fn summary(d: &Draft, story: &Story<'_>, active: bool) -> String {
    let Story { c, region, cause, .. } = *story;
    if active {
        format!(
            "**{c}** is affected in {region}. We post an update here at least as often as we promise; \
             the time of the next one is shown under each update.\n"
        )
    } else {
        format!(
            "Between {} and {} UTC on {}, **{c}** was affected in {region}. The cause was {cause}.\n",
            clock(d.started_at),
            clock(d.updates.last().map_or(d.started_at, |u| u.at)),
            date(d.started_at)
        )
    }
}

/// Statuses of the `k` updates of an incident: investigating, identified, monitoring, then
/// `resolved` last when `resolved`.
fn incident_statuses(k: usize, resolved: bool) -> Vec<&'static str> {
    let open = if resolved { k - 1 } else { k };
    let mut statuses: Vec<&'static str> = (0..open)
        .map(|i| match (i * 3) / open.max(1) {
            0 => "investigating",
            1 => "identified",
            _ => "monitoring",
        })
        .collect();
    if resolved {
        statuses.push("resolved");
    }
    statuses
}

fn round_to_minute(t: i64) -> i64 {
    t - t.rem_euclid(MINUTE)
}

/// `t` seconds since 1970 in UTC, formatted with `format`; every time the
/// generator makes lies between 2020 and 2030.
fn utc(t: i64, format: &str) -> String {
    Timestamp::from_second(t).map_or_else(|e| format!("out of range: {e}"), |ts| ts.strftime(format).to_string())
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
fn timestamp(t: i64) -> String {
    utc(t, "%Y-%m-%dT%H:%M:%SZ")
}

/// `HH:MM` in UTC.
fn clock(t: i64) -> String {
    utc(t, "%H:%M")
}

/// `YYYY-MM-DD` of an instant, in UTC.
fn date(t: i64) -> String {
    utc(t, "%Y-%m-%d")
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
fn day_text(days: i64) -> String {
    date(days * DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(out: &Path, incidents: usize, seed: u64) -> GenerateArgs {
        GenerateArgs {
            out: out.to_path_buf(),
            incidents,
            updates: 6,
            components: 20,
            seed,
            audiences: 4,
            history: None,
        }
    }

    fn read_all(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut all: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.expect("walkable test folder"))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (e.path().strip_prefix(root).expect("under root").to_path_buf(), fs::read(e.path()).expect("readable"))
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn a_small_site_validates() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        run(&args(&root, 30, 7)).expect("generated");
        let model = match candor::load::model(&root, None) {
            Ok(model) => model,
            Err(diagnostics) => panic!("generated site is invalid: {diagnostics:#?}"),
        };
        assert_eq!(model.incidents.len(), 30);
        assert_eq!(model.site.components.len(), 20);
        assert!(model.incidents.iter().all(|i| i.updates.len() == 6));
    }

    #[test]
    fn audiences_come_with_advice_and_zero_leaves_them_out() {
        let with = files(&GenerateArgs { audiences: 3, ..args(Path::new("unused"), 200, 5) }).expect("generated");
        assert!(with[0].text.contains("audiences:\n  - id: online-shops\n"));
        let advised = with.iter().filter(|f| f.text.contains("\nadvice:\n")).count();
        assert!(advised > 20 && advised < 200, "{advised} of 200 incidents with advice");
        let without = files(&GenerateArgs { audiences: 0, ..args(Path::new("unused"), 200, 5) }).expect("generated");
        assert!(without.iter().all(|f| !f.text.contains("audiences:") && !f.text.contains("advice:")));
        let same: Vec<_> = with.iter().map(|f| &f.path).collect();
        assert_eq!(same, without.iter().map(|f| &f.path).collect::<Vec<_>>(), "the same incidents either way");
    }

    #[test]
    fn many_seeds_and_shapes_validate() {
        for (seed, incidents, updates, components) in
            [(1, 300, 6, 20), (2, 200, 1, 1), (3, 200, 2, 3), (4, 150, 11, 60)]
        {
            let dir = tempfile::tempdir().expect("temp dir");
            let root = dir.path().join("site");
            run(&GenerateArgs {
                out: root.clone(),
                incidents,
                updates,
                components,
                seed,
                audiences: components % 7,
                history: None,
            })
            .expect("generated");
            let model = match candor::load::model(&root, None) {
                Ok(model) => model,
                Err(diagnostics) => panic!("seed {seed}: generated site is invalid: {diagnostics:#?}"),
            };
            assert_eq!(model.incidents.len(), incidents);
            let kinds: std::collections::BTreeSet<_> = model.incidents.iter().map(|i| i.kind.as_str()).collect();
            assert!(kinds.contains(Kind::Outage.as_str()) && kinds.contains(Kind::Maintenance.as_str()));
        }
    }

    #[test]
    fn the_communication_lints_find_nothing() {
        // A clean site, so that a benchmark build measures building, not printing warnings.
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        run(&args(&root, 400, 3)).expect("generated");
        let options = candor::build::Options { root, now: Some(NOW_TEXT.into()), ..Default::default() };
        let prepared = match candor::build::prepare(&options, None) {
            Ok(prepared) => prepared,
            Err(error) => panic!("generated site does not build: {error:?}"),
        };
        let findings = candor::build::lint(&prepared);
        assert!(findings.is_empty(), "{findings:#?}");
    }

    #[test]
    fn the_same_seed_gives_identical_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
        run(&args(&a, 30, 42)).expect("first run");
        run(&args(&b, 30, 42)).expect("second run");
        run(&args(&c, 30, 43)).expect("other seed");
        assert_eq!(read_all(&a), read_all(&b));
        assert_ne!(read_all(&a), read_all(&c));
    }

    #[test]
    fn refuses_a_folder_that_is_not_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("keep.txt"), "x").expect("written");
        let error = run(&args(dir.path(), 3, 1)).expect_err("must refuse");
        assert!(error.contains("not empty"), "{error}");
        // An existing empty folder is fine.
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).expect("created");
        run(&args(&empty, 3, 1)).expect("empty folder accepted");
    }

    #[test]
    fn mix_is_realistic() {
        let dir = tempfile::tempdir().expect("temp dir");
        let all = files(&args(dir.path(), 2000, 1)).expect("generated");
        let incidents = &all[1..];
        let count = |needle: &str| incidents.iter().filter(|f| f.text.contains(needle)).count();
        let active = incidents
            .iter()
            .filter(|f| {
                !f.text.contains("\nresolved_at:")
                    && !f.text.contains("status: resolved")
                    && !f.text.contains("kind: notice")
            })
            .count();
        assert!((150..=260).contains(&active), "active: {active}");
        let postmortems = count("\npostmortem:");
        assert!((300..=500).contains(&postmortems), "post-mortems: {postmortems}");
        assert!(count("kind: data_breach") > 10 && count("kind: notice") > 40 && count("kind: security") > 40);
        assert_eq!(count("kind: data_breach"), count("\nbreach:"));
    }

    #[test]
    fn the_history_imports_into_git_and_shows_its_corrections() {
        let git = |dir: &Path, args: &[&str], input: Option<&[u8]>| {
            use std::io::Write as _;
            let mut child = std::process::Command::new("git")
                .args(args)
                .current_dir(dir)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .stdin(std::process::Stdio::piped())
                .spawn()
                .expect("git runs");
            if let Some(input) = input {
                child.stdin.take().expect("piped").write_all(input).expect("written");
            }
            assert!(child.wait().expect("git ends").success(), "git {args:?}");
        };
        if std::process::Command::new("git").arg("--version").output().is_err() {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "this test needs git under CI");
            eprintln!("skipping: git is not installed");
            return;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        let stream = dir.path().join("history");
        run(&GenerateArgs { history: Some(stream.clone()), ..args(&root, 100, 5) }).expect("generated");
        git(&root, &["init", "-q", "-b", "main"], None);
        git(&root, &["fast-import", "--quiet"], Some(&fs::read(&stream).expect("stream")));
        git(&root, &["reset", "-q"], None);
        let options = candor::build::Options { root, now: Some(NOW_TEXT.into()), ..Default::default() };
        let prepared = candor::build::prepare(&options, None).expect("builds");
        assert!(prepared.notes.is_empty(), "{:#?}", prepared.notes);
        let corrected = prepared.views.incidents.iter().filter(|v| !v.corrections.is_empty()).count();
        assert_eq!(corrected, 4, "one in 25 has a corrected update");
        let findings = candor::build::lint(&prepared);
        assert!(findings.is_empty(), "{findings:#?}");
    }

    #[test]
    fn now_is_the_moment_site_yaml_names() {
        assert_eq!(timestamp(NOW), "2026-11-20T10:00:00Z");
        let parsed: jiff::Timestamp = NOW_TEXT.parse().expect("valid");
        assert_eq!(parsed.as_second(), NOW);
    }
}
