#!/bin/sh
# Builds the first-party plugins from source (plugins/, for wasm32) into target/plugins and stages
# them in target/staged/plugins with their manifests and a catalog the app reads. Trunk runs this
# before every build (Trunk.toml). Everything it writes is under target/, which the build ignores
# and `trunk serve` does not watch, and a file is only rewritten when its bytes change, so a build
# never triggers another. No plugin binary is ever committed.
#
# catalog.json lists every staged plugin: its name, whether users are offered it (test and bench
# plugins, category "testing", are staged for the tests but not listed), and the SHA-256 of its
# manifest and module, which the app checks before it treats a plugin as first-party.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$here/.."
built="$root/target/plugins"
cargo build --quiet --release --target wasm32-unknown-unknown \
  --manifest-path "$root/plugins/Cargo.toml" --target-dir "$built"
out="$root/target/staged/plugins"
mkdir -p "$out"
put() { cmp -s "$1" "$2" || cp "$1" "$2"; }
catalog=""
sep=""
for dir in "$root"/plugins/*/; do
  name=$(basename "$dir")
  [ -f "$dir/plugin.toml" ] || continue
  wasm="$built/wasm32-unknown-unknown/release/$(echo "$name" | tr - _).wasm"
  mkdir -p "$out/$name"
  put "$dir/plugin.toml" "$out/$name/plugin.toml"
  put "$wasm" "$out/$name/plugin.wasm"
  listed=true
  grep -q '^category = "testing"' "$dir/plugin.toml" && listed=false
  manifest_sha=$(sha256sum < "$dir/plugin.toml" | cut -d' ' -f1)
  wasm_sha=$(sha256sum < "$wasm" | cut -d' ' -f1)
  catalog="$catalog$sep{\"name\":\"$name\",\"listed\":$listed,\"manifest_sha256\":\"$manifest_sha\",\"wasm_sha256\":\"$wasm_sha\"}"
  sep=","
done
echo "[$catalog]" > "$out/catalog.json.new"
put "$out/catalog.json.new" "$out/catalog.json"
rm "$out/catalog.json.new"

# The default registry (`cargo xtask registry`, which `cargo xtask serve` and `cargo xtask test`
# run first) goes beside the page, with its public key; without it the Marketplace starts with no
# registry and says so.
staged_registry="$root/target/staged/registry"
rm -rf "$staged_registry"
mkdir -p "$staged_registry"
if [ -f "$root/target/registry/registry.pub" ]; then
  cp -R "$root/target/registry/." "$staged_registry/"
fi
