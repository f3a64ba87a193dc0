//! Diagnostics as a SARIF 2.1.0 log, the format code-scanning services and editors import:
//! one run of `ntg`, a rule per code that occurs, a result per diagnostic.

use super::{Code, Diagnostic, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    /// ntg counts columns in characters; SARIF's default is UTF-16 code units.
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}

/// The SARIF log of `shown` (already sorted and capped), results in its order and rules in
/// the order of their names, so the same diagnostics always give the same bytes.
pub(super) fn render(shown: &[Diagnostic]) -> String {
    let codes: BTreeMap<&'static str, Code> =
        shown.iter().map(|d| (d.code.as_str(), d.code)).collect();
    let index: BTreeMap<Code, usize> = codes.values().enumerate().map(|(i, &c)| (c, i)).collect();
    let rules = codes
        .values()
        .map(|c| Rule {
            id: c.as_str(),
            short_description: Text {
                text: c.description().to_string(),
            },
        })
        .collect();
    let results = shown
        .iter()
        .map(|d| SarifResult {
            rule_id: d.code.as_str(),
            rule_index: index[&d.code],
            level: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: Text {
                text: sentences(&d.message, d.help.as_deref()),
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: uri(&d.path) },
                    region: d.pos.map(|p| Region {
                        start_line: p.line,
                        start_column: p.col,
                    }),
                },
            }],
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "ntg",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    serde_json::to_string_pretty(&log).expect("a SARIF log serialises") + "\n"
}

/// The message, then the help as a second sentence: a result has one text.
fn sentences(message: &str, help: Option<&str>) -> String {
    let Some(help) = help else {
        return message.to_string();
    };
    let mut chars = help.chars();
    let first: String = chars
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .collect();
    let end = if help.ends_with(['.', '?', '!']) {
        ""
    } else {
        "."
    };
    format!("{message}. {first}{}{end}", chars.as_str())
}

/// A diagnostic's path as a URI reference: `/` separators, and every byte a URI may not hold
/// as it is (spaces, `%`, `#`, `?`, non-ASCII) percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_is_a_second_sentence() {
        assert_eq!(sentences("bad", None), "bad");
        assert_eq!(
            sentences("unknown theme `x`", Some("did you mean `y`?")),
            "unknown theme `x`. Did you mean `y`?"
        );
        assert_eq!(sentences("bad", Some("write it")), "bad. Write it.");
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("content/a b/é#1.md"), "content/a%20b/%C3%A9%231.md");
        assert_eq!(uri("data\\gaps\\x.csv"), "data/gaps/x.csv");
    }
}
