# SecureMail — the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/securemail
FUZZTIME ?= 60s

.PHONY: run test build deps lint fuzz fuzz-short bench clean

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

lint:
	@bash scripts/lint.sh

fuzz:
	@bash scripts/fuzz.sh $(FUZZTIME)

fuzz-short:
	@bash scripts/fuzz.sh 5s

bench: deps build
	@bash scripts/bench.sh

clean:
	rm -rf bin
