//! Text files as officers have them: saved by Excel on a UK Windows machine (Windows-1252,
//! CRLF), by Excel's "CSV UTF-8" (a byte-order mark), typed in Notepad, or exported from
//! another system. Every text input (CSV, JSON, Markdown) is read as bytes and decoded here,
//! for the desktop app and the CLI alike, so both accept and refuse exactly the same files.
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// The largest file Lotwise reads. A staff list, a score sheet or a specification is a few
/// hundred kilobytes; refusing at the door keeps every later step quick.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// How the bytes were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReadAs {
    Utf8,
    /// What Excel's plain "CSV" writes on a UK Windows machine.
    Windows1252,
}

impl ReadAs {
    /// What an import summary says, when there is anything to say.
    pub fn note(self) -> Option<&'static str> {
        match self {
            ReadAs::Utf8 => None,
            ReadAs::Windows1252 => Some("read as Windows-1252"),
        }
    }
}

/// A decoded text file: line endings are `\n` whatever the file used, and a byte-order mark
/// is gone, so line numbers and the first header come out right.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// The name errors give: the path on the command line, the file name in the app.
    pub name: String,
    pub text: String,
    pub read_as: ReadAs,
}

const SAVE_AS_UTF8: &str =
    "save it from Excel as “CSV UTF-8 (Comma delimited)”, or from Notepad with the encoding UTF-8";

impl TextFile {
    /// Reads a file someone brought; the error names it and the form field it came through.
    pub fn read(path: &std::path::Path, field: &str) -> Result<TextFile> {
        let bytes = read_bytes(path, field)?;
        Self::decode(&bytes, &path.display().to_string(), field)
    }

    /// Decodes bytes as UTF-8 (with or without a byte-order mark) or, when they are not
    /// UTF-8 and read cleanly as Windows-1252, as that; anything else is refused with the
    /// first offending line and byte.
    pub fn decode(bytes: &[u8], name: &str, field: &str) -> Result<TextFile> {
        too_large(bytes.len() as u64, name, field)?;
        let refuse = |msg: String| Err(Error::validation(field, format!("{name}: {msg}")));
        if bytes.starts_with(b"PK\x03\x04") {
            return refuse(format!(
                "this is a workbook or other zipped file (such as .xlsx), not a text file; {SAVE_AS_UTF8}"
            ));
        }
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return refuse(format!(
                "this file is saved as UTF-16 (“Unicode text”); {SAVE_AS_UTF8}"
            ));
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let (text, read_as) = match std::str::from_utf8(body) {
            Ok(t) => (t.to_string(), ReadAs::Utf8),
            Err(e) => {
                let good = &body[..e.valid_up_to()];
                // A file that already used UTF-8 for some characters and then has a broken
                // one is damaged UTF-8, not Windows-1252: reading it as 1252 would turn its
                // good characters into “Ã©”.
                if !good.is_ascii() {
                    return refuse(bad_byte(body, e.valid_up_to(), "is not valid UTF-8"));
                }
                let (t, _, _) = encoding_rs::WINDOWS_1252.decode(body);
                if let Some(at) = t
                    .char_indices()
                    .find(|(_, c)| ('\u{80}'..='\u{9f}').contains(c))
                {
                    // Bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in Windows-1252.
                    // One byte per character, so the character's index is its byte offset.
                    let offset = t[..at.0].chars().count();
                    return refuse(bad_byte(
                        body,
                        offset,
                        "is neither UTF-8 nor Windows-1252 text",
                    ));
                }
                (t.into_owned(), ReadAs::Windows1252)
            }
        };
        if let Some(at) = text
            .char_indices()
            .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            .map(|(i, _)| i)
        {
            let line = line_of(text.as_bytes(), at);
            return refuse(format!(
                "line {line} holds a control character (byte 0x{:02X}), so this is not a text file; {SAVE_AS_UTF8}",
                text.as_bytes()[at]
            ));
        }
        Ok(TextFile {
            name: name.to_string(),
            text: normalise_newlines(text),
            read_as,
        })
    }

    /// Text given directly (a form field, a test): already a string, so only the newlines
    /// and a pasted byte-order mark are tidied.
    pub fn from_text(text: &str, name: &str) -> TextFile {
        TextFile {
            name: name.to_string(),
            text: normalise_newlines(text.trim_start_matches('\u{feff}').to_string()),
            read_as: ReadAs::Utf8,
        }
    }
}

/// A file's bytes, refused before reading when it is a folder or too large.
pub fn read_bytes(path: &std::path::Path, field: &str) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    let cannot = |e: std::io::Error| {
        Error::validation(field, format!("{name}: cannot be read: {}", io_reason(&e)))
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.is_dir() {
        return Err(Error::validation(
            field,
            format!("{name} is a folder; give the file inside it"),
        ));
    }
    too_large(meta.len(), &name, field)?;
    std::fs::read(path).map_err(cannot)
}

/// A picked file's text for showing in a form, decoded exactly as an import would read it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DecodedText {
    pub text: String,
    /// "read as Windows-1252", or nothing for UTF-8.
    pub read_as: Option<String>,
}

pub fn decode_for_form(bytes: &[u8], name: &str, field: &str) -> Result<DecodedText> {
    let f = TextFile::decode(bytes, name, field)?;
    Ok(DecodedText {
        text: f.text,
        read_as: f.read_as.note().map(str::to_string),
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".into(),
        std::io::ErrorKind::PermissionDenied => "you do not have permission to read it".into(),
        _ => e.to_string(),
    }
}

fn too_large(len: u64, name: &str, field: &str) -> Result<()> {
    if len > MAX_BYTES {
        return Err(Error::validation(
            field,
            format!(
                "{name} is {:.1} MB; Lotwise reads files of up to {} MB (is this the right file?)",
                len as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
        ));
    }
    Ok(())
}

/// `\r\n` and a lone `\r` (old Mac files) both become `\n`.
fn normalise_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The 1-based line of a byte offset, counting `\r\n`, `\n` and a lone `\r` as one break each.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    let mut line = 1;
    let mut i = 0;
    while i < offset.min(bytes.len()) {
        match bytes[i] {
            b'\n' => line += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

fn bad_byte(body: &[u8], offset: usize, what: &str) -> String {
    let line = line_of(body, offset);
    let line_start = body[..offset]
        .iter()
        .rposition(|b| matches!(b, b'\n' | b'\r'))
        .map(|p| p + 1)
        .unwrap_or(0);
    format!(
        "line {line}, byte {} of the line (0x{:02X}) {what}; {SAVE_AS_UTF8}",
        offset - line_start + 1,
        body[offset]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(b: &[u8]) -> Result<TextFile> {
        TextFile::decode(b, "staff.csv", "csv")
    }

    #[test]
    fn utf8_with_and_without_a_byte_order_mark() {
        let plain = decode("name\nCafé Société\n".as_bytes()).unwrap();
        assert_eq!(plain.text, "name\nCafé Société\n");
        assert_eq!(plain.read_as, ReadAs::Utf8);
        let bom = decode("\u{feff}name\nCafé\n".as_bytes()).unwrap();
        assert_eq!(bom.text, "name\nCafé\n");
        assert_eq!(bom.read_as.note(), None);
    }

    #[test]
    fn windows_1252_from_excel_on_a_uk_machine() {
        // "Café Société, £1,200 – ‘ok’" as Excel's plain CSV writes it.
        let bytes = b"name,price\r\nCaf\xE9 Soci\xE9t\xE9,\xA31200 \x96 \x91ok\x92\r\n";
        let f = decode(bytes).unwrap();
        assert_eq!(f.read_as, ReadAs::Windows1252);
        assert_eq!(f.text, "name,price\nCafé Société,£1200 – ‘ok’\n");
        assert_eq!(f.read_as.note(), Some("read as Windows-1252"));
    }

    #[test]
    fn damaged_utf8_is_refused_at_its_line_and_byte() {
        // Valid UTF-8 "é" on line 2, then a lone 0xE9 on line 3.
        let bytes = b"name\r\nCaf\xC3\xA9\r\nSoci\xE9t\xE9\r\n";
        let e = decode(bytes).unwrap_err();
        assert!(
            e.message
                .contains("staff.csv: line 3, byte 5 of the line (0xE9) is not valid UTF-8"),
            "{}",
            e.message
        );
        assert!(e.message.contains("CSV UTF-8"), "{}", e.message);
        assert_eq!(e.field.as_deref(), Some("csv"));
    }

    #[test]
    fn bytes_undefined_in_windows_1252_are_refused() {
        let e = decode(b"name\nA\x81B\n").unwrap_err();
        assert!(
            e.message
                .contains("line 2, byte 2 of the line (0x81) is neither UTF-8 nor Windows-1252"),
            "{}",
            e.message
        );
    }

    #[test]
    fn workbooks_utf16_and_binary_files_are_named_as_such() {
        assert!(
            decode(b"PK\x03\x04rest")
                .unwrap_err()
                .message
                .contains(".xlsx")
        );
        assert!(
            decode(b"\xFF\xFEn\x00a\x00")
                .unwrap_err()
                .message
                .contains("UTF-16")
        );
        let e = decode(b"name\nab\x00c\n").unwrap_err();
        assert!(
            e.message
                .contains("line 2 holds a control character (byte 0x00)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn line_endings_all_become_newlines() {
        assert_eq!(decode(b"a\r\nb\rc\nd").unwrap().text, "a\nb\nc\nd");
        assert_eq!(line_of(b"a\r\nb\rc\nd", 8), 4);
        assert_eq!(line_of(b"a\r\nb", 3), 2);
    }

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        let e = too_large(MAX_BYTES + 1, "huge.csv", "csv").unwrap_err();
        assert!(
            e.message
                .contains("huge.csv is 16.0 MB; Lotwise reads files of up to 16 MB"),
            "{}",
            e.message
        );
        assert!(too_large(MAX_BYTES, "ok.csv", "csv").is_ok());
    }
}
