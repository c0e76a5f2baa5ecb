# SecureMail — the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/securemail
FUZZTIME ?= 60s

.PHONY: run test build deps lint fuzz fuzz-short bench clean package windows

# Opens the window (the first run starts the wizard and the bundled offline
# TESTA network). SECUREMAIL_PROFILE=DIR picks another profile.
run: deps build
	./$(BIN)

build:
	$(GO) build -o $(BIN) .

deps:
	@bash scripts/install-deps.sh

# Every test, against the real peers (started by the tests themselves),
# then a short run of every fuzz target on its seed corpus and beyond.
test: deps
	@bash scripts/test.sh

# The Windows tests alone: the packages' unit tests and the CLI end to end,
# cross-compiled and run under Wine (also part of `make test`).
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
# `fyne package` from fyne.io/tools v1.7.4, with FyneApp.toml's metadata.
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
# (fyne package bumps Build in FyneApp.toml; the file is put back so a package
# build never leaves the checkout changed.)
package: deps
	@mkdir -p bin && cp FyneApp.toml bin/.FyneApp.toml.orig
	$(GO) run $(FYNE_TOOL) package --os linux --release --icon assets/Icon.png; rc=$$?; \
	  mv -f bin/.FyneApp.toml.orig FyneApp.toml; exit $$rc
	@mv -f SecureMail.tar.xz bin/ && echo "package: bin/SecureMail.tar.xz"

# The Windows build, cross-compiled with Debian's mingw-w64 (installed here
# when missing). Slow the first time (~5 min); not part of `make test`.
windows:
	@dpkg-query -W -f='$${Status}' gcc-mingw-w64-x86-64 2>/dev/null | grep -q 'install ok installed' || \
	  { s=""; [ "$$(id -u)" = 0 ] || s=sudo; $$s apt-get update -qq; \
	    DEBIAN_FRONTEND=noninteractive $$s apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64; }
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc $(GO) build -o bin/securemail.exe .
	@ls -l bin/securemail.exe

clean:
	rm -rf bin
