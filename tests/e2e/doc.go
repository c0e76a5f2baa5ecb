// Package e2e holds SecureMail's end-to-end tests: two testers on the
// bundled TESTA network, driven through the command line exactly as a user
// (or the GUI) would, with their secrets in the real OS keyring.
package e2e
