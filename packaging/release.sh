#!/usr/bin/env bash
# Make this desktop's release files in dist/release/: the archive, its CycloneDX SBOM, the
# third-party notices, and SHA256SUMS over them. The GitHub workflow runs this too.
#
#   bash packaging/release.sh                  # build and test first, then package
#   bash packaging/release.sh --no-build [LABEL]   # package the bundle already in dist/
#
# LABEL names the archive (claimcoder-VERSION-LABEL...): linux-x86_64, windows-x64, macos-arm64,
# macos-x86_64; by default it is worked out from this machine. Building first means
# packaging/ci_bundle.sh on Linux (build from the lock + every check) and
# packaging/build_bundle.sh elsewhere.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

build=1
if [[ "${1:-}" == --no-build ]]; then build=0; shift; fi
case "$(uname -s)" in
    Linux) OS=linux ;;
    Darwin) OS=macos ;;
    *) OS=windows ;;
esac
machine=$(uname -m)
case "$OS-$machine" in
    linux-*) default_label="linux-$machine" ;;
    macos-arm64) default_label=macos-arm64 ;;
    macos-*) default_label=macos-x86_64 ;;
    *) default_label=windows-x64 ;;
esac
LABEL=${1:-$default_label}
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null || PY=python

if (( build )); then
    if [[ $OS == linux ]]; then bash packaging/ci_bundle.sh; else bash packaging/build_bundle.sh; fi
fi

VERSION=$("$PY" -c 'import sys; sys.path.insert(0, "packaging"); import bundle_config; print(bundle_config.version())')
ARCHIVE="claimcoder-$VERSION-$LABEL"
OUT="$ROOT/dist/release"
[[ -f dist/claimcoder.cdx.json ]] || { echo "release: no dist/claimcoder.cdx.json; build first" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"

case $OS in
    linux)
        cp packaging/linux/org.claimcoder.claimcoder.desktop packaging/linux/claimcoder-mime.xml \
           packaging/linux/install.sh dist/claimcoder/
        # Sorted, owner-neutral and dated by the commit: the same tree gives the same archive.
        mtime=$(git log -1 --format=%ct 2>/dev/null || date +%s)
        tar -C dist --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -cf - claimcoder \
            | gzip -n -9 > "$OUT/$ARCHIVE.tar.gz"
        notices=dist/claimcoder/THIRD-PARTY-NOTICES.txt
        ;;
    windows)
        cp packaging/windows/register.ps1 dist/claimcoder/
        "$PY" -c 'import shutil, sys; shutil.make_archive(sys.argv[1], "zip", "dist", "claimcoder")' "$OUT/$ARCHIVE"
        notices=dist/claimcoder/THIRD-PARTY-NOTICES.txt
        ;;
    macos)
        # ditto keeps the frameworks' symbolic links and the signature intact; zip -r does not.
        ditto -c -k --sequesterRsrc --keepParent dist/claimcoder.app "$OUT/$ARCHIVE.zip"
        hdiutil create -volname "claimcoder $VERSION" -srcfolder dist/claimcoder.app -ov -format UDZO "$OUT/$ARCHIVE.dmg"
        notices=$(find dist/claimcoder.app -name THIRD-PARTY-NOTICES.txt | head -1)
        ;;
esac
[[ -s "$notices" ]] || { echo "release: the bundle has no THIRD-PARTY-NOTICES.txt" >&2; exit 1; }
cp dist/claimcoder.cdx.json "$OUT/$ARCHIVE.cdx.json"
cp "$notices" "$OUT/$ARCHIVE-THIRD-PARTY-NOTICES.txt"

cd "$OUT"
if command -v sha256sum >/dev/null; then sha256sum claimcoder-* > SHA256SUMS; else shasum -a 256 claimcoder-* > SHA256SUMS; fi
ls -la
cat SHA256SUMS
