#!/bin/sh
# Builds the first-party plugins from source (plugins/, for wasm32) and stages them in public/plugins
# with their manifests and a catalog the app reads. Trunk runs this before every build (Trunk.toml);
# the staged files are git-ignored, so no plugin binary is ever committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$here/.."
cargo build --quiet --release --target wasm32-unknown-unknown \
  --manifest-path "$root/plugins/Cargo.toml" --target-dir "$root/plugins/target"
out="$here/plugins"
mkdir -p "$out"
catalog="["
sep=""
for dir in "$root"/plugins/*/; do
  name=$(basename "$dir")
  [ -f "$dir/plugin.toml" ] || continue
  mkdir -p "$out/$name"
  cp "$dir/plugin.toml" "$out/$name/plugin.toml"
  cp "$root/plugins/target/wasm32-unknown-unknown/release/$(echo "$name" | tr - _).wasm" "$out/$name/plugin.wasm"
  # Test and benchmark plugins (category "testing") are staged for the tests but not offered to users.
  grep -q '^category = "testing"' "$dir/plugin.toml" && continue
  catalog="$catalog$sep\"$name\""
  sep=","
done
echo "$catalog]" > "$out/catalog.json"
