//! Load errors, each naming the file and the problem in words a user can act on.

use std::fmt;

/// Why a set of files could not be loaded. The graph a caller already has is never touched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// One file could not be read as a parseltongue export.
    #[error("{file}: {problem}")]
    File {
        /// The file's name.
        file: String,
        /// What is wrong with it.
        problem: FileProblem,
    },
    /// Nothing was given to load.
    #[error("no file to load")]
    NoFiles,
    /// Files of different exports were opened together.
    #[error(
        "{first} ({first_format}) and {second} ({second_format}) cannot be opened together: open them one at a time"
    )]
    Incompatible {
        /// First file.
        first: String,
        /// Its format.
        first_format: String,
        /// Second file.
        second: String,
        /// Its format.
        second_format: String,
    },
    /// An edge list that names endpoints by key came without the entity list that defines them.
    #[error(
        "{file} lists {format} edges by entity key, but no entities file was opened with it: open it together with its entities file ({hint})"
    )]
    MissingEntities {
        /// The edges file.
        file: String,
        /// Its format.
        format: String,
        /// Which file to add.
        hint: &'static str,
    },
    /// More distinct edge kinds than the model stores.
    #[error("the export uses more than 255 distinct edge kinds")]
    TooManyEdgeKinds,
}

/// What is wrong with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Zero bytes, or only whitespace.
    Empty,
    /// Larger than the configured limit (after decompression for `.gz`).
    TooLarge {
        /// Bytes seen (at least).
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A NUL or other control byte where text was expected.
    Binary {
        /// Byte offset of the first offending byte.
        offset: usize,
    },
    /// Bytes that are not UTF-8.
    NotUtf8 {
        /// Byte offset of the first bad sequence.
        offset: usize,
    },
    /// The gzip stream is corrupt or cut short.
    Gzip {
        /// The decompressor's message.
        message: String,
    },
    /// The JSON (or TOON) ends before its structure is closed.
    Truncated {
        /// 1-based line of the end of input.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Malformed JSON or TOON.
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// Well-formed JSON with a value of the wrong type or a missing field.
    WrongType {
        /// Path to the field, such as `nodes[3].hash`.
        path: String,
        /// What was expected and found.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Valid JSON, but not any parseltongue export this loader knows.
    NotAnExport {
        /// What was found instead.
        found: String,
    },
    /// A saved HTTP response that reports failure.
    ServerError {
        /// The server's message.
        message: String,
    },
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the file is empty"),
            Self::TooLarge { bytes, limit } => write!(
                f,
                "the file is too large: {} MiB or more, the limit is {} MiB",
                bytes / (1 << 20),
                limit / (1 << 20)
            ),
            Self::Binary { offset } => {
                write!(f, "this is a binary file, not a JSON or TOON export (control byte at offset {offset})")
            }
            Self::NotUtf8 { offset } => write!(f, "the file is not UTF-8 text (invalid byte at offset {offset})"),
            Self::Gzip { message } => write!(f, "the gzip data is corrupt or truncated: {message}"),
            Self::Truncated { line, column } => {
                write!(f, "the file is truncated: it ends at line {line}, column {column} before the JSON is complete")
            }
            Self::Syntax { line, column, message } => {
                write!(f, "syntax error at line {line}, column {column}: {message}")
            }
            Self::WrongType { path, message, line, column } => {
                write!(f, "wrong value at {path} (line {line}, column {column}): {message}")
            }
            Self::NotAnExport { found } => write!(
                f,
                "this is not a parseltongue export: {found}; expected `nodes` and `edges` (v0.1.0/v1), `entities` or `edges` (v0.9.7 pt02), or a saved v1.7.2 HTTP response"
            ),
            Self::ServerError { message } => {
                write!(f, "the saved server response reports a failure: {message}")
            }
        }
    }
}
