#!/bin/sh
# Fetch Leaflet from the npm registry (never a CDN) into static/vendor/leaflet/.
# Run from the repository's root: scripts/fetch_leaflet.sh. The files are committed, so this
# runs only to change the version: set LEAFLET_VERSION and LEAFLET_INTEGRITY together
# (`npm view leaflet@VERSION dist.integrity`). npm pack checks the tarball against the
# registry's integrity; this script checks it against the pinned one as well.
set -eu
LEAFLET_VERSION=${LEAFLET_VERSION:-1.9.4}
LEAFLET_INTEGRITY=${LEAFLET_INTEGRITY:-sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==}
dest=static/vendor/leaflet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "leaflet@$LEAFLET_VERSION" >/dev/null)
tgz="$work/leaflet-$LEAFLET_VERSION.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$got" != "$LEAFLET_INTEGRITY" ]; then
    echo "leaflet-$LEAFLET_VERSION.tgz: integrity $got, expected $LEAFLET_INTEGRITY" >&2
    exit 1
fi
tar xzf "$tgz" -C "$work"
rm -rf "$dest"
mkdir -p "$dest/images"
cp "$work/package/dist/leaflet.js" "$work/package/dist/leaflet.css" "$dest/"
cp "$work/package/dist/images/"*.png "$dest/images/"
cp "$work/package/LICENSE" "$dest/LICENSE"
echo "$LEAFLET_VERSION" > "$dest/VERSION"
echo "Leaflet $LEAFLET_VERSION in $dest"
