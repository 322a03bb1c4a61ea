#!/usr/bin/env bash
# Refreshes the browser libraries committed under src/Command.Web/wwwroot/lib from the npm registry.
# The build never runs this: it serves the committed files, so an isolated network needs neither npm nor
# a connection. Run it on a machine with npm when a library should move to a new version, review the diff
# (and the licence, if it changed), then commit.
#
#   scripts/update-web-libs.sh                 # the versions pinned below
#   SIGNALR_VERSION=10.0.1 HLS_VERSION=1.7.5 scripts/update-web-libs.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIGNALR_VERSION="${SIGNALR_VERSION:-10.0.0}"
HLS_VERSION="${HLS_VERSION:-1.7.4}"
lib=src/Command.Web/wwwroot/lib
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# npm pack checks the tarball against the registry's integrity hash; nothing is installed or run.
fetch() {
  local package=$1 version=$2
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  local tarball
  tarball=$(ls "$work"/*.tgz)
  mkdir -p "$work/$3"
  tar -xzf "$tarball" -C "$work/$3" --strip-components=1
  rm -f "$tarball"
}

fetch @microsoft/signalr "$SIGNALR_VERSION" signalr
mkdir -p "$lib/signalr"
cp "$work/signalr/dist/browser/signalr.min.js" "$lib/signalr/signalr.min.js"
grep -q '"license": "MIT"' "$work/signalr/package.json" || { echo "@microsoft/signalr is no longer MIT: check its licence before committing" >&2; exit 1; }

sum=$(sha256sum "$lib/signalr/signalr.min.js" | cut -d' ' -f1)
sed -i -E "s#^\| SignalR browser client \|.*#| SignalR browser client | \`@microsoft/signalr\` | $SIGNALR_VERSION | \`signalr/signalr.min.js\` (from \`dist/browser\`) | MIT | \`$sum\` |#" "$lib/README.md"
echo "signalr $SIGNALR_VERSION sha256 $sum"

fetch hls.js "$HLS_VERSION" hls
mkdir -p "$lib/hls"
cp "$work/hls/dist/hls.min.js" "$lib/hls/hls.min.js"
cp "$work/hls/LICENSE" "$lib/hls/LICENSE"
grep -q '"license": "Apache-2.0"' "$work/hls/package.json" || { echo "hls.js is no longer Apache-2.0: check its licence before committing" >&2; exit 1; }

sum=$(sha256sum "$lib/hls/hls.min.js" | cut -d' ' -f1)
sed -i -E "s#^\| HLS player \|.*#| HLS player | \`hls.js\` | $HLS_VERSION | \`hls/hls.min.js\` (from \`dist\`) | Apache-2.0 | \`$sum\` |#" "$lib/README.md"
echo "hls.js $HLS_VERSION sha256 $sum"
