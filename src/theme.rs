//! The default theme, compiled into the binary, and a site's overrides.
//!
//! The built-in `themes/default/` travels inside the executable so candor works
//! anywhere. A site's `themes/NAME/templates/*.html`, `themes/NAME/static/**`
//! and `themes/NAME/i18n/LANG.yaml` replace the built-in files one by one
//! (strings key by key), so a site changes only what it needs to.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Pos};
use crate::input::from_yaml;
use crate::load::{display_path, read_text};
use crate::locale::Locale;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The templates, static files and strings a build uses.
#[derive(Clone, Debug, Default)]
pub struct Theme {
    /// Template name (e.g. `index.html`) to source, with the path it came from.
    pub templates: BTreeMap<String, (PathBuf, String)>,
    /// Output path (e.g. `style.css`) to contents.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// UI strings.
    pub locale: Locale,
}

impl Theme {
    /// The built-in theme overlaid with `root/themes/NAME/`, for language `lang`.
    pub fn load(root: &Path, name: &str, lang: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::builtin(lang)?;
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            theme.overlay(root, &dir, lang)?;
        }
        Ok(theme)
    }

    /// The built-in theme alone.
    pub fn builtin(lang: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        for file in files(&BUILTIN) {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                theme.templates.insert(name.to_owned(), (PathBuf::from("themes/default").join(&path), text));
            } else if let Some(name) = path.strip_prefix("static/") {
                theme.statics.insert(name.to_owned(), file.contents().to_vec());
            }
        }
        theme.locale = Theme::builtin_locale(lang).map_err(|d| vec![d])?;
        Ok(theme)
    }

    /// The built-in strings for `lang`.
    pub fn builtin_locale(lang: &str) -> Result<Locale, Diagnostic> {
        let name = format!("i18n/{lang}.yaml");
        let display = PathBuf::from("themes/default").join(&name);
        let file = BUILTIN.get_file(&name).ok_or_else(|| {
            Diagnostic::error(
                "missing-translation",
                &display,
                Pos::FILE,
                format!("no built-in strings for language `{lang}`"),
            )
        })?;
        let text = String::from_utf8_lossy(file.contents());
        from_yaml::<BTreeMap<String, String>>(&text, &display).map(Locale::new)
    }

    fn overlay(&mut self, root: &Path, dir: &Path, lang: &str) -> Result<(), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        for (rel, path) in walk(&dir.join("templates"), &mut errors, root) {
            if rel.ends_with(".html") {
                let display = display_path(root, &path);
                match read_text(&path, &display) {
                    Ok(text) => {
                        self.templates.insert(rel, (display, text));
                    }
                    Err(d) => errors.push(d),
                }
            }
        }
        for (rel, path) in walk(&dir.join("static"), &mut errors, root) {
            match fs::read(&path) {
                Ok(bytes) => {
                    self.statics.insert(rel, bytes);
                }
                Err(e) => errors.push(Diagnostic::error(
                    "unreadable",
                    &display_path(root, &path),
                    Pos::FILE,
                    format!("cannot read the file: {e}"),
                )),
            }
        }
        let strings = dir.join("i18n").join(format!("{lang}.yaml"));
        if strings.is_file() {
            let display = display_path(root, &strings);
            let overrides =
                read_text(&strings, &display).and_then(|t| from_yaml::<BTreeMap<String, String>>(&t, &display));
            match overrides {
                Ok(map) => {
                    let mut merged = self.locale.strings().clone();
                    merged.extend(map);
                    self.locale = Locale::new(merged);
                }
                Err(d) => errors.push(d),
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

fn files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(files(sub));
    }
    out
}

/// Regular files under `dir`, as (path relative to `dir` with `/`, full path); symlinks reported.
fn walk(dir: &Path, errors: &mut Vec<Diagnostic>, root: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        if entry.path_is_symlink() {
            errors.push(Diagnostic::error(
                "symlink",
                &display_path(root, entry.path()),
                Pos::FILE,
                "symbolic links are not followed in themes",
            ));
            continue;
        }
        let hidden = entry.file_name().to_str().is_some_and(|n| n.starts_with('.'));
        if entry.file_type().is_file()
            && !hidden
            && let Ok(rel) = entry.path().strip_prefix(dir)
        {
            out.push((rel.to_string_lossy().replace('\\', "/"), entry.path().to_path_buf()));
        }
    }
    out
}
