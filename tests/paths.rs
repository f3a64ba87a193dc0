//! Nothing escapes the output folder, and reports stay readable: local-authority codes that
//! would climb out of it, DfE's code forms that make no page, skipped symlinks as warnings,
//! and a bad file of many rows reported in a few lines.

mod common;

use common::{build_into, check_json, copy_tree, fixtures, ntg, site_in, snapshot, stderr, stdout};
use std::path::Path;
use std::time::Instant;

const LAS: &str = "code,name,region\n\
    E08000035,Leeds,Yorkshire and The Humber\n\
    E08000025,Birmingham,West Midlands\n\
    E06000048,Northumberland,North East\n\
    E06000057,Northumberland,North East\n\
    E09000012,Hackney,London\n";

fn is_gss(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9 && b"EWSN".contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit)
}

#[test]
fn a_code_that_climbs_out_writes_nothing_anywhere() {
    let tmp = tempfile::tempdir().unwrap();
    // Deep enough that both codes, climbing from `local-authorities/` in the output (or its
    // staging folder beside it), land inside tmp, where the listing would find them.
    let site = tmp.path().join("a/b/site");
    let las = format!("{LAS}../../../x,Escape,London\n../../../../x2,Far,London\n");
    // A document in each place, so that each would have a page if its code were let through.
    let doc = std::fs::read_to_string(
        fixtures().join("valid/content/case-studies/leeds-family-reading.md"),
    )
    .unwrap()
    .replace("[Leeds]", "[\"../../../x\", \"../../../../x2\"]");
    site_in(
        &site,
        &[
            ("data/local-authorities.csv", &las),
            ("content/case-studies/leeds-family-reading.md", &doc),
        ],
    );
    let before = snapshot(tmp.path());
    let out = ntg(&["build", "--root", site.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(
            "data/local-authorities.csv:7:1: error: `../../../x` is not a local authority code\n"
        ),
        "{}",
        stderr(&out)
    );
    // Every file in the whole temporary tree is as it was, and nothing was added but the
    // lock ntg keeps in its own cache while it looks for a killed build's leftovers.
    let mut after = snapshot(tmp.path());
    after.retain(|(rel, _)| rel != "a/b/site/.ntg-cache/search-index/.lock");
    assert_eq!(after, before);
    let dirs: Vec<_> = walkdir::WalkDir::new(tmp.path())
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .filter(|p| p.is_dir() && !p.starts_with(&site))
        .collect();
    assert_eq!(
        dirs,
        [tmp.path(), &tmp.path().join("a"), &tmp.path().join("a/b")]
    );
}

#[test]
fn an_unsafe_output_name_is_refused_at_the_one_gate() {
    // A static file whose name holds a backslash passes no check of the content, only the
    // output path's own; the build must refuse it rather than write it.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    site_in(&site, &[("static/a\\..\\..\\x.css", "body {}\n")]);
    let out = ntg(&["build", "--root", site.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "a\\..\\..\\x.css: error: refusing to write this output file: it holds the character '\\\\'\n"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!site.join("public").exists());
}

#[test]
fn combined_codes_and_z_are_accepted_but_make_no_page() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let las = format!(
        "{LAS}E06000061 / E06000062,North Northamptonshire / West Northamptonshire,East Midlands\n\
         z,British Forces Post Office overseas establishments,\n"
    );
    site_in(&site, &[("data/local-authorities.csv", &las)]);
    let public = tmp.path().join("public");
    let out = build_into(&site, &public);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pages: Vec<String> = std::fs::read_dir(public.join("local-authorities"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect();
    assert!(!pages.is_empty());
    assert!(pages.iter().all(|p| is_gss(p)), "{pages:?}");
    // The sitemap, read by an XML parser, lists no page for either form.
    let xml = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let las: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .filter_map(|u| u.split("/local-authorities/").nth(1))
        .filter(|rest| !rest.is_empty())
        .collect();
    assert!(!las.is_empty());
    for rest in las {
        let code = rest.split('/').next().unwrap();
        assert!(is_gss(code), "{rest}");
    }
}

#[test]
fn a_skipped_symlink_is_a_warning_that_fails_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    site_in(&site, &[]);
    let outside = tmp.path().join("outside.md");
    std::fs::copy(site.join("content/hypotheses/family-learning.md"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, site.join("content/hypotheses/linked.md")).unwrap();
    std::fs::create_dir_all(site.join("data/gaps")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.join("data/gaps/passwd.csv")).unwrap();
    let root = site.to_str().unwrap();
    let warnings = "content/hypotheses/linked.md: warning: symbolic link skipped: ntg reads only files inside the site\n  \
        help: put the file (or folder) itself here instead of a link to it\n\
        data/gaps/passwd.csv: warning: symbolic link skipped: ntg reads only files inside the site\n  \
        help: put the file (or folder) itself here instead of a link to it\n\
        2 warnings\n";

    let check = ntg(&["check", "--root", root]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(
        stderr(&check).starts_with(&format!("{warnings}checked ")),
        "{}",
        stderr(&check)
    );
    assert!(stderr(&check).contains(": no errors\n"));

    let (status, diags) = check_json(Path::new(root));
    assert_eq!(status, Some(0));
    let diags = diags.as_array().unwrap();
    assert_eq!(diags.len(), 2);
    assert!(diags.iter().all(|d| d["severity"] == "warning"));
    assert_eq!(diags[0]["file"], "content/hypotheses/linked.md");
    assert_eq!(diags[0]["code"], "skipped-symlink");

    let github = ntg(&["check", "--root", root, "--format", "github"]);
    assert_eq!(github.status.code(), Some(0));
    let lines: Vec<String> = stdout(&github).lines().map(String::from).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].starts_with("::warning file=data/gaps/passwd.csv::symbolic link skipped"));

    // A build succeeds with the same warnings, and the link's target is not published.
    let public = tmp.path().join("public");
    let build = build_into(Path::new(root), &public);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert!(stderr(&build).starts_with(&format!("{warnings}built ")));
    assert!(!public.join("hypotheses/linked").exists());

    // With an error as well, the summary counts each kind, and the error fails the check.
    std::fs::write(
        site.join("content/pages/Bad_Name.md"),
        "---\ntitle: X\n---\n",
    )
    .unwrap();
    let both = ntg(&["check", "--root", root]);
    assert_eq!(both.status.code(), Some(1));
    assert!(
        stderr(&both).ends_with("1 error, 2 warnings\n"),
        "{}",
        stderr(&both)
    );
    assert!(stderr(&both).contains("content/pages/Bad_Name.md:1:1: error: file name"));
}

/// A gap file with `n` rows whose value is not a number, under the one valid indicator.
fn site_with_bad_rows(dir: &Path, n: usize) {
    let case = fixtures().join("invalid/many-bad-rows/files");
    copy_tree(&fixtures().join("valid"), dir);
    copy_tree(&case, dir);
    let mut csv = String::from(
        "time_period,time_identifier,geographic_level,country_code,region_code,new_la_code,la_name,pupil_group,value\n\
         201819,Academic year,National,E92000001,,,,Looked after,40.0\n",
    );
    for _ in 0..n {
        csv.push_str("201819,Academic year,National,E92000001,,,,All pupils,bad\n");
    }
    std::fs::write(dir.join("data/gaps/rows.csv"), csv).unwrap();
}

#[test]
fn json_and_github_cap_each_file_as_the_terminal_does() {
    let site = tempfile::tempdir().unwrap();
    site_with_bad_rows(site.path(), 30);
    let root = site.path().to_str().unwrap();
    let (status, diags) = check_json(site.path());
    assert_eq!(status, Some(1));
    let diags = diags.as_array().unwrap();
    assert_eq!(diags.len(), 21);
    assert!(diags[..20].iter().all(|d| d.get("omitted").is_none()));
    assert_eq!(diags[19]["line"], 22);
    assert_eq!(diags[20]["message"], "and 10 more errors in this file");
    assert_eq!(diags[20]["omitted"], 10);
    assert_eq!(diags[20]["code"], "more-in-file");
    assert_eq!(diags[20]["line"], serde_json::Value::Null);
    assert_eq!(diags[20]["severity"], "error");

    let github = ntg(&["check", "--root", root, "--format", "github"]);
    let lines: Vec<String> = stdout(&github).lines().map(String::from).collect();
    assert_eq!(lines.len(), 21);
    assert_eq!(
        lines[20],
        "::error file=data/gaps/rows.csv::and 10 more errors in this file"
    );
}

#[test]
fn a_huge_bad_file_is_reported_in_a_few_lines() {
    const ROWS: usize = 200_000;
    let site = tempfile::tempdir().unwrap();
    site_with_bad_rows(site.path(), ROWS);
    let started = Instant::now();
    let out = ntg(&["check", "--root", site.path().to_str().unwrap()]);
    // A figure for the record, not an assertion.
    eprintln!(
        "ntg check on {ROWS} bad rows: {:.2} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(out.status.code(), Some(1));
    let report = stderr(&out);
    let lines: Vec<&str> = report.lines().collect();
    // 20 errors of two lines each (message and help), the rest in one line, the summary.
    assert_eq!(lines.len(), 42, "{report}");
    assert_eq!(
        lines[40],
        format!(
            "data/gaps/rows.csv: and {} more errors in this file",
            ROWS - 20
        )
    );
    assert_eq!(lines[41], format!("{ROWS} errors"));
}

#[test]
fn a_symlink_in_place_of_a_named_input_is_refused_and_its_target_never_read() {
    // `site.yaml` and the data files are read by name, not walked: a link there (a pull
    // request can add one) would read any file the CI runner can open and quote it in errors.
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.csv");
    std::fs::write(&secret, "code,name,region\nTOKEN-hunter2,x,y\n").unwrap();
    for rel in [
        "site.yaml",
        "data/taxonomies.yaml",
        "data/local-authorities.csv",
        "data/indicators.yaml",
        "data/statistical-neighbours.csv",
    ] {
        let site = tmp.path().join(rel.replace('/', "-"));
        site_in(&site, &[]);
        let _ = std::fs::remove_file(site.join(rel));
        std::os::unix::fs::symlink(&secret, site.join(rel)).unwrap();
        let public = tmp.path().join(format!("public-{}", rel.replace('/', "-")));
        let o = build_into(&site, &public);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{rel}: {err}");
        assert!(
            err.starts_with(&format!(
                "{rel}: error: is a symbolic link, which ntg does not follow: it reads only files \
                 inside the site\n  help: put the file itself here instead of a link to it\n"
            )),
            "{rel}: {err}"
        );
        assert!(
            !err.contains("hunter2") && !stdout(&o).contains("hunter2"),
            "{err}"
        );
        assert!(!public.exists(), "{rel}");
    }
}
