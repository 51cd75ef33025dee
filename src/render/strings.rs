//! UI strings as nested maps, so templates write `t.index.active` for the
//! string whose key is `index.active`.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// The strings of a locale as a tree keyed by the parts of their dotted keys.
pub fn nested(strings: &BTreeMap<String, String>) -> Node {
    let mut root = Node::default();
    for (key, value) in strings {
        root.insert(key.split('.'), value);
    }
    root
}

/// A leaf string or a map of children; serialises as nested maps.
#[derive(Debug, Default)]
pub struct Node {
    text: Option<String>,
    children: BTreeMap<String, Node>,
}

impl Node {
    /// Puts `value` at the path of `parts`.
    fn insert<'a>(&mut self, mut parts: impl Iterator<Item = &'a str>, value: &str) {
        match parts.next() {
            Some(part) => self.children.entry(part.to_owned()).or_default().insert(parts, value),
            None => self.text = Some(value.to_owned()),
        }
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (&self.text, self.children.is_empty()) {
            (Some(text), true) => serializer.serialize_str(text),
            _ => {
                let mut map = serializer.serialize_map(Some(self.children.len()))?;
                for (key, child) in &self.children {
                    map.serialize_entry(key, child)?;
                }
                map.end()
            }
        }
    }
}
