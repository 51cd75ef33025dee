//! Markdown to each chat's own markup, built on pulldown-cmark's events.
//!
//! What people wrote becomes formatting only through the parser: every piece
//! of text is escaped for the target (Slack's `&`, `<` and `>`, Markdown's
//! punctuation), links survive only with an `http`, `https` or `mailto`
//! address, and a mention (`@everyone`, `@here`, `@channel`, `@alice`) gets an
//! invisible break after its `@`, so no chat pings anyone because of it.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::model::clean;

/// The markup a chat reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// Slack's mrkdwn: `*bold*`, `_italic_`, `<url|text>`.
    Slack,
    /// CommonMark as Mattermost, Discord and Teams read it.
    Markdown,
    /// No markup at all: email's text part and Mastodon.
    Plain,
}

/// The character put after an `@` that could start a mention: invisible, and
/// no chat reads a mention through it.
const BREAK: char = '\u{200B}';

/// `source` (Markdown) in `flavor`'s markup.
pub fn convert(source: &str, flavor: Flavor) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut writer = Writer {
        flavor,
        out: String::with_capacity(source.len() + 16),
        lists: Vec::new(),
        links: Vec::new(),
        fence: None,
        quote: 0,
        cell: 0,
    };
    for event in Parser::new_ext(source, options) {
        writer.event(event);
    }
    tidy(&writer.out)
}

/// Plain text (a title, a name) escaped for `flavor`, on one line.
pub fn inline(text: &str, flavor: Flavor) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape(&line, flavor)
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Whether `url` may become a link: only web and mail addresses, never
/// `javascript:`, `data:` or anything else a reader's client might run.
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|s| lower.starts_with(s))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Escapes `text` for `flavor` and breaks every mention in it.
fn escape(text: &str, flavor: Flavor) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (flavor, c) {
            (Flavor::Slack, '&') => out.push_str("&amp;"),
            (Flavor::Slack, '<') => out.push_str("&lt;"),
            (Flavor::Slack, '>') => out.push_str("&gt;"),
            (Flavor::Markdown, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|' | '#') => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        let mention = c == '@' && previous.is_none_or(|p| !p.is_alphanumeric());
        // Slack and Markdown escape `<`; in plain text `<!channel>` and `<@id>` are broken like mentions.
        let special = flavor == Flavor::Plain && c == '<' && chars.peek().is_some_and(|n| matches!(n, '!' | '@' | '#'));
        if mention || special {
            out.push(BREAK);
        }
        previous = Some(c);
    }
    out
}

/// A URL as a link target: characters that would end the link encoded.
fn link_target(url: &str, flavor: Flavor) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match (flavor, c) {
            (_, '<') => out.push_str("%3C"),
            (_, '>') => out.push_str("%3E"),
            (Flavor::Slack, '|') => out.push_str("%7C"),
            (Flavor::Slack, '&') => out.push_str("&amp;"),
            (Flavor::Markdown, '(') => out.push_str("%28"),
            (Flavor::Markdown, ')') => out.push_str("%29"),
            _ => out.push(c),
        }
    }
    out
}

/// Writes one document's events in one flavor.
struct Writer {
    flavor: Flavor,
    out: String,
    /// Open lists: the next number of an ordered one, `None` for bullets.
    lists: Vec<Option<u64>>,
    /// Open links and images: their target when it is safe.
    links: Vec<Option<String>>,
    /// The fence of the code block being written.
    fence: Option<String>,
    quote: usize,
    cell: usize,
}

impl Writer {
    fn flavor(&self) -> Flavor {
        self.flavor
    }

    fn mark(&mut self, slack: &str, markdown: &str) {
        match self.flavor() {
            Flavor::Slack => self.out.push_str(slack),
            Flavor::Markdown => self.out.push_str(markdown),
            Flavor::Plain => {}
        }
    }

    fn block_start(&mut self) {
        if self.quote > 0 {
            self.out.push_str(&"> ".repeat(self.quote));
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text),
            Event::Code(code) => self.code(&code),
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::FootnoteReference(t) => self.text(&t),
            Event::SoftBreak | Event::HardBreak => self.line_break(),
            Event::Rule => self.out.push_str("———\n\n"),
            Event::TaskListMarker(done) => self.out.push_str(if done { "☑ " } else { "☐ " }),
        }
    }

    fn line_break(&mut self) {
        if self.fence.is_some() {
            self.out.push('\n');
            return;
        }
        self.out.push('\n');
        self.block_start();
        if !self.lists.is_empty() {
            self.out.push_str(&"  ".repeat(self.lists.len()));
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.block_start(),
            Tag::Heading { .. } => {
                self.block_start();
                self.mark("*", "**");
            }
            Tag::BlockQuote(_) => self.quote += 1,
            Tag::CodeBlock(kind) => self.code_block(kind),
            Tag::List(first) => {
                if !self.lists.is_empty() {
                    self.out.push('\n');
                }
                self.lists.push(first);
            }
            Tag::Item => self.item(),
            Tag::Emphasis => self.mark("_", "*"),
            Tag::Strong => self.mark("*", "**"),
            Tag::Strikethrough => self.mark("~", "~~"),
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => self.link_start(&dest_url),
            Tag::TableCell => {
                if self.cell > 0 {
                    self.out.push_str(" | ");
                }
                self.cell += 1;
            }
            Tag::TableRow | Tag::TableHead => self.cell = 0,
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.out.push_str(if self.lists.is_empty() { "\n\n" } else { "\n" }),
            TagEnd::Heading(_) => {
                self.mark("*", "**");
                self.out.push_str("\n\n");
            }
            TagEnd::BlockQuote(_) => {
                self.quote = self.quote.saturating_sub(1);
                self.out.push('\n');
            }
            TagEnd::CodeBlock => {
                if let Some(fence) = self.fence.take() {
                    if !self.out.ends_with('\n') {
                        self.out.push('\n');
                    }
                    self.out.push_str(&fence);
                }
                self.out.push_str("\n\n");
            }
            TagEnd::List(_) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.out.push('\n');
                }
            }
            TagEnd::Item if !self.out.ends_with('\n') => self.out.push('\n'),
            TagEnd::Emphasis => self.mark("_", "*"),
            TagEnd::Strong => self.mark("*", "**"),
            TagEnd::Strikethrough => self.mark("~", "~~"),
            TagEnd::Link | TagEnd::Image => self.link_end(),
            TagEnd::TableHead | TagEnd::TableRow => self.out.push('\n'),
            TagEnd::Table => self.out.push('\n'),
            _ => {}
        }
    }

    fn item(&mut self) {
        let depth = self.lists.len().saturating_sub(1);
        self.block_start();
        self.out.push_str(&"  ".repeat(depth));
        let bullet = if self.flavor == Flavor::Markdown { "- " } else { "• " };
        let marker = match self.lists.last_mut() {
            Some(Some(n)) => {
                let marker = format!("{n}. ");
                *n += 1;
                marker
            }
            _ => bullet.to_owned(),
        };
        self.out.push_str(&marker);
    }

    fn code_block(&mut self, _kind: CodeBlockKind<'_>) {
        if self.flavor() == Flavor::Plain {
            self.fence = Some(String::new());
            return;
        }
        self.block_start();
        self.fence = Some("```".to_owned());
        self.out.push_str("```\n");
    }

    fn code(&mut self, code: &str) {
        match self.flavor() {
            Flavor::Plain => self.out.push_str(&escape(code, Flavor::Plain)),
            Flavor::Slack => {
                let inner = escape(&code.replace('`', "ˋ"), Flavor::Slack);
                self.out.push('`');
                self.out.push_str(&inner);
                self.out.push('`');
            }
            Flavor::Markdown => {
                let longest = longest_run(code, '`');
                let ticks = "`".repeat(longest + 1);
                let pad = if code.starts_with('`') || code.ends_with('`') { " " } else { "" };
                self.out.push_str(&format!("{ticks}{pad}{}{pad}{ticks}", escape(code, Flavor::Plain)));
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.fence.is_some() {
            // Inside a code block only the fence could be broken out of, and a
            // mention still pings in some chats: neither may happen.
            let plain = match self.flavor() {
                Flavor::Slack => escape(&text.replace("```", "ˋˋˋ"), Flavor::Slack),
                _ => escape(&text.replace("```", "ˋˋˋ"), Flavor::Plain),
            };
            self.out.push_str(&plain);
            return;
        }
        let flavor = self.flavor();
        self.out.push_str(&escape(text, flavor));
    }

    fn link_start(&mut self, url: &str) {
        let safe = is_safe_url(url).then(|| url.trim().to_owned());
        match (&safe, self.flavor()) {
            (Some(url), Flavor::Slack) => {
                let target = link_target(url, Flavor::Slack);
                self.out.push('<');
                self.out.push_str(&target);
                self.out.push('|');
            }
            (Some(_), Flavor::Markdown) => self.out.push('['),
            _ => {}
        }
        self.links.push(safe);
    }

    fn link_end(&mut self) {
        let Some(Some(url)) = self.links.pop() else { return };
        match self.flavor() {
            Flavor::Slack => self.out.push('>'),
            Flavor::Markdown => {
                let target = link_target(&url, Flavor::Markdown);
                self.out.push_str("](");
                self.out.push_str(&target);
                self.out.push(')');
            }
            Flavor::Plain => {
                if !self.out.ends_with(url.as_str()) {
                    self.out.push_str(" (");
                    self.out.push_str(&escape(&url, Flavor::Plain));
                    self.out.push(')');
                }
            }
        }
    }
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for x in text.chars() {
        run = if x == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Trailing spaces and runs of blank lines removed, hidden characters too.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    clean(out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "<!channel> @everyone @here hi @alice, mail support@acme.example\n\n\
        [click](javascript:alert(1)) <https://ok.example/a|b> [real](https://acme.example/x?a=1&b=2) <@123456> <#99>";

    #[test]
    fn slack_escapes_its_control_sequences_and_breaks_mentions() {
        let out = convert(HOSTILE, Flavor::Slack);
        assert!(out.contains("&lt;!channel&gt;"), "{out}");
        assert!(!out.contains("<!"), "{out}");
        assert!(!out.contains("@everyone") && !out.contains("@here") && !out.contains("@alice"), "{out}");
        assert!(out.contains("support@acme.example"), "addresses are not mentions: {out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains("<https://acme.example/x?a=1&amp;b=2|real>"), "{out}");
        assert!(out.contains("<https://ok.example/a%7Cb|https://ok.example/a|b>") || !out.contains("|b>|"), "{out}");
        assert!(!out.contains("<@123456>"), "{out}");
    }

    #[test]
    fn markdown_escapes_punctuation_and_keeps_only_safe_links() {
        let out = convert(HOSTILE, Flavor::Markdown);
        assert!(out.contains("\\<!channel\\>"), "{out}");
        assert!(out.contains("\\<@\u{200B}123456\\>"), "{out}");
        assert!(out.contains("[real](https://acme.example/x?a=1&b=2)"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains("click"), "the text of an unsafe link stays: {out}");
    }

    #[test]
    fn formatting_lists_and_code_become_the_chats_own() {
        let source = "We are **on it** and *watching*.\n\n- one\n- two\n\n1. first\n2. second\n\n```\nlet x = 1; // @here\n```\n\nRun `top`.";
        let slack = convert(source, Flavor::Slack);
        assert!(slack.contains("*on it*") && slack.contains("_watching_"), "{slack}");
        assert!(slack.contains("• one\n• two"), "{slack}");
        assert!(slack.contains("1. first\n2. second"), "{slack}");
        assert!(slack.contains("```\nlet x = 1; // @\u{200B}here\n```"), "{slack}");
        let md = convert(source, Flavor::Markdown);
        assert!(md.contains("**on it**") && md.contains("- one\n- two") && md.contains("`top`"), "{md}");
        let plain = convert(source, Flavor::Plain);
        assert!(plain.starts_with("We are on it and watching."), "{plain}");
    }

    #[test]
    fn a_code_block_cannot_be_broken_out_of() {
        let md = convert("```\nx\n```\n@everyone\n```", Flavor::Markdown);
        assert!(!md.contains("@everyone"), "{md}");
        let tricky = convert("~~~\n```\n@here **bold**\n~~~", Flavor::Markdown);
        assert_eq!(tricky.matches("```").count(), 2, "{tricky}");
    }

    #[test]
    fn plain_text_writes_links_out() {
        assert_eq!(convert("See [the page](https://a.example/).", Flavor::Plain), "See the page (https://a.example/).");
        assert_eq!(convert("<https://a.example/>", Flavor::Plain), "https://a.example/");
    }

    #[test]
    fn inline_text_is_one_escaped_line() {
        assert_eq!(inline("a\nBcc: x <!here>", Flavor::Slack), "a Bcc: x &lt;!here&gt;");
        assert_eq!(inline("<!here> <@1>", Flavor::Plain), "<\u{200B}!here> <\u{200B}@\u{200B}1>");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }
}
