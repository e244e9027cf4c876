//! The TOON text form of pt02 exports: a header `entities[N<TAB>]{field,…}:` and one
//! tab-separated row per record, strings quoted JSON-style when they need it.

use std::borrow::Cow;

use super::raw::{RawEdge, RawEntity, Text};
use super::{Document, FileProblem, Format};

/// True when the first non-blank line looks like a TOON table header.
pub(crate) fn looks_like_toon(bytes: &[u8]) -> bool {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 512)];
    let Some(open) = head.iter().position(|&b| b == b'[') else {
        return false;
    };
    open > 0
        && head[..open].iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        && head.get(open + 1).is_some_and(u8::is_ascii_digit)
}

struct Header<'a> {
    declared: u64,
    delimiter: char,
    fields: Vec<&'a str>,
}

fn syntax(line: usize, column: usize, message: impl Into<String>) -> FileProblem {
    FileProblem::Syntax { line, column, message: message.into() }
}

fn parse_header(line: &str) -> Result<Header<'_>, FileProblem> {
    let open = line.find('[').ok_or_else(|| syntax(1, 1, "expected a TOON header like `entities[N]{fields}:`"))?;
    let close = line.find(']').ok_or_else(|| syntax(1, line.len() + 1, "the header's `[` is never closed"))?;
    let inside = &line[open + 1..close];
    let digits: String = inside.chars().take_while(char::is_ascii_digit).collect();
    let declared = digits.parse().map_err(|_| syntax(1, open + 2, "expected a row count after `[`"))?;
    // parseltongue v0.9.7 writes the tab delimiter escaped, as the two characters `\t`.
    let delimiter = match &inside[digits.len()..] {
        "" => ',',
        "\\t" | "\t" => '\t',
        other => other.chars().next().unwrap_or(','),
    };
    let rest = &line[close + 1..];
    let fields = rest
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix("}:"))
        .ok_or_else(|| syntax(1, close + 2, "expected `{field,…}:` after the row count"))?;
    Ok(Header { declared, delimiter, fields: fields.split(',').collect() })
}

fn unquote(cell: &str, line: usize, column: usize, last_line: bool) -> Result<Text<'_>, FileProblem> {
    if !cell.starts_with('"') {
        return Ok(Text(Cow::Borrowed(cell)));
    }
    if cell.len() < 2 || !cell.ends_with('"') || cell.ends_with("\\\"") && !cell.ends_with("\\\\\"") {
        return Err(if last_line {
            FileProblem::Truncated { line, column: column + cell.len() }
        } else {
            syntax(line, column, "unterminated quoted string")
        });
    }
    if !cell.contains('\\') {
        return Ok(Text(Cow::Borrowed(&cell[1..cell.len() - 1])));
    }
    serde_json::from_str::<String>(cell)
        .map(|s| Text(Cow::Owned(s)))
        .map_err(|e| syntax(line, column + e.column(), e.to_string()))
}

pub(crate) fn parse(text: &str) -> Result<Document<'_>, FileProblem> {
    let mut lines = text.lines().enumerate().skip_while(|(_, l)| l.trim().is_empty());
    let Some((header_index, header_line)) = lines.next() else {
        return Err(FileProblem::Empty);
    };
    let header = parse_header(header_line.trim())?;
    let field = |name: &str| header.fields.iter().position(|f| *f == name);
    let is_edges = field("from_key").is_some();
    let total_lines = text.lines().count();
    let mut entities = Vec::new();
    let mut edges = Vec::new();
    for (index, raw_line) in lines {
        let line_no = index + 1;
        if raw_line.trim().is_empty() {
            continue;
        }
        let body = raw_line.trim_start_matches(' ');
        let indent = raw_line.len() - body.len();
        let cells: Vec<&str> = body.split(header.delimiter).collect();
        let last_line = index + 1 == total_lines;
        if cells.len() != header.fields.len() {
            if last_line && cells.len() < header.fields.len() {
                return Err(FileProblem::Truncated { line: line_no, column: raw_line.len() + 1 });
            }
            return Err(syntax(
                line_no,
                indent + 1,
                format!("row has {} cells, the header names {} fields", cells.len(), header.fields.len()),
            ));
        }
        let mut column = indent + 1;
        let mut values = Vec::with_capacity(cells.len());
        for cell in &cells {
            values.push(unquote(cell, line_no, column, last_line)?);
            column += cell.len() + 1;
        }
        let take = |name: &str| field(name).map(|i| values[i].clone());
        if is_edges {
            let (Some(from), Some(to), Some(kind)) = (take("from_key"), take("to_key"), take("edge_type")) else {
                return Err(syntax(header_index + 1, 1, "an edges table needs from_key, to_key and edge_type"));
            };
            edges.push(RawEdge::ByKey { from, to, kind });
        } else {
            let key =
                take("isgl1_key").ok_or_else(|| syntax(header_index + 1, 1, "an entities table needs isgl1_key"))?;
            entities.push(RawEntity {
                isgl1_key: key,
                entity_name: take("entity_name"),
                entity_type: take("entity_type"),
                file_path: take("file_path"),
                interface_signature: take("interface_signature"),
                line_number: take("line_number").and_then(|t| t.as_str().parse().ok()),
            });
        }
    }
    let declared = Some(header.declared);
    Ok(if is_edges {
        Document::KeyedEdges { format: Format::Pt02V0_9, edges, declared }
    } else {
        Document::Entities { format: Format::Pt02V0_9, entities, declared }
    })
}
