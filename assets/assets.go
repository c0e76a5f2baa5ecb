// Package assets holds SecureMail's icons: the application icon and the
// security marks of docs/UX.md §1 — a closed lock (encrypted), a seal
// with a check (signed, valid), a red X (signature problem), an amber warning
// sign (signed but unverifiable), a key and a struck key (a recipient's
// Digital ID known or not) and a green V (address book). Each mark has its
// own shape as well as its colour, so no state is told by colour alone.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

var (
	//go:embed Icon.png
	iconPNG []byte
	//go:embed lock.svg
	lockSVG []byte
	//go:embed seal-check.svg
	sealSVG []byte
	//go:embed x-red.svg
	xSVG []byte
	//go:embed warning.svg
	warningSVG []byte
	//go:embed key.svg
	keySVG []byte
	//go:embed key-struck.svg
	keyStruckSVG []byte
	//go:embed check-v.svg
	checkSVG []byte
)

// AppIcon is the application icon (512×512 PNG).
func AppIcon() fyne.Resource { return fyne.NewStaticResource("Icon.png", iconPNG) }

// Lock is the closed lock of an encrypted message.
func Lock() fyne.Resource { return fyne.NewStaticResource("lock.svg", lockSVG) }

// SealCheck is the seal with a check of a valid signature.
func SealCheck() fyne.Resource { return fyne.NewStaticResource("seal-check.svg", sealSVG) }

// RedX is the red X of a signature problem or an unusable Digital ID.
func RedX() fyne.Resource { return fyne.NewStaticResource("x-red.svg", xSVG) }

// Warning is the amber warning sign of a signature that cannot be verified.
func Warning() fyne.Resource { return fyne.NewStaticResource("warning.svg", warningSVG) }

// Key marks a recipient whose valid Digital ID is known.
func Key() fyne.Resource { return fyne.NewStaticResource("key.svg", keySVG) }

// StruckKey marks a recipient without a usable Digital ID.
func StruckKey() fyne.Resource { return fyne.NewStaticResource("key-struck.svg", keyStruckSVG) }

// CheckV is the green V of a contact whose Digital ID is valid.
func CheckV() fyne.Resource { return fyne.NewStaticResource("check-v.svg", checkSVG) }
