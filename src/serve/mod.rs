//! `ntg serve`: the site built into memory and served over HTTP on 127.0.0.1 only, with
//! pages linked to the served address. Requests are answered from the build in memory, never
//! from the disk by the request's path (`path` refuses every way out of the site before a
//! file is looked up at all).
//!
//! This is the server's first step: it builds once, at start. Watching the site's files,
//! rebuilding through the incremental pipeline and reloading open tabs come next (issue 12).

pub mod path;

use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

/// The site as served: every output file by its path, with its entity tag.
pub struct Served {
    files: BTreeMap<String, (Vec<u8>, String)>,
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
    pub body: &'a [u8],
}

impl Served {
    /// The files of a build, by output path (`case-studies/x/index.html`).
    pub fn new(files: BTreeMap<String, Vec<u8>>) -> Served {
        let files = files
            .into_iter()
            .map(|(rel, bytes)| {
                let tag = format!("\"{}\"", crate::names::hash::ContentHash::of(&bytes));
                (rel, (bytes, tag))
            })
            .collect();
        Served { files }
    }

    /// The answer to `method target`, given the request's `If-None-Match`. A HEAD answer
    /// carries the body too: the HTTP layer sends its length and not its bytes.
    pub fn answer(&self, method: &str, target: &str, if_none_match: Option<&str>) -> Answer<'_> {
        let plain = |status, body: &'static str| Answer {
            status,
            content_type: "text/plain; charset=utf-8",
            etag: None,
            location: None,
            body: body.as_bytes(),
        };
        if method != "GET" && method != "HEAD" {
            return plain(405, "only GET and HEAD are served\n");
        }
        let Ok(file) = path::file_of(target) else {
            return plain(400, "bad request: not an address of this site\n");
        };
        if let Some((body, tag)) = self.files.get(&file) {
            let fresh = if_none_match.is_some_and(|m| m.split(',').any(|t| t.trim() == tag));
            return Answer {
                status: if fresh { 304 } else { 200 },
                content_type: content_type(&file),
                etag: Some(tag),
                location: None,
                body: if fresh { &[] } else { body },
            };
        }
        let path = path::path_of(target);
        if !path.ends_with('/') && self.files.contains_key(&format!("{file}/index.html")) {
            return Answer {
                location: Some(format!("{path}/")),
                ..plain(301, "moved: the address ends with a slash\n")
            };
        }
        match self.files.get("404.html") {
            Some((body, _)) => Answer {
                status: 404,
                content_type: "text/html; charset=utf-8",
                etag: None,
                location: None,
                body,
            },
            None => plain(404, "not found\n"),
        }
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

/// Why `ntg serve` stopped or could not start.
pub enum ServeError {
    /// The port could not be listened on (the message says what to do).
    Bind(String),
    /// The site has errors: nothing is served.
    Site(Vec<Diagnostic>),
}

/// Builds the site at `root` into memory and serves it on `127.0.0.1:port` (`0`: a free
/// port), printing the address on standard output once it answers, until Ctrl-C or SIGTERM.
pub fn run(root: &Path, drafts: bool, port: u16) -> Result<(), ServeError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let server = tiny_http::Server::http(addr).map_err(|e| {
        let in_use = e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::AddrInUse);
        ServeError::Bind(if in_use {
            format!(
                "port {port} is already in use: serve on another with `--port N`, or `--port 0` \
                 for any free port"
            )
        } else {
            format!("cannot listen on {addr}: {e}")
        })
    })?;
    let server = std::sync::Arc::new(server);
    // Ctrl-C and SIGTERM end the loop below, which ends the server with status 0. A handler
    // set already (a second server in one process) leaves those signals as they were.
    let stopping = std::sync::Arc::clone(&server);
    let _ = ctrlc::set_handler(move || stopping.unblock());
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| ServeError::Bind(format!("cannot listen on {addr}")))?;
    let base = format!("http://{bound}/");
    let options = crate::Options {
        base_url: Some(base.clone()),
        drafts,
        no_cache: true,
    };
    let made = crate::render(&crate::inputs::Disk { root }, &options).map_err(ServeError::Site)?;
    let served = Served::new(made.files);
    let mut out = std::io::stdout();
    let _ = writeln!(out, "serving {base}");
    let _ = out.flush();
    for request in server.incoming_requests() {
        let if_none_match = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("If-None-Match"))
            .map(|h| h.value.as_str().to_string());
        let method = request.method().as_str().to_string();
        let a = served.answer(&method, request.url(), if_none_match.as_deref());
        let mut headers = vec![header("Content-Type", a.content_type)];
        if let Some(tag) = a.etag {
            headers.push(header("ETag", tag));
        }
        if let Some(to) = &a.location {
            headers.push(header("Location", to));
        }
        headers.push(header("Cache-Control", "no-cache"));
        let response = tiny_http::Response::new(
            tiny_http::StatusCode(a.status),
            headers.into_iter().flatten().collect(),
            a.body,
            Some(a.body.len()),
            None,
        );
        // A client that hung up before its answer was sent is no error of the server's.
        let _ = request.respond(response);
    }
    Ok(())
}

/// A response header; `None` for a value HTTP cannot carry (never one of ours).
fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}
