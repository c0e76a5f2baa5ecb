# SecureMail — the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/securemail
CLI_BIN  := bin/securemail-cli
FUZZTIME ?= 60s

.PHONY: run test build deps lint fuzz fuzz-short bench clean package windows windows-package-test deb

# Opens the window (the first run starts the wizard and the bundled offline
# TESTA network). SECUREMAIL_PROFILE=DIR picks another profile.
run: deps build
	./$(BIN)

# bin/securemail (the window, and every command) and bin/securemail-cli (the
# same commands without Fyne's libraries: less memory and a faster start for
# scripts and servers; docs/BENCHMARKS.md, "Command line without the window").
# -v names each package as it is compiled: the first build's cgo step (Fyne's
# C parts) is long, and a silent terminal looks stuck.
build:
	@test -x $(BIN) || echo "Building SecureMail. The first build compiles the window's C parts (OpenGL, GLFW): about 15 minutes on a slow machine; each package is named as it is compiled."
	$(GO) build -v -o $(BIN) .
	$(GO) build -o $(CLI_BIN) ./cmd/securemail-cli

deps:
	@bash scripts/install-deps.sh

# Every test, against the real peers (started by the tests themselves),
# then a short run of every fuzz target on its seed corpus and beyond.
test: deps
	@bash scripts/test.sh

# The Windows tests alone, in full: every package's unit tests and the CLI
# end to end, cross-compiled and run under Wine (`make test` runs a shorter
# form: the packages where Windows differs, and the CLI end to end).
.PHONY: windows-test
windows-test: deps
	@bash scripts/windows-test.sh

lint:
	@bash scripts/lint.sh

fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

fuzz-short:
	@bash scripts/fuzz.sh 5s

bench: deps build
	@bash scripts/bench.sh

# The Linux package (SecureMail.tar.xz: binary, icon, .desktop file) made by
# `fyne package` from fyne.io/tools v1.7.4, with FyneApp.toml's metadata; its
# .desktop file is replaced by packaging/linux's (mailto: handler, keywords),
# and securemail-cli goes beside the binary (its Makefile installs both).
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
# (fyne package bumps Build in FyneApp.toml; the file is put back so a package
# build never leaves the checkout changed.)
package: deps
	@mkdir -p bin && cp FyneApp.toml bin/.FyneApp.toml.orig
	$(GO) run $(FYNE_TOOL) package --os linux --release --icon assets/Icon.png; rc=$$?; \
	  mv -f bin/.FyneApp.toml.orig FyneApp.toml; exit $$rc
	@d=$$(mktemp -d) && tar -xJf SecureMail.tar.xz -C $$d && rm -f SecureMail.tar.xz && \
	  find $$d -name '*.desktop' -exec cp packaging/linux/eu.tachonet.securemail.desktop {} \; && \
	  $(GO) build -ldflags "-s -w" -o "$$(find $$d -type d -name bin | head -1)/securemail-cli" ./cmd/securemail-cli && \
	  sed -i '/^\t\(install -Dm00755\|-rm\) .*bin\/$$(Exec)$$/{p;s/$$(Exec)/securemail-cli/g}' $$d/Makefile && \
	  tar -cJf bin/SecureMail.tar.xz -C $$d . && rm -rf $$d && echo "package: bin/SecureMail.tar.xz"

# The Windows program and installers in bin/ (scripts/windows.sh): SecureMail.exe
# (window), securemail-cli.exe (command line), the per-user .msi and a portable
# .zip, cross-compiled with Debian's mingw-w64 and msitools' wixl (installed here
# when missing). Slow the first time (the cgo build of Fyne: 5 min or more).
# `make windows SIGN_CERT=cert.pem SIGN_KEY=key.pem` also signs them (osslsigncode).
windows:
	@FYNE_TOOL="$(FYNE_TOOL)" SIGN_CERT="$(SIGN_CERT)" SIGN_KEY="$(SIGN_KEY)" SIGN_PASS="$(SIGN_PASS)" SIGN_TIMESTAMP="$(SIGN_TIMESTAMP)" \
	  bash scripts/windows.sh bin

# Builds the Windows artefacts in a temporary folder and checks them (subsystem,
# icon, version resource, manifest, stripped; the MSI's tables), then runs
# SecureMail.exe's first-run wizard to the end under Wine on Xvfb. Too slow for
# `make test` on a cold cache; `make test` checks the manifest and the MSI's
# authoring only.
windows-package-test: deps
	$(GO) test -tags windowstest -timeout 60m -run 'Windows' -v ./tests/packaging/

# The Debian package bin/securemail_<version>_<arch>.deb (scripts/deb.sh).
deb:
	@bash scripts/deb.sh

clean:
	rm -rf bin
