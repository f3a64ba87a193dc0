//! A request's target to the site file it names, refusing every way out of the site. The
//! server reads only the in-memory build, so a refused path could never reach a file on the
//! disk anyway; refusing them plainly (400) keeps the answer the same as a static host's.

/// Why a request's target names no file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not a path below the site (absolute-form URLs, a backslash, a NUL, `..`, an encoded
    /// slash, doubled slashes, text that does not decode): 400.
    Bad,
}

/// The output path (`case-studies/x/index.html`) a request target (`/case-studies/x/?q=1`)
/// names, without deciding whether the site has it: a folder's address names its
/// `index.html`.
pub fn file_of(target: &str) -> Result<String, Refused> {
    let rest = path_of(target).strip_prefix('/').ok_or(Refused::Bad)?;
    if rest.contains("//") || rest.starts_with('/') {
        return Err(Refused::Bad);
    }
    let mut segments = Vec::new();
    for raw in rest.split('/') {
        let segment = decode(raw)?;
        if segment == "." || segment == ".." || segment.contains(['/', '\\', '\0']) {
            return Err(Refused::Bad);
        }
        segments.push(segment);
    }
    let mut file = segments.join("/");
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    Ok(file)
}

/// A request target without its query and fragment.
pub fn path_of(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or_default()
}

/// A segment with its percent escapes decoded; an escape that is cut short or decodes to
/// text that is not UTF-8 is refused.
fn decode(segment: &str) -> Result<String, Refused> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3).ok_or(Refused::Bad)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| Refused::Bad)?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Refused::Bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_name_their_files() {
        assert_eq!(file_of("/").unwrap(), "index.html");
        assert_eq!(
            file_of("/case-studies/x/").unwrap(),
            "case-studies/x/index.html"
        );
        assert_eq!(file_of("/themes/?page=2#top").unwrap(), "themes/index.html");
        assert_eq!(file_of("/css/ntg.css").unwrap(), "css/ntg.css");
        assert_eq!(file_of("/caf%C3%A9/").unwrap(), "café/index.html");
    }

    #[test]
    fn every_way_out_is_refused() {
        for target in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/a%2f..%2f..%2fetc%2fpasswd",
            "/a%2F..",
            "/..%5c..%5cetc%5cpasswd",
            "/a\\..\\..\\etc",
            "//etc/passwd",
            "/a//b",
            "/a%00.html",
            "/a\0",
            "http://example.com/",
            "etc/passwd",
            "",
            "/%",
            "/%zz",
            "/%ff",
            "/./index.html",
        ] {
            assert_eq!(file_of(target), Err(Refused::Bad), "{target:?}");
        }
    }
}
