//! Output safety end to end with the real binary: a refused `--output` touches nothing, a
//! build killed at any moment leaves a whole old or new site with the search index that
//! answers for it, the next build tidies up after it, and a full disk or a read-only output
//! is one clear error with the old site intact.
//!
//! "Whole" means byte for byte what a clean build of the same content writes (builds are
//! deterministic), and "the index that answers for it" means `ntg search` gives what it gives
//! on a clean build of that content. The kill and write-failure hooks exist in debug builds
//! only (`src/output/hooks.rs`); under `cargo test --release` the tests that need them print
//! a note and check nothing.

mod common;

use common::{copy_tree, fixtures, snapshot, stderr, stdout};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Instant;

/// Queries whose answers tell the old site from the new one.
const QUERIES: [&str; 3] = ["zanzibar", "reading", "carers"];

fn ntg_cmd(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ntg"));
    // A test hook aborts the process: any core file lands in the temporary folder.
    c.current_dir(cwd).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    ntg_cmd(cwd, args, env).output().expect("ntg runs")
}

/// Whether this binary has the test hooks (a debug build), with a note when it has not.
fn hooks(test: &str) -> bool {
    if !cfg!(debug_assertions) {
        eprintln!("note: {test} needs the test hooks of a debug build; not checked");
    }
    cfg!(debug_assertions)
}

/// Whether the process was killed rather than exiting.
fn killed(o: &Output) -> bool {
    o.status.code().is_none()
}

/// The last build's answers to `QUERIES`, as JSON text.
fn answers(root: &Path, out: Option<&Path>) -> Vec<String> {
    QUERIES
        .iter()
        .map(|q| {
            let o = search(root, out, &["--format", "json", q]);
            assert!(o.status.success(), "ntg search {q}: {}", stderr(&o));
            let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
            v.to_string()
        })
        .collect()
}

/// Runs `ntg search` with `query` (flags and words) on the site at `root`, asking for the
/// index of the site in `out` when given.
fn search(root: &Path, out: Option<&Path>, query: &[&str]) -> Output {
    let mut args = vec!["search", "--root", root.to_str().unwrap()];
    if let Some(out) = out {
        args.extend(["--output", out.to_str().unwrap()]);
    }
    args.extend(query);
    run(root, &args, &[])
}

/// Adds the document that makes the new site differ from the old.
fn add_new_document(root: &Path) {
    std::fs::write(
        root.join("content/hypotheses/zanzibar.md"),
        "---\ntitle: \"Zanzibar reading circles\"\nsummary: A hypothesis only the new site has.\nthemes: [engaging-parents]\ngroups: [young-carers]\noutcomes: [staying-safe]\nstatus: testing\n---\n\nZanzibar circles help young carers read.\n",
    )
    .unwrap();
}

fn remove_new_document(root: &Path) {
    std::fs::remove_file(root.join("content/hypotheses/zanzibar.md")).unwrap();
}

/// A clean build of one content: every file it writes and what search answers.
struct Reference {
    files: Vec<(String, Vec<u8>)>,
    answers: Vec<String>,
}

/// Clean builds of the old content (the valid fixture) and the new (with one more document).
fn references() -> &'static (Reference, Reference) {
    static REFS: OnceLock<(Reference, Reference)> = OnceLock::new();
    REFS.get_or_init(|| {
        let make = |new: bool| {
            let tmp = tempfile::tempdir().unwrap();
            let root = tmp.path().join("site");
            copy_tree(&fixtures().join("valid"), &root);
            if new {
                add_new_document(&root);
            }
            let o = run(
                tmp.path(),
                &["build", "--root", root.to_str().unwrap()],
                &[],
            );
            assert!(o.status.success(), "{}", stderr(&o));
            Reference {
                files: snapshot(&root.join("public")),
                answers: answers(&root, None),
            }
        };
        (make(false), make(true))
    })
}

#[derive(Debug, PartialEq, Clone, Copy)]
enum Site {
    Old,
    New,
}

/// A temporary folder holding a copy of the valid site at `site/`, built once (the old site).
struct World {
    tmp: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("valid"), &tmp.path().join("site"));
        let w = World { tmp };
        let o = w.build(&[]);
        assert!(o.status.success(), "{}", stderr(&o));
        w
    }

    fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    fn args(&self, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = vec!["build".into(), "--root".into()];
        args.push(self.root().to_str().unwrap().into());
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }

    fn build(&self, extra: &[&str]) -> Output {
        self.build_with(extra, &[])
    }

    fn build_with(&self, extra: &[&str], env: &[(&str, &str)]) -> Output {
        let args = self.args(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(self.tmp.path(), &args, env)
    }

    /// Which whole site `public/` holds; fails unless it is exactly one of them and search
    /// answers for that one.
    fn site(&self) -> Site {
        let (old, new) = references();
        let files = snapshot(&self.public());
        let which = if files == old.files {
            Site::Old
        } else if files == new.files {
            Site::New
        } else {
            let names = |f: &[(String, Vec<u8>)]| -> Vec<String> {
                f.iter().map(|(p, _)| p.clone()).collect()
            };
            panic!(
                "public/ is neither whole site: {:?}\nold: {:?}",
                names(&files),
                names(&old.files)
            );
        };
        let expected = if which == Site::Old { old } else { new };
        assert_eq!(
            answers(&self.root(), None),
            expected.answers,
            "ntg search does not answer for the {which:?} site that public/ holds"
        );
        which
    }

    /// Builds once more without hooks and checks that nothing is left but the site, its
    /// inputs, the spare tree a build keeps beside its output, and one index: the one the
    /// output's marker names.
    fn rebuild_and_check_tidy(&self, expect: Site) {
        let o = self.build(&[]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(self.site(), expect);
        assert_eq!(
            names(&self.root()),
            [
                ".ntg-cache",
                ".public.ntg-spare",
                "content",
                "data",
                "public",
                "site.yaml"
            ]
        );
        assert_eq!(
            names(&self.root().join(".ntg-cache")),
            ["build", "search-index"]
        );
        // The build cache holds only its shards, with no killed commit's temporary beside
        // them.
        let shards = names(&self.root().join(".ntg-cache/build"));
        assert!(!shards.is_empty());
        for name in &shards {
            let shard = name.strip_suffix(".bin").and_then(|n| n.rsplit_once('-'));
            assert!(
                shard.is_some_and(|(kind, digit)| !kind.is_empty()
                    && digit.len() == 1
                    && digit.chars().all(|c| c.is_ascii_hexdigit())),
                "{name} is not a shard of the build cache"
            );
        }
        let marker = std::fs::read_to_string(self.public().join(".ntg-output")).unwrap();
        let id = marker
            .lines()
            .find_map(|l| l.strip_prefix("search-index "))
            .unwrap();
        assert_eq!(
            names(&self.root().join(".ntg-cache/search-index")),
            [".lock", id]
        );
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// One entry of a tree, as much as a change to it could alter.
#[derive(Debug, PartialEq)]
enum Entry {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Every entry below `dir` (itself included), symlinks not followed.
fn tree(dir: &Path) -> BTreeMap<String, Entry> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let entry = if e.path_is_symlink() {
                Entry::Link(std::fs::read_link(e.path()).unwrap())
            } else if e.file_type().is_dir() {
                Entry::Dir
            } else {
                Entry::File(std::fs::read(e.path()).unwrap())
            };
            (rel, entry)
        })
        .collect()
}

/// The report of a refused build whose output was given as `out`.
fn refusal(out: &str, message: &str, help: &str) -> String {
    format!(
        "{out}: error: {message}\n  help: {help}\n1 error\nbuild refused; nothing was written\n"
    )
}

const ELSEWHERE: &str = "write the site into a folder of its own, such as `public` (the default)";

#[test]
fn an_output_that_would_destroy_the_site_or_foreign_files_is_refused_and_nothing_changes() {
    let w = World::new();
    let tmp = w.tmp.path().canonicalize().unwrap();
    let site = tmp.join("site");
    std::fs::write(tmp.join("beside.txt"), "a file next to the site").unwrap();
    std::fs::create_dir(tmp.join("foreign")).unwrap();
    std::fs::write(tmp.join("foreign/notes.txt"), "someone's notes").unwrap();
    std::fs::create_dir_all(tmp.join("elsewhere/content/case-studies")).unwrap();
    std::fs::write(tmp.join("elsewhere/content/case-studies/x.md"), "kept").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&site, tmp.join("link-to-site")).unwrap();
        // A second site whose content folder is a link into `elsewhere`.
        std::fs::create_dir(tmp.join("linked")).unwrap();
        std::fs::copy(site.join("site.yaml"), tmp.join("linked/site.yaml")).unwrap();
        std::os::unix::fs::symlink(tmp.join("elsewhere/content"), tmp.join("linked/content"))
            .unwrap();
    }
    let before = tree(&tmp);
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let inside = |input: &str| {
        format!("the output is inside the site's `{input}` folder, which the build reads")
    };
    let mut cases: Vec<(Vec<String>, String)> = vec![
        (
            vec![s(&site)],
            refusal(
                &s(&site),
                "the output is the site's own folder: building would replace every file of the site",
                ELSEWHERE,
            ),
        ),
        (
            vec![s(&tmp)],
            refusal(
                &s(&tmp),
                &format!(
                    "the output holds the site ({}): building would replace the site and everything beside it",
                    site.display()
                ),
                ELSEWHERE,
            ),
        ),
        (
            vec!["/".into()],
            refusal(
                "/",
                &format!(
                    "the output holds the site ({}): building would replace the site and everything beside it",
                    site.display()
                ),
                ELSEWHERE,
            ),
        ),
        (
            vec![s(&site.join("site.yaml"))],
            refusal(
                &s(&site.join("site.yaml")),
                "the output is a file, not a folder",
                "choose a folder: a new one, or one an earlier build wrote",
            ),
        ),
        (
            vec![s(&tmp.join("beside.txt"))],
            refusal(
                &s(&tmp.join("beside.txt")),
                "the output is a file, not a folder",
                "choose a folder: a new one, or one an earlier build wrote",
            ),
        ),
        (
            vec![s(&tmp.join("foreign"))],
            refusal(
                &s(&tmp.join("foreign")),
                "the output is a folder that ntg did not write (it has no `.ntg-output` file): building would delete everything in it",
                "choose a new or empty folder, or run again with --force to replace this folder and all it holds",
            ),
        ),
        // Relative, through `..`, into a folder that does not exist yet.
        (
            vec!["site/public/../content/new".into()],
            refusal("site/public/../content/new", &inside("content"), ELSEWHERE),
        ),
    ];
    for input in [
        "content",
        "data",
        "themes",
        "templates",
        "static",
        ".ntg-cache",
    ] {
        let out = s(&site.join(input).join("out"));
        cases.push((vec![out.clone()], refusal(&out, &inside(input), ELSEWHERE)));
        // --force overrides the foreign-folder refusal only.
        cases.push((
            vec![out.clone(), "--force".into()],
            refusal(&out, &inside(input), ELSEWHERE),
        ));
    }
    #[cfg(unix)]
    {
        let link = s(&tmp.join("link-to-site"));
        cases.push((
            vec![link.clone()],
            refusal(
                &link,
                "the output is the site's own folder: building would replace every file of the site",
                ELSEWHERE,
            ),
        ));
        let through = s(&tmp.join("link-to-site/content"));
        cases.push((
            vec![through.clone()],
            refusal(&through, &inside("content"), ELSEWHERE),
        ));
    }
    for (args, expected) in cases {
        let mut full = vec!["build", "--root", "site", "--output"];
        full.extend(args.iter().map(String::as_str));
        let o = run(&tmp, &full, &[]);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), expected, "{args:?}");
        assert!(
            tree(&tmp) == before,
            "{args:?} changed files in or around the site"
        );
    }
    // A site whose input folder is a link: an output holding the link's target is refused.
    #[cfg(unix)]
    {
        let out = s(&tmp.join("elsewhere"));
        let o = run(&tmp, &["build", "--root", "linked", "--output", &out], &[]);
        assert_eq!(
            stderr(&o),
            refusal(
                &out,
                "the output holds the site's `content` folder, which the build reads",
                ELSEWHERE
            )
        );
        assert!(
            tree(&tmp) == before,
            "a build around a linked input changed files"
        );
    }
}

#[test]
fn force_replaces_a_foreign_folder_and_marks_it_as_ntg_s() {
    let w = World::new();
    let foreign = w.tmp.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "someone's notes").unwrap();
    let out = foreign.to_str().unwrap();
    let o = w.build(&["--output", out, "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(&foreign), references().0.files);
    assert_eq!(answers(&w.root(), Some(&foreign)), references().0.answers);
    // Now ntg's, it is rebuilt without --force; an empty folder needs none either.
    let o = w.build(&["--output", out]);
    assert!(o.status.success(), "{}", stderr(&o));
    let empty = w.tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = w.build(&["--output", empty.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(snapshot(&empty), references().0.files);
}

#[cfg(unix)]
#[test]
fn an_output_given_as_a_symlink_stays_a_link_to_the_new_site() {
    let w = World::new();
    let real = w.tmp.path().join("real");
    let link = w.tmp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    // The link's target does not exist yet: a dangling link is refused, not replaced.
    let o = w.build(&["--output", link.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        refusal(
            link.to_str().unwrap(),
            &format!(
                "the output goes through the symbolic link {}, which points at nothing",
                link.display()
            ),
            "create the folder the link points to, or remove the link"
        )
    );
    std::fs::create_dir(&real).unwrap();
    for _ in 0..2 {
        let o = w.build(&["--output", link.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(std::fs::read_link(&link).unwrap(), real);
        assert_eq!(snapshot(&real), references().0.files);
    }
    // The spare goes beside the real folder, which the link names.
    assert_eq!(
        names(w.tmp.path()),
        [".real.ntg-spare", "link", "real", "site"]
    );
}

#[test]
fn a_build_killed_at_each_step_leaves_a_whole_site_with_its_index_and_the_next_build_tidies_up() {
    if !hooks("the kill test") {
        return;
    }
    let steps = [
        ("write-1", Site::Old),
        ("write-30", Site::Old),
        ("staged", Site::Old),
        ("index-placed", Site::Old),
        ("exchanged", Site::New),
        ("old-removed", Site::New),
    ];
    // Where the exchange exists the fallback's step is never reached: the swap is one step.
    if cfg!(any(target_os = "linux", target_vendor = "apple")) {
        let w = World::new();
        add_new_document(&w.root());
        let o = w.build_with(&[], &[("NTG_TEST_KILL_AT", "moved-aside")]);
        assert!(o.status.success(), "the fallback swap ran: {}", stderr(&o));
        assert_eq!(w.site(), Site::New);
    }
    for (step, expect) in steps {
        let w = World::new();
        add_new_document(&w.root());
        let o = w.build_with(&[], &[("NTG_TEST_KILL_AT", step)]);
        assert!(killed(&o), "{step}: not killed: {}", stderr(&o));
        assert_eq!(w.site(), expect, "killed at {step}");
        w.rebuild_and_check_tidy(Site::New);
    }
}

#[test]
fn a_build_killed_at_random_moments_leaves_a_whole_site_with_its_index() {
    let w = World::new();
    let started = Instant::now();
    let o = w.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let took = started.elapsed();
    let args = w.args(&[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // Moments spread over a whole build, shifted by the clock's nanoseconds.
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    const KILLS: u32 = 8;
    for i in 0..KILLS {
        // Old and new content alternate, so a kill can land between any two builds.
        if i % 2 == 0 {
            add_new_document(&w.root());
        } else {
            remove_new_document(&w.root());
        }
        let shift = f64::from((jitter >> i) % 1000) / 1000.0;
        let at = took.mul_f64((f64::from(i) + shift) / f64::from(KILLS));
        let mut child = ntg_cmd(w.tmp.path(), &args, &[])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill();
        child.wait().unwrap();
        let site = w.site();
        eprintln!("kill {i} after {at:?}: public/ holds the {site:?} site");
    }
    // The last kill ran on the old content.
    w.rebuild_and_check_tidy(Site::Old);
}

#[test]
fn two_builds_at_once_both_succeed_and_leave_one_whole_site() {
    let w = World::new();
    add_new_document(&w.root());
    let args = w.args(&[]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let children: Vec<_> = (0..2)
        .map(|_| ntg_cmd(w.tmp.path(), &args, &[]).spawn().unwrap())
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(w.site(), Site::New);
    w.rebuild_and_check_tidy(Site::New);
}

#[test]
fn leftovers_of_ended_builds_go_and_those_of_running_builds_and_other_names_stay() {
    let w = World::new();
    let root = w.root();
    let index = root.join(".ntg-cache/search-index");
    let mut ended = Command::new("true").spawn().unwrap();
    let dead = ended.id();
    ended.wait().unwrap();
    // This test's own process is running: what is named after it belongs to a live build.
    let live = std::process::id();
    let gone = [
        root.join(format!(".public.ntg-new-{dead}")),
        root.join(format!(".public.ntg-old-{dead}")),
        index.join(format!("staging-{dead}")),
        index.join("0123456789ab"),
        root.join(format!(".ntg-cache/search-index.new-{dead}")),
        root.join(format!(".ntg-cache/search-index.old-{dead}")),
    ];
    let kept = [
        root.join(format!(".public.ntg-new-{live}")),
        index.join(format!("staging-{live}")),
        root.join(format!(".ntg-cache/search-index.new-{live}")),
        root.join(".public.backup"),
        index.join("notes"),
    ];
    for dir in gone.iter().chain(&kept) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("file"), "x").unwrap();
    }
    // An index as builds before named folders by id left it: its files in the folder itself.
    let unnamed = [index.join("meta.json"), index.join("0f1e.term")];
    for file in &unnamed {
        std::fs::write(file, "{}").unwrap();
    }
    let o = w.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for dir in gone.iter().chain(&unnamed) {
        assert!(!dir.exists(), "{} was left", dir.display());
    }
    assert!(index.join(".lock").is_file());
    for dir in &kept {
        assert!(dir.join("file").is_file(), "{} was removed", dir.display());
    }
    assert_eq!(w.site(), Site::Old);
}

#[test]
fn a_build_killed_while_deleting_an_unneeded_index_leaves_no_part_of_it_under_its_id() {
    if !hooks("the index deletion test") {
        return;
    }
    let w = World::new();
    add_new_document(&w.root());
    let other = w.tmp.path().join("other");
    let out = other.to_str().unwrap();
    let o = w.build(&["--output", out]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Building public/ first drops other's index: killed in the middle of deleting it ...
    let o = w.build_with(&[], &[("NTG_TEST_KILL_AT", "index-doomed")]);
    assert!(killed(&o), "{}", stderr(&o));
    assert_eq!(w.site(), Site::Old);
    // ... its id names nothing, so the next build of other/ writes it whole again.
    let o = w.build(&["--output", out]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(answers(&w.root(), Some(&other)), references().1.answers);
    w.rebuild_and_check_tidy(Site::New);
}

#[test]
fn without_the_exchange_the_fallback_swap_works_and_the_next_build_repairs_a_kill_inside_it() {
    if !hooks("the fallback test") {
        return;
    }
    let w = World::new();
    add_new_document(&w.root());
    let no_exchange = ("NTG_TEST_NO_EXCHANGE", "1");
    let o = w.build_with(&[], &[no_exchange]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(w.site(), Site::New);
    // The fallback's one gap: killed between its two renames, there is no public/ ...
    remove_new_document(&w.root());
    let o = w.build_with(&[], &[no_exchange, ("NTG_TEST_KILL_AT", "moved-aside")]);
    assert!(killed(&o), "{}", stderr(&o));
    assert!(!w.public().exists());
    // ... until the next build, which puts the site moved aside back even when it fails.
    std::fs::write(
        w.root().join("content/pages/broken.md"),
        "no front matter\n",
    )
    .unwrap();
    let o = w.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).ends_with(&format!(
            "build failed; {} left as it was\n",
            w.public().display()
        )),
        "{}",
        stderr(&o)
    );
    assert_eq!(w.site(), Site::New);
    std::fs::remove_file(w.root().join("content/pages/broken.md")).unwrap();
    w.rebuild_and_check_tidy(Site::Old);
}

/// Checks a failed write's report: exactly one error, on the output, with the fix's clue,
/// then what became of the output.
fn assert_one_write_error(o: &Output, out: &Path, cause: &str, left: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    let text = stderr(o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.iter().filter(|l| l.contains("error:")).count(),
        1,
        "{text}"
    );
    assert_eq!(
        lines[0],
        format!("{}: error: cannot write the site: {cause}", out.display()),
        "{text}"
    );
    assert_eq!(lines.last().copied(), Some(left), "{text}");
}

#[test]
fn a_failing_write_stops_the_build_with_one_error_and_the_old_site_stays() {
    if !hooks("the injected write error test") {
        return;
    }
    let w = World::new();
    add_new_document(&w.root());
    let o = w.build_with(&[], &[("NTG_TEST_FAIL_WRITE_AFTER", "5")]);
    let public = w.public();
    assert_one_write_error(
        &o,
        &public,
        "No space left on device (os error 28)",
        &format!("build failed; {} left as it was", public.display()),
    );
    assert!(
        stderr(&o).contains("  help: writing stopped at `"),
        "{}",
        stderr(&o)
    );
    assert_eq!(w.site(), Site::Old);
    assert_eq!(
        names(&w.root()),
        [".ntg-cache", "content", "data", "public", "site.yaml"]
    );
    // Into a new folder: nothing is created.
    let fresh = w.tmp.path().join("fresh");
    let o = w.build_with(
        &["--output", fresh.to_str().unwrap()],
        &[("NTG_TEST_FAIL_WRITE_AFTER", "0")],
    );
    assert_one_write_error(
        &o,
        &fresh,
        "No space left on device (os error 28)",
        &format!("build failed; {} was not created", fresh.display()),
    );
    assert!(!fresh.exists());
    assert_eq!(names(w.tmp.path()), ["site"]);
}

/// A tmpfs mounted for a test, unmounted when dropped; `None`, with a note, where mounting is
/// not permitted (not root, or a container without the right).
#[cfg(target_os = "linux")]
struct Mount(PathBuf);

#[cfg(target_os = "linux")]
impl Mount {
    fn tmpfs(dir: &Path, options: &str, test: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap();
        let o = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir)
            .output();
        match o {
            Ok(o) if o.status.success() => Some(Mount(dir.to_path_buf())),
            _ => {
                eprintln!("note: {test}: cannot mount a tmpfs here (needs root); skipped");
                None
            }
        }
    }

    fn remount(&self, options: &str) {
        let o = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }

    /// Bytes in use on the mount.
    fn used(&self) -> u64 {
        let s = rustix::fs::statvfs(&self.0).unwrap();
        (s.f_blocks - s.f_bfree) * s.f_frsize
    }
}

#[cfg(target_os = "linux")]
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_error_and_the_old_site_stays() {
    let w = World::new();
    let Some(disk) = Mount::tmpfs(&w.tmp.path().join("disk"), "size=4m", "the full-disk test")
    else {
        return;
    };
    let out = disk.0.join("public");
    let o = w.build(&["--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Room for the old site and a little more, not for a second copy beside it.
    disk.remount(&format!("size={}", disk.used() + 64 * 1024));
    add_new_document(&w.root());
    let o = w.build(&["--output", out.to_str().unwrap()]);
    assert_one_write_error(
        &o,
        &out,
        "No space left on device (os error 28)",
        &format!("build failed; {} left as it was", out.display()),
    );
    assert_eq!(snapshot(&out), references().0.files);
    assert_eq!(names(&disk.0), ["public"]);
    assert_eq!(answers(&w.root(), Some(&out)), references().0.answers);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_holding_the_site_its_output_and_its_indexes_is_one_error_too() {
    let tmp = tempfile::tempdir().unwrap();
    let test = "the full-disk test of a whole site";
    let Some(disk) = Mount::tmpfs(&tmp.path().join("disk"), "size=4m", test) else {
        return;
    };
    let root = disk.0.join("site");
    copy_tree(&fixtures().join("valid"), &root);
    let r = root.to_str().unwrap();
    let o = run(tmp.path(), &["build", "--root", r], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    disk.remount(&format!("size={}", disk.used() + 64 * 1024));
    add_new_document(&root);
    let o = run(tmp.path(), &["build", "--root", r], &[]);
    let public = root.join("public");
    assert_one_write_error(
        &o,
        &public,
        "No space left on device (os error 28)",
        &format!("build failed; {} left as it was", public.display()),
    );
    assert_eq!(snapshot(&public), references().0.files);
    assert_eq!(answers(&root, None), references().0.answers);
}

#[cfg(unix)]
#[test]
fn a_read_only_output_is_one_error_and_the_old_site_stays() {
    use std::os::unix::fs::PermissionsExt;
    let w = World::new();
    let parent = w.tmp.path().join("ro");
    std::fs::create_dir(&parent).unwrap();
    let out = parent.join("public");
    let o = w.build(&["--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    add_new_document(&w.root());
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes through permissions: then the folder is made a read-only mount instead.
    let probe = parent.join("probe");
    let (cause, _mount) = if std::fs::write(&probe, "").is_err() {
        ("Permission denied (os error 13)", None)
    } else {
        std::fs::remove_file(&probe).unwrap();
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
        #[cfg(target_os = "linux")]
        {
            let test = "the read-only output test";
            let Some(m) = Mount::tmpfs(&parent, "size=4m", test) else {
                return;
            };
            // The old site, on the mount, before it turns read-only.
            remove_new_document(&w.root());
            let o = w.build(&["--output", out.to_str().unwrap()]);
            assert!(o.status.success(), "{}", stderr(&o));
            m.remount("ro");
            add_new_document(&w.root());
            ("Read-only file system (os error 30)", Some(m))
        }
        #[cfg(not(target_os = "linux"))]
        {
            eprintln!("note: the read-only output test: running as root, skipped");
            return;
        }
    };
    let before = snapshot(&out);
    assert_eq!(before, references().0.files);
    let o = w.build(&["--output", out.to_str().unwrap()]);
    let _ = std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755));
    assert_one_write_error(
        &o,
        &out,
        cause,
        &format!("build failed; {} left as it was", out.display()),
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(answers(&w.root(), Some(&out)), references().0.answers);
}

#[test]
fn search_answers_for_the_output_it_is_given() {
    let w = World::new();
    add_new_document(&w.root());
    let other = w.tmp.path().join("other");
    let o = w.build(&["--output", other.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (old, new) = references();
    assert_eq!(answers(&w.root(), Some(&other)), new.answers);
    // public/ still holds the old site, and its index is kept.
    assert_eq!(w.site(), Site::Old);
    // The cache keeps public/'s index and the last build's: a third output drops other's.
    let third = w.tmp.path().join("third");
    let o = w.build(&["--output", third.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(answers(&w.root(), Some(&third)), new.answers);
    assert_eq!(answers(&w.root(), None), old.answers);
    remove_new_document(&w.root());
    let o = w.build(&["--output", third.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let root = w.root();
    let o = search(&root, Some(&other), &["zanzibar"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(&format!(
            "error: no search index for the site in {}",
            other.display()
        )),
        "{}",
        stderr(&o)
    );
    let missing = w.tmp.path().join("missing");
    let o = search(&root, Some(&missing), &["zanzibar"]);
    assert_eq!(
        stderr(&o),
        format!(
            "error: no site at {}: run `ntg build` first\n",
            missing.display()
        )
    );
}
