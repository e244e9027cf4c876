//! `pt_fs` ([`Capability::FileSystemAccess`]): the plugin's private folder, never the real disk.

use wasmi::Linker;

use super::{Host, HostState, charge, copy_out, cost, count_len, enter, guest, slot};
use crate::audit::AuditKind;
use crate::capability::Capability;
use crate::folder::MAX_NAME_BYTES;

pub(super) fn link(linker: &mut Linker<HostState>) -> Result<(), wasmi::Error> {
    let m = Capability::FileSystemAccess.module();
    let s = slot(m, "write");
    linker.func_wrap(
        m,
        "write",
        move |mut c: Host<'_>, name: i32, name_len: i32, data: i32, data_len: i32| -> Result<i32, wasmi::Error> {
            let f = "pt_fs.write";
            let [name, data] = enter(&mut c, s, f, [(name, count_len(name_len, 1)), (data, count_len(data_len, 1))])?;
            let name_bytes = name.len().min(MAX_NAME_BYTES + 1);
            let new_file = cost::NEW_FILE + cost::AUDIT_EVENT;
            charge(&mut c, cost::CALL + cost::text(name_bytes) + cost::copy(data.len()) + new_file)?;
            let (memory, state) = guest(&mut c)?;
            let name = &memory[name.start..name.start + name_bytes];
            let len = data.len();
            let plugin = state.plugin.clone();
            let status = match state.folder.write(name, &memory[data]) {
                Ok(()) => {
                    let detail = format!("wrote {len} bytes to {:?}", String::from_utf8_lossy(name));
                    state.audit.record(&plugin, AuditKind::CapabilityUse, detail);
                    0
                }
                Err(status) => {
                    let detail = format!("write of {len} bytes to {:?}: {status:?}", String::from_utf8_lossy(name));
                    state.audit.record(&plugin, AuditKind::Denied, detail);
                    status as i32
                }
            };
            Ok(status)
        },
    )?;
    let s = slot(m, "read");
    linker.func_wrap(
        m,
        "read",
        move |mut c: Host<'_>, name: i32, name_len: i32, dst: i32, cap: i32| -> Result<i32, wasmi::Error> {
            let [name] = enter(&mut c, s, "pt_fs.read", [(name, count_len(name_len, 1))])?;
            let name_bytes = name.len().min(MAX_NAME_BYTES + 1);
            charge(&mut c, cost::CALL + cost::text(name_bytes))?;
            let (memory, state) = guest(&mut c)?;
            let data = match state.folder.read(&memory[name.start..name.start + name_bytes]) {
                Ok(data) => data.to_vec(),
                Err(status) => return Ok(status as i32),
            };
            // The file is taken out of the folder before it is copied into the plugin's memory.
            charge(&mut c, cost::copy(data.len()))?;
            copy_out(&mut c, "pt_fs.read", &data, dst, cap)
        },
    )?;
    Ok(())
}
