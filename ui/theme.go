package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"securemail/assets"
)

func appIcon() fyne.Resource { return assets.AppIcon() }

// lightTheme is Fyne's default theme, always in its light variant: the
// security colours (green, red, amber tints) are chosen for a light page.
type lightTheme struct{ fyne.Theme }

// Color answers with the light variant whatever the desktop prefers.
func (t lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
