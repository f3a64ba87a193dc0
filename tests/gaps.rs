//! Gap data end to end: tests/fixtures/with-data/ laid over the valid fixture, built, and the
//! numbers on the pages and in the open data checked against answers worked out by hand.
//!
//! KS4, children in care against all pupils (higher is better, tolerance 1):
//!   England   40/60 -> 41/60.5 -> 42/61    gaps 20, 19.5, 19   narrowed by 1.0, all improved
//!   Yorkshire 38/59 -> 38.5/59 -> 39/59.5  gaps 21, 20.5, 20.5 held (change 0.5)
//!   Leeds     35/58 -> x/58.5  -> 38/59    gaps 23, -, 21      narrowed by 2.0
//!   Birmingham 36/57 -> 36/57 -> 35/57.5   gaps 21, 21, 22.5   widened by 1.5
//!   Hackney   one year 45/60               gap 15, no trend
//!   Northumberland c/55 -> 30/56           gap 26 once, no trend; data only, no documents
//! Leeds' neighbours Birmingham (22.5) and Hackney (15): Leeds (21) ranks 2 of 3, median 18.8.
//! Birmingham's neighbour Leeds narrowed, so Birmingham's page points to Leeds' case studies.
//!
//! Absence, young carers against all pupils (lower is better, tolerance 0.25):
//!   England 12/10 -> 11/9.5   gaps 2, 1.5   narrowed by 0.5
//!   Leeds   20/10 -> 18/9     gaps 10, 9    narrowed by 1.0
//!   Birmingham 15/10 -> z/10.5              one gap only, `z` kept as "not applicable"

mod common;

use common::{build_into, copy_tree, fixtures, stderr};
use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};
use std::path::Path;

fn built() -> tempfile::TempDir {
    built_with(|_| {})
}

/// The site built after `edit` has changed its files.
fn built_with(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&fixtures().join("valid"), &site);
    copy_tree(&fixtures().join("with-data"), &site);
    edit(&site);
    let out = dir.path().join("out");
    let o = build_into(&site, &out);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    dir
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("out").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A page's text without tags or charts, with runs of white space made one space.
fn text(dir: &Path, rel: &str) -> String {
    let html = read(dir, rel);
    let mut out = String::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .split_once("</svg>")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    let mut plain = String::new();
    let mut in_tag = false;
    for c in out.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                plain.push(' ');
            }
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn an_authoritys_page_per_indicator_shows_its_gaps_against_region_and_england() {
    let d = built();
    let leeds = text(
        d.path(),
        "local-authorities/E08000035/ks4-looked-after/index.html",
    ) + " "
        + &text(
            d.path(),
            "local-authorities/E08000035/absence-young-carers/index.html",
        );
    for expected in [
        "Leeds 21.0 in 2020/21 similar to the region (20.5) larger than England (19.0) narrowed",
        "Yorkshire and The Humber 20.5 in 2020/21 held",
        "England 19.0 in 2020/21 narrowed",
        "Leeds: Narrowed by 2.0 points from 2018/19 to 2020/21, while outcomes for all pupils improved.",
        "Yorkshire and The Humber: Held from 2018/19 to 2020/21 (a change of 0.5 points).",
        // The table behind the chart keeps the missing year as DfE's symbol.
        "2018/19 35.0 58.0 23.0 2019/20 x 58.5 x 2020/21 38.0 59.0 21.0",
        // Lower is better: the group's higher absence is the gap.
        "Leeds 9.0 in 2019/20 larger than England (1.5) narrowed",
        "England 1.5 in 2019/20 narrowed (and the comparison group improved)",
        "England: Narrowed by 0.5 percentage points from 2018/19 to 2019/20",
        "2018/19 20.0% 10.0% 10.0 2019/20 18.0% 9.0% 9.0",
        "Source: Invented for the test suite. Licence: CC0.",
    ] {
        assert!(
            leeds.contains(expected),
            "Leeds page lacks {expected:?}:\n{leeds}"
        );
    }
    let html = read(
        d.path(),
        "local-authorities/E08000035/ks4-looked-after/index.html",
    );
    assert!(html.contains(r#"<abbr title="not available">x</abbr>"#));
    let page = read(d.path(), "local-authorities/E08000035/index.html");
    assert!(page.contains(r#"href="/digest/data/local-authorities/E08000035.csv""#));
}

#[test]
fn councils_like_yours_points_to_the_practice_of_neighbours_that_narrowed() {
    let d = built();
    let brum = text(d.path(), "local-authorities/E08000025/index.html");
    assert!(
        brum.contains("Leeds Gap narrowed in: Average Attainment 8 score of children in care"),
        "{brum}"
    );
    assert!(brum.contains("Leeds: tutoring for children in care"));
    assert!(brum.contains("one need not explain the other"), "{brum}");
    let birmingham_html = read(
        d.path(),
        "local-authorities/E08000025/absence-young-carers/index.html",
    );
    assert!(birmingham_html.contains(r#"<abbr title="not applicable">z</abbr>"#));
}

#[test]
fn an_authority_with_data_only_gets_a_page() {
    let d = built();
    let page = text(d.path(), "local-authorities/E06000057/index.html");
    assert!(page.contains("The digest has no case study or evidence from Northumberland yet."));
    let page = text(
        d.path(),
        "local-authorities/E06000057/ks4-looked-after/index.html",
    );
    assert!(page.contains("Northumberland 26.0 in 2020/21"), "{page}");
    assert!(page.contains("Not enough years of figures to show a trend."));
    let index = text(d.path(), "local-authorities/index.html");
    assert!(index.contains("Northumberland gap figures only"), "{index}");
}

#[test]
fn the_indicator_page_ranks_every_authority_and_charts_every_region() {
    let d = built();
    let page = text(d.path(), "indicators/ks4-looked-after/index.html");
    let ranked = [
        "1 Hackney 2020/21 15.0",
        "2 Leeds 2020/21 21.0",
        "3 Birmingham 2020/21 22.5",
        "4 Northumberland 2020/21 26.0",
    ];
    let positions: Vec<usize> = ranked
        .iter()
        .map(|r| page.find(r).unwrap_or_else(|| panic!("no {r:?} in {page}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "out of order");
    assert!(page.contains("Gap narrowed in 1 (1 of them while outcomes for all improved), widened in 1, held in 0; too few years to tell in 2"));
    assert!(page.contains("Yorkshire and The Humber 2020/21: gap 20.5; held"));
    assert!(page.contains("West Midlands 2020/21: gap 24.0; widened"));
    let html = read(d.path(), "indicators/ks4-looked-after/index.html");
    // England's chart, two regions' small multiples and four sparklines, each described.
    assert_eq!(html.matches(r#"<svg class="chart""#).count(), 1);
    assert_eq!(
        html.matches(r#"<svg class="chart chart-compact""#).count(),
        2
    );
    assert_eq!(html.matches(r#"<svg class="sparkline""#).count(), 4);
    assert!(html.contains(r#"aria-labelledby="chart-ks4-looked-after-E92000001-title chart-ks4-looked-after-E92000001-desc""#));
    assert!(html.contains("In 2020/21: 42.0 against 61.0, a gap of 19.0 points."));
}

#[test]
fn open_data_has_the_shape_of_the_contract() {
    let d = built();
    let la: Value =
        serde_json::from_str(&read(d.path(), "data/local-authorities/E08000035.json")).unwrap();
    assert_eq!(la["code"], "E08000035");
    assert_eq!(la["region"], "Yorkshire and The Humber");
    let ks4 = &la["indicators"][0];
    assert_eq!(ks4["id"], "ks4-looked-after");
    let places: Vec<&str> = ks4["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(places, ["Leeds", "Yorkshire and The Humber", "England"]);
    assert_eq!(
        ks4["places"][0],
        json!({"code": "E08000035", "name": "Leeds", "level": "Local authority", "series": [
            {"time_period": "201819", "group_value": 35.0, "comparison_value": 58.0, "gap": 23.0},
            {"time_period": "201920", "group_value": null, "comparison_value": 58.5, "gap": null},
            {"time_period": "202021", "group_value": 38.0, "comparison_value": 59.0, "gap": 21.0},
        ]})
    );
    let ind: Value =
        serde_json::from_str(&read(d.path(), "data/indicators/absence-young-carers.json")).unwrap();
    assert_eq!(ind["higher_is_better"], false);
    assert_eq!(ind["comparison_label"], "all pupils");
    assert_eq!(ind["source"], Value::Null);
    assert_eq!(ind["places"][0]["level"], "National");
    assert_eq!(ind["places"][0]["series"][1]["gap"], 1.5);

    let csv = read(d.path(), "data/indicators/ks4-looked-after.csv");
    assert!(csv.starts_with("code,name,level,time_period,group_value,comparison_value,gap\n"));
    assert!(
        csv.contains("\nE08000035,Leeds,Local authority,201920,x,58.5,x\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\nE06000057,Northumberland,Local authority,201920,c,55,c\n"),
        "{csv}"
    );
    let la_csv = read(d.path(), "data/local-authorities/E08000025.csv");
    assert!(
        la_csv.contains(
            "\nabsence-young-carers,E08000025,Birmingham,Local authority,201920,z,10.5,z\n"
        ),
        "{la_csv}"
    );
}

#[test]
fn a_place_name_written_as_a_formula_is_text_in_the_csv_and_as_written_in_the_json() {
    // Council staff open the CSVs in a spreadsheet, where a cell starting `=` or `@` runs;
    // gap files' names (a region's, an authority's) are other people's data.
    let formula = "=cmd|' /C calc'!A0";
    let hyperlink = r#"=HYPERLINK("https://evil.example/","x")"#;
    let d = built_with(|site| {
        let gaps = site.join("data/gaps/ks4.csv");
        let text = std::fs::read_to_string(&gaps).unwrap();
        assert!(text.contains("Yorkshire and The Humber") && text.contains(",Leeds,"));
        let text = text
            .replace("Yorkshire and The Humber", formula)
            .replace(
                ",Leeds,",
                r#","=HYPERLINK(""https://evil.example/"",""x"")","#,
            )
            .replace(",Birmingham,", ",@SUM(1+1),");
        std::fs::write(&gaps, text).unwrap();
    });
    // (code, name) of every row of an open-data CSV whose code is in `column`.
    let rows = |rel: &str, column: usize| -> Vec<(String, String)> {
        let csv = read(d.path(), rel);
        csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|rec| {
                let rec = rec.unwrap();
                (rec[column].to_string(), rec[column + 1].to_string())
            })
            .collect()
    };
    let indicator = rows("data/indicators/ks4-looked-after.csv", 0);
    let names_of = |code: &str| -> Vec<&str> {
        let mut n: Vec<&str> = indicator
            .iter()
            .filter(|(c, _)| c == code)
            .map(|(_, n)| n.as_str())
            .collect();
        n.dedup();
        n
    };
    assert_eq!(names_of("E12000003"), [format!("'{formula}")]);
    assert_eq!(names_of("E08000035"), [format!("'{hyperlink}")]);
    assert_eq!(names_of("E08000025"), ["'@SUM(1+1)"]);
    assert_eq!(names_of("E09000012"), ["Hackney"]);
    // The authority's own file too.
    let la = rows("data/local-authorities/E08000025.csv", 1);
    assert!(
        la.iter()
            .any(|(c, n)| c == "E08000025" && n == "'@SUM(1+1)"),
        "{la:?}"
    );
    // JSON is data, not a sheet: it keeps each name as written.
    let json: Value =
        serde_json::from_str(&read(d.path(), "data/indicators/ks4-looked-after.json")).unwrap();
    let name = |code: &str| {
        json["places"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == code)
            .map(|p| p["name"].clone())
    };
    assert_eq!(name("E12000003"), Some(Value::from(formula)));
    assert_eq!(name("E08000025"), Some(Value::from("@SUM(1+1)")));
}

#[test]
fn case_study_group_and_outcome_pages_show_the_indicators_that_measure_them() {
    let d = built();
    let case = text(d.path(), "case-studies/leeds-tutoring/index.html");
    assert!(case.contains("The gap where this happened"));
    assert!(
        case.contains("Leeds 21.0 in 2020/21 similar to the region (20.5)"),
        "{case}"
    );
    let group = text(d.path(), "groups/children-in-care/index.html");
    assert!(group.contains("Gap indicators"));
    assert!(group.contains("Average Attainment 8 score of children in care Compares children in care with all pupils. England, 2020/21: a gap of 19.0 points; narrowed"), "{group}");
    let outcome = text(d.path(), "outcomes/staying-safe/index.html");
    assert!(outcome.contains("Persistent absence of young carers"));
    let themes = text(d.path(), "themes/engaging-parents/index.html");
    assert!(
        !themes.contains("Gap indicators"),
        "themes are not measured by indicators"
    );
}

/// The evidence map page, parsed.
fn map_page(dir: &Path) -> Html {
    Html::parse_document(&read(dir, "evidence-map/index.html"))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// An element's text with runs of white space made one space.
fn words(e: ElementRef) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The caption of `table`: the element its `aria-labelledby` names, which stands outside the
/// table's scroll container so that it is never scrolled out of view.
fn caption_of<'a>(page: &'a Html, table: ElementRef<'a>) -> Option<ElementRef<'a>> {
    let id = table.attr("aria-labelledby")?;
    page.select(&sel(&format!("#{id}"))).next()
}

/// The map whose caption is `caption`.
fn map_table<'a>(page: &'a Html, caption: &str) -> ElementRef<'a> {
    page.select(&sel("table.evidence-map"))
        .find(|&t| caption_of(page, t).map(words).as_deref() == Some(caption))
        .unwrap_or_else(|| panic!("no map captioned {caption:?}"))
}

/// The cell of `table` in the row headed `row` and the column headed `outcome`, found by
/// its headers as a screen reader would.
fn map_cell<'a>(table: ElementRef<'a>, row: &str, outcome: &str) -> ElementRef<'a> {
    let column = table
        .select(&sel("thead th"))
        .position(|th| words(th) == outcome)
        .unwrap_or_else(|| panic!("no column {outcome:?}"));
    let tr = table
        .select(&sel("tbody tr"))
        .find(|tr| tr.select(&sel("th")).next().map(words).as_deref() == Some(row))
        .unwrap_or_else(|| panic!("no row {row:?}"));
    // The first column is the row's own header, so outcome n is the row's nth `td`.
    tr.select(&sel("td")).nth(column - 1).unwrap()
}

/// A cell's lines: its counts, then each hint under them.
fn cell_lines(cell: ElementRef) -> Vec<String> {
    let counts = cell.select(&sel("a")).next().map_or_else(
        || cell.text().next().unwrap_or("").trim().to_string(),
        words,
    );
    std::iter::once(counts)
        .chain(cell.select(&sel(".hint")).map(words))
        .collect()
}

#[test]
fn the_evidence_map_counts_documents_per_cell_in_words_and_links_to_them() {
    let d = built();
    let page = map_page(d.path());
    let groups = map_table(&page, "Case studies and hypotheses by group and outcome");
    // Children in care, enjoying and achieving: two case studies (levels 2 and 1) and the
    // family learning hypothesis; the KS4 indicator measures it.
    let cell = map_cell(groups, "Children in care", "Enjoying and achieving");
    assert_eq!(
        cell_lines(cell),
        [
            "2 case studies, 1 hypothesis",
            "Strongest: Promising (level 2)",
            "1 indicator"
        ]
    );
    let link = cell.select(&sel("a")).next().unwrap();
    assert_eq!(
        link.attr("href"),
        Some("/digest/evidence-map/groups/children-in-care/enjoying-and-achieving/")
    );
    assert_eq!(cell.attr("class"), Some("shade-3"), "the most case studies");
    let young_carers = map_cell(groups, "Young carers", "Enjoying and achieving");
    assert_eq!(
        cell_lines(young_carers),
        [
            "1 case study, no hypotheses",
            "Strongest: Emerging (level 1)"
        ]
    );
    let empty = map_cell(groups, "Refugee children", "Enjoying and achieving");
    assert_eq!(
        cell_lines(empty),
        ["no case studies, no hypotheses", "No evidence yet"]
    );
    assert!(
        empty.select(&sel("a")).next().is_none(),
        "nothing to link to"
    );
    let listing = text(
        d.path(),
        "evidence-map/groups/children-in-care/enjoying-and-achieving/index.html",
    );
    assert!(listing.contains("Leeds: tutoring for children in care"));
    assert!(listing.contains("Leeds: family reading club"));
}

#[test]
fn a_cell_with_only_hypotheses_is_not_counted_as_evidence() {
    let d = built();
    let page = map_page(d.path());
    let groups = map_table(&page, "Case studies and hypotheses by group and outcome");
    // Children in care, staying safe: the lead member hypothesis alone.
    let cell = map_cell(groups, "Children in care", "Staying safe");
    assert_eq!(
        cell_lines(cell),
        ["no case studies, 1 hypothesis", "No evidence yet"]
    );
    assert_eq!(cell.attr("class"), Some("shade-0"), "unshaded, as a gap");
    // The hypothesis is still listed, on the cell's page.
    let link = cell.select(&sel("a")).next().unwrap();
    assert_eq!(
        link.attr("href"),
        Some("/digest/evidence-map/groups/children-in-care/staying-safe/")
    );
    let listing = text(
        d.path(),
        "evidence-map/groups/children-in-care/staying-safe/index.html",
    );
    assert!(listing.contains("A lead member who champions the gap keeps it on the agenda"));
    // Three groups by two outcomes: refugees' two cells are empty, and this one has no
    // case study either.
    let summary = page
        .select(&sel("h2#map-groups + p"))
        .next()
        .map(words)
        .unwrap();
    assert_eq!(
        summary,
        "3 of 6 cells have no case study yet; 1 of them has only hypotheses."
    );
    let themes = page
        .select(&sel("h2#map-themes + p"))
        .next()
        .map(words)
        .unwrap();
    assert_eq!(themes, "0 of 4 cells have no case study yet.");
}

#[test]
fn the_evidence_map_is_a_table_with_a_key_to_the_levels() {
    let d = built();
    let page = map_page(d.path());
    let key: Vec<String> = page
        .select(&sel("dl.evidence-map-key dt"))
        .map(words)
        .collect();
    assert_eq!(key, ["Emerging (level 1)", "Promising (level 2)"]);
    let described: Vec<String> = page
        .select(&sel("dl.evidence-map-key dd"))
        .map(words)
        .collect();
    assert_eq!(described[0], "Practitioners' account only.");
    for table in page.select(&sel("table.evidence-map")) {
        let caption = caption_of(&page, table).expect("a caption");
        let scroller = table.parent().and_then(ElementRef::wrap).unwrap();
        assert_eq!(scroller.attr("class"), Some("table-scroll"));
        assert!(!scroller.descendants().any(|n| n.id() == caption.id()));
        assert!(
            table
                .select(&sel("thead th"))
                .all(|th| th.attr("scope") == Some("col"))
        );
        for tr in table.select(&sel("tbody tr")) {
            let th: Vec<_> = tr.select(&sel("th")).collect();
            assert_eq!(th.len(), 1);
            assert_eq!(th[0].attr("scope"), Some("row"));
        }
    }
}
