//! Shields-style SVG badges for READMEs and dashboards.
//!
//! A badge says its status in words (with a `<title>` for screen readers),
//! and its colours keep white text above 4.5:1 contrast.

use super::xml::escape;
use crate::model::ComponentStatus;
use crate::views::Indicator;

/// The dark grey of the label half.
const LABEL: &str = "#555555";

/// The message colour of a component status; each carries white text at 4.5:1 or more.
pub fn status_colour(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::Operational => "#1a7f37",
        ComponentStatus::UnderMaintenance => "#0b5cad",
        ComponentStatus::DegradedPerformance => "#8a5a00",
        ComponentStatus::PartialOutage => "#b3470b",
        ComponentStatus::MajorOutage => "#b42318",
    }
}

/// The message colour of the overall indicator.
pub fn indicator_colour(indicator: Indicator) -> &'static str {
    match indicator {
        Indicator::None => status_colour(ComponentStatus::Operational),
        Indicator::Maintenance => status_colour(ComponentStatus::UnderMaintenance),
        Indicator::Minor => status_colour(ComponentStatus::DegradedPerformance),
        Indicator::Major => status_colour(ComponentStatus::PartialOutage),
        Indicator::Critical => status_colour(ComponentStatus::MajorOutage),
    }
}

/// A two-part badge: `label | message`, the message on `colour`.
pub fn svg(label: &str, message: &str, colour: &str) -> String {
    let (lw, mw) = (text_width(label) + 12, text_width(message) + 12);
    let width = lw + mw;
    let title = escape(&format!("{label}: {message}"));
    let (label, message) = (escape(label), escape(message));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"20\" viewBox=\"0 0 {width} 20\" role=\"img\" aria-label=\"{title}\">\
<title>{title}</title>\
<rect width=\"{lw}\" height=\"20\" rx=\"3\" fill=\"{LABEL}\"/>\
<rect x=\"{lw}\" width=\"{mw}\" height=\"20\" rx=\"3\" fill=\"{colour}\"/>\
<rect x=\"{lw}\" width=\"4\" height=\"20\" fill=\"{colour}\"/>\
<g fill=\"#ffffff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\" text-anchor=\"middle\">\
<text x=\"{lx}\" y=\"14\">{label}</text><text x=\"{mx}\" y=\"14\">{message}</text></g></svg>\n",
        lx = lw / 2,
        mx = lw + mw / 2,
    )
}

/// An estimate of the width of `text` in 11px Verdana, in pixels.
fn text_width(text: &str) -> u32 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '\'' | '.' | ',' | ':' | ';' | '!' | '|' => 4,
            'f' | 't' | 'r' | ' ' | 'I' | '(' | ')' | '-' => 5,
            'm' | 'w' | 'M' | 'W' => 11,
            c if c.is_ascii_uppercase() => 8,
            c if c.is_ascii() => 7,
            _ => 8,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_are_titled_and_escaped() {
        let svg = svg("<Acme>", "major outage", status_colour(ComponentStatus::MajorOutage));
        assert!(svg.contains("<title>&lt;Acme&gt;: major outage</title>"), "{svg}");
        assert!(!svg.contains("<Acme>"));
        roxmltree::Document::parse(&svg).expect("well-formed XML");
    }
}
