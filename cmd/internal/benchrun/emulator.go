package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miplay/miplay/cmd/internal/emulator"
	"github.com/miplay/miplay/scenarios"
)

// The emulator's load: requests per figure, all on loopback.
const (
	cachedRequests = 4000 // the same token again: served from the world's IMDS cache
	freshRequests  = 400  // a new resource each time: a token signed with RSA-2048
)

// hostsScenario is the emulator tests' world: web app app-web has a
// system-assigned identity.
const hostsScenario = "cmd/internal/emulator/testdata/hosts.md"

// measureEmulator serves the App Service identity endpoint of app-web on a
// loopback listener and sends it token requests from 1 and 16 concurrent
// clients; the baseline is a handler that answers every request with a
// fixed body of the same size, behind the same listener and clients.
func measureEmulator(ctx context.Context, t *table) error {
	src, err := os.ReadFile(hostsScenario)
	if err != nil {
		return err
	}
	s, err := scenarios.Parse(hostsScenario, src)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	e, err := emulator.New(emulator.Config{Scenario: s, As: "app-web", Addr: ln.Addr().String()})
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: e.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	env := map[string]string{}
	for _, kv := range e.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	endpoint, header := env["IDENTITY_ENDPOINT"], env["IDENTITY_HEADER"]
	var fresh atomic.Int64
	cached := func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, endpoint+"?api-version=2019-08-01&resource="+url.QueryEscape("https://vault.azure.net"), nil)
		req.Header.Set("X-IDENTITY-HEADER", header)
		return req
	}
	freshReq := func() *http.Request {
		res := fmt.Sprintf("https://bench%d.blob.core.windows.net", fresh.Add(1))
		req, _ := http.NewRequest(http.MethodGet, endpoint+"?api-version=2019-08-01&resource="+url.QueryEscape(res), nil)
		req.Header.Set("X-IDENTITY-HEADER", header)
		return req
	}

	// The baseline answers with a body as long as a token response.
	sample, err := send(http.DefaultClient, cached())
	if err != nil {
		return err
	}
	bln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	body := []byte(sample)
	base := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}), ReadHeaderTimeout: 10 * time.Second}
	go base.Serve(bln)
	defer base.Close()
	baseReq := func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, "http://"+bln.Addr().String()+"/msi/token?api-version=2019-08-01", nil)
		req.Header.Set("X-IDENTITY-HEADER", header)
		return req
	}

	const sec = "Emulator: App Service token endpoint on loopback"
	for _, clients := range []int{1, 16} {
		bl, err := hammer(ctx, clients, cachedRequests, baseReq)
		if err != nil {
			return err
		}
		c, err := hammer(ctx, clients, cachedRequests, cached)
		if err != nil {
			return err
		}
		f, err := hammer(ctx, clients, freshRequests, freshReq)
		if err != nil {
			return err
		}
		bname := "fixed body"
		t.add(sec, row{Figure: fmt.Sprintf("cached token, %d client(s): requests/s", clients), Ours: c.rate, Base: bl.rate, BaseName: bname, Unit: unitPerSecond})
		t.add(sec, row{Figure: fmt.Sprintf("cached token, %d client(s): p99 latency", clients), Ours: c.p99, Base: bl.p99, BaseName: bname, Unit: unitMS})
		t.add(sec, row{Figure: fmt.Sprintf("fresh token (RS256 signature), %d client(s): tokens/s", clients), Ours: f.rate, Base: bl.rate, BaseName: bname, Unit: unitPerSecond})
		t.add(sec, row{Figure: fmt.Sprintf("fresh token, %d client(s): p99 latency", clients), Ours: f.p99, Base: bl.p99, BaseName: bname, Unit: unitMS})
	}
	return nil
}

type load struct {
	rate float64 // requests per second
	p99  float64 // milliseconds
}

// hammer sends n requests from clients goroutines, each with its own
// keep-alive connection, and returns the rate and the 99th percentile of
// the latencies. Every answer must be 200.
func hammer(ctx context.Context, clients, n int, newReq func() *http.Request) (load, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	// Warm up: one connection per client.
	for range clients {
		if _, err := send(c, newReq()); err != nil {
			return load{}, err
		}
	}
	lat := make([]float64, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	t0 := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				s := time.Now()
				_, err := send(c, newReq())
				lat[i] = ms(time.Since(s))
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	wall := time.Since(t0)
	if firstErr != nil {
		return load{}, firstErr
	}
	if err := ctx.Err(); err != nil {
		return load{}, err
	}
	return load{rate: float64(n) / wall.Seconds(), p99: percentile(lat, 99)}, nil
}

func send(c *http.Client, req *http.Request) (string, error) {
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: %s: %.200s", req.URL, resp.Status, b)
	}
	return string(b), nil
}
