package app

import (
	"context"
	"crypto/x509"
	"slices"

	"securemail/app/revocation"
	"securemail/smime"
)

// authorities are the certificates a revocation list may be signed by:
// the trusted roots and the known authority chain.
func (a *App) authorities() ([]*x509.Certificate, error) {
	roots, inters, err := a.trustAnchors()
	if err != nil {
		return nil, err
	}
	return append(slices.Clip(roots), inters...), nil
}

// revocationLists are the lists kept in the profile, for judging.
func (a *App) revocationLists() ([]*x509.RevocationList, error) {
	auths, err := a.authorities()
	if err != nil {
		return nil, err
	}
	return a.Revocation.RevocationLists(auths)
}

// ImportCRL keeps a certificate revocation list file (DER or PEM) after
// checking that a trusted authority or a known authority of its chain
// signed it (`securemail crl import`, the Trusted authorities window).
func (a *App) ImportCRL(data []byte) (revocation.Kept, error) {
	auths, err := a.authorities()
	if err != nil {
		return revocation.Kept{}, err
	}
	return a.Revocation.Import(data, auths)
}

// CRLs lists the revocation lists kept, with the authority of each.
func (a *App) CRLs() ([]revocation.Kept, error) {
	auths, err := a.authorities()
	if err != nil {
		return nil, err
	}
	return a.Revocation.Lists(auths)
}

// openChecked opens a message and, when it is signed, makes sure a current
// revocation list is kept for the signer's Digital ID and its chain
// (fetched from their distribution points when due); when a new list came,
// the message is judged again with it. What could not be checked is said
// in the report's notes; it does not change the status.
func (a *App) openChecked(ctx context.Context, raw []byte, opts smime.OpenOptions) (*smime.Report, error) {
	rep, err := smime.OpenContext(ctx, raw, opts)
	if rep == nil || !rep.Signed || rep.SignerCertificate == nil {
		return rep, err
	}
	auths, aerr := a.authorities()
	if aerr != nil {
		return rep, err
	}
	certs := append([]*x509.Certificate{rep.SignerCertificate}, rep.Harvested...)
	changed, notes := a.Revocation.Refresh(ctx, certs, auths)
	if changed {
		if lists, lerr := a.Revocation.RevocationLists(auths); lerr == nil {
			opts.CRLs = lists
			if again, aerr := smime.OpenContext(ctx, raw, opts); again != nil {
				rep, err = again, aerr
			}
		}
	}
	rep.Notes = append(rep.Notes, notes...)
	return rep, err
}

// refreshContactLists fetches, when due, the revocation lists that cover
// the contacts' Digital IDs, so that the address book's V / red X and the
// composer see a revocation even before a signed message from them
// arrives. Send/Receive calls it; what cannot be fetched stays unchecked
// (the lists kept are still used).
func (a *App) refreshContactLists(ctx context.Context) {
	auths, err := a.authorities()
	if err != nil {
		return
	}
	cs, err := a.Book.List()
	if err != nil {
		return
	}
	var certs []*x509.Certificate
	for _, c := range cs {
		for _, d := range c.DigitalIDs {
			if cert := d.Certificate(); cert != nil {
				certs = append(certs, cert)
			}
		}
	}
	a.Revocation.Refresh(ctx, certs, auths)
}
