package azure

import (
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/miplay/miplay/engine"
	"github.com/miplay/miplay/engine/token"
)

// Service Bus over HTTP: {ns}.servicebus.windows.net/{queue}/messages.
// A request carries either a Microsoft Entra bearer token (then Azure RBAC
// decides) or a SAS token signed with the namespace's
// RootManageSharedAccessKey, which holds the Manage, Send and Listen
// rights and bypasses RBAC. Service Bus answers every authorization failure,
// missing RBAC roles included, with 401.

const (
	sbServer  = "Microsoft-HTTPAPI/2.0"
	sbKeyName = "RootManageSharedAccessKey"
	// sbDefaultContentType is what a received message carries when its
	// sender declared none, as in Service Bus's REST examples (UNVERIFIED).
	sbDefaultContentType = "application/atom+xml;type=entry;charset=utf-8"
	sbMoreInfo           = " To know more visit https://aka.ms/sbResourceMgrExceptions."
)

// ServiceBusSAS returns the value of an Authorization header for Service
// Bus, "SharedAccessSignature sr=…&sig=…&se=…&skn=…", as the SDKs make it
// from a connection string: the HMAC-SHA256, keyed with the key's text, of
// the URL-encoded resource URI, a newline and the expiry in Unix seconds.
func ServiceBusSAS(resourceURI, keyName, key string, expiry time.Time) string {
	sr := url.QueryEscape(resourceURI)
	se := strconv.FormatInt(expiry.Unix(), 10)
	sig := hmacBase64([]byte(key), sr+"\n"+se)
	return "SharedAccessSignature sr=" + sr + "&sig=" + url.QueryEscape(sig) + "&se=" + se + "&skn=" + keyName
}

type sbOp int

const (
	sbSend sbOp = iota + 1
	sbReceive
)

// sbRequest is one request to Service Bus being served.
type sbRequest struct {
	x     *exchange
	ns    *engine.Resource
	host  string // {ns}.servicebus.windows.net
	op    sbOp
	queue string
}

func (x *exchange) serveServiceBus() {
	host := strings.TrimSuffix(strings.TrimSuffix(requestHost(x.r), ":443"), ":80")
	ns, _ := x.world.ServiceBusNamespace(strings.TrimSuffix(host, serviceBusSuffix))
	s := &sbRequest{x: x, ns: ns, host: host}
	path := strings.Trim(x.r.URL.Path, "/")
	switch {
	case x.r.Method == http.MethodPost && strings.HasSuffix(path, "/messages"):
		s.op, s.queue = sbSend, strings.TrimSuffix(path, "/messages")
	case x.r.Method == http.MethodDelete && strings.HasSuffix(path, "/messages/head"):
		s.op, s.queue = sbReceive, strings.TrimSuffix(path, "/messages/head")
	}
	if s.op == 0 || s.queue == "" {
		s.fail(http.StatusNotImplemented, fmt.Sprintf("The playground does not simulate this Service Bus operation: %s %s. It simulates Send Message (POST /{queue}/messages) and Receive and Delete Message (DELETE /{queue}/messages/head).", x.r.Method, x.r.URL.Path), path)
		x.decide("Service Bus request not simulated: %s %s.", x.r.Method, x.r.URL.Path)
		return
	}
	if !s.authorize() {
		return
	}
	s.serve()
}

func (s *sbRequest) what() string {
	if s.op == sbSend {
		return "Service Bus send"
	}
	return "Service Bus receive"
}

// authorize authenticates the caller and checks its right to send or
// receive, before anything is said about whether the queue exists.
func (s *sbRequest) authorize() bool {
	h := strings.TrimSpace(s.x.r.Header.Get("Authorization"))
	if h == "" {
		// UNVERIFIED: Service Bus's wording for a request without a token.
		s.fail(http.StatusUnauthorized, "MissingToken: The authorization header was not found."+sbMoreInfo, s.queue)
		s.x.decide("%s refused: the request has no Authorization header (a bearer token or a SAS token).", s.what())
		return false
	}
	scheme, rest, _ := strings.Cut(h, " ")
	rest = strings.TrimSpace(rest)
	switch {
	case strings.EqualFold(scheme, "Bearer") && rest != "":
		return s.authorizeBearer(rest)
	case scheme == "SharedAccessSignature":
		return s.authorizeSAS(rest)
	}
	// UNVERIFIED: the wording for an Authorization header of another form.
	s.fail(http.StatusUnauthorized, "MalformedToken: The credentials contained in the authorization header are not in the WRAP format.", s.queue)
	s.x.decide("%s refused: the Authorization header is neither \"Bearer <token>\" nor \"SharedAccessSignature sr=…&sig=…&se=…&skn=…\".", s.what())
	return false
}

func (s *sbRequest) authorizeBearer(raw string) bool {
	c, f := s.x.validate(raw, []string{"https://servicebus.azure.net", "https://" + s.host})
	if f != nil {
		s.fail(http.StatusUnauthorized, sbTokenMessage(f), s.queue)
		s.x.decide("%s refused: the bearer token is not valid for Service Bus: %s", s.what(), f.Detail)
		return false
	}
	right, verb := "Send", "send"
	if s.op == sbReceive {
		right, verb = "Listen", "receive"
	}
	d := s.x.authorize(c.ObjectID, "Microsoft.ServiceBus/namespaces/messages/"+verb+"/action", s.ns.ID+"/queues/"+s.queue, true)
	if !d.Allowed {
		s.fail(http.StatusUnauthorized, fmt.Sprintf("Unauthorized access. '%s' claim(s) are required to perform this operation. Resource: 'sb://%s/%s'.", right, s.host, s.queue), s.queue)
		s.x.decide("%s denied: %s", s.what(), strings.TrimPrefix(d.Reason, "Denied: "))
		return false
	}
	s.x.decide("%s allowed: %s", s.what(), strings.TrimPrefix(d.Reason, "Allowed: "))
	return true
}

// sbTokenMessage words a bearer token refusal. The SAS wordings
// (ExpiredToken, InvalidSignature) and the generic one are Service Bus's
// own; their use for bearer tokens, and the audience and issuer wordings,
// are UNVERIFIED.
func sbTokenMessage(f *token.Failure) string {
	switch f.Kind {
	case token.Expired:
		return "ExpiredToken: The token is expired. Expiration time: '" + time.Unix(f.Claims.ExpiresAt, 0).UTC().Format("2006-01-02 15:04:05Z") + "'."
	case token.BadSignature, token.UnsupportedAlgorithm, token.UnknownKey:
		return "InvalidSignature: The token has an invalid signature."
	case token.WrongAudience:
		return "InvalidAudience: The token audience is invalid."
	case token.WrongIssuer:
		return "InvalidIssuer: Token issuer is invalid."
	}
	return "claim is empty or token is invalid."
}

// authorizeSAS checks "SharedAccessSignature sr=…&sig=…&se=…&skn=…": the
// signature is recomputed over the sr value exactly as the token carries it.
func (s *sbRequest) authorizeSAS(v string) bool {
	fields := map[string]string{}
	for _, part := range strings.Split(v, "&") {
		name, value, _ := strings.Cut(part, "=")
		fields[name] = value
	}
	refuse := func(message, why string) bool {
		s.fail(http.StatusUnauthorized, message, s.queue)
		s.x.decide("%s refused: %s", s.what(), why)
		return false
	}
	sig, err := url.QueryUnescape(fields["sig"])
	se, errSE := strconv.ParseInt(fields["se"], 10, 64)
	if fields["sr"] == "" || sig == "" || err != nil || errSE != nil || fields["skn"] == "" {
		return refuse("MalformedToken: The credentials contained in the authorization header are not in the WRAP format.",
			"the SAS token needs sr, sig, se (Unix seconds) and skn.")
	}
	if fields["skn"] != sbKeyName || !hmac.Equal([]byte(hmacBase64([]byte(s.ns.ServiceBus.PrimaryKey), fields["sr"]+"\n"+fields["se"])), []byte(sig)) {
		return refuse("InvalidSignature: The token has an invalid signature.",
			fmt.Sprintf("the SAS signature does not match the namespace's %s over sr and se (a wrong key or key name, or an edited token).", sbKeyName))
	}
	expiry := time.Unix(se, 0).UTC()
	if !s.x.world.Now().Before(expiry) {
		return refuse("ExpiredToken: The token is expired. Expiration time: '"+expiry.Format("2006-01-02 15:04:05Z")+"'.",
			fmt.Sprintf("the SAS token expired at %s, and it is now %s.", httpDate(expiry), httpDate(s.x.world.Now())))
	}
	sr, _ := url.QueryUnescape(fields["sr"])
	if !sbCovers(sr, s.host+"/"+s.queue) {
		// UNVERIFIED: the wording for a SAS made for another entity.
		return refuse("InvalidAudience: The token audience is invalid.",
			fmt.Sprintf("the SAS token is for %q, which does not contain sb://%s/%s.", sr, s.host, s.queue))
	}
	s.x.decide("%s allowed: the SAS token is signed with the namespace's %s (rights Manage, Send, Listen) and valid until %s; a SAS bypasses Azure RBAC.",
		s.what(), sbKeyName, httpDate(expiry))
	return true
}

// sbCovers reports whether a SAS resource URI covers an entity: the
// namespace or the entity itself, whatever the scheme.
func sbCovers(sr, entity string) bool {
	sr = strings.ToLower(sr)
	for _, scheme := range []string{"https://", "http://", "sb://"} {
		sr = strings.TrimPrefix(sr, scheme)
	}
	sr = strings.TrimSuffix(sr, "/")
	entity = strings.ToLower(entity)
	return sr == entity || strings.HasPrefix(entity, sr+"/")
}

func (s *sbRequest) serve() {
	w := s.x.world
	h := s.x.w.Header()
	switch s.op {
	case sbSend:
		_, err := w.SendMessage(s.ns, s.queue, string(s.x.body))
		if err != nil {
			s.fault(err, http.StatusNotFound)
			return
		}
		// The content type goes with the message, to be served back to
		// the receiver.
		q, _ := w.Queue(s.ns, s.queue)
		q.Messages[len(q.Messages)-1].ContentType = s.x.r.Header.Get("Content-Type")
		s.headers()
		h.Set("Content-Length", "0")
		s.x.w.WriteHeader(http.StatusCreated)
	case sbReceive:
		m, ok, err := w.ReceiveMessage(s.ns, s.queue)
		if err != nil {
			// Receive and Delete documents 410 for a queue that does not exist.
			s.fault(err, http.StatusGone)
			return
		}
		s.headers()
		if !ok {
			s.x.decision += " The queue is empty."
			s.x.w.WriteHeader(http.StatusNoContent)
			return
		}
		props, _ := json.Marshal(sbBrokerProperties{DeliveryCount: 1, EnqueuedTimeUTC: httpDate(m.Sent), MessageID: m.ID, SequenceNumber: m.SequenceNumber, State: "Active"})
		h.Set("BrokerProperties", string(props))
		ct := m.ContentType
		if ct == "" {
			ct = sbDefaultContentType
		}
		s.x.writeRaw(http.StatusOK, ct, []byte(m.Body))
	}
}

// sbBrokerProperties is the BrokerProperties header, in Service Bus's order.
type sbBrokerProperties struct {
	DeliveryCount          int    `json:"DeliveryCount"`
	EnqueuedSequenceNumber int64  `json:"EnqueuedSequenceNumber"`
	EnqueuedTimeUTC        string `json:"EnqueuedTimeUtc"`
	MessageID              string `json:"MessageId"`
	SequenceNumber         int64  `json:"SequenceNumber"`
	State                  string `json:"State"`
}

func (s *sbRequest) headers() {
	h := s.x.w.Header()
	h.Set("Server", sbServer)
	h.Set("Strict-Transport-Security", "max-age=31536000")
	h.Set("Date", httpDate(s.x.world.Now()))
}

// fail writes Service Bus's XML error, whose Detail ends with a tracking
// ID, the entity, and the time. The status code is also the Code.
func (s *sbRequest) fail(status int, detail, entity string) {
	s.headers()
	body := fmt.Sprintf("<Error><Code>%d</Code><Detail>%s TrackingId:%s_G1, SystemTracker:%s:%s, Timestamp:%s</Detail></Error>",
		status, xmlText(detail), s.x.world.NewGUID(), s.host, xmlText(entity), s.x.world.Now().UTC().Format("2006-01-02T15:04:05"))
	s.x.writeRaw(status, "application/xml; charset=utf-8", []byte(body))
}

// fault renders a missing queue, with the status the operation documents.
func (s *sbRequest) fault(err error, notFound int) {
	status, detail := http.StatusInternalServerError, err.Error()
	if engine.IsFault(err, "MessagingEntityNotFound") {
		status, detail = notFound, fmt.Sprintf("The messaging entity 'sb://%s/%s' could not be found.%s", s.host, s.queue, sbMoreInfo)
	}
	s.fail(status, detail, s.queue)
	s.x.decision += " Then: " + detail
}
