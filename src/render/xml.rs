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
    for c in text.chars() {
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
    out
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
    }
}
