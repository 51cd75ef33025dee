//! A fast reader for the YAML that incident files are usually written in.
//!
//! Most incident files use a small part of YAML: block mappings with plain
//! keys, block sequences, one-line plain and quoted scalars, one-line flow
//! sequences and literal block scalars (`|`, `|-`, `|+`). This module reads
//! exactly that part, many times faster than a full YAML parser, and gives
//! every value the same line and column serde-saphyr gives it.
//!
//! It never decides anything serde-saphyr would decide differently. Whatever
//! it does not recognise, and any value the target type refuses, makes it
//! give up (`None`), and the caller reads the file with serde-saphyr, which
//! also produces every error message. So a file read here means the same as
//! the file read by serde-saphyr; `tests` and the `incident` fuzz target hold
//! the two readers to that. What it does not give is byte spans: values carry
//! line and column only, which is all validation uses.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{StrDeserializer, U32Deserializer, UnitDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use crate::model::any_byte;

/// The deepest nesting read here; serde-saphyr's budget allows 32.
const MAX_DEPTH: usize = 24;

/// The longest key read here (YAML allows implicit keys up to 1024 characters).
const MAX_KEY: usize = 128;

/// The newtype name serde-saphyr's `Spanned` asks its deserializer for.
const SPANNED: &str = "__yaml_spanned";
/// The first key of the map a `Spanned` reads its value and locations from.
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

/// Reads `text` as a `T` when it keeps to the subset this module knows and
/// `T` accepts what it says; `None` otherwise.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let root = Reader::new(text)?.document()?;
    T::deserialize(&root).ok()
}

/// `value`'s debug form without byte spans: what [`from_str`] and serde-saphyr
/// must agree on, for the tests and the fuzz target that hold them to it.
#[doc(hidden)]
pub fn without_spans(value: &impl fmt::Debug) -> String {
    let full = format!("{value:?}");
    let mut out = String::with_capacity(full.len());
    let mut rest = full.as_str();
    while let Some(at) = rest.find(", span: Span {") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('}').map_or(rest.len(), |i| at + i + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A value read from the text, at its one-based line and (character) column.
#[derive(Debug)]
struct Node<'a> {
    value: Value<'a>,
    line: u32,
    column: u32,
}

#[derive(Debug)]
enum Value<'a> {
    /// A missing value (`key:` with nothing under it) or a plain `null`.
    Null,
    /// A scalar; `plain` when it was written without quotes or `|`.
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
}

/// One line of the text: its number, its indentation in spaces and the rest.
#[derive(Clone, Copy, Debug)]
struct Line<'a> {
    number: u32,
    indent: usize,
    body: &'a str,
}

impl Line<'_> {
    /// Whether the line holds nothing but spaces.
    fn is_blank(&self) -> bool {
        self.body.is_empty()
    }

    /// Whether the line is blank or holds only a comment.
    fn is_insignificant(&self) -> bool {
        self.body.is_empty() || self.body.starts_with('#')
    }

    /// Whether the line starts a sequence item (`- ...`).
    fn is_item(&self) -> bool {
        self.body == "-" || self.body.starts_with("- ")
    }
}

/// Reads lines into nodes, refusing (`None`) whatever it does not know.
struct Reader<'a> {
    lines: Vec<Line<'a>>,
    /// The next line to read.
    at: usize,
    /// Whether the text ends with a line break.
    ends_with_break: bool,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// Splits `text` into lines, or refuses text with characters this reader leaves to serde-saphyr:
    /// tabs, carriage returns, other control characters, byte order marks and Unicode line breaks.
    fn new(text: &'a str) -> Option<Self> {
        if !plain_characters(text) {
            return None;
        }
        let mut lines = Vec::with_capacity(text.len() / 32);
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain((!text.ends_with('\n')).then_some(text.len()));
        for (i, end) in ends.enumerate() {
            let raw = &text[start..end];
            let indent = raw.bytes().take_while(|&b| b == b' ').count();
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            lines.push(Line { number, indent, body: &raw[indent..] });
            start = end + 1;
        }
        Some(Self { lines, at: 0, ends_with_break: text.ends_with('\n'), depth: 0 })
    }

    /// The whole text: one block mapping starting at column one, and nothing after it.
    fn document(mut self) -> Option<Node<'a>> {
        let first = self.peek()?;
        if first.indent != 0 {
            return None;
        }
        let root = self.block_map(0)?;
        self.peek().is_none().then_some(root)
    }

    /// The next line that is neither blank nor a comment, without taking it.
    fn peek(&mut self) -> Option<Line<'a>> {
        while let Some(line) = self.lines.get(self.at) {
            if !line.is_insignificant() {
                return Some(*line);
            }
            self.at += 1;
        }
        None
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// A block mapping whose keys are at `indent`.
    fn block_map(&mut self, indent: usize) -> Option<Node<'a>> {
        self.enter()?;
        let mut entries: Vec<(Node<'a>, Node<'a>)> = Vec::new();
        let start = self.peek()?;
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && line.is_item()) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let (key, rest) = split_key(line.body)?;
            if entries.iter().any(|(k, _)| matches!(&k.value, Value::Scalar { text, .. } if text == key)) {
                return None;
            }
            let key_node = scalar_node(key, true, line.number, column_of(line, 0));
            let value = self.value(line, rest, indent, true)?;
            entries.push((key_node, value));
        }
        self.depth -= 1;
        Some(Node { value: Value::Map(entries), line: start.number, column: column_of(start, 0) })
    }

    /// A block sequence whose dashes are at `indent`.
    fn block_seq(&mut self, indent: usize) -> Option<Node<'a>> {
        self.enter()?;
        let mut items = Vec::new();
        let start = self.peek()?;
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !line.is_item()) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let rest = line.body.strip_prefix("- ")?;
            let after = rest.trim_start_matches(' ');
            let column = line.indent + line.body.len() - after.len();
            if after.is_empty() || after.starts_with('#') || after.starts_with("- ") || after == "-" {
                return None;
            }
            if split_key(after).is_some() {
                // `- key: value`: a mapping whose keys line up with this first one.
                self.lines[self.at] = Line { number: line.number, indent: column, body: after };
                items.push(self.block_map(column)?);
            } else {
                let item = Line { number: line.number, indent: column, body: after };
                items.push(self.value(item, after, indent, false)?);
            }
        }
        self.depth -= 1;
        Some(Node { value: Value::Seq(items), line: start.number, column: column_of(start, 0) })
    }

    /// The value written after a key (`rest`, on `line`) or after a dash, in a block at `indent`.
    /// Takes the line and any lines the value continues on.
    fn value(&mut self, line: Line<'a>, rest: &'a str, indent: usize, in_map: bool) -> Option<Node<'a>> {
        let column = column_of(line, line.body.len() - rest.len());
        self.at += 1;
        let node = match rest.as_bytes().first() {
            None | Some(b'#') => return self.nested(indent, in_map),
            Some(b'|') => return self.literal(rest, indent),
            Some(b'"') => quoted(rest, double_quoted)?,
            Some(b'\'') => quoted(rest, single_quoted)?,
            Some(b'[') => flow_seq(rest, line.number, column)?,
            Some(_) => plain(rest)?,
        };
        self.no_continuation(indent)?;
        Some(match node {
            Parsed::Scalar(text, is_plain) => scalar_node(text, is_plain, line.number, column),
            Parsed::Node(node) => node,
        })
    }

    /// What follows a key with nothing after it: a nested block, or no value.
    fn nested(&mut self, indent: usize, in_map: bool) -> Option<Node<'a>> {
        match self.peek() {
            Some(next) if next.indent > indent && next.is_item() => self.block_seq(next.indent),
            Some(next) if next.indent > indent => self.block_map(next.indent),
            Some(next) if in_map && next.indent == indent && next.is_item() => self.block_seq(indent),
            _ => Some(Node { value: Value::Null, line: 0, column: 0 }),
        }
    }

    /// Refuses a scalar that may go on past its line: a more indented line
    /// (or comment) after it would continue or break it.
    fn no_continuation(&self, indent: usize) -> Option<()> {
        let next = self.lines[self.at..].iter().find(|l| !l.is_blank());
        match next {
            Some(next) if next.indent > indent => None,
            _ => Some(()),
        }
    }

    /// A literal block scalar (`|`, `|-` or `|+`, an optional comment after it), more indented than `indent`.
    fn literal(&mut self, header: &str, indent: usize) -> Option<Node<'a>> {
        let rest = &header[1..];
        let (chomp, rest) = match rest.as_bytes().first() {
            Some(b'-') => (Chomp::Strip, &rest[1..]),
            Some(b'+') => (Chomp::Keep, &rest[1..]),
            _ => (Chomp::Clip, rest),
        };
        after_value(rest)?;
        let first = self.lines[self.at..].iter().position(|l| !l.is_blank()).map(|i| self.at + i)?;
        let content = self.lines[first].indent;
        if content <= indent {
            return None;
        }
        let end = self.lines[first..]
            .iter()
            .position(|l| !l.is_blank() && l.indent < content)
            .map_or(self.lines.len(), |i| first + i);
        let block = &self.lines[self.at..end];
        let last_text = block.iter().rposition(|l| !l.is_blank())?;
        // A blank line with more spaces than the text's indentation, before the text or in it,
        // holds spaces (or is an error); serde-saphyr decides which.
        if block.iter().any(|l| l.is_blank() && l.indent > content) {
            return None;
        }
        if end == self.lines.len() && !self.ends_with_break && (chomp == Chomp::Keep || last_text + 1 == block.len()) {
            return None;
        }
        let mut text = String::new();
        for (i, line) in block[..=last_text].iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            if !line.is_blank() {
                text.extend(std::iter::repeat_n(' ', line.indent - content));
                text.push_str(line.body);
            }
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => text.push('\n'),
            Chomp::Keep => text.extend(std::iter::repeat_n('\n', block.len() - last_text)),
        }
        let at = self.lines[first];
        self.at = end;
        Some(Node {
            value: Value::Scalar { text: Cow::Owned(text), plain: false },
            line: at.number,
            column: column_of(at, 0),
        })
    }
}

/// A flow sequence on one line: `[a, "b", 'c']`.
fn flow_seq<'a>(rest: &'a str, line: u32, column: u32) -> Option<Parsed<'a>> {
    let close = rest.find(']')?;
    let inner = &rest[1..close];
    after_value(&rest[close + 1..])?;
    let mut items = Vec::new();
    if !inner.trim_matches(' ').is_empty() {
        let mut offset = 1;
        for raw in inner.split(',') {
            let item = raw.trim_start_matches(' ');
            let item_column = column + u32::try_from(char_count(&rest[..offset + raw.len() - item.len()])).ok()?;
            let (text, is_plain) = match item.as_bytes().first() {
                Some(b'"') => flow_quoted(item, double_quoted)?,
                Some(b'\'') => flow_quoted(item, single_quoted)?,
                _ => (Cow::Borrowed(flow_plain(item)?), true),
            };
            items.push(scalar_node(text, is_plain, line, item_column));
            offset += raw.len() + 1;
        }
    }
    Some(Parsed::Node(Node { value: Value::Seq(items), line, column }))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// A value read from one line: a scalar (text, whether plain) or a finished node.
enum Parsed<'a> {
    Scalar(Cow<'a, str>, bool),
    Node(Node<'a>),
}

fn scalar_node<'a>(text: impl Into<Cow<'a, str>>, plain: bool, line: u32, column: u32) -> Node<'a> {
    let text = text.into();
    let value = if plain && is_null(&text) { Value::Null } else { Value::Scalar { text, plain } };
    Node { value, line, column }
}

/// The one-based character column of byte `offset` of `line`'s body.
fn column_of(line: Line<'_>, offset: usize) -> u32 {
    let chars = line.indent + char_count(&line.body[..offset]);
    u32::try_from(chars + 1).unwrap_or(u32::MAX)
}

fn char_count(text: &str) -> usize {
    if text.is_ascii() { text.len() } else { text.chars().count() }
}

/// Whether `text` holds only characters this reader takes as they are.
fn plain_characters(text: &str) -> bool {
    let control = |b: u8| (b < b' ' && b != b'\n') || b == 0x7f;
    !any_byte(text, control)
        && (text.is_ascii()
            || text.chars().all(|c| {
                !matches!(c, '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
            }))
}

/// Splits `key: rest` where the key is plain (letters, digits, `_` and `-`, not first).
fn split_key(body: &str) -> Option<(&str, &str)> {
    let end = body.find(':')?;
    let key = &body[..end];
    let after = &body[end + 1..];
    let key_ok = !key.is_empty()
        && key.len() <= MAX_KEY
        && !key.starts_with('-')
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (key_ok && (after.is_empty() || after.starts_with(' '))).then(|| (key, after.trim_start_matches(' ')))
}

/// What may follow a value on its line: nothing, or spaces and a comment.
fn after_value(rest: &str) -> Option<()> {
    let trimmed = rest.trim_start_matches(' ');
    (trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())).then_some(())
}

/// The characters a plain scalar may not start with: they mean something else in YAML.
const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`";

/// A plain scalar in block context, up to a comment.
fn plain(rest: &str) -> Option<Parsed<'_>> {
    let first = rest.as_bytes()[0];
    if INDICATORS.contains(&first) {
        return None;
    }
    let text = rest.find(" #").map_or(rest, |at| &rest[..at]).trim_end_matches(' ');
    if text.contains(": ") || text.ends_with(':') {
        return None;
    }
    Some(Parsed::Scalar(Cow::Borrowed(text), true))
}

/// A plain item of a flow sequence.
fn flow_plain(item: &str) -> Option<&str> {
    let text = item.trim_end_matches(' ');
    let first = *text.as_bytes().first()?;
    let ok = !INDICATORS.contains(&first) && !text.contains([':', '#', '{', '}', '[']);
    ok.then_some(text)
}

/// Reads a quoted scalar at the start of a text: its value and the bytes it used.
type QuotedReader<'a> = fn(&'a str) -> Option<(Cow<'a, str>, usize)>;

/// A quoted scalar that closes on its line, with nothing but a comment after it.
fn quoted<'a>(rest: &'a str, read: QuotedReader<'a>) -> Option<Parsed<'a>> {
    let (text, used) = read(rest)?;
    after_value(&rest[used..])?;
    Some(Parsed::Scalar(text, false))
}

/// A quoted item of a flow sequence, with nothing but spaces after it.
fn flow_quoted<'a>(item: &'a str, read: QuotedReader<'a>) -> Option<(Cow<'a, str>, bool)> {
    let (text, used) = read(item)?;
    item[used..].trim_start_matches(' ').is_empty().then_some((text, false))
}

/// `"..."` at the start of `rest`: the text and the bytes used, or `None` when
/// it does not close on this line or uses an escape this reader leaves alone.
fn double_quoted(rest: &str) -> Option<(Cow<'_, str>, usize)> {
    let body = &rest[1..];
    let close = body.find(['"', '\\'])?;
    if body.as_bytes()[close] == b'"' {
        return Some((Cow::Borrowed(&body[..close]), close + 2));
    }
    let mut text = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(text), i + 2)),
            '\\' => text.push(match chars.next()?.1 {
                '\\' => '\\',
                '"' => '"',
                '/' => '/',
                'n' => '\n',
                't' => '\t',
                'u' => {
                    let hex: String = (0..4).map(|_| chars.next().map(|(_, c)| c)).collect::<Option<_>>()?;
                    let code = u32::from_str_radix(&hex, 16).ok()?;
                    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    char::from_u32(code)?
                }
                _ => return None,
            }),
            c => text.push(c),
        }
    }
    None
}

/// `'...'` at the start of `rest`, with `''` for a quote.
fn single_quoted(rest: &str) -> Option<(Cow<'_, str>, usize)> {
    let body = &rest[1..];
    let mut text: Option<String> = None;
    let mut from = 0;
    loop {
        let at = from + body[from..].find('\'')?;
        if body[at + 1..].starts_with('\'') {
            text.get_or_insert_with(String::new).push_str(&body[from..=at]);
            from = at + 2;
        } else {
            let value = match text {
                Some(mut text) => {
                    text.push_str(&body[from..at]);
                    Cow::Owned(text)
                }
                None => Cow::Borrowed(&body[..at]),
            };
            return Some((value, at + 2));
        }
    }
}

/// The plain scalars YAML reads as no value.
fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// What a plain scalar is when the target takes any type.
enum Typed<'t> {
    Count(u64),
    Text(&'t str),
}

/// The words serde-saphyr may read as a boolean or a float, in any case, signed or not.
const TYPED_WORDS: [&str; 13] =
    ["true", "false", "yes", "no", "on", "off", "y", "n", "inf", "infinity", "nan", ".inf", ".nan"];

/// What the plain scalar `text` is, a count or a text, or `None` when serde-saphyr
/// may read it as something else (a boolean, a float, a number written another way).
fn typed(text: &str) -> Option<Typed<'_>> {
    if !text.is_empty()
        && text.len() < 19
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'))
    {
        return text.parse().ok().map(Typed::Count);
    }
    let unsigned = text.trim_start_matches(['+', '-']);
    let word = TYPED_WORDS.iter().any(|w| unsigned.eq_ignore_ascii_case(w));
    let numeric = text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) && !text.contains(' ');
    (!word && !numeric).then_some(Typed::Text(text))
}

/// Why this reader gave up; never shown (serde-saphyr reads the file instead).
#[derive(Debug)]
struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde-saphyr")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

macro_rules! give_up {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, GiveUp> {
            Err(GiveUp)
        })*
    };
}

impl<'de> Deserializer<'de> for &Node<'_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match &self.value {
            Value::Null => visitor.visit_unit(),
            Value::Scalar { text, plain: false } => visitor.visit_str(text),
            Value::Scalar { text, plain: true } => match typed(text).ok_or(GiveUp)? {
                Typed::Count(n) => visitor.visit_u64(n),
                Typed::Text(text) => visitor.visit_str(text),
            },
            Value::Seq(items) => visitor.visit_seq(Items(items.iter())),
            Value::Map(entries) => visitor.visit_map(Entries { entries: entries.iter(), value: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match &self.value {
            Value::Scalar { text, .. } => visitor.visit_str(text),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match &self.value {
            Value::Seq(items) => visitor.visit_seq(Items(items.iter())),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        match &self.value {
            Value::Map(entries) => visitor.visit_map(Entries { entries: entries.iter(), value: None }),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, GiveUp> {
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, GiveUp> {
        match (name, &self.value) {
            (SPANNED, Value::Null) => Err(GiveUp),
            (SPANNED, _) => visitor.visit_newtype_struct(Spanned(self)),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, _: V) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, GiveUp> {
        Err(GiveUp)
    }

    give_up! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_bytes deserialize_byte_buf deserialize_unit
    }
}

struct Items<'n, 'a>(std::slice::Iter<'n, Node<'a>>);

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, GiveUp> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }
}

struct Entries<'n, 'a> {
    entries: std::slice::Iter<'n, (Node<'a>, Node<'a>)>,
    value: Option<&'n Node<'a>>,
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, GiveUp> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.value = Some(value);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        seed.deserialize(self.value.take().ok_or(GiveUp)?)
    }
}

/// A node as serde-saphyr's `Spanned` reads it: a map of the value and where it is.
/// It and [`Location`] are read as maps of their own, not through one general map of
/// fixed fields: that one cost 15 M more instructions at 1,000 incidents.
struct Spanned<'n, 'a>(&'n Node<'a>);

impl<'de> Deserializer<'de> for Spanned<'_, '_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_map(SpannedFields { node: self.0, next: 0 })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct SpannedFields<'n, 'a> {
    node: &'n Node<'a>,
    next: u8,
}

impl<'de> MapAccess<'de> for SpannedFields<'_, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, GiveUp> {
        let key = match self.next {
            0 => SPANNED_MARKER,
            1 => "value",
            2 => "referenced",
            3 => "defined",
            _ => return Ok(None),
        };
        let key: StrDeserializer<'_, GiveUp> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        self.next += 1;
        match self.next {
            1 => seed.deserialize(UnitDeserializer::new()),
            2 => seed.deserialize(self.node),
            _ => seed.deserialize(Location { line: self.node.line, column: self.node.column }),
        }
    }
}

/// A line and column as serde-saphyr's `Location` reads them.
#[derive(Clone, Copy)]
struct Location {
    line: u32,
    column: u32,
}

impl<'de> Deserializer<'de> for Location {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, GiveUp> {
        visitor.visit_map(LocationFields { at: self, next: 0 })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct LocationFields {
    at: Location,
    next: u8,
}

impl<'de> MapAccess<'de> for LocationFields {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, GiveUp> {
        let key = match self.next {
            0 => "line",
            1 => "column",
            _ => return Ok(None),
        };
        let key: StrDeserializer<'_, GiveUp> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, GiveUp> {
        self.next += 1;
        let n = if self.next == 1 { self.at.line } else { self.at.column };
        seed.deserialize(U32Deserializer::<GiveUp>::new(n))
    }
}

#[cfg(test)]
mod tests;
