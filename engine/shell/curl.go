package shell

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/azure"
)

// curlVersion is the curl miplay stands in for: Ubuntu 24.04's, as on
// Azure's Linux images.
const curlVersion = "8.5.0"

// curlDefaultConnectWait is how long a connection to an address that never
// answers takes to fail without --max-time: Linux gives up after its SYN
// retries, 1+2+4+...+64 = 127 seconds.
const curlDefaultConnectWait = 127 * time.Second

// A curlOpt is one of curl's options. kind says what it does; options
// curl has that miplay does not model have kind "unsupported".
type curlOpt struct {
	long, short string
	arg         string // "" for a switch
	kind        string
	summary     string
}

var curlOpts = []curlOpt{
	{long: "--silent", short: "-s", kind: "silent", summary: "no error messages (and no progress meter, which miplay never shows)"},
	{long: "--show-error", short: "-S", kind: "show-error", summary: "with -s, still show error messages"},
	{long: "--include", short: "-i", kind: "include", summary: "print the response's status line and headers before its body"},
	{long: "--head", short: "-I", kind: "head", summary: "send HEAD and print the response headers"},
	{long: "--fail", short: "-f", kind: "fail", summary: "exit 22 without printing the body when the status is 400 or more"},
	{long: "--fail-with-body", kind: "fail-with-body", summary: "like --fail, but print the body"},
	{long: "--request", short: "-X", arg: "METHOD", kind: "request", summary: "the request method"},
	{long: "--header", short: "-H", arg: "HEADER", kind: "header", summary: "add a header (\"Name: value\"; \"Name:\" removes one, \"Name;\" sends it empty)"},
	{long: "--data", short: "-d", arg: "DATA", kind: "data", summary: "send DATA in a POST body as a form; @FILE reads a file, without its newlines"},
	{long: "--data-ascii", arg: "DATA", kind: "data", summary: "the same as --data"},
	{long: "--data-raw", arg: "DATA", kind: "data-raw", summary: "like --data, with no special meaning for @"},
	{long: "--data-binary", arg: "DATA", kind: "data-binary", summary: "like --data; @FILE is sent as it is"},
	{long: "--data-urlencode", arg: "DATA", kind: "data-urlencode", summary: "URL-encode DATA (content, name=content, =content, @file, name@file)"},
	{long: "--json", arg: "DATA", kind: "json", summary: "send DATA as JSON: POST with Content-Type and Accept application/json"},
	{long: "--get", short: "-G", kind: "get", summary: "put the --data in the URL's query and send GET"},
	{long: "--output", short: "-o", arg: "FILE", kind: "output", summary: "write the body to FILE in the host's file system"},
	{long: "--dump-header", short: "-D", arg: "FILE", kind: "dump-header", summary: "write the response headers to FILE (- for standard output)"},
	{long: "--write-out", short: "-w", arg: "FORMAT", kind: "write-out", summary: "print FORMAT after the transfer: %{http_code}, %{content_type}, %{time_total}, %{header_json}, %header{name}, ..."},
	{long: "--max-time", short: "-m", arg: "SECONDS", kind: "max-time", summary: "give up after SECONDS; the simulated clock moves by what curl waits"},
	{long: "--connect-timeout", arg: "SECONDS", kind: "connect-timeout", summary: "give up connecting after SECONDS"},
	{long: "--verbose", short: "-v", kind: "verbose", summary: "show the request and response headers on stderr"},
	{long: "--user", short: "-u", arg: "USER:PASSWORD", kind: "user", summary: "HTTP basic authentication"},
	{long: "--oauth2-bearer", arg: "TOKEN", kind: "bearer", summary: "send \"Authorization: Bearer TOKEN\""},
	{long: "--user-agent", short: "-A", arg: "NAME", kind: "user-agent", summary: "the User-Agent header"},
	{long: "--referer", short: "-e", arg: "URL", kind: "referer", summary: "the Referer header"},
	{long: "--url", arg: "URL", kind: "url", summary: "a URL to fetch"},
	{long: "--globoff", short: "-g", kind: "globoff", summary: "treat [] and {} in URLs literally"},
	{long: "--insecure", short: "-k", kind: "ignore", summary: "accepted; TLS is not simulated, so there is nothing to verify"},
	{long: "--compressed", kind: "ignore", summary: "accepted; responses are never compressed"},
	{long: "--no-progress-meter", kind: "ignore", summary: "accepted; miplay never shows the progress meter"},
	{long: "--no-buffer", short: "-N", kind: "ignore", summary: "accepted"},
	{long: "--location", short: "-L", kind: "unsupported", summary: "follow redirects"},
	{long: "--location-trusted", kind: "unsupported", summary: "follow redirects with credentials"},
	{long: "--proxy", short: "-x", arg: "URL", kind: "unsupported", summary: "use a proxy"},
	{long: "--noproxy", arg: "HOSTS", kind: "unsupported", summary: "hosts that bypass the proxy"},
	{long: "--retry", arg: "NUM", kind: "unsupported", summary: "retry transient failures"},
	{long: "--form", short: "-F", arg: "NAME=CONTENT", kind: "unsupported", summary: "multipart form data"},
	{long: "--upload-file", short: "-T", arg: "FILE", kind: "unsupported", summary: "upload a file"},
	{long: "--remote-name", short: "-O", kind: "unsupported", summary: "write output to a file named as the remote file"},
	{long: "--cookie", short: "-b", arg: "DATA", kind: "unsupported", summary: "send cookies"},
	{long: "--cookie-jar", short: "-c", arg: "FILE", kind: "unsupported", summary: "save cookies"},
	{long: "--cert", short: "-E", arg: "CERT", kind: "unsupported", summary: "client certificate"},
	{long: "--key", arg: "KEY", kind: "unsupported", summary: "client certificate's private key"},
	{long: "--cacert", arg: "FILE", kind: "unsupported", summary: "CA certificates"},
	{long: "--resolve", arg: "HOST:PORT:ADDR", kind: "unsupported", summary: "resolve a host to an address"},
	{long: "--config", short: "-K", arg: "FILE", kind: "unsupported", summary: "read options from a file"},
	{long: "--netrc", short: "-n", kind: "unsupported", summary: "read credentials from .netrc"},
	{long: "--range", short: "-r", arg: "RANGE", kind: "unsupported", summary: "byte ranges"},
	{long: "--http2", kind: "unsupported", summary: "use HTTP/2"},
	{long: "--http1.1", kind: "ignore", summary: "accepted; every exchange is HTTP/1.1"},
	{long: "--trace", arg: "FILE", kind: "unsupported", summary: "full trace"},
	{long: "--trace-ascii", arg: "FILE", kind: "unsupported", summary: "full trace"},
	{long: "--negotiate", kind: "unsupported", summary: "SPNEGO authentication"},
	{long: "--ntlm", kind: "unsupported", summary: "NTLM authentication"},
	{long: "--digest", kind: "unsupported", summary: "digest authentication"},
	{long: "--aws-sigv4", arg: "PROVIDER", kind: "unsupported", summary: "AWS V4 signatures"},
	{long: "--parallel", short: "-Z", kind: "unsupported", summary: "parallel transfers"},
	{long: "--limit-rate", arg: "SPEED", kind: "unsupported", summary: "limit the transfer speed"},
	{long: "--unix-socket", arg: "PATH", kind: "unsupported", summary: "connect through a Unix socket"},
	{long: "--ipv4", short: "-4", kind: "ignore", summary: "accepted"},
	{long: "--ipv6", short: "-6", kind: "unsupported", summary: "resolve names to IPv6 addresses"},
}

func registerCurl() {
	var flags []Flag
	for _, o := range curlOpts {
		s := o.summary
		switch o.kind {
		case "unsupported":
			s = "not simulated: " + s
		}
		flags = append(flags, Flag{Name: o.long, Short: o.short, Arg: o.arg, Summary: s})
	}
	register(&Command{
		Name:     "curl",
		Summary:  "Send HTTP requests to the simulated cloud, as seen from the host.",
		Synopsis: "curl [options] URL...",
		Simulates: "curl " + curlVersion + " for http:// and https:// URLs, served in process by the simulated Azure as the host sees it: " +
			"IMDS (169.254.169.254) answers only inside VMs and the App Service identity endpoint only inside web and function apps; elsewhere curl waits and exits 28, moving the simulated clock by what it waited (--max-time, or 127 s). " +
			"Unknown hosts exit 6. Exit codes and messages are curl's. Options combine as in curl (-fsS) and may follow the URL. " +
			"Not simulated: the progress meter (never shown), following redirects (-L), proxies, TLS details, URL globbing, and the options marked so below.",
		Flags: flags,
		Run:   runCurl,
	})
}

type curlRequest struct {
	urls                  []string
	method                string
	headers               []string
	data                  []string
	dataSet, get, head    bool
	silent, showErr       bool
	include, fail         bool
	failWithBody, verbose bool
	globoff               bool
	output, dumpHeader    string
	writeOut              string
	maxTime, connTimeout  float64
	user, userAgent       string
	referer, bearer       string
	jsonBody              bool
}

func curlUsage(p *Proc, msg string) int {
	if msg != "" {
		fmt.Fprintf(p.Stderr, "curl: %s\n", msg)
	}
	fmt.Fprintln(p.Stderr, "curl: try 'curl --help' or 'curl --manual' for more information")
	return 2
}

func findCurlOpt(name string) *curlOpt {
	for i := range curlOpts {
		if curlOpts[i].long == name || curlOpts[i].short == name {
			return &curlOpts[i]
		}
	}
	return nil
}

// parseCurl reads curl's command line: options anywhere, bundled short
// options (-fsS, -XPOST), "--" before URLs that start with "-".
func parseCurl(p *Proc, args []string) (*curlRequest, int) {
	r := &curlRequest{}
	if len(args) == 0 {
		return nil, curlUsage(p, "")
	}
	apply := func(o *curlOpt, name, val string) int {
		switch o.kind {
		case "unsupported":
			fmt.Fprintf(p.Stderr, "curl: option %s: is not simulated in miplay\n", name)
			return 2
		case "silent":
			r.silent = true
		case "show-error":
			r.showErr = true
		case "include":
			r.include = true
		case "head":
			r.head = true
		case "fail":
			r.fail = true
		case "fail-with-body":
			r.failWithBody = true
		case "request":
			r.method = val
		case "header":
			r.headers = append(r.headers, val)
		case "data", "data-raw", "data-binary", "data-urlencode", "json":
			d, err := curlData(p, o.kind, val)
			if err != nil {
				fmt.Fprintf(p.Stderr, "Warning: Couldn't read data from file \"%s\", this makes an empty POST.\n", strings.TrimPrefix(val, "@"))
				d = ""
			}
			r.data = append(r.data, d)
			r.dataSet = true
			if o.kind == "json" {
				r.jsonBody = true
			}
		case "get":
			r.get = true
		case "output":
			r.output = val
		case "dump-header":
			r.dumpHeader = val
		case "write-out":
			if strings.HasPrefix(val, "@") {
				b, err := readInput(p, strings.TrimPrefix(val, "@"))
				if err != nil {
					fmt.Fprintf(p.Stderr, "Warning: Failed to read %s\n", strings.TrimPrefix(val, "@"))
				}
				val = string(b)
			}
			r.writeOut = val
		case "max-time", "connect-timeout":
			f, err := strconv.ParseFloat(val, 64)
			if err != nil || f < 0 || strings.ContainsAny(val, "xXeEpPinIN") {
				return curlUsage(p, "option "+name+": expected a proper numerical parameter")
			}
			if o.kind == "max-time" {
				r.maxTime = f
			} else {
				r.connTimeout = f
			}
		case "verbose":
			r.verbose = true
		case "user":
			if !strings.Contains(val, ":") {
				fmt.Fprintf(p.Stderr, "curl: -u without a password would prompt for one; the prompt is not simulated in miplay: use -u %s:PASSWORD\n", val)
				return 2
			}
			r.user = val
		case "bearer":
			r.bearer = val
		case "user-agent":
			r.userAgent = val
		case "referer":
			r.referer = val
		case "url":
			r.urls = append(r.urls, val)
		case "globoff":
			r.globoff = true
		}
		return 0
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			r.urls = append(r.urls, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--"):
			o := findCurlOpt(a)
			if o == nil {
				return nil, curlUsage(p, "option "+a+": is unknown")
			}
			val := ""
			if o.arg != "" {
				if i+1 >= len(args) {
					return nil, curlUsage(p, "option "+a+": requires parameter")
				}
				i++
				val = args[i]
			}
			if code := apply(o, a, val); code != 0 {
				return nil, code
			}
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				name := "-" + string(a[j])
				o := findCurlOpt(name)
				if o == nil {
					return nil, curlUsage(p, "option "+name+": is unknown")
				}
				val := ""
				if o.arg != "" {
					switch {
					case j+1 < len(a):
						val = a[j+1:]
					case i+1 < len(args):
						i++
						val = args[i]
					default:
						return nil, curlUsage(p, "option "+name+": requires parameter")
					}
					j = len(a)
				}
				if code := apply(o, name, val); code != 0 {
					return nil, code
				}
			}
		default:
			r.urls = append(r.urls, a)
		}
	}
	if len(r.urls) == 0 {
		return nil, curlUsage(p, "no URL specified!")
	}
	return r, 0
}

// curlData reads one data option's value as curl does.
func curlData(p *Proc, kind, val string) (string, error) {
	switch kind {
	case "data", "json":
		if strings.HasPrefix(val, "@") {
			b, err := readInput(p, val[1:])
			if err != nil {
				return "", err
			}
			if kind == "json" {
				return string(b), nil
			}
			// -d @file drops carriage returns and newlines.
			return strings.NewReplacer("\r", "", "\n", "").Replace(string(b)), nil
		}
	case "data-binary":
		if strings.HasPrefix(val, "@") {
			b, err := readInput(p, val[1:])
			return string(b), err
		}
	case "data-urlencode":
		i := strings.IndexAny(val, "=@")
		if i < 0 {
			return curlEscape(val), nil
		}
		name, content := val[:i], val[i+1:]
		if val[i] == '@' {
			b, err := readInput(p, content)
			if err != nil {
				return "", err
			}
			content = string(b)
		}
		if name == "" {
			return curlEscape(content), nil
		}
		return name + "=" + curlEscape(content), nil
	}
	return val, nil
}

// curlEscape percent-encodes all but unreserved characters, as libcurl's
// curl_easy_escape does (a space becomes %20).
func curlEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func runCurl(p *Proc, args []string) int {
	r, code := parseCurl(p, args)
	if r == nil {
		return code
	}
	status := 0
	for _, u := range r.urls {
		status = r.transfer(p, u)
	}
	return status
}

// curlFailure is one of curl's numbered errors.
type curlFailure struct {
	code int
	msg  string
}

// writeOutInfo is what --write-out can print about a transfer.
type writeOutInfo struct {
	resp    *http.Response
	url     string
	method  string
	size    int
	exit    int
	errmsg  string
	elapsed time.Duration
}

func (r *curlRequest) errorf(p *Proc, f curlFailure) {
	if !r.silent || r.showErr {
		fmt.Fprintf(p.Stderr, "curl: (%d) %s\n", f.code, f.msg)
	}
}

// transfer fetches one URL.
func (r *curlRequest) transfer(p *Proc, raw string) int {
	info := writeOutInfo{url: raw}
	finish := func(f curlFailure) int {
		info.exit, info.errmsg = f.code, f.msg
		if f.code != 0 {
			r.errorf(p, f)
		}
		r.writeOutput(p, info)
		return f.code
	}
	u, fail := curlParseURL(raw, r.globoff)
	if fail.code != 0 {
		return finish(fail)
	}
	info.url = u.String()
	// Data goes in the body, or in the query with -G.
	body := strings.Join(r.data, "&")
	method := "GET"
	if r.dataSet && !r.get {
		method = "POST"
	}
	if r.head {
		method = "HEAD"
	}
	if r.get && r.dataSet {
		if u.RawQuery != "" {
			u.RawQuery += "&" + body
		} else {
			u.RawQuery = body
		}
		body = ""
	}
	if r.method != "" {
		method = r.method
	}
	info.method = method
	var rd io.Reader
	if (r.dataSet && !r.get) || body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(p.Ctx, method, u.String(), rd)
	if err != nil {
		return finish(curlFailure{3, "URL rejected: Malformed input to a URL function"})
	}
	if rd != nil {
		req.ContentLength = int64(len(body))
	}
	req.Header.Set("User-Agent", "curl/"+curlVersion)
	req.Header.Set("Accept", "*/*")
	if r.dataSet && !r.get {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if r.jsonBody {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
	}
	if r.user != "" {
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(r.user)))
	}
	if r.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	if r.userAgent != "" {
		req.Header.Set("User-Agent", r.userAgent)
	}
	if r.referer != "" {
		req.Header.Set("Referer", r.referer)
	}
	for _, h := range r.headers {
		switch {
		case strings.HasSuffix(h, ";") && !strings.Contains(h, ":"):
			req.Header[http.CanonicalHeaderKey(strings.TrimSuffix(h, ";"))] = []string{""}
		case strings.Contains(h, ":"):
			name, val, _ := strings.Cut(h, ":")
			name, val = strings.TrimSpace(name), strings.TrimSpace(val)
			if name == "" {
				continue
			}
			if val == "" {
				req.Header.Del(name)
				continue
			}
			if strings.EqualFold(name, "Host") {
				req.Host = val
				continue
			}
			req.Header[http.CanonicalHeaderKey(name)] = []string{val}
		}
	}
	if r.verbose {
		r.showRequest(p, req, u)
	}
	// IMDS and the App Service endpoint listen on plain HTTP only.
	if u.Scheme == "https" && (u.Hostname() == azure.IMDSHost || u.Hostname() == "169.254.255.2") {
		return finish(curlFailure{7, fmt.Sprintf("Failed to connect to %s port %s after 0 ms: Couldn't connect to server", u.Hostname(), curlPort(u))})
	}
	resp, err := p.Client().Do(req)
	if err != nil {
		return finish(r.networkFailure(p, err, u, &info))
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	info.resp, info.size = resp, len(data)
	if r.verbose {
		r.showResponse(p, resp, u)
	}
	head := curlHead(resp)
	if r.dumpHeader != "" {
		if r.dumpHeader == "-" {
			io.WriteString(p.Stdout, head)
		} else if err := p.WriteFile(r.dumpHeader, []byte(head)); err != nil {
			fmt.Fprintf(p.Stderr, "Warning: Failed to open %s\n", r.dumpHeader)
		}
	}
	if (r.fail || r.failWithBody) && resp.StatusCode >= 400 && !r.failWithBody {
		return finish(curlFailure{22, fmt.Sprintf("The requested URL returned error: %d", resp.StatusCode)})
	}
	var out bytes.Buffer
	if r.include || r.head {
		out.WriteString(head)
	}
	if !r.head {
		out.Write(data)
	}
	if r.output != "" {
		if err := p.WriteFile(r.output, out.Bytes()); err != nil {
			fmt.Fprintf(p.Stderr, "Warning: Failed to open the file %s: %s\n", r.output, fileProblem(err))
			return finish(curlFailure{23, "Failure writing output to destination"})
		}
	} else {
		p.Stdout.Write(out.Bytes())
	}
	if r.failWithBody && resp.StatusCode >= 400 {
		return finish(curlFailure{22, fmt.Sprintf("The requested URL returned error: %d", resp.StatusCode)})
	}
	return finish(curlFailure{})
}

// networkFailure turns a transport error into curl's: unknown hosts exit
// 6; addresses that never answer make curl wait, and the simulated clock
// moves by the wait, until --max-time or the system's connect timeout.
func (r *curlRequest) networkFailure(p *Proc, err error, u *url.URL, info *writeOutInfo) curlFailure {
	var unknown *azure.UnknownHostError
	var unreachable *azure.UnreachableError
	switch {
	case errors.As(err, &unknown):
		return curlFailure{6, "Could not resolve host: " + u.Hostname()}
	case errors.As(err, &unreachable):
		limit := r.maxTime
		if r.connTimeout > 0 && (limit == 0 || r.connTimeout < limit) {
			limit = r.connTimeout
		}
		wait := curlDefaultConnectWait
		if limit > 0 && time.Duration(limit*float64(time.Second)) < wait {
			wait = time.Duration(limit*float64(time.Second)) + time.Millisecond
		}
		p.Cloud.Do(func(w *engine.World) { w.Advance(wait) })
		info.elapsed = wait
		where := unreachable.Host
		if where == "" {
			where = u.Hostname() + " port " + curlPort(u)
		}
		if wait < curlDefaultConnectWait {
			return curlFailure{28, fmt.Sprintf("Connection timed out after %d milliseconds", wait.Milliseconds())}
		}
		return curlFailure{28, fmt.Sprintf("Failed to connect to %s after %d ms: Connection timed out", where, wait.Milliseconds())}
	}
	if p.Ctx.Err() != nil {
		return curlFailure{42, "Callback aborted"}
	}
	return curlFailure{7, fmt.Sprintf("Failed to connect to %s port %s after 0 ms: %v", u.Hostname(), curlPort(u), err)}
}

func curlPort(u *url.URL) string {
	if port := u.Port(); port != "" {
		return port
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// curlParseURL checks a URL as curl does; a URL without a scheme is http.
func curlParseURL(raw string, globoff bool) (*url.URL, curlFailure) {
	if !globoff && strings.ContainsAny(raw, "[]{}") {
		return nil, curlFailure{3, "URL globbing ([] and {}) is not simulated in miplay: add -g (--globoff) to send the brackets as they are"}
	}
	s := raw
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	scheme := strings.ToLower(s[:strings.Index(s, "://")])
	if scheme != "http" && scheme != "https" {
		return nil, curlFailure{1, fmt.Sprintf("Protocol \"%s\" not supported", s[:strings.Index(s, "://")])}
	}
	if strings.ContainsAny(s, " \t\n\r\x00") {
		return nil, curlFailure{3, "URL rejected: Malformed input to a URL function"}
	}
	u, err := url.Parse(s)
	if err != nil {
		if strings.Contains(err.Error(), "port") {
			return nil, curlFailure{3, "URL rejected: Port number was not a decimal number between 0 and 65535"}
		}
		return nil, curlFailure{3, "URL rejected: Malformed input to a URL function"}
	}
	if u.Hostname() == "" {
		return nil, curlFailure{3, "URL rejected: No host part in the URL"}
	}
	if strings.ContainsAny(u.Hostname(), "!\"$&'()*+,;=<>\\^`|%") {
		return nil, curlFailure{3, "URL rejected: Bad hostname"}
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.Scheme = scheme
	u.Fragment, u.RawFragment = "", ""
	return u, curlFailure{}
}

// curlHead is the status line and headers as curl prints them with -i:
// CRLF line ends, headers in name order (the handlers' order is a map's).
func curlHead(resp *http.Response) string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", resp.StatusCode, http.StatusText(resp.StatusCode))
	for _, k := range sortedHeaderNames(resp.Header) {
		for _, v := range resp.Header[k] {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	return b.String()
}

func sortedHeaderNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func (r *curlRequest) showRequest(p *Proc, req *http.Request, u *url.URL) {
	host := req.Host
	if host == "" {
		host = u.Host
	}
	fmt.Fprintf(p.Stderr, "*   Trying %s:%s...\n", u.Hostname(), curlPort(u))
	fmt.Fprintf(p.Stderr, "* Connected to %s port %s\n", u.Hostname(), curlPort(u))
	fmt.Fprintf(p.Stderr, "> %s %s HTTP/1.1\n", req.Method, u.RequestURI())
	fmt.Fprintf(p.Stderr, "> Host: %s\n", host)
	for _, k := range []string{"User-Agent", "Accept"} {
		if v, ok := req.Header[k]; ok {
			fmt.Fprintf(p.Stderr, "> %s: %s\n", k, v[0])
		}
	}
	for _, k := range sortedHeaderNames(req.Header) {
		if k == "User-Agent" || k == "Accept" {
			continue
		}
		for _, v := range req.Header[k] {
			fmt.Fprintf(p.Stderr, "> %s: %s\n", k, v)
		}
	}
	if req.ContentLength > 0 {
		fmt.Fprintf(p.Stderr, "> Content-Length: %d\n", req.ContentLength)
	}
	fmt.Fprintln(p.Stderr, "> ")
}

func (r *curlRequest) showResponse(p *Proc, resp *http.Response, u *url.URL) {
	fmt.Fprintf(p.Stderr, "< HTTP/1.1 %d %s\n", resp.StatusCode, http.StatusText(resp.StatusCode))
	for _, k := range sortedHeaderNames(resp.Header) {
		for _, v := range resp.Header[k] {
			fmt.Fprintf(p.Stderr, "< %s: %s\n", k, v)
		}
	}
	fmt.Fprintln(p.Stderr, "< ")
	fmt.Fprintf(p.Stderr, "* Connection #0 to host %s left intact\n", u.Hostname())
}

// writeOutput prints --write-out's format.
func (r *curlRequest) writeOutput(p *Proc, info writeOutInfo) {
	if r.writeOut == "" {
		return
	}
	f := r.writeOut
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case c == '\\' && i+1 < len(f):
			i++
			switch f[i] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '\\':
				b.WriteByte('\\')
			default:
				b.WriteByte('\\')
				b.WriteByte(f[i])
			}
		case c == '%' && strings.HasPrefix(f[i:], "%%"):
			b.WriteByte('%')
			i++
		case c == '%' && strings.HasPrefix(f[i:], "%{"):
			end := strings.IndexByte(f[i:], '}')
			if end < 0 {
				b.WriteString(f[i:])
				i = len(f)
				continue
			}
			name := f[i+2 : i+end]
			i += end
			v, ok := info.variable(name)
			if !ok {
				fmt.Fprintf(p.Stderr, "curl: unknown --write-out variable: '%s'\n", name)
				continue
			}
			b.WriteString(v)
		case c == '%' && strings.HasPrefix(f[i:], "%header{"):
			end := strings.IndexByte(f[i:], '}')
			if end < 0 {
				b.WriteString(f[i:])
				i = len(f)
				continue
			}
			name := f[i+8 : i+end]
			i += end
			if info.resp != nil {
				b.WriteString(strings.Join(info.resp.Header.Values(name), ", "))
			}
		default:
			b.WriteByte(c)
		}
	}
	io.WriteString(p.Stdout, b.String())
}

func (info writeOutInfo) variable(name string) (string, bool) {
	secs := func(d time.Duration) string { return fmt.Sprintf("%.6f", d.Seconds()) }
	switch name {
	case "http_code", "response_code":
		if info.resp == nil {
			return "000", true
		}
		return fmt.Sprintf("%03d", info.resp.StatusCode), true
	case "content_type":
		if info.resp == nil {
			return "", true
		}
		return info.resp.Header.Get("Content-Type"), true
	case "time_total", "time_connect", "time_starttransfer", "time_namelookup", "time_appconnect", "time_pretransfer", "time_redirect":
		return secs(info.elapsed), true
	case "size_download":
		return strconv.Itoa(info.size), true
	case "size_upload", "num_redirects", "num_connects":
		return "0", true
	case "url_effective", "url":
		return info.url, true
	case "method":
		return info.method, true
	case "exitcode":
		return strconv.Itoa(info.exit), true
	case "errormsg":
		return info.errmsg, true
	case "redirect_url":
		if info.resp != nil && info.resp.StatusCode/100 == 3 {
			return info.resp.Header.Get("Location"), true
		}
		return "", true
	case "num_headers":
		if info.resp == nil {
			return "0", true
		}
		n := 0
		for _, v := range info.resp.Header {
			n += len(v)
		}
		return strconv.Itoa(n), true
	case "scheme":
		if i := strings.Index(info.url, "://"); i > 0 {
			return strings.ToUpper(info.url[:i]), true
		}
		return "", true
	case "http_version":
		if info.resp == nil {
			return "0", true
		}
		return "1.1", true
	case "header_json":
		if info.resp == nil {
			return "{}", true
		}
		var b strings.Builder
		b.WriteString("{")
		for i, k := range sortedHeaderNames(info.resp.Header) {
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, "%q:[", strings.ToLower(k))
			for j, v := range info.resp.Header[k] {
				if j > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "%q", v)
			}
			b.WriteString("]")
		}
		b.WriteString("}")
		return b.String(), true
	case "stderr", "stdout":
		return "", true
	}
	return "", false
}
