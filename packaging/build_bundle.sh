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
trap 'rm -f "$LOG" "$LOG.cdx.json" "$LOG.tools.txt" "$LOG.lock.txt"' EXIT

step() { printf '\n== bundle: %s\n' "$*"; }
fail() { printf 'bundle FAILED: %s\n' "$*" >&2; exit 1; }

step "fresh build environment from $LOCK"
rm -rf "$VENV"
"$BASE_PY" -m venv "$VENV"
PIP=("$VBIN/python" -m pip install -q --disable-pip-version-check --require-hashes)
SOURCE_BUILD=()
if [[ $OS == linux ]]; then
    # numpy from its locked sdist without BLAS/LAPACK (no OpenBLAS and libgfortran in the bundle:
    # bundle_config.NUMPY_CONFIG_SETTINGS says why). Its build tools come from the same lock,
    # first, and the build uses them in place (--no-build-isolation), so every byte is hashed.
    # Everything else stays a wheel (--only-binary), built with nothing of ours.
    "$VBIN/python" -c 'import sysconfig, os, sys; h = os.path.join(sysconfig.get_paths()["include"], "Python.h"); sys.exit(0 if os.path.exists(h) else f"no {h}: install the Python headers (python3-dev)")' \
        || fail "numpy cannot be built without the Python headers"
    { command -v cc && command -v c++; } >/dev/null || fail "numpy's build needs a C and a C++ compiler (gcc, g++)"
    "$VBIN/python" packaging/bundle_config.py --numpy-build-tools "$LOCK" > "$LOG.tools.txt"
    "${PIP[@]}" --no-deps -r "$LOG.tools.txt" || fail "pip could not install numpy's build tools from $LOCK"
    # The lock itself, with numpy's meson options on its entry (where pip reads them).
    "$VBIN/python" packaging/bundle_config.py --with-numpy-config-settings "$LOCK" > "$LOG.lock.txt"
    # --no-cache-dir: pip would keep the numpy it built in its wheel cache, outside the repository,
    # and the next build would install that instead of compiling the sdist with today's options.
    SOURCE_BUILD=(--only-binary :all: --no-binary numpy --no-build-isolation --no-cache-dir)
fi
start=$(date +%s)
# The venv's bin first on PATH: meson-python runs the locked ninja and meson from there.
PATH="$VBIN:$PATH" "${PIP[@]}" "${SOURCE_BUILD[@]}" -r "$( [[ $OS == linux ]] && echo "$LOG.lock.txt" || echo "$LOCK")" \
    || fail "pip could not install $LOCK"
echo "installed $LOCK in $(( $(date +%s) - start )) s${SOURCE_BUILD[*]:+ (numpy built from its sdist)}"
"$VBIN/python" -m pip check || fail "the locked build environment is inconsistent"
if [[ $OS == linux ]]; then
    "$VBIN/python" - <<'EOF' || fail "numpy in $VENV is not the BLAS-free build"
from pathlib import Path
import numpy
deps = numpy.show_config(mode="dicts")["Build Dependencies"]
assert deps["blas"]["name"] == deps["lapack"]["name"] == "none", deps
libs = Path(numpy.__file__).parent.parent / "numpy.libs"
assert not libs.exists(), f"{libs} exists: a wheel's OpenBLAS"
print(f"numpy {numpy.__version__}: built without BLAS and LAPACK")
EOF
fi

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
