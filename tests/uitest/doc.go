// Package uitest measures the real window (docs/BENCHMARKS.md "Window"): a
// profile whose Inbox holds 50,000 messages, the built binary under Xvfb,
// the time to the window and to a populated list, and the row callbacks
// while scrolling with the wheel and dragging the scroll bar to the end.
// It runs only with SECUREMAIL_BENCH_WINDOW=1; SECUREMAIL_BENCH_DIR keeps the
// profile between runs and SECUREMAIL_BENCH_OUT receives the figures.
package uitest
