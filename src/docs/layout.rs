//! Measuring, wrapping and paginating blocks into positioned items on A4 pages.
//! Rules: headings keep with what follows; a paragraph never leaves a single line alone at
//! the foot of a page or carries a single line to the next; a table repeats its header row on
//! each page and splits a row taller than a page line by line.
use super::font::{Fonts, Style};
use super::{Align, Block, Column, Run, Table};
use crate::error::Result;

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN_X: f32 = 62.0;
pub const TOP: f32 = PAGE_H - 78.0;
pub const BOTTOM: f32 = 70.0;
pub const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

pub const BODY: f32 = 11.0;
pub const BODY_LH: f32 = 15.0;
const PARA_GAP: f32 = 7.0;
const TABLE_SIZE: f32 = 9.5;
const TABLE_LH: f32 = 12.5;
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.5;
const LIST_INDENT: f32 = 20.0;
const NOTICE_PAD: f32 = 8.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A grey fill, `y` its bottom edge.
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: f32,
    },
}

/// What a piece of content is in the document's logical structure: the standard structure
/// types of ISO 32000-1, 14.8.4, which a screen reader announces (PDF/UA-1, 7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    H1,
    H2,
    H3,
    P,
    L,
    LI,
    Lbl,
    LBody,
    Table,
    TR,
    TH(Scope),
    TD,
}

/// Which cells a header cell heads (PDF/UA-1, 7.5: a table's headers must be determinable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Column,
    Row,
}

impl Role {
    fn heading(level: u8) -> Role {
        match level {
            1 => Role::H1,
            2 => Role::H2,
            _ => Role::H3,
        }
    }
    /// The structure type's name, as written in the PDF.
    pub fn name(self) -> &'static str {
        match self {
            Role::H1 => "H1",
            Role::H2 => "H2",
            Role::H3 => "H3",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::Table => "Table",
            Role::TR => "TR",
            Role::TH(_) => "TH",
            Role::TD => "TD",
        }
    }
}

/// A structure element: its role and its parent (`None`: a child of the document).
/// Elements are kept in the order they are read, which is the order they are laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub role: Role,
    pub parent: Option<usize>,
}

/// How an item is marked in the page's content: part of a structure element, or an artifact
/// a screen reader skips (rules, shading, and a table's header row repeated on a later page,
/// which is read once, where the table starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Artifact,
    Of(usize),
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<(Mark, Item)>,
}

#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

#[derive(Debug, Clone)]
pub struct Laid {
    pub pages: Vec<Page>,
    pub outline: Vec<OutlineEntry>,
    /// The structure tree, in reading order; items point into it with `Mark::Of`.
    pub structure: Vec<Node>,
}

/// A wrapped line: pieces in style order with their x offsets.
type Line = Vec<(Style, String, f32)>;

fn heading_metrics(level: u8) -> (f32, f32, f32) {
    // size, line height, space above
    match level {
        1 => (16.0, 21.0, 14.0),
        2 => (13.0, 18.0, 11.0),
        _ => (11.5, 16.0, 8.0),
    }
}

/// Greedy word wrap over styled runs, measuring with the font's advances. A word wider than
/// the line is broken between characters.
pub fn wrap(fonts: &Fonts, runs: &[Run], size: f32, width: f32) -> Result<Vec<Line>> {
    // (style, text, width, is_space)
    let mut pieces: Vec<(Style, String, f32, bool)> = Vec::new();
    for r in runs {
        let style = Style::of(r.bold, r.italic);
        let mut word = String::new();
        for c in r.text.chars() {
            if c == ' ' || c == '\n' {
                if !word.is_empty() {
                    let w = fonts.width(&word, style, size)?;
                    pieces.push((style, std::mem::take(&mut word), w, false));
                }
                let w = fonts.width(" ", style, size)?;
                pieces.push((
                    style,
                    if c == '\n' { "\n".into() } else { " ".into() },
                    w,
                    true,
                ));
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            let w = fonts.width(&word, style, size)?;
            pieces.push((style, word, w, false));
        }
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut line: Line = Vec::new();
    let mut x = 0.0f32;
    let push = |line: &mut Line, style: Style, text: &str, x: f32| match line.last_mut() {
        Some((s, t, _)) if *s == style => t.push_str(text),
        _ => line.push((style, text.to_string(), x)),
    };
    for (style, text, w, space) in pieces {
        if space {
            if text == "\n" {
                lines.push(std::mem::take(&mut line));
                x = 0.0;
            } else if x > 0.0 {
                push(&mut line, style, " ", x);
                x += w;
            }
            continue;
        }
        if x + w > width && x > 0.0 {
            trim_end(&mut line);
            lines.push(std::mem::take(&mut line));
            x = 0.0;
        }
        if w > width {
            // A long unbroken string (a URL, a reference): break it where it must.
            for c in text.chars() {
                let cw = fonts.width(&c.to_string(), style, size)?;
                if x + cw > width && x > 0.0 {
                    lines.push(std::mem::take(&mut line));
                    x = 0.0;
                }
                push(&mut line, style, &c.to_string(), x);
                x += cw;
            }
            continue;
        }
        push(&mut line, style, &text, x);
        x += w;
    }
    trim_end(&mut line);
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

fn trim_end(line: &mut Line) {
    if let Some((_, t, _)) = line.last_mut() {
        while t.ends_with(' ') {
            t.pop();
        }
    }
}

fn line_width(fonts: &Fonts, line: &Line, size: f32) -> Result<f32> {
    match line.last() {
        Some((s, t, x)) => Ok(x + fonts.width(t, *s, size)?),
        None => Ok(0.0),
    }
}

struct Cursor {
    pages: Vec<Page>,
    /// The top of the next line.
    y: f32,
    structure: Vec<Node>,
    /// How the items drawn next are marked.
    mark: Mark,
}

impl Cursor {
    /// A new structure element; what is drawn next belongs to it.
    fn node(&mut self, role: Role, parent: Option<usize>) -> usize {
        self.structure.push(Node { role, parent });
        self.structure.len() - 1
    }
    fn mark_as(&mut self, node: usize) {
        self.mark = Mark::Of(node);
    }
    fn push(&mut self, item: Item) {
        let mark = self.mark;
        self.page().items.push((mark, item));
    }
    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }
    fn left(&self) -> f32 {
        self.y - BOTTOM
    }
    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page")
    }
    fn text_line(&mut self, line: &Line, x: f32, size: f32, lh: f32) {
        self.text_at(line, x, size, lh);
        self.y -= lh;
    }
    /// Draws a line on the current line's baseline without moving down (list markers).
    fn text_at(&mut self, line: &Line, x: f32, size: f32, lh: f32) {
        let baseline = self.y - lh * 0.78;
        for (style, text, dx) in line {
            if !text.is_empty() {
                self.push(Item::Text {
                    x: x + dx,
                    y: baseline,
                    size,
                    style: *style,
                    text: text.clone(),
                });
            }
        }
    }
}

/// How many of `n` lines to put on a page with room for `fit`, never stranding one line.
fn split_point(n: usize, fit: usize) -> usize {
    if fit >= n {
        return n;
    }
    let mut first = fit;
    if n - first == 1 && first > 0 {
        first -= 1; // a widow: take one more over
    }
    if first == 1 {
        first = 0; // an orphan: start the paragraph on the next page
    }
    first
}

/// A wrapped line, ending in the space it was broken at when more of its paragraph follows:
/// invisible on the page, it keeps the last word of one line apart from the first of the
/// next for anything that reads the text out (a screen reader, copy and paste).
fn spaced(line: &Line, more: bool) -> std::borrow::Cow<'_, Line> {
    match line.last() {
        Some((style, text, x)) if more && !text.ends_with(' ') => {
            let mut l = line.clone();
            let last = l.len() - 1;
            l[last] = (*style, format!("{text} "), *x);
            std::borrow::Cow::Owned(l)
        }
        _ => std::borrow::Cow::Borrowed(line),
    }
}

/// Places a paragraph's lines, marked as `body`; a list item's marker (`Lbl`) goes beside
/// its first line.
fn place_lines(
    c: &mut Cursor,
    lines: &[Line],
    x: f32,
    size: f32,
    lh: f32,
    body: usize,
    marker: Option<(&Line, usize)>,
) {
    c.mark_as(body);
    let mut rest = lines;
    let mut first_line = true;
    // Lines placed so far, so that each but the last ends with its word space.
    let mut placed = 0;
    while !rest.is_empty() {
        let fit = (c.left() / lh).floor().max(0.0) as usize;
        let take = split_point(rest.len(), fit);
        if take == 0 {
            c.new_page();
            // A fresh page holds at least two lines; take what fits there.
            let fit = ((c.left() / lh).floor() as usize).max(1);
            let take = split_point(rest.len(), fit).max(1.min(rest.len()));
            for l in &rest[..take] {
                if first_line && let Some((m, label)) = marker {
                    c.mark_as(label);
                    c.text_at(m, x - LIST_INDENT, size, lh);
                    c.mark_as(body);
                }
                first_line = false;
                placed += 1;
                c.text_line(&spaced(l, placed < lines.len()), x, size, lh);
            }
            rest = &rest[take..];
            continue;
        }
        for l in &rest[..take] {
            if first_line && let Some((m, label)) = marker {
                c.mark_as(label);
                c.text_at(m, x - LIST_INDENT, size, lh);
                c.mark_as(body);
            }
            first_line = false;
            placed += 1;
            c.text_line(&spaced(l, placed < lines.len()), x, size, lh);
        }
        rest = &rest[take..];
        if !rest.is_empty() {
            c.new_page();
        }
    }
}

pub fn layout(fonts: &Fonts, blocks: &[Block]) -> Result<Laid> {
    let mut c = Cursor {
        pages: vec![Page::default()],
        y: TOP,
        structure: Vec::new(),
        mark: Mark::Artifact,
    };
    let mut outline = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Heading { level, text } => {
                let (size, lh, above) = heading_metrics(*level);
                let lines = wrap(fonts, &[Run::bold(text.clone())], size, TEXT_W)?;
                // Keep with next: the heading and two lines of what follows share a page.
                let next = match blocks.get(i + 1) {
                    Some(Block::Table(_) | Block::Facts(_) | Block::Notice(_)) => {
                        2.0 * (TABLE_LH + 2.0 * PAD_Y)
                    }
                    Some(_) => 2.0 * BODY_LH,
                    None => 0.0,
                };
                let above = if (c.y - TOP).abs() < 0.01 { 0.0 } else { above };
                if c.left() < above + lh * lines.len() as f32 + next {
                    c.new_page();
                } else {
                    c.y -= above;
                }
                outline.push(OutlineEntry {
                    level: *level,
                    title: text.clone(),
                    page: c.pages.len() - 1,
                    y: c.y,
                });
                let h = c.node(Role::heading(*level), None);
                c.mark_as(h);
                for (n, l) in lines.iter().enumerate() {
                    c.text_line(&spaced(l, n + 1 < lines.len()), MARGIN_X, size, lh);
                }
                c.y -= 3.0;
            }
            Block::Paragraph(runs) => {
                let lines = wrap(fonts, runs, BODY, TEXT_W)?;
                let p = c.node(Role::P, None);
                place_lines(&mut c, &lines, MARGIN_X, BODY, BODY_LH, p, None);
                c.y -= PARA_GAP;
            }
            Block::List { ordered, items } => {
                let list = c.node(Role::L, None);
                for (n, item) in items.iter().enumerate() {
                    let mark = if *ordered {
                        format!("{}.", n + 1)
                    } else {
                        "•".into()
                    };
                    let marker: Line = vec![(Style::Regular, mark.clone(), 0.0)];
                    fonts.width(&mark, Style::Regular, BODY)?;
                    let lines = wrap(fonts, item, BODY, TEXT_W - LIST_INDENT)?;
                    let li = c.node(Role::LI, Some(list));
                    let label = c.node(Role::Lbl, Some(li));
                    let body = c.node(Role::LBody, Some(li));
                    place_lines(
                        &mut c,
                        &lines,
                        MARGIN_X + LIST_INDENT,
                        BODY,
                        BODY_LH,
                        body,
                        Some((&marker, label)),
                    );
                    c.y -= 2.0;
                }
                c.y -= PARA_GAP;
            }
            Block::Table(t) => {
                table(fonts, &mut c, t, true, false)?;
                c.y -= PARA_GAP + 4.0;
            }
            Block::Facts(rows) => {
                let t = Table {
                    columns: vec![
                        Column {
                            header: String::new(),
                            width: 1.0,
                            align: Align::Left,
                        },
                        Column {
                            header: String::new(),
                            width: 2.4,
                            align: Align::Left,
                        },
                    ],
                    rows: rows
                        .iter()
                        .map(|(k, v)| vec![k.clone(), v.clone()])
                        .collect(),
                };
                table(fonts, &mut c, &t, false, true)?;
                c.y -= PARA_GAP + 4.0;
            }
            Block::Notice(runs) => {
                let lines = wrap(fonts, runs, BODY, TEXT_W - 2.0 * NOTICE_PAD)?;
                let h = lines.len() as f32 * BODY_LH + 2.0 * NOTICE_PAD;
                if c.left() < h && (c.y - TOP).abs() > 0.01 {
                    c.new_page();
                }
                let top = c.y;
                // The box is shading; what it says reads as a paragraph.
                c.mark = Mark::Artifact;
                c.push(Item::Fill {
                    x: MARGIN_X,
                    y: top - h,
                    w: TEXT_W,
                    h,
                    grey: 0.88,
                });
                c.y -= NOTICE_PAD;
                let p = c.node(Role::P, None);
                place_lines(
                    &mut c,
                    &lines,
                    MARGIN_X + NOTICE_PAD,
                    BODY,
                    BODY_LH,
                    p,
                    None,
                );
                c.y = top - h - PARA_GAP - 2.0;
            }
            Block::PageBreak => {
                if (c.y - TOP).abs() > 0.01 {
                    c.new_page();
                }
            }
        }
    }
    Ok(Laid {
        pages: c.pages,
        outline,
        structure: c.structure,
    })
}

struct Cols {
    x: Vec<f32>,
    w: Vec<f32>,
}

fn columns(t: &Table) -> Cols {
    let total: f32 = t.columns.iter().map(|c| c.width.max(0.01)).sum();
    let mut x = Vec::new();
    let mut w = Vec::new();
    let mut at = MARGIN_X;
    for col in &t.columns {
        let cw = col.width.max(0.01) / total * TEXT_W;
        x.push(at);
        w.push(cw);
        at += cw;
    }
    Cols { x, w }
}

fn wrap_row(
    fonts: &Fonts,
    cells: &[String],
    cols: &Cols,
    bold: bool,
    key_bold: bool,
) -> Result<Vec<Vec<Line>>> {
    cells
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let run = Run {
                text: text.clone(),
                bold: bold || (key_bold && i == 0),
                italic: false,
            };
            wrap(fonts, &[run], TABLE_SIZE, cols.w[i] - 2.0 * PAD_X)
        })
        .collect()
}

/// Draws `lines[from..to]` of each cell as one row band at the cursor, each cell's text
/// marked as `marks[cell]`.
#[allow(clippy::too_many_arguments)]
fn draw_band(
    fonts: &Fonts,
    c: &mut Cursor,
    t: &Table,
    cols: &Cols,
    cells: &[Vec<Line>],
    marks: &[Mark],
    lines: std::ops::Range<usize>,
    header: bool,
) -> Result<()> {
    let (from, to) = (lines.start, lines.end);
    let h = (to - from) as f32 * TABLE_LH + 2.0 * PAD_Y;
    let top = c.y;
    c.mark = Mark::Artifact;
    if header {
        c.push(Item::Fill {
            x: MARGIN_X,
            y: top - h,
            w: TEXT_W,
            h,
            grey: 0.9,
        });
    }
    for (i, lines) in cells.iter().enumerate() {
        c.mark = marks[i];
        let mut y = top - PAD_Y;
        for (n, l) in lines.iter().enumerate().skip(from).take(to - from) {
            let lw = line_width(fonts, l, TABLE_SIZE)?;
            let l = spaced(l, n + 1 < lines.len());
            let x = match t.columns[i].align {
                Align::Left => cols.x[i] + PAD_X,
                Align::Right => cols.x[i] + cols.w[i] - PAD_X - lw,
            };
            let baseline = y - TABLE_LH * 0.78;
            for (style, text, dx) in l.iter() {
                c.push(Item::Text {
                    x: x + dx,
                    y: baseline,
                    size: TABLE_SIZE,
                    style: *style,
                    text: text.clone(),
                });
            }
            y -= TABLE_LH;
        }
    }
    c.y -= h;
    let y = c.y;
    c.mark = Mark::Artifact;
    c.push(Item::Line {
        x1: MARGIN_X,
        y1: y,
        x2: MARGIN_X + TEXT_W,
        y2: y,
        width: if header { 1.0 } else { 0.5 },
    });
    Ok(())
}

/// The heavy rule a table starts with on each page it runs onto.
fn top_rule(c: &mut Cursor) {
    let y = c.y;
    c.mark = Mark::Artifact;
    c.push(Item::Line {
        x1: MARGIN_X,
        y1: y,
        x2: MARGIN_X + TEXT_W,
        y2: y,
        width: 1.0,
    });
}

/// `header`: draw the header row (repeated on each page); `key_bold`: the first column is
/// bold and heads its row, as in a block of facts.
fn table(fonts: &Fonts, c: &mut Cursor, t: &Table, header: bool, key_bold: bool) -> Result<()> {
    let cols = columns(t);
    let headers: Vec<String> = t.columns.iter().map(|c| c.header.clone()).collect();
    let head = wrap_row(fonts, &headers, &cols, true, false)?;
    let head_lines = head.iter().map(Vec::len).max().unwrap_or(1);
    let head_h = if header {
        head_lines as f32 * TABLE_LH + 2.0 * PAD_Y
    } else {
        0.0
    };
    let band = |n: usize| n as f32 * TABLE_LH + 2.0 * PAD_Y;
    // The header and the first row start together.
    let first_h = t
        .rows
        .first()
        .map(|r| {
            wrap_row(fonts, r, &cols, false, key_bold)
                .map(|cells| cells.iter().map(Vec::len).max().unwrap_or(1))
        })
        .transpose()?
        .map(band)
        .unwrap_or(0.0);
    if c.left() < head_h + first_h.min(TOP - BOTTOM - head_h) {
        c.new_page();
    }
    let table = c.node(Role::Table, None);
    // The header row is read once, where the table starts; its repeats are artifacts.
    let repeated = vec![Mark::Artifact; t.columns.len()];
    top_rule(c);
    if header {
        let tr = c.node(Role::TR, Some(table));
        let marks: Vec<Mark> = t
            .columns
            .iter()
            .map(|_| Mark::Of(c.node(Role::TH(Scope::Column), Some(tr))))
            .collect();
        draw_band(fonts, c, t, &cols, &head, &marks, 0..head_lines, true)?;
    }
    for row in &t.rows {
        let cells = wrap_row(fonts, row, &cols, false, key_bold)?;
        let tr = c.node(Role::TR, Some(table));
        let marks: Vec<Mark> = (0..row.len())
            .map(|i| {
                let role = if key_bold && i == 0 {
                    Role::TH(Scope::Row)
                } else {
                    Role::TD
                };
                Mark::Of(c.node(role, Some(tr)))
            })
            .collect();
        let n = cells.iter().map(Vec::len).max().unwrap_or(1);
        let mut from = 0;
        while from < n {
            let fit = ((c.left() - 2.0 * PAD_Y) / TABLE_LH).floor().max(0.0) as usize;
            let whole_fits_fresh = band(n - from) <= TOP - BOTTOM - head_h;
            let take = if fit >= n - from {
                n - from
            } else if whole_fits_fresh || fit == 0 {
                0
            } else {
                fit // taller than a page: split it line by line
            };
            if take == 0 {
                c.new_page();
                top_rule(c);
                if header {
                    draw_band(fonts, c, t, &cols, &head, &repeated, 0..head_lines, true)?;
                }
                continue;
            }
            draw_band(fonts, c, t, &cols, &cells, &marks, from..from + take, false)?;
            from += take;
        }
    }
    Ok(())
}

#[cfg(test)]
mod split_tests {
    use super::split_point;

    #[test]
    fn never_strands_a_line_and_never_underflows() {
        assert_eq!(split_point(5, 10), 5);
        assert_eq!(split_point(5, 4), 3, "a widow takes one more over");
        assert_eq!(split_point(5, 1), 0, "an orphan starts on the next page");
        // A one-line paragraph with no room left goes to the next page (this underflowed).
        assert_eq!(split_point(1, 0), 0);
        assert_eq!(split_point(2, 0), 0);
    }
}

#[cfg(test)]
mod structure_tests {
    use super::*;
    use crate::docs::{Align, Column};

    fn table(rows: Vec<Vec<String>>) -> Block {
        Block::Table(Table {
            columns: vec![
                Column {
                    header: "Item".into(),
                    width: 1.0,
                    align: Align::Left,
                },
                Column {
                    header: "Notes".into(),
                    width: 3.0,
                    align: Align::Left,
                },
            ],
            rows,
        })
    }

    /// The elements marked on each page, in order, without repeats.
    fn marked(laid: &Laid, page: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for (m, _) in &laid.pages[page].items {
            if let Mark::Of(n) = m
                && out.last() != Some(n)
            {
                out.push(*n);
            }
        }
        out
    }

    #[test]
    fn a_table_over_pages_is_one_table_its_header_read_once_and_a_split_row_one_set_of_cells() {
        // A row taller than a page, then short rows enough to run onto a third page.
        let long = "A note that goes on. ".repeat(400);
        let mut rows = vec![vec!["First".to_string(), long]];
        rows.extend((0..60).map(|i| vec![format!("Row {i}"), "Short".to_string()]));
        let laid = layout(Fonts::shared(), &[table(rows)]).unwrap();
        assert!(laid.pages.len() >= 3, "{} pages", laid.pages.len());
        let s = &laid.structure;
        let tables = s.iter().filter(|n| n.role == Role::Table).count();
        assert_eq!(tables, 1);
        let rows: Vec<usize> = (0..s.len()).filter(|&i| s[i].role == Role::TR).collect();
        assert_eq!(
            rows.len(),
            1 + 61,
            "the header row and every row, once each"
        );
        let heads: Vec<&Node> = s
            .iter()
            .filter(|n| n.role == Role::TH(Scope::Column))
            .collect();
        assert_eq!(heads.len(), 2, "the header cells once, not once a page");
        // The long row's notes cell is one element, with content on the first two pages.
        let cells: Vec<usize> = (0..s.len())
            .filter(|&i| s[i].parent == Some(rows[1]))
            .collect();
        assert_eq!(cells.len(), 2);
        let notes = cells[1];
        assert!(marked(&laid, 0).contains(&notes) && marked(&laid, 1).contains(&notes));
        // On a later page the repeated header is drawn, but as an artifact.
        let later = &laid.pages[2];
        let header_texts: Vec<&Mark> = later
            .items
            .iter()
            .filter(
                |(_, i)| matches!(i, Item::Text { text, .. } if text == "Item" || text == "Notes"),
            )
            .map(|(m, _)| m)
            .collect();
        assert_eq!(header_texts, [&Mark::Artifact, &Mark::Artifact]);
        // Every element's parent comes before it: the tree is in reading order.
        assert!(
            s.iter()
                .enumerate()
                .all(|(i, n)| n.parent.is_none_or(|p| p < i))
        );
    }

    #[test]
    fn a_list_item_is_a_label_and_a_body_and_a_heading_its_level() {
        let laid = layout(
            Fonts::shared(),
            &[
                Block::Heading {
                    level: 2,
                    text: "Recommendations".into(),
                },
                Block::List {
                    ordered: true,
                    items: vec![vec![Run::plain("Extend the contract.")]],
                },
            ],
        )
        .unwrap();
        let roles: Vec<Role> = laid.structure.iter().map(|n| n.role).collect();
        assert_eq!(roles, [Role::H2, Role::L, Role::LI, Role::Lbl, Role::LBody]);
        // The marker "1." is the label's content, the text the body's.
        let texts: Vec<(Mark, &str)> = laid.pages[0]
            .items
            .iter()
            .filter_map(|(m, i)| match i {
                Item::Text { text, .. } => Some((*m, text.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                (Mark::Of(0), "Recommendations"),
                (Mark::Of(3), "1."),
                (Mark::Of(4), "Extend the contract."),
            ]
        );
    }
}
