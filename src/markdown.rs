//! Markdown to safe HTML.
//!
//! Bodies are rendered with pulldown-cmark and then cleaned by ammonia, so a
//! pasted `<script>`, an event-handler attribute or a `javascript:` link
//! never reaches a reader. Headings are moved down below the page's own
//! headings, so an author's `# Heading` cannot break the outline.
//!
//! Control characters and bidirectional overrides are removed from what comes
//! out, not only from what goes in: a character reference such as `&#x202E;`
//! passes any check of the source and becomes the real character only when
//! Markdown is rendered.

use std::sync::OnceLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// The Markdown extensions candor renders: tables, strikethrough and task lists.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Renders `source` to sanitised HTML, with its highest heading at
/// `<h{top}>` and the others kept in step below it, so a text whose headings
/// start at `##` does not skip a level of the page's outline.
pub fn to_html(source: &str, top: u8) -> String {
    let events: Vec<Event<'_>> = Parser::new_ext(source, options()).collect();
    let highest = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let shift = top.saturating_sub(highest);
    let mut raw = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter().map(|event| demote(event, shift)));
    clean(&sanitizer().clean(&raw).to_string())
}

use crate::model::clean;

fn demote(event: Event<'_>, shift: u8) -> Event<'_> {
    match event {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: shifted(level, shift), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shifted(level, shift))),
        other => other,
    }
}

fn shifted(level: HeadingLevel, shift: u8) -> HeadingLevel {
    let n = (level as u8 + shift).min(6);
    HeadingLevel::try_from(usize::from(n)).unwrap_or(HeadingLevel::H6)
}

/// One sanitiser for the whole process: building it is not free.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer nofollow"))
            .add_generic_attributes(["title"]);
        builder
    })
}

/// Whether the sanitiser keeps the HTML tag `name` (lower case) as markup,
/// so what is written with it shows as its author meant. Any other tag is
/// removed (and `script` and `style` with their content), so text that
/// contains one does not show as written.
pub fn keeps_tag(name: &str) -> bool {
    static TAGS: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    TAGS.get_or_init(|| sanitizer().clone_tags().into_iter().map(str::to_owned).collect()).contains(name)
}

/// Markdown reduced to plain text, for summaries and descriptions.
pub fn to_plain(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    clean(&out.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::is_hidden;

    #[test]
    fn renders_lists_and_links() {
        let html = to_html("We are *on it*.\n\n- one\n- [status](https://acme.example)\n", 4);
        assert!(html.contains("<em>on it</em>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
        assert!(html.contains("href=\"https://acme.example\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""), "{html}");
    }

    #[test]
    fn removes_scripts_handlers_and_javascript_links() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"javascript:alert(2)\">y</a>",
            4,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn moves_headings_below_the_page_outline() {
        let html = to_html("# Top\n\n###### Deep", 4);
        assert!(html.contains("<h4>Top</h4>"), "{html}");
        assert!(html.contains("<h6>Deep</h6>"), "{html}");
        let html = to_html("## What happened\n\ntext\n\n### Detail", 4);
        assert!(
            html.contains("<h4>What happened</h4>") && html.contains("<h5>Detail</h5>"),
            "no level is skipped: {html}"
        );
    }

    #[test]
    fn character_references_cannot_smuggle_hidden_characters() {
        let source = "a&#x202E;b &#27;[31m c&#x2066;d\u{202D}e <span>&#x202B;f&#7;</span> `g\u{1b}`";
        for out in [to_html(source, 4), to_plain(source)] {
            assert!(!out.chars().any(is_hidden), "{out:?}");
            assert!(out.contains("ab") && out.contains("cde"), "{out:?}");
        }
        assert_eq!(clean("tab\tline\nend\r"), "tab\tline\nend");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(to_plain("We are *on it*.\n\n- one\n- two"), "We are on it. one two");
    }
}
