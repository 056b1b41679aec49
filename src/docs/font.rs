//! Liberation Sans (SIL OFL 1.1, metric-compatible with Arial), embedded in the binary and
//! measured with the font's own advances. A character the font lacks is an error naming it.
use printpdf::ParsedFont;

use crate::error::{Error, Result};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSans-BoldItalic.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Style {
    pub fn of(bold: bool, italic: bool) -> Style {
        match (bold, italic) {
            (false, false) => Style::Regular,
            (true, false) => Style::Bold,
            (false, true) => Style::Italic,
            (true, true) => Style::BoldItalic,
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

pub struct Face {
    pub parsed: ParsedFont,
    units_per_em: f32,
    /// Advance widths for ASCII and Latin-1, looked up once: nearly all text is here.
    fast: [Option<u16>; 256],
}

impl Face {
    fn load(bytes: &[u8], name: &str) -> Face {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .unwrap_or_else(|| panic!("the bundled font {name} is readable"));
        let units_per_em = parsed.font_metrics.units_per_em as f32;
        let mut fast = [None; 256];
        for (c, slot) in fast.iter_mut().enumerate() {
            *slot = parsed
                .lookup_glyph_index(c as u32)
                .and_then(|g| parsed.get_glyph_width_internal(g))
                .map(|w| w as u16);
        }
        Face {
            parsed,
            units_per_em,
            fast,
        }
    }

    fn advance(&self, c: char) -> Option<u16> {
        let u = c as u32;
        if u < 256 {
            return self.fast[u as usize];
        }
        self.parsed
            .lookup_glyph_index(u)
            .and_then(|g| self.parsed.get_glyph_width_internal(g))
            .map(|w| w as u16)
    }
}

pub struct Fonts {
    pub faces: [Face; 4],
}

impl Fonts {
    pub fn load() -> Fonts {
        Fonts {
            faces: [
                Face::load(REGULAR, "LiberationSans-Regular"),
                Face::load(BOLD, "LiberationSans-Bold"),
                Face::load(ITALIC, "LiberationSans-Italic"),
                Face::load(BOLD_ITALIC, "LiberationSans-BoldItalic"),
            ],
        }
    }

    /// Loaded once per process: parsing four faces costs more than laying out a paper.
    pub fn shared() -> &'static Fonts {
        static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
        FONTS.get_or_init(Fonts::load)
    }

    /// Every character of `text` is in the font (all four faces cover the same set).
    pub fn check(&self, text: &str) -> Result<()> {
        let face = self.face(Style::Regular);
        match text
            .chars()
            .find(|&c| !c.is_control() && face.advance(c).is_none())
        {
            Some(c) => Err(missing(c, text)),
            None => Ok(()),
        }
    }

    pub fn face(&self, s: Style) -> &Face {
        &self.faces[s.index()]
    }

    /// The width of `text` in points, or an error naming the first character the font lacks.
    pub fn width(&self, text: &str, style: Style, size: f32) -> Result<f32> {
        let face = self.face(style);
        let mut units = 0u32;
        for c in text.chars() {
            match face.advance(c) {
                Some(a) => units += a as u32,
                None => return Err(missing(c, text)),
            }
        }
        Ok(units as f32 / face.units_per_em * size)
    }
}

fn missing(c: char, text: &str) -> Error {
    let excerpt: String = text.chars().take(60).collect();
    Error::validation(
        "text",
        format!(
            "the character “{c}” (U+{:04X}) is not in the document font, Liberation Sans; replace it in: “{excerpt}”",
            c as u32
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_with_real_advances_and_names_missing_characters() {
        let f = Fonts::load();
        // Liberation Sans is metric-compatible with Arial: "i" is narrower than "W".
        let i = f.width("i", Style::Regular, 10.0).unwrap();
        let w = f.width("W", Style::Regular, 10.0).unwrap();
        assert!(i < w / 3.0, "{i} {w}");
        assert!(f.width("£1,462,000 – ’ •", Style::Bold, 11.0).is_ok());
        let e = f.width("Budget ☃ line", Style::Regular, 11.0).unwrap_err();
        assert!(e.message.contains("U+2603"), "{}", e.message);
    }
}
