//go:build !wasm

package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startServer runs serveWithGrace on a loopback port and returns its
// address, a stop function and the channel its result comes on.
func startServer(t *testing.T, h http.Handler, grace time.Duration, stderr io.Writer) (addr string, stop context.CancelFunc, done <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- serveWithGrace(ctx, &env{Stdout: io.Discard, Stderr: stderr}, ln, h, grace) }()
	t.Cleanup(cancel)
	return ln.Addr().String(), cancel, errc
}

// A browser's connection opened ahead of need, which never sends a request,
// does not keep a stopping server past its grace, nor make it fail.
func TestServeStopsDespiteASilentConnection(t *testing.T) {
	var stderr strings.Builder
	addr, stop, done := startServer(t, http.NotFoundHandler(), 300*time.Millisecond, &stderr)
	silent, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	time.Sleep(50 * time.Millisecond) // the server accepts it
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v, want nil", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("serve did not stop within 3s with a grace of 300ms")
	}
	if !strings.Contains(stderr.String(), "connections still open after 300ms; closing them") {
		t.Errorf("serve's log does not say it closed connections:\n%s", stderr.String())
	}
	// The connection is closed: a read ends.
	silent.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := silent.Read(make([]byte, 1)); err == nil {
		t.Error("the silent connection is still open")
	}
}

// A request under way when the server stops gets its whole answer.
func TestServeFinishesRequestsInFlight(t *testing.T) {
	started := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(200 * time.Millisecond)
		io.WriteString(w, "finished")
	})
	var stderr strings.Builder
	addr, stop, done := startServer(t, h, 5*time.Second, &stderr)
	body := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/")
		if err != nil {
			body <- err.Error()
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		body <- string(b)
	}()
	<-started
	stop()
	if got := <-body; got != "finished" {
		t.Errorf("the request in flight got %q, want %q", got, "finished")
	}
	if err := <-done; err != nil {
		t.Errorf("serve returned %v, want nil", err)
	}
	if strings.Contains(stderr.String(), "closing them") {
		t.Errorf("serve closed connections it had time to finish:\n%s", stderr.String())
	}
}
