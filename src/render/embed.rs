//! `embed.js` and `widget.html`: the banner a company puts in its own product,
//! from the theme's templates of the same names, with the words it shows in
//! every language of the site (the script picks one by `data-lang` or the
//! host page's language). Made once for the whole site.

use std::collections::BTreeMap;

use tera::Context;

use super::context::Formatter;
use super::engine::{Engine, RenderError};
use crate::files::OutFile;
use crate::model::UpdateStatus;
use crate::paths::Place;
use crate::theme::Theme;

/// The words the banner uses, in each of the site's languages.
fn strings(fmt: &Formatter<'_>, theme: &Theme) -> serde_json::Value {
    let mut all = serde_json::Map::new();
    for lang in &fmt.model.site.languages {
        let locale = theme.locale_for(*lang);
        let statuses: BTreeMap<&str, String> = UpdateStatus::INCIDENT
            .iter()
            .chain(&UpdateStatus::MAINTENANCE)
            .map(|s| (s.as_str(), locale.get(&format!("status.{}", s.as_str())).to_owned()))
            .collect();
        let words = serde_json::json!({
            "label": locale.get("embed.label"),
            "next_update": locale.get("embed.next_update"),
            "dismiss": locale.get("embed.dismiss"),
            "all_clear": locale.get("embed.all_clear"),
            "more": locale.get("embed.more"),
            "status": statuses,
        });
        all.insert(lang.tag().to_owned(), words);
    }
    serde_json::Value::Object(all)
}

/// `embed.js` and `widget.html`.
pub fn files(engine: &Engine, fmt: &Formatter<'_>, theme: &Theme) -> Result<Vec<OutFile>, RenderError> {
    let mut cx = Context::new();
    // Serialising a `Value` cannot fail: every key is a string.
    cx.insert("strings", &serde_json::to_string(&strings(fmt, theme)).unwrap_or_default());
    cx.insert("default_lang", &serde_json::to_string(fmt.model.site.language.tag()).unwrap_or_default());
    cx.insert("lang", fmt.model.site.language.tag());
    cx.insert("title", &fmt.locale.fill("embed.label", &[("site", &fmt.tr(&fmt.model.site.title))]));
    Ok(vec![
        OutFile { path: fmt.paths.file(Place::Embed), bytes: engine.render(theme, "embed.js", &cx)? },
        OutFile { path: fmt.paths.file(Place::Widget), bytes: engine.render(theme, "widget.html", &cx)? },
    ])
}
