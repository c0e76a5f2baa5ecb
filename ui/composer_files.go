package ui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/compose"
	"securemail/internal/displaytext"
	"securemail/internal/safefile"
	"securemail/ui/i18n"
)

// The composer's attachments: adding files within the size limit and showing them.

func (c *Composer) refreshFiles() {
	c.files.RemoveAll()
	for i, a := range c.attachments {
		i := i
		c.files.Add(widget.NewLabel(fmt.Sprintf("%s (%s)", a.Name, i18n.Size(int64(len(a.Data))))))
		c.files.Add(widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			c.attachments = append(c.attachments[:i], c.attachments[i+1:]...)
			c.refreshFiles()
			c.changed()
		}))
	}
	c.files.Refresh()
}

// AddAttachment attaches a file's bytes, unless the message would then be
// too large to send: that is said at once, with the sizes, and the file
// is not attached.
func (c *Composer) AddAttachment(name string, data []byte) {
	a := compose.Attachment{Name: safefile.Name(name), Data: data}
	if err := c.core.CheckAttachment(c.Draft(), a, app.SendOptions{Sign: c.sign, Encrypt: c.encrypt}); err != nil {
		c.showMessage(attachRefusal(err))
		return
	}
	c.attachments = append(c.attachments, a)
	c.refreshFiles()
	c.changed()
}

// attachRefusal words why a file was not attached: for a size, in the
// user's units, the file's, the message's as sent and the limit's.
func attachRefusal(err error) string {
	var tl *app.TooLargeError
	if !errors.As(err, &tl) {
		return lang.L("compose.notattached", map[string]any{"Why": explain(err)})
	}
	key := "compose.toolarge"
	if tl.Encrypted {
		key += ".encrypted"
	}
	if tl.Limit.Server != "" {
		key += ".server"
	}
	return lang.L(key, map[string]any{"Name": displaytext.Line(tl.Name), "Size": i18n.Size(tl.Size), "Sent": i18n.Size(tl.Encoded),
		"Limit": i18n.Size(tl.Limit.Octets), "Server": tl.Limit.Server})
}

func (c *Composer) attachWithDialog() {
	openFile(c.win, c.core, "", c.AddAttachment, func(err error) { errDialog(err, c.win) })
}
