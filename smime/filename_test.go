package smime

import "testing"

// TestAttachmentNameForms: the name a sender gave an attachment is decoded
// from each form mail programs write (plain, RFC 2231 with charset and
// continuations, RFC 2047 words inside the quotes, Content-Type's name).
func TestAttachmentNameForms(t *testing.T) {
	for _, tc := range []struct{ form, header, want string }{
		{"plain", "Content-Disposition: attachment; filename=\"CON.txt\"", "CON.txt"},
		{"RFC 2231", "Content-Disposition: attachment; filename*=utf-8''invoice%E2%80%AEfdp.exe", "invoice\u202efdp.exe"},
		{"RFC 2231 continuations", "Content-Disposition: attachment;\r\n filename*0*=utf-8''R%C3%A9sum;\r\n filename*1=\"e.pdf\"", "Résume.pdf"},
		{"RFC 2047 in quotes", "Content-Disposition: attachment; filename=\"=?utf-8?B?TnVsLnRhci5neg==?=\"", "Nul.tar.gz"},
		{"RFC 2047, other charset", "Content-Disposition: attachment; filename=\"=?windows-1252?Q?Caf=E9.txt?=\"", "Café.txt"},
		{"Content-Type name", "Content-Type: application/octet-stream; name=\"=?iso-8859-1?Q?=E9t=E9.doc?=\"", "été.doc"},
	} {
		t.Run(tc.form, func(t *testing.T) {
			e := parseEntity([]byte(tc.header + "\r\n\r\nx"))
			if got := e.filename(); got != tc.want {
				t.Errorf("filename() = %q, want %q", got, tc.want)
			}
		})
	}
}
