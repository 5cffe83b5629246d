// Command benchrun is `make bench`: it measures what miplay's users feel
// and prints a table in which every figure stands beside a baseline built
// and measured in the same run. The machines are noisy: ratios hold,
// absolute times drift.
//
//   - the wasm's size, raw, gzip and brotli, against a go-app "hello"
//     page (bench/hello) built with the same flags;
//   - time to interactive in headless Chromium, cold and warm, against
//     the hello page;
//   - a 100-command scenario replayed natively and in the browser, and the
//     scenario library under go test;
//   - the emulator's token endpoint on loopback at 1 and 16 clients;
//   - the browser's memory after a 500-command sandbox session.
//
// It writes the table into bench/README.md between the markers, beside the
// method. Run it from the repository root:
//
//	go run ./cmd/internal/benchrun [-runs 5] [-only size,tti,...] [-readme bench/README.md]
package main
