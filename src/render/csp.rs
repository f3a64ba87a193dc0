//! The Content-Security-Policy every page carries: the site's own scripts, styles, images and
//! fetches only, nothing inline, so markup that slipped into a page cannot run or load.

/// The policy, as a page's `<meta http-equiv="Content-Security-Policy">` states it.
/// (`frame-ancestors` is only obeyed as a header, so [`headers_file`] adds it there.)
pub fn policy() -> String {
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    .join("; ")
}

/// Where [`headers_file`] is written, at the root of the output.
pub const HEADERS_FILE: &str = "_headers";

/// A `_headers` file (Netlify and Cloudflare Pages read one) giving every address the same
/// policy as a header, with `frame-ancestors 'none'`, and `nosniff`.
pub fn headers_file() -> String {
    format!(
        "/*\n  Content-Security-Policy: {}; frame-ancestors 'none'\n  X-Content-Type-Options: nosniff\n",
        policy()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_inline_is_allowed() {
        assert!(!policy().contains("unsafe"));
        assert!(!policy().contains("frame-ancestors"));
        assert!(headers_file().contains(&policy()));
    }
}
