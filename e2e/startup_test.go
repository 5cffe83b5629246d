package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	miapp "github.com/miplay/miplay/app"
)

// watchPlayersJS runs before the page's scripts and keeps, in
// window.__players, every element with the class "player" that enters the
// page or leaves it: the server's, then each one the wasm mounts. (An
// element mounted and replaced within one task shows only among the
// removed nodes.)
const watchPlayersJS = `(() => {
  const seen = window.__players = [];
  new MutationObserver((records) => {
    for (const r of records) for (const n of [...r.removedNodes, ...r.addedNodes]) {
      if (n.nodeType !== 1) continue;
      for (const p of [n, ...n.querySelectorAll(".player")]) {
        if (p.matches(".player") && !seen.includes(p)) seen.push(p);
      }
    }
  }).observe(document, {childList: true, subtree: true});
})();`

// In the browser the player mounts once, already showing its scenario: the
// element that becomes ready is the first one the wasm puts in the page,
// not a "loading" placeholder replaced once the scenario is found.
func TestPlayerMountsOnce(t *testing.T) {
	ctx := newBrowser(t)
	url := serve(t, built(t))
	s := library(t)[0]
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchPlayersJS}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "loading the player", chromedp.Navigate(url+"/play/"+miapp.Slug(s)))
	waitPlayer(t, ctx, 0)
	if n := eval[int](t, ctx, `window.__players.length`); n != 2 {
		t.Errorf("%d player elements came and went, want 2 (the server's, then the wasm's): %s",
			n, eval[string](t, ctx, `window.__players.map(p => p.className + "[" + (p.dataset.state || "") + "]").join(", ")`))
	}
	if !eval[bool](t, ctx, `window.__players.length > 1 && window.__players[1] === document.querySelector(".player") && window.__players[1].isConnected`) {
		t.Error("the ready player is not the element the wasm mounted first")
	}
	if got := text(t, ctx, ".player h1"); got != s.FrontMatter.Title {
		t.Errorf("h1 = %q, want %q", got, s.FrontMatter.Title)
	}
}
