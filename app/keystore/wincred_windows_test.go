package keystore

import "testing"

// needKeyring does nothing on Windows: the OS keyring is the Credential
// Manager, which every user session has (Wine's included).
func needKeyring(t *testing.T) { t.Helper() }
