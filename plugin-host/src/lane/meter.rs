//! Fuel metering injected into a module, so an engine without fuel (the browser's `WebAssembly`,
//! wasmtime without its own) runs a plugin under the same budget as wasmi.
//!
//! The rewrite, on `wasmparser` and `wasm-encoder` (already in the tree through wasmi and `wat`):
//! - every straight-line run of instructions starts by taking its cost from an exported `i64`
//!   global ([`FUEL_EXPORT`]); a run ends at every control instruction, so each loop iteration and
//!   each branch taken pays; the runs that start a function or a loop body trap (`unreachable`)
//!   when the global is below zero, which every endless path passes through;
//! - bulk memory and table operations also pay per byte or element moved, taken before they run;
//! - `memory.grow` beyond the cap traps, after noting the pages asked for in [`REFUSED_EXPORT`]
//!   (as wasmi's limiter does: a plugin must not carry on after being refused), and `table.grow`
//!   likewise ([`TABLE_FROM_EXPORT`], [`TABLE_TO_EXPORT`]);
//! - the declared maximum of memory and tables is rewritten to the policy's, so the engine itself
//!   refuses growth past it; a declared minimum already above it is refused here;
//! - a start function is refused (it would run before the host could meter or cancel it).
//!
//! Costs follow wasmi's fuel units (a fixed price per instruction that does work, structure free,
//! bulk operations per 64 bytes), so one budget means about the same in both lanes; `cargo test -p plugin-host --test lanes -- --nocapture` prints the ratio
//! per first-party plugin.

use std::fmt;

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{
    CodeSection, ConstExpr, ExportKind, ExportSection, Function, GlobalSection, GlobalType, Instruction, MemorySection,
    MemoryType, Module, RawSection, TableSection, ValType,
};
use wasmparser::{Operator, Parser, Payload};

/// The exported global holding the fuel left; the host sets it before a call and reads it after.
pub const FUEL_EXPORT: &str = "pt_meter_fuel";
/// The exported global holding the pages a refused `memory.grow` asked for (0 when none was).
pub const REFUSED_EXPORT: &str = "pt_meter_refused";
/// The exported global holding a table's size when its `table.grow` was refused.
pub const TABLE_FROM_EXPORT: &str = "pt_meter_table_from";
/// The exported global holding the size a refused `table.grow` asked for (0 when none was).
pub const TABLE_TO_EXPORT: &str = "pt_meter_table_to";

/// Every name the rewrite exports; a module exporting one of them is refused.
const RESERVED: [&str; 4] = [FUEL_EXPORT, REFUSED_EXPORT, TABLE_FROM_EXPORT, TABLE_TO_EXPORT];

/// Bytes a bulk memory operation moves per unit of fuel (wasmi's `bytes_copied_per_fuel`).
const BYTES_PER_FUEL: i64 = 64;
/// Wasm page size.
const PAGE: u64 = 1 << 16;

/// Limits the rewritten module is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeterLimits {
    /// Linear memory ceiling in bytes.
    pub memory_bytes: usize,
    /// Table elements ceiling.
    pub table_elements: usize,
}

/// Why a module cannot be metered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MeterError {
    /// The module does not parse or uses something the meter does not rewrite.
    #[error("{0}")]
    Invalid(String),
    /// Its memory or a table starts above the policy's ceiling.
    #[error("{0}")]
    Limit(String),
}

/// The globals the rewrite adds: the fuel left, the pages a refused grow asked for, and two
/// scratch registers for the operands a dynamic charge needs twice.
struct Globals {
    fuel: u32,
    refused: u32,
    table_from: u32,
    table_to: u32,
    len: u32,
    grown: u32,
}

/// Rewrites `wasm` with fuel metering and the memory and table caps of `limits`.
///
/// # Errors
/// [`MeterError::Invalid`] for a module that does not parse, has a start function, imports
/// anything but functions, uses 64-bit memory or already exports the meter's names;
/// [`MeterError::Limit`] for memory or a table whose declared minimum is above the ceiling.
pub fn instrument(wasm: &[u8], limits: MeterLimits) -> Result<Vec<u8>, MeterError> {
    let invalid = |e: &dyn fmt::Display| MeterError::Invalid(e.to_string());
    let mut module = Module::new();
    let mut defined_globals = 0u32;
    let mut globals: Option<Globals> = None;
    let mut exported = false;
    let mut code: Option<CodeSection> = None;
    let mut re = RoundtripReencoder;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| invalid(&e))?;
        if !matches!(payload, Payload::CodeSectionEntry(_))
            && let Some(section) = code.take()
        {
            module.section(&section);
        }
        // Our globals and exports go in their sections; a module without such a section gets one.
        if globals.is_none() && after(&payload, 6) {
            let mut section = GlobalSection::new();
            globals = Some(add_globals(&mut section, defined_globals));
            module.section(&section);
        }
        if !exported && after(&payload, 7) {
            let mut section = ExportSection::new();
            export_globals(&mut section, globals.as_ref().expect("globals come first"));
            module.section(&section);
            exported = true;
        }
        match payload {
            Payload::Version { .. } | Payload::End(_) => {}
            Payload::ImportSection(reader) => {
                let range = reader.range();
                for import in reader.into_imports() {
                    let import = import.map_err(|e| invalid(&e))?;
                    if !matches!(import.ty, wasmparser::TypeRef::Func(_)) {
                        return Err(MeterError::Invalid(format!(
                            "it imports {}.{}, which is not a function",
                            import.module, import.name
                        )));
                    }
                }
                module.section(&RawSection { id: 2, data: &wasm[bytes(range)] });
            }
            Payload::MemorySection(reader) => {
                let mut section = MemorySection::new();
                for memory in reader {
                    section.memory(cap_memory(memory.map_err(|e| invalid(&e))?, limits.memory_bytes)?);
                }
                module.section(&section);
            }
            Payload::TableSection(reader) => {
                let mut section = TableSection::new();
                for table in reader {
                    let mut table = table.map_err(|e| invalid(&e))?;
                    let cap = limits.table_elements as u64;
                    if table.ty.initial > cap {
                        return Err(MeterError::Limit(format!(
                            "a table starts with {} elements, over the {cap} limit",
                            table.ty.initial
                        )));
                    }
                    table.ty.maximum = Some(table.ty.maximum.map_or(cap, |m| m.min(cap)));
                    re.parse_table(&mut section, table).map_err(|e| invalid(&e))?;
                }
                module.section(&section);
            }
            Payload::GlobalSection(reader) => {
                let mut section = GlobalSection::new();
                for global in reader {
                    re.parse_global(&mut section, global.map_err(|e| invalid(&e))?).map_err(|e| invalid(&e))?;
                    defined_globals += 1;
                }
                globals = Some(add_globals(&mut section, defined_globals));
                module.section(&section);
            }
            Payload::ExportSection(reader) => {
                let mut section = ExportSection::new();
                for export in reader {
                    let export = export.map_err(|e| invalid(&e))?;
                    if RESERVED.contains(&export.name) {
                        return Err(MeterError::Invalid(format!("it exports {}, a name the host keeps", export.name)));
                    }
                    section.export(export.name, re.export_kind(export.kind).map_err(|e| invalid(&e))?, export.index);
                }
                export_globals(&mut section, globals.as_ref().expect("globals come first"));
                module.section(&section);
                exported = true;
            }
            Payload::StartSection { .. } => {
                return Err(MeterError::Invalid(
                    "it has a start function, which would run before the host could meter it".into(),
                ));
            }
            Payload::CodeSectionStart { .. } => code = Some(CodeSection::new()),
            Payload::CodeSectionEntry(body) => {
                let globals = globals.as_ref().expect("globals come first");
                let function = meter_function(&mut re, wasm, &body, globals).map_err(|e| invalid(&e))?;
                code.get_or_insert_with(CodeSection::new).function(&function);
            }
            other => {
                if let Some((id, range)) = other.as_section() {
                    module.section(&RawSection { id, data: &wasm[bytes(range)] });
                }
            }
        }
    }
    Ok(module.finish())
}

/// A section's byte range as the parser gives it, as indices into the module.
fn bytes(range: std::ops::Range<u64>) -> std::ops::Range<usize> {
    range.start as usize..range.end as usize
}

/// Whether `payload` is a section that comes after section `id` in a module's fixed order (or
/// the end), so a section `id` the module lacks must be written before it.
fn after(payload: &Payload<'_>, id: u8) -> bool {
    let order = |section: u8| match section {
        // The data count section (12) sits between elements (9) and code (10).
        12 => 95,
        s => u32::from(s) * 10,
    };
    match payload {
        Payload::End(_) => true,
        Payload::CustomSection(_) => false,
        Payload::CodeSectionStart { .. } => order(10) > order(id),
        other => other.as_section().is_some_and(|(section, _)| order(section) > order(id)),
    }
}

fn add_globals(section: &mut GlobalSection, defined: u32) -> Globals {
    let mutable = |val_type| GlobalType { val_type, mutable: true, shared: false };
    section.global(mutable(ValType::I64), &ConstExpr::i64_const(0));
    for _ in 0..5 {
        section.global(mutable(ValType::I32), &ConstExpr::i32_const(0));
    }
    Globals {
        fuel: defined,
        refused: defined + 1,
        len: defined + 2,
        grown: defined + 3,
        table_from: defined + 4,
        table_to: defined + 5,
    }
}

fn export_globals(section: &mut ExportSection, globals: &Globals) {
    section.export(FUEL_EXPORT, ExportKind::Global, globals.fuel);
    section.export(REFUSED_EXPORT, ExportKind::Global, globals.refused);
    section.export(TABLE_FROM_EXPORT, ExportKind::Global, globals.table_from);
    section.export(TABLE_TO_EXPORT, ExportKind::Global, globals.table_to);
}

fn cap_memory(memory: wasmparser::MemoryType, limit: usize) -> Result<MemoryType, MeterError> {
    if memory.memory64 || memory.shared {
        return Err(MeterError::Invalid("it uses 64-bit or shared memory, which plugins do not".into()));
    }
    let cap = (limit as u64) / PAGE;
    if memory.initial > cap {
        return Err(MeterError::Limit(format!(
            "linear memory starts at {} MiB, over the {} MiB limit",
            (memory.initial * PAGE) >> 20,
            limit >> 20
        )));
    }
    Ok(MemoryType {
        minimum: memory.initial,
        maximum: Some(memory.maximum.map_or(cap, |m| m.min(cap))),
        memory64: false,
        shared: false,
        page_size_log2: memory.page_size_log2,
    })
}

/// Fuel per instruction that does work. wasmi's units are finer than one per wasm instruction
/// (its register code charges per instruction it executes, and moves values wasm keeps on the
/// stack); two per wasm instruction came closest over the first-party plugins (the lanes test
/// prints the ratio per plugin).
const FUEL_PER_INSTRUCTION: i64 = 2;

/// What one instruction costs, and whether it ends a straight-line run.
fn cost(op: &Operator<'_>) -> (i64, bool) {
    match op {
        Operator::Block { .. } | Operator::Loop { .. } | Operator::End | Operator::Else => (0, true),
        Operator::If { .. }
        | Operator::Br { .. }
        | Operator::BrIf { .. }
        | Operator::BrTable { .. }
        | Operator::Return
        | Operator::Unreachable => (FUEL_PER_INSTRUCTION, true),
        Operator::Nop => (0, false),
        _ => (FUEL_PER_INSTRUCTION, false),
    }
}

/// A piece of a rewritten function: bytes of the original body, or code the rewrite adds.
enum Piece<'a> {
    Raw(std::ops::Range<usize>),
    Code(Vec<Instruction<'a>>),
}

/// A function body with a charge at the start of every straight-line run. Only the runs that
/// start a function or a loop body check for an empty tank: every way to run without end passes
/// through one, so a call overshoots its budget by at most the straight-line code between two
/// checks, and [`super::FastPlugin::end`] counts a call that returns overdrawn as out of fuel.
/// The original instructions are copied as bytes, not re-encoded.
fn meter_function(
    re: &mut RoundtripReencoder,
    wasm: &[u8],
    body: &wasmparser::FunctionBody<'_>,
    g: &Globals,
) -> Result<Function, wasm_encoder::reencode::Error> {
    let mut function = re.new_function_with_parsed_locals(body)?;
    let mut run: Vec<Piece<'_>> = Vec::new();
    let mut run_cost = 0i64;
    let mut check = true;
    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        let start = reader.original_position() as usize;
        let op = reader.read()?;
        let end = reader.original_position() as usize;
        let (op_cost, ends_run) = cost(&op);
        let opens_loop = matches!(op, Operator::Loop { .. });
        run_cost += op_cost;
        match op {
            Operator::MemoryGrow { mem } => {
                let note = vec![Instruction::GlobalGet(g.len), Instruction::GlobalSet(g.refused)];
                run.push(Piece::Code(grow(Instruction::MemoryGrow(mem), g, note)));
            }
            Operator::TableGrow { table } => {
                let note = vec![
                    Instruction::TableSize(table),
                    Instruction::GlobalSet(g.table_from),
                    Instruction::GlobalGet(g.table_from),
                    Instruction::GlobalGet(g.len),
                    Instruction::I32Add,
                    Instruction::GlobalSet(g.table_to),
                ];
                run.push(Piece::Code(grow(Instruction::TableGrow(table), g, note)));
            }
            Operator::MemoryFill { .. } | Operator::MemoryCopy { .. } | Operator::MemoryInit { .. } => {
                run.push(Piece::Code(dynamic_charge(g, BYTES_PER_FUEL)));
                run.push(Piece::Raw(start..end));
            }
            Operator::TableFill { .. } | Operator::TableCopy { .. } | Operator::TableInit { .. } => {
                run.push(Piece::Code(dynamic_charge(g, 1)));
                run.push(Piece::Raw(start..end));
            }
            _ => match run.last_mut() {
                Some(Piece::Raw(raw)) if raw.end == start => raw.end = end,
                _ => run.push(Piece::Raw(start..end)),
            },
        }
        if ends_run {
            emit(&mut function, wasm, g, (run_cost, check), &mut run);
            run_cost = 0;
            check = opens_loop;
        }
    }
    emit(&mut function, wasm, g, (run_cost, check), &mut run);
    Ok(function)
}

/// Writes a run: its charge (checked or not), then its pieces.
fn emit(function: &mut Function, wasm: &[u8], g: &Globals, (cost, check): (i64, bool), run: &mut Vec<Piece<'_>>) {
    if cost > 0 {
        let mut code = vec![
            Instruction::GlobalGet(g.fuel),
            Instruction::I64Const(cost),
            Instruction::I64Sub,
            Instruction::GlobalSet(g.fuel),
        ];
        if check {
            trap_when_empty(&mut code, g);
        }
        for instruction in &code {
            function.instruction(instruction);
        }
    } else if check {
        let mut code = Vec::new();
        trap_when_empty(&mut code, g);
        for instruction in &code {
            function.instruction(instruction);
        }
    }
    for piece in run.drain(..) {
        match piece {
            Piece::Raw(range) => {
                function.raw(wasm[range].iter().copied());
            }
            Piece::Code(code) => {
                for instruction in &code {
                    function.instruction(instruction);
                }
            }
        }
    }
}

/// Traps when the fuel global is below zero.
fn trap_when_empty<'a>(out: &mut impl Extend<Instruction<'a>>, g: &Globals) {
    out.extend([
        Instruction::GlobalGet(g.fuel),
        Instruction::I64Const(0),
        Instruction::I64LtS,
        Instruction::If(wasm_encoder::BlockType::Empty),
        Instruction::Unreachable,
        Instruction::End,
    ]);
}

/// Takes `length / per_fuel` from the fuel global for a bulk operation whose length is on top of
/// the stack, leaving the stack as it was.
fn dynamic_charge<'a>(g: &Globals, per_fuel: i64) -> Vec<Instruction<'a>> {
    let mut run = vec![
        Instruction::GlobalSet(g.len),
        Instruction::GlobalGet(g.fuel),
        Instruction::GlobalGet(g.len),
        Instruction::I64ExtendI32U,
        Instruction::I64Const(per_fuel),
        Instruction::I64DivU,
        Instruction::I64Sub,
        Instruction::GlobalSet(g.fuel),
    ];
    trap_when_empty(&mut run, g);
    run.push(Instruction::GlobalGet(g.len));
    run
}

/// `memory.grow` or `table.grow` (`grow_op`, its delta on top of the stack) that traps when
/// refused, after `note` records what it asked for (the delta is in the `len` global then).
fn grow<'a>(grow_op: Instruction<'a>, g: &Globals, note: Vec<Instruction<'a>>) -> Vec<Instruction<'a>> {
    let mut code = vec![
        Instruction::GlobalSet(g.len),
        Instruction::GlobalGet(g.len),
        grow_op,
        Instruction::GlobalSet(g.grown),
        Instruction::GlobalGet(g.grown),
        Instruction::I32Const(-1),
        Instruction::I32Eq,
        Instruction::If(wasm_encoder::BlockType::Empty),
    ];
    code.extend(note);
    code.extend([Instruction::Unreachable, Instruction::End, Instruction::GlobalGet(g.grown)]);
    code
}

/// The detail of a refused `table.grow`, worded as wasmi's limiter words it.
pub fn table_refused_detail(from: u32, to: u32, limit: usize) -> String {
    format!("a table would grow from {from} to {to} elements, over the {limit} limit")
}

/// The detail of a refused `memory.grow`, worded as wasmi's limiter words it.
pub fn refused_detail(memory_now: usize, pages: u32, limit: usize) -> String {
    let desired = memory_now as u64 + u64::from(pages) * PAGE;
    format!(
        "linear memory would grow from {} to {} MiB, over the {} MiB limit",
        memory_now >> 20,
        desired >> 20,
        limit >> 20
    )
}
