//! Reading a PDF as a person would: its text through poppler's `pdftotext`, its page count
//! through `pdfinfo`. A machine without poppler-utils fails the test, saying what to install.

use std::io::Write;
use std::process::Command;

/// The text of `pdf`, page by page layout kept (`pdftotext -layout`).
pub fn text(pdf: &[u8]) -> String {
    let mut file = tempfile::NamedTempFile::new().expect("temporary PDF file");
    file.write_all(pdf).expect("write PDF");
    let output = Command::new("pdftotext")
        .args(["-layout"])
        .arg(file.path())
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext is needed to read PDFs (apt-get install poppler-utils): {e}")
        });
    assert!(
        output.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 text")
}

/// The SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
