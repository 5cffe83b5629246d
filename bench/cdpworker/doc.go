// Package cdpworker finds miplay's engine worker (the dedicated Web Worker
// that runs web/engine.js) in a browser driven by chromedp, and attaches to
// it as a target of its own: scripts added to a page's documents do not
// reach its workers. The end-to-end tests evaluate in it, and make bench
// reads its start-up marks and memory there.
package cdpworker
