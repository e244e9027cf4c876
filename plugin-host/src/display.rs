//! Plugin text made safe to read: characters that are invisible or reorder what follows them are
//! shown as visible escapes.
//!
//! A manifest's author and description, a parameter's help, a finding or a log line are the
//! plugin's words. The page only ever inserts them as text, never as HTML, but text alone can
//! still lie: `helper<U+202E>gnp.exe` displays as `helperexe.png`, and zero-width or
//! direction-isolating characters hide or move what a user reads in a consent dialog. [`visible`]
//! turns each such character into `⟨U+202E⟩`.

use std::borrow::Cow;

/// Whether `c` is invisible, changes the direction of text around it, or is not meant to appear
/// in text at all.
fn hidden(c: char) -> bool {
    matches!(c,
        // Controls other than tab and newline (C0, DEL, C1).
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Soft hyphen, combining grapheme joiner, Arabic letter mark, Hangul and other blank fillers.
        | '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{180e}'
        | '\u{3164}' | '\u{ffa0}'
        // Zero-width spaces and joiners, direction marks, line and paragraph separators,
        // embeddings and overrides, invisible operators, isolates, deprecated format characters.
        | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}'
        // Variation selectors (they can smuggle data after any character), byte order mark.
        | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{e0100}'..='\u{e01ef}'
        // Interlinear annotation, tags, noncharacters.
        | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}' | '\u{fdd0}'..='\u{fdef}'
    ) || (c as u32 & 0xfffe) == 0xfffe
        // Private use areas: no agreed glyph.
        || matches!(c, '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..='\u{10ffff}')
}

/// `text` with every hidden or direction-changing character written as `⟨U+XXXX⟩`; borrowed
/// unchanged when there is none.
#[must_use]
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reordering_and_invisible_characters_are_shown() {
        assert_eq!(visible("helper\u{202e}gnp.exe"), "helper⟨U+202E⟩gnp.exe");
        assert_eq!(visible("a\u{200b}b\u{2066}c\u{feff}"), "a⟨U+200B⟩b⟨U+2066⟩c⟨U+FEFF⟩");
        assert_eq!(visible("x\u{fe0f}\u{e0041}"), "x⟨U+FE0F⟩⟨U+E0041⟩");
        assert_eq!(visible("bell\u{7}"), "bell⟨U+0007⟩");
        assert_eq!(visible("\u{ffff}"), "⟨U+FFFF⟩");
        assert!(matches!(visible("Plain text, ünïcödé, 日本語, emoji 🦀\nand a tab\t"), Cow::Borrowed(_)));
    }
}
