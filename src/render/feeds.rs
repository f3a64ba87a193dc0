//! The machine-readable files: sitemap.xml, atom.xml and robots.txt.

use crate::escape::escape;
use crate::join::Facts;
use crate::resolve::content::Section;
use crate::resolve::site::Site;

/// Every page of the site, on the base URL, in the order given.
pub fn sitemap(site: &Site, urls: &[&str]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        out.push_str("  <url><loc>");
        out.push_str(&escape(&site.config.base_url.absolute(url)));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// How many case studies the feed carries: the newest, as feed readers expect.
const FEED_ENTRIES: usize = 50;

/// An Atom feed of the newest case studies. Its `updated` is the newest entry's date, not
/// the build time, so two builds of the same content are identical.
pub fn atom(site: &Site, facts: &Facts) -> String {
    let base = &site.config.base_url;
    let mut cases: Vec<usize> = facts
        .sections
        .get(&Section::CaseStudies)
        .cloned()
        .unwrap_or_default();
    // Feeds are newest first, whatever weights listings use.
    cases.sort_by(|&a, &b| {
        let (a, b) = (&site.docs[a], &site.docs[b]);
        b.common
            .date
            .cmp(&a.common.date)
            .then_with(|| a.url.cmp(&b.url))
    });
    cases.truncate(FEED_ENTRIES);
    let updated = cases
        .first()
        .and_then(|&i| site.docs[i].common.date)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}: case studies</title>\n",
        lang = escape(&site.config.language),
        title = escape(&site.config.title),
    );
    if let Some(d) = &site.config.description {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(d)));
    }
    out.push_str(&format!(
        "  <id>{id}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{id}\"/>\n  <updated>{updated}</updated>\n  <author><name>{title}</name></author>\n",
        id = escape(&base.absolute("/case-studies/")),
        feed = escape(&base.absolute("/atom.xml")),
        title = escape(&site.config.title),
    ));
    for i in cases {
        let d = &site.docs[i];
        let url = escape(&base.absolute(&d.url));
        let date = d
            .common
            .date
            .map(|d| d.rfc3339())
            .unwrap_or_else(|| updated.clone());
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{url}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <updated>{date}</updated>\n    <published>{date}</published>\n",
            escape(&d.common.title)
        ));
        if let Some(s) = &d.common.summary {
            out.push_str(&format!("    <summary>{}</summary>\n", escape(s)));
        }
        for t in &d.common.themes {
            out.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                escape(t.as_str()),
                escape(&site.taxonomies.themes.get(t).name)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.base_url.absolute("/sitemap.xml")
    )
}
