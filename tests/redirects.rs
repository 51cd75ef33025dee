//! Incidents' old addresses (`aliases`): the redirect pages a build writes,
//! parsed with an HTML parser and followed on disk, and the collisions it refuses.

mod common;

use std::fs;
use std::path::{Component, Path, PathBuf};

use common::{OUTAGE, candor, site, stderr};
use scraper::{Html, Selector};

const NOW: &str = "2026-03-20T10:00:00+02:00";

fn with_aliases(aliases: &str) -> String {
    OUTAGE.replace("started_at:", &format!("aliases: [{aliases}]\nstarted_at:"))
}

fn build(root: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--root", root.to_str().unwrap(), "--now", NOW];
    args.extend_from_slice(extra);
    candor(&args)
}

/// What a redirect page says: its refresh target, its canonical address and its visible link.
struct Redirect {
    refresh: String,
    canonical: String,
    link: String,
    link_text: String,
    lang: String,
}

fn parse(path: &Path) -> Redirect {
    let html = Html::parse_document(&fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    let one = |css: &str, attr: &str| -> String {
        let selector = Selector::parse(css).unwrap();
        let mut found = html.select(&selector);
        let element = found.next().unwrap_or_else(|| panic!("{css} in {}", path.display()));
        assert!(found.next().is_none(), "one {css}");
        element.value().attr(attr).unwrap_or_else(|| panic!("{css} has {attr}")).to_owned()
    };
    let content = one("meta[http-equiv=refresh]", "content");
    let refresh = content.strip_prefix("0; url=").unwrap_or_else(|| panic!("refresh at once: {content}")).to_owned();
    let link_selector = Selector::parse("main a").unwrap();
    let link = html.select(&link_selector).next().expect("a visible link");
    Redirect {
        refresh,
        canonical: one("link[rel=canonical]", "href"),
        link: link.value().attr("href").unwrap().to_owned(),
        link_text: link.text().collect(),
        lang: one("html", "lang"),
    }
}

/// `link`, relative to the file `from` in `out`, as a path in `out`, refusing to leave it.
fn follow(out: &Path, from: &str, link: &str) -> PathBuf {
    let mut path: Vec<String> = from.split('/').map(str::to_owned).collect();
    path.pop();
    for part in Path::new(link).components() {
        match part {
            Component::ParentDir => assert!(path.pop().is_some(), "{link} from {from} leaves the site"),
            Component::Normal(p) => path.push(p.to_string_lossy().into_owned()),
            other => panic!("{link} is not relative: {other:?}"),
        }
    }
    let mut file = out.join(path.join("/"));
    if link.ends_with('/') {
        file.push("index.html");
    }
    file
}

#[test]
fn each_alias_gets_a_relative_redirect_to_the_incident_page() {
    let dir = site(&[(
        "2026-03-14-card-payments.yaml",
        &with_aliases("incidents/p31zjtct2jer, issues/card-payments/, old/outage.html"),
    )]);
    let out = dir.path().join("public");
    let result = build(dir.path(), &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    for (alias, file) in [
        ("incidents/p31zjtct2jer", "incidents/p31zjtct2jer/index.html"),
        ("issues/card-payments/", "issues/card-payments/index.html"),
        ("old/outage.html", "old/outage.html"),
    ] {
        let page = parse(&out.join(file));
        assert_eq!(page.refresh, page.link, "{alias}: the refresh and the link agree");
        let target = follow(&out, file, &page.link);
        assert_eq!(target, out.join("incidents/2026-03-14-card-payments/index.html"), "{alias}");
        assert!(target.is_file(), "{alias}: the target exists");
        assert_eq!(
            follow(&out, file, &page.canonical),
            target,
            "{alias}: without base_url the canonical is relative too"
        );
        assert_eq!(page.link_text, "Card payments failing");
        assert_eq!(page.lang, "en");
    }
    let api = fs::read_to_string(out.join("api/v2/incidents.json")).unwrap();
    assert!(!api.contains("p31zjtct2jer"), "aliases are not in the API");
}

#[test]
fn redirects_follow_base_url_pretty_urls_and_stay_out_of_other_languages() {
    let dir = site(&[("2026-03-14-card-payments.yaml", &with_aliases("incidents/p31zjtct2jer"))]);
    let site_yaml = dir.path().join("site.yaml");
    let text = fs::read_to_string(&site_yaml).unwrap();
    fs::write(
        &site_yaml,
        format!("{text}base_url: https://status.example.com/sub/\npretty_urls: true\nlanguages: [en, fi]\n"),
    )
    .unwrap();
    let out = dir.path().join("public");
    let result = build(dir.path(), &[]);
    assert!(result.status.success(), "{}", stderr(&result));
    let page = parse(&out.join("incidents/p31zjtct2jer/index.html"));
    assert_eq!(page.link, "../../incidents/2026-03-14-card-payments/");
    assert_eq!(page.canonical, "https://status.example.com/sub/incidents/2026-03-14-card-payments/");
    assert!(follow(&out, "incidents/p31zjtct2jer/index.html", &page.link).is_file());
    assert!(!out.join("fi/incidents/p31zjtct2jer").exists(), "one redirect per old address, in the default language");
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("p31zjtct2jer"), "redirects are not pages to index");
}

#[test]
fn colliding_aliases_fail_the_build_with_located_errors_and_keep_the_last_site() {
    let dir = site(&[
        ("2026-03-14-card-payments.yaml", &with_aliases("incidents/abc")),
        ("2026-03-15-second.yaml", &with_aliases("Incidents/ABC/, incidents/2026-03-14-card-payments/x, style.css/y")),
    ]);
    let out = dir.path().join("public");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join(".candor-output"), "").unwrap();
    fs::write(out.join("index.html"), "the last good site").unwrap();
    let result = build(dir.path(), &[]);
    assert!(!result.status.success());
    let err = stderr(&result);
    for expected in [
        "the alias `Incidents/ABC/` collides with the alias `incidents/abc/` of incidents/2026-03-14-card-payments.yaml",
        "the alias `incidents/2026-03-14-card-payments/x/` collides with the pages of the incident `2026-03-14-card-payments`",
        "the alias `style.css/y/` collides with the theme's static file `style.css`",
        "--> incidents/2026-03-15-second.yaml:5:",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "the last good site");
}
