//! CSV (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled. Text that
//! a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) is prefixed with an apostrophe, so opening the file never runs anything.

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, from the code: quoted when needed and defused.
    Text(String),
    /// A number.
    Number(f64),
}

fn field(cell: &Cell) -> String {
    match cell {
        Cell::Number(x) if x.is_finite() => {
            if x.fract() == 0.0 && x.abs() < 1e15 {
                format!("{x:.0}")
            } else {
                format!("{x:.4}")
            }
        }
        Cell::Number(_) => String::new(),
        Cell::Text(text) => {
            let defused =
                if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.clone() };
            if defused.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", defused.replace('"', "\"\""))
            } else {
                defused
            }
        }
    }
}

/// The table with `header` as its first row; lines end in CRLF as RFC 4180 says.
#[must_use]
pub fn write(header: &[&str], rows: impl IntoIterator<Item = Vec<Cell>>) -> String {
    let mut out = header.iter().map(|h| field(&Cell::Text((*h).to_owned()))).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(field).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
