//! Addresses and identifiers shared by every output format.
//!
//! Pages link relatively; feeds, the API, calendars and the sitemap need
//! absolute URLs, which exist only when `base_url` is known. Identifiers must
//! never change between builds of the same data, so they derive from the data
//! (ids, times), never from positions or the clock.

use jiff::Timestamp;

use crate::model::{Incident, Site};

/// Absolute or relative addresses of the site's files.
#[derive(Clone, Debug)]
pub struct Links {
    base: Option<String>,
    index: &'static str,
    prefix: String,
}

impl Links {
    /// Addresses for `site`, in its default language.
    pub fn new(site: &Site) -> Links {
        Links::in_language(site, "")
    }

    /// Addresses of the pages in the language whose pages live under `prefix` (`fi/`).
    pub fn in_language(site: &Site, prefix: &str) -> Links {
        let index = if site.pretty_urls { "" } else { "index.html" };
        Links { base: site.base_url.clone(), index, prefix: prefix.to_owned() }
    }

    /// Whether absolute URLs can be made.
    pub fn is_absolute(&self) -> bool {
        self.base.is_some()
    }

    /// `path` (relative to the site root) as an absolute URL when `base_url` is set, else as is.
    pub fn url(&self, path: &str) -> String {
        match &self.base {
            Some(base) => format!("{base}{path}"),
            None => path.to_owned(),
        }
    }

    /// The address of an incident's page, relative to the root.
    pub fn incident(&self, incident: &Incident) -> String {
        format!("{}incidents/{}/{}", self.prefix, incident.id, self.index)
    }

    /// The address of a component's page, relative to the root.
    pub fn component(&self, id: &str) -> String {
        format!("{}components/{id}/{}", self.prefix, self.index)
    }

    /// The host of `base_url`, for identifiers that want an authority.
    pub fn host(&self) -> Option<&str> {
        let base = self.base.as_deref()?;
        let rest = base.split_once("://")?.1;
        rest.split(['/', ':']).next().filter(|h| !h.is_empty())
    }
}

/// A short identifier that depends only on `parts`: 12 characters of `[0-9a-z]`,
/// the form Statuspage's own ids take.
pub fn stable_id(parts: &[&str]) -> String {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut hash = fnv1a(parts);
    let mut id = String::with_capacity(12);
    for _ in 0..12 {
        id.push(char::from(ALPHABET[(hash % 36) as usize]));
        hash /= 36;
    }
    id
}

/// FNV-1a over the parts, separated so ("ab", "c") and ("a", "bc") differ.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The id of one update: stable while the incident's id and the update's time stay the same.
pub fn update_id(incident: &Incident, at: Timestamp) -> String {
    stable_id(&[incident.id.as_str(), &at.as_second().to_string()])
}

/// The id of the page (the site), from its address or, without one, its title.
pub fn page_id(site: &Site) -> String {
    stable_id(&["page", site.base_url.as_deref().unwrap_or(site.title.as_str())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ids_are_short_stable_and_distinct() {
        let a = stable_id(&["ab", "c"]);
        assert_eq!(a, stable_id(&["ab", "c"]));
        assert_ne!(a, stable_id(&["a", "bc"]));
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert_eq!(stable_id(&["payments"]), "7x1clywk7n43", "ids must never change between releases");
    }
}
