package mailstore_test

import (
	"bytes"
	"context"
	"testing"

	"securemail/mailstore"
)

// noSyncFS skips fsync: for fuzzing and for building benchmark corpora, where durability is not the point.
type noSyncFS struct{ mailstore.OSFS }

type noSyncFile struct{ mailstore.File }

func (noSyncFile) Sync() error { return nil }

func (f noSyncFS) CreateTemp(dir, pattern string) (mailstore.File, error) {
	file, err := f.OSFS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return noSyncFile{file}, nil
}

func (noSyncFS) SyncDir(string) error { return nil }

// FuzzAdd: any bytes are parsed without panicking, stored, listed and given back exactly.
func FuzzAdd(f *testing.F) {
	f.Add(mail(marie, alain, "=?utf-8?q?caf=C3=A9?=", "Mon, 2 Jun 2025 10:00:00 +0200", "hello"))
	f.Add([]byte("From: <<<\r\nTo: ,,,\"\r\nSubject: =?x-unknown?b?AAAA?=\r\nDate: yesterday\r\n\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n\xf0\xd2\r\n--b"))
	f.Add([]byte("Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: <a@b>\n--b--"))
	f.Add([]byte(" continuation first\r\nno colon here\r\n\r\n"))
	f.Add([]byte{})
	s, _ := open(f, f.TempDir(), &mailstore.Options{FS: noSyncFS{}})
	f.Fuzz(func(t *testing.T, raw []byte) {
		mailstore.Analyze(raw)
		m := addAndGet(t, s, raw)
		if !bytes.Equal(m.Raw, raw) {
			t.Fatal("the stored bytes differ")
		}
	})
}

// addAndGet stores raw in the Inbox, as every input must be, and reads it back.
func addAndGet(t *testing.T, s *mailstore.Store, raw []byte) *mailstore.Message {
	t.Helper()
	ctx := context.Background()
	id, err := s.Add(ctx, mailstore.Inbox, raw, mailstore.AddOptions{})
	if err != nil {
		t.Fatalf("every input must be stored: %v", err)
	}
	m, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
