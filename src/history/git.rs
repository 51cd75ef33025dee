//! Reading commits, trees and blobs with gix: the chain of commits on the
//! branch being built, which incident files each one changed (renames
//! included), and the texts of earlier versions.
//!
//! Trees are read newest first, the order in which git's packs store them as
//! deltas of one another, so each is one small delta away from the last; and
//! on both cores, in runs of consecutive commits.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gix::ObjectId;
use gix::objs::{FindExt, TreeRefIter};
use jiff::Timestamp;
use rayon::prelude::*;

use super::tracks::{Change, Rec, State, Step, Track};
use super::{NoHistory, TRAILER, Version};
use crate::load::INCIDENTS_DIR;

/// How much of each thread's pack reads is kept to resolve the next delta.
const PACK_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// How many consecutive commits one task reads: long runs, so deltas stay warm.
const RUN: usize = 512;

/// The most deleted and added files whose contents are compared to find renames in one commit.
const RENAME_PAIRS: usize = 100;

/// How alike two texts must be (the share of equal lines) to be one file renamed.
const RENAME_SIMILARITY: f32 = 0.5;

/// The site's repository, opened for reading.
pub(super) struct Repo {
    shared: gix::ThreadSafeRepository,
    /// The folder of incident files, relative to the work tree, with `/` (`incidents`, `status/incidents`).
    dir: String,
}

/// One commit of the chain, as far as it matters here.
struct Link {
    id: ObjectId,
    time: i64,
    wording_fix: bool,
    tree: ObjectId,
}

impl Repo {
    /// Opens the repository the site at `root` is in.
    pub(super) fn open(root: &Path) -> Result<Repo, NoHistory> {
        let repo = gix::discover(root).map_err(|_| NoHistory::NotGit)?;
        let workdir = repo.workdir().ok_or(NoHistory::Bare)?;
        let inside = crate::files::canonical(root);
        let rel = inside.strip_prefix(crate::files::canonical(workdir)).map_err(|_| NoHistory::Outside)?;
        let mut dir: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        dir.push(INCIDENTS_DIR.to_owned());
        Ok(Repo { shared: repo.into_sync(), dir: dir.join("/") })
    }

    /// A handle for this thread, with a cache for resolving deltas.
    fn local(&self) -> gix::Repository {
        let mut repo = self.shared.to_thread_local();
        repo.objects
            .set_pack_cache(|| Box::new(gix::odb::pack::cache::lru::StaticLinkedList::<64>::new(PACK_CACHE_BYTES)));
        repo
    }

    /// The repository path of the incident file shown as `display` (`incidents/x.yaml`).
    pub(super) fn path_of(&self, display: &Path) -> String {
        let rel = display.strip_prefix(INCIDENTS_DIR).unwrap_or(display);
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        format!("{}/{}", self.dir, parts.join("/"))
    }

    /// The history at `HEAD`: `stored` brought up to date, or read from the start when it
    /// describes no commit on the chain; with how many commits were read.
    pub(super) fn state(&self, stored: Option<State>) -> Result<(State, usize), NoHistory> {
        let repo = self.local();
        let head = repo.head().map_err(unreadable)?;
        if head.is_unborn() {
            return Err(NoHistory::NoCommits);
        }
        let head = head.into_peeled_id().map_err(unreadable)?.detach();
        let stored = stored.filter(|s| s.describes(&self.dir));
        let head_hex = head.to_string();
        if let Some(state) = stored.as_ref().filter(|s| s.head == head_hex) {
            return Ok((state.clone(), 0));
        }
        let (chain, base) = self.chain(&repo, head, stored)?;
        let steps = self.steps(&chain, base.as_ref().map(State::tree_id).unwrap_or_default())?;
        let mut state = base.unwrap_or_else(|| State::new(&self.dir));
        for step in &steps {
            state.apply(step);
        }
        self.complete(&mut state)?;
        state.head = head_hex;
        state.tree = chain.first().map(|l| self.dir_tree(&repo, l.tree)).transpose()?.flatten().map(|t| t.to_string());
        Ok((state, chain.len()))
    }

    /// The commits from `head` back along first parents, newest first, up to (not
    /// including) the one `stored` describes, and `stored` if it was reached.
    fn chain(
        &self,
        repo: &gix::Repository,
        head: ObjectId,
        stored: Option<State>,
    ) -> Result<(Vec<Link>, Option<State>), NoHistory> {
        let known = stored.as_ref().map(|s| s.head.clone());
        let shallow: HashSet<ObjectId> = repo
            .shallow_commits()
            .map_err(unreadable)?
            .map(|commits| commits.iter().copied().collect())
            .unwrap_or_default();
        let mut chain = Vec::new();
        let mut buf = Vec::new();
        let mut next = Some(head);
        while let Some(id) = next {
            if known.as_deref() == Some(id.to_string().as_str()) {
                return Ok((chain, stored));
            }
            let commit = repo.objects.find_commit(&id, &mut buf).map_err(unreadable)?;
            let time = commit.committer().map_err(unreadable)?.seconds();
            let wording_fix = declares_wording_fix(&String::from_utf8_lossy(commit.message));
            chain.push(Link { id, time, wording_fix, tree: commit.tree() });
            next = commit.parents().next();
            if next.is_some() && shallow.contains(&id) {
                return Err(NoHistory::Shallow);
            }
        }
        Ok((chain, None))
    }

    /// What each commit of `chain` changed, oldest first, starting from the folder tree `base`.
    fn steps(&self, chain: &[Link], base: Option<ObjectId>) -> Result<Vec<Step>, NoHistory> {
        let runs: Vec<Result<Vec<Step>, NoHistory>> = (0..chain.len())
            .collect::<Vec<_>>()
            .par_chunks(RUN)
            .map(|run| {
                let repo = self.local();
                let mut reader = TreeReader { repo: &repo, memo: HashMap::new() };
                let mut steps = Vec::with_capacity(run.len());
                // Newest first, as the pack's deltas run; `chain` itself is newest first.
                for &i in run {
                    let link = &chain[i];
                    let new = self.dir_tree(&repo, link.tree)?;
                    let old = match chain.get(i + 1) {
                        Some(parent) => self.dir_tree(&repo, parent.tree)?,
                        None => base,
                    };
                    let mut raw = Vec::new();
                    reader.diff(&self.dir, old, new, &mut raw).map_err(unreadable)?;
                    let changes = pair_renames(&repo, raw);
                    steps.push(Step {
                        commit: link.id.to_hex_with_len(10).to_string(),
                        time: link.time,
                        wording_fix: link.wording_fix,
                        changes,
                    });
                }
                Ok(steps)
            })
            .collect();
        let mut all = Vec::with_capacity(chain.len());
        for run in runs {
            all.extend(run?);
        }
        all.reverse();
        Ok(all)
    }

    /// The id of the incidents folder in the root tree `root`, if it has one.
    fn dir_tree(&self, repo: &gix::Repository, root: ObjectId) -> Result<Option<ObjectId>, NoHistory> {
        let mut at = root;
        let mut buf = Vec::new();
        for part in self.dir.split('/') {
            let entries = repo.objects.find_tree_iter(&at, &mut buf).map_err(unreadable)?;
            let mut found = None;
            for entry in entries {
                let entry = entry.map_err(unreadable)?;
                if entry.filename == part.as_bytes() && entry.mode.is_tree() {
                    found = Some(entry.oid.to_owned());
                    break;
                }
            }
            match found {
                Some(id) => at = id,
                None => return Ok(None),
            }
        }
        Ok(Some(at))
    }

    /// Works out what `apply` left open: whether each new version only added to the one
    /// before it, and the digest of each file's last version.
    fn complete(&self, state: &mut State) -> Result<(), NoHistory> {
        let open: Vec<(&String, &mut Track)> = state.files.iter_mut().filter(|(_, t)| t.is_open()).collect();
        open.into_par_iter().try_for_each_init(
            || self.local(),
            |repo, (_, track)| -> Result<(), NoHistory> {
                let texts = track
                    .open_texts()
                    .into_iter()
                    .map(|i| blob_text(repo, &track.versions[i].blob).map(|t| (i, t)))
                    .collect::<Result<HashMap<usize, String>, _>>()
                    .map_err(NoHistory::Unreadable)?;
                track.close(&texts);
                Ok(())
            },
        )
    }

    /// The text of every version of `track`, oldest first.
    pub(super) fn versions(&self, track: &Track) -> Result<Vec<Version>, String> {
        let repo = self.local();
        track
            .versions
            .iter()
            .map(|v: &Rec| {
                let published_at = Timestamp::from_second(v.time).map_err(|e| e.to_string())?;
                let text = blob_text(&repo, &v.blob)?;
                Ok(Version { text, published_at, commit: v.commit.clone(), wording_fix: v.fix })
            })
            .collect()
    }
}

fn unreadable(error: impl std::fmt::Display) -> NoHistory {
    NoHistory::Unreadable(error.to_string())
}

/// The text of the blob with the hex id `blob`, as the file holds it (not valid UTF-8
/// is an error, as `load` would refuse the file).
fn blob_text(repo: &gix::Repository, blob: &str) -> Result<String, String> {
    let id = ObjectId::from_hex(blob.as_bytes()).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    let data = repo.objects.find_blob(&id, &mut buf).map_err(|e| e.to_string())?;
    String::from_utf8(data.data.to_vec()).map_err(|_| "not UTF-8".to_owned())
}

/// Whether a commit message carries `Candor-Correction: typo` (or `wording`) in its last paragraph.
pub(super) fn declares_wording_fix(message: &str) -> bool {
    let last = message.trim_end().rsplit("\n\n").next().unwrap_or_default();
    last.lines().any(|line| {
        let Some((key, value)) = line.split_once(':') else { return false };
        key.trim().eq_ignore_ascii_case(TRAILER)
            && matches!(value.trim().to_ascii_lowercase().as_str(), "typo" | "wording")
    })
}

/// A file that one commit added, removed or changed: its path, and its blob before and after.
struct RawChange {
    path: String,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
}

/// Reads trees, keeping the last one read at each folder, so that consecutive commits
/// (which share most trees) decode each tree once.
struct TreeReader<'r> {
    repo: &'r gix::Repository,
    memo: HashMap<String, (ObjectId, Vec<u8>)>,
}

impl TreeReader<'_> {
    /// The raw bytes of tree `id` at folder `path`.
    fn bytes(&mut self, path: &str, id: ObjectId) -> Result<Vec<u8>, gix::Error> {
        if self.memo.get(path).is_some_and(|(known, _)| *known == id)
            && let Some((_, bytes)) = self.memo.remove(path)
        {
            return Ok(bytes);
        }
        let mut buf = Vec::new();
        self.repo.objects.find_tree_iter(&id, &mut buf)?;
        Ok(buf)
    }

    /// Adds to `out` every incident file that differs between the trees `old` and `new` at `path`.
    fn diff(
        &mut self,
        path: &str,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        out: &mut Vec<RawChange>,
    ) -> Result<(), gix::Error> {
        if old == new {
            return Ok(());
        }
        let hash = self.repo.object_hash();
        let old_bytes = old.map(|id| self.bytes(path, id)).transpose()?.unwrap_or_default();
        let new_bytes = new.map(|id| self.bytes(path, id)).transpose()?.unwrap_or_default();
        let mut folders = Vec::new();
        {
            let mut a = TreeRefIter::from_bytes(&old_bytes, hash).filter_map(Result::ok).peekable();
            let mut b = TreeRefIter::from_bytes(&new_bytes, hash).filter_map(Result::ok).peekable();
            loop {
                let order = match (a.peek(), b.peek()) {
                    (None, None) => break,
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (Some(x), Some(y)) => git_order(x, y),
                };
                let (x, y) = match order {
                    std::cmp::Ordering::Less => (a.next(), None),
                    std::cmp::Ordering::Greater => (None, b.next()),
                    std::cmp::Ordering::Equal => (a.next(), b.next()),
                };
                let name = x.as_ref().or(y.as_ref()).map(|e| e.filename.to_vec()).unwrap_or_default();
                let Ok(name) = String::from_utf8(name) else { continue };
                if name.starts_with('.') {
                    continue;
                }
                let child = format!("{path}/{name}");
                let tree = |e: &Option<gix::objs::tree::EntryRef<'_>>| {
                    e.as_ref().filter(|e| e.mode.is_tree()).map(|e| e.oid.to_owned())
                };
                let file = |e: &Option<gix::objs::tree::EntryRef<'_>>| {
                    e.as_ref().filter(|e| e.mode.is_blob() || e.mode.is_executable()).map(|e| e.oid.to_owned())
                };
                let (old_tree, new_tree) = (tree(&x), tree(&y));
                if old_tree.is_some() || new_tree.is_some() {
                    folders.push((child.clone(), old_tree, new_tree));
                }
                let (old_file, new_file) = (file(&x), file(&y));
                if old_file != new_file && is_incident_name(&name) {
                    out.push(RawChange { path: child, old: old_file, new: new_file });
                }
            }
        }
        if let Some(id) = old {
            self.memo.insert(path.to_owned(), (id, old_bytes));
        }
        for (child, old_tree, new_tree) in folders {
            self.diff(&child, old_tree, new_tree, out)?;
        }
        Ok(())
    }
}

/// Git's order of tree entries: by name, a folder's name compared as if it ended in `/`.
fn git_order(a: &gix::objs::tree::EntryRef<'_>, b: &gix::objs::tree::EntryRef<'_>) -> std::cmp::Ordering {
    let key = |e: &gix::objs::tree::EntryRef<'_>, i: usize| -> Option<u8> {
        match e.filename.get(i) {
            Some(byte) => Some(*byte),
            None if i == e.filename.len() && e.mode.is_tree() => Some(b'/'),
            None => None,
        }
    };
    let longest = a.filename.len().max(b.filename.len()) + 1;
    for i in 0..longest {
        match (key(a, i), key(b, i)) {
            (Some(x), Some(y)) if x == y => {}
            (x, y) => return x.cmp(&y),
        }
    }
    std::cmp::Ordering::Equal
}

/// Whether a file of this name is an incident file (`load` reads only these).
fn is_incident_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// One commit's changes, with each file that was removed and added again under another
/// name paired as a rename: the same contents first, then the most alike (when few
/// enough files moved to compare them all).
fn pair_renames(repo: &gix::Repository, raw: Vec<RawChange>) -> Vec<Change> {
    let (mut gone, mut rest): (Vec<RawChange>, Vec<RawChange>) =
        raw.into_iter().partition(|c| c.old.is_some() && c.new.is_none());
    let mut out: Vec<Change> = Vec::new();
    let renamed = |from: RawChange, to: &RawChange, out: &mut Vec<Change>| {
        out.push(Change { path: to.path.clone(), from: Some(from.path), blob: to.new.map(|b| b.to_string()) });
    };
    let mut added: Vec<usize> = (0..rest.len()).filter(|i| rest[*i].old.is_none()).collect();
    let mut taken = vec![false; rest.len()];
    gone.retain(|g| match added.iter().position(|i| rest[*i].new == g.old) {
        Some(at) => {
            let i = added.remove(at);
            taken[i] = true;
            renamed(RawChange { path: g.path.clone(), old: g.old, new: None }, &rest[i], &mut out);
            false
        }
        None => true,
    });
    if !gone.is_empty() && !added.is_empty() && gone.len() * added.len() <= RENAME_PAIRS {
        let text = |id: Option<ObjectId>| id.and_then(|id| blob_text(repo, &id.to_string()).ok()).unwrap_or_default();
        let mut scored: Vec<(f32, usize, usize)> = Vec::new();
        for (g, old) in gone.iter().enumerate() {
            let before = text(old.old);
            for &a in &added {
                let after = text(rest[a].new);
                let ratio = similar::TextDiff::from_lines(&before, &after).ratio();
                if ratio >= RENAME_SIMILARITY {
                    scored.push((ratio, g, a));
                }
            }
        }
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let mut used = vec![false; gone.len()];
        for (_, g, a) in scored {
            if used[g] || taken[a] {
                continue;
            }
            used[g] = true;
            taken[a] = true;
            renamed(RawChange { path: gone[g].path.clone(), old: gone[g].old, new: None }, &rest[a], &mut out);
        }
        gone = gone.into_iter().zip(used).filter(|(_, u)| !u).map(|(g, _)| g).collect();
    }
    for g in gone {
        out.push(Change { path: g.path, from: None, blob: None });
    }
    for (i, c) in rest.drain(..).enumerate() {
        if !taken[i] {
            out.push(Change { path: c.path, from: None, blob: c.new.map(|b| b.to_string()) });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
