//! The graph's columns in the compact model ([`crate::model`]): written as they are, and read
//! back with every length, offset and id checked.

use super::{Csr, Graph, StrId};
use crate::model::codec::{ModelError, ModelReader, ModelWriter, check_ids, check_offsets};
use crate::modules::ModuleTree;
use crate::strings::StringPool;

impl Csr {
    fn write_model(&self, w: &mut ModelWriter) {
        w.u32s(&self.offsets);
        w.u32s(&self.targets);
        w.u8s(&self.kinds);
    }

    fn read_model(r: &mut ModelReader<'_>, nodes: usize, edge_kinds: usize) -> Result<Self, ModelError> {
        let offsets = r.u32s()?;
        let targets = r.u32s()?;
        let kinds = r.u8s()?;
        if offsets.len() != nodes + 1 || kinds.len() != targets.len() {
            return Err(ModelError::Inconsistent("adjacency lengths"));
        }
        check_offsets(&offsets, targets.len(), "adjacency offsets")?;
        check_ids(&targets, nodes, "edge ends")?;
        if kinds.iter().any(|&k| usize::from(k) >= edge_kinds) {
            return Err(ModelError::Inconsistent("edge kinds"));
        }
        Ok(Self { offsets, targets, kinds })
    }
}

impl Graph {
    pub(crate) fn write_model(&self, w: &mut ModelWriter) {
        self.strings.write_model(w);
        w.texts(&self.node_kinds);
        w.texts(&self.edge_kinds);
        w.u64s(&self.hash);
        w.u16s(&self.kind);
        w.u32s(&self.name.iter().map(|s| s.0).collect::<Vec<_>>());
        w.u32s(&self.signature.iter().map(|s| s.0).collect::<Vec<_>>());
        w.u32s(&self.line);
        w.u8s(&self.flags);
        self.out.write_model(w);
        self.inc.write_model(w);
        w.u32s(&self.kind_offsets);
        w.u32s(&self.kind_nodes);
        w.u32s(&self.by_hash);
        self.modules.write_model(w);
    }

    pub(crate) fn read_model(r: &mut ModelReader<'_>) -> Result<Self, ModelError> {
        let strings = StringPool::read_model(r)?;
        let node_kinds = r.texts()?;
        let edge_kinds = r.texts()?;
        let hash = r.u64s()?;
        let n = hash.len();
        let kind = r.u16s()?;
        let name = r.u32s()?;
        let signature = r.u32s()?;
        let line = r.u32s()?;
        let flags = r.u8s()?;
        if [kind.len(), name.len(), signature.len(), line.len(), flags.len()].iter().any(|&l| l != n) {
            return Err(ModelError::Inconsistent("node column lengths"));
        }
        if kind.iter().any(|&k| usize::from(k) >= node_kinds.len()) || edge_kinds.len() > 256 {
            return Err(ModelError::Inconsistent("kinds"));
        }
        check_ids(&name, strings.len(), "names")?;
        check_ids(&signature, strings.len(), "signatures")?;
        let out = Csr::read_model(r, n, edge_kinds.len())?;
        let inc = Csr::read_model(r, n, edge_kinds.len())?;
        if inc.targets.len() != out.targets.len() {
            return Err(ModelError::Inconsistent("in- and out-adjacency differ"));
        }
        let kind_offsets = r.u32s()?;
        let kind_nodes = r.u32s()?;
        if kind_offsets.len() != node_kinds.len() + 1 || kind_nodes.len() != n {
            return Err(ModelError::Inconsistent("kind index"));
        }
        check_offsets(&kind_offsets, n, "kind index")?;
        check_ids(&kind_nodes, n, "kind index")?;
        let by_hash = r.u32s()?;
        check_ids(&by_hash, n, "hash index")?;
        let sorted = by_hash.windows(2).all(|w| hash[w[0] as usize] <= hash[w[1] as usize]);
        if by_hash.len() != n || !sorted {
            return Err(ModelError::Inconsistent("hash index"));
        }
        let modules = ModuleTree::read_model(r, n, strings.len())?;
        Ok(Self {
            strings,
            node_kinds,
            edge_kinds,
            hash,
            kind,
            name: name.into_iter().map(StrId).collect(),
            signature: signature.into_iter().map(StrId).collect(),
            line,
            flags,
            out,
            inc,
            kind_offsets,
            kind_nodes,
            by_hash,
            modules,
        })
    }
}
