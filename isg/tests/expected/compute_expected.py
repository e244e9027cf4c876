#!/usr/bin/env python3
"""Computes expected load results for every sample in ../shared/isg-samples, independently of the
Rust loader, from the rules documented in isg/src/load (kept in prose in ARCHITECTURE.md):

hashed formats (v0.1.0, v1): first node per hash wins; edges with an unknown endpoint are dropped;
repeated (from, to, kind) edges merge.
keyed formats (pt02, HTTP): last entity per key wins; entities with a placeholder path
(unknown, unresolved-reference, external-dependency*) are not nodes; each edge endpoint is matched
by exact key, then (kind class, name, normalised path[, range]), then file node, then name only.

Run: python3 isg/tests/expected/compute_expected.py > isg/tests/expected/samples.json
"""
import collections, gzip, json, os, sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "shared", "isg-samples")
CANON = {"function": "Function", "fn": "Function", "method": "Method", "struct": "Struct", "enum": "Enum",
         "trait": "Trait", "impl": "Impl", "module": "Module", "mod": "Module", "file": "File"}

def canon(k):
    return CANON.get(k, k)

def read(rel):
    path = os.path.join(ROOT, rel)
    opener = gzip.open if rel.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return f.read()

def hashed(rel):
    doc = json.loads(read(rel))
    ids, kinds = {}, collections.Counter()
    dup = 0
    for n in doc["nodes"]:
        if n["hash"] in ids:
            dup += 1
            continue
        ids[n["hash"]] = True
        kinds[canon(n["kind"])] += 1
    edges, dangling = set(), 0
    for e in doc["edges"]:
        f, t, k = (e[0], e[1], e[2]) if isinstance(e, list) else (e["from"], e["to"], e["kind"])
        if f not in ids or t not in ids:
            dangling += 1
            continue
        edges.add((f, t, k))
    raw_edges = len(doc["edges"])
    return {"nodes": len(ids), "edges": len(edges),
            "node_kinds": dict(kinds), "edge_kinds": dict(collections.Counter(k for _, _, k in edges)),
            "raw_nodes": len(doc["nodes"]), "raw_edges": raw_edges,
            "warnings": {"DuplicateHashes": dup, "DanglingEdges": dangling,
                         "DuplicateEdges": raw_edges - dangling - len(edges),
                         "SelfLoops": sum(1 for f, t, _ in edges if f == t)},
            "max_hash": str(max(ids))}

def split_key(key):
    parts = key.split(":")
    if len(parts) < 4:
        return None
    if len(parts) == 4:
        return parts[1], parts[2], "", parts[3]
    return parts[1], ":".join(parts[2:-2]), parts[-2], parts[-1]

def placeholder(path):
    return path in ("", "unknown", "unresolved-reference") or path.startswith("external-dependency")

def kclass(k):
    return "callable" if k in ("fn", "function", "method", "Function", "Method") else (
        "module" if k in ("mod", "module", "Module") else k)

def norm(p):
    return p.replace(".", "_").replace("/", "_")

def load_toon(rel):
    lines = read(rel).splitlines()
    header = lines[0]
    fields = header[header.index("{") + 1: header.rindex("}")].split(",")
    rows = []
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = line.strip(" ").split("\t")
        rows.append({f: (json.loads(c) if c.startswith('"') else c) for f, c in zip(fields, cells)})
    return rows

def keyed(entity_files, edge_files):
    entities, edges = [], []
    for rel in entity_files:
        if rel.endswith(".toon"):
            entities += load_toon(rel)
        else:
            d = json.loads(read(rel))
            entities += d["data"]["entities"] if "data" in d else d["entities"]
    for rel in edge_files:
        if rel.endswith(".toon"):
            edges += load_toon(rel)
        else:
            d = json.loads(read(rel))
            edges += d["data"]["edges"] if "data" in d else d["edges"]
    last = {}
    for e in entities:
        last[e.get("isgl1_key") or e.get("key")] = e
    nodes = {}  # identity -> kind
    exact, by_path, by_name, file_by_norm = {}, collections.defaultdict(list), collections.defaultdict(list), {}
    for key, e in last.items():
        k = split_key(key)
        if k and placeholder(k[2]):
            continue
        kind = canon(e.get("entity_type") or (k[0] if k else "Unknown"))
        nodes["entity:" + key] = kind
        exact[key] = "entity:" + key
        if k:
            by_path[(kclass(k[0]), k[1], norm(k[2]))].append(("entity:" + key, k[3]))
            by_name[k[1]].append(("entity:" + key, k[0]))
        fp = e.get("file_path") or ""
        if fp:
            file_by_norm.setdefault(norm(fp), fp)
    stats = collections.Counter()
    out = set()

    def resolve(raw):
        if raw in exact:
            return exact[raw], "exact"
        k = split_key(raw)
        if k is None or not k[1]:
            nodes.setdefault("external:?:" + raw, "Unknown")
            return "external:?:" + raw, "external"
        kind, name, path, rng = k
        cls = kclass(kind)
        if kind == "file":
            ident = "file:" + norm(path or name)
            nodes.setdefault(ident, "File")
            return ident, "files"
        name_only = placeholder(path) or (cls == "module" and rng == "0-0")
        if not name_only:
            cands = by_path.get((cls, name, norm(path)), [])
            if len(cands) == 1:
                return cands[0][0], "by_path"
            hit = [c for c, r in cands if r == rng]
            if cands and hit:
                return hit[0], "by_path"
            ident = "unlisted:" + raw
            nodes.setdefault(ident, canon(kind))
            return ident, "unlisted"
        cands = [c for c, ck in by_name.get(name, []) if cls == "module" or kclass(ck) == cls]
        if len(cands) == 1:
            return cands[0], "by_name"
        ident = "external:%s:%s" % (cls, name)
        nodes.setdefault(ident, canon(kind))
        return ident, ("ambiguous" if len(cands) > 1 else "external")

    for e in edges:
        f, fm = resolve(e["from_key"])
        t, tm = resolve(e["to_key"])
        stats[fm] += 1
        stats[tm] += 1
        if "ambiguous" in (fm, tm):
            stats["edges_ambiguous"] += 1
        elif "external" in (fm, tm):
            stats["edges_external"] += 1
        else:
            stats["edges_resolved"] += 1
        out.add((f, t, e["edge_type"]))
    resolution = {k: stats.get(k, 0) for k in ("exact", "by_path", "by_name", "files", "unlisted", "ambiguous",
                                                "external", "edges_resolved", "edges_ambiguous", "edges_external")}
    return {"nodes": len(nodes), "edges": len(out),
            "node_kinds": dict(collections.Counter(nodes.values())),
            "edge_kinds": dict(collections.Counter(k for _, _, k in out)),
            "raw_nodes": len(entities), "raw_edges": len(edges),
            "warnings": {"DuplicateEdges": len(edges) - len(out),
                         "SelfLoops": sum(1 for f, t, _ in out if f == t)},
            "resolution": resolution}

P = "v0.9.7-pt02/"
CASES = {
    "v0.1.0-snapshot/axum-0.8.3.json": lambda: hashed("v0.1.0-snapshot/axum-0.8.3.json"),
    "v0.1.0-snapshot/parseltongue-0.1.0-self.json": lambda: hashed("v0.1.0-snapshot/parseltongue-0.1.0-self.json"),
    "v0.1.0-snapshot/tokio-1.47.1.json": lambda: hashed("v0.1.0-snapshot/tokio-1.47.1.json"),
    "v0.1.0-snapshot/registry-full.json.gz": lambda: hashed("v0.1.0-snapshot/registry-full.json.gz"),
    "v1-isg_data/axum-0.8.3.json": lambda: hashed("v1-isg_data/axum-0.8.3.json"),
    "v1-isg_data/tokio-1.47.1.json": lambda: hashed("v1-isg_data/tokio-1.47.1.json"),
}
for crate in ("axum-0.8.3", "parseltongue-v0.9.7-self", "tokio-1.47.1"):
    for level in ("level01", "level02"):
        ents, eds = P + crate + "." + level + ".entities.json", P + crate + ".level00.edges.json"
        CASES[ents + "+" + eds] = (lambda a, b: lambda: keyed([a], [b]))(ents, eds)
CASES[P + "parseltongue-repo-example.entities.toon+" + P + "parseltongue-repo-example.edges.toon"] = \
    lambda: keyed([P + "parseltongue-repo-example.entities.toon"], [P + "parseltongue-repo-example.edges.toon"])
H = "v1.7.2-http/tokio-1.47.1."
CASES[H + "code-entities-list-all.json+" + H + "dependency-edges-list-all.json"] = \
    lambda: keyed([H + "code-entities-list-all.json"], [H + "dependency-edges-list-all.json"])

json.dump({name: f() for name, f in CASES.items()}, sys.stdout, indent=1, sort_keys=True)
print()
