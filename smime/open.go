package smime

import (
	"context"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"time"

	"securemail/internal/mailheader"
	"securemail/internal/phrase"
	"securemail/smime/cms"
	"securemail/smime/envelope"
	"securemail/smime/sign"
)

// maxLayers bounds how many S/MIME layers Open removes. Real messages have
// at most three (triple wrapping, RFC 2634); the bound stops a message that
// wraps itself again and again.
const maxLayers = 8

// OpenOptions says what Open may use to decrypt and to judge signatures.
type OpenOptions struct {
	// Keys are the reader's Digital IDs, tried on every encrypted layer.
	Keys []envelope.Key
	// Roots are the trusted authorities; Intermediates are authority
	// certificates known besides those the message carries.
	Roots, Intermediates []*x509.Certificate
	// Now is the current time; zero means time.Now(). Without Arrived,
	// signatures are judged at Now.
	Now time.Time
	// Arrived is when the message first reached us, by our own clock (the
	// store's arrival time); when set and before Now, signatures are judged
	// at that moment (docs/SECURITY.md §3).
	Arrived time.Time
	// CRLs are the revocation lists known (docs/SECURITY.md, revocation);
	// only those signed by a certificate's issuer are used.
	CRLs []*x509.RevocationList
}

// Errors Open returns (wrapped) with a partial report; the report's Error
// field holds the sentence to show.
var (
	// ErrNotMessage: the input is not an e-mail message.
	ErrNotMessage = errors.New("smime: this is not an e-mail message")
	// ErrTooDeep: more S/MIME layers than any real message has.
	ErrTooDeep = errors.New("smime: the message is wrapped in too many S/MIME layers")
	// ErrDamaged: an S/MIME part could not be decoded.
	ErrDamaged = errors.New("smime: an S/MIME part of the message is damaged")
)

// sigLayer is one signature layer met on the way in.
type sigLayer struct {
	sd      *sign.SignedData
	content []byte        // the signed bytes
	math    []error       // per signer: Verify's verdict
	broken  phrase.Phrase // the verdict when the layer could not even be parsed
	problem string        // the Report's Problem for a broken layer; "" means ProblemDamaged
}

// walker removes layers from the outside in.
type walker struct {
	ctx     context.Context
	opts    OpenOptions
	r       *Report
	sigs    []*sigLayer
	counted int             // sigs[counted:] cover the content; earlier ones wrap encryption
	inPlace bool            // the message's buffer may be overwritten (OpenInPlace)
	from    mailheader.From // the From the signer is compared with (identify)
}

// Open reads a message from the outside in — multipart/signed,
// application/pkcs7-mime (or x-pkcs7-mime) signed-data, enveloped-data and
// authEnveloped-data, the CMS content type deciding when smime-type is
// missing or wrong — decrypting and verifying as it goes, and returns the
// Report. When something stops it (not a recipient, damaged data), it
// returns the report so far, with Error set, and the error.
//
// The verdict follows docs/SECURITY.md: a signature layer wrapped around
// encrypted content is checked but does not count; when several signature
// layers cover the content the report names the outermost signer (the
// sender) and the worst status of all of them wins.
func Open(msg []byte, opts OpenOptions) (*Report, error) {
	return open(context.Background(), msg, opts, false)
}

// OpenContext is Open that stops when ctx is done (the user cancelled, the
// program is asked to quit): the report says so and the error wraps
// ctx.Err(). Opening is linear in the message's size and bounded (see
// LimitError), so a message up to 100 MB takes at most a few seconds.
func OpenContext(ctx context.Context, msg []byte, opts OpenOptions) (*Report, error) {
	return open(ctx, msg, opts, false)
}

// OpenInPlace is OpenContext for a caller that has no further use for msg,
// such as a command that read it from standard input: an encrypted layer is
// base64-decoded and decrypted inside msg's own buffer, so opening costs
// no second and third copy of the message. msg is overwritten; the
// Report (its Entity, Text and Attachments included) is the one Open
// returns.
func OpenInPlace(ctx context.Context, msg []byte, opts OpenOptions) (*Report, error) {
	return open(ctx, msg, opts, true)
}

// open is OpenContext; inPlace lets it overwrite msg.
func open(ctx context.Context, msg []byte, opts OpenOptions, inPlace bool) (*Report, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	r := newReport()
	w := &walker{ctx: ctx, opts: opts, r: r, inPlace: inPlace}
	msg, err := toCRLFContext(ctx, msg)
	if err != nil {
		return w.stop(err)
	}
	if err := checkHeader(msg); err != nil {
		return w.stop(err)
	}
	top := parseEntity(msg)
	if len(msg) == 0 || len(top.fields) == 0 {
		return w.fail(ErrNotMessage, phrase.New("open.error.notmessage", "This is not an e-mail message.", nil))
	}
	inner, err := w.walk(msg)
	if inner != nil {
		r.Entity = inner
		c := content{ctx: ctx}
		collectContent(inner, 0, &c)
		r.Text, r.Attachments = c.text, c.attachments
		if err == nil && c.err != nil {
			_, err = w.stop(c.err)
		}
	}
	w.identify(top.h)
	w.hiddenHeader(inner, top.h)
	w.judge()
	if err != nil {
		return r, err
	}
	for _, d := range r.HeaderDifferences {
		r.addReason(d.WarningPhrase())
	}
	if r.Encrypted {
		r.addReason(encryptedPhrase(r.Encryption))
	}
	return r, nil
}

// stop ends Open on a bound of limits.go or a done context, with the
// sentence for it.
func (w *walker) stop(err error) (*Report, error) {
	var le *LimitError
	switch {
	case errors.As(err, &le):
		return w.fail(err, le.Phrase())
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return w.fail(fmt.Errorf("smime: opening stopped: %w", err), phrase.New("open.error.stopped", "Opening this message was stopped before it finished.", nil))
	}
	return w.fail(err, phrase.New("open.error.unreadable", "This message cannot be opened.", nil))
}

// fail records an error sentence in the report and returns both.
func (w *walker) fail(err error, sentence phrase.Phrase) (*Report, error) {
	w.r.Error, w.r.ErrorPhrase = sentence.String(), sentence
	w.r.setReason(sentence)
	return w.r, err
}

// walk removes S/MIME layers and returns the innermost entity. On an error
// it returns the entity reached so far (nil if none is readable).
func (w *walker) walk(raw []byte) ([]byte, error) {
	for depth := 0; ; depth++ {
		if depth > maxLayers {
			_, err := w.fail(ErrTooDeep, phrase.New("open.error.toodeep", "This message is wrapped in too many S/MIME layers to be opened safely.", nil))
			return nil, err
		}
		if err := w.ctx.Err(); err != nil {
			_, err = w.stop(err)
			return nil, err
		}
		if err := checkHeader(raw); err != nil {
			_, err = w.stop(err)
			return nil, err
		}
		e := parseEntity(raw)
		mt, params := e.mediaType()
		switch {
		case mt == "multipart/signed":
			next, ok, err := w.detached(e, params)
			if err != nil {
				_, err = w.stop(err)
				return nil, err
			}
			if !ok {
				return raw, nil
			}
			raw = next
		case mt == "application/pkcs7-mime" || mt == "application/x-pkcs7-mime":
			der, err := w.decodePKCS7(e)
			if err != nil || len(der) == 0 {
				_, err := w.fail(fmt.Errorf("%w: %v", ErrDamaged, err), phrase.New("open.error.damaged", "The S/MIME part of this message is damaged and cannot be opened.", nil))
				return nil, err
			}
			next, stop, err := w.pkcs7(raw, der)
			if err != nil || stop {
				return next, err
			}
			if raw, err = toCRLFContext(w.ctx, next); err != nil {
				_, err = w.stop(err)
				return nil, err
			}
		default:
			return raw, nil
		}
	}
}

// decodePKCS7 undoes the transfer encoding of an application/pkcs7-mime
// body. In place, base64 of an enveloped layer is decoded over itself:
// that layer is either decrypted or fails, so nothing reads the entity's
// text again. Other layers (signed, certificates only, unknown types) may
// be shown as they are, so they are decoded into a buffer of their own.
func (w *walker) decodePKCS7(e *entity) ([]byte, error) {
	cte := e.transferEncoding()
	if !w.inPlace || cte != "base64" {
		return decodeBody(e.body, cte)
	}
	peek, _ := decodeBase64(e.body[:min(len(e.body), 128)])
	if oid := peekContentType(peek); !oid.Equal(cms.OIDEnvelopedData) && !oid.Equal(cms.OIDAuthEnvelopedData) {
		return decodeBody(e.body, cte)
	}
	return decodeBase64InPlace(e.body)
}

// detached handles multipart/signed (RFC 1847, RFC 8551 §3.5.3). It returns
// the first part, the signed content, exactly as it appears in the
// message, and false when the entity is not a usable multipart/signed.
// The error is a *LimitError: too many parts to be a real one.
func (w *walker) detached(e *entity, params map[string]string) ([]byte, bool, error) {
	parts, _, err := splitMultipart(e.body, params["boundary"])
	if le := (*LimitError)(nil); errors.As(err, &le) {
		return nil, false, err
	}
	if err != nil || params["boundary"] == "" || len(parts) == 0 {
		return nil, false, nil
	}
	if len(parts) < 2 {
		w.r.Layers = append(w.r.Layers, LayerSignedDetached)
		w.sigs = append(w.sigs, &sigLayer{broken: phrase.New("verdict.invalid.partmissing", "Signature INVALID: the signature part is missing.", nil)})
		return parts[0], true, nil
	}
	sigPart := parseEntity(parts[1])
	sigType, _ := sigPart.mediaType()
	proto := strings.ToLower(params["protocol"])
	if !strings.HasSuffix(sigType, "pkcs7-signature") && !strings.HasSuffix(proto, "pkcs7-signature") {
		// Not S/MIME (OpenPGP, say): the content is read, the signature
		// is not ours to judge and does not count.
		return parts[0], true, nil
	}
	w.r.Layers = append(w.r.Layers, LayerSignedDetached)
	layer := &sigLayer{content: parts[0]}
	w.sigs = append(w.sigs, layer)
	der, err := decodeBody(sigPart.body, sigPart.transferEncoding())
	if err != nil {
		layer.broken = phrase.New("verdict.invalid.partdamaged", "Signature INVALID: the signature part is damaged.", nil)
		return parts[0], true, nil
	}
	w.verify(layer, der, parts[0])
	return parts[0], true, nil
}

// verify parses a SignedData and checks every signer's mathematics over
// content (nil: the encapsulated content).
func (w *walker) verify(layer *sigLayer, der, content []byte) {
	sd, err := sign.Parse(der)
	if err != nil {
		layer.unreadable(err)
		return
	}
	layer.sd = sd
	w.r.harvest(sd.Certificates)
	if content == nil {
		content = sd.Content
	}
	layer.content = content
	if len(sd.Signers) == 0 {
		layer.broken = phrase.New("verdict.invalid.nosigner", "Signature INVALID: the signature has no signer.", nil)
		return
	}
	for _, s := range sd.Signers {
		layer.math = append(layer.math, s.Verify(content, sd.Certificates))
		if s.Certificate != nil {
			w.r.harvest([]*x509.Certificate{s.Certificate})
		}
	}
}

// unreadable records why a layer's SignedData could not be parsed.
func (l *sigLayer) unreadable(err error) {
	switch {
	case errors.Is(err, sign.ErrTooLarge), errors.Is(err, cms.ErrTooComplex):
		l.broken = phrase.New("verdict.invalid.toolarge", "Signature INVALID: it holds more than SecureMail checks (at most {{.Certificates}} certificates and {{.Signers}} signers), so it cannot be checked.",
			phrase.Args{"Certificates": phrase.Number(sign.MaxCertificates), "Signers": phrase.Number(sign.MaxSigners)})
		l.problem = ProblemTooLarge
	default:
		l.broken = damagedSignature()
	}
}

// pkcs7 handles an application/pkcs7-mime entity whose body decoded to
// der. It returns the next entity to walk, or stop when there is none.
func (w *walker) pkcs7(raw, der []byte) (next []byte, stop bool, err error) {
	switch oid := peekContentType(der); {
	case oid.Equal(cms.OIDSignedData):
		sd, perr := sign.Parse(der)
		if perr == nil && len(sd.Signers) == 0 {
			w.r.harvest(sd.Certificates) // certs-only (.p7b): not a layer
			return raw, true, nil
		}
		w.r.Layers = append(w.r.Layers, LayerSignedOpaque)
		layer := &sigLayer{}
		w.sigs = append(w.sigs, layer)
		if perr != nil {
			layer.unreadable(perr)
			return nil, true, nil
		}
		w.verify(layer, der, nil)
		if sd.Content == nil {
			layer.broken = phrase.New("verdict.invalid.nocontent", "Signature INVALID: the signed message has no content.", nil)
			return nil, true, nil
		}
		return sd.Content, false, nil
	case oid.Equal(cms.OIDEnvelopedData), oid.Equal(cms.OIDAuthEnvelopedData):
		name := LayerEnveloped
		if oid.Equal(cms.OIDAuthEnvelopedData) {
			name = LayerAuthEnveloped
		}
		w.r.Layers = append(w.r.Layers, name)
		w.r.Encrypted = true
		w.counted = len(w.sigs)
		decrypt := envelope.Decrypt
		if w.inPlace {
			decrypt = envelope.DecryptInPlace
		}
		res, derr := decrypt(der, w.opts.Keys)
		if derr != nil {
			_, err := w.fail(fmt.Errorf("smime: %w", derr), decryptSentence(derr))
			return nil, true, err
		}
		w.r.Encryption = string(res.Cipher)
		return res.Content, false, nil
	default:
		return raw, true, nil
	}
}

// decryptSentence is the banner sentence for a decryption failure.
func decryptSentence(err error) phrase.Phrase {
	switch {
	case errors.Is(err, envelope.ErrNotRecipient):
		return phrase.New("open.error.notrecipient", "This message is encrypted but none of your Digital IDs can open it.", nil)
	case errors.Is(err, envelope.ErrUnsupported):
		return phrase.New("open.error.cipher", "This message is encrypted with an algorithm SecureMail does not support, so it cannot be opened.", nil)
	default:
		return phrase.New("open.error.decrypt", "This encrypted message is damaged or was altered, so it cannot be opened.", nil)
	}
}

// damagedSignature is the verdict on a signature that cannot be parsed.
func damagedSignature() phrase.Phrase {
	return phrase.New("verdict.invalid.damaged", "Signature INVALID: the signature is damaged.", nil)
}

// peekContentType returns the content type of a CMS ContentInfo, BER or
// DER, without parsing the rest; nil when it is not one.
func peekContentType(der []byte) asn1.ObjectIdentifier {
	if len(der) < 2 || der[0] != 0x30 {
		return nil
	}
	off := 2
	switch l := der[1]; {
	case l == 0x80, l < 0x80:
	case l <= 0x84:
		off += int(l & 0x7f)
	default:
		return nil
	}
	if off+2 > len(der) || der[off] != 0x06 || der[off+1] >= 0x80 {
		return nil
	}
	end := off + 2 + int(der[off+1])
	if end > len(der) {
		return nil
	}
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(der[off:end], &oid); err != nil {
		return nil
	}
	return oid
}

// identify applies the identity rule of docs/SECURITY.md, "Who sent it": the header
// whose From is compared with the signer is the signed content's own when
// that content carries header fields — RFC 9788 header protection (an hp
// parameter), or a whole message signed as openssl does (a From field
// inside) — else the outer message's. It records the From, the problem with
// it if any, and the Subject and Date of that header in the report.
func (w *walker) identify(top mailheader.Header) {
	h, src := top, FromSourceMessage
	if w.counted < len(w.sigs) {
		if c := w.sigs[w.counted].content; c != nil {
			if inner := mailheader.Parse(c); carriesHeader(inner) {
				h, src = inner, FromSourceSigned
				w.r.protection(inner, top, true)
			}
		}
	}
	f := h.From()
	w.from = f
	w.r.From, w.r.FromProblem, w.r.FromSource = f.Address(), string(f.Problem), src
	w.r.Subject = h.Subject()
}

// carriesHeader reports whether signed content carries the message's header
// fields: a From field, or RFC 9788's hp parameter on its Content-Type.
func carriesHeader(h mailheader.Header) bool {
	return h.Has("From") || hasHP(h)
}

// hiddenHeader reads the RFC 9788 protected header of an encrypted message
// that no counted signature covers: the decrypted entity inner with the hp
// parameter. Its Subject is what the reader and the list show — the outer
// one is often "[...]" — as Thunderbird shows the protected Subject of an
// encrypted OpenPGP message that is not signed. Nothing in it is
// authenticated: the identity rule (identify) never reads it, and a
// difference from the outer fields is flagged as for signed mail.
func (w *walker) hiddenHeader(inner []byte, top mailheader.Header) {
	if !w.r.Encrypted || w.counted < len(w.sigs) || w.r.HeaderProtection != "" || inner == nil {
		return
	}
	h := mailheader.Parse(inner)
	if !hasHP(h) {
		return
	}
	w.r.protection(h, top, false)
	if s := h.Subject(); s != "" {
		w.r.Subject = s
	}
}
