#!/usr/bin/env bash
# Install HabitDesk on Linux: the app, the `habitdesk` command, the menu entry and the icons.
#
#   ./install-desktop-entry.sh              for the current user, under ~/.local
#   sudo ./install-desktop-entry.sh --system  for everyone, under /usr/local
#   ./install-desktop-entry.sh --uninstall [--system]
#
# Options:
#   --system        install under /usr/local instead of ~/.local (needs root)
#   --prefix DIR    install under DIR instead (DIR/lib, DIR/bin, DIR/share)
#   --bundle DIR    the app folder to install (the one holding `habitdesk` and `_internal/`);
#                   default: this script's own folder when it came in the release archive,
#                   else dist/habitdesk of the checkout it lives in (packaging/..)
#   --uninstall     remove what an install put there
#
# What goes where (PREFIX = ~/.local, or /usr/local with --system):
#   PREFIX/lib/habitdesk/                      a copy of the app folder
#   PREFIX/bin/habitdesk                       symbolic link to PREFIX/lib/habitdesk/habitdesk
#   DATA/applications/habitdesk.desktop        the menu entry (Exec = the absolute path above)
#   DATA/icons/hicolor/NxN/apps/habitdesk.png  16 ... 256 px, and scalable/apps/habitdesk.svg
# where DATA is PREFIX/share ($XDG_DATA_HOME, when set, for a user install).
# The user's own data (~/.local/share/HabitDesk) is never touched, not even by --uninstall.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
APP=habitdesk
ICON_SIZES=(16 32 48 64 128 256)

die() { printf 'install-desktop-entry: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

system=0
uninstall=0
prefix=""
bundle=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --system) system=1 ;;
    --uninstall) uninstall=1 ;;
    --prefix) [[ $# -ge 2 ]] || die "--prefix needs a folder"; prefix="$2"; shift ;;
    --bundle) [[ $# -ge 2 ]] || die "--bundle needs a folder"; bundle="$2"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

if [[ -z "$prefix" ]]; then
  if [[ "$system" == 1 ]]; then
    [[ "$(id -u)" == 0 ]] || die "--system installs under /usr/local: run it with sudo"
    prefix=/usr/local
  else
    [[ -n "${HOME:-}" ]] || die "HOME is not set"
    prefix="$HOME/.local"
  fi
fi
if [[ "$system" == 0 && -n "${XDG_DATA_HOME:-}" && "$prefix" == "${HOME:-}/.local" ]]; then
  datadir="$XDG_DATA_HOME"
else
  datadir="$prefix/share"
fi
libdir="$prefix/lib/$APP"
bindir="$prefix/bin"
appsdir="$datadir/applications"
icondir="$datadir/icons/hicolor"

refresh_caches() {
  # Menus and icon themes notice new files by themselves on most desktops; these make it
  # immediate where the tools exist (desktop-file-utils, gtk-update-icon-cache).
  touch "$icondir" 2>/dev/null || true
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$appsdir" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [[ -f "$icondir/index.theme" ]]; then
    gtk-update-icon-cache -q -t "$icondir" 2>/dev/null || true
  fi
}

if [[ "$uninstall" == 1 ]]; then
  if [[ -L "$bindir/$APP" && "$(readlink "$bindir/$APP")" == "$libdir/$APP" ]]; then
    rm -f "$bindir/$APP"
  fi
  rm -f "$appsdir/$APP.desktop"
  for size in "${ICON_SIZES[@]}"; do
    rm -f "$icondir/${size}x${size}/apps/$APP.png"
  done
  rm -f "$icondir/scalable/apps/$APP.svg"
  if [[ -x "$libdir/$APP" && -d "$libdir/_internal" ]]; then  # only ever delete an app folder
    rm -rf "$libdir"
  fi
  refresh_caches
  echo "HabitDesk removed from $prefix (your HabitDesk data was left in place)."
  exit 0
fi

# --- find the app folder -------------------------------------------------------------------
if [[ -z "$bundle" ]]; then
  if [[ -x "$HERE/$APP" && -d "$HERE/_internal" ]]; then
    bundle="$HERE"  # unpacked release archive: the script sits next to the app
  else
    bundle="$HERE/../dist/$APP"  # checkout: packaging/ next to dist/
  fi
fi
[[ -d "$bundle" ]] || die "no app folder at $bundle: build it first (./dev bundle) or pass --bundle DIR"
bundle="$(cd "$bundle" && pwd -P)"
[[ -x "$bundle/$APP" && -d "$bundle/_internal" ]] \
  || die "$bundle is not a HabitDesk app folder (no '$APP' executable and '_internal/' in it)"
resources="$bundle/_internal/resources"
desktop_template="$HERE/$APP.desktop"
[[ -f "$desktop_template" ]] || die "$desktop_template is missing"
for size in "${ICON_SIZES[@]}"; do
  [[ -f "$resources/icons/$APP-$size.png" ]] || die "icon $resources/icons/$APP-$size.png is missing"
done

# --- the app and the command -----------------------------------------------------------------
mkdir -p "$prefix/lib" "$bindir" "$appsdir"
if [[ "$bundle" != "$libdir" ]]; then
  # Copy next to the old version, then swap: an upgrade never leaves half an app behind.
  rm -rf "$libdir.new"
  cp -a "$bundle" "$libdir.new"
  rm -rf "$libdir"
  mv "$libdir.new" "$libdir"
fi
ln -sfn "$libdir/$APP" "$bindir/$APP"

# --- the menu entry ---------------------------------------------------------------------------
# Exec is the absolute path: graphical sessions often do not have ~/.local/bin on PATH.
exec_path="$libdir/$APP"
if [[ "$exec_path" =~ [^A-Za-z0-9/._+-] ]]; then
  # Desktop Entry Specification: quote the path; inside quotes escape " ` $ \ with a backslash,
  # and every backslash once more because the value is a string.
  escaped="$(printf '%s' "$exec_path" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g')"
  exec_value="\"$escaped\""
else
  exec_value="$exec_path"
fi
tmp_desktop="$(mktemp "$appsdir/.$APP.desktop.XXXXXX")"
awk -v exec_value="$exec_value" -v try_exec="$exec_path" '
  /^Exec=/ { print "Exec=" exec_value; next }
  /^TryExec=/ { print "TryExec=" try_exec; next }
  { print }
' "$desktop_template" >"$tmp_desktop"
chmod 644 "$tmp_desktop"
mv "$tmp_desktop" "$appsdir/$APP.desktop"

# --- the icons --------------------------------------------------------------------------------
for size in "${ICON_SIZES[@]}"; do
  install -D -m 644 "$resources/icons/$APP-$size.png" "$icondir/${size}x${size}/apps/$APP.png"
done
if [[ -f "$resources/$APP.svg" ]]; then
  install -D -m 644 "$resources/$APP.svg" "$icondir/scalable/apps/$APP.svg"
fi
refresh_caches

version="$("$libdir/$APP" --version 2>/dev/null || echo "HabitDesk")"
echo "$version installed:"
echo "  app:        $libdir"
echo "  command:    $bindir/$APP"
echo "  menu entry: $appsdir/$APP.desktop"
echo "  icons:      $icondir/{16x16,...,256x256,scalable}/apps/"
case ":${PATH:-}:" in
  *":$bindir:"*) ;;
  *) echo "Note: $bindir is not on your PATH; add it to run 'habitdesk' from a terminal." ;;
esac
