//! Any text as Markdown: rendering must never panic, and what comes out must
//! be inert: no script element, no handler, no script URL, no hidden characters.

#![no_main]

use libfuzzer_sys::fuzz_target;

/// Whether a URL would run code when followed, however it is spelled.
fn is_script_url(url: &str) -> bool {
    let squashed: String =
        url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"].iter().any(|scheme| squashed.starts_with(scheme))
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let top = data.first().map_or(1, |b| b % 7);
    let html = candor::markdown::to_html(source, top);
    assert!(!html.chars().any(candor::model::is_hidden), "a hidden character in {html:?}");
    let parsed = scraper::Html::parse_fragment(&html);
    for element in parsed.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
        let el = element.value();
        assert!(
            !matches!(el.name(), "script" | "style" | "iframe" | "object" | "embed" | "form"),
            "a <{}> element in {html:?}",
            el.name()
        );
        for (name, value) in el.attrs() {
            assert!(!name.to_ascii_lowercase().starts_with("on"), "a handler in {html:?}");
            if matches!(name, "href" | "src" | "action" | "formaction" | "xlink:href" | "srcset") {
                assert!(!is_script_url(value), "a script URL in {html:?}");
            }
        }
    }
    let plain = candor::markdown::to_plain(source);
    assert!(!plain.chars().any(candor::model::is_hidden), "a hidden character in {plain:?}");
});
