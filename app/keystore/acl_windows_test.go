//go:build windows

package keystore

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// TestSealedFileIsReadableByItsOwnerOnly: the sealed key file written by
// Set carries a protected access-control list with a single entry, which
// allows the current user — nobody else, nothing inherited from the folder.
func TestSealedFileIsReadableByItsOwnerOnly(t *testing.T) {
	s, err := NewSealedFiles(t.TempDir(), []byte("a long passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("key:Marie.Curie@tcn.f.eu-admin.net", []byte("secret")); err != nil {
		t.Fatal(err)
	}
	path := s.path("key:Marie.Curie@tcn.f.eu-admin.net")
	if underWine() {
		// Wine 8.0 accepts SetNamedSecurityInfo on a file and stores
		// nothing: GetNamedSecurityInfo always returns a DACL made from the
		// Unix mode (SYSTEM, the user, Everyone read), protected or not.
		// Set succeeding is all that can be checked there; real Windows
		// runs the rest.
		t.Skip("Wine does not keep file DACLs; the owner-only ACL is checked on real Windows")
	}
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	control, _, err := sd.Control()
	if err != nil {
		t.Fatal(err)
	}
	if control&windows.SE_DACL_PROTECTED == 0 {
		t.Error("the DACL is not protected: the folder's entries are inherited")
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		t.Fatalf("no DACL (%v): everybody may read the file", err)
	}
	if dacl.AceCount != 1 {
		t.Fatalf("%d entries in the DACL, want 1 (the owner)", dacl.AceCount)
	}
	var ace *windows.ACCESS_ALLOWED_ACE
	if err := windows.GetAce(dacl, 0, &ace); err != nil {
		t.Fatal(err)
	}
	if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE {
		t.Errorf("the entry is of type %d, want an access-allowed entry", ace.Header.AceType)
	}
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
	if !sid.Equals(user.User.Sid) {
		t.Errorf("the entry allows %v, want the current user %v", sid, user.User.Sid)
	}
	if got, err := s.Get("key:Marie.Curie@tcn.f.eu-admin.net"); err != nil || string(got) != "secret" {
		t.Errorf("the owner reads back %q, %v", got, err)
	}
}

// underWine reports whether this process runs under Wine, whose ntdll
// exports wine_get_version.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}
