//! Rebuilding on every save, and on the clock: `candor watch`, and the loop
//! under `candor serve`.
//!
//! File events are debounced, so one save from any editor (including those
//! that write through a rename) gives one rebuild of the [`Live`] site.
//! Between saves the site is rebuilt when the clock alone changes it (a
//! promise falls due, a window opens) and at least once a minute.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::live::{CLOCK_TICK, Live, Outcome, Trigger};
use crate::load::{INCIDENTS_DIR, SITE_FILE};

/// How long the files must be quiet before a rebuild starts.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// Whether a changed path can change the site.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let hidden = rel.components().any(|c| c.as_os_str().to_str().is_some_and(|s| s.starts_with('.')));
    if hidden {
        return false;
    }
    let mut parts = rel.components();
    match parts.next().and_then(|c| c.as_os_str().to_str()) {
        Some(SITE_FILE) => parts.next().is_none(),
        Some("themes") => true,
        Some(INCIDENTS_DIR) => match rel.extension().and_then(|e| e.to_str()) {
            Some(ext) => matches!(ext, "yaml" | "yml"),
            None => true,
        },
        _ => false,
    }
}

/// Watches the site and rebuilds until `keep_going` says stop, reporting each rebuild.
pub fn run(
    mut live: Live,
    mut report: impl FnMut(Trigger, &Outcome),
    keep_going: impl Fn() -> bool,
) -> Result<(), String> {
    let root = crate::files::canonical(live.root());
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| format!("cannot watch files: {e}"))?;
    let watch_all = |debouncer: &mut notify_debouncer_full::Debouncer<_, _>| {
        let _ = debouncer.watch(&root, RecursiveMode::NonRecursive);
        for dir in [INCIDENTS_DIR, "themes"] {
            let path = root.join(dir);
            if path.is_dir() {
                let _ = debouncer.watch(&path, RecursiveMode::Recursive);
            }
        }
    };
    watch_all(&mut debouncer);
    report(Trigger::Start, &live.rebuild(&[]));
    while keep_going() {
        // Wake at least every tick to notice a stop request.
        let wait = live.clock_wait().unwrap_or(CLOCK_TICK);
        let mut folders_changed = false;
        let mut changed = Vec::new();
        let trigger = match rx.recv_timeout(wait) {
            Ok(Ok(events)) if events.iter().any(|e| changes(&root, e)) => {
                folders_changed = events.iter().flat_map(|e| e.paths.iter()).any(|p| p.parent() == Some(&root));
                changed = changed_paths(&root, &events);
                Trigger::Edit
            }
            Ok(_) => continue,
            Err(mpsc::RecvTimeoutError::Timeout) if live.clock_wait().is_some() => Trigger::Clock,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // A folder deleted and created again needs watching again.
        if folders_changed {
            watch_all(&mut debouncer);
        }
        let outcome = live.rebuild(&changed);
        if trigger == Trigger::Clock
            && matches!(outcome, Outcome::Built { sync, .. } if sync.written == 0 && sync.removed == 0)
        {
            continue;
        }
        report(trigger, &outcome);
    }
    Ok(())
}

/// Whether an event changes a relevant file; reading files (as every build does) does not.
fn changes(root: &Path, event: &notify_debouncer_full::DebouncedEvent) -> bool {
    !matches!(event.kind, notify_debouncer_full::notify::EventKind::Access(_))
        && event.paths.iter().any(|p| is_relevant(root, p))
}

/// The relevant paths the events changed, each once.
fn changed_paths(root: &Path, events: &[notify_debouncer_full::DebouncedEvent]) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = events
        .iter()
        .filter(|e| changes(root, e))
        .flat_map(|e| e.paths.iter())
        .filter(|p| is_relevant(root, p))
        .cloned()
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_site_files_are_relevant() {
        let root = Path::new("/site");
        for yes in [
            "/site/site.yaml",
            "/site/incidents/x.yaml",
            "/site/incidents/2026/y.yml",
            "/site/incidents/2026",
            "/site/themes/default/templates/index.html",
        ] {
            assert!(is_relevant(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/site/public/index.html",
            "/site/incidents/.x.yaml.swp",
            "/site/incidents/x.yaml~",
            "/site/incidents/4913.txt",
            "/site/README.md",
            "/elsewhere/site.yaml",
            "/site/.git/index",
        ] {
            assert!(!is_relevant(root, Path::new(no)), "{no}");
        }
    }
}
