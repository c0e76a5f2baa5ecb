package app

import (
	"context"
	"fmt"
	"sort"
	"time"

	"securemail/app/addressbook"
	"securemail/internal/phrase"
	"securemail/smime"
)

// evaluation returns what contacts' Digital IDs are judged against.
func (a *App) evaluation() (addressbook.Trust, error) {
	roots, inters, err := a.trustAnchors()
	if err != nil {
		return addressbook.Trust{}, err
	}
	crls, err := a.revocationLists()
	if err != nil {
		return addressbook.Trust{}, err
	}
	return addressbook.Trust{Roots: roots, Intermediates: inters, Now: a.now(), CRLs: crls}, nil
}

// Contacts lists the address book with V / red X per contact.
func (a *App) Contacts() ([]ContactView, error) {
	t, err := a.evaluation()
	if err != nil {
		return nil, err
	}
	cs, err := a.Book.List()
	if err != nil {
		return nil, err
	}
	out := make([]ContactView, 0, len(cs))
	for _, c := range cs {
		out = append(out, ContactView{Contact: c, Verdict: addressbook.Evaluate(c, t)})
	}
	return out, nil
}

// Contact returns one contact with its evaluated status.
func (a *App) Contact(addr string) (ContactView, error) {
	t, err := a.evaluation()
	if err != nil {
		return ContactView{}, err
	}
	c, err := a.Book.GetOrNew(addr)
	if err != nil {
		return ContactView{}, err
	}
	return ContactView{Contact: c, Verdict: addressbook.Evaluate(c, t)}, nil
}

// ImportContacts reads a .p7b, .cer or .pem file into the address book and
// returns the addresses added; their secure-link state now says their
// Digital ID is received.
func (a *App) ImportContacts(data []byte) ([]string, error) {
	addrs, err := a.Book.Import(data)
	if err != nil {
		return nil, err
	}
	for _, addr := range addrs {
		if err := a.updateLink(addr, nil); err != nil {
			return addrs, err
		}
	}
	return addrs, nil
}

// AddDigitalIDFromMessage is "Add Digital ID to Address Book" on a signed message.
func (a *App) AddDigitalIDFromMessage(ctx context.Context, id string) ([]string, error) {
	v, err := a.OpenMessage(ctx, id)
	if err != nil {
		return nil, err
	}
	r := v.Report
	if r == nil || !r.Signed || r.SignerCertificate == nil {
		return nil, refusal(sentence("app.AddSigner.notSigned", "This message is not signed, so it carries no Digital ID to add", "", nil))
	}
	switch r.Signature {
	case smime.StatusValid, smime.StatusExpired:
	default:
		return nil, refusal(sentence("app.AddSigner.refused", "The signer's Digital ID was not added: {{.Reason}}", "", phrase.Args{"Reason": asPhrase(r.VerdictPhrase(), r.Reason)}))
	}
	filed, err := a.Book.AddDigitalID("", r.SignerCertificate, r.Harvested, r.Capabilities)
	if err != nil {
		return nil, err
	}
	addrs := filed.Addresses
	for _, addr := range addrs {
		if err := a.updateLink(addr, nil); err != nil {
			return addrs, err
		}
	}
	return addrs, nil
}

// ExpiryWarning is a Digital ID that expires within 7 days.
type ExpiryWarning struct {
	Address  string
	Own      bool // one of the user's own Digital IDs
	NotAfter time.Time
	Sentence string
}

// Expiring lists the user's current Digital ID and contacts' default
// Digital IDs that expire within 7 days, soonest first.
func (a *App) Expiring() ([]ExpiryWarning, error) {
	now := a.now()
	var out []ExpiryWarning
	ids, err := a.Wallet.MyIDs()
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if id.Current && addressbook.ExpiringSoon(id.Certificate, now) {
			out = append(out, ExpiryWarning{Address: id.Address, Own: true, NotAfter: id.Certificate.NotAfter,
				Sentence: fmt.Sprintf("Your Digital ID expires on %s; ask your authority for a new Mail.pfx and import it.", id.Certificate.NotAfter.UTC().Format("2 January 2006"))})
		}
	}
	cs, err := a.Book.List()
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		d := c.Default()
		if d == nil || d.Certificate() == nil || !addressbook.ExpiringSoon(d.Certificate(), now) {
			continue
		}
		out = append(out, ExpiryWarning{Address: c.Address, NotAfter: d.Certificate().NotAfter,
			Sentence: fmt.Sprintf("The Digital ID of %s expires on %s; after that you cannot encrypt mail to them until they send you a signed mail with their new one.", c.Address, d.Certificate().NotAfter.UTC().Format("2 January 2006"))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NotAfter.Before(out[j].NotAfter) })
	return out, nil
}

// updateLink changes a contact (creating it when new) with change, when
// given, and recomputes its secure-link state.
func (a *App) updateLink(addr string, change func(c *addressbook.Contact)) error {
	c, err := a.Book.GetOrNew(addr)
	if err != nil {
		return err
	}
	if change != nil {
		change(c)
	}
	c.Link = linkState(c)
	return a.Book.Put(c)
}

// linkState is the seed's secure-link exchange seen from one side: we hold
// their Digital ID (received), they hold ours (requested: we sent them a
// signed mail), or both (established).
func linkState(c *addressbook.Contact) addressbook.LinkState {
	have := len(c.DigitalIDs) > 0
	switch {
	case have && c.TheyHaveOurs:
		return addressbook.LinkEstablished
	case have:
		return addressbook.LinkReceived
	case c.TheyHaveOurs:
		return addressbook.LinkRequested
	}
	return addressbook.LinkNone
}
