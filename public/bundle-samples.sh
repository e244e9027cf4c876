#!/bin/sh
# Copies the real parseltongue exports the app bundles from ../shared/isg-samples into
# target/staged/samples. Trunk runs this before every build (see Trunk.toml); the copies live under
# target/, which `trunk serve` does not watch, and are only rewritten when they differ.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../../shared/isg-samples"
dst="$here/../target/staged/samples"
if [ ! -d "$src" ]; then
  echo "bundle-samples: $src is missing; the app bundles its default sample from ../shared/isg-samples beside the checkout" >&2
  exit 1
fi
mkdir -p "$dst"
for f in \
  v0.1.0-snapshot/axum-0.8.3.json \
  v0.1.0-snapshot/tokio-1.47.1.json \
  v0.1.0-snapshot/registry-full.json.gz \
  v0.9.7-pt02/axum-0.8.3.level01.entities.json \
  v0.9.7-pt02/axum-0.8.3.level00.edges.json \
  v1.7.2-http/tokio-1.47.1.code-entities-list-all.json \
  v1.7.2-http/tokio-1.47.1.dependency-edges-list-all.json
do
  name=$(basename "$f")
  cmp -s "$src/$f" "$dst/$name" || cp "$src/$f" "$dst/$name"
done
