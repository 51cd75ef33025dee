//! Update bodies and post-mortems from other tools, made into Markdown that
//! shows every word it held.
//!
//! Statuspage bodies are plain text with occasional HTML and Markdown; cState
//! bodies are Markdown. candor renders Markdown and sanitises the result, so
//! most of what they hold renders as it did: text, Markdown, and the HTML the
//! sanitiser keeps (links, emphasis, lists, line breaks, tables). What would
//! not show is escaped so it shows as the text it was, and said so:
//!
//! - tags the sanitiser removes (`<script>` and `<style>` with their
//!   content; unknown ones such as `<your-domain>` without it), comments,
//!   doctypes and processing instructions, wherever Markdown reads them as
//!   HTML (never inside code);
//! - link reference definitions that no link uses (`[1]: see above`), which
//!   Markdown hides;
//! - control characters and bidirectional overrides, which candor never
//!   shows, are removed.
//!
//! Everything else is kept byte for byte (line breaks become `\n`), so the
//! API's `body` equals the source's wherever nothing needed escaping.

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::markdown;
use crate::model::{clean, is_hidden};

/// A body ready for an incident file, with what had to change and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted {
    /// The Markdown to write.
    pub text: String,
    /// What was changed, in words for the report; empty when nothing was.
    pub changes: Vec<String>,
}

/// `source` as Markdown that shows all of its text.
pub fn convert(source: &str) -> Converted {
    let mut text = crate::yaml::normalise_breaks(source);
    let mut changes = Vec::new();
    if text.chars().any(is_hidden) {
        text = clean(&text);
        changes.push("control or text-direction characters removed".to_owned());
    }
    if !text.contains(['<', '[']) {
        return Converted { text, changes };
    }
    let mut escaped_html = Vec::new();
    let mut escaped_definitions = false;
    // Escaping can change how the rest is read (an HTML block becomes a
    // paragraph), so repeat until nothing more needs it.
    for _ in 0..4 {
        let tags = hidden_html(&text);
        let definitions = if tags.is_empty() { unused_definitions(&text) } else { Vec::new() };
        if tags.is_empty() && definitions.is_empty() {
            break;
        }
        for (_, name) in &tags {
            if !escaped_html.contains(name) {
                escaped_html.push(name.clone());
            }
        }
        escaped_definitions |= !definitions.is_empty();
        let mut edits: Vec<(usize, &str)> = tags.iter().map(|(at, _)| (*at, "&lt;")).collect();
        edits.extend(definitions.iter().map(|at| (*at, "\\[")));
        text = apply(&text, edits);
    }
    if !escaped_html.is_empty() {
        let list: Vec<String> = escaped_html.iter().map(|n| format!("`{n}`")).collect();
        changes.push(format!("HTML that would not show ({}) escaped, so its text shows as written", list.join(", ")));
    }
    if escaped_definitions {
        changes.push("a line Markdown would hide as a link definition escaped".to_owned());
    }
    Converted { text, changes }
}

/// Replaces the one character at each byte offset with the text given.
fn apply(text: &str, mut edits: Vec<(usize, &str)>) -> String {
    edits.sort_unstable_by_key(|(at, _)| *at);
    edits.dedup_by_key(|(at, _)| *at);
    let mut out = String::with_capacity(text.len() + edits.len() * 4);
    let mut from = 0;
    for (at, with) in edits {
        out.push_str(&text[from..at]);
        out.push_str(with);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out
}

/// The byte offset of every `<` that Markdown reads as HTML the sanitiser
/// would remove, with what it starts (a tag's name, or `<!--`, `<!`, `<?`).
fn hidden_html(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(text, markdown::options()).into_offset_iter() {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            continue;
        }
        let chunk = &text[range.clone()];
        for (i, _) in chunk.match_indices('<') {
            if let Some(what) = removed_markup(&chunk[i + 1..]) {
                found.push((range.start + i, what));
            }
        }
    }
    found
}

/// What follows a `<`, when it is markup the sanitiser removes.
fn removed_markup(after: &str) -> Option<String> {
    if after.starts_with("!--") {
        return Some("<!--".to_owned());
    }
    if after.starts_with(['!', '?']) {
        return Some(format!("<{}", &after[..1]));
    }
    let name_start = after.strip_prefix('/').unwrap_or(after);
    let end = name_start.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(name_start.len());
    let name = &name_start[..end];
    let ends_tag = name_start[end..].chars().next().is_none_or(|c| c.is_whitespace() || c == '>' || c == '/');
    let is_tag = name.starts_with(|c: char| c.is_ascii_alphabetic()) && ends_tag;
    let name = name.to_ascii_lowercase();
    (is_tag && !markdown::keeps_tag(&name)).then(|| format!("<{name}>"))
}

/// The byte offset of the `[` of each link reference definition no link uses.
fn unused_definitions(text: &str) -> Vec<usize> {
    let mut parser = Parser::new_ext(text, markdown::options());
    let mut used = Vec::new();
    for event in parser.by_ref() {
        if let Event::Start(Tag::Link { link_type, id, .. } | Tag::Image { link_type, id, .. }) = event
            && matches!(link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut)
        {
            used.push(id.to_lowercase());
        }
    }
    parser
        .reference_definitions()
        .iter()
        .filter(|(label, _)| !used.contains(&label.to_lowercase()))
        .filter_map(|(_, def)| text[def.span.clone()].find('[').map(|i| def.span.start + i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words a reader sees in `html`.
    fn shown(html: &str) -> Vec<String> {
        let doc = scraper::Html::parse_fragment(html);
        words(&doc.root_element().text().collect::<String>())
    }

    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
    }

    /// Whether `inner` appears in `outer` in order (not necessarily together).
    fn in_order(inner: &[String], outer: &[String]) -> bool {
        let mut rest = outer.iter();
        inner.iter().all(|w| rest.any(|o| o == w))
    }

    #[test]
    fn plain_text_markdown_and_kept_html_are_untouched() {
        for body in [
            "We are investigating elevated error rates.\nNext update in 30 minutes.",
            "Fixed in **v2.3**; see [the notes](https://example.com/notes).",
            "Affected:\n- EU\n- US",
            "Latency < 5 ms again, p99 > 200 ms before.",
            "Details: <a href=\"https://example.com\">here</a>, <b>bold</b><br>next line",
            "Code: `<script>` and\n\n    <style>indented code</style>",
            "See [the docs][1].\n\n[1]: https://example.com",
            "Mail <support@example.com> or see <https://example.com>",
        ] {
            let converted = convert(body);
            assert_eq!(converted.text, body, "{body}");
            assert!(converted.changes.is_empty(), "{body}: {:?}", converted.changes);
        }
    }

    #[test]
    fn markup_that_would_hide_text_is_escaped_and_every_word_shows() {
        for (body, escaped) in [
            ("<script>alert('x')</script> then text", "`<script>`"),
            ("Requests to <your-domain>/api fail", "`<your-domain>`"),
            ("Visible <!-- a note to the team --> text", "`<!--`"),
            ("<style>p { color: red }</style>\n\nStyled.", "`<style>`"),
            ("Before\n<iframe src=x>inside</iframe>\nafter", "`<iframe>`"),
            ("<?php echo 1 ?> and <!DOCTYPE html>", "`<?`, `<!`"),
        ] {
            let converted = convert(body);
            assert!(converted.changes.iter().any(|c| c.contains(escaped)), "{body}: {:?}", converted.changes);
            let source_words = words(&scraper::Html::parse_fragment(body).root_element().text().collect::<String>());
            let rendered = shown(&markdown::to_html(&converted.text, 4));
            assert!(in_order(&source_words, &rendered), "{body}\n{source_words:?}\n{rendered:?}");
            assert!(in_order(&words(body), &rendered), "even the markup's words show: {body}\n{rendered:?}");
        }
    }

    #[test]
    fn unused_link_definitions_and_hidden_characters_are_made_visible() {
        let converted = convert("Status:\n\n[1]: https://status.example.com/previous\nthanks\u{202E}\u{7}");
        assert_eq!(converted.text, "Status:\n\n\\[1]: https://status.example.com/previous\nthanks");
        assert_eq!(converted.changes.len(), 2, "{:?}", converted.changes);
        assert!(shown(&markdown::to_html(&converted.text, 4)).contains(&"previous".to_owned()));
        assert_eq!(convert("a\r\nb\rc").text, "a\nb\nc");
    }
}
