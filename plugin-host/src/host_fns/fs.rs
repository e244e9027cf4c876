//! `pt_fs` ([`crate::Capability::FileSystemAccess`]): the plugin's private folder, never the real
//! disk.

use super::{Guest, HostResult, Implementation, args, charge, copy_out, cost, count_len, enter, implement};
use crate::audit::AuditKind;
use crate::folder::MAX_NAME_BYTES;

const M: &str = pt_abi::MODULE_FS;

pub(super) const FUNCTIONS: &[Implementation] = &[implement(M, "write", write), implement(M, "read", read)];

fn write(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [name, name_len, data, data_len] = args(a);
    let [name, data] = enter(g, "pt_fs.write", [(name, count_len(name_len, 1)), (data, count_len(data_len, 1))])?;
    let name_bytes = name.len().min(MAX_NAME_BYTES + 1);
    let new_file = cost::NEW_FILE + cost::AUDIT_EVENT;
    charge(g, cost::CALL + cost::text(name_bytes) + cost::copy(data.len()) + new_file)?;
    let name = g.read(name.start..name.start + name_bytes);
    let data = g.read(data);
    let len = data.len();
    let state = g.state();
    let plugin = state.plugin.clone();
    let status = match state.folder.write(&name, &data) {
        Ok(()) => {
            let detail = format!("wrote {len} bytes to {:?}", String::from_utf8_lossy(&name));
            state.audit.record(&plugin, AuditKind::CapabilityUse, detail);
            0
        }
        Err(status) => {
            let detail = format!("write of {len} bytes to {:?}: {status:?}", String::from_utf8_lossy(&name));
            state.audit.record(&plugin, AuditKind::Denied, detail);
            status as i32
        }
    };
    Ok(Some(status))
}

fn read(g: &mut dyn Guest, a: &[i32]) -> HostResult {
    let [name, name_len, dst, cap] = args(a);
    let [name] = enter(g, "pt_fs.read", [(name, count_len(name_len, 1))])?;
    let name_bytes = name.len().min(MAX_NAME_BYTES + 1);
    charge(g, cost::CALL + cost::text(name_bytes))?;
    let name = g.read(name.start..name.start + name_bytes);
    let data = match g.state().folder.read(&name) {
        Ok(data) => data.to_vec(),
        Err(status) => return Ok(Some(status as i32)),
    };
    // The file is taken out of the folder before it is copied into the plugin's memory.
    charge(g, cost::copy(data.len()))?;
    copy_out(g, "pt_fs.read", &data, dst, cap).map(Some)
}
