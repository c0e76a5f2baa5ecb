package profile

import (
	"encoding/json"
	"fmt"
	"os"

	"securemail/internal/durable"
)

// layoutFile holds the window layout beside settings.json.
const layoutFile = "layout.json"

// Layout is the main window's remembered size and split positions; zero
// values mean "not remembered yet".
type Layout struct {
	Width        float64 `json:"width,omitempty"`
	Height       float64 `json:"height,omitempty"`
	SplitFolders float64 `json:"split_folders,omitempty"`
	SplitReader  float64 `json:"split_reader,omitempty"`
	// Sort is the message list's order: "date" (newest first), "oldest",
	// "from" or "subject"; FromWidth and DateWidth its resizable columns.
	Sort      string  `json:"sort,omitempty"`
	FromWidth float64 `json:"from_width,omitempty"`
	DateWidth float64 `json:"date_width,omitempty"`
	// LastFolder is the folder a file was last opened from; file dialogs
	// open there.
	LastFolder string `json:"last_folder,omitempty"`
}

// LoadLayout reads the window layout of this profile; a missing or damaged
// file gives the zero Layout (the defaults), since nothing depends on it.
func (p *Profile) LoadLayout() Layout {
	var l Layout
	b, err := os.ReadFile(p.Path(layoutFile))
	if err != nil || json.Unmarshal(b, &l) != nil {
		return Layout{}
	}
	return l
}

// SaveLayout writes the window layout of this profile atomically.
func (p *Profile) SaveLayout(l Layout) error {
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if err := durable.WriteFile(p.Path(layoutFile), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("profile: cannot save the window layout: %w", err)
	}
	return nil
}
