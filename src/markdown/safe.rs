//! Markdown events written straight to sanitised HTML.
//!
//! Almost no status update holds raw HTML, and for those that do not, every
//! element pulldown-cmark can produce is known in advance. This writer writes
//! each one exactly as ammonia would leave it after pulldown-cmark's own
//! writer, without an HTML parser between the two: attributes the sanitiser
//! drops (a code block's `class`, a table cell's `style`, a task list's
//! `<input>`) are never written, a link's address passes the same URL check,
//! text is escaped as ammonia's serialiser escapes it, and every link gets
//! the same `rel`. Any event it does not know (raw HTML above all) makes it
//! give up, and the caller hands the text to ammonia instead. A test renders
//! thousands of texts both ways and requires the same bytes.

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

/// What every link gets, as the sanitiser adds it.
pub const LINK_REL: &str = "noopener noreferrer nofollow";

/// The schemes a link or image may use; any other address is dropped.
pub const URL_SCHEMES: [&str; 4] = ["http", "https", "mailto", "candor-root"];

/// Writes `events` as sanitised HTML, or gives `None` at the first event that
/// needs an HTML parser to be made safe (raw HTML, or an extension candor
/// does not enable). `keep_image` says whether an image's address may load.
pub fn write<'e>(events: impl Iterator<Item = Event<'e>>, keep_image: &dyn Fn(&str) -> bool) -> Option<String> {
    let mut writer = Writer { out: String::new(), end_newline: true, in_head: false, in_link: false, keep_image };
    let mut events = events;
    while let Some(event) = events.next() {
        writer.event(event, &mut events)?;
    }
    Some(writer.out)
}

struct Writer<'k> {
    out: String,
    /// Whether what is written so far ends a line, as pulldown-cmark tracks it.
    end_newline: bool,
    /// Whether the cells being written are a table's head.
    in_head: bool,
    /// Whether a link is open: a link inside it (`[<https://x>](y)`) is one
    /// the HTML parser takes apart, so that text goes to the sanitiser.
    in_link: bool,
    keep_image: &'k dyn Fn(&str) -> bool,
}

impl Writer<'_> {
    fn event<'e>(&mut self, event: Event<'e>, rest: &mut dyn Iterator<Item = Event<'e>>) -> Option<()> {
        match event {
            Event::Start(tag) => self.start(tag, rest)?,
            Event::End(tag) => self.end(tag)?,
            Event::Text(text) => {
                escape(&mut self.out, &text, false);
                self.end_newline = text.ends_with('\n');
            }
            Event::Code(text) => {
                self.write("<code>");
                escape(&mut self.out, &text, false);
                self.write("</code>");
            }
            Event::SoftBreak => self.write("\n"),
            Event::HardBreak => self.write("<br>\n"),
            Event::Rule => self.block("<hr>\n"),
            // The sanitiser removes the checkbox and keeps the line break after it.
            Event::TaskListMarker(_) => self.write("\n"),
            _ => return None,
        }
        Some(())
    }

    fn start<'e>(&mut self, tag: Tag<'e>, rest: &mut dyn Iterator<Item = Event<'e>>) -> Option<()> {
        match tag {
            Tag::Paragraph => self.block("<p>"),
            Tag::Heading { level, id: None, classes, attrs } if classes.is_empty() && attrs.is_empty() => {
                self.block(&format!("<{level}>"));
            }
            Tag::BlockQuote(None) => self.block("<blockquote>\n"),
            // The language's class is dropped, as the sanitiser drops it.
            Tag::CodeBlock(_) => {
                if !self.end_newline {
                    self.write("\n");
                }
                self.write("<pre><code>");
            }
            Tag::List(Some(1)) => self.block("<ol>\n"),
            Tag::List(Some(start)) => self.block(&format!("<ol start=\"{start}\">\n")),
            Tag::List(None) => self.block("<ul>\n"),
            Tag::Item => self.block("<li>"),
            Tag::Table(_) => self.write("<table>"),
            Tag::TableHead => {
                self.in_head = true;
                self.write("<thead><tr>");
            }
            Tag::TableRow => self.write("<tr>"),
            Tag::TableCell => self.write(if self.in_head { "<th>" } else { "<td>" }),
            Tag::Emphasis => self.write("<em>"),
            Tag::Strong => self.write("<strong>"),
            Tag::Strikethrough => self.write("<del>"),
            Tag::Link { .. } if self.in_link => return None,
            Tag::Link { link_type, dest_url, title, .. } => self.link(link_type, &dest_url, &title),
            Tag::Image { dest_url, title, .. } => self.image(&dest_url, &title, rest)?,
            _ => return None,
        }
        Some(())
    }

    fn end(&mut self, tag: TagEnd) -> Option<()> {
        match tag {
            TagEnd::Paragraph => self.write("</p>\n"),
            TagEnd::Heading(level) => self.write(&format!("</{level}>\n")),
            TagEnd::BlockQuote(None) => self.write("</blockquote>\n"),
            TagEnd::CodeBlock => self.write("</code></pre>\n"),
            TagEnd::List(true) => self.write("</ol>\n"),
            TagEnd::List(false) => self.write("</ul>\n"),
            TagEnd::Item => self.write("</li>\n"),
            TagEnd::Table => self.write("</tbody></table>\n"),
            TagEnd::TableHead => {
                self.in_head = false;
                self.write("</tr></thead><tbody>\n");
            }
            TagEnd::TableRow => self.write("</tr>\n"),
            TagEnd::TableCell => self.write(if self.in_head { "</th>" } else { "</td>" }),
            TagEnd::Emphasis => self.write("</em>"),
            TagEnd::Strong => self.write("</strong>"),
            TagEnd::Strikethrough => self.write("</del>"),
            TagEnd::Link => {
                self.in_link = false;
                self.write("</a>");
            }
            _ => return None,
        }
        Some(())
    }

    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        if !s.is_empty() {
            self.end_newline = s.ends_with('\n');
        }
    }

    /// A block's opening, on a line of its own.
    fn block(&mut self, s: &str) {
        if !self.end_newline {
            self.out.push('\n');
        }
        self.write(s);
    }

    fn link(&mut self, link_type: LinkType, dest: &str, title: &str) {
        self.out.push_str("<a");
        let scheme = if link_type == LinkType::Email { "mailto:" } else { "" };
        if let Some(href) = safe_url(scheme, dest) {
            self.attribute("href", &href);
        }
        if !title.is_empty() {
            self.attribute("title", title);
        }
        self.attribute("rel", LINK_REL);
        self.write(">");
        self.in_link = true;
    }

    fn image<'e>(&mut self, dest: &str, title: &str, rest: &mut dyn Iterator<Item = Event<'e>>) -> Option<()> {
        self.out.push_str("<img");
        if let Some(src) = safe_url("", dest).filter(|src| (self.keep_image)(src)) {
            self.attribute("src", &src);
        }
        let alt = alt_text(rest)?;
        self.attribute("alt", &alt);
        if !title.is_empty() {
            self.attribute("title", title);
        }
        self.write(">");
        Some(())
    }

    fn attribute(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape(&mut self.out, value, true);
        self.out.push('"');
    }
}

/// An image's description: the text of the events up to its end, as
/// pulldown-cmark writes it into `alt`.
fn alt_text<'e>(rest: &mut dyn Iterator<Item = Event<'e>>) -> Option<String> {
    let mut alt = String::new();
    let mut depth = 0usize;
    for event in rest {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Some(alt),
            Event::End(_) => depth -= 1,
            Event::Text(text) | Event::Code(text) => alt.push_str(&text),
            Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
            Event::TaskListMarker(done) => alt.push_str(if done { "[x]" } else { "[ ]" }),
            _ => return None,
        }
    }
    Some(alt)
}

/// Whether the sanitiser keeps `dest` as a link's or an image's address: for
/// Markdown handed on as Markdown, which no sanitiser reads after candor.
pub fn keeps_url(dest: &str) -> bool {
    safe_url("", dest).is_some()
}

/// `scheme` and `dest` as an address the sanitiser keeps, percent-encoded as
/// pulldown-cmark encodes it, or `None` where the sanitiser would drop it: a
/// scheme not in [`URL_SCHEMES`], or an address that is neither a valid URL
/// nor relative.
fn safe_url(scheme: &str, dest: &str) -> Option<String> {
    let mut url = String::with_capacity(scheme.len() + dest.len());
    url.push_str(scheme);
    encode_href(&mut url, dest);
    let keep = match url::Url::parse(&url) {
        Ok(parsed) => URL_SCHEMES.contains(&parsed.scheme()),
        Err(error) => error == url::ParseError::RelativeUrlWithoutBase,
    };
    keep.then_some(url)
}

/// Percent-encodes what pulldown-cmark encodes in an address: every byte but
/// ASCII letters, digits and ``!#$%&'()*+,-./:;=?@^_~``.
fn encode_href(out: &mut String, dest: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut start = 0;
    for (i, byte) in dest.bytes().enumerate() {
        if href_safe(byte) {
            continue;
        }
        // Bytes that are not safe include every byte of a multi-byte
        // character, so a safe byte (ASCII) is always a character's boundary.
        if start < i {
            out.push_str(&dest[start..i]);
        }
        out.push('%');
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xF)]));
        start = i + 1;
    }
    out.push_str(&dest[start..]);
}

/// The bytes pulldown-cmark leaves as they are in an address (`&` and `'`
/// it writes as references, which read back as themselves).
fn href_safe(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'()*+,-./:;=?@^_~".contains(&byte)
}

/// Appends `text` escaped as the sanitiser's serialiser escapes it: `&`, `<`,
/// `>` and the no-break space always, and `"` inside an attribute.
pub fn escape(out: &mut String, text: &str, attribute: bool) {
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let replacement = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if attribute => "&quot;",
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => "&nbsp;",
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        i += if bytes[i] == 0xC2 { 2 } else { 1 };
        start = i;
    }
    out.push_str(&text[start..]);
}

/// Whether `text` may go through [`write`] at all: characters the HTML parser
/// would change on the way in (carriage returns, other control characters)
/// are left to the sanitiser.
pub fn writable(text: &str) -> bool {
    // U+0080 to U+009F all start with the byte 0xC2: only text with one needs its characters read.
    let suspect = |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') | (b == 0x7F) | (b == 0xC2);
    // What the sanitiser must see is exactly the control characters other than a line break and a tab.
    !crate::model::any_byte(text, suspect) || !text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::Renderer;

    /// Pieces that Markdown is made of, hostile ones included: every
    /// construct candor enables, addresses of each kind, characters the
    /// escaping treats apart, and the raw HTML that must go the other way.
    const PIECES: &[&str] = &[
        "text",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "*",
        "**",
        "_",
        "~~",
        "`",
        "``",
        "\\",
        "# ",
        "### ",
        "- ",
        "* ",
        "1. ",
        "3) ",
        "> ",
        "    ",
        "---",
        "***",
        "|",
        " | ",
        "|---|:-:|--:|",
        "- [ ] ",
        "- [x] ",
        "```",
        "```rust x\n",
        "~~~\n",
        "[",
        "]",
        "](",
        ")",
        "![",
        "[ref]",
        "[ref]: ",
        "<https://a.example/x?y=1&z=2>",
        "<ops@acme.example>",
        "https://acme.example/a b",
        "/history/",
        "feed.xml",
        "../up",
        "#frag",
        "?q=1",
        "//cdn.example/i.png",
        "https://cdn.example/i.png",
        "https://tracker.example/p.gif",
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        "mailto:a@b.c",
        "data:text/html,x",
        "candor-root:x",
        "http://[::1",
        "https://[bad",
        "x:y",
        "\"t\"",
        " 'title'",
        "(title)",
        "\"",
        "'",
        "&",
        "&amp;",
        "&#x27;",
        "&nbsp;",
        "&#xA0;",
        "&copy;",
        "&bogus;",
        "<",
        ">",
        "<b>",
        "<img src=x>",
        "<!-- c -->",
        "\u{a0}",
        "é",
        "日本",
        "🙂",
        "%20",
        "%",
        "^",
        "[]",
        "{}",
        "`a`",
        "a\\\nb",
        "line  \nbreak",
        "<span>",
        "</p>",
        "=\n",
        "1.",
        "0. ",
        "999999999. ",
    ];

    fn markdown() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(PIECES), 0..40).prop_map(|pieces| pieces.concat())
    }

    /// The renderer both ways, for one text; `None` when the fast way declines it.
    fn both(renderer: &Renderer, source: &str) -> Option<(String, String)> {
        let fast = super::write(super::super::events(source, 4), &|src| renderer.keeps_image(src))?;
        Some((fast, renderer.sanitised(source, 4)))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The writer is only worth having if it is indistinguishable from
        /// the sanitiser: every text it takes must come out byte for byte as
        /// ammonia would write it.
        #[test]
        fn writes_what_the_sanitiser_would(source in markdown()) {
            let renderer = Renderer::new(&["cdn.example".into()]);
            if let Some((fast, sanitised)) = both(&renderer, &source) {
                prop_assert_eq!(fast, sanitised, "source: {:?}", source);
            }
        }
    }

    #[test]
    fn takes_what_is_common_and_declines_raw_html() {
        let renderer = Renderer::new(&[]);
        let common = [
            "We are *on it*. \"Quoted\" & 'single'\n\n- one\n- [status](https://acme.example \"the title\")\n\n1. a\n2. b",
            "> quote\n\n`code` and\n\n```rust\nfn x() {}\n```\n\n***\n\nline  \nbreak ~~strike~~ ![img](logo.png \"t\")",
            "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n- [ ] task\n- [x] done\n\n# H\n\nnbsp\u{a0}here",
            "7. seven\n8. eight\n\n[mail](mailto:ops@acme.example) <ops@acme.example> [bad](javascript:alert(1))",
            "http://[::1](&nbsp;) [a](b\u{a0}c 'it''s') ![é](https://[bad)",
        ];
        for source in common {
            let (fast, sanitised) = both(&renderer, source).expect("the common case takes the fast way");
            assert_eq!(fast, sanitised, "{source}");
        }
        for raw in ["a <b>bold</b>", "<div>x</div>", "x <!-- note -->", "[<https://a.example>](b)"] {
            assert!(both(&renderer, raw).is_none(), "{raw} must go through the sanitiser");
        }
        assert!(!super::writable("a\rb") && !super::writable("a\u{0}b") && !super::writable("a\u{85}b"));
        assert!(super::writable("tab\tand\nline é"));
        assert!(super::writable("\u{A0}non-breaking \u{C0}"), "0xC2 starts more than C1 controls");
        assert!(!super::writable(&format!("{}\u{9F}", "a".repeat(70))), "past the first block");
        // Against the definition, for each character of the first planes, alone and past a block's edge.
        let refused =
            |c: char| (c < ' ' && !matches!(c, '\n' | '\t')) || c == '\u{7F}' || ('\u{80}'..='\u{9F}').contains(&c);
        for c in ('\0'..='\u{3000}').chain(['\u{FEFF}', '\u{1F600}']) {
            for text in [c.to_string(), format!("{}{c}", "é".repeat(40))] {
                assert_eq!(super::writable(&text), !text.chars().any(refused), "U+{:04X}", c as u32);
            }
        }
    }
}
