//! Putting a built site in place without ever leaving a broken one.
//!
//! The site is written into a fresh folder beside the output folder and swapped
//! in only when every file is written: on Linux with one atomic exchange, so a
//! reader (or a build killed at any moment) sees either the old site or the
//! new one, never a mix. candor refuses to replace a folder it did not create.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::files::{OutFile, WriteError, process_alive, replace_file, sync_dir, write_reason};

/// The file that marks a folder as candor's output.
pub const MARKER: &str = ".candor-output";

/// What the marker file says to whoever opens it.
const MARKER_TEXT: &[u8] = b"This folder is built by candor; it is replaced on every build.\n";

/// Why the output could not be put in place.
#[derive(Debug)]
pub enum OutputError {
    /// `--out` points somewhere candor must never replace.
    Refused(String),
    /// Writing failed (disk full, permissions, a read-only location).
    Io {
        /// The path being written.
        path: PathBuf,
        /// What went wrong.
        error: io::Error,
    },
    /// Keeping a live folder up to date failed after some files were
    /// already replaced: the folder now mixes two builds.
    Partial {
        /// How many files were replaced before the failure.
        written: usize,
        /// The failure.
        cause: Box<OutputError>,
    },
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Refused(why) => f.write_str(why),
            OutputError::Io { path, error } => write!(f, "cannot write {}: {}", path.display(), write_reason(error)),
            OutputError::Partial { cause, .. } => cause.fmt(f),
        }
    }
}

impl From<WriteError> for OutputError {
    fn from(e: WriteError) -> Self {
        OutputError::Io { path: e.path, error: e.error }
    }
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |error| OutputError::Io { path: path.to_path_buf(), error }
}

/// Where a build of the site at `root` may go when asked for `out`, checked
/// before anything is touched: an absent path, an empty folder, or a folder
/// candor made (it holds the marker file), and never the site itself, a
/// folder holding it, or a place inside its incidents or themes (the static
/// files would copy each build into the next).
///
/// A symbolic link is followed: the folder it points to is checked and
/// returned, the new build is swapped in there, and the link is left as it is,
/// so a web root linked as `public` gets every build.
pub fn check_target(root: &Path, out: &Path) -> Result<PathBuf, OutputError> {
    let refuse = |why: String| Err(OutputError::Refused(format!("refusing to build into {}: {why}", out.display())));
    let target = match fs::symlink_metadata(out) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(out) {
            Ok(real) => real,
            // A link to a folder not made yet: the build makes it there.
            Err(_) => match fs::read_link(out) {
                Ok(to) => resolve_parents(&absolute(out).parent().unwrap_or(Path::new("/")).join(to)),
                Err(e) => return refuse(format!("the link cannot be read: {e}")),
            },
        },
        _ => absolute(out),
    };
    let root = fs::canonicalize(root).unwrap_or_else(|_| absolute(root));
    let resolved = resolve_parents(&target);
    if root.starts_with(&resolved) {
        return refuse(format!("it would replace the site at {}", root.display()));
    }
    for inside in [crate::load::INCIDENTS_DIR, "themes"] {
        if resolved.starts_with(root.join(inside)) {
            return refuse(format!("it is inside the site's {inside}/ folder; build beside it, e.g. --out public"));
        }
    }
    match fs::metadata(&target) {
        Ok(meta) if !meta.is_dir() => refuse(
            "it is a file, not a folder; candor builds into a folder it made, or into an empty or absent one".into(),
        ),
        Ok(_) if !target.join(MARKER).exists() && fs::read_dir(&target).is_ok_and(|mut d| d.next().is_some()) => {
            refuse(format!(
                "it is not empty and was not built by candor (no {MARKER} file); choose another --out or empty it"
            ))
        }
        _ => Ok(target),
    }
}

/// `path` with the links among its existing parents resolved, so that two
/// spellings of one place compare equal even when `path` itself is absent.
fn resolve_parents(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => resolve_parents(parent).join(name),
        _ => path.to_path_buf(),
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A new output folder being written beside `out`, file by file from any
/// thread, and swapped in whole by [`Staging::finish`]. Dropped unfinished (a
/// failed build), it is removed and `out` stays as it was.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    finished: bool,
    files: AtomicUsize,
    pages: AtomicUsize,
}

/// What a finished staging folder held.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Every file, the marker included.
    pub files: usize,
    /// HTML pages.
    pub pages: usize,
}

impl Staging {
    /// Starts a new output for `out`, tidying up after builds that were killed.
    pub fn new(out: &Path) -> Result<Staging, OutputError> {
        let out = absolute(out);
        let parent =
            out.parent().ok_or_else(|| OutputError::Refused(format!("{} has no parent folder", out.display())))?;
        fs::create_dir_all(parent).map_err(io_at(parent))?;
        recover_from_killed_builds(&out);
        let dir = sibling(&out, "new");
        remove_if_present(&dir).map_err(|e| in_output(e, &dir, &out))?;
        fs::create_dir_all(&dir).map_err(|e| in_output(io_at(&dir)(e), &dir, &out))?;
        let staging = Staging { out, dir, finished: false, files: AtomicUsize::new(0), pages: AtomicUsize::new(0) };
        staging.write(&[marker()])?;
        Ok(staging)
    }

    /// Writes `files` into the new output, creating their folders; errors name
    /// the path in the output folder the user chose. Safe to call from many threads.
    pub fn write(&self, files: &[OutFile]) -> Result<(), OutputError> {
        write_files(&self.dir, files).map_err(|e| in_output(e, &self.dir, &self.out))?;
        self.files.fetch_add(files.len(), Ordering::Relaxed);
        self.pages.fetch_add(files.iter().filter(|f| f.path.ends_with(".html")).count(), Ordering::Relaxed);
        Ok(())
    }

    /// Puts the new output in place of the old one, atomically where the system allows.
    pub fn finish(mut self) -> Result<Written, OutputError> {
        self.finished = true;
        if let Err(e) = swap_in(&self.dir, &self.out) {
            let _ = fs::remove_dir_all(&self.dir);
            return Err(e);
        }
        if let Some(parent) = self.out.parent() {
            sync_dir(parent);
        }
        Ok(Written { files: self.files.load(Ordering::Relaxed), pages: self.pages.load(Ordering::Relaxed) })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `error`, saying that `written` files were replaced before it, if any were.
fn partial(written: usize, error: OutputError) -> OutputError {
    if written == 0 { error } else { OutputError::Partial { written, cause: Box::new(error) } }
}

/// The file that marks a folder as candor's output.
fn marker() -> OutFile {
    OutFile { path: MARKER.into(), bytes: MARKER_TEXT.to_vec() }
}

/// The error as the user would understand it: about the output folder, not
/// the hidden staging folder they never asked for.
fn in_output(error: OutputError, staging: &Path, out: &Path) -> OutputError {
    match error {
        OutputError::Io { path, error } => {
            let path = path.strip_prefix(staging).map_or(path.clone(), |rel| out.join(rel));
            OutputError::Io { path, error }
        }
        refused => refused,
    }
}

/// Tidies up after builds that were killed (power loss, SIGKILL, an OOM
/// killer): their staging folders are removed, and if one died in the middle
/// of the non-atomic fallback swap, after moving the old output aside but
/// before moving the new one in, the old output is put back. Folders of
/// builds still running are left alone.
fn recover_from_killed_builds(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else { return };
    let prefix = format!(".{}.candor-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else { return };
    let mut stale: Vec<(bool, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let file_name = entry.file_name();
            let rest = file_name.to_str()?.strip_prefix(&prefix)?;
            let (what, pid) = rest.split_once('-')?;
            let pid: u32 = pid.parse().ok()?;
            let old = match what {
                "new" => false,
                "old" => true,
                _ => return None,
            };
            (pid != std::process::id() && !process_alive(pid)).then(|| (old, entry.path()))
        })
        .collect();
    stale.sort();
    for (old, path) in stale {
        if old && !out.exists() && fs::rename(&path, out).is_ok() {
            continue;
        }
        let _ = fs::remove_dir_all(&path);
    }
}

/// A hidden folder beside `out`, unique to this process.
fn sibling(out: &Path, what: &str) -> PathBuf {
    let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.candor-{what}-{}", std::process::id()))
}

fn remove_if_present(path: &Path) -> Result<(), OutputError> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_at(path)(e)),
        _ => Ok(()),
    }
}

/// Writes every file under the existing folder `dir`, creating the folders they need.
fn write_files(dir: &Path, files: &[OutFile]) -> Result<(), OutputError> {
    use rayon::prelude::*;
    let mut folders: Vec<PathBuf> =
        files.iter().filter_map(|f| dir.join(&f.path).parent().map(Path::to_path_buf)).collect();
    folders.sort_unstable();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder).map_err(io_at(folder))?;
    }
    // Creating files is mostly the file system's work: two threads keep both cores busy.
    let write = |file: &OutFile| {
        let path = dir.join(&file.path);
        let mut handle = fs::File::create(&path).map_err(io_at(&path))?;
        handle.write_all(&file.bytes).map_err(io_at(&path))
    };
    if files.len() > 8 { files.par_iter().try_for_each(write) } else { files.iter().try_for_each(write) }
}

/// Replaces `out` with `staging`: one atomic exchange where the system offers it.
fn swap_in(staging: &Path, out: &Path) -> Result<(), OutputError> {
    if !out.exists() {
        return fs::rename(staging, out).map_err(io_at(out));
    }
    if exchange(staging, out).is_ok() {
        return remove_if_present(staging);
    }
    let old = sibling(out, "old");
    remove_if_present(&old)?;
    fs::rename(out, &old).map_err(|e| busy(out, e))?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(io_at(out)(e));
    }
    remove_if_present(&old)
}

/// A failed move of the output folder, explained when the folder is a mount
/// point (or held by another program), which cannot be moved aside.
fn busy(out: &Path, error: io::Error) -> OutputError {
    if error.kind() != io::ErrorKind::ResourceBusy {
        return io_at(out)(error);
    }
    OutputError::Refused(format!(
        "cannot replace {}: it is a mount point or in use ({error}); candor swaps the whole output folder in at once, which a mount point cannot take. Build into a folder inside it (e.g. --out {}) and serve that",
        out.display(),
        out.join("site").display()
    ))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange here"))
}

/// What one incremental sync did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Files written because they are new or changed.
    pub written: usize,
    /// Files left alone because their contents did not change.
    pub unchanged: usize,
    /// Files removed because the build no longer makes them.
    pub removed: usize,
}

/// An output folder kept up to date file by file, for `watch` and `serve`.
///
/// Only files whose contents changed are written (each through a temporary
/// file and a rename, so a reader never sees half a file), and files a build
/// no longer makes are removed. Unchanged files keep their modification time,
/// so browsers, `rsync` and static servers see only what really changed.
#[derive(Debug)]
pub struct LiveOutput {
    dir: PathBuf,
    known: std::collections::HashMap<String, u64>,
}

impl LiveOutput {
    /// Starts tracking `dir`; the first sync compares with what is on disk.
    pub fn new(dir: &Path) -> LiveOutput {
        LiveOutput { dir: absolute(dir), known: std::collections::HashMap::new() }
    }

    /// The folder being kept up to date.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Brings the folder in line with `files`; the files at `reused` paths are
    /// known to be unchanged since the last sync and are kept as they are.
    pub fn sync(&mut self, files: &[OutFile], reused: &[String]) -> Result<SyncReport, OutputError> {
        let first = self.known.is_empty();
        let mut report = SyncReport::default();
        let mut next = std::collections::HashMap::with_capacity(files.len() + reused.len());
        for path in reused {
            if let Some(hash) = self.known.get(path) {
                next.insert(path.clone(), *hash);
                report.unchanged += 1;
            }
        }
        let marker = marker();
        let files: Vec<&OutFile> = files.iter().chain(std::iter::once(&marker)).collect();
        // Each file is compared and written on its own, so both cores can share the work;
        // the count says how much reached the disk should any write fail.
        let count = AtomicUsize::new(0);
        let done: Result<Vec<(u64, bool)>, OutputError> = {
            use rayon::prelude::*;
            files
                .par_iter()
                .map(|file| {
                    let put = self.put(file, first)?;
                    count.fetch_add(usize::from(put.1), Ordering::Relaxed);
                    Ok(put)
                })
                .collect()
        };
        let done = done.map_err(|e| partial(count.into_inner(), e))?;
        for (file, (hash, written)) in files.iter().zip(done) {
            if written {
                report.written += 1;
            } else {
                report.unchanged += 1;
            }
            next.insert(file.path.clone(), hash);
        }
        report.removed = if first { self.remove_strays(&next)? } else { self.remove_gone(&next)? };
        self.known = next;
        Ok(report)
    }

    /// Writes those of `files` whose contents changed, removing nothing: a part
    /// of the site put in place ahead of the next [`LiveOutput::sync`]. Returns
    /// how many were written.
    pub fn write_ahead(&mut self, files: &[OutFile]) -> Result<usize, OutputError> {
        let first = self.known.is_empty();
        let mut written = 0;
        for file in files {
            let (hash, wrote) = self.put(file, first).map_err(|e| partial(written, e))?;
            written += usize::from(wrote);
            self.known.insert(file.path.clone(), hash);
        }
        Ok(written)
    }

    /// Writes `file` unless the disk already holds it; its hash, and whether it was written.
    fn put(&self, file: &OutFile, first: bool) -> Result<(u64, bool), OutputError> {
        let hash = content_hash(&file.bytes);
        let path = self.dir.join(&file.path);
        let same = match self.known.get(&file.path) {
            Some(old) => *old == hash && path.is_file(),
            None => first && fs::read(&path).is_ok_and(|b| b == file.bytes),
        };
        if !same {
            replace_file(&path, &file.bytes, false)?;
        }
        Ok((hash, !same))
    }

    /// Removes files of the previous sync that this one did not make.
    fn remove_gone(&self, next: &std::collections::HashMap<String, u64>) -> Result<usize, OutputError> {
        let mut removed = 0;
        for gone in self.known.keys().filter(|p| !next.contains_key(*p)) {
            let path = self.dir.join(gone);
            match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_at(&path)(e)),
            }
        }
        Ok(removed)
    }

    /// On the first sync, removes files on disk that the build does not make.
    fn remove_strays(&self, next: &std::collections::HashMap<String, u64>) -> Result<usize, OutputError> {
        let mut removed = 0;
        for entry in walkdir::WalkDir::new(&self.dir).into_iter().filter_map(Result::ok) {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&self.dir) else { continue };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !next.contains_key(&rel) {
                fs::remove_file(entry.path()).map_err(io_at(entry.path()))?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    /// Writes `files` as the new contents of `out`, as a build does.
    fn publish(out: &Path, files: &[OutFile]) -> Result<(), OutputError> {
        let staging = Staging::new(out)?;
        staging.write(files)?;
        staging.finish().map(|_| ())
    }

    #[test]
    fn publishes_and_replaces_whole_trees() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&out, &[file("a/index.html", "one"), file(MARKER, "")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        publish(&out, &[file("b.html", "two"), file(MARKER, "")]).unwrap();
        assert!(!out.join("a").exists(), "files of the old build are gone");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "two");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn an_unfinished_staging_folder_leaves_the_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&out, &[file("index.html", "old"), file(MARKER, "")]).unwrap();
        let staging = Staging::new(&out).unwrap();
        staging.write(&[file("index.html", "half"), file("incidents/a/index.html", "new")]).unwrap();
        drop(staging);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")], "the staging folder is removed");
    }

    #[test]
    fn live_output_writes_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut live = LiveOutput::new(&out);
        let first = live.sync(&[file("a.html", "one"), file("b.html", "two")], &[]).unwrap();
        assert_eq!(first, SyncReport { written: 3, unchanged: 0, removed: 0 }, "the two files and the marker");
        let before = fs::metadata(out.join("a.html")).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let second = live.sync(&[file("a.html", "one"), file("c.html", "three")], &[]).unwrap();
        assert_eq!(second, SyncReport { written: 1, unchanged: 2, removed: 1 });
        assert_eq!(
            fs::metadata(out.join("a.html")).unwrap().modified().unwrap(),
            before,
            "unchanged files are not rewritten"
        );
        assert!(!out.join("b.html").exists());
        let mut fresh = LiveOutput::new(&out);
        let resumed = fresh.sync(&[file("a.html", "one")], &[]).unwrap();
        assert_eq!(
            resumed,
            SyncReport { written: 0, unchanged: 2, removed: 1 },
            "a new session compares with the disk"
        );
    }

    #[test]
    fn refuses_foreign_folders_and_the_site_itself() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("incidents")).unwrap();
        assert!(check_target(root, root).is_err());
        assert!(check_target(root, &root.join("incidents")).is_err());
        assert!(check_target(root, root.parent().unwrap()).is_err());
        let foreign = root.join("docs");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("important.txt"), "keep").unwrap();
        assert!(check_target(root, &foreign).is_err());
        assert!(check_target(root, &root.join("public")).is_ok());
        fs::write(root.join("site.yaml"), "title: x").unwrap();
        assert!(check_target(root, &root.join("site.yaml")).is_err(), "a file is never replaced");
        assert!(check_target(root, &root.join("themes/default/static/out")).is_err(), "nor nested in the theme");
        assert!(check_target(root, &root.join("incidents/2026/out")).is_err());
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn tidies_up_after_killed_builds_but_not_running_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // No process has this id (Linux ids stay below 2^22).
        let dead = dir.path().join(".public.candor-new-999999999");
        let running = dir.path().join(".public.candor-new-1");
        for staging in [&dead, &running] {
            fs::create_dir_all(staging.join("incidents")).unwrap();
            fs::write(staging.join("incidents/half.html"), "<p>half").unwrap();
        }
        let old = dir.path().join(".public.candor-old-999999998");
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("index.html"), "old site").unwrap();
        fs::write(old.join(MARKER), "").unwrap();
        recover_from_killed_builds(&out);
        assert!(!dead.exists(), "a dead build's staging folder is removed");
        assert!(running.exists(), "a running build's folder is left alone");
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "old site",
            "an old site moved aside by a build that died is put back"
        );
        assert!(!old.exists());
        publish(&out, &[file("index.html", "new site"), file(MARKER, "")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new site");
    }

    #[test]
    fn write_errors_name_the_output_and_say_why() {
        let error = OutputError::Io {
            path: PathBuf::from("public/index.html"),
            error: io::Error::from(io::ErrorKind::StorageFull),
        };
        assert!(error.to_string().starts_with("cannot write public/index.html: the disk is full"), "{error}");
        let staging = Path::new("/x/.public.candor-new-7");
        let moved = in_output(
            OutputError::Io {
                path: staging.join("a/b.html"),
                error: io::Error::from(io::ErrorKind::ReadOnlyFilesystem),
            },
            staging,
            Path::new("/x/public"),
        );
        assert!(moved.to_string().starts_with("cannot write /x/public/a/b.html: the location is read-only"), "{moved}");
    }
}
