// Package packaging holds the tests of SecureMail's packages: the Windows
// program and its installer (scripts/windows.sh, packaging/windows), the
// Debian package and the .desktop file (scripts/deb.sh, packaging/linux).
// `make test` runs the quick checks; `make windows-package-test` (build tag
// windowstest) builds the Windows artefacts, inspects them and takes
// SecureMail.exe through its first-run wizard under Wine on Xvfb.
package packaging
