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
use crate::files::{display_path, read_bytes, read_text, real_dir};
use crate::input::from_yaml;
use crate::locale::Locale;
use crate::model::{Language, Site};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The templates, static files and strings a build uses.
#[derive(Clone, Debug, Default)]
pub struct Theme {
    /// Template name (e.g. `index.html`) to source, with the path it came from.
    pub templates: BTreeMap<String, (PathBuf, String)>,
    /// Output path (e.g. `style.css`) to contents.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// UI strings of the default language.
    pub locale: Locale,
    /// UI strings of every language the site is built in, the default first.
    pub locales: Vec<(Language, Locale)>,
}

impl Theme {
    /// The built-in theme overlaid with `root/themes/NAME/` (`NAME` is the
    /// site's `theme:`), for the site's languages (the default first).
    ///
    /// No folder on the way may be a symbolic link, and a theme named in
    /// `site.yaml` must exist (only `default` may be absent, as it is built in).
    pub fn load(root: &Path, site: &Site) -> Result<Theme, Vec<Diagnostic>> {
        let (name, languages) = (site.theme.as_str(), site.languages.as_slice());
        let first = languages.first().copied().unwrap_or(Language::En);
        let mut theme = Theme::builtin(first.tag())?;
        theme.locales = vec![(first, theme.locale.clone())];
        for lang in languages.iter().skip(1) {
            let locale = Theme::builtin_locale(lang.tag()).map_err(|d| vec![d])?;
            theme.locales.push((*lang, locale));
        }
        match real_dir(root, &Path::new("themes").join(name)).map_err(|d| vec![d])? {
            Some(dir) => theme.overlay(root, &dir)?,
            None if name != "default" => {
                let pos = site.theme_pos.unwrap_or(Pos::FILE);
                let message = format!("there is no theme `{name}`: `themes/{name}/` does not exist");
                let hint =
                    "create the folder with the files you override, or remove `theme:` to use the built-in theme";
                return Err(vec![
                    Diagnostic::error("unknown-theme", Path::new(crate::load::SITE_FILE), pos, message).with_hint(hint),
                ]);
            }
            None => {}
        }
        theme.locale = theme.locales[0].1.clone();
        Ok(theme)
    }

    /// The strings of `lang` (the default language's when the site is not built in it).
    pub fn locale_for(&self, lang: Language) -> &Locale {
        self.locales.iter().find(|(l, _)| *l == lang).map_or(&self.locale, |(_, locale)| locale)
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

    fn overlay(&mut self, root: &Path, dir: &Path) -> Result<(), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut sub = |name: &str| match real_dir(dir, Path::new(name)) {
            Ok(found) => found,
            Err(mut d) => {
                d.file = display_path(root, &dir.join(&d.file));
                errors.push(d);
                None
            }
        };
        let (templates, statics, strings) = (sub("templates"), sub("static"), sub("i18n"));
        for (rel, path) in templates.map(|d| walk(&d, &mut errors, root)).unwrap_or_default() {
            if rel.ends_with(".html") || rel.ends_with(".txt") || rel.ends_with(".js") {
                let display = display_path(root, &path);
                match read_text(&path, &display) {
                    Ok(text) => {
                        self.templates.insert(rel, (display, text));
                    }
                    Err(d) => errors.push(d),
                }
            }
        }
        for (rel, path) in statics.map(|d| walk(&d, &mut errors, root)).unwrap_or_default() {
            match read_bytes(&path) {
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
        for (lang, locale) in &mut self.locales {
            let Some(strings) = strings.as_ref().map(|d| d.join(format!("{}.yaml", lang.tag()))) else { continue };
            if fs::symlink_metadata(&strings).is_err() {
                continue;
            }
            let display = display_path(root, &strings);
            let overrides =
                read_text(&strings, &display).and_then(|t| from_yaml::<BTreeMap<String, String>>(&t, &display));
            match overrides {
                Ok(map) => {
                    let mut merged = locale.strings().clone();
                    merged.extend(map);
                    *locale = Locale::new(merged);
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
    let mut out = Vec::new();
    // Hidden files and folders (`.git/`, `.DS_Store`) are never published.
    let visible = |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.'));
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name().into_iter().filter_entry(visible) {
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
        if entry.file_type().is_file()
            && let Ok(rel) = entry.path().strip_prefix(dir)
        {
            out.push((rel.to_string_lossy().replace('\\', "/"), entry.path().to_path_buf()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_shipped_language_has_every_string_with_the_same_placeholders() {
        let english = Theme::builtin_locale("en").unwrap();
        for lang in Language::ALL {
            let other = Theme::builtin_locale(lang.tag()).unwrap();
            let missing: Vec<&String> =
                english.strings().keys().filter(|k| !other.strings().contains_key(*k)).collect();
            let extra: Vec<&String> = other.strings().keys().filter(|k| !english.strings().contains_key(*k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:?}, extra {extra:?}", lang.tag());
            for (key, text) in english.strings() {
                let theirs = &other.strings()[key];
                assert!(!theirs.is_empty(), "{}: {key} is empty", lang.tag());
                assert_eq!(placeholders(text), placeholders(theirs), "{}: {key}", lang.tag());
            }
        }
    }
}
