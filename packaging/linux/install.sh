#!/bin/sh
# Install the claimcoder bundle for the current user (no root needed), or system-wide with
# --system (run as root). Run it from the unpacked claimcoder/ folder:
#
#     ./install.sh              # ~/.local/opt/claimcoder, ~/.local/bin/claimcoder, menu entry
#     sudo ./install.sh --system  # /opt/claimcoder, /usr/local/bin/claimcoder
#     ./install.sh --uninstall    # (with --system to remove the system-wide install)
#
# It copies the folder, links the command, installs the menu entry, the icon and the .ccdb file
# type, and refreshes the desktop's caches when the tools for that are present.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
MODE=user
ACTION=install
for arg in "$@"; do
    case "$arg" in
        --system) MODE=system ;;
        --uninstall) ACTION=uninstall ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done
if [ "$MODE" = system ]; then
    PREFIX=/opt/claimcoder; BIN=/usr/local/bin; SHARE=/usr/share
else
    PREFIX="$HOME/.local/opt/claimcoder"; BIN="$HOME/.local/bin"; SHARE="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
DESKTOP=org.claimcoder.claimcoder.desktop

# shellcheck disable=SC2015  # each refresh is optional; a missing tool is not an error
refresh() {
    command -v update-mime-database >/dev/null && update-mime-database "$SHARE/mime" >/dev/null 2>&1 || true
    command -v update-desktop-database >/dev/null && update-desktop-database "$SHARE/applications" >/dev/null 2>&1 || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" >/dev/null 2>&1 || true
}

if [ "$ACTION" = uninstall ]; then
    rm -rf "$PREFIX"
    rm -f "$BIN/claimcoder" "$SHARE/applications/$DESKTOP" "$SHARE/mime/packages/claimcoder-mime.xml"
    for size in 16 24 32 48 64 128 256 512; do
        rm -f "$SHARE/icons/hicolor/${size}x${size}/apps/claimcoder.png" \
              "$SHARE/icons/hicolor/${size}x${size}/mimetypes/application-x-claimcoder-project.png"
    done
    refresh
    echo "claimcoder removed from $PREFIX"
    exit 0
fi

[ -x "$HERE/claimcoder" ] || { echo "install.sh: run me from the unpacked claimcoder folder" >&2; exit 1; }
mkdir -p "$PREFIX" "$BIN" "$SHARE/applications" "$SHARE/mime/packages"
if [ "$HERE" != "$PREFIX" ]; then
    rm -rf "$PREFIX"
    cp -a "$HERE" "$PREFIX"
fi
ln -sf "$PREFIX/claimcoder" "$BIN/claimcoder"
# The menu entry runs the installed copy by its full path: ~/.local/bin is not always on PATH
# for the desktop session.
sed -e "s|^Exec=claimcoder|Exec=\"$PREFIX/claimcoder\"|" -e "s|^TryExec=claimcoder|TryExec=$PREFIX/claimcoder|" \
    "$HERE/$DESKTOP" > "$SHARE/applications/$DESKTOP"
cp "$HERE/claimcoder-mime.xml" "$SHARE/mime/packages/claimcoder-mime.xml"
ICONS="$PREFIX/_internal/app/resources/icons"
for size in 16 24 32 48 64 128 256 512; do
    if [ -f "$ICONS/claimcoder-$size.png" ]; then
        mkdir -p "$SHARE/icons/hicolor/${size}x${size}/apps" "$SHARE/icons/hicolor/${size}x${size}/mimetypes"
        cp "$ICONS/claimcoder-$size.png" "$SHARE/icons/hicolor/${size}x${size}/apps/claimcoder.png"
        cp "$ICONS/claimcoder-$size.png" "$SHARE/icons/hicolor/${size}x${size}/mimetypes/application-x-claimcoder-project.png"
    fi
done
refresh
echo "claimcoder installed in $PREFIX; run 'claimcoder' (in $BIN) or find it in the applications menu"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "note: $BIN is not on your PATH" ;; esac
