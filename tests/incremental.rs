//! Incremental builds equal clean ones, end to end with the real binary. A site is edited
//! step by step (the edits of issue 11: body, tags, a rename, a deletion, an addition, gap
//! data, templates, static files, `site.yaml`, the taxonomies, nothing); after each step it
//! is built in place, keeping `.ntg-cache/`, and a fresh copy of its input files is built
//! with `--no-cache`: the two outputs must be the same files with the same bytes, and
//! `ntg search` must give the same hits, in the same order, with the same scores.
//!
//! A failed build must leave the output and the cache as they were, and a cache that is
//! truncated, overwritten with garbage or written by another version must never be trusted:
//! the next build is still equal to a clean one, and nothing panics.

mod common;

use common::{copy_tree, fixtures, gen_corpus, snapshot, snapshot_difference, stderr};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Every file below a folder as (relative path, bytes), sorted: what `common::snapshot` takes.
type Snapshot = Vec<(String, Vec<u8>)>;

/// The folder a build keeps for the next one, in the site root.
const CACHE: &str = ".ntg-cache";

/// One change to a site's input files, by path relative to the site root.
#[derive(Debug, Clone)]
enum Edit {
    /// Creates or replaces a file.
    Write { path: String, text: String },
    /// Replaces the one occurrence of `from` in a file with `to`.
    Replace {
        path: String,
        from: String,
        to: String,
    },
    /// Moves a file.
    Rename { from: String, to: String },
    /// Deletes a file.
    Remove { path: String },
}

impl Edit {
    fn apply(&self, site: &Path) {
        match self {
            Edit::Write { path, text } => {
                let path = site.join(path);
                std::fs::create_dir_all(path.parent().expect("a file's folder")).unwrap();
                std::fs::write(path, text).unwrap();
            }
            Edit::Replace { path, from, to } => {
                let file = site.join(path);
                let text = std::fs::read_to_string(&file)
                    .unwrap_or_else(|e| panic!("{path} cannot be edited: {e}"));
                // An edit that matched nothing would leave a step that tests nothing.
                assert_eq!(
                    text.matches(from.as_str()).count(),
                    1,
                    "{path} must hold {from:?} exactly once"
                );
                std::fs::write(file, text.replacen(from.as_str(), to, 1)).unwrap();
            }
            Edit::Rename { from, to } => std::fs::rename(site.join(from), site.join(to))
                .unwrap_or_else(|e| panic!("{from} cannot be renamed: {e}")),
            Edit::Remove { path } => std::fs::remove_file(site.join(path))
                .unwrap_or_else(|e| panic!("{path} cannot be removed: {e}")),
        }
    }
}

/// What a step's incremental output must show besides equality with the clean build, so
/// that a step whose edit changed nothing (or the wrong thing) fails instead of passing.
#[derive(Debug, Clone)]
enum Expect {
    /// The output file differs from the previous build's.
    Changed(String),
    /// The output file was in the previous build and is not in this one.
    Gone(String),
    /// The output file was not in the previous build and is in this one.
    New(String),
    /// Some other page of the previous build linked to a URL holding this text, and no page
    /// of this build does.
    Unlinked(String),
    /// The HTML page's text (as scraper parses it) holds this.
    Text(String, String),
    /// The whole output is the previous build's, byte for byte.
    Unchanged,
}

impl Expect {
    fn check(&self, step: &str, before: &Snapshot, after: &Snapshot) {
        let file = |snap: &Snapshot, rel: &str| -> Option<Vec<u8>> {
            snap.iter().find(|(p, _)| p == rel).map(|(_, b)| b.clone())
        };
        match self {
            Expect::Changed(rel) => {
                let (old, new) = (file(before, rel), file(after, rel));
                assert!(
                    old.is_some() && new.is_some() && old != new,
                    "{step}: {rel} must be in both builds and change (before: {}, after: {})",
                    old.is_some(),
                    new.is_some()
                );
            }
            Expect::Gone(rel) => assert!(
                file(before, rel).is_some() && file(after, rel).is_none(),
                "{step}: {rel} must disappear from the output"
            ),
            Expect::New(rel) => assert!(
                file(before, rel).is_none() && file(after, rel).is_some(),
                "{step}: {rel} must appear in the output"
            ),
            Expect::Unlinked(url) => {
                assert!(
                    !linking(before, url).is_empty(),
                    "{step}: no page of the previous build linked to {url}, so its removal shows nothing"
                );
                let still = linking(after, url);
                assert!(
                    still.is_empty(),
                    "{step}: pages still link to {url}: {still:?}"
                );
            }
            Expect::Text(rel, needle) => {
                let bytes = file(after, rel).unwrap_or_else(|| panic!("{step}: no {rel}"));
                let html = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
                let text: String = html.root_element().text().collect();
                assert!(
                    text.contains(needle.as_str()),
                    "{step}: {rel} lacks {needle:?}"
                );
            }
            Expect::Unchanged => {
                if let Some(d) = snapshot_difference("before", before, "after", after) {
                    panic!("{step}: the output changed:\n{d}");
                }
            }
        }
    }
}

/// The HTML files of `snap` with a link whose target holds `url`, other than the page at
/// that URL itself.
fn linking(snap: &Snapshot, url: &str) -> Vec<String> {
    let a = scraper::Selector::parse("a[href]").unwrap();
    let own = format!("{}index.html", url.trim_start_matches('/'));
    snap.iter()
        .filter(|(p, _)| p.ends_with(".html") && *p != own)
        .filter(|(_, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            // Parsing every page of the corpus twice a step is slow in a debug build; a
            // page without the text anywhere cannot link to it.
            if !text.contains(url) {
                return false;
            }
            let html = scraper::Html::parse_document(&text);
            html.select(&a)
                .any(|e| e.value().attr("href").is_some_and(|h| h.contains(url)))
        })
        .map(|(p, _)| p.clone())
        .collect()
}

/// One edit of the site, built and compared as a whole.
#[derive(Debug, Clone)]
struct Step {
    name: String,
    edits: Vec<Edit>,
    expect: Vec<Expect>,
}

impl Step {
    fn new(name: &str, edits: Vec<Edit>, expect: Vec<Expect>) -> Step {
        Step {
            name: name.to_string(),
            edits,
            expect,
        }
    }
}

/// A published case study the edits change, and where its page is.
#[derive(Debug, Clone)]
struct Doc {
    /// Its file, relative to the site root.
    path: String,
    /// Its file stem, which is its slug: documents with a `slug:` key are never chosen.
    slug: String,
    /// Its text before any edit.
    text: String,
}

impl Doc {
    fn url(&self) -> String {
        format!("/case-studies/{}/", self.slug)
    }

    fn page(&self) -> String {
        format!("case-studies/{}/index.html", self.slug)
    }

    /// Its path with the file stem `stem`, in the same folder.
    fn sibling(&self, stem: &str) -> String {
        match self.path.rsplit_once('/') {
            Some((folder, _)) => format!("{folder}/{stem}.md"),
            None => format!("{stem}.md"),
        }
    }
}

/// Which column of which gap file an indicator of the site reads: the gap edit changes a
/// value there.
struct Gap {
    file: &'static str,
    column: &'static str,
    indicator: &'static str,
}

/// A site to edit: its files, its gap data and the queries compared after each build.
struct SiteKind {
    /// Lays the site's files out in an empty folder.
    lay_out: fn(&Path),
    gap: Gap,
    queries: [&'static str; 3],
}

/// The word the body edit adds, which one query looks for.
const ADDED_WORD: &str = "kaleidoscope";

/// tests/fixtures/with-data over the valid fixture: every kind of page and gap data.
fn fixture() -> SiteKind {
    SiteKind {
        lay_out: |site| {
            copy_tree(&fixtures().join("valid"), site);
            copy_tree(&fixtures().join("with-data"), site);
        },
        gap: Gap {
            file: "data/gaps/ks4.csv",
            column: "value",
            indicator: "ks4-looked-after",
        },
        queries: ["reading", "young carers", ADDED_WORD],
    }
}

/// The benchmark corpus of 300 documents, generated once for the whole file.
fn corpus() -> SiteKind {
    SiteKind {
        lay_out: |site| copy_tree(corpus_source(), site),
        gap: Gap {
            file: "data/gaps/ks2-cla.csv",
            column: "pct_l4_eng_maths",
            indicator: "ks2-english-maths-cla",
        },
        queries: ["children in care", "parents", ADDED_WORD],
    }
}

fn corpus_source() -> &'static Path {
    static CORPUS: OnceLock<PathBuf> = OnceLock::new();
    CORPUS.get_or_init(|| {
        // Below the target folder, made afresh once per run, so the tests that share it
        // never see another run's corpus and nothing accumulates in /tmp.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("incremental-corpus-300");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        gen_corpus(300, &dir);
        dir
    })
}

/// The kinds of edit issue 11 names, each one or more steps.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Body,
    Tag,
    Rename,
    Delete,
    Add,
    Gap,
    Template,
    Static,
    Title,
    BaseUrl,
    Taxonomy,
    NoOp,
}

impl Kind {
    const ALL: [Kind; 12] = [
        Kind::Body,
        Kind::Tag,
        Kind::Rename,
        Kind::Delete,
        Kind::Add,
        Kind::Gap,
        Kind::Template,
        Kind::Static,
        Kind::Title,
        Kind::BaseUrl,
        Kind::Taxonomy,
        Kind::NoOp,
    ];
}

/// The files of one site that the edits change, chosen from what the site holds so that
/// one set of edits serves both the fixture and the corpus.
struct Targets {
    /// The case study whose body and tags change.
    edited: Doc,
    /// Case studies no other file names, so moving or deleting them breaks no link.
    renamed: Doc,
    deleted: Doc,
    /// The change of one gap value, and the indicator whose open data shows it.
    gap: Edit,
    gap_indicator: String,
    /// `site.yaml` and `data/taxonomies.yaml` before any edit, whose lines the edits replace.
    site_yaml: String,
    taxonomies: String,
}

impl Targets {
    fn discover(site: &Path, gap: &Gap) -> Targets {
        let docs = published_case_studies(site);
        let all_text: Vec<(String, String)> = walkdir::WalkDir::new(site.join("content"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    rel(site, e.path()),
                    std::fs::read_to_string(e.path()).unwrap(),
                )
            })
            .collect();
        let mut unnamed = docs.iter().filter(|d| {
            all_text
                .iter()
                .all(|(p, text)| *p == d.path || !text.contains(&d.slug))
        });
        let renamed = unnamed.next().expect("a case study nothing names").clone();
        let deleted = unnamed
            .next()
            .expect("two case studies nothing names")
            .clone();
        let edited = docs
            .iter()
            .find(|d| d.path != renamed.path && d.path != deleted.path)
            .expect("a third case study")
            .clone();
        let read = |rel: &str| std::fs::read_to_string(site.join(rel)).unwrap();
        Targets {
            edited,
            renamed,
            deleted,
            gap: gap_edit(site, gap),
            gap_indicator: gap.indicator.to_string(),
            site_yaml: read("site.yaml"),
            taxonomies: read("data/taxonomies.yaml"),
        }
    }

    fn steps(&self, kind: Kind) -> Vec<Step> {
        let edited = &self.edited;
        let page = edited.page();
        match kind {
            Kind::Body => {
                let line = body_line(&edited.text);
                vec![Step::new(
                    "a body edit",
                    vec![replace(
                        &edited.path,
                        line,
                        &format!("{line} A {ADDED_WORD} of volunteers joined them."),
                    )],
                    vec![Expect::Text(page, ADDED_WORD.to_string())],
                )]
            }
            Kind::Tag => {
                let swap = |key: &str, one: &str, other: &str| {
                    let line = line_starting(&edited.text, &format!("{key}:"));
                    let new = if line == format!("{key}: [{one}]") {
                        other
                    } else {
                        one
                    };
                    replace(&edited.path, line, &format!("{key}: [{new}]"))
                };
                vec![Step::new(
                    "a tag edit (theme and outcome)",
                    vec![
                        swap("themes", "leadership-and-governance", "engaging-parents"),
                        swap("outcomes", "staying-safe", "enjoying-and-achieving"),
                    ],
                    vec![Expect::Changed(page)],
                )]
            }
            Kind::Rename => {
                let to = self
                    .renamed
                    .sibling(&format!("{}-renamed", self.renamed.slug));
                vec![Step::new(
                    "a renamed file",
                    vec![Edit::Rename {
                        from: self.renamed.path.clone(),
                        to,
                    }],
                    vec![
                        Expect::Gone(self.renamed.page()),
                        Expect::New(format!(
                            "case-studies/{}-renamed/index.html",
                            self.renamed.slug
                        )),
                        Expect::Unlinked(self.renamed.url()),
                    ],
                )]
            }
            Kind::Delete => vec![Step::new(
                "a deleted file",
                vec![Edit::Remove {
                    path: self.deleted.path.clone(),
                }],
                vec![
                    Expect::Gone(self.deleted.page()),
                    Expect::Unlinked(self.deleted.url()),
                ],
            )],
            Kind::Add => {
                let title = line_starting(&edited.text, "title:");
                vec![Step::new(
                    "an added file",
                    vec![Edit::Write {
                        path: edited.sibling("added-by-the-tests"),
                        text: edited.text.replacen(
                            title,
                            "title: \"Added by the incremental tests\"",
                            1,
                        ),
                    }],
                    vec![Expect::New(
                        "case-studies/added-by-the-tests/index.html".to_string(),
                    )],
                )]
            }
            Kind::Gap => vec![Step::new(
                "a changed gap CSV value",
                vec![self.gap.clone()],
                vec![Expect::Changed(format!(
                    "data/indicators/{}.csv",
                    self.gap_indicator
                ))],
            )],
            Kind::Template => {
                let theme = |rel: &str| {
                    std::fs::read_to_string(
                        Path::new(env!("CARGO_MANIFEST_DIR"))
                            .join("themes/default/templates")
                            .join(rel),
                    )
                    .unwrap()
                };
                let caption = "<p class=\"caption\">{{ doc.type_label }}</p>";
                let template = theme("case-study.html");
                assert!(
                    template.contains(caption),
                    "the theme's case-study.html changed"
                );
                let label = "<dt>{{ label }}</dt>";
                let partial = theme("partials/tags.html");
                assert!(
                    partial.contains(label),
                    "the theme's partials/tags.html changed"
                );
                let text = |needle: &str| vec![Expect::Text(page.clone(), needle.to_string())];
                vec![
                    Step::new(
                        "a theme template copied into templates/ and edited",
                        vec![Edit::Write {
                            path: "templates/case-study.html".to_string(),
                            text: template.replacen(
                                caption,
                                "<p class=\"caption\">{{ doc.type_label }}: first override</p>",
                                1,
                            ),
                        }],
                        text("first override"),
                    ),
                    Step::new(
                        "the template override edited again",
                        vec![replace(
                            "templates/case-study.html",
                            "first override",
                            "second override",
                        )],
                        text("second override"),
                    ),
                    Step::new(
                        "the template override removed",
                        vec![Edit::Remove {
                            path: "templates/case-study.html".to_string(),
                        }],
                        vec![Expect::Changed(page.clone())],
                    ),
                    Step::new(
                        "a partial the pages include overridden",
                        vec![Edit::Write {
                            path: "templates/partials/tags.html".to_string(),
                            text: partial.replacen(label, "<dt>{{ label }} (overridden)</dt>", 1),
                        }],
                        text("(overridden)"),
                    ),
                    Step::new(
                        "the partial override removed",
                        vec![Edit::Remove {
                            path: "templates/partials/tags.html".to_string(),
                        }],
                        vec![Expect::Changed(page.clone())],
                    ),
                ]
            }
            Kind::Static => {
                let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" fill=\"#1d70b8\"/></svg>\n";
                let favicon = "static/favicon.svg";
                let note = "static/files/note.txt";
                vec![
                    Step::new(
                        "static files added, one over the theme's",
                        vec![
                            Edit::Write {
                                path: favicon.to_string(),
                                text: svg.to_string(),
                            },
                            Edit::Write {
                                path: note.to_string(),
                                text: "A note.\n".to_string(),
                            },
                        ],
                        vec![
                            Expect::Changed("favicon.svg".to_string()),
                            Expect::New("files/note.txt".to_string()),
                        ],
                    ),
                    Step::new(
                        "a static file edited",
                        vec![replace(favicon, "#1d70b8", "#00703c")],
                        vec![Expect::Changed("favicon.svg".to_string())],
                    ),
                    Step::new(
                        "static files removed",
                        vec![
                            Edit::Remove {
                                path: favicon.to_string(),
                            },
                            Edit::Remove {
                                path: note.to_string(),
                            },
                        ],
                        vec![
                            Expect::Changed("favicon.svg".to_string()),
                            Expect::Gone("files/note.txt".to_string()),
                        ],
                    ),
                ]
            }
            Kind::Title => vec![Step::new(
                "site.yaml: the title",
                vec![replace(
                    "site.yaml",
                    line_starting(&self.site_yaml, "title:"),
                    "title: \"An edited title\"",
                )],
                vec![Expect::Text(
                    "index.html".to_string(),
                    "An edited title".to_string(),
                )],
            )],
            Kind::BaseUrl => vec![Step::new(
                "site.yaml: the base URL",
                vec![replace(
                    "site.yaml",
                    line_starting(&self.site_yaml, "base_url:"),
                    "base_url: \"https://example.net/moved/\"",
                )],
                vec![
                    Expect::Changed("sitemap.xml".to_string()),
                    Expect::Changed(page),
                ],
            )],
            Kind::Taxonomy => vec![Step::new(
                "data/taxonomies.yaml: a theme's description",
                vec![replace(
                    "data/taxonomies.yaml",
                    line_starting(&self.taxonomies, "    description:"),
                    "    description: \"An edited description of the first theme.\"",
                )],
                vec![Expect::Text(
                    "themes/index.html".to_string(),
                    "An edited description of the first theme.".to_string(),
                )],
            )],
            Kind::NoOp => vec![Step::new(
                "a rebuild with no edit",
                vec![],
                vec![Expect::Unchanged],
            )],
        }
    }
}

fn replace(path: &str, from: &str, to: &str) -> Edit {
    Edit::Replace {
        path: path.to_string(),
        from: from.to_string(),
        to: to.to_string(),
    }
}

/// The first line of `text` that starts with `prefix`.
fn line_starting<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}"))
}

/// The first line of prose after a document's front matter: one that starts with a letter,
/// so not a heading, quote, list, table or fence.
fn body_line(text: &str) -> &str {
    text.lines()
        .skip(1)
        .skip_while(|l| *l != "---")
        .skip(1)
        .find(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .expect("a paragraph in the body")
}

/// Published case studies with no `slug:` key, sorted by path (a section's `_index.md`
/// introduces the section and is no case study).
fn published_case_studies(site: &Path) -> Vec<Doc> {
    let mut docs: Vec<Doc> = walkdir::WalkDir::new(site.join("content/case-studies"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| {
            e.file_type().is_file()
                && e.path().extension().is_some_and(|x| x == "md")
                && e.file_name() != "_index.md"
        })
        .map(|e| Doc {
            path: rel(site, e.path()),
            slug: e.path().file_stem().unwrap().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(e.path()).unwrap(),
        })
        .filter(|d| {
            let front = d.text.split("\n---").next().unwrap_or("");
            !front
                .lines()
                .any(|l| l == "draft: true" || l.starts_with("slug:"))
        })
        .collect();
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    docs
}

/// The gap edit: the first number in `gap.column` of `gap.file`, raised by 1.5.
fn gap_edit(site: &Path, gap: &Gap) -> Edit {
    let text = std::fs::read_to_string(site.join(gap.file)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header
        .iter()
        .position(|c| *c == gap.column)
        .unwrap_or_else(|| panic!("{} has no column {}", gap.file, gap.column));
    let line = lines
        .find(|l| {
            // The generator quotes no field, so a plain split finds the columns.
            l.split(',')
                .nth(column)
                .is_some_and(|v| v.parse::<f64>().is_ok())
        })
        .unwrap_or_else(|| panic!("{} has no number in {}", gap.file, gap.column));
    let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
    let value: f64 = fields[column].parse().unwrap();
    fields[column] = format!("{:.1}", value + 1.5);
    replace(gap.file, line, &fields.join(","))
}

/// `path` relative to `root`, with forward slashes.
fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// Runs `ntg` with `args` and the environment variables `env`.
fn ntg_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ntg"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("ntg runs")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// `ntg build` of `site` into `out`, which must succeed without a panic.
fn build_ok(what: &str, site: &Path, out: &Path, extra: &[&str], env: &[(&str, &str)]) {
    let mut args = vec!["build", "--root", path_str(site), "--output", path_str(out)];
    args.extend_from_slice(extra);
    let o = ntg_env(&args, env);
    let err = stderr(&o);
    assert!(
        o.status.success() && !err.contains("panicked"),
        "{what}: the build failed ({:?}):\n{err}",
        o.status.code()
    );
}

/// `ntg search --format json` for each query, on the site `site` built into `out`.
fn searches(site: &Path, out: &Path, queries: &[&str]) -> Vec<Value> {
    queries
        .iter()
        .map(|q| {
            let o = ntg_env(
                &[
                    "search",
                    "--root",
                    path_str(site),
                    "--output",
                    path_str(out),
                    "--format",
                    "json",
                    "--limit",
                    "100",
                    q,
                ],
                &[],
            );
            assert!(o.status.success(), "search {q:?} failed:\n{}", stderr(&o));
            serde_json::from_slice(&o.stdout).expect("search prints JSON")
        })
        .collect()
}

/// What a clean build of one state of the inputs gave: its files and its search hits.
struct Clean {
    files: Snapshot,
    hits: Vec<Value>,
}

/// A site folder that is edited and built in place with its cache, and checked against
/// clean builds of copies of its inputs.
struct Harness {
    dir: tempfile::TempDir,
    site: PathBuf,
    out: PathBuf,
    queries: [&'static str; 3],
    /// The output of the last build, which step expectations compare with.
    last: Snapshot,
    /// How many clean builds have been made, to give each a fresh folder.
    cleans: usize,
}

impl Harness {
    /// The site laid out and built once with the cache.
    fn new(kind: &SiteKind) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        (kind.lay_out)(&site);
        let out = dir.path().join("out");
        let mut h = Harness {
            dir,
            site,
            out,
            queries: kind.queries,
            last: Vec::new(),
            cleans: 0,
        };
        h.build("the first build");
        h
    }

    /// Builds the site in place, keeping and reusing its cache.
    fn build(&mut self, what: &str) {
        self.build_env(what, &[]);
    }

    fn build_env(&mut self, what: &str, env: &[(&str, &str)]) {
        build_ok(what, &self.site, &self.out, &[], env);
        self.last = snapshot(&self.out);
    }

    /// A clean build of a fresh copy of the site's input files (not its cache).
    fn clean(&mut self) -> Clean {
        self.cleans += 1;
        let root = self.dir.path().join(format!("clean-{}", self.cleans));
        let site = root.join("site");
        for entry in walkdir::WalkDir::new(&self.site)
            .into_iter()
            .filter_entry(|e| e.path() != self.site.join(CACHE))
        {
            let entry = entry.unwrap();
            let target = site.join(entry.path().strip_prefix(&self.site).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        let out = root.join("out");
        build_ok("the clean build", &site, &out, &["--no-cache"], &[]);
        let clean = Clean {
            files: snapshot(&out),
            hits: searches(&site, &out, &self.queries),
        };
        std::fs::remove_dir_all(root).unwrap();
        clean
    }

    /// The last build's output and search hits are the clean build's.
    fn assert_matches(&self, what: &str, clean: &Clean) {
        if let Some(d) = snapshot_difference("incremental", &self.last, "clean", &clean.files) {
            panic!("{what}: the incremental build differs from the clean one:\n{d}");
        }
        let hits = searches(&self.site, &self.out, &self.queries);
        for ((q, mine), theirs) in self.queries.iter().zip(&hits).zip(&clean.hits) {
            assert_eq!(
                mine, theirs,
                "{what}: `ntg search {q:?}` differs (incremental, then clean)"
            );
        }
    }

    /// Applies a step's edits, builds with the cache, checks its expectations and compares
    /// it with a clean build.
    fn step(&mut self, step: &Step) {
        for edit in &step.edits {
            edit.apply(&self.site);
        }
        let before = std::mem::take(&mut self.last);
        self.build(&step.name);
        for e in &step.expect {
            e.check(&step.name, &before, &self.last);
        }
        let clean = self.clean();
        self.assert_matches(&step.name, &clean);
    }

    /// Copies the site (with its cache) and the output aside, for [`Harness::restore`].
    fn save(&self) -> PathBuf {
        let saved = self.dir.path().join("saved");
        copy_tree(&self.site, &saved.join("site"));
        copy_tree(&self.out, &saved.join("out"));
        saved
    }

    /// Puts the site, its cache and the output back as [`Harness::save`] found them, at the
    /// same paths.
    fn restore(&mut self, saved: &Path) {
        std::fs::remove_dir_all(&self.site).unwrap();
        std::fs::remove_dir_all(&self.out).unwrap();
        copy_tree(&saved.join("site"), &self.site);
        copy_tree(&saved.join("out"), &self.out);
        self.last = snapshot(&self.out);
    }

    /// The files of the cache a corruption test spoils: all but locks, which hold no data.
    fn cache_files(&self) -> Vec<String> {
        let cache = self.site.join(CACHE);
        let mut files: Vec<String> = walkdir::WalkDir::new(&cache)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .filter(|e| {
                let name = e.file_name().to_string_lossy();
                name != "lock" && !name.ends_with(".lock")
            })
            .map(|e| rel(&cache, e.path()))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "a build left nothing in {CACHE}/");
        files
    }
}

/// Runs the steps of `kinds` on a fresh copy of the site, in order.
fn run(kind: &SiteKind, kinds: &[Kind]) {
    let mut h = Harness::new(kind);
    let targets = Targets::discover(&h.site, &kind.gap);
    for k in kinds {
        for step in targets.steps(*k) {
            h.step(&step);
        }
    }
}

#[test]
fn a_body_edit() {
    run(&fixture(), &[Kind::Body]);
}

#[test]
fn a_tag_edit() {
    run(&fixture(), &[Kind::Tag]);
}

#[test]
fn a_renamed_file() {
    run(&fixture(), &[Kind::Rename]);
}

#[test]
fn a_deleted_file() {
    run(&fixture(), &[Kind::Delete]);
}

#[test]
fn an_added_file() {
    run(&fixture(), &[Kind::Add]);
}

#[test]
fn a_changed_gap_csv() {
    run(&fixture(), &[Kind::Gap]);
}

#[test]
fn an_edited_template() {
    run(&fixture(), &[Kind::Template]);
}

#[test]
fn an_edited_static_file() {
    run(&fixture(), &[Kind::Static]);
}

#[test]
fn an_edited_title() {
    run(&fixture(), &[Kind::Title]);
}

#[test]
fn an_edited_base_url() {
    run(&fixture(), &[Kind::BaseUrl]);
}

#[test]
fn an_edited_taxonomy_description() {
    run(&fixture(), &[Kind::Taxonomy]);
}

#[test]
fn a_no_op_rebuild() {
    run(&fixture(), &[Kind::NoOp]);
}

#[test]
fn every_edit_in_sequence() {
    run(&fixture(), &Kind::ALL);
}

/// The longest test of the file: its name sorts first so that it starts first.
#[test]
fn a_300_document_corpus_through_every_edit_in_sequence() {
    run(&corpus(), &Kind::ALL);
}

/// The comparison can fail: an output a build left stale (here by not running after an
/// edit) is reported, naming the files that differ and showing the first differing line.
#[test]
fn a_stale_output_is_reported_with_its_first_difference() {
    let kind = fixture();
    let mut h = Harness::new(&kind);
    let targets = Targets::discover(&h.site, &kind.gap);
    for edit in &targets.steps(Kind::Body)[0].edits {
        edit.apply(&h.site);
    }
    let clean = h.clean();
    let failure = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        h.assert_matches("stale", &clean)
    }))
    .expect_err("a stale output must not pass");
    let message = failure.downcast_ref::<String>().expect("a message");
    assert!(
        message.contains(&targets.edited.page()) && message.contains(ADDED_WORD),
        "{message}"
    );
}

/// A build that fails leaves the output and every file of the cache as they were, and
/// once the document is fixed the build equals a clean one.
fn failed_build_changes_nothing(kind: &SiteKind) {
    let mut h = Harness::new(kind);
    let targets = Targets::discover(&h.site, &kind.gap);
    let doc = &targets.edited;
    let out_before = snapshot(&h.out);
    let cache_before = snapshot(&h.site.join(CACHE));
    let themes = line_starting(&doc.text, "themes:");
    replace(&doc.path, themes, "themes: [no-such-theme]").apply(&h.site);
    let o = ntg_env(
        &[
            "build",
            "--root",
            path_str(&h.site),
            "--output",
            path_str(&h.out),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no-such-theme"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    if let Some(d) = snapshot_difference("before", &out_before, "after", &snapshot(&h.out)) {
        panic!("the failed build changed the output:\n{d}");
    }
    let cache_after = snapshot(&h.site.join(CACHE));
    if let Some(d) = snapshot_difference("before", &cache_before, "after", &cache_after) {
        panic!("the failed build changed the cache:\n{d}");
    }
    let fixed = Step::new(
        "the document fixed",
        vec![replace(
            &doc.path,
            "themes: [no-such-theme]",
            "themes: [leadership-and-governance, engaging-parents]",
        )],
        vec![Expect::Changed(doc.page())],
    );
    h.step(&fixed);
}

#[test]
fn a_failed_build_leaves_output_and_cache_as_they_were() {
    failed_build_changes_nothing(&fixture());
}

#[test]
fn a_failed_build_leaves_output_and_cache_as_they_were_on_the_corpus() {
    failed_build_changes_nothing(&corpus());
}

/// How a corruption test spoils the cache a good build left.
#[derive(Debug, Clone, Copy)]
enum Spoil {
    /// Each file in turn cut to half its length.
    Truncate,
    /// Each file in turn overwritten with as many bytes of noise.
    Garbage,
    /// The whole cache written by another version, then each file in turn replaced by
    /// that version's file of the same name.
    OtherVersion,
}

/// After a good build the cache is spoiled (see [`Spoil`]), one way per round, each round
/// from the same saved site; then a body is edited and the site built: it must succeed,
/// not panic, and equal a clean build.
fn corrupt_cache_is_never_trusted(spoil: Spoil) {
    let kind = fixture();
    let mut h = Harness::new(&kind);
    let targets = Targets::discover(&h.site, &kind.gap);
    let saved = h.save();
    let body = targets.steps(Kind::Body).remove(0);
    // Every round builds the same edit of the same inputs, so one clean build serves all.
    for edit in &body.edits {
        edit.apply(&h.site);
    }
    let clean = h.clean();
    h.restore(&saved);
    let files = h.cache_files();
    let round = |h: &mut Harness, what: &str, spoil_it: &dyn Fn(&mut Harness)| {
        h.restore(&saved);
        spoil_it(h);
        for edit in &body.edits {
            edit.apply(&h.site);
        }
        h.build(what);
        h.assert_matches(what, &clean);
    };
    let other = [("NTG_TEST_VERSION", "0.0.0-other")];
    let mut rounds = 0;
    match spoil {
        Spoil::Truncate | Spoil::Garbage => {
            for (i, file) in files.iter().enumerate() {
                let path = h.site.join(CACHE).join(file);
                let bytes = std::fs::read(saved.join("site").join(CACHE).join(file)).unwrap();
                if bytes.is_empty() {
                    continue; // nothing to cut or overwrite
                }
                let spoilt = match spoil {
                    Spoil::Truncate => bytes[..bytes.len() / 2].to_vec(),
                    _ => noise(bytes.len(), i as u64),
                };
                round(&mut h, &format!("{file}: {spoil:?}"), &|_| {
                    std::fs::write(&path, &spoilt).unwrap()
                });
                rounds += 1;
            }
        }
        Spoil::OtherVersion => {
            round(&mut h, "the cache of another version", &|h| {
                h.build_env("a build as another version", &other)
            });
            rounds += 1;
            h.restore(&saved);
            h.build_env("a build as another version", &other);
            let foreign = snapshot(&h.site.join(CACHE));
            for file in &files {
                let Some((_, theirs)) = foreign.iter().find(|(p, _)| p == file) else {
                    continue;
                };
                let path = h.site.join(CACHE).join(file);
                if std::fs::read(saved.join("site").join(CACHE).join(file)).unwrap() == *theirs {
                    continue; // the same bytes under either version: nothing to mix
                }
                round(&mut h, &format!("{file} from another version"), &|_| {
                    std::fs::write(&path, theirs).unwrap()
                });
                rounds += 1;
            }
        }
    }
    assert!(rounds > 0, "no round spoiled anything in {CACHE}/");
}

/// `len` bytes of deterministic noise (xorshift), different for each `seed`.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn a_truncated_cache_is_not_trusted() {
    corrupt_cache_is_never_trusted(Spoil::Truncate);
}

#[test]
fn a_cache_of_garbage_is_not_trusted() {
    corrupt_cache_is_never_trusted(Spoil::Garbage);
}

#[test]
fn a_cache_of_another_version_is_not_trusted() {
    corrupt_cache_is_never_trusted(Spoil::OtherVersion);
}
