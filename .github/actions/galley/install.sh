#!/usr/bin/env bash
# The galley action's installer: a release tarball (downloaded with gh and checked against the
# release's SHA256SUMS), a given tarball, or one built from the checkout; unpacked under
# RUNNER_TEMP, its bin/ added to GITHUB_PATH. The first run makes galley's CDS archive.
set -euo pipefail
dest=${RUNNER_TEMP:-$(mktemp -d)}/galley-install
rm -rf "$dest"
mkdir -p "$dest/download"
if [ -n "${GALLEY_TARBALL:-}" ]; then
  tarball=$GALLEY_TARBALL
  sums=$(dirname "$tarball")/SHA256SUMS
  if [ -f "$sums" ]; then (cd "$(dirname "$tarball")" && sha256sum --check --ignore-missing --strict SHA256SUMS); fi
elif [ "${GALLEY_VERSION:-latest}" = checkout ]; then
  (cd "${GITHUB_WORKSPACE:-.}" && mvn -B -ntp -q -DskipTests package)
  tarball=$(ls "${GITHUB_WORKSPACE:-.}"/target/galley-*.tar.gz)
else
  tag=()
  [ "${GALLEY_VERSION:-latest}" = latest ] || tag=("v${GALLEY_VERSION#v}")
  gh release download "${tag[@]}" --repo "$GALLEY_REPOSITORY" --dir "$dest/download" \
    --pattern 'galley-*.tar.gz' --pattern SHA256SUMS
  (cd "$dest/download" && sha256sum --check --ignore-missing --strict SHA256SUMS)
  tarball=$(ls "$dest"/download/galley-*.tar.gz)
fi
tar -xzf "$tarball" -C "$dest"
home=$(ls -d "$dest"/galley-*/ | head -n 1)
home=${home%/}
version=$("$home/bin/galley" --version | sed -n '1s/^galley //p')
echo "installed galley $version in $home"
echo "$home/bin" >> "${GITHUB_PATH:-/dev/null}"
echo "version=$version" >> "${GITHUB_OUTPUT:-/dev/null}"
