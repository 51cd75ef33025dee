//! Markdown to safe HTML, and the checks Markdown must pass before it is published.
//!
//! Bodies are parsed with pulldown-cmark and cleaned as ammonia cleans them,
//! so a pasted `<script>`, an event-handler attribute or a `javascript:` link
//! never reaches a reader. Text without raw HTML is written safe straight from
//! the parser's events ([`safe`]); text with raw HTML goes through ammonia,
//! and the two ways give the same bytes for what both take. Headings are moved down below the page's own
//! headings, so an author's `# Heading` cannot break the outline.
//!
//! Pages make no request to any other host: an image may come from the site
//! itself or from a host the site names in `image_hosts`; validation refuses
//! any other ([`problems`]), and the sanitiser drops such an image's address
//! besides. Links and images without a scheme are relative to the site root
//! (`feed.xml`, `history/`): they are written with the [`SITE_ROOT`] scheme,
//! which [`resolve`] replaces with the way from each page (or feed) to the
//! root, so one rendering serves every page at any depth, on a subpath and
//! from disk.
//!
//! Nesting is bounded ([`MAX_NESTING`]): deeply nested lists and quotes make
//! Markdown parsers slow out of all proportion, and no status update needs them.
//!
//! Control characters and bidirectional overrides are removed from what comes
//! out, not only from what goes in: a character reference such as `&#x202E;`
//! passes any check of the source and becomes the real character only when
//! Markdown is rendered.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::model::cleaned;

mod safe;

/// The deepest lists and quotes may nest.
pub const MAX_NESTING: usize = 16;

/// Stands in rendered HTML for the way to the site root, until [`resolve`]
/// knows the page. Written by hand (`[x](candor-root:feed.xml)`) it means
/// no more than `feed.xml` does, so it gives nothing away.
pub const SITE_ROOT: &str = "candor-root:";

/// Renders Markdown for one site: its sanitiser knows which image hosts it allows.
pub struct Renderer {
    sanitizer: ammonia::Builder<'static>,
    image_hosts: Vec<String>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Renderer")
    }
}

impl Renderer {
    /// A renderer that lets images load only from the site and `image_hosts`.
    pub fn new(image_hosts: &[String]) -> Renderer {
        let hosts = image_hosts.to_vec();
        let mut sanitizer = ammonia::Builder::default();
        sanitizer
            .url_schemes(safe::URL_SCHEMES.into_iter().collect())
            .link_rel(Some(safe::LINK_REL))
            .add_generic_attributes(["title"])
            .attribute_filter(move |element, attribute, value| {
                let loads = element == "img" && attribute == "src";
                if loads && image_host(value).is_some_and(|h| !allowed(h, &hosts)) { None } else { Some(value.into()) }
            });
        Renderer { sanitizer, image_hosts: image_hosts.to_vec() }
    }

    /// Renders `source` to sanitised HTML, with headings starting at
    /// `<h{top}>` and site-relative links starting with [`SITE_ROOT`].
    pub fn to_html(&self, source: &str, top: u8) -> String {
        let written =
            safe::writable(source).then(|| safe::write(events(source, top), &|src| self.keeps_image(src))).flatten();
        cleaned(written.unwrap_or_else(|| self.sanitised(source, top)))
    }

    /// `source` through pulldown-cmark's writer and then ammonia: the way
    /// for text with raw HTML in it, and the standard the fast way is held to.
    fn sanitised(&self, source: &str, top: u8) -> String {
        let mut raw = String::with_capacity(source.len() * 3 / 2);
        html::push_html(&mut raw, events(source, top));
        self.sanitizer.clean(&raw).to_string()
    }

    /// Whether an image at `src` may load: from the site, or from a host in `image_hosts`.
    fn keeps_image(&self, src: &str) -> bool {
        image_host(src).is_none_or(|h| allowed(h, &self.image_hosts))
    }
}

/// The events of `source` with its highest heading at `<h{top}>` and the
/// others kept in step below it (a text whose headings start at `##` does not
/// skip a level of the page's outline), and site-relative links rooted.
fn events(source: &str, top: u8) -> impl Iterator<Item = Event<'_>> {
    let shift = top.saturating_sub(highest_heading(source).unwrap_or(1));
    Parser::new_ext(source, options()).map(move |event| rooted(demote(event, shift)))
}

/// The level of the highest heading in `source`, parsing it only when a line
/// could hold or underline one.
fn highest_heading(source: &str) -> Option<u8> {
    let underline = |line: &str| {
        let line = line.trim();
        !line.is_empty() && (line.bytes().all(|b| b == b'=') || line.bytes().all(|b| b == b'-' || b == b' '))
    };
    if !source.lines().any(|line| line.contains('#') || underline(line)) {
        return None;
    }
    Parser::new_ext(source, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Heading { level, .. }) => Some(level as u8),
            _ => None,
        })
        .min()
}

/// Renders `source` with no image hosts allowed: what tests and tools use.
pub fn to_html(source: &str, top: u8) -> String {
    Renderer::new(&[]).to_html(source, top)
}

/// The Markdown extensions candor renders: tables, strikethrough and task lists.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Whether the sanitiser keeps the HTML tag `name` (lower case) as markup,
/// so what is written with it shows as its author meant. Any other tag is
/// removed (and `script` and `style` with their content), so text that
/// contains one does not show as written.
pub fn keeps_tag(name: &str) -> bool {
    static TAGS: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    TAGS.get_or_init(|| ammonia::Builder::default().clone_tags()).contains(name)
}

/// `html` with each site-relative address made relative to `root`, the way
/// from the page that shows it to the site root (`../../`, or an absolute
/// URL in a feed).
pub fn resolve<'h>(html: &'h str, root: &str) -> Cow<'h, str> {
    if !html.contains(SITE_ROOT) {
        return Cow::Borrowed(html);
    }
    let out = html.replace(&format!("href=\"{SITE_ROOT}"), &format!("href=\"{root}"));
    Cow::Owned(out.replace(&format!("src=\"{SITE_ROOT}"), &format!("src=\"{root}")))
}

/// The host an image at `url` would be loaded from, if it is another host:
/// `https://x/…`, `//x/…`. `None` for the site's own files and for schemes the
/// sanitiser removes anyway.
pub fn image_host(url: &str) -> Option<&str> {
    let url = url.trim();
    let rest = if let Some(rest) = url.strip_prefix("//") {
        rest
    } else {
        // Only a scheme with an authority (`https://host/`) names a host; the
        // others (`javascript:`, `data:`) are removed by the sanitiser.
        let (scheme, rest) = url.split_once(':')?;
        if !scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
            return None;
        }
        let special = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        let after = rest.trim_start_matches(['/', '\\']);
        // Browsers read `https:/x`, `https:\\x` and `https:x` as the host `x`.
        match (special, rest.strip_prefix("//")) {
            (true, _) => after,
            (false, Some(authority)) => authority,
            (false, None) => return None,
        }
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    Some(host)
}

/// Whether `host` is one of `hosts` (exactly, ignoring case).
fn allowed(host: &str, hosts: &[String]) -> bool {
    hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
}

/// Whether `url` is relative to the site (no scheme, no host, not a fragment).
fn is_site_relative(url: &str) -> bool {
    !url.is_empty() && !url.starts_with(['#', '?']) && !url.starts_with("//") && !has_scheme(url)
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// A link or image relative to the site, with [`SITE_ROOT`] in front.
fn rooted(event: Event<'_>) -> Event<'_> {
    fn root(dest: CowStr<'_>) -> CowStr<'_> {
        if is_site_relative(&dest) {
            CowStr::from(format!("{SITE_ROOT}{}", dest.trim_start_matches('/')))
        } else {
            dest
        }
    }
    match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: root(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: root(dest_url), title, id })
        }
        other => other,
    }
}

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

/// Something in Markdown that must not be published, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The line within the text, from 0.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

/// Everything in `source` that must not be published: images from hosts
/// other than the site and `image_hosts`, links that climb above the site
/// root, and nesting deeper than [`MAX_NESTING`].
pub fn problems(source: &str, image_hosts: &[String]) -> Vec<Problem> {
    let mut found = Vec::new();
    if let Some((line, depth)) = deepest(source).filter(|(_, d)| *d > MAX_NESTING) {
        found.push(Problem {
            line,
            message: format!("lists or quotes nest {depth} levels deep here"),
            hint: format!("at most {MAX_NESTING} levels: write the text flatter"),
        });
        // Parsing text that deep is what must not happen.
        return found;
    }
    // Parsing is only needed for an image, or a link that could climb: most bodies have neither.
    let image = source.contains("![") || contains_ignoring_case(source, "<img");
    let climbing =
        source.contains("../") && (source.contains("](") || source.contains("]:") || source.contains("href"));
    if !image && !climbing {
        return found;
    }
    let line_of = |offset: usize| source[..offset.min(source.len())].matches('\n').count();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some(host) = image_host(dest_url).filter(|h| !allowed(h, image_hosts)) {
                    found.push(remote_image(line_of(range.start), host));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for host in html_image_hosts(html).into_iter().filter(|h| !allowed(h, image_hosts)) {
                    found.push(remote_image(line_of(range.start), &host));
                }
            }
            _ => {}
        }
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event
            && is_site_relative(dest_url)
            && climbs_above_root(dest_url)
        {
            found.push(Problem {
                line: line_of(range.start),
                message: format!("the link `{dest_url}` leads above the site"),
                hint: "links without `https://` are relative to the site root: write `feed.xml` or `history/`, not `../../feed.xml`".into(),
            });
        }
    }
    found
}

/// Whether `needle` (ASCII, starting with a character that has no case, like
/// `<`) occurs in `haystack`, ignoring ASCII case, without copying it. Only
/// the places where the first character occurs are compared.
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    let Some(first) = needle.chars().next() else { return true };
    let bytes = haystack.as_bytes();
    haystack
        .match_indices(first)
        .any(|(at, _)| bytes.get(at..at + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle.as_bytes())))
}

fn remote_image(line: usize, host: &str) -> Problem {
    Problem {
        line,
        message: format!("this image would load from `{host}`: pages make no request to any other host"),
        hint: format!(
            "link to it instead (`[a picture of the fix](https://{host}/...)`), put the file in the theme's static folder, or add `{host}` to `image_hosts` in site.yaml"
        ),
    }
}

/// The hosts of the `src` of every `<img>` in an HTML fragment, as the sanitiser reads it.
fn html_image_hosts(html: &str) -> Vec<String> {
    if !html.to_ascii_lowercase().contains("<img") {
        return Vec::new();
    }
    let found = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = found.clone();
    let mut reader = ammonia::Builder::default();
    reader.attribute_filter(move |element, attribute, value| {
        if element == "img"
            && attribute == "src"
            && let Some(host) = image_host(value)
            && let Ok(mut list) = sink.lock()
        {
            list.push(host.to_owned());
        }
        Some(value.into())
    });
    let _ = reader.clean(html).to_string();
    found.lock().map(|l| l.clone()).unwrap_or_default()
}

/// Whether a site-relative path goes above the root (`../feed.xml`).
fn climbs_above_root(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut depth: i32 = 0;
    for part in path.trim_start_matches('/').split('/') {
        match part {
            ".." => depth -= 1,
            "." | "" => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// The line (from 0) where lists and quotes nest deepest, and how deep,
/// counted from the markers and indentation at the start of each line, in
/// one pass and without parsing.
fn deepest(source: &str) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (n, line) in source.lines().enumerate() {
        let depth = line_depth(line);
        if best.is_none_or(|(_, d)| depth > d) {
            best = Some((n, depth));
        }
    }
    best
}

/// How many containers a line opens or continues: each `>` and list marker
/// at its start, and each two columns of indentation before them.
fn line_depth(line: &str) -> usize {
    let bytes = line.as_bytes();
    let (mut i, mut depth, mut spaces) = (0, 0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b' ' => spaces += 1,
            b'\t' => spaces += 4,
            b'>' => depth += 1,
            b'-' | b'*' | b'+' if bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t') => depth += 1,
            b'0'..=b'9' => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                match bytes.get(i + digits) {
                    Some(b'.' | b')') if bytes.get(i + digits + 1).is_none_or(|b| *b == b' ') => {
                        depth += 1;
                        i += digits;
                    }
                    _ => break,
                }
            }
            _ => break,
        }
        i += 1;
    }
    depth + spaces / 2
}

/// Markdown made safe to hand on as Markdown, for the site's `.md` files:
/// headings start at `top`, raw HTML is left out (its text stays), links and
/// images to addresses the sanitiser would drop (`javascript:` and the like)
/// are left out with their text kept, and links and images relative to the
/// site root are made relative to `root` (the way from the file to the site
/// root, or the absolute base URL).
pub fn to_markdown(source: &str, top: u8, root: &str) -> String {
    let shift = top.saturating_sub(1);
    let resolve = |dest: CowStr<'_>| -> CowStr<'static> {
        match dest.strip_prefix(SITE_ROOT) {
            Some(rest) => CowStr::from(format!("{root}{rest}")),
            None => CowStr::from(dest.into_string()),
        }
    };
    // For each link and image open, whether it was left out, so its end is too.
    let mut dropped: Vec<bool> = Vec::new();
    let events = Parser::new_ext(source, options())
        .filter(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        .map(|e| rooted(demote(e, shift)))
        .filter_map(move |e| match &e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let keep = safe::keeps_url(dest_url);
                dropped.push(!keep);
                keep.then_some(e)
            }
            Event::End(TagEnd::Link | TagEnd::Image) => (!dropped.pop().unwrap_or(false)).then_some(e),
            _ => Some(e),
        })
        .map(|e| match e {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Link { link_type, dest_url: resolve(dest_url), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                Event::Start(Tag::Image { link_type, dest_url: resolve(dest_url), title, id })
            }
            other => other,
        });
    let mut out = String::with_capacity(source.len() + 16);
    // Writing into a String cannot fail; an event sequence it cannot write
    // (none that the parser makes) leaves what was written so far.
    let _ = pulldown_cmark_to_cmark::cmark(events, &mut out);
    cleaned(out)
}

/// Plain text made inert in Markdown: every character Markdown could read
/// as markup is escaped, and line breaks become spaces.
pub fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let body = text.trim_start_matches([' ', '\t']);
    out.push_str(&text[..text.len() - body.len()]);
    // At the start of a line, `-`, `+`, `=` and `1.` or `1)` would begin a
    // list or underline a heading: the character that would is escaped.
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if body.starts_with(['-', '+', '=']) {
        Some(0)
    } else {
        (digits > 0 && body[digits..].starts_with(['.', ')'])).then_some(digits)
    };
    for (n, c) in body.char_indices() {
        match c {
            _ if Some(n) == marker => {
                out.push('\\');
                out.push(c);
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    cleaned(out)
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
    cleaned(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::is_hidden;

    #[test]
    fn finds_a_tag_in_any_case_only_where_it_is() {
        assert!(contains_ignoring_case("see <ImG src=x>", "<img"));
        assert!(contains_ignoring_case("<<IMG", "<img"));
        assert!(!contains_ignoring_case("an img, <im", "<img"));
        assert!(!contains_ignoring_case("", "<img"));
    }

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
        let html = to_html("What happened\n---\n\nDetail\n===", 4);
        assert!(html.contains("<h5>What happened</h5>") && html.contains("<h4>Detail</h4>"), "{html}");
    }

    #[test]
    fn markdown_handed_on_keeps_no_link_the_sanitiser_would_drop() {
        let source = "[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](https://ok.example/) [d](data:text/html,x) e";
        let out = to_markdown(source, 2, "../");
        assert_eq!(out, "a b [c](https://ok.example/) d e");
    }

    #[test]
    fn escaped_text_reads_back_as_one_plain_paragraph() {
        for text in ["- a", "+ b", "= c", "12. d", "3) e", "  - f", "# g", "> h", "*i*", "1.5 million", "a\nb"] {
            let html = pulldown(&escape_inline(text));
            assert!(html.starts_with("<p>") && html.matches("<p>").count() == 1, "{text:?}: {html}");
            assert!(!html.contains("<em>") && !html.contains("<li>") && !html.contains("<h"), "{text:?}: {html}");
            assert_eq!(to_plain(&escape_inline(text)), text.trim_start().replace('\n', " "), "{text:?}");
        }
    }

    fn pulldown(source: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new(source));
        html
    }

    #[test]
    fn character_references_cannot_smuggle_hidden_characters() {
        let source = "a&#x202E;b &#27;[31m c&#x2066;d\u{202D}e <span>&#x202B;f&#7;</span> `g\u{1b}`";
        for out in [to_html(source, 4), to_plain(source)] {
            assert!(!out.chars().any(is_hidden), "{out:?}");
            assert!(out.contains("ab") && out.contains("cde"), "{out:?}");
        }
        assert_eq!(cleaned("tab\tline\nend\r".to_owned()), "tab\tline\nend");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(to_plain("We are *on it*.\n\n- one\n- two"), "We are on it. one two");
    }

    #[test]
    fn site_links_are_relative_to_the_root_of_every_page() {
        let html = to_html("[feed](feed.xml), [history](/history/) and [out](https://x.example/a)", 4);
        assert_eq!(resolve(&html, "../../").matches("href=\"../../").count(), 2, "{html}");
        assert!(resolve(&html, "https://status.example/").contains("href=\"https://status.example/history/\""));
        assert!(html.contains("href=\"https://x.example/a\""));
    }

    #[test]
    fn images_from_other_hosts_are_refused_and_never_loaded() {
        for source in [
            "![](https://tracker.example/p.gif)",
            "![x](//tracker.example/x.png)",
            "<img src=\"https://tracker.example/p.gif\">",
            "text <IMG SRC=//tracker.example/p.gif> inline",
            "![](https:\\\\tracker.example/p.gif)",
            "![](HTTPS:/tracker.example/p.gif)",
        ] {
            let found = problems(source, &[]);
            assert_eq!(found.len(), 1, "{source}: {found:?}");
            assert!(found[0].message.contains("tracker.example"), "{found:?}");
            assert!(problems(source, &["tracker.example".into()]).is_empty(), "an allowed host: {source}");
            assert!(!to_html(source, 4).contains("tracker.example/p"), "{source}: {}", to_html(source, 4));
        }
        assert!(problems("![logo](logo.png) and [a link](https://tracker.example/p.gif)", &[]).is_empty());
        let allowed = Renderer::new(&["cdn.example".into()]).to_html("![a](https://cdn.example/a.png)", 4);
        assert!(allowed.contains("src=\"https://cdn.example/a.png\""), "{allowed}");
    }

    #[test]
    fn links_above_the_site_are_refused() {
        let found = problems("Subscribe to the [feed](../../feed.xml).", &[]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(problems("[feed](feed.xml) [up](a/../b)", &[]).is_empty());
    }

    #[test]
    fn deep_nesting_is_refused_before_it_is_parsed() {
        let deep = format!("{}x", "> ".repeat(MAX_NESTING + 1));
        assert_eq!(problems(&deep, &[]).len(), 1);
        let indented: String = (0..40).map(|n| format!("{}- item\n", "  ".repeat(n))).collect();
        assert_eq!(problems(&indented, &[]).len(), 1);
        assert!(problems("- a\n  - b\n    - c\n> > quoted\n1. one\n", &[]).is_empty());
    }
}
