package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"securemail/testaaddr"
)

// doneStep is the wizard's last step: the sign-all and encrypt-all
// defaults, exporting the Digital ID and sending secure link requests.
// Finish saves the defaults.
type doneStep struct {
	signAll, encryptAll *widget.Check
	export              *widget.Button
	linkTo              *widget.Entry
	sendLinks           *widget.Button
	message             *widget.Label
}

func (w *Wizard) donePage() fyne.CanvasObject {
	s := &w.done
	s.signAll = widget.NewCheck(lang.L("settings.signall"), nil)
	s.encryptAll = widget.NewCheck(lang.L("settings.encryptall"), nil)
	s.signAll.SetChecked(true)
	s.encryptAll.SetChecked(true)
	s.export = widget.NewButton(lang.L("wizard.done.export"), w.exportID)
	s.linkTo = widget.NewEntry()
	s.linkTo.SetPlaceHolder("Jan.Novak@tcn.cz.eu-admin.net, …")
	s.sendLinks = widget.NewButton(lang.L("wizard.done.sendlinks"), w.sendLinks)
	s.message = para("")
	return container.NewVBox(heading(lang.L("wizard.step.done")),
		para(lang.L("wizard.done.ready")),
		s.signAll, s.encryptAll, widget.NewSeparator(), s.export,
		para(lang.L("wizard.done.linkintro")),
		container.NewBorder(nil, nil, nil, s.sendLinks, s.linkTo), s.message)
}

// exportID saves the Digital ID as a .p7b: certificate and chain only.
func (w *Wizard) exportID() {
	msg := w.done.message
	data, err := w.core.ExportP7B()
	if err != nil {
		msg.SetText(explain(err))
		return
	}
	saveBytes(w.win, "my-digital-id.p7b", data, func(err error) {
		if err != nil {
			msg.SetText(explain(err))
		} else {
			msg.SetText(lang.L("digitalid.exported"))
		}
	})
}

func (w *Wizard) sendLinks() {
	s := &w.done
	var addrs []string
	for _, p := range strings.Split(s.linkTo.Text, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, err := testaaddr.Parse(p); err != nil {
			s.message.SetText(p + ": " + explain(err))
			return
		}
		addrs = append(addrs, p)
	}
	if len(addrs) == 0 {
		s.message.SetText(lang.L("wizard.done.typeaddresses"))
		return
	}
	s.sendLinks.Disable()
	go func() {
		err := w.core.RequestSecureLink(w.ctx, addrs)
		w.do(func() {
			s.sendLinks.Enable()
			if err != nil {
				s.message.SetText(explain(err))
				return
			}
			s.message.SetText(lang.L("securelink.requestssent", map[string]any{"To": strings.Join(addrs, ", ")}))

		})
	}()
}

// finish saves the defaults chosen and hands over to OnDone.
func (w *Wizard) finish() {
	s, err := w.core.Settings()
	if err != nil {
		w.problemLabel.SetText(explain(err))
		w.problemBox.Show()
		return
	}
	s.Security.SignAll, s.Security.EncryptAll = w.done.signAll.Checked, w.done.encryptAll.Checked
	if err := w.core.SaveSettings(s); err != nil {
		w.problemLabel.SetText(explain(err))
		w.problemBox.Show()
		return
	}
	if w.OnDone != nil {
		w.OnDone()
	}
}
