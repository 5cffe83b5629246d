package app

// URLGuardScript goes in the page head, before go-app's scripts. go-app
// parses location.href with Go's url.Parse, which rejects a "%" that does
// not start an escape ("#s=%%%", "/play/50%"), and go-app then stops the
// whole app on a nil URL. A shared link is untrusted input, so the script
// rewrites such a "%" as "%25" in the address bar, when the page loads and
// before go-app sees a history or fragment change.
const URLGuardScript = `<script>(function(){function g(){var h=location.href,f=h.replace(/%(?![0-9A-Fa-f]{2})/g,"%25");if(f!==h)try{history.replaceState(history.state,"",f)}catch(e){}}g();addEventListener("popstate",g);addEventListener("hashchange",g)})()</script>`
