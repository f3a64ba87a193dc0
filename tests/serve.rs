//! `ntg serve` end to end: the real binary serving a fixture site on a free port, asked over
//! plain TCP as a browser or an attacker would ask it.

mod common;

use common::fixtures;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// A running `ntg serve --port 0`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(site: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ntg"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ntg serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("serving http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address printed: {line:?}"));
        Server { child, port }
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
