package ui

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/internal/displaytext"
	"securemail/smime/identity"
	"securemail/ui/i18n"
)

// digitalIDAdder is "Add Digital ID to Address Book".
type digitalIDAdder interface {
	AddDigitalIDFromMessage(ctx context.Context, id string) ([]string, error)
}

// Properties is the message security properties sheet.
type Properties struct {
	content fyne.CanvasObject
	lines   []string // the facts shown, for tests
	addBtn  *widget.Button
	result  *widget.Label
	do      func(func())
}

// NewProperties describes an opened message's security: the signer's
// Digital ID (certificate) and its chain, validity on arrival and now, and
// the encryption algorithm.
func NewProperties(core digitalIDAdder, v *app.MessageView, now time.Time) *Properties {
	p := &Properties{result: widget.NewLabel(""), do: fyne.Do}
	r := v.Report
	form := widget.NewForm()
	add := func(k, val string) {
		val = displaytext.Line(val) // names from the certificates and the message
		p.lines = append(p.lines, k+": "+val)
		l := widget.NewLabel(val)
		l.Wrapping = fyne.TextWrapWord
		form.Append(k, l)
	}
	if m := v.Message; m != nil { // whole: the reader cuts long ones with "…"
		add(lang.L("mail.from"), i18n.Say(m.Shown().Phrase()))
		add(lang.L("mail.to"), m.To)
		add(lang.L("mail.subject"), m.Subject)
	}
	for _, b := range Banner(v) {
		add(lang.L("props.verdict"), b.Text)
	}
	if r != nil && r.Encrypted {
		add(lang.L("props.encryption"), cipherName(r.Encryption))
	}
	if r != nil && r.SignerCertificate != nil {
		c := r.SignerCertificate
		add(lang.L("props.signer"), r.Signer)
		add(lang.L("props.subject"), identity.NameText(c.Subject))
		add(lang.L("props.issuer"), identity.NameText(c.Issuer))
		add(lang.L("props.serial"), fmt.Sprintf("%X", c.SerialNumber))
		add(lang.L("props.valid"), lang.L("props.validrange", map[string]any{"From": i18n.Date(c.NotBefore.UTC()), "To": i18n.Date(c.NotAfter.UTC())}))
		if !r.SigningTime.IsZero() {
			add(lang.L("props.signedat"), i18n.DateTime(r.SigningTime.Local()))
		}
		if v.Message != nil && !v.Message.Arrived.IsZero() {
			add(lang.L("props.arrived"), i18n.DateTime(v.Message.Arrived.Local()))
			add(lang.L("props.validarrived"), yesNo(within(c, v.Message.Arrived)))
		}
		add(lang.L("props.validnow"), yesNo(within(c, now)))
		add(lang.L("props.sigalg"), c.SignatureAlgorithm.String())
		add(lang.L("props.fingerprint"), fingerprint(c))
		if chain := chainNames(r.Certificates, c); chain != "" {
			add(lang.L("props.chain"), chain)
		}
	}
	var buttons []fyne.CanvasObject
	if r != nil && r.SignerCertificate != nil && v.Message != nil {
		id := v.Message.ID
		p.addBtn = widget.NewButton(lang.L("props.addid"), nil)
		p.addBtn.OnTapped = func() {
			p.addBtn.Disable()
			go func() {
				addrs, err := core.AddDigitalIDFromMessage(context.Background(), id)
				p.do(func() {
					if err != nil {
						p.result.SetText(explain(err))
						p.addBtn.Enable()
						return
					}
					p.result.SetText(lang.L("props.added", map[string]any{"Addresses": displaytext.Line(strings.Join(addrs, ", "))}))
				})
			}()
		}
		buttons = append(buttons, p.addBtn)
	}
	buttons = append(buttons, p.result)
	p.content = container.NewBorder(nil, container.NewVBox(buttons...), nil, nil, container.NewVScroll(form))
	return p
}

// ShowProperties opens the properties sheet in a dialog.
func ShowProperties(w fyne.Window, core digitalIDAdder, v *app.MessageView) {
	p := NewProperties(core, v, time.Now())
	d := dialog.NewCustom(lang.L("props.title"), lang.L("Close"), p.content, w)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}

func within(c *x509.Certificate, t time.Time) bool {
	return !t.Before(c.NotBefore) && !t.After(c.NotAfter)
}

func yesNo(b bool) string {
	if b {
		return lang.L("props.yes")
	}
	return lang.L("props.no")
}

func fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	var parts []string
	for _, b := range sum {
		parts = append(parts, fmt.Sprintf("%02X", b))
	}
	return strings.Join(parts, ":")
}

// chainNames lists the authorities above the signer among the certificates
// the message carried, signer first.
func chainNames(pems []string, signer *x509.Certificate) string {
	var certs []*x509.Certificate
	for _, p := range pems {
		if b, _ := pem.Decode([]byte(p)); b != nil {
			if c, err := x509.ParseCertificate(b.Bytes); err == nil {
				certs = append(certs, c)
			}
		}
	}
	names := []string{signer.Subject.CommonName}
	cur := signer
	for i := 0; i < 5; i++ {
		var next *x509.Certificate
		for _, c := range certs {
			if c.Equal(cur) {
				continue
			}
			if cur.CheckSignatureFrom(c) == nil {
				next = c
				break
			}
		}
		if next == nil {
			if cur.Issuer.String() != cur.Subject.String() {
				names = append(names, lang.L("props.notinmessage", map[string]any{"Name": cur.Issuer.CommonName}))
			}
			break
		}
		names = append(names, next.Subject.CommonName)
		cur = next
	}
	return strings.Join(names, " → ")
}
