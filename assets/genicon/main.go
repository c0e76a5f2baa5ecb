// Command genicon rasterises assets/Icon.svg into assets/Icon.png, the
// application icon `fyne package` embeds: go run ./assets/genicon.
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"

	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
)

func main() {
	if err := run("assets/Icon.svg", "assets/Icon.png", 512); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func run(in, out string, size int) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("genicon: %w", err)
	}
	icon, err := oksvg.ReadIconStream(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("genicon: %w", err)
	}
	icon.SetTarget(0, 0, float64(size), float64(size))
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	scanner := rasterx.NewScannerGV(size, size, img, img.Bounds())
	icon.Draw(rasterx.NewDasher(size, size, scanner), 1)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fmt.Errorf("genicon: %w", err)
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
