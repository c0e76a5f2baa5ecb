package app

import (
	"context"
	"fmt"
	"strings"

	"securemail/app/addressbook"
	"securemail/app/compose"
	"securemail/internal/phrase"
	"securemail/testaaddr"
)

// SecureLinkHeader marks the seed's secure-link mails: "request" on the
// signed mail asking for a signed reply, "reply" on that reply.
const SecureLinkHeader = "X-SecureMail-Secure-Link"

// requestText explains the procedure of the seed's chapter 5.1 to someone
// who may use another mail program.
const requestText = `Hello,

I would like to establish a secure link with you on the TESTA network, so
that we can send each other encrypted mail.

This message is digitally signed: it carries my Digital ID (my public key).
Please do two things, once:

1. Add my Digital ID to your address book. SecureMail does it by itself
   when it receives this message. In Outlook Express: open this message,
   File > Properties > Security > View Certificates > "Add Digital ID to
   Address Book".

2. Reply to this message with a digitally SIGNED message (the Sign button
   pressed), so that I receive your Digital ID too. In SecureMail: Secure
   Link > Reply signed.

After that the secure link is established both ways and each of us can
encrypt messages for the other. There is no need to repeat this.

%s
`

const replyText = `Hello,

Here is my signed reply to your secure-link request: this message carries
my Digital ID, and I have stored yours. The secure link is established
both ways; from now on we can send each other encrypted mail.

%s
`

// RequestSecureLink sends each address a signed mail explaining the
// procedure and asking for a signed reply. Each address gets its own mail,
// so recipients do not see each other; a contact's state becomes
// "requested" (or "established" when their Digital ID is already here).
func (a *App) RequestSecureLink(ctx context.Context, addrs []string) error {
	return a.linkMail(ctx, addrs, "request")
}

// ReplySecureLink answers a request with a signed reply in one step.
func (a *App) ReplySecureLink(ctx context.Context, addr string) error {
	return a.linkMail(ctx, []string{addr}, "reply")
}

func (a *App) linkMail(ctx context.Context, addrs []string, kind string) error {
	set, err := a.account()
	if err != nil {
		return err
	}
	if len(addrs) == 0 {
		if kind == "request" {
			return refusal(sentence("app.SecureLink.noAddress.request", "No address to send the secure-link request to", "name at least one address", nil))
		}
		return refusal(sentence("app.SecureLink.noAddress.reply", "No address to send the secure-link reply to", "name at least one address", nil))
	}
	for _, raw := range addrs {
		p, err := testaaddr.Parse(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("app: %w", err)
		}
		to := p.String()
		d := &compose.Draft{To: []string{to}, Extra: map[string]string{SecureLinkHeader: kind}}
		name := set.Account.DisplayName
		if name == "" {
			name = set.Account.Address
		}
		if kind == "request" {
			d.Subject = "Secure link request from " + name
			d.Text = fmt.Sprintf(requestText, name)
		} else {
			d.Subject = "Re: Secure link request"
			d.Text = fmt.Sprintf(replyText, name)
		}
		res, err := a.Send(ctx, d, SendOptions{Sign: true})
		if err != nil {
			if kind == "request" {
				return because(sentence("app.SecureLink.notSent.request", "The secure-link request to {{.To}} was not sent", "", phrase.Args{"To": to}), err)
			}
			return because(sentence("app.SecureLink.notSent.reply", "The secure-link reply to {{.To}} was not sent", "", phrase.Args{"To": to}), err)
		}
		if len(res.Refused) > 0 {
			args := phrase.Args{"To": to, "Refused": strings.Join(res.Refused, "; ")}
			if kind == "request" {
				return refusal(sentence("app.SecureLink.refused.request", "The server refused the secure-link request to {{.To}}: {{.Refused}}", "check the address", args))
			}
			return refusal(sentence("app.SecureLink.refused.reply", "The server refused the secure-link reply to {{.To}}: {{.Refused}}", "check the address", args))
		}
		if err := a.updateLink(to, func(c *addressbook.Contact) { c.TheyHaveOurs = true }); err != nil {
			return err
		}
	}
	return nil
}

// SecureLinkStatus lists every contact's secure-link state.
func (a *App) SecureLinkStatus() ([]LinkRow, error) {
	cs, err := a.Book.List()
	if err != nil {
		return nil, err
	}
	out := make([]LinkRow, 0, len(cs))
	for _, c := range cs {
		out = append(out, LinkRow{Address: c.Address, State: linkState(c)})
	}
	return out, nil
}
