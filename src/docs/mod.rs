//! Documents: a small layout layer of our own on printpdf. `layout` measures, wraps and
//! paginates, and says what each thing it lays out is (heading, paragraph, list, table cell,
//! or an artifact such as a rule); `render` turns the laid-out pages into a tagged PDF with
//! embedded, subset fonts, headers and footers, a nested outline and real metadata.
pub mod font;
pub mod html;
pub mod layout;
pub mod markup;
pub mod pack;
pub mod paper;
pub mod render;
pub mod sample;
pub mod summary;
pub mod tupe;

use chrono::{DateTime, Utc};

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Run {
    pub fn plain(t: impl Into<String>) -> Run {
        Run {
            text: t.into(),
            bold: false,
            italic: false,
        }
    }
    pub fn bold(t: impl Into<String>) -> Run {
        Run {
            text: t.into(),
            bold: true,
            italic: false,
        }
    }
    pub fn italic(t: impl Into<String>) -> Run {
        Run {
            text: t.into(),
            bold: false,
            italic: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Share of the text width; the shares of a table are scaled to fill it.
    pub width: f32,
    pub align: Align,
}

/// A column of `width` shares, for the documents' tables.
pub(crate) fn col(header: &str, width: f32, align: Align) -> Column {
    Column {
        header: header.into(),
        width,
        align,
    }
}

pub(crate) use crate::domain::capitalised;

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 to 3; each is an outline entry.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(Vec<Run>),
    List {
        ordered: bool,
        items: Vec<Vec<Run>>,
    },
    Table(Table),
    /// Label and value pairs without a header row, labels in bold (a paper's header block).
    Facts(Vec<(String, String)>),
    /// A shaded box that must not be missed (e.g. results still required).
    Notice(Vec<Run>),
    /// Starts a new page unless already at the top of one.
    PageBreak,
}

/// A document to lay out: content plus what goes on every page and in the metadata.
#[derive(Debug, Clone)]
pub struct DocSpec {
    pub title: String,
    pub author: String,
    pub subject: String,
    /// Shown in the header of every page, e.g. "KCC/PH/0147 extension".
    pub reference: String,
    /// The protective marking shown on every page, e.g. "OFFICIAL".
    pub marking: String,
    pub created: DateTime<Utc>,
    pub blocks: Vec<Block>,
    /// Extra entries for the PDF's document information dictionary, e.g. the award pack's
    /// machine-readable manifest.
    pub info: Vec<(String, String)>,
    /// The audit record as it stood when the document was made: printed at its end for a
    /// person ("Audit record: 1,204 events, head 3f9a…c2, at …") and kept in the document
    /// information dictionary (`LotwiseAnchor`, JSON) for `lotwise audit verify --anchor`.
    pub anchor: Option<crate::domain::anchor::Anchor>,
}

/// The document information entry that holds a document's anchor, as JSON.
pub const ANCHOR_KEY: &str = "LotwiseAnchor";
