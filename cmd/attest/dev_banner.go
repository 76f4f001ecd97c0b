package main

import (
	"io"
	"sync"
	"time"
)

// bannerAgain wraps the dev log's writer: once armed (when attest is ready),
// the first log line starts a watch, and when the log has then been quiet
// for quiet, again is called once, so the banner follows the startup noise
// instead of scrolling away under it.
type bannerAgain struct {
	w     io.Writer
	quiet time.Duration
	again func()

	mu    sync.Mutex
	armed bool
	timer *time.Timer
}

// arm starts watching the log; lines written before it do not count.
func (b *bannerAgain) arm() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.armed = true
}

// stop cancels a pending banner.
func (b *bannerAgain) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.armed = false
	if b.timer != nil {
		b.timer.Stop()
	}
}

// Write passes p on and restarts the quiet period.
func (b *bannerAgain) Write(p []byte) (int, error) {
	b.mu.Lock()
	if b.armed {
		if b.timer == nil {
			b.timer = time.AfterFunc(b.quiet, b.fire)
		} else {
			b.timer.Reset(b.quiet)
		}
	}
	b.mu.Unlock()
	return b.w.Write(p)
}

func (b *bannerAgain) fire() {
	b.mu.Lock()
	armed := b.armed
	b.armed = false
	b.mu.Unlock()
	if armed {
		b.again()
	}
}
