package shell

import (
	"net/http"
	"net/url"
	"strings"
)

// A Client sends requests into the simulated cloud as programs on one host
// do, and does not follow redirects (curl without -L). It does what
// http.Client with CheckRedirect returning http.ErrUseLastResponse does for
// these requests, errors included, without http.Client itself: the send
// path of http.Client checks for *http.Transport, which links the real
// network stack (Transport, TLS, X.509, dialers, HTTP/2) into the
// WebAssembly build, 4.3 MB of its 28.6 MB (make bench measures it).
type Client struct {
	Transport http.RoundTripper
}

// Do sends req and returns the response, whatever its status. An error is
// a *url.Error, as http.Client returns them.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	if req.Header == nil {
		r2 := *req
		r2.Header = make(http.Header)
		req = &r2
	}
	resp, err := c.Transport.RoundTrip(req)
	if err == nil && resp == nil {
		err = errNilResponse
	}
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, &url.Error{Op: urlErrorOp(req.Method), URL: stripPassword(req.URL), Err: err}
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	return resp, nil
}

type nilResponseError struct{}

func (nilResponseError) Error() string {
	return "http: RoundTripper returned a nil *Response with a nil error"
}

var errNilResponse error = nilResponseError{}

// urlErrorOp and stripPassword are net/http's, for the same error text.
func urlErrorOp(method string) string {
	if method == "" {
		return "Get"
	}
	for i := 0; i < len(method); i++ {
		if method[i] >= 0x80 {
			return method
		}
	}
	return method[:1] + strings.ToLower(method[1:])
}

func stripPassword(u *url.URL) string {
	if _, ok := u.User.Password(); ok {
		return strings.Replace(u.String(), u.User.String()+"@", u.User.Username()+":***@", 1)
	}
	return u.String()
}
