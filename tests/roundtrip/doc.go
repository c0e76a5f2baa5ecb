// Package roundtrip holds only the cross-server acceptance test: messages
// go out through a real Postfix (submission with STARTTLS and AUTH through
// Dovecot SASL) with smtpclient, are delivered into real Dovecot's
// Maildirs, and come back through Dovecot's POP3 with pop3client.
package roundtrip
