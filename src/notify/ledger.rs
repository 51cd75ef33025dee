//! The ledger: which events each channel has been sent, in
//! `.candor/delivered.json` in the site's repository.
//!
//! It is written atomically after each successful delivery, so a run killed
//! at any moment loses at most the record of the one delivery in flight
//! (which the next run sends again, under the same idempotency key). A lock
//! file beside it keeps two runs on one machine from sending the same event;
//! across machines, the workflow commits the ledger back and rebases.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::events::{Event, What};
use crate::files::{WriteError, read_text, write_atomically};
use crate::model::ChannelId;

/// The folder, in the site root, that holds the ledger.
pub const DIR: &str = ".candor";
/// The ledger's file name.
pub const FILE: &str = "delivered.json";
/// The lock file's name, beside the ledger.
const LOCK: &str = "delivered.lock";

/// What was delivered, per channel id and event key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    /// The format's version.
    version: u32,
    /// Channel id to event key to what was delivered.
    channels: BTreeMap<String, BTreeMap<String, Entry>>,
}

/// One delivered event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When the event happened (UTC), so old entries can be let go.
    at: Timestamp,
    /// The digest of the update's text as delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

/// Why the ledger cannot be used.
#[derive(Debug)]
pub enum LedgerError {
    /// It exists and cannot be read or is not a ledger.
    Unreadable(String),
    /// Another run holds the lock and did not let go in time.
    Busy(PathBuf),
    /// The lock file cannot be made.
    Lock(PathBuf, std::io::Error),
}

impl std::fmt::Display for LedgerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LedgerError::Unreadable(why) => write!(f, "{why}"),
            LedgerError::Busy(path) => write!(f, "another `candor notify` still holds {}", path.display()),
            LedgerError::Lock(path, e) => write!(f, "cannot lock {}: {e}", path.display()),
        }
    }
}

/// The ledger's path in `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(DIR).join(FILE)
}

impl Ledger {
    /// Reads the ledger at `path`; `None` when there is none yet (the first run).
    pub fn load(path: &Path, display: &Path) -> Result<Option<Ledger>, LedgerError> {
        if !path.exists() {
            return Ok(None);
        }
        let text = read_text(path, display)
            .map_err(|d| LedgerError::Unreadable(format!("{}: {}", display.display(), d.message)))?;
        serde_json::from_str(&text).map(Some).map_err(|e| {
            LedgerError::Unreadable(format!(
                "{} is not a ledger candor can read ({e}); fix it, or delete it so the next run records what is published without sending it",
                display.display()
            ))
        })
    }

    /// Writes the ledger atomically, its data on disk before it replaces the old one.
    pub fn save(&self, path: &Path) -> Result<(), WriteError> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        write_atomically(path, &bytes)
    }

    /// Whether `channel` has been delivered to (or set up) before.
    pub fn knows(&self, channel: &ChannelId) -> bool {
        self.channels.contains_key(channel.as_str())
    }

    /// Starts keeping a record for `channel`, with nothing delivered yet.
    pub fn open(&mut self, channel: &ChannelId) {
        self.version = 1;
        self.channels.entry(channel.to_string()).or_default();
    }

    /// What of `events` `channel` has not had: events not delivered, and
    /// corrections of updates delivered with other text.
    pub fn pending(&self, channel: &ChannelId, events: &[Event]) -> Vec<Event> {
        let delivered = self.channels.get(channel.as_str());
        let mut out = Vec::new();
        for event in events {
            match delivered.and_then(|d| d.get(&event.key)) {
                None => out.push(event.clone()),
                Some(entry) => {
                    if let (Some(update), Some(now), Some(then)) = (event.what.update(), &event.text, &entry.text)
                        && now != then
                    {
                        out.push(Event {
                            key: format!("{}/correction/{now}", event.key),
                            what: What::Corrected { update, original: event.key.clone() },
                            ..event.clone()
                        });
                    }
                }
            }
        }
        out
    }

    /// Records that `channel` has had `event` (a correction updates the original's record).
    pub fn record(&mut self, channel: &ChannelId, event: &Event) {
        self.version = 1;
        let key = match &event.what {
            What::Corrected { original, .. } => original.clone(),
            _ => event.key.clone(),
        };
        let entry = Entry { at: event.at, text: event.text.clone() };
        self.channels.entry(channel.to_string()).or_default().insert(key, entry);
    }

    /// Forgets entries of events before `before`: they are never sent again anyway.
    pub fn prune(&mut self, before: Timestamp) {
        for entries in self.channels.values_mut() {
            entries.retain(|_, e| e.at >= before);
        }
    }

    /// How many events `channel` has on record.
    pub fn count(&self, channel: &ChannelId) -> usize {
        self.channels.get(channel.as_str()).map_or(0, BTreeMap::len)
    }
}

/// Holds the ledger's lock for as long as it lives.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Takes the ledger's lock in `root`, waiting up to `wait` for another run to
/// finish; `waiting` is called once if it has to wait.
pub fn lock(root: &Path, wait: Duration, waiting: impl FnOnce()) -> Result<Lock, LedgerError> {
    let dir = root.join(DIR);
    let path = dir.join(LOCK);
    std::fs::create_dir_all(&dir).map_err(|e| LedgerError::Lock(path.clone(), e))?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| LedgerError::Lock(path.clone(), e))?;
    let started = Instant::now();
    let mut waiting = Some(waiting);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(TryLockError::WouldBlock) if started.elapsed() < wait => {
                if let Some(say) = waiting.take() {
                    say();
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(TryLockError::WouldBlock) => return Err(LedgerError::Busy(path)),
            Err(TryLockError::Error(e)) => return Err(LedgerError::Lock(path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(key: &str, text: &str) -> Event {
        Event {
            key: key.into(),
            incident: 0,
            what: What::Updated { update: 1 },
            at: "2026-03-14T08:00:00Z".parse().unwrap(),
            text: Some(text.into()),
        }
    }

    #[test]
    fn pending_leaves_out_what_was_delivered_and_corrects_edited_text() {
        let channel = ChannelId::new("chat");
        let mut ledger = Ledger::default();
        let (a, b) = (event("x/update/1", "t1"), event("x/update/2", "t2"));
        assert_eq!(ledger.pending(&channel, &[a.clone(), b.clone()]).len(), 2);
        ledger.record(&channel, &a);
        let pending = ledger.pending(&channel, &[a.clone(), b.clone()]);
        assert_eq!(pending, vec![b.clone()]);
        let edited = event("x/update/1", "t1-edited");
        let pending = ledger.pending(&channel, std::slice::from_ref(&edited));
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].key, "x/update/1/correction/t1-edited");
        assert!(matches!(&pending[0].what, What::Corrected { original, .. } if original == "x/update/1"));
        ledger.record(&channel, &pending[0]);
        assert!(ledger.pending(&channel, &[edited]).is_empty(), "a correction is sent once");
        assert!(ledger.pending(&ChannelId::new("other"), &[a]).len() == 1, "each channel has its own record");
    }

    #[test]
    fn saves_and_loads_and_prunes() {
        let dir = tempfile::tempdir().unwrap();
        let path = path(dir.path());
        assert_eq!(Ledger::load(&path, Path::new(FILE)).unwrap(), None);
        let mut ledger = Ledger::default();
        let channel = ChannelId::new("chat");
        ledger.record(&channel, &event("x/update/1", "t"));
        ledger.save(&path).unwrap();
        let loaded = Ledger::load(&path, Path::new(FILE)).unwrap().unwrap();
        assert_eq!(loaded, ledger);
        ledger.prune("2026-03-15T00:00:00Z".parse().unwrap());
        assert_eq!(ledger.count(&channel), 0);
        std::fs::write(&path, "<<<<<<< HEAD\n").unwrap();
        assert!(matches!(Ledger::load(&path, Path::new(FILE)), Err(LedgerError::Unreadable(_))));
    }

    #[test]
    fn a_second_lock_waits_and_gives_up() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path(), Duration::ZERO, || {}).unwrap();
        let mut waited = false;
        let second = lock(dir.path(), Duration::from_millis(300), || waited = true);
        assert!(matches!(second, Err(LedgerError::Busy(_))));
        assert!(waited);
        drop(held);
        assert!(lock(dir.path(), Duration::ZERO, || {}).is_ok());
    }
}
