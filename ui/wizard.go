package ui

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"securemail/app"
	"securemail/app/digitalid"
	"securemail/app/profile"
	"securemail/internal/displaytext"
	"securemail/smime/identity"
	"securemail/testaaddr"
)

// Wizard steps.
const (
	StepWelcome = iota
	StepAddress
	StepServers
	StepRoot
	StepChain
	StepDigitalID
	StepDone
)

var stepNames = []string{"Welcome", "Your address", "Mail servers", "Trusted authority", "Authority chain", "Your Digital ID", "Done"}

const (
	serversBundled = "Bundled offline TESTA network"
	serversOwn     = "My organisation's POP3 and SMTP servers"
)

// Wizard is the first-run wizard of UX.md: a step indicator, Back always
// works, Next only when the step is valid.
type Wizard struct {
	Win  fyne.Window
	core Core
	net  Network
	now  func() time.Time
	Step int

	Indicator *fyne.Container
	Back      *widget.Button
	Next      *widget.Button
	Problem   *widget.Label // the refusal of the current step, in words
	body      *fyne.Container
	pages     []fyne.CanvasObject

	UseBundled *widget.Button

	First, Surname *widget.Entry
	Country        *widget.Select
	AddressShown   *widget.Label
	Handout        *widget.Select

	Servers            *widget.RadioGroup
	POP3Host, POP3Port *widget.Entry
	SMTPHost, SMTPPort *widget.Entry
	POP3Sec, SMTPSec   *widget.Select
	User, Password     *widget.Entry
	TestConn           *widget.Button
	TestResult         *widget.Label
	OpenServerCA       *widget.Button
	ClearServerCA      *widget.Button
	ServerCAInfo       *widget.Label
	ownServers         *fyne.Container

	RootInfo, ChainInfo, IDInfo *widget.Label
	Trust                       *widget.Check
	OpenRoot, OpenChain, OpenID *widget.Button
	IDPassword                  *widget.Entry

	SignAll, EncryptAll *widget.Check
	Export              *widget.Button
	LinkTo              *widget.Entry
	SendLinks           *widget.Button
	DoneMessage         *widget.Label

	handouts   []Handout
	handout    *Handout
	root, ec   *digitalid.Authority
	rootData   []byte
	ecData     []byte
	pfxData    []byte
	pfx        *identity.Identity
	problems   map[int]string
	problemBox *fyne.Container
	settingUp  bool
	setupDone  bool
	serverCA   []byte
	testCancel context.CancelFunc
	testRun    int

	do func(func())

	// OnDone is called after Finish, with the settings saved.
	OnDone func()
}

// NewWizard builds the wizard; net is nil when no bundled network is available.
func NewWizard(a fyne.App, core Core, net Network) *Wizard {
	w := &Wizard{Win: a.NewWindow("SecureMail — set-up"), core: core, net: net, now: time.Now, problems: map[int]string{}, do: fyne.Do}
	w.Win.SetIcon(appIcon())
	w.build()
	w.show(StepWelcome)
	w.Win.Resize(fyne.NewSize(860, 600))
	return w
}

// Show opens the window.
func (w *Wizard) Show() { w.Win.Show() }

func (w *Wizard) build() {
	w.Indicator = container.NewHBox()
	w.Problem = widget.NewLabel("")
	w.Problem.Wrapping = fyne.TextWrapWord
	w.Problem.Importance = widget.DangerImportance
	w.Back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() { w.show(w.Step - 1) })
	w.Next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), w.next)
	w.Next.IconPlacement = widget.ButtonIconTrailingText
	w.Next.Importance = widget.HighImportance
	w.pages = []fyne.CanvasObject{w.welcomePage(), w.addressPage(), w.serversPage(), w.rootPage(), w.chainPage(), w.idPage(), w.donePage()}
	w.body = container.NewStack()
	problem := container.NewBorder(nil, nil, widget.NewIcon(MarkInvalid.Icon()), nil, w.Problem)
	w.problemBox = problem
	bottom := container.NewVBox(problem, container.NewBorder(nil, nil, w.Back, w.Next))
	w.Win.SetContent(container.NewBorder(container.NewVBox(w.Indicator, widget.NewSeparator()), bottom, nil, nil,
		container.NewPadded(w.body)))
}

func heading(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func para(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (w *Wizard) welcomePage() fyne.CanvasObject {
	w.UseBundled = widget.NewButtonWithIcon("No files yet? Use the bundled offline network", theme.ComputerIcon(), func() {
		w.Servers.SetSelected(serversBundled)
		w.show(StepAddress)
	})
	if w.net == nil {
		w.UseBundled.Disable()
	}
	return container.NewVBox(
		heading("Welcome to SecureMail"),
		para("SecureMail sends and receives signed and encrypted mail over the TESTA network. This set-up takes a few minutes: "+
			"your address, your mail servers, then the three files your national contact point sent you:"),
		para("  •  Root_CA.cer — the authority you will trust to identify e-mail senders\n"+
			"  •  EC_CA.cer — the authority chain between it and you\n"+
			"  •  Mail.pfx — your own Digital ID, with its password (delivered separately)"),
		para("Afterwards every mail you send is signed and encrypted, and every mail you read says who really sent it."),
		w.UseBundled,
	)
}

func (w *Wizard) addressPage() fyne.CanvasObject {
	w.First, w.Surname = widget.NewEntry(), widget.NewEntry()
	w.First.SetPlaceHolder("Marie")
	w.Surname.SetPlaceHolder("Curie")
	var names []string
	for _, c := range testaaddr.Countries() {
		names = append(names, countryLabel(c))
	}
	w.Country = widget.NewSelect(names, func(string) { w.validate() })
	w.Country.PlaceHolder = "(choose your country)"
	w.AddressShown = widget.NewLabel("")
	w.AddressShown.TextStyle.Bold = true
	w.AddressShown.Wrapping = fyne.TextWrapWord
	w.First.OnChanged = func(string) { w.validate() }
	w.Surname.OnChanged = func(string) { w.validate() }
	w.Handout = widget.NewSelect(nil, w.pickHandout)
	w.Handout.PlaceHolder = "(pick a tester of the bundled network)"
	items := []fyne.CanvasObject{
		heading("Your address"),
		widget.NewForm(widget.NewFormItem("First name", w.First), widget.NewFormItem("Surname", w.Surname),
			widget.NewFormItem("Country", w.Country)),
		para("Your address will be:"), w.AddressShown,
	}
	if w.net != nil {
		items = append(items, widget.NewSeparator(), para("Or, on the bundled offline network, be one of its testers:"), w.Handout)
	}
	return container.NewVBox(items...)
}

func countryLabel(c testaaddr.Country) string { return c.Name + " (" + c.Code + ")" }

func (w *Wizard) countryCode() string {
	s := w.Country.Selected
	if i := strings.LastIndex(s, "("); i >= 0 {
		return strings.TrimSuffix(s[i+1:], ")")
	}
	return ""
}

// errIncomplete: the address step is not filled in yet.
var errIncomplete = errors.New("ui: type your first name and surname and choose your country")

// Address is the address being set up, or an error saying what to fix.
func (w *Wizard) Address() (string, error) {
	if strings.TrimSpace(w.First.Text) == "" || strings.TrimSpace(w.Surname.Text) == "" || w.countryCode() == "" {
		return "", errIncomplete
	}
	a, err := testaaddr.Make(strings.TrimSpace(w.First.Text), strings.TrimSpace(w.Surname.Text), w.countryCode())
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

func (w *Wizard) loadHandouts() {
	if w.net == nil || w.handouts != nil {
		return
	}
	hs, err := w.net.Handouts()
	if err != nil {
		w.problems[StepAddress] = errorSentence(err)
		return
	}
	w.handouts = hs
	var opts []string
	for _, h := range hs {
		opts = append(opts, h.Address)
	}
	w.Handout.SetOptions(opts)
}

// pickHandout fills the wizard from a bundled-network tester's handout.
func (w *Wizard) pickHandout(addr string) {
	for i := range w.handouts {
		if w.handouts[i].Address != addr {
			continue
		}
		h := w.handouts[i]
		w.handout = &h
		if a, err := testaaddr.Parse(addr); err == nil {
			w.First.SetText(a.FirstName)
			w.Surname.SetText(a.Surname)
			w.Country.SetSelected(countryLabel(a.Country))
		}
		w.Servers.SetSelected(serversBundled)
		if data, err := os.ReadFile(filepath.Join(h.Dir, "Root_CA.cer")); err == nil {
			w.LoadRoot(data)
		}
		if data, err := os.ReadFile(filepath.Join(h.Dir, "EC_CA.cer")); err == nil {
			w.LoadChain(data)
		}
		if pw, err := os.ReadFile(filepath.Join(h.Dir, "password.txt")); err == nil {
			w.IDPassword.SetText(strings.TrimSpace(string(pw)))
		}
		if data, err := os.ReadFile(filepath.Join(h.Dir, "Mail.pfx")); err == nil {
			w.LoadDigitalID(data)
		}
	}
	w.validate()
}

func (w *Wizard) serversPage() fyne.CanvasObject {
	w.POP3Host, w.POP3Port, w.SMTPHost, w.SMTPPort = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	w.POP3Port.SetText("110")
	w.SMTPPort.SetText("587")
	sec := []string{"starttls", "implicit", "none"}
	w.POP3Sec, w.SMTPSec = widget.NewSelect(sec, nil), widget.NewSelect(sec, nil)
	w.POP3Sec.SetSelected("starttls")
	w.SMTPSec.SetSelected("starttls")
	w.User, w.Password = widget.NewEntry(), widget.NewPasswordEntry()
	for _, e := range []*widget.Entry{w.POP3Host, w.POP3Port, w.SMTPHost, w.SMTPPort, w.User, w.Password} {
		e.OnChanged = func(string) { w.validate() }
	}
	w.TestResult = widget.NewLabel("")
	w.TestResult.Wrapping = fyne.TextWrapWord
	w.TestConn = widget.NewButton("Test connection", w.testConnection)
	w.ServerCAInfo = para(systemRootsText)
	w.OpenServerCA = widget.NewButtonWithIcon("Open the servers' CA file…", theme.FolderOpenIcon(), func() { w.openFile(w.LoadServerCA) })
	w.ClearServerCA = widget.NewButton("Use the system's authorities", w.clearServerCA)
	w.ClearServerCA.Disable()
	w.ownServers = container.NewVBox(widget.NewForm(
		widget.NewFormItem("POP3 (incoming)", container.NewBorder(nil, nil, nil, container.NewHBox(w.POP3Port, w.POP3Sec), w.POP3Host)),
		widget.NewFormItem("SMTP (outgoing)", container.NewBorder(nil, nil, nil, container.NewHBox(w.SMTPPort, w.SMTPSec), w.SMTPHost)),
		widget.NewFormItem("User name", w.User), widget.NewFormItem("Password", w.Password),
	), para("If your organisation's servers use certificates of a private authority, open its CA file (PEM or DER):"),
		container.NewHBox(w.OpenServerCA, w.ClearServerCA), w.ServerCAInfo, container.NewHBox(w.TestConn), w.TestResult)
	opts := []string{serversBundled, serversOwn}
	if w.net == nil {
		opts = opts[1:]
	}
	w.Servers = widget.NewRadioGroup(opts, func(s string) {
		if s == serversOwn {
			w.ownServers.Show()
		} else {
			w.ownServers.Hide()
		}
		w.validate()
	})
	w.Servers.SetSelected(opts[0])
	return container.NewVBox(heading("Mail servers"),
		para("The bundled offline network runs national mail servers and TESTA relays on this computer, so you can try everything without real servers."),
		w.Servers, w.ownServers)
}

func (w *Wizard) rootPage() fyne.CanvasObject {
	w.RootInfo = para("No file opened yet.")
	w.OpenRoot = widget.NewButtonWithIcon("Open Root_CA.cer…", theme.FolderOpenIcon(), func() { w.openFile(w.LoadRoot) })
	w.Trust = widget.NewCheck("Trust this authority to identify e-mail senders", func(bool) { w.validate() })
	return container.NewVBox(heading("Trusted authority"),
		para("Open the Root CA file (Root_CA.cer). Check its name and fingerprint with the ones your national contact point gave you, then trust it."),
		w.OpenRoot, w.RootInfo, w.Trust)
}

func (w *Wizard) chainPage() fyne.CanvasObject {
	w.ChainInfo = para("No file opened yet.")
	w.OpenChain = widget.NewButtonWithIcon("Open EC_CA.cer…", theme.FolderOpenIcon(), func() { w.openFile(w.LoadChain) })
	return container.NewVBox(heading("Authority chain"),
		para("Open the EC CA file (EC_CA.cer): the authority between the one you trust and your Digital ID."),
		w.OpenChain, w.ChainInfo)
}

func (w *Wizard) idPage() fyne.CanvasObject {
	w.IDInfo = para("No file opened yet.")
	w.IDPassword = widget.NewPasswordEntry()
	w.IDPassword.SetPlaceHolder("the password delivered separately")
	w.IDPassword.OnChanged = func(string) { w.checkID() }
	w.OpenID = widget.NewButtonWithIcon("Open Mail.pfx…", theme.FolderOpenIcon(), func() { w.openFile(w.LoadDigitalID) })
	return container.NewVBox(heading("Your Digital ID"),
		para("Open your Mail.pfx and type its password. It must be issued for your address, under the authority you trust."),
		w.OpenID, widget.NewForm(widget.NewFormItem("Password", w.IDPassword)), w.IDInfo)
}

func (w *Wizard) donePage() fyne.CanvasObject {
	w.SignAll = widget.NewCheck("Digitally sign all outgoing messages", nil)
	w.EncryptAll = widget.NewCheck("Encrypt contents and attachments for all outgoing messages", nil)
	w.SignAll.SetChecked(true)
	w.EncryptAll.SetChecked(true)
	w.Export = widget.NewButton("Export my Digital ID (.p7b)…", func() {
		data, err := w.core.ExportP7B()
		if err != nil {
			w.DoneMessage.SetText(errorSentence(err))
			return
		}
		saveBytes(w.Win, "my-digital-id.p7b", data, func(err error) {
			if err != nil {
				w.DoneMessage.SetText(errorSentence(err))
			} else {
				w.DoneMessage.SetText("Your Digital ID was exported: certificate and chain, never the private key.")
			}
		})
	})
	w.LinkTo = widget.NewEntry()
	w.LinkTo.SetPlaceHolder("Jan.Novak@tcn.cz.eu-admin.net, …")
	w.SendLinks = widget.NewButton("Send secure link requests", w.sendLinks)
	w.DoneMessage = para("")
	return container.NewVBox(heading("Done"),
		para("Your account is ready. These are the defaults; you can change them in Settings at any time."),
		w.SignAll, w.EncryptAll, widget.NewSeparator(), w.Export,
		para("Send secure link requests to the people you will write to, so that you exchange Digital IDs:"),
		container.NewBorder(nil, nil, nil, w.SendLinks, w.LinkTo), w.DoneMessage)
}

// show moves to a step (Back always works).
func (w *Wizard) show(step int) {
	if step < 0 || step >= len(w.pages) {
		return
	}
	if step == StepAddress {
		w.loadHandouts()
	}
	w.Step = step
	w.body.Objects = []fyne.CanvasObject{container.NewVScroll(w.pages[step])}
	w.body.Refresh()
	w.Indicator.RemoveAll()
	for i, n := range stepNames {
		l := widget.NewLabel(fmt.Sprintf("%d %s", i+1, n))
		if i == step {
			l.TextStyle.Bold = true
			l.Importance = widget.HighImportance
		} else if i > step {
			l.Importance = widget.LowImportance
		}
		w.Indicator.Add(l)
	}
	w.Indicator.Refresh()
	if step == StepWelcome {
		w.Back.Disable()
	} else {
		w.Back.Enable()
	}
	if step == StepDone {
		w.Next.SetText("Finish")
	} else {
		w.Next.SetText("Next")
	}
	w.validate()
}

// validate enables Next only when the current step is valid, and shows why not.
func (w *Wizard) validate() {
	if w.Next == nil || w.pages == nil {
		return
	}
	problem := w.stepProblem(w.Step)
	if w.Step == StepAddress {
		if a, err := w.Address(); err == nil {
			w.AddressShown.SetText(a)
		} else {
			w.AddressShown.SetText("")
		}
	}
	w.Problem.SetText(problem.shown)
	if problem.shown == "" {
		w.problemBox.Hide()
	} else {
		w.problemBox.Show()
	}
	if problem.blocked || w.settingUp {
		w.Next.Disable()
	} else {
		w.Next.Enable()
	}
}

// stepCheck is whether a step blocks Next, and the sentence to show (a
// refusal; empty while the user simply has not filled the step in yet).
type stepCheck struct {
	blocked bool
	shown   string
}

func (w *Wizard) stepProblem(step int) stepCheck {
	switch step {
	case StepAddress:
		if _, err := w.Address(); err != nil {
			shown := ""
			if w.First.Text != "" && w.Surname.Text != "" && w.countryCode() != "" {
				shown = errorSentence(err)
			}
			return stepCheck{true, shown}
		}
	case StepServers:
		if w.Servers.Selected == serversBundled {
			addr, _ := w.Address()
			if w.handout == nil || !testaaddr.Equal(w.handout.Address, addr) {
				w.handout = w.findHandout(addr)
			}
			if w.handout == nil {
				return stepCheck{true, fmt.Sprintf("The bundled network has no tester %s. Go Back and pick one of its testers, or choose your organisation's servers.", addr)}
			}
			return stepCheck{}
		}
		if w.problems[StepServers] != "" {
			return stepCheck{true, w.problems[StepServers]}
		}
		for _, e := range []*widget.Entry{w.POP3Host, w.SMTPHost, w.User, w.Password} {
			if strings.TrimSpace(e.Text) == "" {
				return stepCheck{true, ""}
			}
		}
		for _, e := range []*widget.Entry{w.POP3Port, w.SMTPPort} {
			if p, err := strconv.Atoi(strings.TrimSpace(e.Text)); err != nil || p < 1 || p > 65535 {
				return stepCheck{true, "A port is a number from 1 to 65535, for example 110 for POP3 and 587 for SMTP."}
			}
		}
	case StepRoot:
		if w.problems[StepRoot] != "" {
			return stepCheck{true, w.problems[StepRoot]}
		}
		if w.root == nil {
			return stepCheck{true, ""}
		}
		if !w.Trust.Checked {
			return stepCheck{true, "Tick \"Trust this authority to identify e-mail senders\" once you have checked its fingerprint; without it no signature can be shown as valid."}
		}
	case StepChain:
		if w.problems[StepChain] != "" {
			return stepCheck{true, w.problems[StepChain]}
		}
		if w.ec == nil {
			return stepCheck{true, ""}
		}
	case StepDigitalID:
		if w.problems[StepDigitalID] != "" {
			return stepCheck{true, w.problems[StepDigitalID]}
		}
		if w.pfx == nil {
			return stepCheck{true, ""}
		}
	}
	return stepCheck{}
}

func (w *Wizard) findHandout(addr string) *Handout {
	for i := range w.handouts {
		if testaaddr.Equal(w.handouts[i].Address, addr) {
			h := w.handouts[i]
			return &h
		}
	}
	return nil
}

// LoadRoot reads and describes a Root CA file.
func (w *Wizard) LoadRoot(data []byte) {
	w.root, w.rootData, w.problems[StepRoot] = nil, nil, ""
	a, err := digitalid.InspectAuthority(data)
	switch {
	case err != nil:
		w.problems[StepRoot] = errorSentence(err)
		w.RootInfo.SetText("")
	case !a.SelfSigned:
		w.problems[StepRoot] = fmt.Sprintf("This file is not a root authority: it was issued by %s. Open Root_CA.cer, the Root CA file of your handout.", displaytext.Line(a.Certificate.Issuer.CommonName))
		w.RootInfo.SetText(describeAuthority(a, w.now()))
	case w.now().After(a.NotAfter):
		w.problems[StepRoot] = fmt.Sprintf("This authority expired on %s, so nothing it issued can be trusted; ask for a current Root_CA.cer.", a.NotAfter.UTC().Format("2 January 2006"))
		w.RootInfo.SetText(describeAuthority(a, w.now()))
	default:
		w.root, w.rootData = a, data
		w.RootInfo.SetText(describeAuthority(a, w.now()))
	}
	if w.ec != nil {
		w.LoadChain(w.ecData)
	}
	w.validate()
}

// LoadChain reads an EC CA file; it must be issued by the trusted root.
func (w *Wizard) LoadChain(data []byte) {
	w.ec, w.ecData, w.problems[StepChain] = nil, data, ""
	a, err := digitalid.InspectAuthority(data)
	switch {
	case err != nil:
		w.problems[StepChain] = errorSentence(err)
		w.ChainInfo.SetText("")
	case w.root == nil:
		w.problems[StepChain] = "Open and trust the Root CA first (go Back one step)."
		w.ChainInfo.SetText(describeAuthority(a, w.now()))
	case a.Certificate.CheckSignatureFrom(w.root.Certificate) != nil:
		w.problems[StepChain] = fmt.Sprintf("This authority was not issued by the one you trust (%s) but by %s. Open the EC_CA.cer that came with your Root_CA.cer.",
			displaytext.Line(w.root.Name), displaytext.Line(a.Certificate.Issuer.CommonName))
		w.ChainInfo.SetText(describeAuthority(a, w.now()))
	default:
		w.ec = a
		w.ChainInfo.SetText(describeAuthority(a, w.now()) + "\nIssued by the authority you trust: yes.")
	}
	if w.pfxData != nil {
		w.checkID()
	}
	w.validate()
}

// LoadDigitalID reads a Mail.pfx; it is checked with the typed password.
func (w *Wizard) LoadDigitalID(data []byte) {
	w.pfxData = data
	w.checkID()
}

// checkID opens the Mail.pfx with the password and checks it against the
// address and the trusted chain.
func (w *Wizard) checkID() {
	w.pfx, w.problems[StepDigitalID] = nil, ""
	defer w.validate()
	if w.pfxData == nil {
		return
	}
	if w.IDPassword.Text == "" {
		w.IDInfo.SetText("Type the password of your Mail.pfx.")
		return
	}
	id, err := identity.ParsePFX(w.pfxData, w.IDPassword.Text)
	if err != nil {
		msg := errorSentence(err)
		if errors.Is(err, identity.ErrWrongPassword) {
			msg += " Type the password that was delivered separately from the file."
		}
		w.problems[StepDigitalID] = msg
		w.IDInfo.SetText("")
		return
	}
	c := id.Certificate
	addr, _ := w.Address()
	idAddr := identity.Address(c)
	days := int(math.Floor(c.NotAfter.Sub(w.now()).Hours() / 24))
	w.IDInfo.SetText(fmt.Sprintf("Name: %s\nAddress: %s\nIssued by: %s\nValid until: %s (%d days left)",
		displaytext.Line(c.Subject.CommonName), displaytext.Line(idAddr), displaytext.Line(c.Issuer.CommonName), c.NotAfter.UTC().Format("2 January 2006"), days))
	switch {
	case !testaaddr.Equal(idAddr, addr):
		w.problems[StepDigitalID] = fmt.Sprintf("This Digital ID is for %s, but your address is %s, so you could not sign or encrypt with it. Open the Mail.pfx issued for %s, or go Back and correct your address.",
			orText(idAddr, "no address"), addr, addr)
	case w.now().After(c.NotAfter):
		w.problems[StepDigitalID] = fmt.Sprintf("This Digital ID expired on %s; test Digital IDs live one month and cannot be renewed, so ask for a new Mail.pfx.", c.NotAfter.UTC().Format("2 January 2006"))
	case w.root == nil || w.ec == nil:
		w.problems[StepDigitalID] = "Open and trust the Root CA and the EC CA first (go Back)."
	default:
		roots, inter := x509.NewCertPool(), x509.NewCertPool()
		roots.AddCert(w.root.Certificate)
		inter.AddCert(w.ec.Certificate)
		if _, err := c.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: w.now(),
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err != nil {
			w.problems[StepDigitalID] = fmt.Sprintf("This Digital ID was not issued under the authority you trust (%s), so it could not identify you to others. Open the Mail.pfx of the same handout as the two authority files.", displaytext.Line(w.root.Name))
			return
		}
		w.pfx = id
	}
}

func describeAuthority(a *digitalid.Authority, now time.Time) string {
	state := "valid"
	if now.After(a.NotAfter) {
		state = "EXPIRED"
	}
	return fmt.Sprintf("Name: %s\nSHA-256 fingerprint: %s\nValid from %s until %s (%s)", displaytext.Line(a.Name), a.Fingerprint,
		a.NotBefore.UTC().Format("2 January 2006"), a.NotAfter.UTC().Format("2 January 2006"), state)
}

func (w *Wizard) openFile(load func([]byte)) {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(r)
		if err != nil {
			errDialog(err, w.Win)
			return
		}
		load(data)
	}, w.Win)
}

// testTimeout bounds the whole Test connection.
const testTimeout = 45 * time.Second

// testConnection runs the diag checks off the UI goroutine, one line per
// step; while they run the button cancels them.
func (w *Wizard) testConnection() {
	if w.testCancel != nil {
		w.testCancel()
		return
	}
	s, err := w.setup()
	if err != nil {
		w.TestResult.SetText(errorSentence(err))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	w.testRun++
	run := w.testRun
	w.testCancel = cancel
	w.TestConn.SetText("Cancel")
	var lines []string
	w.TestResult.SetText("Testing…")
	go func() {
		defer cancel()
		err := w.core.TestConnection(ctx, s, func(st ConnStep) {
			w.do(func() {
				if run != w.testRun {
					return
				}
				lines = append(lines, connLine(st))
				w.TestResult.SetText(strings.Join(lines, "\n") + "\nTesting…")
			})
		})
		w.do(func() {
			if run != w.testRun {
				return
			}
			w.testCancel = nil
			w.TestConn.SetText("Test connection")
			switch {
			case errors.Is(ctx.Err(), context.Canceled):
				lines = append(lines, "Test cancelled.")
			case errors.Is(ctx.Err(), context.DeadlineExceeded):
				lines = append(lines, fmt.Sprintf("The servers did not finish the checks within %d seconds; check the host names and ports, then try again.", int(testTimeout.Seconds())))
			case err != nil && len(lines) == 0:
				lines = append(lines, errorSentence(err))
			case err != nil:
				lines = append(lines, "A check failed: see the step marked ✗.")
			default:
				lines = append(lines, "All checks passed: SecureMail can fetch and send your mail.")
			}
			w.TestResult.SetText(strings.Join(lines, "\n"))
		})
	}()
}

// connLine is one step of Test connection as shown.
func connLine(st ConnStep) string {
	if st.Err == nil {
		return "✓ " + st.Server + " " + st.Step
	}
	return "✗ " + st.Server + " " + st.Step + ": " + errorSentence(st.Err)
}

// LoadServerCA reads the private CA (PEM or DER) that issued the mail
// servers' certificates; Test connection and the account verify against it.
func (w *Wizard) LoadServerCA(data []byte) {
	w.serverCA, w.problems[StepServers] = nil, ""
	certs, err := identity.ParseCertificates(data)
	if err != nil {
		w.problems[StepServers] = "This file holds no CA certificate (" + strings.TrimSuffix(errorSentence(err), ".") +
			"). Open the PEM or DER file of the authority that issued your mail servers' certificates, or use the system's authorities."
		w.ServerCAInfo.SetText("")
	} else {
		w.serverCA = data
		var names []string
		for _, c := range certs {
			names = append(names, fmt.Sprintf("%s (valid until %s)", displaytext.Line(orText(c.Subject.CommonName, c.Subject.String())), c.NotAfter.UTC().Format("2 January 2006")))
		}
		w.ServerCAInfo.SetText("The servers' certificates are verified against: " + strings.Join(names, ", "))
		w.ClearServerCA.Enable()
	}
	w.validate()
}

// clearServerCA goes back to the system's authorities.
func (w *Wizard) clearServerCA() {
	w.serverCA, w.problems[StepServers] = nil, ""
	w.ServerCAInfo.SetText(systemRootsText)
	w.ClearServerCA.Disable()
	w.validate()
}

const systemRootsText = "The servers' certificates are verified against the system's authorities."

// setup collects everything for app.SetupAccount.
func (w *Wizard) setup() (app.Setup, error) {
	addr, err := w.Address()
	if err != nil {
		return app.Setup{}, err
	}
	name := strings.TrimSpace(w.First.Text) + " " + strings.TrimSpace(w.Surname.Text)
	hp := func(h, p string) string { return net.JoinHostPort(strings.TrimSpace(h), strings.TrimSpace(p)) }
	return app.Setup{
		Address: addr, DisplayName: name,
		POP3:         profile.Server{Address: hp(w.POP3Host.Text, w.POP3Port.Text), TLS: w.POP3Sec.Selected, Username: strings.TrimSpace(w.User.Text)},
		SMTP:         profile.Server{Address: hp(w.SMTPHost.Text, w.SMTPPort.Text), TLS: w.SMTPSec.Selected, Username: strings.TrimSpace(w.User.Text)},
		POP3Password: w.Password.Text,
		RootCA:       w.rootData, ECCA: w.ecData, PFX: w.pfxData, PFXPassword: w.IDPassword.Text,
		TrustRoot: w.Trust.Checked, ServerCA: w.serverCA,
	}, nil
}

func (w *Wizard) next() {
	if w.stepProblem(w.Step).blocked {
		return
	}
	switch w.Step {
	case StepDigitalID:
		w.runSetup()
	case StepDone:
		w.finish()
	default:
		w.show(w.Step + 1)
	}
}

// runSetup stores the account off the UI goroutine; a refusal stays on the step.
func (w *Wizard) runSetup() {
	if w.setupDone {
		w.show(StepDone)
		return
	}
	s, err := w.setup()
	if err != nil {
		w.problems[StepDigitalID] = errorSentence(err)
		w.validate()
		return
	}
	w.settingUp = true
	w.Next.Disable()
	w.IDInfo.SetText(w.IDInfo.Text + "\n\nSetting up your account…")
	bundled, handout := w.Servers.Selected == serversBundled, w.handout
	go func() {
		var err error
		if bundled && handout != nil {
			err = w.core.SetupFromHandout(context.Background(), handout.Dir, s.TrustRoot)
		} else {
			err = w.core.SetupAccount(context.Background(), s)
		}
		w.do(func() {
			w.settingUp = false
			if err != nil {
				w.problems[StepDigitalID] = errorSentence(err)
				w.validate()
				return
			}
			w.setupDone = true
			w.show(StepDone)
		})
	}()
}

func (w *Wizard) sendLinks() {
	var addrs []string
	for _, p := range strings.Split(w.LinkTo.Text, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, err := testaaddr.Parse(p); err != nil {
			w.DoneMessage.SetText(p + ": " + errorSentence(err))
			return
		}
		addrs = append(addrs, p)
	}
	if len(addrs) == 0 {
		w.DoneMessage.SetText("Type the addresses to send requests to, separated by commas.")
		return
	}
	w.SendLinks.Disable()
	go func() {
		err := w.core.RequestSecureLink(context.Background(), addrs)
		w.do(func() {
			w.SendLinks.Enable()
			if err != nil {
				w.DoneMessage.SetText(errorSentence(err))
				return
			}
			w.DoneMessage.SetText("Secure link requests were sent to " + strings.Join(addrs, ", ") + ".")
		})
	}()
}

func (w *Wizard) finish() {
	s, err := w.core.Settings()
	if err != nil {
		w.Problem.SetText(errorSentence(err))
		w.problemBox.Show()
		return
	}
	s.Security.SignAll, s.Security.EncryptAll = w.SignAll.Checked, w.EncryptAll.Checked
	if err := w.core.SaveSettings(s); err != nil {
		w.Problem.SetText(errorSentence(err))
		w.problemBox.Show()
		return
	}
	if w.OnDone != nil {
		w.OnDone()
	}
}
