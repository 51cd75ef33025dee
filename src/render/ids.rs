//! Identifiers shared by every output format: of the page, of updates, of
//! feed entries and calendar events.
//!
//! Identifiers must never change between builds of the same data, so they
//! derive from the data (ids, times), never from positions or the clock.

use crate::model::{Incident, Site};
use crate::paths::Paths;

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

/// What names update `index` of `incident`: its time in whole seconds, and
/// how many earlier updates share that second (0 for nearly every update),
/// so two updates written for the same minute still have ids of their own.
pub fn update_key(incident: &Incident, index: usize) -> (i64, usize) {
    let second = incident.updates[index].at.as_second();
    (second, incident.updates[..index].iter().filter(|u| u.at.as_second() == second).count())
}

/// The id of one update: stable while the incident's id, the update's time
/// and the order of updates of the same second stay the same, and unique
/// within the incident.
pub fn update_id(incident: &Incident, index: usize) -> String {
    let (second, nth) = update_key(incident, index);
    let second = second.to_string();
    match nth {
        0 => stable_id(&[incident.id.as_str(), &second]),
        n => stable_id(&[incident.id.as_str(), &second, &n.to_string()]),
    }
}

/// The authority of `tag:` and calendar ids: the site's host, or without
/// `base_url` a name that can never clash with a real one.
pub fn authority(paths: &Paths, site: &Site) -> String {
    paths.host().map_or_else(|| format!("{}.invalid", page_id(site)), str::to_owned)
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
