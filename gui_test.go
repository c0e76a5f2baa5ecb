//go:build !nogui

package main

import (
	"bytes"
	"testing"
)

func TestNoDisplayIsOneSentence(t *testing.T) {
	none := func(string) string { return "" }
	if err := checkDisplay("linux", none); err == nil || !bytes.Contains([]byte(err.Error()), []byte("no screen")) {
		t.Fatalf("linux without DISPLAY: %v", err)
	}
	if err := checkDisplay("linux", func(k string) string {
		if k == "WAYLAND_DISPLAY" {
			return "wayland-0"
		}
		return ""
	}); err != nil {
		t.Fatalf("with WAYLAND_DISPLAY: %v", err)
	}
	if err := checkDisplay("windows", none); err != nil {
		t.Fatalf("windows: %v", err)
	}
}
