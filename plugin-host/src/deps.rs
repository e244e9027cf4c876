//! Load order from `[dependencies]`: every plugin after the plugins it needs.

use std::collections::BTreeMap;

use crate::manifest::Manifest;

/// Why no load order exists.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DependencyError {
    /// A dependency is not among the plugins given.
    #[error("plugin {plugin} needs {dependency} {requirement}, which is not installed")]
    Missing {
        /// The plugin with the dependency.
        plugin: String,
        /// The missing plugin's name.
        dependency: String,
        /// The version requirement.
        requirement: String,
    },
    /// A dependency is present at a version outside the requirement.
    #[error("plugin {plugin} needs {dependency} {requirement}, but {dependency} {found} is installed")]
    WrongVersion {
        /// The plugin with the dependency.
        plugin: String,
        /// The dependency's name.
        dependency: String,
        /// The version requirement.
        requirement: String,
        /// The version present.
        found: String,
    },
    /// Plugins depend on each other in a cycle.
    #[error("plugins depend on each other in a cycle: {}", cycle.join(" → "))]
    Cycle {
        /// The names along the cycle, first name repeated at the end.
        cycle: Vec<String>,
    },
    /// Two plugins have the same name.
    #[error("two plugins are named {0}")]
    Duplicate(String),
}

/// Indices into `manifests` in an order where every plugin comes after its dependencies.
/// Ties keep the input order, so the result is deterministic.
///
/// # Errors
/// The first missing or mismatched dependency, or a cycle with every plugin on it named.
pub fn load_order(manifests: &[&Manifest]) -> Result<Vec<usize>, DependencyError> {
    let mut by_name = BTreeMap::new();
    for (i, m) in manifests.iter().enumerate() {
        if by_name.insert(m.plugin.name.as_str(), i).is_some() {
            return Err(DependencyError::Duplicate(m.plugin.name.clone()));
        }
    }
    let mut needs: Vec<Vec<usize>> = Vec::with_capacity(manifests.len());
    for m in manifests {
        let mut deps = Vec::new();
        for (dependency, requirement) in &m.dependencies {
            let Some(&j) = by_name.get(dependency.as_str()) else {
                return Err(DependencyError::Missing {
                    plugin: m.plugin.name.clone(),
                    dependency: dependency.clone(),
                    requirement: requirement.to_string(),
                });
            };
            if !requirement.matches(&manifests[j].plugin.version) {
                return Err(DependencyError::WrongVersion {
                    plugin: m.plugin.name.clone(),
                    dependency: dependency.clone(),
                    requirement: requirement.to_string(),
                    found: manifests[j].plugin.version.to_string(),
                });
            }
            deps.push(j);
        }
        needs.push(deps);
    }
    // Depth-first with colours; the grey path is the cycle when we meet a grey node again.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        White,
        Grey,
        Black,
    }
    let mut mark = vec![Mark::White; manifests.len()];
    let mut order = Vec::with_capacity(manifests.len());
    for root in 0..manifests.len() {
        if mark[root] != Mark::White {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        mark[root] = Mark::Grey;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&dep) = needs[node].get(*next) {
                *next += 1;
                match mark[dep] {
                    Mark::White => {
                        mark[dep] = Mark::Grey;
                        stack.push((dep, 0));
                    }
                    Mark::Grey => {
                        let start = stack.iter().position(|(n, _)| *n == dep).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            stack[start..].iter().map(|(n, _)| manifests[*n].plugin.name.clone()).collect();
                        cycle.push(manifests[dep].plugin.name.clone());
                        return Err(DependencyError::Cycle { cycle });
                    }
                    Mark::Black => {}
                }
            } else {
                mark[node] = Mark::Black;
                order.push(node);
                stack.pop();
            }
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(name: &str, version: &str, deps: &[(&str, &str)]) -> Manifest {
        let mut text = format!(
            "[plugin]\nname = \"{name}\"\nversion = \"{version}\"\nauthor = \"a\"\ndescription = \"d\"\nkind = \"analysis\"\nhost_api = \"^1\"\n[dependencies]\n"
        );
        for (d, r) in deps {
            text.push_str(&format!("{d} = \"{r}\"\n"));
        }
        Manifest::parse(&text).unwrap()
    }

    #[test]
    fn dependencies_load_first() {
        let a = manifest("a", "1.0.0", &[("b", "^1"), ("c", "^0.3")]);
        let b = manifest("b", "1.2.0", &[("c", "*")]);
        let c = manifest("c", "0.3.1", &[]);
        assert_eq!(load_order(&[&a, &b, &c]).unwrap(), vec![2, 1, 0]);
    }

    #[test]
    fn missing_wrong_version_and_cycles_are_named() {
        let a = manifest("a", "1.0.0", &[("b", "^1")]);
        assert_eq!(load_order(&[&a]).unwrap_err().to_string(), "plugin a needs b ^1, which is not installed");
        let b = manifest("b", "2.0.0", &[]);
        assert_eq!(load_order(&[&a, &b]).unwrap_err().to_string(), "plugin a needs b ^1, but b 2.0.0 is installed");
        let b = manifest("b", "1.0.0", &[("c", "*")]);
        let c = manifest("c", "1.0.0", &[("a", "*")]);
        assert_eq!(
            load_order(&[&a, &b, &c]).unwrap_err().to_string(),
            "plugins depend on each other in a cycle: a → b → c → a"
        );
        assert!(matches!(load_order(&[&c, &c.clone()]), Err(DependencyError::Duplicate(_))));
    }
}
