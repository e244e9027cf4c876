//! A run's metric columns as a table: one row per module when every column holds one value per
//! module (as Martin's metrics do), else one row per item; sorted by any column.

use isg::Graph;
use plugin_host::MetricColumn;

/// What a row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// An item.
    Items,
    /// A module (file).
    Modules,
}

/// One row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The item's name, or the module's file.
    pub label: String,
    /// The file it is in (the module's own file for a module).
    pub file: String,
    /// The items it stands for (a click selects them).
    pub nodes: Vec<u32>,
    /// One value per column.
    pub values: Vec<f32>,
}

/// The table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// What rows stand for.
    pub level: Level,
    /// Column names.
    pub columns: Vec<String>,
    /// The rows shown, sorted.
    pub rows: Vec<Row>,
    /// Rows in all, before the limit.
    pub total: usize,
}

/// The table of `columns` over `graph` (columns of another length are left out), sorted by
/// column `sort` (`descending` or not; not-a-number last), at most `limit` rows.
#[must_use]
pub fn table(graph: &Graph, columns: &[MetricColumn], sort: usize, descending: bool, limit: usize) -> Table {
    let n = graph.node_count();
    let columns: Vec<&MetricColumn> = columns.iter().filter(|c| c.values.len() == n).collect();
    let groups = crate::items_by_file(graph);
    let per_module = !columns.is_empty()
        && columns.iter().all(|c| {
            groups.iter().all(|(_, items)| {
                items.iter().all(|&v| c.values[v as usize].to_bits() == c.values[items[0] as usize].to_bits())
            })
        });
    let mut rows: Vec<Row> = if per_module {
        groups
            .into_iter()
            .map(|(file, items)| Row {
                label: file.to_owned(),
                file: file.to_owned(),
                values: columns.iter().map(|c| c.values[items[0] as usize]).collect(),
                nodes: items,
            })
            .collect()
    } else {
        graph
            .nodes()
            .map(|v| Row {
                label: graph.name(v).to_owned(),
                file: graph.file_path(v).to_owned(),
                nodes: vec![v.0],
                values: columns.iter().map(|c| c.values[v.0 as usize]).collect(),
            })
            .collect()
    };
    let total = rows.len();
    if sort < columns.len() {
        let key = |r: &Row| r.values[sort];
        rows.sort_by(|a, b| {
            let (x, y) = (key(a), key(b));
            match (x.is_nan(), y.is_nan()) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) => std::cmp::Ordering::Greater,
                (false, true) => std::cmp::Ordering::Less,
                _ if descending => y.total_cmp(&x),
                _ => x.total_cmp(&y),
            }
        });
    }
    rows.truncate(limit);
    Table {
        level: if per_module { Level::Modules } else { Level::Items },
        columns: columns.iter().map(|c| c.name.clone()).collect(),
        rows,
        total,
    }
}
