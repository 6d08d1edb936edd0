#!/bin/sh
# Builds the galley container image from a release tarball:
#   images/galley-image.sh TAG target/galley-VERSION.tar.gz
# on galley/debian-jre:bookworm (images/build-images.sh makes it; nothing is pulled). The
# build context holds only the tarball and the Dockerfile.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 TAG galley-VERSION.tar.gz" >&2; exit 2; }
tag=$1
tarball=$2
version=$(basename "$tarball" .tar.gz)
version=${version#galley-}
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$tarball" "$(dirname "$0")/galley/Dockerfile" "$context/"
docker build --quiet --build-arg VERSION="$version" --tag "$tag" "$context" >/dev/null
echo "built $tag (galley $version)"
