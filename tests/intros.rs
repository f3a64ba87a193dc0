//! The words that open listing and generated pages live in the site and its theme, not in
//! ntg: a section's `content/<section>/_index.md`, and each page template's `description`
//! block. Each is shown once under the heading and once as the page's meta description.

mod common;

use common::{build_into, site_in, stderr};
use scraper::{Html, Selector};
use std::path::Path;

/// A built page's (h1, lead paragraph, meta description), each absent if the page has none.
fn opening(out: &Path, rel: &str) -> (String, Option<String>, Option<String>) {
    let path = out.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let html = Html::parse_document(&text);
    let one = |css: &str| html.select(&Selector::parse(css).unwrap()).next();
    let h1 = one("h1").map(|e| e.text().collect::<String>()).unwrap();
    let lead = one("p.lead").map(|e| e.text().collect::<String>());
    let meta = one("meta[name=description]").map(|e| e.attr("content").unwrap().to_string());
    (h1, lead, meta)
}

fn built(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    site_in(&dir.path().join("site"), files);
    let o = build_into(&dir.path().join("site"), &dir.path().join("public"));
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

#[test]
fn a_section_s_index_file_opens_its_listing_page() {
    let dir = built(&[(
        "content/hypotheses/_index.md",
        "---\ntitle: What we think works\ndescription: Ideas to test & share.\n---\n",
    )]);
    let out = dir.path().join("public");
    let fixture_words = "What councils and their partners did to narrow the gap, and what changed.";
    assert_eq!(
        opening(&out, "case-studies/index.html"),
        (
            "Case studies".into(),
            Some(fixture_words.into()),
            Some(fixture_words.into())
        )
    );
    let ideas = Some("Ideas to test & share.".to_string());
    assert_eq!(
        opening(&out, "hypotheses/index.html"),
        ("What we think works".into(), ideas.clone(), ideas)
    );
    // Without an _index.md a section's page has its name and no words of ntg's own.
    assert_eq!(
        opening(&out, "evidence/index.html"),
        ("Call for evidence submissions".into(), None, None)
    );
    // The index file is not a document: no page of its own, no entry in the listing.
    assert!(!out.join("hypotheses/_index/index.html").exists());
}

#[test]
fn a_generated_page_s_words_come_from_its_template() {
    let themes = opening(&built(&[]).path().join("public"), "themes/index.html");
    let words = "The programme's five themes: the lines of enquiry it followed.";
    assert_eq!(
        themes,
        ("Themes".into(), Some(words.into()), Some(words.into()))
    );
    // A site's own template rewords the page, heading and meta description alike.
    let dir = built(&[(
        "templates/authorities.html",
        "{% extends \"base.html\" %}\
         {% block description %}{% set description = \"Councils, by region.\" %}{% endblock description %}\
         {% block content %}<h1>{{ page.title }}</h1><p class=\"lead\">{{ description }}</p>{% endblock content %}",
    )]);
    let councils = Some("Councils, by region.".to_string());
    assert_eq!(
        opening(&dir.path().join("public"), "local-authorities/index.html"),
        ("Local authorities".into(), councils.clone(), councils)
    );
}
