#!/usr/bin/env bash
# Installs the Debian packages and Go tools SecureMail builds and tests with.
# Idempotent: installs only what is missing, so a second run is quick.
set -euo pipefail

packages=(
  # real peers the tests start themselves
  dovecot-core dovecot-pop3d postfix gnome-keyring libsecret-tools dbus dbus-x11
  openssl gpgsm gnupg fetchmail python3 time
  # the real window and its screenshots
  xvfb xdotool x11-utils imagemagick
  # Fyne's cgo headers
  libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev pkg-config
  gcc make
  # the Windows tests: Wine runs the cross-built programs, mingw-w64 builds their stub DLL
  wine wine64 gcc-mingw-w64-x86-64
  # the packages and their checks (tests/packaging): .deb, .desktop, the Windows MSI
  dpkg-dev lintian desktop-file-utils wixl msitools icoutils zip osslsigncode jq
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  # Postfix asks questions during install; answer them up front.
  echo "postfix postfix/main_mailer_type select Local only" | $sudo debconf-set-selections
  echo "postfix postfix/mailname string localhost" | $sudo debconf-set-selections
  # Do not let apt start Dovecot or Postfix as system daemons: the tests start their own.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
  fi
  # The lists lock is not covered by DPkg::Lock::Timeout: retry the update.
  for i in 1 2 3 4 5; do
    $sudo apt-get update -qq && break
    echo "install-deps: apt-get update failed (try $i), retrying" >&2
    sleep 5
  done
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=120 \
    --no-install-recommends "${missing[@]}"
fi

# Go tools used by `make lint` and the benchmarks.
gobin="$(go env GOPATH)/bin"
if [ ! -x "$gobin/staticcheck" ]; then
  echo "install-deps: installing staticcheck"
  go install honnef.co/go/tools/cmd/staticcheck@latest
fi
