//! Ids for what an import creates: component ids from names, incident ids
//! from dates and titles. Both are slugs ([`crate::model::is_slug`]), depend
//! only on the text they come from (so an import run twice gives the same
//! ids), and are made unique by a numbered suffix.

use std::collections::HashSet;

/// The longest slug made from a name, in bytes, before any suffix.
const MAX_SLUG: usize = 60;

/// `text` as a slug: lower-case ASCII letters and digits, with a hyphen for
/// every run of anything else, and Latin letters with marks written without
/// them (`ä` is `a`, `ß` is `ss`). `None` when nothing is left, as for a
/// name in a script that has no Latin spelling.
pub fn slug(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len().min(MAX_SLUG));
    for c in text.chars().flat_map(char::to_lowercase) {
        let spelled = latin(c);
        let pieces: &str = match spelled {
            Some(s) => s,
            None if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            None => "-",
        };
        for p in pieces.chars() {
            if p != '-' || !(out.is_empty() || out.ends_with('-')) {
                out.push(p);
            }
        }
        if out.len() >= MAX_SLUG {
            break;
        }
    }
    let trimmed = out.trim_matches('-');
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// How a Latin letter with marks (or a ligature) is written in ASCII.
fn latin(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("æ", "ae"),
        ("çćĉċč", "c"),
        ("ďđð", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("œ", "oe"),
        ("ŕŗř", "r"),
        ("śŝşš", "s"),
        ("ß", "ss"),
        ("ţťŧ", "t"),
        ("þ", "th"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("&", "-and-"),
    ];
    TABLE.iter().find(|(from, _)| from.contains(c)).map(|(_, to)| *to)
}

/// Hands out ids that are unique among those already `taken` and each other.
#[derive(Debug, Default)]
pub struct Unique {
    taken: HashSet<String>,
}

impl Unique {
    /// Starts with the ids already in use.
    pub fn new(taken: impl IntoIterator<Item = String>) -> Unique {
        Unique { taken: taken.into_iter().collect() }
    }

    /// Marks `id` as taken.
    pub fn take(&mut self, id: &str) {
        self.taken.insert(id.to_owned());
    }

    /// `base` if it is free, else `base-2`, `base-3`, ...; marked as taken.
    pub fn claim(&mut self, base: &str) -> String {
        let id = (1..)
            .map(|n| if n == 1 { base.to_owned() } else { format!("{base}-{n}") })
            .find(|id| !self.taken.contains(id))
            .unwrap_or_else(|| base.to_owned());
        self.taken.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::is_slug;

    #[test]
    fn slugs_spell_latin_letters_and_drop_the_rest() {
        for (name, expected) in [
            ("Public API", Some("public-api")),
            ("API Gateway (EU-West)", Some("api-gateway-eu-west")),
            ("Maksut & laskutus – Häiriö", Some("maksut-and-laskutus-hairio")),
            ("Straße/Øresund", Some("strasse-oresund")),
            ("  --Web--  ", Some("web")),
            ("決済", None),
            ("", None),
        ] {
            assert_eq!(slug(name).as_deref(), expected, "{name}");
        }
        let long = slug(&"word ".repeat(40)).unwrap();
        assert!(long.len() <= MAX_SLUG + 4 && is_slug(&long), "{long}");
    }

    #[test]
    fn unique_ids_get_numbered_suffixes() {
        let mut ids = Unique::new(["api".to_owned()]);
        assert_eq!(ids.claim("api"), "api-2");
        assert_eq!(ids.claim("api"), "api-3");
        assert_eq!(ids.claim("web"), "web");
    }
}
