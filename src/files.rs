//! Reading and writing the site's own files, safely: the one place that
//! touches the file system for input and for files people wrote.
//!
//! Reads never follow a symbolic link and never block on a named pipe, and
//! refuse anything too large or not UTF-8 with a located diagnostic. Writes
//! go through a temporary file and a rename, so a crash never leaves half a
//! file. Every other stage uses these helpers instead of `std::fs` directly.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Pos};

/// The largest file candor reads; anything bigger is almost surely not an incident.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// One file of the built site: what rendering makes and publishing writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutFile {
    /// Path relative to the output folder, with `/`.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// A write that failed, with the path it was for.
#[derive(Debug)]
pub struct WriteError {
    /// The path being written.
    pub path: PathBuf,
    /// What went wrong.
    pub error: io::Error,
}

impl WriteError {
    /// The failure `error` while writing `path`.
    pub fn at(path: &Path, error: io::Error) -> WriteError {
        WriteError { path: path.to_path_buf(), error }
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), write_reason(&self.error))
    }
}

/// Why a write failed, in plain words first, with the system's own words after.
pub fn write_reason(error: &io::Error) -> String {
    let plain = match error.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => "the disk is full",
        io::ErrorKind::ReadOnlyFilesystem => "the location is read-only",
        io::ErrorKind::PermissionDenied => "permission denied",
        io::ErrorKind::NotFound => "the location does not exist or cannot hold new folders",
        _ => return error.to_string(),
    };
    format!("{plain} ({error})")
}

/// `path` made absolute, with links resolved where it exists: the form in
/// which paths from file events can be compared with it.
pub fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// The folder `rel` under `root`, when every folder on the way is a real
/// folder: `Ok(None)` when it does not exist, and an error when any part of
/// it is a symbolic link (which could publish or quote files from anywhere on
/// the machine) or is not a folder.
pub fn real_dir(root: &Path, rel: &Path) -> Result<Option<PathBuf>, Diagnostic> {
    let mut path = root.to_path_buf();
    let mut shown = PathBuf::new();
    for part in rel.components() {
        path.push(part);
        shown.push(part);
        match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                let message = format!("cannot read this folder: {}", io_reason(&e));
                return Err(Diagnostic::error("unreadable", &shown, Pos::FILE, message));
            }
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Diagnostic::error(
                    "symlink",
                    &shown,
                    Pos::FILE,
                    "this is a symbolic link, and candor does not follow links",
                )
                .with_hint("put the folder itself here instead of a link to it"));
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(Diagnostic::error("unreadable", &shown, Pos::FILE, "this should be a folder"));
            }
            Ok(_) => {}
        }
    }
    Ok(Some(path))
}

/// The path to show for `path`: relative to the site root when it is inside it.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// Reads a file as UTF-8 text of at most [`MAX_FILE_BYTES`], or explains why not.
///
/// A symbolic link is refused, not followed, even when it appears between
/// finding the file and opening it: a link to a secret elsewhere on the
/// machine must not end up quoted in an error message or a CI log.
pub fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostic> {
    read_text_up_to(path, display, MAX_FILE_BYTES)
}

/// [`read_text`] for files that may be larger than an incident, such as a
/// whole history exported as JSON: at most `limit` bytes.
pub fn read_text_up_to(path: &Path, display: &Path, limit: usize) -> Result<String, Diagnostic> {
    let fail = |message: String| Diagnostic::error("unreadable", display, Pos::FILE, message);
    let file = open_no_follow(path).map_err(|e| {
        if is_link(path) {
            Diagnostic::error(
                "symlink",
                display,
                Pos::FILE,
                "this is a symbolic link, and candor does not follow links",
            )
            .with_hint("replace the link with the file itself")
        } else {
            fail(format!("cannot read the file: {}", io_reason(&e)))
        }
    })?;
    let len = match file.metadata() {
        Ok(meta) if meta.is_file() => meta.len(),
        _ => return Err(fail("this is not a regular file".into())),
    };
    let bytes = read_sized(file, len, limit as u64 + 1)
        .map_err(|e| fail(format!("cannot read the file: {}", io_reason(&e))))?;
    if bytes.len() > limit {
        let hint = if limit == MAX_FILE_BYTES {
            "an incident file is a few kilobytes; split it, or check that it is the file you meant"
        } else {
            "check that it is the file you meant"
        };
        let message = format!("the file is larger than {} MiB", limit / (1024 * 1024));
        return Err(Diagnostic::error("file-too-large", display, Pos::FILE, message).with_hint(hint));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic::error("invalid-utf8", display, Pos::new(line as u32, column as u32), "the file is not valid UTF-8")
            .with_hint("save the file as UTF-8 (most editors offer this under \"Save with encoding\")")
    })
}

/// The most [`read_sized`] reserves up front, whatever length a file claims.
const HINT_CAP: u64 = 64 * 1024 * 1024;

/// Reads a file's bytes (a theme's image or font) without following a link
/// in its last component and without blocking on a named pipe.
pub fn read_bytes(path: &Path) -> io::Result<Vec<u8>> {
    let file = open_no_follow(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    read_sized(file, meta.len(), u64::MAX)
}

/// Reads at most `limit` bytes of `file`, whose length was `len` when it was
/// looked at. With room for the whole file and the read that finds its end
/// this takes two reads, where growing from nothing takes eight for a typical
/// incident file. The length is only a hint: a file that changed meanwhile is
/// still read to its end (or to `limit`), and a length beyond [`HINT_CAP`]
/// (a sparse file) reserves no more than that.
fn read_sized(file: fs::File, len: u64, limit: u64) -> io::Result<Vec<u8>> {
    let room = usize::try_from(len.min(limit).min(HINT_CAP)).map_or(0, |n| n + 1);
    let mut bytes = Vec::with_capacity(room);
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens `path` for reading without following a symbolic link in its last
/// component, and without blocking on a named pipe.
#[cfg(target_os = "linux")]
fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK;
    Ok(fs::File::from(rustix::fs::open(path, flags, Mode::empty())?))
}

#[cfg(not(target_os = "linux"))]
fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    if is_link(path) {
        return Err(std::io::Error::other("a symbolic link"));
    }
    fs::File::open(path)
}

fn is_link(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// A short, stable reason for an I/O failure.
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "it does not exist".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

/// Writes `bytes` to `path` through a temporary file beside it and a rename,
/// keeping the permissions of the file it replaces: a reader, or a process
/// killed at any moment, sees the old file or the new one, never half of one.
/// Temporary files that killed processes left beside `path` are removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    replace_file(path, bytes, true)?;
    let parent = path.parent().unwrap_or_else(|| Path::new("."));
    sync_dir(parent);
    remove_stale_temps(path);
    Ok(())
}

fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    format!(".{name}.candor-")
}

/// Replaces `path` with `bytes` through a temporary file and a rename; with
/// `durable`, the data reaches the disk before the rename (for files people
/// wrote; a built site can always be built again).
pub fn replace_file(path: &Path, bytes: &[u8], durable: bool) -> Result<(), WriteError> {
    let parent = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(parent).map_err(|e| WriteError::at(parent, e))?;
    let temp = parent.join(format!("{}{}.tmp", temp_prefix(path), std::process::id()));
    let permissions = fs::metadata(path).ok().filter(fs::Metadata::is_file).map(|m| m.permissions());
    let result = (|| {
        let mut handle = fs::File::create(&temp)?;
        handle.write_all(bytes)?;
        if let Some(permissions) = permissions {
            handle.set_permissions(permissions)?;
        }
        if durable {
            handle.sync_data()?;
        }
        fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&temp);
        WriteError::at(path, e)
    })
}

/// Writes `bytes` to `path` only if nothing is there yet, through a
/// temporary file beside it that is linked into place: a crash never leaves
/// half a file, and a file that appeared in the meantime is never replaced
/// (the error is then [`io::ErrorKind::AlreadyExists`]). With `durable`, the
/// data reaches the disk before the link; a caller writing many files may
/// instead call [`sync_all`] once at the end.
pub fn create_new(path: &Path, bytes: &[u8], durable: bool) -> Result<(), WriteError> {
    let parent = path.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(parent).map_err(|e| WriteError::at(parent, e))?;
    let temp = parent.join(format!("{}{}.tmp", temp_prefix(path), std::process::id()));
    let result = (|| {
        let mut handle = fs::File::create(&temp)?;
        handle.write_all(bytes)?;
        if durable {
            handle.sync_data()?;
        }
        fs::hard_link(&temp, path)
    })();
    let _ = fs::remove_file(&temp);
    result.map_err(|e| WriteError::at(path, e))
}

/// Flushes every file written so far to disk (best effort where the system cannot).
pub fn sync_all() {
    #[cfg(target_os = "linux")]
    rustix::fs::sync();
}

/// Removes `.NAME.candor-PID.tmp` files beside `path` whose process is gone.
fn remove_stale_temps(path: &Path) {
    let (Some(parent), prefix) = (path.parent(), temp_prefix(path)) else { return };
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)?.strip_suffix(".tmp")) else {
            continue;
        };
        if pid.parse().is_ok_and(|pid| !process_alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// An exclusive advisory lock on a folder, held until dropped: what keeps two
/// commands that edit a site's files at once from losing one's change. The
/// folder itself is locked, not a file in it, because edits replace files.
#[derive(Debug)]
pub struct FolderLock {
    /// The open folder; the lock goes with it when it is closed.
    _handle: fs::File,
}

/// Locks `dir`, waiting up to `wait` for another holder to let go; `Ok(None)`
/// when it is still held by then. Where advisory locks do not exist, the
/// lock is granted at once (and the caller's own checks still apply).
pub fn lock_folder(dir: &Path, wait: std::time::Duration) -> io::Result<Option<FolderLock>> {
    let handle = fs::File::open(dir)?;
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{FlockOperation, flock};
        let deadline = std::time::Instant::now() + wait;
        loop {
            match flock(&handle, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => break,
                Err(rustix::io::Errno::WOULDBLOCK) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(rustix::io::Errno::WOULDBLOCK) => return Ok(None),
                Err(e) => return Err(e.into()),
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = wait;
    Ok(Some(FolderLock { _handle: handle }))
}

/// Whether a process with this id is running. Where that cannot be known,
/// assume it is, so nothing another build is using is ever removed.
pub fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") { Path::new("/proc").join(pid.to_string()).exists() } else { true }
}

/// Flushes a folder's entries (a rename) to disk, so a power loss right after
/// keeps the new name; best effort, as not every system can open folders.
pub fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn atomic_writes_keep_permissions_and_remove_stale_temporaries() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.yaml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let stale = dir.path().join(".x.yaml.candor-999999999.tmp");
        fs::write(&stale, "half a fi").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        if cfg!(target_os = "linux") {
            assert!(!stale.exists(), "a killed writer's temporary file is removed");
        }
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(names.len() <= 2, "{names:?}");
    }

    #[test]
    fn a_wrong_length_hint_still_reads_the_whole_file_or_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.yaml");
        let text = "title: x\n".repeat(100);
        fs::write(&path, &text).unwrap();
        let open = || fs::File::open(&path).unwrap();
        for hint in [0, 3, text.len() as u64 - 1, text.len() as u64, 1 << 40] {
            assert_eq!(read_sized(open(), hint, u64::MAX).unwrap(), text.as_bytes(), "hint {hint}");
            assert_eq!(read_sized(open(), hint, 10).unwrap(), &text.as_bytes()[..10], "hint {hint}, limit 10");
        }
        assert_eq!(read_bytes(&path).unwrap(), text.as_bytes());
    }

    #[test]
    fn create_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep/x.yaml");
        create_new(&path, b"first", false).unwrap();
        let err = create_new(&path, b"second", true).unwrap_err();
        assert_eq!(err.error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&path).unwrap(), "first");
        let names: Vec<_> = fs::read_dir(dir.path().join("deep")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["x.yaml"], "no temporary file is left behind");
    }
}
