#!/usr/bin/env bash
# Builds the Windows program and its installers, cross-compiled here:
#   OUT/SecureMail.exe                     the window (GUI subsystem, icon, version resource,
#                                          securemail.exe.manifest), by `fyne package --os windows`
#   OUT/securemail-cli.exe                 the command line (console subsystem, cmd/securemail-cli)
# Both carry the version resource of packaging/windows/winres.json (company,
# product, copyright...) with FyneApp.toml's Version.Build, put in by go-winres.
#   OUT/SecureMail-<version>-x64.msi       per-user installer (msitools' wixl, packaging/windows)
#   OUT/SecureMail-<version>-windows-x64.zip  the portable program: both .exe files
# Usage: scripts/windows.sh [OUT]   (OUT defaults to bin)
# Code signing, when an authority has a code-signing certificate: set SIGN_CERT (PEM or
# DER certificate chain) and SIGN_KEY (its private key; SIGN_PASS its password if any,
# SIGN_TIMESTAMP a timestamp server URL if any) and both .exe files and the .msi are
# signed with osslsigncode. Without them nothing is signed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bin}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
build=$(sed -n 's/^Build *= *\([0-9]*\).*/\1/p' FyneApp.toml)

need=()
for p in gcc-mingw-w64-x86-64 wixl icoutils zip jq; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
[ -n "${SIGN_CERT:-}" ] && ! command -v osslsigncode >/dev/null && need+=(osslsigncode)
if ((${#need[@]})); then
  s=""; [ "$(id -u)" = 0 ] || s=sudo
  echo "windows: installing ${need[*]}"
  $s apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $s apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# Fyne's packaging tool, built for this machine (no CC), then run with mingw's.
tool=${FYNE_TOOL:-fyne.io/tools/cmd/fyne@v1.7.4}
fyne="bin/tools/${tool##*@}/fyne"
if [ ! -x "$fyne" ]; then
  env -u CC -u CGO_ENABLED -u GOOS -u GOARCH GOBIN="$PWD/${fyne%/fyne}" go install "$tool"
fi
# (fyne package bumps Build in FyneApp.toml; put the file back so a build
# never leaves the checkout changed.)
cp FyneApp.toml "$out/.FyneApp.toml.orig"
rc=0
CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
  "$fyne" package --os windows --release --icon assets/Icon.png || rc=$?
mv -f "$out/.FyneApp.toml.orig" FyneApp.toml
[ $rc = 0 ] || exit $rc
mv -f SecureMail.exe "$out/SecureMail.exe"

CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -ldflags "-s -w" \
  -o "$out/securemail-cli.exe" ./cmd/securemail-cli

# The version resource (fyne package writes no CompanyName): go-winres replaces
# it in both programs, keeping SecureMail.exe's icon and manifest.
winres_tool=github.com/tc-hib/go-winres@v0.3.3
winres="bin/tools/${winres_tool##*@}/go-winres"
if [ ! -x "$winres" ]; then
  env -u CC -u CGO_ENABLED -u GOOS -u GOARCH GOBIN="$PWD/${winres%/go-winres}" go install "$winres_tool"
fi
vinfo() { # EXE FileDescription InternalName
  local json="$out/.winres-$3.json"
  jq --arg d "$2" --arg i "$3" --arg f "$(basename "$1")" \
    '.RT_VERSION["#1"]["0409"].info["0409"] |= (.FileDescription=$d | .InternalName=$i | .OriginalFilename=$f)' \
    packaging/windows/winres.json >"$json"
  "$winres" patch --in "$json" --no-backup --file-version "$version.$build" --product-version "$version.$build" "$1"
  rm -f "$json"
}
vinfo "$out/SecureMail.exe" "SecureMail" "SecureMail"
vinfo "$out/securemail-cli.exe" "SecureMail command line" "securemail-cli"

sign() {
  [ -n "${SIGN_CERT:-}" ] && [ -n "${SIGN_KEY:-}" ] || return 0
  local args=(sign -certs "$SIGN_CERT" -key "$SIGN_KEY" -n SecureMail -i https://github.com/tachonet/securemail -h sha256)
  [ -n "${SIGN_PASS:-}" ] && args+=(-pass "$SIGN_PASS")
  [ -n "${SIGN_TIMESTAMP:-}" ] && args+=(-ts "$SIGN_TIMESTAMP")
  osslsigncode "${args[@]}" -in "$1" -out "$1.signed" >/dev/null
  mv -f "$1.signed" "$1"
  echo "windows: signed $(basename "$1")"
}
sign "$out/SecureMail.exe"
sign "$out/securemail-cli.exe"

# The icon Add/Remove Programs shows, from the program itself.
wrestool -x --type=14 -o "$out/SecureMail.ico" "$out/SecureMail.exe"
msi="$out/SecureMail-$version-x64.msi"
wxs="$PWD/packaging/windows/SecureMail.wxs"
(cd "$out" && wixl -a x64 -D Version="$version" -D SourceDir=. -o "$msi" "$wxs") # Source paths: relative only
rm -f "$out/SecureMail.ico"
sign "$msi"

zipfile="$out/SecureMail-$version-windows-x64.zip"
rm -f "$zipfile"
(cd "$out" && zip -q -X "$zipfile" SecureMail.exe securemail-cli.exe)
ls -l "$out/SecureMail.exe" "$out/securemail-cli.exe" "$msi" "$zipfile"
