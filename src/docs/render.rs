//! From laid-out pages to PDF bytes: printpdf draws the pages, each item inside the marked
//! content its structure element or artifact needs, and embeds the fonts (subset); lopdf adds
//! what printpdf 0.12 cannot: the document language, a nested outline, and what makes the
//! file a tagged PDF (PDF/UA-1): the structure tree, its parent tree and the XMP that says so.
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Color, DictItem, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem,
};

use super::DocSpec;
use super::font::{Fonts, Style};
use super::layout::{
    self, BOTTOM, Item, Laid, MARGIN_X, Mark, PAGE_H, PAGE_W, Role, Scope, TEXT_W,
};
use crate::error::{Error, ErrorCode, Result};

/// Lays out and renders a document. Returns the PDF and its page count.
pub fn render(fonts: &Fonts, spec: &DocSpec) -> Result<(Vec<u8>, usize)> {
    render_with_progress(fonts, spec, &mut |_, _| {})
}

/// As `render`, telling `progress(page, pages)` as each page is drawn, so a long document
/// can show how far it has got.
pub fn render_with_progress(
    fonts: &Fonts,
    spec: &DocSpec,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(Vec<u8>, usize)> {
    // The header and footer text is checked against the font like everything else.
    for s in [&spec.reference, &spec.marking, &spec.title] {
        fonts.width(s, Style::Regular, 9.0)?;
    }
    let with_anchor;
    let blocks = match &spec.anchor {
        Some(a) => {
            with_anchor = [spec.blocks.clone(), vec![anchor_block(a)]].concat();
            &with_anchor
        }
        None => &spec.blocks,
    };
    let mut laid = layout::layout(fonts, blocks)?;
    let total = laid.pages.len();
    let mut doc = PdfDocument::new(&spec.title);
    // Fixed font ids (printpdf's add_font draws random ones, which also become the subset
    // tags): the same content and date then give the same bytes, so a kept document's
    // SHA-256 can be checked by rendering it again from the workspace.
    let ids: Vec<FontId> = fonts
        .faces
        .iter()
        .zip(SUBSET_TAGS)
        .map(|(f, tag)| {
            let id = FontId(tag.to_string());
            doc.resources
                .fonts
                .map
                .insert(id.clone(), PdfFont::new(f.parsed.clone()));
            id
        })
        .collect();
    let font = |s: Style| PdfFontHandle::External(ids[s.index()].clone());

    let mut pages = Vec::with_capacity(total);
    // For each page, the structure element of each marked-content id (MCID) on it, in order:
    // the page's entry in the structure tree's parent tree.
    let mut mcids: Vec<Vec<usize>> = Vec::with_capacity(total);
    // Each page's items are consumed as its operations are made (their text moves, not
    // copies), so a long document is not held twice over.
    for (n, page) in std::mem::take(&mut laid.pages).into_iter().enumerate() {
        let mut ops = Vec::with_capacity(page.items.len() * 5 + 60);
        let mut on_page: Vec<usize> = Vec::new();
        let text = |ops: &mut Vec<Op>, x: f32, y: f32, size: f32, style: Style, s: String| {
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont {
                font: font(style),
                size: Pt(size),
            });
            ops.push(Op::SetTextCursor {
                pos: Point { x: Pt(x), y: Pt(y) },
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(s)],
            });
            ops.push(Op::EndTextSection);
        };
        // Consecutive items of one element share one marked-content sequence.
        let mut open: Option<Mark> = None;
        for (mark, item) in page.items {
            if open != Some(mark) {
                if open.is_some() {
                    ops.push(Op::EndMarkedContent);
                }
                ops.push(begin_marked(mark, &laid.structure, &mut on_page));
                open = Some(mark);
            }
            match item {
                Item::Text {
                    x,
                    y,
                    size,
                    style,
                    text: s,
                } => text(&mut ops, x, y, size, style, s),
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    ops.push(Op::SetOutlineColor { col: grey(0.35) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: Point {
                                        x: Pt(x1),
                                        y: Pt(y1),
                                    },
                                    bezier: false,
                                },
                                LinePoint {
                                    p: Point {
                                        x: Pt(x2),
                                        y: Pt(y2),
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
                Item::Fill {
                    x,
                    y,
                    w,
                    h,
                    grey: g,
                } => {
                    ops.push(Op::SetFillColor { col: grey(g) });
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: Pt(x),
                            y: Pt(y),
                            width: Pt(w),
                            height: Pt(h),
                            mode: Some(PaintMode::Fill),
                            winding_order: None,
                        },
                    });
                    ops.push(Op::SetFillColor { col: grey(0.0) });
                }
            }
        }
        if open.is_some() {
            ops.push(Op::EndMarkedContent);
        }
        // Header: reference on the left, marking on the right; footer: marking and page.
        // Both are pagination artifacts: a screen reader does not read them on every page.
        ops.push(pagination("Header"));
        let head_y = PAGE_H - 44.0;
        text(
            &mut ops,
            MARGIN_X,
            head_y,
            8.5,
            Style::Regular,
            spec.reference.clone(),
        );
        let mw = fonts.width(&spec.marking, Style::Bold, 9.0)?;
        text(
            &mut ops,
            MARGIN_X + TEXT_W - mw,
            head_y,
            9.0,
            Style::Bold,
            spec.marking.clone(),
        );
        let page_label = format!("Page {} of {}", n + 1, total);
        let pw = fonts.width(&page_label, Style::Regular, 8.5)?;
        let foot_y = BOTTOM - 34.0;
        ops.push(Op::EndMarkedContent);
        ops.push(pagination("Footer"));
        text(
            &mut ops,
            MARGIN_X,
            foot_y,
            9.0,
            Style::Bold,
            spec.marking.clone(),
        );
        text(
            &mut ops,
            MARGIN_X + TEXT_W - pw,
            foot_y,
            8.5,
            Style::Regular,
            page_label,
        );
        ops.push(Op::EndMarkedContent);
        pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
        mcids.push(on_page);
        progress(n + 1, total);
    }
    doc.with_pages(pages);
    let info = &mut doc.metadata.info;
    info.author = spec.author.clone();
    info.subject = spec.subject.clone();
    info.creator = "Lotwise".into();
    info.producer = "Lotwise (printpdf)".into();
    let when = printpdf::OffsetDateTime::from_unix_timestamp(spec.created.timestamp())
        .map_err(|e| Error::new(ErrorCode::Storage, format!("document date: {e}")))?;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;

    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    // The pages' operations are in `lo` now: free them before the structure tree is built.
    drop(doc);
    number_marked_content(&mut lo, &mcids)
        .map_err(|e| Error::new(ErrorCode::Storage, format!("PDF marked content: {e}")))?;
    set_document_id(&mut lo, spec);
    let mut info = spec.info.clone();
    if let Some(a) = &spec.anchor {
        info.push((
            super::ANCHOR_KEY.to_string(),
            serde_json::to_string(a).expect("serialisable"),
        ));
    }
    add_info(&mut lo, &info)
        .map_err(|e| Error::new(ErrorCode::Storage, format!("PDF information: {e}")))?;
    finish(&mut lo, &laid)
        .map_err(|e| Error::new(ErrorCode::Storage, format!("PDF outline: {e}")))?;
    tag(&mut lo, &laid, &mcids, spec)
        .map_err(|e| Error::new(ErrorCode::Storage, format!("PDF structure tree: {e}")))?;
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| Error::new(ErrorCode::Storage, format!("PDF could not be written: {e}")))?;
    Ok((out, total))
}

/// Opens a marked-content sequence: `/P BMC` for content, which `number_marked_content`
/// makes `/P <</MCID 3>> BDC` (`on_page` learns which element each belongs to, in order), or
/// `/Artifact BMC` for an artifact.
fn begin_marked(mark: Mark, structure: &[layout::Node], on_page: &mut Vec<usize>) -> Op {
    match mark {
        Mark::Artifact => Op::BeginMarkedContent {
            tag: "Artifact".into(),
        },
        Mark::Of(node) => {
            on_page.push(node);
            Op::BeginMarkedContent {
                tag: structure[node].role.name().into(),
            }
        }
    }
}

/// Gives each piece of tagged content on a page its marked-content id: `/TD BMC` becomes
/// `/TD <</MCID 7>> BDC`, numbered in order down the page as the parent tree expects. Why
/// not have printpdf write the property list: it holds each one as a map until the whole
/// document is written, which for the cells of a 100-page document is megabytes.
fn number_marked_content(
    doc: &mut lopdf::Document,
    mcids: &[Vec<usize>],
) -> std::result::Result<(), String> {
    use std::io::Write;
    let page_ids: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    for (page, id) in page_ids.iter().enumerate() {
        let contents = doc
            .get_dictionary(*id)
            .and_then(|d| d.get(b"Contents"))
            .and_then(Object::as_reference)
            .map_err(|e| e.to_string())?;
        let stream = doc
            .get_object_mut(contents)
            .and_then(Object::as_stream_mut)
            .map_err(|e| e.to_string())?;
        let want = mcids.get(page).map_or(0, Vec::len);
        let mut out = Vec::with_capacity(stream.content.len() + want * 16);
        let mut n = 0;
        // lopdf writes one operation a line, operands first: `/TD BMC`.
        for (i, line) in stream.content.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                out.push(b'\n');
            }
            match line.strip_suffix(b" BMC") {
                Some(tag) if tag != b"/Artifact" => {
                    out.extend_from_slice(tag);
                    write!(out, " <</MCID {n}>> BDC").map_err(|e| e.to_string())?;
                    n += 1;
                }
                _ => out.extend_from_slice(line),
            }
        }
        if n != want {
            return Err(format!(
                "page {}: {n} pieces of tagged content, the structure tree has {want}",
                page + 1
            ));
        }
        stream.set_content(out);
    }
    Ok(())
}

/// `/Artifact <</Type /Pagination /Subtype /Header>> BDC` (ISO 32000-1, 14.8.2.2).
fn pagination(subtype: &str) -> Op {
    Op::BeginMarkedContentWithProperties {
        tag: "Artifact".into(),
        properties: DictItem::Dict {
            map: [
                ("Type".to_string(), DictItem::Name(b"Pagination".to_vec())),
                (
                    "Subtype".to_string(),
                    DictItem::Name(subtype.as_bytes().to_vec()),
                ),
            ]
            .into(),
        },
    }
}

/// The anchor as the document's last paragraph, for a person holding the printed copy.
pub(crate) fn anchor_block(a: &crate::domain::anchor::Anchor) -> super::Block {
    // A box of its own: it is about the record, not part of the document's last section.
    super::Block::Notice(vec![
        super::Run::bold(format!("{}.", a.describe())),
        super::Run::plain(
            " Lotwise checks a workspace against this document with lotwise audit verify --anchor and this file, which shows whether any of those events has since been removed or rewritten.",
        ),
    ])
}

/// A dictionary the trailer points to: `Root` (the catalog) or `Info`.
fn trailer_dict<'a>(
    doc: &'a mut lopdf::Document,
    key: &[u8],
) -> std::result::Result<&'a mut Dictionary, String> {
    let id = doc
        .trailer
        .get(key)
        .and_then(Object::as_reference)
        .map_err(|e| e.to_string())?;
    doc.get_object_mut(id)
        .and_then(Object::as_dict_mut)
        .map_err(|e| e.to_string())
}

fn add_info(
    doc: &mut lopdf::Document,
    extra: &[(String, String)],
) -> std::result::Result<(), String> {
    if extra.is_empty() {
        return Ok(());
    }
    let info = trailer_dict(doc, b"Info")?;
    for (k, v) in extra {
        info.set(k.as_bytes().to_vec(), text_string(v));
    }
    Ok(())
}

/// Reads a text entry of a PDF's document information dictionary (UTF-16 or PDFDocEncoding).
pub fn info_entry(pdf: &[u8], key: &str) -> Option<String> {
    let doc = lopdf::Document::load_mem(pdf).ok()?;
    let id = doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .ok()?;
    let info = doc.get_object(id).and_then(Object::as_dict).ok()?;
    match info.get(key.as_bytes()).ok()? {
        Object::String(bytes, _) => {
            if bytes.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = bytes[2..]
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16(&units).ok()
            } else {
                Some(String::from_utf8_lossy(bytes).into_owned())
            }
        }
        _ => None,
    }
}

/// Six capital letters each, as ISO 32000 wants for a subset tag (`LWSANR+LiberationSans`).
const SUBSET_TAGS: [&str; 4] = ["LWSANR", "LWSANB", "LWSANI", "LWSANJ"];

/// The trailer's file identifier, derived from the content rather than drawn at random.
fn set_document_id(doc: &mut lopdf::Document, spec: &DocSpec) {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(spec.title.as_bytes());
    h.update(spec.reference.as_bytes());
    h.update(spec.created.timestamp().to_be_bytes());
    h.update(format!("{:?}", spec.blocks).as_bytes());
    h.update(format!("{:?}", spec.anchor).as_bytes());
    let id = h.finalize()[..16].to_vec();
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
}

fn grey(g: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: g,
        icc_profile: None,
    })
}

/// A PDF text string: UTF-16BE with a byte-order mark, so £ and ’ survive in the outline.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Sets the document language and builds the nested outline, one entry per heading.
fn finish(doc: &mut lopdf::Document, laid: &Laid) -> std::result::Result<(), String> {
    let page_ids: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    let outlines_id = doc.new_object_id();
    let entry_ids: Vec<ObjectId> = laid.outline.iter().map(|_| doc.new_object_id()).collect();
    // Parent of each entry: the nearest earlier entry of a higher level, or the root.
    let parents: Vec<Option<usize>> = (0..laid.outline.len())
        .map(|i| {
            (0..i)
                .rev()
                .find(|&j| laid.outline[j].level < laid.outline[i].level)
        })
        .collect();
    let children = |p: Option<usize>| -> Vec<usize> {
        (0..laid.outline.len())
            .filter(|&i| parents[i] == p)
            .collect()
    };
    fn count_desc(i: Option<usize>, parents: &[Option<usize>]) -> i64 {
        (0..parents.len())
            .filter(|&k| parents[k] == i)
            .map(|k| 1 + count_desc(Some(k), parents))
            .sum()
    }
    for (i, e) in laid.outline.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set(
            "Parent",
            Object::Reference(parents[i].map(|p| entry_ids[p]).unwrap_or(outlines_id)),
        );
        let page = page_ids
            .get(e.page)
            .copied()
            .ok_or("outline points past the last page")?;
        d.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(page),
                Object::Name(b"XYZ".to_vec()),
                Object::Integer(0),
                Object::Real(e.y + 6.0),
                Object::Null,
            ]),
        );
        let siblings = children(parents[i]);
        let pos = siblings
            .iter()
            .position(|&s| s == i)
            .expect("a child of its parent");
        if pos > 0 {
            d.set("Prev", Object::Reference(entry_ids[siblings[pos - 1]]));
        }
        if let Some(&n) = siblings.get(pos + 1) {
            d.set("Next", Object::Reference(entry_ids[n]));
        }
        let kids = children(Some(i));
        if let (Some(f), Some(l)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference(entry_ids[*f]));
            d.set("Last", Object::Reference(entry_ids[*l]));
            d.set("Count", Object::Integer(count_desc(Some(i), &parents)));
        }
        doc.objects.insert(entry_ids[i], Object::Dictionary(d));
    }
    let top = children(None);
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(f), Some(l)) = (top.first(), top.last()) {
        root.set("First", Object::Reference(entry_ids[*f]));
        root.set("Last", Object::Reference(entry_ids[*l]));
        root.set("Count", Object::Integer(count_desc(None, &parents)));
    }
    doc.objects.insert(outlines_id, Object::Dictionary(root));
    let catalog = trailer_dict(doc, b"Root")?;
    catalog.set(
        "Lang",
        Object::String(b"en-GB".to_vec(), StringFormat::Literal),
    );
    if !laid.outline.is_empty() {
        catalog.set("Outlines", Object::Reference(outlines_id));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    let _ = PAGE_W;
    Ok(())
}

/// Makes the document a tagged PDF (ISO 14289-1, PDF/UA-1): the structure tree from the
/// layout's elements with each page's marked content (`StructTreeRoot`, `ParentTree`,
/// `/StructParents`), `/MarkInfo`, the title shown in the window (`DisplayDocTitle`), tab
/// order by structure, and XMP metadata that declares PDF/UA-1 (clause 5).
fn tag(
    doc: &mut lopdf::Document,
    laid: &Laid,
    mcids: &[Vec<usize>],
    spec: &DocSpec,
) -> std::result::Result<(), String> {
    let page_ids: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    if page_ids.len() != mcids.len() {
        return Err("pages and their marked content differ in number".into());
    }
    let root_id = doc.new_object_id();
    let document_id = doc.new_object_id();
    let ids: Vec<ObjectId> = laid.structure.iter().map(|_| doc.new_object_id()).collect();
    // Each element's kids in reading order: child elements (made in reading order), or the
    // marked content that is its text, page by page.
    let mut kids: Vec<Vec<Object>> = vec![Vec::new(); ids.len()];
    let mut top = Vec::new();
    for (i, node) in laid.structure.iter().enumerate() {
        match node.parent {
            Some(p) => kids[p].push(Object::Reference(ids[i])),
            None => top.push(Object::Reference(ids[i])),
        }
    }
    // The page an element's content starts on; content on a later page names its page.
    let mut first_page: Vec<Option<usize>> = vec![None; ids.len()];
    let mut nums = Vec::with_capacity(2 * mcids.len());
    for (page, on_page) in mcids.iter().enumerate() {
        for (mcid, &node) in on_page.iter().enumerate() {
            let pg = *first_page[node].get_or_insert(page);
            kids[node].push(if pg == page {
                Object::Integer(mcid as i64)
            } else {
                Object::Dictionary(Dictionary::from_iter([
                    ("Type", Object::Name(b"MCR".to_vec())),
                    ("Pg", Object::Reference(page_ids[page])),
                    ("MCID", Object::Integer(mcid as i64)),
                ]))
            });
        }
        nums.push(Object::Integer(page as i64));
        nums.push(Object::Array(
            on_page.iter().map(|&n| Object::Reference(ids[n])).collect(),
        ));
    }
    for (i, node) in laid.structure.iter().enumerate() {
        // No `/Type /StructElem` (optional, ISO 32000-1 table 323): at four entries a cell's
        // dictionary takes half the memory it would at five, which a long document feels.
        let mut d = Dictionary::new();
        d.set("S", Object::Name(node.role.name().as_bytes().to_vec()));
        d.set(
            "P",
            Object::Reference(node.parent.map(|p| ids[p]).unwrap_or(document_id)),
        );
        if let Some(pg) = first_page[i] {
            d.set("Pg", Object::Reference(page_ids[pg]));
        }
        // One piece of content (a heading, a one-line cell) is its MCID alone.
        let k = match std::mem::take(&mut kids[i]).as_slice() {
            [Object::Integer(mcid)] => Object::Integer(*mcid),
            many => Object::Array(many.to_vec()),
        };
        d.set("K", k);
        if let Role::TH(scope) = node.role {
            let scope: &[u8] = match scope {
                Scope::Column => b"Column",
                Scope::Row => b"Row",
            };
            d.set(
                "A",
                Object::Dictionary(Dictionary::from_iter([
                    ("O", Object::Name(b"Table".to_vec())),
                    ("Scope", Object::Name(scope.to_vec())),
                ])),
            );
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    doc.objects.insert(
        document_id,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(b"Document".to_vec())),
            ("P", Object::Reference(root_id)),
            ("K", Object::Array(top)),
        ])),
    );
    doc.objects.insert(
        root_id,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            ("K", Object::Reference(document_id)),
            (
                "ParentTree",
                Object::Dictionary(Dictionary::from_iter([("Nums", Object::Array(nums))])),
            ),
            ("ParentTreeNextKey", Object::Integer(page_ids.len() as i64)),
        ])),
    );
    for (n, id) in page_ids.iter().enumerate() {
        let page = doc
            .get_object_mut(*id)
            .and_then(Object::as_dict_mut)
            .map_err(|e| e.to_string())?;
        page.set("StructParents", Object::Integer(n as i64));
        page.set("Tabs", Object::Name(b"S".to_vec()));
    }
    let mut xmp = lopdf::Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp(spec).into_bytes(),
    );
    // Left uncompressed, so a tool that reads only metadata finds it.
    xmp.allows_compression = false;
    let metadata_id = doc.add_object(xmp);
    let catalog = trailer_dict(doc, b"Root")?;
    catalog.set("StructTreeRoot", Object::Reference(root_id));
    catalog.set(
        "MarkInfo",
        Object::Dictionary(Dictionary::from_iter([("Marked", Object::Boolean(true))])),
    );
    catalog.set(
        "ViewerPreferences",
        Object::Dictionary(Dictionary::from_iter([(
            "DisplayDocTitle",
            Object::Boolean(true),
        )])),
    );
    catalog.set("Metadata", Object::Reference(metadata_id));
    Ok(())
}

/// The XMP packet: title, author, subject, language and dates as in the document information
/// dictionary, and `pdfuaid:part 1` (ISO 14289-1, clause 5).
fn xmp(spec: &DocSpec) -> String {
    use super::html::esc;
    let when = spec
        .created
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>Lotwise (printpdf)</pdf:Producer>
   <xmp:CreatorTool>Lotwise</xmp:CreatorTool>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
        title = esc(&spec.title),
        author = esc(&spec.author),
        subject = esc(&spec.subject),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_content_and_date_give_the_same_bytes() {
        let spec = crate::docs::sample::synthetic(3);
        let (a, _) = render(Fonts::shared(), &spec).unwrap();
        let (b, _) = render(Fonts::shared(), &spec).unwrap();
        assert!(a == b, "two renders of one document differ");
        let mut later = spec.clone();
        later.created += chrono::Duration::seconds(1);
        let (c, _) = render(Fonts::shared(), &later).unwrap();
        assert!(a != c);
    }
}
