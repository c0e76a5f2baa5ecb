//go:build tools

// Package deps pins the modules that several packages are about to use, so
// that go.mod does not change under developers working in parallel.
package deps

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/emersion/go-message"
	_ "github.com/emersion/go-sasl"
	_ "github.com/emersion/go-smtp"
	_ "github.com/zalando/go-keyring"
	_ "golang.org/x/crypto/cryptobyte"
	_ "modernc.org/sqlite"
	_ "software.sslmate.com/src/go-pkcs12"
)
