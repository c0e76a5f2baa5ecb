// Package pop3bench times fetching a Dovecot mailbox over STLS with
// SecureMail's pop3client, fetchmail and Python's poplib in the same run.
// It runs only when asked: bench/pop3.sh calls
//
//	go test ./bench/pop3 -run TestPOP3Fetch -pop3bench -v
package pop3bench
