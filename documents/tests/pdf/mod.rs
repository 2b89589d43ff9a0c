//! Reading the rendered PDFs back with poppler's command-line tools, as a person's viewer would.
//!
//! The tools are Debian's `poppler-utils` (`pdftotext`, `pdfinfo`). A missing tool fails the
//! test with what to install: a test that cannot look at the PDF must not pass.

use std::io::Write;
use std::process::Command;

/// Runs a poppler tool on `pdf` (written to a temporary file) with `args` before the file name
/// and `after` behind it, and returns its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8], after: &[&str]) -> String {
    let mut file = tempfile::Builder::new()
        .suffix(".pdf")
        .tempfile()
        .expect("a temporary file");
    file.write_all(pdf).expect("the PDF is written");
    let path = file.path().to_str().expect("a UTF-8 temporary path");
    let output = match Command::new(tool).args(args).arg(path).args(after).output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{tool}` is not installed: install Debian's poppler-utils \
             (`apt-get install poppler-utils`) to run the documents tests"
        ),
        Err(error) => panic!("cannot run `{tool}`: {error}"),
    };
    assert!(
        output.status.success(),
        "`{tool} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("poppler writes UTF-8")
}

/// The text of the whole document, laid out as on the page (`pdftotext -layout`): a table row
/// stays on one text line.
pub fn text(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-layout", "-enc", "UTF-8"], pdf, &["-"])
}

/// The text of page `page` (1-based) alone.
pub fn page_text(pdf: &[u8], page: usize) -> String {
    let page = page.to_string();
    poppler(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", "-f", &page, "-l", &page],
        pdf,
        &["-"],
    )
}

/// What `pdfinfo` says of the document (title, dates, PDF/A subtype, tagging, pages…).
pub fn info(pdf: &[u8]) -> String {
    poppler("pdfinfo", &[], pdf, &[])
}

/// The document's XMP metadata stream (`pdfinfo -meta`).
pub fn metadata(pdf: &[u8]) -> String {
    poppler("pdfinfo", &["-meta"], pdf, &[])
}

/// The number of pages, from `pdfinfo`.
pub fn pages(pdf: &[u8]) -> usize {
    let info = info(pdf);
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo reports no page count:\n{info}"))
}

/// `text` with every run of white space made one space, to compare with a phrase.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text line (of `pdftotext -layout`) holding `needle`; fails with the whole text if none.
pub fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no line holds {needle:?} in:\n{text}"))
}

/// Whether `line` holds `first` and, further right, `second` (a label and its amount).
pub fn holds_in_order(line: &str, first: &str, second: &str) -> bool {
    line.find(first)
        .is_some_and(|start| line[start + first.len()..].contains(second))
}
