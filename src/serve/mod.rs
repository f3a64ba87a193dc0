//! `ntg serve`: the site built into memory and served over HTTP on 127.0.0.1 only, with
//! pages linked to the served address, rebuilt through the same incremental pipeline as
//! `ntg build` whenever its files change (`watch`, `crate::live`), and the open tabs told
//! (`events`) by a script added to every page served (`live.js`). Requests are answered
//! from the build in memory, never from the disk by the request's path (`path` refuses
//! every way out of the site before a file is looked up at all).

pub mod events;
pub mod path;
pub mod site;
pub mod watch;

use crate::diagnostic::{self, Format};
use crate::live::{Live, Rebuilt, Scratch};
use events::{Hub, State};
use site::Served;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Instant;

/// How `ntg serve` was asked to run.
pub struct Settings {
    /// The port to listen on; `0` picks a free one.
    pub port: u16,
    /// Serve documents marked `draft: true` too.
    pub drafts: bool,
    /// Open the site in the system's browser once it is served.
    pub open: bool,
    /// Print each rebuild's stage times.
    pub timings: bool,
}

/// Why `ntg serve` could not start: what to say, and what to do.
pub struct ServeError(pub String);

/// The live-reload script and its overlay's stylesheet, served at `/__ntg/`.
const LIVE_JS: &str = include_str!("live.js");
const LIVE_CSS: &str = include_str!("live.css");

/// A change list longer than this is not sent: each tab asks whether its page changed.
const MOST_CHANGES: usize = 1000;

/// Builds the site at `root` into memory and serves it on `127.0.0.1`, printing the address
/// on standard output once it answers; rebuilds as its files change, until Ctrl-C or
/// SIGTERM. A build that fails is reported, on standard error and in every open tab, and
/// the last good build stays served (before the first, a page saying so).
pub fn run(root: &Path, settings: &Settings) -> Result<(), ServeError> {
    let server = Arc::new(bind(settings.port)?);
    // Ctrl-C and SIGTERM end the request loop below, which ends the server with status 0. A
    // handler set already (a second server in one process) leaves those signals as they were.
    let stopping = Arc::clone(&server);
    let _ = ctrlc::set_handler(move || stopping.unblock());
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| ServeError("cannot tell the address being listened on".into()))?;
    let base = format!("http://{bound}/");
    let scratch = Scratch::new().map_err(|e| {
        ServeError(format!(
            "cannot make a folder for the search state in {}: {e}",
            std::env::temp_dir().display()
        ))
    })?;
    let options = crate::Options {
        base_url: Some(base.clone()),
        drafts: settings.drafts,
        no_cache: false,
        // What is served while editing shows warnings; it is never withheld for them.
        deny_warnings: false,
    };
    let mut live = Live::new(root, options, &scratch);
    // Watched before the first build, so that a save during it is seen.
    let watch = watch::Watch::start(root);
    let session = format!(
        "{:x}{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    );
    let mut builds = Builds {
        timings: settings.timings,
        session,
        number: 0,
        served: Arc::new(RwLock::new(Arc::new(Served::default()))),
    };
    let first = builds.take(&mut live, &[]);
    let hub = Arc::new(Hub::new(first));
    say(&format!("serving {base}\n"));
    if settings.open && open::that_detached(&base).is_err() {
        tell(&format!("could not open a browser: open {base} in one\n"));
    }
    let served = Arc::clone(&builds.served);
    match watch {
        Ok(mut watch) => {
            let hub = Arc::clone(&hub);
            std::thread::spawn(move || {
                while let Some(changed) = watch.next_change() {
                    hub.publish(builds.take(&mut live, &changed));
                }
            });
        }
        Err(e) => tell(&format!(
            "warning: cannot watch the site's files ({e}): saves are not seen until ntg serve \
             is started again\n"
        )),
    }
    for request in server.incoming_requests() {
        respond(request, &served, &hub);
    }
    drop(scratch);
    Ok(())
}

/// The builds served so far, and the one being served.
struct Builds {
    /// Whether to print each build's stage times.
    timings: bool,
    /// What makes this run's build names unlike any other run's.
    session: String,
    number: u64,
    served: Arc<RwLock<Arc<Served>>>,
}

impl Builds {
    /// Rebuilds the site after `changed` (below the root; empty for the first build),
    /// serves the build if it succeeded, reports it on the terminal, and returns the state
    /// to tell the tabs.
    fn take(&mut self, live: &mut Live, changed: &[String]) -> State {
        if let Some(first) = changed.first() {
            say(&match changed.len() {
                1 => format!("saved: {first}\n"),
                n => format!("saved: {first} and {} more\n", n - 1),
            });
        }
        let started = Instant::now();
        let rebuilt = live.rebuild();
        let took = || started.elapsed().as_secs_f64() * 1000.0;
        let before = Arc::clone(&read(&self.served));
        match rebuilt {
            Ok(Rebuilt {
                files,
                built,
                inputs,
            }) => {
                let now = Served::new(&files, &before);
                let addresses = before.changed_pages(&now);
                let pages = now.pages();
                if before.changed_files(&now) || self.number == 0 {
                    self.number += 1;
                    *self.served.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(now);
                }
                tell(&diagnostic::render(&built.warnings, Format::Human));
                if self.timings {
                    tell(&built.timings_text());
                }
                let took = took();
                say(&if changed.is_empty() {
                    format!("built in {took:.0} ms: {pages} pages\n")
                } else {
                    let n = addresses.len();
                    let noun = if n == 1 { "page" } else { "pages" };
                    format!("built in {took:.0} ms: {n} {noun} changed, {pages} in all\n")
                });
                State {
                    build: self.name(),
                    css: self.number > 1
                        && !inputs.is_empty()
                        && inputs.iter().all(|c| c.ends_with(".css")),
                    changed: (addresses.len() <= MOST_CHANGES).then_some(addresses),
                    diagnostics: Vec::new(),
                }
            }
            Err(diagnostics) => {
                tell(&diagnostic::render(&diagnostics, Format::Human));
                tell(if self.number == 0 {
                    "the site did not build: nothing is served until it does\n"
                } else {
                    "the site did not build: the last good build is still served\n"
                });
                State {
                    build: self.name(),
                    changed: Some(Vec::new()),
                    css: false,
                    diagnostics: diagnostic::capped(&diagnostics),
                }
            }
        }
    }

    /// The served build's name, unique to this run.
    fn name(&self) -> String {
        format!("{}-{}", self.session, self.number)
    }
}

/// Prints `text` on standard output, for the writer at the terminal; a terminal that has
/// gone is no reason to stop serving.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Prints `text` on standard error: diagnostics and warnings, as `ntg build` prints them.
fn tell(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The served site, whether or not a thread that held its lock panicked.
fn read(served: &RwLock<Arc<Served>>) -> Arc<Served> {
    Arc::clone(&served.read().unwrap_or_else(|p| p.into_inner()))
}

/// Listens on `127.0.0.1:port`, or says why it cannot.
fn bind(port: u16) -> Result<tiny_http::Server, ServeError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    tiny_http::Server::http(addr).map_err(|e| {
        let in_use = e
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::AddrInUse);
        ServeError(if in_use {
            format!(
                "port {port} is already in use: serve on another with `--port N`, or `--port 0` \
                 for any free port"
            )
        } else {
            format!("cannot listen on {addr}: {e}")
        })
    })
}

/// Answers one request: the events stream and the live script at `/__ntg/`, anything else
/// from the served build.
fn respond(request: tiny_http::Request, served: &RwLock<Arc<Served>>, hub: &Hub) {
    let live = |body: &'static str, content_type| site::Answer {
        status: 200,
        content_type,
        etag: None,
        location: None,
        body: std::borrow::Cow::Borrowed(body.as_bytes()),
    };
    let served = read(served);
    let if_none_match = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("If-None-Match"))
        .map(|h| h.value.as_str().to_string());
    let method = request.method().as_str().to_string();
    let a = match path::path_of(request.url()) {
        "/__ntg/events" if method == "GET" => return hub.join(request.into_writer()),
        site::SCRIPT => live(LIVE_JS, "text/javascript; charset=utf-8"),
        "/__ntg/live.css" => live(LIVE_CSS, "text/css; charset=utf-8"),
        _ => served.answer(&method, request.url(), if_none_match.as_deref()),
    };
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
        &a.body[..],
        Some(a.body.len()),
        None,
    );
    // A client that hung up before its answer was sent is no error of the server's.
    let _ = request.respond(response);
}

/// A response header; `None` for a value HTTP cannot carry (never one of ours).
fn header(name: &str, value: &str) -> Option<tiny_http::Header> {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}
