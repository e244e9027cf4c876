//! Every registry the user has, together: search and filters for the marketplace's list, and
//! dependency resolution across registries with semver.

use std::collections::BTreeMap;

use plugin_host::PluginKind;
use semver::{Version, VersionReq};

use crate::index::{Index, Release};

/// The indexes of the registries in use, in the user's order (the first one wins a tie).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// One per registry.
    pub indexes: Vec<Index>,
}

/// One plugin as the list shows it: its newest offered release.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Listed<'a> {
    /// Which index.
    pub registry: usize,
    /// The plugin's name.
    pub name: &'a str,
    /// Its newest release that is not yanked (greyed out when incompatible).
    pub release: &'a Release,
}

/// What the list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Words matched against name, tags and description (all must match).
    pub text: String,
    /// Only this kind.
    pub kind: Option<PluginKind>,
    /// Only this category.
    pub category: Option<String>,
    /// The order of the list.
    pub sort: Sort,
}

/// The order of the marketplace list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (a name match before a tag match before a description match), then by name.
    #[default]
    Relevance,
    /// By name.
    Name,
    /// Most recently published first.
    Newest,
    /// Smallest package first.
    Smallest,
}

impl Sort {
    /// Every order, as the view offers them.
    pub const ALL: [Self; 4] = [Self::Relevance, Self::Name, Self::Newest, Self::Smallest];

    /// Its name in the view.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Relevance => "best match",
            Self::Name => "name",
            Self::Newest => "newest",
            Self::Smallest => "smallest",
        }
    }
}

impl Catalog {
    /// The plugins matching `query`, in its [`Sort`] order; ties go by name, then registry.
    #[must_use]
    pub fn search(&self, query: &Query) -> Vec<Listed<'_>> {
        let words: Vec<String> = query.text.split_whitespace().map(str::to_lowercase).collect();
        let mut out: Vec<(u8, Listed<'_>)> = Vec::new();
        for (registry, index) in self.indexes.iter().enumerate() {
            for (name, releases) in &index.plugins {
                let Some(release) = releases.iter().filter(|r| !r.yanked).max_by(|a, b| a.version.cmp(&b.version))
                else {
                    continue;
                };
                if query.kind.is_some_and(|k| k != release.kind)
                    || query.category.as_ref().is_some_and(|c| *c != release.category)
                {
                    continue;
                }
                let mut rank = 0u8;
                let all = words.iter().all(|w| {
                    let r = if name.to_lowercase().contains(w.as_str()) {
                        0
                    } else if release.tags.iter().any(|t| t.to_lowercase().contains(w.as_str())) {
                        1
                    } else if release.description.to_lowercase().contains(w.as_str()) {
                        2
                    } else {
                        return false;
                    };
                    rank = rank.max(r);
                    true
                });
                if all {
                    out.push((rank, Listed { registry, name, release }));
                }
            }
        }
        let key = |(rank, l): &(u8, Listed<'_>)| match query.sort {
            Sort::Relevance => u64::from(*rank),
            Sort::Name => 0,
            Sort::Newest => u64::MAX - l.release.published,
            Sort::Smallest => l.release.size,
        };
        out.sort_by(|a, b| key(a).cmp(&key(b)).then(a.1.name.cmp(b.1.name)).then(a.1.registry.cmp(&b.1.registry)));
        out.into_iter().map(|(_, l)| l).collect()
    }

    /// The categories of the plugins offered, sorted, each once.
    #[must_use]
    pub fn categories(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .indexes
            .iter()
            .flat_map(|i| i.plugins.values().flatten())
            .map(|r| r.category.clone())
            .filter(|c| !c.is_empty())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Every release of `name`, newest first, each with its registry.
    #[must_use]
    pub fn releases(&self, name: &str) -> Vec<(usize, &Release)> {
        let mut out: Vec<(usize, &Release)> = self
            .indexes
            .iter()
            .enumerate()
            .flat_map(|(i, index)| index.plugins.get(name).into_iter().flatten().map(move |r| (i, r)))
            .collect();
        out.sort_by(|a, b| b.1.version.cmp(&a.1.version).then(a.0.cmp(&b.0)));
        out
    }

    /// Why `name` `version` is revoked in any registry, if it is.
    #[must_use]
    pub fn revoked(&self, name: &str, version: &Version) -> Option<&str> {
        self.indexes.iter().find_map(|i| i.revoked(name, version)).map(|r| r.reason.as_str())
    }

    /// The releases to install for `name` at `requirement`, dependencies first: each plugin at the
    /// newest version that every requirement on it accepts, that runs on host API `host`, and
    /// that is neither yanked (unless `requirement` pins it exactly) nor revoked.
    ///
    /// # Errors
    /// [`ResolveError`] naming the missing plugin, the conflicting requirements or the cycle.
    pub fn resolve(&self, name: &str, requirement: &VersionReq, host: &Version) -> Result<Vec<Resolved>, ResolveError> {
        let mut state = Resolution::default();
        state.require(name, requirement, "you");
        self.pick(name, host, &mut state, &mut Vec::new())?;
        Ok(state.order)
    }

    fn pick(
        &self,
        name: &str,
        host: &Version,
        state: &mut Resolution,
        path: &mut Vec<String>,
    ) -> Result<(), ResolveError> {
        if let Some(at) = path.iter().position(|p| p == name) {
            let mut cycle = path[at..].to_vec();
            cycle.push(name.to_owned());
            return Err(ResolveError::Cycle { cycle });
        }
        let requirements = state.requirements.get(name).cloned().unwrap_or_default();
        if let Some(chosen) = state.chosen.get(name) {
            return match requirements.iter().find(|(_, req)| !req.matches(chosen)) {
                None => Ok(()),
                Some(_) => {
                    Err(ResolveError::Conflict { plugin: name.to_owned(), requirements: describe(&requirements) })
                }
            };
        }
        let releases = self.releases(name);
        if releases.is_empty() {
            let wanted_by = requirements.first().map_or_else(String::new, |(by, _)| by.clone());
            return Err(ResolveError::Missing { plugin: name.to_owned(), wanted_by });
        }
        let exact = |v: &Version| {
            requirements
                .iter()
                .any(|(_, r)| r.comparators.len() == 1 && r.comparators[0].op == semver::Op::Exact && r.matches(v))
        };
        let candidates: Vec<(usize, &Release)> = releases
            .into_iter()
            .filter(|(_, r)| requirements.iter().all(|(_, req)| req.matches(&r.version)))
            .filter(|(_, r)| r.incompatible(host).is_none() && self.revoked(name, &r.version).is_none())
            .filter(|(_, r)| !r.yanked || exact(&r.version))
            .collect();
        let mut last = ResolveError::Conflict { plugin: name.to_owned(), requirements: describe(&requirements) };
        path.push(name.to_owned());
        for (registry, release) in candidates {
            let saved = state.clone();
            state.chosen.insert(name.to_owned(), release.version.clone());
            let by = format!("{name} {}", release.version);
            let mut ok = Ok(());
            for (dep, req) in &release.dependencies {
                state.require(dep, req, &by);
                ok = ok.and_then(|()| self.pick(dep, host, state, path));
            }
            match ok {
                Ok(()) => {
                    state.order.push(Resolved { registry, name: name.to_owned(), version: release.version.clone() });
                    path.pop();
                    return Ok(());
                }
                Err(e @ ResolveError::Cycle { .. }) => {
                    path.pop();
                    return Err(e);
                }
                Err(e) => {
                    last = e;
                    *state = saved;
                }
            }
        }
        path.pop();
        Err(last)
    }
}

fn describe(requirements: &[(String, VersionReq)]) -> Vec<String> {
    requirements.iter().map(|(by, req)| format!("{by} needs {req}")).collect()
}

/// Choices made so far while resolving.
#[derive(Debug, Clone, Default)]
struct Resolution {
    requirements: BTreeMap<String, Vec<(String, VersionReq)>>,
    chosen: BTreeMap<String, Version>,
    order: Vec<Resolved>,
}

impl Resolution {
    fn require(&mut self, name: &str, req: &VersionReq, by: &str) {
        self.requirements.entry(name.to_owned()).or_default().push((by.to_owned(), req.clone()));
    }
}

/// One plugin to install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Which registry it comes from.
    pub registry: usize,
    /// Its name.
    pub name: String,
    /// The version chosen.
    pub version: Version,
}

/// Why no set of versions fits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// No registry has the plugin.
    #[error("no registry has {plugin} (needed by {wanted_by})")]
    Missing {
        /// The plugin.
        plugin: String,
        /// Who needs it.
        wanted_by: String,
    },
    /// No version satisfies every requirement (and runs here, and is not yanked or revoked).
    #[error("no version of {plugin} fits: {}", requirements.join("; "))]
    Conflict {
        /// The plugin.
        plugin: String,
        /// Each requirement and who made it.
        requirements: Vec<String>,
    },
    /// Plugins depend on each other in a circle.
    #[error("plugins depend on each other in a cycle: {}", cycle.join(" → "))]
    Cycle {
        /// The names along the cycle, first repeated at the end.
        cycle: Vec<String>,
    },
}
