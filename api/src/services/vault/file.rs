//! What an uploaded file is, decided from its bytes alone, and the name it is kept under: pure
//! functions, no I/O. The declared content type and the file's extension are never trusted (a
//! `.pdf` may be an executable); the name is only ever shown and offered back as the download's
//! name, never used as a storage key or a path.

/// Largest upload accepted: 10 MiB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Longest file name kept, in characters (the extension is kept when a name is shortened).
pub const MAX_NAME_CHARS: usize = 120;

/// The file types the vault accepts, as sniffed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    /// `%PDF-`.
    Pdf,
    /// The PNG signature.
    Png,
    /// A JPEG start-of-image marker followed by another marker.
    Jpeg,
}

impl FileType {
    /// The media type served with it.
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
        }
    }

    /// The extension a download of it carries.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
        }
    }

    /// The type a stored media type names (rows hold what [`FileType::content_type`] wrote).
    pub fn from_content_type(value: &str) -> Option<Self> {
        [FileType::Pdf, FileType::Png, FileType::Jpeg]
            .into_iter()
            .find(|t| t.content_type() == value)
    }
}

/// The type of `bytes` by their first bytes (magic numbers), or `None` for anything else.
///
/// A PDF may start with a few bytes of garbage before `%PDF-` (readers look in the first
/// kilobyte), but an upload is ours to be strict about: the signature must come first.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(PNG) {
        Some(FileType::Png)
    } else if bytes.len() >= 4 && bytes[..3] == [0xFF, 0xD8, 0xFF] {
        Some(FileType::Jpeg)
    } else {
        None
    }
}

/// The name a file is kept under: its last path component (either slash), without control
/// or format characters (bidirectional overrides that disguise `exe.pdf`), without the quotes,
/// backslashes and the like that would break a `Content-Disposition` header, leading dots
/// removed (no hidden or `..` names), blank runs collapsed, and at most [`MAX_NAME_CHARS`]
/// characters with the extension kept. A name with nothing left becomes `document.<ext>` of
/// the sniffed type; a name without an extension gets the sniffed one.
///
/// `../../etc/passwd` -> `passwd.pdf`; `"inv\u{202E}fdp.exe"` -> `invfdp.exe.pdf`.
pub fn normalise_name(name: &str, file_type: FileType) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut cleaned = String::with_capacity(last.len());
    let mut blank = false;
    for c in last.chars() {
        if c.is_control()
            || is_format(c)
            || matches!(
                c,
                '"' | '\'' | '<' | '>' | '|' | ':' | '*' | '?' | ';' | '%'
            )
        {
            continue;
        }
        if c.is_whitespace() {
            blank = !cleaned.is_empty();
            continue;
        }
        if blank {
            cleaned.push(' ');
            blank = false;
        }
        cleaned.push(c);
    }
    let cleaned = cleaned.trim_start_matches(['.', ' ']).to_owned();
    let extension = file_type.extension();
    let cleaned = if cleaned.is_empty() {
        format!("document.{extension}")
    } else if has_extension(&cleaned, file_type) {
        cleaned
    } else {
        format!("{cleaned}.{extension}")
    };
    shorten(&cleaned)
}

/// Whether `name` already ends with an extension of `file_type` (`.jpeg` for JPEG too).
fn has_extension(name: &str, file_type: FileType) -> bool {
    let lower = name.to_lowercase();
    let accepted: &[&str] = match file_type {
        FileType::Pdf => &[".pdf"],
        FileType::Png => &[".png"],
        FileType::Jpeg => &[".jpg", ".jpeg"],
    };
    accepted
        .iter()
        .any(|ext| lower.ends_with(ext) && lower.len() > ext.len())
}

/// `name` cut to [`MAX_NAME_CHARS`] characters, its extension kept.
fn shorten(name: &str) -> String {
    if name.chars().count() <= MAX_NAME_CHARS {
        return name.to_owned();
    }
    let (stem, extension) = match name.rfind('.') {
        Some(dot) => name.split_at(dot),
        None => (name, ""),
    };
    let keep = MAX_NAME_CHARS.saturating_sub(extension.chars().count());
    let stem: String = stem.chars().take(keep).collect();
    format!("{}{extension}", stem.trim_end())
}

/// Unicode format characters (category Cf) that matter in file names: bidirectional controls,
/// zero-width characters and the byte order mark.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3"), Some(FileType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(FileType::Png));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]),
            Some(FileType::Jpeg)
        );
        // A Windows executable, an ELF binary, HTML, an empty file, a truncated signature.
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"%PDF"), None);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF]), None);
        // Garbage before the signature: refused.
        assert_eq!(sniff(b" %PDF-1.4"), None);
    }

    #[test]
    fn hostile_names_lose_their_paths_and_control_characters() {
        let pdf = |n| normalise_name(n, FileType::Pdf);
        assert_eq!(pdf("../../etc/passwd"), "passwd.pdf");
        assert_eq!(pdf("..\\..\\windows\\system32\\evil.pdf"), "evil.pdf");
        assert_eq!(pdf("/"), "document.pdf");
        assert_eq!(pdf(".."), "document.pdf");
        assert_eq!(pdf(".htaccess"), "htaccess.pdf");
        assert_eq!(pdf("a\r\nX-Evil: 1\0.pdf"), "aX-Evil 1.pdf");
        assert_eq!(pdf("in\u{202E}fdp.exe"), "infdp.exe.pdf");
        assert_eq!(pdf("  Kbis   2026 \"final\".PDF "), "Kbis 2026 final.PDF");
        assert_eq!(pdf("Extrait Kbis.pdf"), "Extrait Kbis.pdf");
        assert_eq!(normalise_name("scan.jpeg", FileType::Jpeg), "scan.jpeg");
        assert_eq!(normalise_name("scan.png", FileType::Jpeg), "scan.png.jpg");
        assert_eq!(normalise_name("", FileType::Png), "document.png");
    }

    #[test]
    fn long_names_are_cut_with_their_extension_kept() {
        let long = format!("{}.pdf", "é".repeat(300));
        let name = normalise_name(&long, FileType::Pdf);
        assert_eq!(name.chars().count(), MAX_NAME_CHARS);
        assert!(name.ends_with(".pdf"));
        let exact = format!("{}.pdf", "a".repeat(MAX_NAME_CHARS - 4));
        assert_eq!(normalise_name(&exact, FileType::Pdf), exact);
    }
}
