//! `ntg serve` end to end: the real binary serving a fixture site on a free port, asked over
//! plain TCP as a browser or an attacker would ask it.

mod common;

use common::fixtures;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// A running `ntg serve --port 0`, stopped when dropped, with what it has printed so far.
struct Server {
    child: Child,
    port: u16,
    stdout: Printed,
    stderr: Printed,
}

/// The lines a stream has printed, gathered by a thread of their own so the server never
/// blocks on a full pipe.
#[derive(Clone, Default)]
struct Printed(Arc<Mutex<Vec<String>>>);

impl Printed {
    fn gather(stream: impl Read + Send + 'static) -> Printed {
        let printed = Printed::default();
        let lines = printed.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                lines.0.lock().unwrap().push(line);
            }
        });
        printed
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().join("\n")
    }

    /// Waits until a line printed satisfies `found`, and returns it.
    fn wait_for(&self, found: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            if let Some(line) = self.0.lock().unwrap().iter().find(|l| found(l)) {
                return line.clone();
            }
            assert!(
                started.elapsed() < WAIT,
                "not printed in time; printed:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// The longest a test waits for the server to do something.
const WAIT: Duration = Duration::from_secs(30);

impl Server {
    fn start(site: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ntg"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ntg serve starts");
        let stdout = Printed::gather(child.stdout.take().unwrap());
        let stderr = Printed::gather(child.stderr.take().unwrap());
        let line = stdout.wait_for(|l| l.starts_with("serving "));
        let port = line
            .trim()
            .strip_prefix("serving http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address printed: {line:?}"));
        Server {
            child,
            port,
            stdout,
            stderr,
        }
    }

    /// Sends `request` as it is and returns the status, the headers (names lowercased) and
    /// the body.
    fn raw(&self, request: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.write_all(request).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let split = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a head");
        let head = String::from_utf8(answer[..split].to_vec()).unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        (
            status.parse().unwrap(),
            headers,
            answer[split + 4..].to_vec(),
        )
    }

    fn request(
        &self,
        method: &str,
        target: &str,
        extra: &str,
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        self.raw(
            format!(
                "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n"
            )
            .as_bytes(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// GETs `target`, checks that it answers `status` with an HTML page, and parses it.
fn html_page(server: &Server, target: &str, status: u16) -> scraper::Html {
    let (got, headers, body) = server.request("GET", target, "");
    assert_eq!(got, status, "{target}");
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/html; charset=utf-8")
    );
    scraper::Html::parse_document(&String::from_utf8(body).unwrap())
}

#[test]
fn serves_the_site_linked_to_its_own_address() {
    let server = Server::start(&fixtures().join("valid"));
    let html = html_page(&server, "/", 200);
    let links: Vec<&str> = html
        .select(&scraper::Selector::parse("a[href]").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| href.starts_with('/'))
        .collect();
    assert!(links.len() > 10, "{links:?}");
    // Every page the home page links to on this site answers.
    for link in &links {
        let (status, _, _) = server.request("GET", link, "");
        assert_eq!(status, 200, "{link}");
    }
    // What must name an absolute address (the feed's links) names the served one.
    let (status, _, atom) = server.request("GET", "/atom.xml", "");
    assert_eq!(status, 200);
    let atom = String::from_utf8(atom).unwrap();
    let feed = roxmltree::Document::parse(&atom).unwrap();
    let home = format!("http://127.0.0.1:{}/", server.port);
    let hrefs: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("link"))
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(!hrefs.is_empty());
    assert!(hrefs.iter().all(|h| h.starts_with(&home)), "{hrefs:?}");
    let (status, headers, _) = server.request("GET", "/css/ntg.css", "");
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/css; charset=utf-8")
    );
}

#[test]
fn head_and_conditional_requests_answer_as_a_host_does() {
    let server = Server::start(&fixtures().join("valid"));
    let (_, got, body) = server.request("GET", "/", "");
    let (status, headers, empty) = server.request("HEAD", "/", "");
    assert_eq!(status, 200);
    assert!(empty.is_empty());
    assert_eq!(
        header(&headers, "content-length"),
        Some(body.len().to_string().as_str())
    );
    let tag = header(&got, "etag").expect("an entity tag");
    let (status, _, body) = server.request("GET", "/", &format!("If-None-Match: {tag}\r\n"));
    assert_eq!(status, 304);
    assert!(body.is_empty());
    let (status, _, _) = server.request("GET", "/", "If-None-Match: \"other\"\r\n");
    assert_eq!(status, 200);
    let (status, _, _) = server.request("POST", "/", "Content-Length: 0\r\n");
    assert_eq!(status, 405);
}

#[test]
fn a_missing_page_is_the_sites_404_page_with_status_404() {
    let server = Server::start(&fixtures().join("valid"));
    let html = html_page(&server, "/no/such/page/", 404);
    let title = html
        .select(&scraper::Selector::parse("title").unwrap())
        .next()
        .map(|t| t.text().collect::<String>())
        .unwrap_or_default();
    assert!(title.contains("Page not found"), "{title}");
    let (status, headers, _) = server.request("GET", "/case-studies", "");
    assert_eq!(status, 301);
    assert_eq!(header(&headers, "location"), Some("/case-studies/"));
}

#[test]
fn no_request_climbs_out_of_the_site() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixtures().join("valid"), &dir.path().join("site"));
    // A file beside the site, which a server reading the disk by path could give away.
    std::fs::write(dir.path().join("secret.txt"), "the secret").unwrap();
    let server = Server::start(&dir.path().join("site"));
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/a%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "//secret.txt",
        "/case-studies//../../secret.txt",
        "/index.html%00.txt",
        "/site.yaml",
        "/content/_index.md",
        "http://127.0.0.1/../secret.txt",
        "/etc/passwd",
    ] {
        let (status, _, body) = server.request("GET", target, "");
        assert!(matches!(status, 400 | 404), "{target}: {status}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("the secret") && !body.contains("root:"),
            "{target}"
        );
    }
    // A NUL byte in the request line itself.
    let (status, _, _) = server.raw(b"GET /a\0b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(matches!(status, 400 | 404), "{status}");
}

#[test]
fn a_port_in_use_says_how_to_choose_another() {
    let server = Server::start(&fixtures().join("valid"));
    let out = Command::new(env!("CARGO_BIN_EXE_ntg"))
        .args(["serve", "--port", &server.port.to_string(), "--root"])
        .arg(fixtures().join("valid"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already in use") && err.contains("--port"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn sigint_and_sigterm_stop_it_with_status_0_within_a_second() {
    for signal in ["-INT", "-TERM"] {
        let mut server = Server::start(&fixtures().join("valid"));
        let pid = server.child.id().to_string();
        assert!(
            Command::new("kill")
                .args([signal, &pid])
                .status()
                .unwrap()
                .success()
        );
        let sent = std::time::Instant::now();
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                sent.elapsed() < std::time::Duration::from_secs(1),
                "still running a second after {signal}"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        assert_eq!(status.code(), Some(0), "{signal}");
    }
}

/// A tab's event stream: each state the server sends, parsed, as it comes.
struct Events(mpsc::Receiver<serde_json::Value>);

impl Events {
    fn connect(server: &Server) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .write_all(b"GET /__ntg/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if let Some(data) = line.strip_prefix("data: ") {
                    let state = serde_json::from_str(data).expect("each state is JSON");
                    if tx.send(state).is_err() {
                        break;
                    }
                }
            }
        });
        Events(rx)
    }

    /// The next state the server sends.
    fn next(&self) -> serde_json::Value {
        self.0.recv_timeout(WAIT).expect("a state in time")
    }
}

/// The addresses a state says changed.
fn changed(state: &serde_json::Value) -> Vec<&str> {
    state["changed"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default()
}

/// A page's text as served, without the live-reload script serving adds.
fn served_text(server: &Server, target: &str) -> String {
    let (status, _, body) = server.request("GET", target, "");
    assert_eq!(status, 200, "{target}");
    without_live_script(&String::from_utf8(body).unwrap())
}

/// `html` without the one `<script src="/__ntg/live.js" ...></script>` serving adds.
fn without_live_script(html: &str) -> String {
    let start = html
        .find("<script src=\"/__ntg/live.js\"")
        .expect("served pages carry the live script");
    let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &html[..start], &html[end..])
}

/// The titles of the documents a listing page links to.
fn listed(server: &Server, target: &str) -> Vec<String> {
    let html = scraper::Html::parse_document(&served_text(server, target));
    html.select(&scraper::Selector::parse("main a").unwrap())
        .map(|a| a.text().collect::<String>().trim().to_string())
        .collect()
}

const LEEDS: &str = "content/case-studies/leeds-family-reading.md";

/// Replaces `from` with `to` in the site's file `rel`, written in place.
fn edit(site: &std::path::Path, rel: &str, from: &str, to: &str) {
    let path = site.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} holds {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn saves_rebuild_every_page_they_touch_exactly_as_a_build_would() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_tree(&fixtures().join("valid"), &site);
    let server = Server::start(&site);
    let events = Events::connect(&server);
    let first = events.next();
    assert!(first["changed"].is_null(), "{first}");
    assert_eq!(first["diagnostics"], serde_json::json!([]));

    // A body edit, written in place.
    edit(&site, LEEDS, "A weekly club", "A fortnightly club");
    let state = events.next();
    assert_ne!(state["build"], first["build"]);
    assert!(
        changed(&state).contains(&"/case-studies/leeds-family-reading/"),
        "{state}"
    );
    assert!(served_text(&server, "/case-studies/leeds-family-reading/").contains("fortnightly"));

    // A tag edit, written beside the file and renamed over it, as vim and VS Code save.
    let text = std::fs::read_to_string(site.join(LEEDS)).unwrap();
    let beside = site.join("content/case-studies/.leeds-family-reading.md.tmp");
    std::fs::write(
        &beside,
        text.replace(
            "themes: [engaging-parents]",
            "themes: [leadership-and-governance]",
        ),
    )
    .unwrap();
    std::fs::rename(&beside, site.join(LEEDS)).unwrap();
    let state = events.next();
    for page in [
        "/case-studies/leeds-family-reading/",
        "/themes/engaging-parents/",
        "/themes/leadership-and-governance/",
    ] {
        assert!(changed(&state).contains(&page), "{page} in {state}");
    }
    let title = "Leeds: family reading club";
    assert!(listed(&server, "/themes/leadership-and-governance/").contains(&title.to_string()));
    assert!(!listed(&server, "/themes/engaging-parents/").contains(&title.to_string()));

    // A new file in a new sub-folder.
    std::fs::create_dir_all(site.join("content/case-studies/2026")).unwrap();
    std::fs::write(
        site.join("content/case-studies/2026/wigan-reading-buddies.md"),
        text.replace(title, "Wigan: reading buddies")
            .replace(
                "local_authorities: [Leeds]",
                "local_authorities: [Birmingham]",
            )
            .replace("](../", "](../../"),
    )
    .unwrap();
    let state = events.next();
    assert!(
        changed(&state).contains(&"/case-studies/wigan-reading-buddies/"),
        "{state}"
    );
    assert!(listed(&server, "/case-studies/").contains(&"Wigan: reading buddies".to_string()));
    assert!(
        listed(&server, "/themes/engaging-parents/")
            .contains(&"Wigan: reading buddies".to_string())
    );

    // Deleted and made again, as some editors save: the page is back as it was.
    let before = served_text(&server, "/case-studies/leeds-family-reading/");
    let bytes = std::fs::read(site.join(LEEDS)).unwrap();
    std::fs::remove_file(site.join(LEEDS)).unwrap();
    std::fs::write(site.join(LEEDS), &bytes).unwrap();
    // An editor's swap file is no change at all: the state after it is the next save's.
    std::fs::write(site.join("content/case-studies/.wigan.md.swp"), "swap").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    edit(&site, LEEDS, "fortnightly", "monthly");
    let mut state = events.next();
    // The delete may have been seen on its own before the file came back.
    while !changed(&state).contains(&"/case-studies/leeds-family-reading/")
        || !served_text(&server, "/case-studies/leeds-family-reading/").contains("monthly")
    {
        state = events.next();
    }
    assert_eq!(
        served_text(&server, "/case-studies/leeds-family-reading/"),
        before.replace("fortnightly", "monthly")
    );

    // After every save, what is served is what `ntg build` writes from the same files.
    let out = dir.path().join("out");
    let base = format!("http://127.0.0.1:{}/", server.port);
    let built = Command::new(env!("CARGO_BIN_EXE_ntg"))
        .args(["build", "--no-cache", "--base-url", &base, "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", common::stderr(&built));
    let (mut compared, mut pages) = (0, 0);
    for (rel, bytes) in common::snapshot(&out) {
        if rel == ".ntg-output" {
            continue;
        }
        let address = match rel.strip_suffix("index.html") {
            Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
            _ => format!("/{rel}"),
        };
        let (status, _, served) = server.request("GET", &address, "");
        assert_eq!(status, 200, "{address}");
        if rel.ends_with(".html") {
            assert_eq!(
                without_live_script(&String::from_utf8(served).unwrap()),
                String::from_utf8(bytes).unwrap(),
                "{address}"
            );
        } else {
            assert!(served == bytes, "{address} differs from the build's");
        }
        compared += 1;
        pages += usize::from(rel.ends_with(".html"));
    }
    assert!(compared > 50, "{compared}");
    // The terminal said what each rebuild did.
    let printed = server.stdout.text();
    let rebuilt = printed
        .lines()
        .rfind(|l| l.starts_with("built in ") && l.contains(" changed, "))
        .unwrap_or_else(|| panic!("no rebuild printed: {printed}"));
    assert!(
        rebuilt.ends_with(&format!(" changed, {pages} in all")),
        "{printed}"
    );
    assert!(
        server.stderr.text().is_empty(),
        "no diagnostics: {}",
        server.stderr.text()
    );
}

#[test]
fn a_broken_save_keeps_the_last_good_site_and_says_where_until_it_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_tree(&fixtures().join("valid"), &site);
    let server = Server::start(&site);
    let events = Events::connect(&server);
    let first = events.next();
    let good = served_text(&server, "/case-studies/leeds-family-reading/");

    edit(
        &site,
        LEEDS,
        "outcomes: [enjoying-and-achieving]",
        "outcomes: [enjoying-and-acheiving]",
    );
    let state = events.next();
    assert_eq!(state["build"], first["build"], "nothing new is served");
    let diagnostics = state["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{state}");
    let d = &diagnostics[0];
    assert_eq!(d["file"], LEEDS);
    assert_eq!(d["line"], 8);
    assert_eq!(d["code"], "unknown-outcome");
    assert_eq!(d["severity"], "error");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("enjoying-and-achieving"),
        "{d}"
    );
    // The last good page is still served, and the terminal says the same as the tab.
    assert_eq!(
        served_text(&server, "/case-studies/leeds-family-reading/"),
        good
    );
    let col = d["column"].as_u64().unwrap();
    let printed = server
        .stderr
        .wait_for(|l| l.starts_with(&format!("{LEEDS}:8:{col}: error: ")));
    assert!(
        printed.contains(d["message"].as_str().unwrap()),
        "{printed}"
    );
    server
        .stderr
        .wait_for(|l| l.contains("the last good build is still served"));

    // A tab that connects now is told of the errors too.
    let late = Events::connect(&server).next();
    assert_eq!(late["diagnostics"], state["diagnostics"]);

    // The save that fixes it clears them.
    edit(
        &site,
        LEEDS,
        "outcomes: [enjoying-and-acheiving]",
        "outcomes: [enjoying-and-achieving]",
    );
    let state = events.next();
    assert_eq!(state["diagnostics"], serde_json::json!([]));
    assert_eq!(
        served_text(&server, "/case-studies/leeds-family-reading/"),
        good
    );
}

#[test]
fn a_site_that_does_not_build_at_first_is_served_once_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    common::copy_tree(&fixtures().join("valid"), &site);
    edit(&site, LEEDS, "evidence_level: 2", "evidence_level: 9");
    let server = Server::start(&site);
    let events = Events::connect(&server);
    let first = events.next();
    assert_eq!(first["diagnostics"][0]["file"], LEEDS, "{first}");
    let (status, _, body) = server.request("GET", "/", "");
    assert_eq!(status, 404);
    assert!(String::from_utf8(body).unwrap().contains("/__ntg/live.js"));
    edit(&site, LEEDS, "evidence_level: 9", "evidence_level: 2");
    let state = events.next();
    assert_eq!(state["diagnostics"], serde_json::json!([]));
    assert!(changed(&state).contains(&"/"), "{state}");
    assert!(served_text(&server, "/").contains("<html"));
}

#[test]
fn the_live_script_is_served_and_obeys_the_pages_policy() {
    let server = Server::start(&fixtures().join("valid"));
    let (status, headers, body) = server.request("GET", "/__ntg/live.js", "");
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(String::from_utf8(body).unwrap().contains("EventSource"));
    let (status, _, _) = server.request("GET", "/__ntg/live.css", "");
    assert_eq!(status, 200);
    // A page loads the script from a file, under a policy that allows no inline script.
    let html = html_page(&server, "/", 200);
    let policy = html
        .select(&scraper::Selector::parse("meta[http-equiv=Content-Security-Policy]").unwrap())
        .next()
        .and_then(|m| m.value().attr("content"))
        .unwrap()
        .to_string();
    assert!(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"));
    let scripts: Vec<_> = html
        .select(&scraper::Selector::parse("script").unwrap())
        .collect();
    assert!(
        scripts
            .iter()
            .all(|s| s.text().collect::<String>().trim().is_empty())
    );
    assert!(
        scripts
            .iter()
            .any(|s| s.value().attr("src") == Some("/__ntg/live.js"))
    );
}
