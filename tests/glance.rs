//! A council's gaps at a glance, on the with-data fixture, parsed as HTML and SVG and checked
//! against figures worked out by hand from its invented rows (see tests/gaps.rs for the series):
//!
//! KS4, children in care, 2020/21: Leeds 21.0, Birmingham 22.5, Hackney 15.0, Northumberland
//! 26.0, England 19.0. Sorted 15, 21, 22.5, 26: the lower quartile is 15 + 0.75 × 6 = 19.5, the
//! upper 22.5 + 0.25 × 3.5 = 23.375. Leeds' neighbours Birmingham and Hackney: rank 2 of 3,
//! median 18.75, shown 18.8. Birmingham's neighbour Leeds: rank 2 of 2, median 21.0.
//! Absence, young carers: Leeds 9.0 in 2019/20 (England 1.5, its neighbours have no figure that
//! year); Birmingham 5.0 in 2018/19 (England 2.0, Leeds 10.0: rank 1 of 2).

mod common;

use common::{build_into, copy_tree, fixtures, stderr};
use scraper::{ElementRef, Html, Selector};

fn built() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixtures().join("valid"), &site);
    copy_tree(&fixtures().join("with-data"), &site);
    let o = build_into(&site, &dir.path().join("out"));
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    dir
}

fn page(dir: &tempfile::TempDir, rel: &str) -> Html {
    let path = dir.path().join("out").join(rel);
    Html::parse_document(&std::fs::read_to_string(&path).unwrap())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn words(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text a screen reader is given: words outside `aria-hidden` marks.
fn spoken(e: ElementRef) -> String {
    fn walk(e: ElementRef, out: &mut String) {
        if e.attr("aria-hidden") == Some("true") {
            return;
        }
        for child in e.children() {
            if let Some(t) = child.value().as_text() {
                out.push_str(t);
            } else if let Some(el) = ElementRef::wrap(child) {
                walk(el, out);
            }
        }
    }
    let mut out = String::new();
    walk(e, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The at-a-glance table, one entry per group of children: the id and text of its heading
/// row, then its rows' cells as read aloud (the spine's cell is its image, named by title).
fn glance(html: &Html) -> Vec<(String, String, Vec<Vec<String>>)> {
    let scrolls: Vec<ElementRef> = html.select(&sel(".glance .table-scroll")).collect();
    assert_eq!(scrolls.len(), 1, "one table for every indicator");
    let scroll = scrolls[0];
    assert_eq!(scroll.attr("tabindex"), Some("0"));
    assert_eq!(scroll.attr("role"), Some("region"));
    let label = scroll.attr("aria-labelledby").unwrap();
    assert!(html.select(&sel(&format!("h2#{label}"))).next().is_some());
    scroll
        .select(&sel("tbody"))
        .map(|body| {
            let heading = body
                .select(&sel(r#"tr.glance-group th[scope="rowgroup"]"#))
                .next()
                .expect("a heading row for the group");
            let rows = body
                .select(&sel("tr:not(.glance-group)"))
                .map(|tr| {
                    tr.select(&sel("th, td:not(.spine-cell)"))
                        .map(spoken)
                        .collect()
                })
                .collect();
            (
                heading.attr("id").unwrap().to_string(),
                words(heading),
                rows,
            )
        })
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn the_rows_give_gap_england_rank_median_and_trend_by_group() {
    let d = built();
    let leeds = page(&d, "local-authorities/E08000035/index.html");
    assert_eq!(
        glance(&leeds),
        vec![
            (
                "glance-children-in-care".to_string(),
                "Children in care".to_string(),
                vec![row(&[
                    "Average Attainment 8 score of children in care",
                    "21.0 points 2020/21",
                    "19.0: wider by 2.0",
                    "rank 2 of 3, median 18.8",
                    "narrowed",
                ])]
            ),
            (
                "glance-young-carers".to_string(),
                "Young carers".to_string(),
                vec![row(&[
                    "Absence: young carers",
                    "9.0 percentage points 2019/20",
                    "1.5: wider by 7.5",
                    "no neighbour has a figure",
                    "narrowed",
                ])]
            ),
        ]
    );
    // "pp" stands in the row for sighted readers and is said in full above the table.
    let absence = leeds
        .select(&sel(".glance-table tbody tr:not(.glance-group) td"))
        .nth(5)
        .unwrap();
    assert_eq!(words(absence), "9.0 pp percentage points 2019/20");
    let intro = words(leeds.select(&sel(".glance-intro")).next().unwrap());
    assert!(intro.contains("pp: percentage points."), "{intro}");
    let contents: Vec<&str> = leeds
        .select(&sel(".glance-contents a"))
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(
        contents,
        [
            "#glance-children-in-care",
            "#glance-young-carers",
            "#widest"
        ]
    );
    let detail = leeds
        .select(&sel(".glance-table tbody th a"))
        .next()
        .unwrap();
    assert_eq!(
        detail.attr("href"),
        Some("/digest/local-authorities/E08000035/ks4-looked-after/")
    );
    let brum = page(&d, "local-authorities/E08000025/index.html");
    let rows: Vec<Vec<String>> = glance(&brum).into_iter().flat_map(|g| g.2).collect();
    assert_eq!(
        rows,
        vec![
            row(&[
                "Average Attainment 8 score of children in care",
                "22.5 points 2020/21",
                "19.0: wider by 3.5",
                "rank 2 of 2, median 21.0",
                "widened",
            ]),
            row(&[
                "Absence: young carers",
                "5.0 percentage points 2018/19",
                "2.0: wider by 3.0",
                "rank 1 of 2, median 10.0",
                "too few years",
            ]),
        ]
    );
}

#[test]
fn each_row_s_spine_places_council_england_and_median_on_the_councils_spread() {
    let d = built();
    let leeds = page(&d, "local-authorities/E08000035/index.html");
    let ks4 = leeds
        .select(&sel(".glance-table tr"))
        .find(|tr| {
            tr.select(&sel("th"))
                .next()
                .is_some_and(|th| words(th) == "Average Attainment 8 score of children in care")
        })
        .expect("a row for KS4");
    let svg = ks4
        .select(&sel("td.spine-cell svg.spine"))
        .next()
        .expect("a spine in the row");
    assert_eq!(svg.attr("role"), Some("img"));
    assert_eq!(
        words(svg.select(&sel("title")).next().unwrap()),
        "Average Attainment 8 score of children in care: Leeds 21.0, England 19.0, \
         neighbours' median 18.8; 4 councils from 15.0 to 26.0, the middle half from 19.5 to 23.4."
    );
    let num = |e: ElementRef, a: &str| -> f64 { e.attr(a).unwrap().parse().unwrap() };
    let one = |s: &str| svg.select(&sel(s)).next().unwrap_or_else(|| panic!("{s}"));
    let range = one("rect.spine-range");
    assert_eq!(
        (num(range, "data-from"), num(range, "data-to")),
        (15.0, 26.0)
    );
    let middle = one("rect.spine-middle");
    assert_eq!(
        (num(middle, "data-from"), num(middle, "data-to")),
        (19.5, 23.375)
    );
    // Every mark sits where the range's scale puts its value, inside the viewBox.
    let at = |v: f64| num(range, "x") + (v - 15.0) / 11.0 * num(range, "width");
    let close = |a: f64, b: f64| assert!((a - b).abs() < 0.02, "{a} is not {b}");
    close(num(middle, "x"), at(19.5));
    close(num(middle, "x") + num(middle, "width"), at(23.375));
    let england = one("line.spine-england");
    assert_eq!(num(england, "data-value"), 19.0);
    close(num(england, "x1"), at(19.0));
    let median = one("polygon.spine-median");
    assert_eq!(num(median, "data-value"), 18.8);
    close(num(median, "data-x"), at(18.8));
    let own = one("circle.spine-own");
    assert_eq!(num(own, "data-value"), 21.0);
    close(num(own, "cx"), at(21.0));
    assert_eq!(svg.attr("viewBox"), Some("0 0 144 24"));
    assert!(num(range, "x") > 0.0 && num(range, "x") + num(range, "width") < 144.0);
    // The key draws the same marks, hidden from screen readers beside the words they mark.
    let key: Vec<String> = leeds.select(&sel(".spine-key li")).map(words).collect();
    assert_eq!(
        key,
        [
            "Leeds",
            "neighbours' median",
            "England",
            "middle half of councils",
            "range of councils"
        ]
    );
    for mark in leeds.select(&sel(".spine-key svg")) {
        assert_eq!(mark.attr("aria-hidden"), Some("true"));
    }
}

#[test]
fn where_the_gaps_are_widest_lists_practice_for_the_group_and_outcome_strongest_first() {
    let d = built();
    let brum = page(&d, "local-authorities/E08000025/index.html");
    let widest = brum
        .select(&sel(r#"section[aria-labelledby="widest"]"#))
        .next()
        .expect("a widest section");
    let headings: Vec<String> = widest.select(&sel("h3")).map(words).collect();
    assert_eq!(headings, ["Average Attainment 8 score of children in care"]);
    let cards: Vec<(String, String)> = widest
        .select(&sel(".card"))
        .map(|c| {
            let title = words(c.select(&sel(".card-title")).next().unwrap());
            let meta = c
                .select(&sel(".card-meta"))
                .next()
                .map(words)
                .unwrap_or_default();
            (title, meta)
        })
        .collect();
    // Evidence level 2 before level 1 although the level 1 study is newer, then the hypothesis.
    assert_eq!(cards.len(), 3, "{cards:?}");
    assert_eq!(
        cards[0],
        (
            "Leeds: family reading club".to_string(),
            "Leeds · Evidence level 2: Promising".to_string()
        )
    );
    assert_eq!(
        cards[1],
        (
            "Leeds: tutoring for children in care".to_string(),
            "Leeds · Evidence level 1: Emerging".to_string()
        )
    );
    assert_eq!(
        cards[2].0,
        "Family learning raises attainment for children in care"
    );
    let summary = words(brum.select(&sel(".glance-widest")).next().unwrap());
    assert!(
        summary.contains(
            "Average Attainment 8 score of children in care (rank 2 of 2; \
             2 case studies, 1 hypothesis)"
        ),
        "{summary}"
    );
    // Leeds is at or above the middle everywhere: nothing is called its widest gap.
    let leeds = page(&d, "local-authorities/E08000035/index.html");
    assert!(leeds.select(&sel(".glance-widest")).next().is_none());
    let said = words(
        leeds
            .select(&sel(r#"section[aria-labelledby="widest"] p"#))
            .next()
            .unwrap(),
    );
    assert_eq!(
        said,
        "Leeds ranks no lower than the middle of its statistical neighbours on every indicator with figures for them."
    );
}
