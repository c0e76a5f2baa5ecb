package profile

import (
	"os"
	"testing"
)

func TestLayoutIsPerProfile(t *testing.T) {
	a, _ := Open(t.TempDir())
	b, _ := Open(t.TempDir())
	if l := a.LoadLayout(); l != (Layout{}) {
		t.Fatalf("a new profile remembers %+v", l)
	}
	want := Layout{Width: 1300, Height: 800, SplitFolders: 0.2, SplitReader: 0.4, Sort: "from", FromWidth: 260, DateWidth: 140}
	if err := a.SaveLayout(want); err != nil {
		t.Fatal(err)
	}
	if got := a.LoadLayout(); got != want {
		t.Fatalf("read back %+v, want %+v", got, want)
	}
	if got := b.LoadLayout(); got != (Layout{}) {
		t.Fatalf("another profile sees %+v", got)
	}
	os.WriteFile(a.Path(layoutFile), []byte("{broken"), 0o600)
	if got := a.LoadLayout(); got != (Layout{}) {
		t.Fatalf("a damaged layout gave %+v, want the defaults", got)
	}
}
