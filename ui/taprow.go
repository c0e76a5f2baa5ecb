package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// tapRow is a list row that opens on double-click.
type tapRow struct {
	widget.BaseWidget
	content  fyne.CanvasObject
	onDouble func()
}

// CreateRenderer draws the row's content.
func (r *tapRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// DoubleTapped opens the row.
func (r *tapRow) DoubleTapped(*fyne.PointEvent) {
	if r.onDouble != nil {
		r.onDouble()
	}
}
