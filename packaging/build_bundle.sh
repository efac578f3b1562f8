#!/usr/bin/env bash
# Build the bundle the way a release is built, on any of the three desktops:
#   1. a fresh virtual environment (.venv-bundle) with exactly the locked runtime dependencies
#      and PyInstaller -- packaging/requirements/bundle-OS.txt, hashes checked -- and nothing
#      else (no test tools, no oracles; the app itself is read from the source tree);
#   2. PyInstaller on packaging/claimcoder.spec (which also writes app/build_info.json with the
#      commit, and THIRD-PARTY-NOTICES.txt with the licence texts);
#   3. the CycloneDX SBOM of what is inside: dist/claimcoder.cdx.json.
#
#   bash packaging/build_bundle.sh
#
# Environment: PYTHON (the interpreter that makes the venv; python3), CLAIMCODER_BUNDLE_VENV
# (.venv-bundle). packaging/ci_bundle.sh runs this and then tests the bundle.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

BASE_PY=${PYTHON:-python3}
VENV=${CLAIMCODER_BUNDLE_VENV:-$ROOT/.venv-bundle}
case "$(uname -s)" in
    Linux) OS=linux; VBIN="$VENV/bin" ;;
    Darwin) OS=macos; VBIN="$VENV/bin" ;;
    *) OS=windows; VBIN="$VENV/Scripts" ;;
esac
LOCK="packaging/requirements/bundle-$OS.txt"
DIST="$ROOT/dist/claimcoder"
SBOM="$ROOT/dist/claimcoder.cdx.json"
LOG=$(mktemp "${TMPDIR:-/tmp}/claimcoder-build.XXXXXX")
trap 'rm -f "$LOG" "$LOG.cdx.json"' EXIT

step() { printf '\n== bundle: %s\n' "$*"; }
fail() { printf 'bundle FAILED: %s\n' "$*" >&2; exit 1; }

step "fresh build environment from $LOCK"
rm -rf "$VENV"
"$BASE_PY" -m venv "$VENV"
"$VBIN/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$LOCK" \
    || fail "pip could not install $LOCK"
"$VBIN/python" -m pip check || fail "the locked build environment is inconsistent"

VERSION=$("$VBIN/python" -c 'import sys; sys.path.insert(0, "packaging"); import bundle_config; print(bundle_config.version())')
step "PyInstaller build of claimcoder $VERSION"
start=$(date +%s)
rm -rf "$DIST" "$ROOT/dist/claimcoder.app" "$SBOM"  # a failed build must not leave an old bundle behind
status=0
"$VBIN/python" -m PyInstaller --noconfirm --log-level WARN packaging/claimcoder.spec > "$LOG" 2>&1 || status=$?
# Known, harmless warnings: X libraries taken from the host, drivers we do not ship.
grep -v -e "Library not found: could not resolve" -e "Hidden import \"pysqlite2\"" \
        -e "Hidden import \"MySQLdb\"" -e "Library user32 required via ctypes" "$LOG" || true
(( status == 0 )) || fail "PyInstaller exited $status"
echo "built in $(( $(date +%s) - start )) s"

step "SBOM (CycloneDX) of the bundle's components"
"$VBIN/python" -m cyclonedx_py environment --pyproject pyproject.toml --mc-type application \
    --output-reproducible --output-format JSON --output-file "$LOG.cdx.json" "$VBIN/python" \
    || fail "cyclonedx-py could not describe $VENV"
"$VBIN/python" packaging/sbom.py "$LOG.cdx.json" "packaging/requirements/runtime-$OS.txt" "$SBOM" \
    || fail "could not write the SBOM"
