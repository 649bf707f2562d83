#!/usr/bin/env bash
# Maintainer tool: refresh the offline front-end assets under assets/vendor/.
#
# Government networks have no internet access, so the cockpit must never load
# CSS/JS/fonts from a CDN. This script fetches pinned package versions from the
# npm registry into a temporary directory, copies only the files the app
# serves into assets/vendor/, and strips sourceMappingURL comments so browsers
# do not request .map files that we do not ship.
#
# It is NOT run by the build or CI; the copied files are committed.
# Usage: bash scripts/vendor_assets.sh    (needs node/npm and registry access)
set -euo pipefail

BOOTSTRAP_VERSION=5.3.9
BOOTSTRAP_ICONS_VERSION=1.13.2
LEAFLET_VERSION=1.9.4

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$REPO_ROOT/assets/vendor"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cockpit-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent \
    "bootstrap@${BOOTSTRAP_VERSION}" \
    "bootstrap-icons@${BOOTSTRAP_ICONS_VERSION}" \
    "leaflet@${LEAFLET_VERSION}" >/dev/null
for pkg in bootstrap bootstrap-icons leaflet; do
    mkdir -p "$pkg"
    tar -xzf "$pkg"-[0-9]*.tgz -C "$pkg" --strip-components=1
done

# Remove "/*# sourceMappingURL=... */" and "//# sourceMappingURL=..." lines/comments.
strip_sourcemap() {
    sed -i -E -e 's#/\*\# sourceMappingURL=[^*]*\*/##g' -e '/^\/\/# sourceMappingURL=/d' "$1"
}

# --- Bootstrap (MIT) -------------------------------------------------------
rm -rf "$DEST/bootstrap" && mkdir -p "$DEST/bootstrap"
cp bootstrap/dist/css/bootstrap.min.css "$DEST/bootstrap/"
cp bootstrap/LICENSE "$DEST/bootstrap/LICENSE"
strip_sourcemap "$DEST/bootstrap/bootstrap.min.css"

# --- Bootstrap Icons (MIT) -------------------------------------------------
# The CSS references url("fonts/bootstrap-icons.woff2?...") relative to itself,
# so the fonts/ folder sits next to the CSS file.
rm -rf "$DEST/bootstrap-icons" && mkdir -p "$DEST/bootstrap-icons/fonts"
cp bootstrap-icons/font/bootstrap-icons.min.css "$DEST/bootstrap-icons/"
cp bootstrap-icons/font/fonts/bootstrap-icons.woff2 \
   bootstrap-icons/font/fonts/bootstrap-icons.woff "$DEST/bootstrap-icons/fonts/"
cp bootstrap-icons/LICENSE "$DEST/bootstrap-icons/LICENSE"
strip_sourcemap "$DEST/bootstrap-icons/bootstrap-icons.min.css"

# --- Leaflet (BSD-2-Clause) ------------------------------------------------
rm -rf "$DEST/leaflet" && mkdir -p "$DEST/leaflet/images"
cp leaflet/dist/leaflet.js leaflet/dist/leaflet.css "$DEST/leaflet/"
cp leaflet/dist/images/*.png "$DEST/leaflet/images/"
cp leaflet/LICENSE "$DEST/leaflet/LICENSE"
strip_sourcemap "$DEST/leaflet/leaflet.js"
strip_sourcemap "$DEST/leaflet/leaflet.css"

# --- Sanity check: nothing the browser would fetch from another host --------
# Only url(...) references in CSS and src/href-style loads matter; licence
# banners and SVG xmlns namespaces inside data: URIs are not fetched.
if grep -Eo 'url\((["'"'"']?)(https?:)?//' "$DEST"/*/*.css; then
    echo "ERROR: external url() reference found in vendored CSS" >&2
    exit 1
fi
if grep -rl 'sourceMappingURL' "$DEST"; then
    echo "ERROR: sourceMappingURL left in vendored files" >&2
    exit 1
fi

echo "Vendored bootstrap ${BOOTSTRAP_VERSION}, bootstrap-icons ${BOOTSTRAP_ICONS_VERSION}, leaflet ${LEAFLET_VERSION} into ${DEST}"
