#!/usr/bin/env bash
# Builds bin/securemail_<version>_amd64.deb with dpkg-deb: the programs in
# /usr/bin (securemail, the window and every command; securemail-cli, the
# same commands without the window's libraries), the .desktop file (mailto:
# handler) and the icon, the copyright file and the changelog. `lintian
# bin/securemail_*.deb` reports no error (tests/packaging's TestDeb checks that).
#   scripts/deb.sh [OUT [BINARY [CLI]]]   write to OUT (default bin); package BINARY
#   (and CLI as securemail-cli) instead of building them
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
arch=$(dpkg --print-architecture)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/512x512/apps" "$root/usr/share/icons/hicolor/scalable/apps" \
  "$root/usr/share/doc/securemail"
out=${1:-bin}
if [ $# -ge 2 ]; then
  install -m 0755 "$2" "$root/usr/bin/securemail"
else
  go build -ldflags "-s -w" -o "$root/usr/bin/securemail" .
fi
if [ $# -ge 3 ]; then
  install -m 0755 "$3" "$root/usr/bin/securemail-cli"
else
  go build -ldflags "-s -w" -o "$root/usr/bin/securemail-cli" ./cmd/securemail-cli
fi
install -m 0644 packaging/linux/eu.tachonet.securemail.desktop "$root/usr/share/applications/"
install -m 0644 assets/Icon.png "$root/usr/share/icons/hicolor/512x512/apps/eu.tachonet.securemail.png"
install -m 0644 assets/Icon.svg "$root/usr/share/icons/hicolor/scalable/apps/eu.tachonet.securemail.svg"
install -m 0644 packaging/linux/copyright "$root/usr/share/doc/securemail/copyright"
gzip -9n <packaging/linux/changelog >"$root/usr/share/doc/securemail/changelog.gz"
chmod 0644 "$root/usr/share/doc/securemail/changelog.gz"
# The libraries the window links against (Fyne: OpenGL and X11 through GLFW).
depends=$(cd "$root" && mkdir -p debian && printf 'Source: securemail\n\nPackage: securemail\nArchitecture: any\n' >debian/control &&
  dpkg-shlibdeps -O usr/bin/securemail 2>/dev/null | sed -n 's/^shlibs:Depends=//p'; rm -rf debian)
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: securemail
Version: $version
Architecture: $arch
Maintainer: SecureMail developers <dev@securemail.invalid>
Installed-Size: $size
Depends: ${depends:-libc6, libgl1, libx11-6}
Recommends: gnome-keyring
Section: mail
Priority: optional
Homepage: https://github.com/tachonet/securemail
Description: S/MIME mail client for the TESTA network
 SecureMail sends and receives S/MIME signed and encrypted mail over the
 private TESTA network (POP3 in, SMTP out) for the TACHOnet card issuing and
 enforcement authorities. It sets up an account from the three files a tester
 receives, exchanges Digital IDs ("secure link"), shows a clear verdict for
 every signature, and bundles an offline test network. The same program is
 scriptable from the command line.
CONTROL
(cd "$root" && find usr -type f -printf '%P\n' | sort | sed 's|^|usr/|' | xargs md5sum >DEBIAN/md5sums)
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -type d -exec chmod 0755 {} +
mkdir -p "$out"
deb="$out/securemail_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "deb: $deb ($(du -h "$deb" | cut -f1))"
