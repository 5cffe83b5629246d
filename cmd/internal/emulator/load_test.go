package emulator

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miplay/miplay/engine"
)

// TestConcurrentRequests hammers both modes from 32 goroutines: tokens
// cached and fresh, refusals, discovery and keys. Run it with -race. Every
// request must get its own right answer and exactly one log line.
func TestConcurrentRequests(t *testing.T) {
	app := start(t, appWeb, nil)
	vm := start(t, vmSys, nil)
	u, _ := url.Parse(vm.base)
	proxy := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(u), MaxIdleConnsPerHost: 32}}
	direct := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	orders := app.identities(t).users["id-orders"].ClientID

	type call struct {
		c       *http.Client
		url     string
		headers []string
		status  int
		body    string
	}
	calls := func(g, i int) []call {
		fresh := fmt.Sprintf("https://race%dx%d.blob.core.windows.net", g, i)
		return []call{
			{direct, app.env["IDENTITY_ENDPOINT"] + "?api-version=2019-08-01&resource=https://vault.azure.net", []string{"X-IDENTITY-HEADER", app.env["IDENTITY_HEADER"]}, 200, `"resource":"https://vault.azure.net"`},
			{direct, app.env["IDENTITY_ENDPOINT"] + "?api-version=2019-08-01&client_id=" + orders + "&resource=" + url.QueryEscape(fresh), []string{"X-IDENTITY-HEADER", app.env["IDENTITY_HEADER"]}, 200, `"client_id":"` + orders + `"`},
			{direct, app.env["IDENTITY_ENDPOINT"] + "?api-version=2019-08-01&resource=https://vault.azure.net", []string{"X-IDENTITY-HEADER", "wrong"}, 401, "X-IDENTITY-HEADER"},
			{direct, app.env["MIPLAY_JWKS_URI"], nil, 200, `"kty":"RSA"`},
			{proxy, "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/", []string{"Metadata", "true"}, 200, `"token_type":"Bearer"`},
			{proxy, "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" + url.QueryEscape(fresh), []string{"Metadata", "true"}, 200, `"resource":"` + fresh + `"`},
			{direct, vm.env["MIPLAY_OPENID_CONFIGURATION"], nil, 200, `"jwks_uri":"` + vm.base},
			{direct, vm.base + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net", nil, 400, "Required metadata header not specified"},
		}
	}
	const goroutines, rounds = 32, 8
	var wg sync.WaitGroup
	var sent atomic.Int64
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				for _, c := range calls(g, i) {
					req, _ := http.NewRequest(http.MethodGet, c.url, nil)
					for k := 0; k+1 < len(c.headers); k += 2 {
						req.Header.Set(c.headers[k], c.headers[k+1])
					}
					resp, err := c.c.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					sent.Add(1)
					if resp.StatusCode != c.status || !strings.Contains(string(body), c.body) {
						t.Errorf("%s: %d %.200s; want %d and %q", c.url, resp.StatusCode, body, c.status, c.body)
					}
				}
			}
		}()
	}
	wg.Wait()
	lines := strings.Count(app.log.String(), "\n") + strings.Count(vm.log.String(), "\n")
	if int64(lines) != sent.Load() {
		t.Errorf("%d log lines for %d requests", lines, sent.Load())
	}
	// Each fresh resource got exactly one token, however the requests
	// interleaved.
	app.Cloud().Do(func(w *engine.World) {
		n := 0
		for _, tok := range w.Tokens() {
			if strings.HasPrefix(tok.Audience, "https://race") {
				n++
			}
		}
		if n != goroutines*rounds {
			t.Errorf("%d fresh tokens on app-web, want %d", n, goroutines*rounds)
		}
	})
}

// BenchmarkEmulatorTokens measures App Service token requests over real
// loopback HTTP with keep-alive: cached (the same identity and resource,
// answered from the token service's cache) and fresh (a new resource each
// time, so Entra ID signs a new token), from 1 and 16 concurrent clients.
// It reports requests per second and the 99th percentile latency.
func BenchmarkEmulatorTokens(b *testing.B) {
	for _, kind := range []string{"cached", "fresh"} {
		for _, clients := range []int{1, 16} {
			b.Run(fmt.Sprintf("%s/clients=%d", kind, clients), func(b *testing.B) {
				r := start(b, appWeb, func(c *Config) { c.Log = io.Discard })
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
				endpoint := r.env["IDENTITY_ENDPOINT"] + "?api-version=2019-08-01&resource="
				header := r.env["IDENTITY_HEADER"]
				var next atomic.Int64
				latencies := make([][]time.Duration, clients)
				var wg sync.WaitGroup
				b.ResetTimer()
				begin := time.Now()
				for c := range clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							i := next.Add(1)
							if i > int64(b.N) {
								return
							}
							resource := "https://vault.azure.net"
							if kind == "fresh" {
								resource = fmt.Sprintf("https://bench%d.blob.core.windows.net", i)
							}
							req, _ := http.NewRequest(http.MethodGet, endpoint+url.QueryEscape(resource), nil)
							req.Header.Set("X-IDENTITY-HEADER", header)
							t0 := time.Now()
							resp, err := client.Do(req)
							if err != nil {
								b.Error(err)
								return
							}
							io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							latencies[c] = append(latencies[c], time.Since(t0))
							if resp.StatusCode != http.StatusOK {
								b.Errorf("status %d", resp.StatusCode)
								return
							}
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(begin)
				b.StopTimer()
				all := slices.Concat(latencies...)
				slices.Sort(all)
				if len(all) > 0 {
					b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
					b.ReportMetric(float64(all[(len(all)*99)/100].Microseconds())/1000, "p99-ms")
				}
			})
		}
	}
}
