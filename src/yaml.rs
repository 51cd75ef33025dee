//! Writing text into YAML files so that it reads back exactly as given.
//!
//! `candor new`, `candor update`, the importers and the benchmark's site
//! generator all write incident files as text, to keep the author's comments
//! and layout. Every value they write goes through here: a scalar is left
//! plain only when YAML could read it as nothing but that string, and is
//! double-quoted otherwise; Markdown bodies become literal block scalars with
//! the indentation and chomping indicators their first and last lines need.
//! Line breaks are normalised to `\n` first (a bare CR would otherwise end a
//! line in some readers and not in others); what comes back is the text with
//! `\r\n` and `\r` written as `\n`. Characters YAML cannot carry in a file at
//! all are escaped in a double-quoted scalar instead.

/// `text` with every line break (`\r\n`, `\r`) written as `\n`.
pub fn normalise_breaks(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A double-quoted scalar: always safe. Quotes, backslashes and every
/// character a file should not carry raw are escaped (YAML's escapes are a
/// superset of JSON's, so for ordinary text this is what JSON writes).
pub fn quoted(text: &str) -> String {
    use std::fmt::Write as _;
    let text = normalise_breaks(text);
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_char(c) || c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A flow scalar for `text`: plain when YAML can read it only as this string,
/// double-quoted otherwise.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) { text.to_owned() } else { quoted(text) }
}

/// Whether `text` can be written as a plain scalar and read back as the same
/// string, whatever YAML version or schema the reader follows: no indicator
/// at the start, nothing that starts a comment or a mapping inside, no word
/// or number YAML 1.1 or 1.2 resolves to another type, one line.
pub fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    if !(first.is_alphabetic() || first == '_' || first == '/' || first == '(') {
        return false;
    }
    let printable = text.chars().all(|c| c == ' ' || (!c.is_control() && !is_unsafe_char(c)));
    printable
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains(['\t', '\n'])
        && !text.contains(['{', '}', '[', ']', ',', '`', '"', '\\'])
        && !is_reserved_word(text)
}

/// Words YAML 1.1 or 1.2 reads as booleans, nulls or special numbers.
fn is_reserved_word(text: &str) -> bool {
    const WORDS: &[&str] = &["true", "false", "yes", "no", "y", "n", "on", "off", "null", "nan", "inf", "infinity"];
    let lower = text.to_ascii_lowercase();
    WORDS.contains(&lower.as_str())
}

/// Characters YAML does not allow raw in a document (outside the printable
/// set), and Unicode's line and paragraph separators and byte-order mark,
/// which readers treat differently.
fn is_unsafe_char(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
        || (c.is_control() && c != '\t' && c != '\n')
}

/// The value of a key written at `key_indent` spaces, for text that may span
/// lines: ` |`, ` |-` or ` |+` (with an indentation indicator when the first
/// line starts with a space) followed by the lines two spaces deeper than the
/// key, or a double-quoted scalar when the text holds characters a literal
/// block cannot carry, or a line that starts with a tab (which candor's
/// reader takes for indentation). Starts with the space after the key's colon;
/// ends with a line break.
pub fn block_value(text: &str, key_indent: usize) -> String {
    let text = normalise_breaks(text);
    let literal_ok = !text.is_empty()
        && !text.trim().is_empty()
        && !text.chars().any(|c| c != '\t' && c != '\n' && (c.is_control() || is_unsafe_char(c)))
        // A literal block cannot hold a line of only spaces before its first text line
        // without changing the indentation it detects; quote such text.
        && !text.lines().next().is_some_and(|l| l.trim().is_empty())
        // candor refuses files with a tab in a line's indentation, wherever it is.
        && !text.lines().any(|l| l.trim_start_matches(' ').starts_with('\t'));
    if !literal_ok {
        return format!(" {}\n", quoted(&text));
    }
    let body = text.trim_end_matches('\n');
    let trailing = text.len() - body.len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let indicator = if body.starts_with([' ', '\t']) { "2" } else { "" };
    // With the indicator, content is exactly two deeper than the key; without
    // it, the reader finds the same depth from the first line.
    let pad = " ".repeat(key_indent + 2);
    let mut out = format!(" |{indicator}{chomp}\n");
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
    if trailing > 1 {
        out.push_str(&"\n".repeat(trailing - 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// Reads `body` back the way candor reads a text field.
    fn read_back(key_indent: usize, value: &str) -> String {
        let pad = " ".repeat(key_indent);
        let doc = format!("outer:\n{pad}text:{value}");
        let parsed: BTreeMap<String, BTreeMap<String, String>> =
            serde_saphyr::from_str(&doc).unwrap_or_else(|e| panic!("{e}\n---\n{doc}"));
        parsed["outer"]["text"].clone()
    }

    fn read_scalar(value: &str) -> String {
        let doc = format!("text: {value}\n");
        let parsed: BTreeMap<String, serde_json::Value> =
            serde_saphyr::from_str(&doc).unwrap_or_else(|e| panic!("{e}\n---\n{doc}"));
        match &parsed["text"] {
            serde_json::Value::String(s) => s.clone(),
            other => panic!("{value} read back as {other:?}"),
        }
    }

    #[test]
    fn words_yaml_reads_as_something_else_are_quoted() {
        for text in [
            "Payments down:",
            ".inf",
            ".NaN",
            "0x1F",
            "0o17",
            "yes",
            "No",
            "~",
            "null",
            "1e3",
            "12:30",
            "- dash",
            "#1234",
            "@here",
            "a: b",
            "x #y",
            "",
            " lead",
            "trail ",
            "[x]",
            "{x}",
            "*alias",
            "&anchor",
            "!tag",
            "%x",
            "'q'",
            "\"q\"",
            "?",
            "|",
            ">",
            "1_000",
            "+1",
            "-1",
            ".5",
        ] {
            assert_eq!(read_scalar(&scalar(text)), text, "{text}");
        }
        assert_eq!(scalar("Card payments failing"), "Card payments failing");
        assert_eq!(scalar("Payments: failing"), "\"Payments: failing\"");
    }

    #[test]
    fn blocks_keep_leading_indentation_tabs_and_trailing_lines() {
        for text in [
            "    indented code first\nthen text",
            "\tpasted\tlog\n\tlines",
            "ends with blank lines\n\n\n",
            "one line",
            "# a heading\nbody\n#1234",
            "updates:\n  - at: x",
            "line\r\nwindows\rmac",
            "bell\u{7} and NUL\u{0}",
        ] {
            let expected = normalise_breaks(text);
            assert_eq!(read_back(4, &block_value(text, 4)), expected, "{text:?}");
            assert_eq!(read_back(2, &block_value(text, 2)), expected, "{text:?}");
        }
    }

    #[test]
    fn what_is_written_passes_candor_s_own_reader() {
        for text in ["\tpasted\tlog\n\tlines", "code:\n  \tindented", "plain\nlines", "  lead"] {
            let doc = format!("title: x\nbody:{}", block_value(text, 0));
            let parsed: BTreeMap<String, String> = crate::input::from_yaml(&doc, std::path::Path::new("x.yaml"))
                .unwrap_or_else(|e| panic!("{text:?}: {e}\n{doc}"));
            assert_eq!(parsed["body"], text);
        }
    }

    proptest! {
        #[test]
        fn any_text_reads_back_as_written(text in prop_oneof![any::<String>(), "\\PC*", "[ \\t\\r\\n#:|>\u{85}\u{2028}-]{0,12}[a-z0-9.]{0,3}"]) {
            prop_assert_eq!(read_scalar(&scalar(&text)), normalise_breaks(&text));
            prop_assert_eq!(read_back(4, &block_value(&text, 4)), normalise_breaks(&text));
        }
    }
}
