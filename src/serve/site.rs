//! The site as served: the last good build's files with their entity tags, answering one
//! request at a time from memory. Every HTML page is answered with the live-reload script
//! added before `</body>`; the build's own bytes are kept as the build made them.

use super::path;
use crate::live::Files;
use crate::names::hash::ContentHash;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where the live-reload script is served: no output file of a build can be there, since
/// no output path starts with `__ntg`.
pub const SCRIPT: &str = "/__ntg/live.js";

/// The site as served.
#[derive(Default)]
pub struct Served {
    files: BTreeMap<String, (Arc<[u8]>, String)>,
}

/// What the server answers to one request.
#[derive(Debug)]
pub struct Answer<'a> {
    pub status: u16,
    pub content_type: &'static str,
    /// The body's entity tag, for conditional requests.
    pub etag: Option<&'a str>,
    /// Where a folder's address without its slash is sent.
    pub location: Option<String>,
    pub body: Cow<'a, [u8]>,
}

impl Served {
    /// The files of a build, tagged; a file shared with `before` (taken from the last build
    /// as it was) keeps its tag rather than being hashed again.
    pub fn new(files: &Files, before: &Served) -> Served {
        let files = files
            .iter()
            .map(|(rel, bytes)| {
                let tag = match before.files.get(rel) {
                    Some((old, tag)) if Arc::ptr_eq(old, bytes) => tag.clone(),
                    _ => format!("\"{}\"", ContentHash::of(bytes)),
                };
                (rel.clone(), (Arc::clone(bytes), tag))
            })
            .collect();
        Served { files }
    }

    /// The addresses (`/`, `/themes/x/`) of the pages that differ between `self` and
    /// `after`: changed, added or removed. Only pages: they are what a tab shows, and the
    /// search export's files, named by its hash, all move whenever one document changes.
    pub fn changed_pages(&self, after: &Served) -> Vec<String> {
        let mut changed: Vec<String> = differing(self, after)
            .chain(differing(after, self).filter(|rel| !after.files.contains_key(*rel)))
            .filter(|rel| is_page(rel))
            .map(|rel| address_of(rel))
            .collect();
        changed.sort();
        changed.dedup();
        changed
    }

    /// Whether any file differs between `self` and `after`.
    pub fn changed_files(&self, after: &Served) -> bool {
        self.files.len() != after.files.len() || differing(self, after).next().is_some()
    }

    /// How many pages are served.
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|rel| is_page(rel)).count()
    }

    /// The answer to `method target`, given the request's `If-None-Match`. A HEAD answer
    /// carries the body too: the HTTP layer sends its length and not its bytes.
    pub fn answer(&self, method: &str, target: &str, if_none_match: Option<&str>) -> Answer<'_> {
        if method != "GET" && method != "HEAD" {
            return plain(405, "only GET and HEAD are served\n");
        }
        let Ok(file) = path::file_of(target) else {
            return plain(400, "bad request: not an address of this site\n");
        };
        if let Some((body, tag)) = self.files.get(&file) {
            let fresh = if_none_match.is_some_and(|m| m.split(',').any(|t| t.trim() == tag));
            let content_type = content_type(&file);
            return Answer {
                status: if fresh { 304 } else { 200 },
                content_type,
                etag: Some(tag),
                location: None,
                body: if fresh {
                    Cow::Borrowed(&[])
                } else {
                    with_script(content_type, body, tag)
                },
            };
        }
        let path = path::path_of(target);
        if !path.ends_with('/') && self.files.contains_key(&format!("{file}/index.html")) {
            return Answer {
                location: Some(format!("{path}/")),
                ..plain(301, "moved: the address ends with a slash\n")
            };
        }
        let (content_type, body): (_, &[u8]) = match self.files.get("404.html") {
            Some((body, _)) => ("text/html; charset=utf-8", body),
            // No site yet (the first build failed): a page the script can show errors on.
            None => ("text/html; charset=utf-8", NOT_BUILT.as_bytes()),
        };
        Answer {
            status: 404,
            content_type,
            etag: None,
            location: None,
            body: with_script(content_type, body, ""),
        }
    }
}

/// The files of `after` that `before` does not hold with the same bytes. Tags are content
/// hashes: equal tags, equal bytes.
fn differing<'a>(before: &'a Served, after: &'a Served) -> impl Iterator<Item = &'a String> {
    after
        .files
        .iter()
        .filter(|(rel, (_, tag))| before.files.get(*rel).is_none_or(|(_, old)| old != tag))
        .map(|(rel, _)| rel)
}

/// Whether the output file `rel` is a page.
fn is_page(rel: &str) -> bool {
    rel.ends_with(".html")
}

/// The page every address answers before the site has built once.
const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
<title>Not built yet</title><body><h1>The site has not built yet</h1>\
<p>Fix the errors ntg serve printed; this page reloads when the site builds.</p></body></html>";

/// A plain-text answer with `status`.
fn plain(status: u16, body: &'static str) -> Answer<'static> {
    Answer {
        status,
        content_type: "text/plain; charset=utf-8",
        etag: None,
        location: None,
        body: Cow::Borrowed(body.as_bytes()),
    }
}

/// `body`, with the live-reload script before its last `</body>` if it is an HTML page (at
/// its end if it has none). The script's element carries the answer's entity tag, `tag`
/// (empty for a 404), so that the page can tell later whether it is still what is served.
fn with_script<'a>(content_type: &str, body: &'a [u8], tag: &str) -> Cow<'a, [u8]> {
    if !content_type.starts_with("text/html") {
        return Cow::Borrowed(body);
    }
    let at = body
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(body.len());
    // A tag is a content hash in quotes: hex digits, nothing to escape.
    let script = format!(
        "<script src=\"{SCRIPT}\" data-tag=\"{}\" defer></script>",
        tag.trim_matches('"')
    );
    let mut out = Vec::with_capacity(body.len() + script.len());
    out.extend_from_slice(&body[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&body[at..]);
    Cow::Owned(out)
}

/// The address a browser shows for the output file `rel`: a folder's `index.html` is the
/// folder.
pub fn address_of(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{rel}"),
    }
}

/// The media type of an output file, by its extension.
pub fn content_type(file: &str) -> &'static str {
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if file.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "gz" => "application/gzip",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "webmanifest" => "application/manifest+json",
        _ if file.ends_with("_headers") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(files: &[(&str, &str)]) -> Served {
        let files: Files = files
            .iter()
            .map(|(rel, text)| (rel.to_string(), Arc::from(text.as_bytes())))
            .collect();
        Served::new(&files, &Served::default())
    }

    #[test]
    fn pages_carry_the_script_and_other_files_do_not() {
        let site = served(&[
            ("index.html", "<html><body><p>home</p></body></html>"),
            ("css/ntg.css", "body{}"),
        ]);
        let page = site.answer("GET", "/", None);
        let tag = page.etag.unwrap().trim_matches('"').to_string();
        assert_eq!(
            String::from_utf8(page.body.into_owned()).unwrap(),
            format!(
                "<html><body><p>home</p><script src=\"{SCRIPT}\" data-tag=\"{tag}\" defer>\
                 </script></body></html>"
            )
        );
        assert_eq!(&*site.answer("GET", "/css/ntg.css", None).body, b"body{}");
    }

    #[test]
    fn changes_name_the_pages_a_browser_shows() {
        let before = served(&[
            ("index.html", "a"),
            ("x/index.html", "b"),
            ("gone.html", "c"),
        ]);
        let after = served(&[("index.html", "a"), ("x/index.html", "B"), ("new.css", "d")]);
        assert_eq!(before.changed_pages(&after), ["/gone.html", "/x/"]);
        assert!(before.changed_files(&after));
        assert!(!after.changed_files(&after));
        let css = served(&[("index.html", "a"), ("x/index.html", "B"), ("new.css", "e")]);
        assert!(after.changed_pages(&css).is_empty() && after.changed_files(&css));
        assert_eq!(after.pages(), 2);
        assert_eq!(address_of("index.html"), "/");
        assert_eq!(address_of("a/index.html"), "/a/");
        assert_eq!(address_of("a/notindex.html"), "/a/notindex.html");
    }
}
