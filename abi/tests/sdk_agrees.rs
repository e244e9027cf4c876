//! The SDK's raw imports are written out by hand (`#[link(wasm_import_module = "…")]` needs a
//! literal), so this test holds them against [`pt_abi::HOST_FUNCTIONS`]: the same modules, names,
//! parameter counts and results, none missing on either side.

use pt_abi::HOST_FUNCTIONS;

/// One imported function as written in a signature.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Import {
    module: String,
    name: String,
    params: usize,
    returns: bool,
}

/// Every `pub fn` in every `#[link(wasm_import_module = "…")] extern` block of `src`.
fn imports_in(src: &str) -> Vec<Import> {
    const MARK: &str = "wasm_import_module = \"";
    let mut out = Vec::new();
    let mut rest = src;
    while let Some(at) = rest.find(MARK) {
        rest = &rest[at + MARK.len()..];
        let module = &rest[..rest.find('"').expect("the module name ends")];
        let open = rest.find('{').expect("an extern block follows");
        let close = open + rest[open..].find('}').expect("the extern block ends");
        for decl in rest[open + 1..close].split("pub fn ").skip(1) {
            let name = decl[..decl.find('(').expect("a parameter list")].trim();
            let args_end = decl.find(')').expect("the parameter list ends");
            let params = decl[decl.find('(').expect("a parameter list") + 1..args_end]
                .split(',')
                .filter(|p| !p.trim().is_empty())
                .count();
            let tail = &decl[args_end + 1..];
            let tail = &tail[..tail.find(';').expect("a declaration ends")];
            out.push(Import { module: module.to_owned(), name: name.to_owned(), params, returns: tail.contains("->") });
        }
        rest = &rest[close..];
    }
    out.sort();
    out
}

#[test]
fn the_sdk_imports_exactly_the_host_functions() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../plugins/sdk/src/lib.rs");
    let src = std::fs::read_to_string(path).expect("the SDK source is beside this crate");
    let sdk = imports_in(&src);
    let mut abi: Vec<Import> = HOST_FUNCTIONS
        .iter()
        .map(|f| Import { module: f.module.to_owned(), name: f.name.to_owned(), params: f.params, returns: f.returns })
        .collect();
    abi.sort();
    let missing: Vec<_> = abi.iter().filter(|f| !sdk.contains(f)).collect();
    let extra: Vec<_> = sdk.iter().filter(|f| !abi.contains(f)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "not in the SDK as in the ABI: {missing:#?}\nin the SDK only: {extra:#?}"
    );
}

#[test]
fn the_reader_sees_a_changed_signature() {
    let src = r#"
        #[link(wasm_import_module = "pt_core")]
        unsafe extern "C" {
            pub fn log(level: i32, ptr: *const u8);
            pub fn params_len() -> i32;
        }
        #[link(wasm_import_module = "pt_viz")]
        unsafe extern "C" {
            pub fn set_positions(ptr: *const [f32; 2], count: usize);
        }
    "#;
    let got = imports_in(src);
    let want = |module: &str, name: &str, params, returns| Import {
        module: module.into(),
        name: name.into(),
        params,
        returns,
    };
    assert_eq!(
        got,
        vec![
            want("pt_core", "log", 2, false),
            want("pt_core", "params_len", 0, true),
            want("pt_viz", "set_positions", 2, false)
        ]
    );
    let log = HOST_FUNCTIONS.iter().find(|f| f.name == "log").expect("log is a host function");
    assert_ne!(log.params, 2, "a dropped parameter must not match the ABI");
}
