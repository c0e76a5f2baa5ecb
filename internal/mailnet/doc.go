// Package mailnet holds the connection plumbing that the POP3 and SMTP
// clients share: a TCP connection whose reads and writes are bounded by an
// idle timeout and by the context of the call in progress, the TLS
// configuration both build for their handshakes, and the wording of the
// TLS failures that read the same whatever the protocol.
//
// Each protocol package keeps its own errors, sentences and protocol
// details; the sentences returned here carry no package prefix, so the
// caller adds its own.
package mailnet
