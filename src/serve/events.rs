//! Server-Sent Events to the open tabs: each tab's live-reload script holds one stream
//! (`/__ntg/events`) and is sent the server's state whenever it changes, and once as it
//! connects, so a tab that reconnects after a restart or a missed event catches up.

use crate::Diagnostic;
use serde::Serialize;
use std::io::Write;
use std::sync::Mutex;

/// What the server serves now, as every tab is told it.
#[derive(Debug, Clone, Serialize)]
pub struct State {
    /// The served build: new whenever what is served changes, and unique to this run of the
    /// server, so a tab can tell a build it has not shown.
    pub build: String,
    /// The addresses of the pages that changed since the state before (`/`, `/themes/x/`),
    /// or `None` when unknown (a tab that just connected) or too many to list: a tab reloads
    /// when its own address is among them, and asks when they are not listed.
    pub changed: Option<Vec<String>>,
    /// Only stylesheets changed: tabs swap them rather than reload.
    pub css: bool,
    /// Why the last rebuild failed, if it did; the last good build is still served.
    pub diagnostics: Vec<Diagnostic>,
}

/// The connected tabs, and the state each new one is sent.
pub struct Hub {
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
    now: Mutex<State>,
}

impl Hub {
    /// No tab yet; `state` is what the first is told.
    pub fn new(state: State) -> Hub {
        Hub {
            clients: Mutex::default(),
            now: Mutex::new(state),
        }
    }

    /// Takes over a request for events on its raw connection: sends the stream's head and
    /// the present state, and keeps the connection for the states to come.
    pub fn join(&self, mut client: Box<dyn Write + Send>) {
        let mut state = lock(&self.now).clone();
        state.changed = None;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                    Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n\r\n";
        let sent = client
            .write_all(head.as_bytes())
            .and_then(|()| client.write_all(frame(&state).as_bytes()))
            .and_then(|()| client.flush());
        if sent.is_ok() {
            lock(&self.clients).push(client);
        }
    }

    /// Makes `state` the present one and sends it to every tab; a tab that has gone is
    /// forgotten.
    pub fn publish(&self, state: State) {
        let text = frame(&state);
        *lock(&self.now) = state;
        lock(&self.clients).retain_mut(|c| {
            c.write_all(text.as_bytes())
                .and_then(|()| c.flush())
                .is_ok()
        });
    }

    /// How many tabs are connected.
    pub fn tabs(&self) -> usize {
        lock(&self.clients).len()
    }
}

/// One event: a reconnect delay for the browser, and the state as JSON on one line.
fn frame(state: &State) -> String {
    let json = serde_json::to_string(state).unwrap_or_else(|_| "{}".into());
    format!("retry: 500\nevent: state\ndata: {json}\n\n")
}

/// A lock, whether or not a thread that held it panicked (what it guards stays whole).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A client connection that keeps what it is sent.
    #[derive(Clone, Default)]
    struct Tab(Arc<Mutex<Vec<u8>>>);

    impl Write for Tab {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            lock(&self.0).extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A connection that has gone.
    struct Gone;

    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn state(build: &str, changed: Option<Vec<String>>) -> State {
        State {
            build: build.into(),
            changed,
            css: false,
            diagnostics: vec![],
        }
    }

    #[test]
    fn a_tab_is_told_the_present_state_then_each_new_one() {
        let hub = Hub::new(state("a-1", Some(vec!["/".into()])));
        let tab = Tab::default();
        hub.join(Box::new(tab.clone()));
        hub.join(Box::new(Gone));
        assert_eq!(hub.tabs(), 1);
        hub.publish(state("a-2", Some(vec!["/x/".into()])));
        let text = String::from_utf8(lock(&tab.0).clone()).unwrap();
        let events: Vec<serde_json::Value> = text
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .map(|d| serde_json::from_str(d).unwrap())
            .collect();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"));
        assert_eq!(events[0]["build"], "a-1");
        assert!(
            events[0]["changed"].is_null(),
            "a new tab is not told what changed"
        );
        assert_eq!(events[1]["build"], "a-2");
        assert_eq!(events[1]["changed"][0], "/x/");
    }
}
