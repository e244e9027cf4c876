//! Every WGSL shader parses and validates with naga, and has the entry points the renderer binds.

#[test]
fn every_wgsl_shader_validates() {
    for (name, source, entries) in renderer::shaders::ALL {
        let module =
            naga::front::wgsl::parse_str(source).unwrap_or_else(|e| panic!("{name}: {}", e.emit_to_string(source)));
        let mut validator =
            naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::empty());
        validator.validate(&module).unwrap_or_else(|e| panic!("{name}: {}", e.emit_to_string(source)));
        for entry in *entries {
            assert!(module.entry_points.iter().any(|e| e.name == *entry), "{name}: missing entry point {entry}");
        }
    }
}
