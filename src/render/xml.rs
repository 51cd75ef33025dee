//! Escaping text for XML (feeds, sitemaps, SVG).
//!
//! Besides the five markup characters, XML 1.0 forbids most control
//! characters even as references, so they are dropped: one pasted escape
//! sequence must not make a feed unreadable. The control characters XML does
//! allow (other than line breaks and tabs) and bidirectional overrides are
//! dropped too, so no feed reader or badge shows text reordered or hidden.

/// `text` with `& < > " '` escaped and characters XML cannot carry removed.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    // Runs of characters that need nothing are copied whole. Every byte
    // [`special`] names is ASCII or the first byte of a character, so `at` is
    // always on a character's boundary.
    while let Some(at) = rest.bytes().position(special) {
        out.push_str(&rest[..at]);
        let Some(c) = rest[at..].chars().next() else { break };
        push_escaped(&mut out, c);
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Whether a byte may start a character [`push_escaped`] changes: markup, a
/// control character or DEL, or the first byte of U+0080 to U+009F (0xC2), of
/// the bidirectional controls (0xE2) or of U+FFFE and U+FFFF (0xEF).
fn special(b: u8) -> bool {
    matches!(b, 0..=0x1F | b'&' | b'<' | b'>' | b'"' | b'\'' | 0x7F | 0xC2 | 0xE2 | 0xEF)
}

/// Writes `c` escaped, or not at all if XML cannot carry it or it is hidden.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&apos;"),
        c if allowed(c) && !crate::model::is_hidden(c) => out.push(c),
        _ => {}
    }
}

/// Whether XML 1.0 allows `c` in content.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("a < b & \"c\" 'd' ]]> \u{1b}[31m\u{0}"),
            "a &lt; b &amp; &quot;c&quot; &apos;d&apos; ]]&gt; [31m"
        );
        assert_eq!(escape("tab\tnewline\n"), "tab\tnewline\n");
        assert_eq!(escape("\u{202E}evil\u{2066}\u{85}\u{7f}!"), "evil!", "bidi overrides and C1 controls");
        assert_eq!(escape("\u{FFFE}\u{FFFF}\u{FFFD}–ä\u{A0}"), "\u{FFFD}–ä\u{A0}", "noncharacters go, the rest stays");
    }

    #[test]
    fn copies_runs_as_the_character_by_character_escape_would() {
        let slow = |text: &str| {
            let mut out = String::new();
            text.chars().for_each(|c| push_escaped(&mut out, c));
            out
        };
        // Each character of the first planes and the ends of the last, alone and among others.
        let chars = ('\0'..='\u{3000}').chain('\u{FEF0}'..='\u{FFFF}').chain(['\u{10000}', '\u{10FFFF}']);
        for c in chars {
            for text in [c.to_string(), format!("a&{c}–{c}b")] {
                assert_eq!(escape(&text), slow(&text), "U+{:04X}", c as u32);
            }
        }
    }
}
