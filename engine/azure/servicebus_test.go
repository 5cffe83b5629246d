package azure

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// sbError is Service Bus's XML error, up to the tracking ID.
func sbError(status, detail string) string {
	return "<Error><Code>" + status + "</Code><Detail>" + detail + " TrackingId:"
}

// sbTail is the end of every error in the fixture: the entity and the time.
const sbTail = "_G1, SystemTracker:" + testNS + ".servicebus.windows.net:orders, Timestamp:2026-01-15T09:00:00</Detail></Error>"

func checkSBError(t *testing.T, what string, status int, body string, wantStatus int, wantDetail string) {
	t.Helper()
	code := []byte{byte('0' + wantStatus/100), byte('0' + wantStatus/10%10), byte('0' + wantStatus%10)}
	if status != wantStatus || !strings.HasPrefix(body, sbError(string(code), wantDetail)) || !strings.HasSuffix(body, sbTail) {
		t.Errorf("%s: %d %s\nwant %d %s…%s", what, status, body, wantStatus, sbError(string(code), wantDetail), sbTail)
	}
}

func TestServiceBusBearer(t *testing.T) {
	f := newDataFixture(t)
	tok := f.token("https://servicebus.azure.net")
	auth := hdr("Authorization", bearer(tok), "Content-Type", "text/plain")

	resp, body := f.do("POST", sbHost+"/orders/messages", auth, "order 1")
	checkSBError(t, "send without a role", resp.StatusCode, body, 401,
		"Unauthorized access. 'Send' claim(s) are required to perform this operation. Resource: 'sb://sb-data-ns.servicebus.windows.net/orders'.")
	checkHeaders(t, resp, map[string]string{"Content-Type": "application/xml; charset=utf-8", "Server": "Microsoft-HTTPAPI/2.0"})

	queue := f.sb.ID + "/queues/orders"
	f.assign(queue, "Azure Service Bus Data Sender")
	resp, body = f.do("POST", sbHost+"/orders/messages", auth, "order 1")
	if resp.StatusCode != 201 || body != "" {
		t.Fatalf("send: %d %q", resp.StatusCode, body)
	}
	if d, want := f.lastDecision(), "Service Bus send allowed: role 'Azure Service Bus Data Sender' assigned at scope '"+queue+
		"' grants data action 'Microsoft.ServiceBus/namespaces/messages/send/action' through 'Microsoft.ServiceBus/*/send/action'."; d != want {
		t.Errorf("decision = %q\nwant %q", d, want)
	}
	resp, body = f.do("DELETE", sbHost+"/orders/messages/head?timeout=60", auth, "")
	checkSBError(t, "receive as a sender", resp.StatusCode, body, 401,
		"Unauthorized access. 'Listen' claim(s) are required to perform this operation. Resource: 'sb://sb-data-ns.servicebus.windows.net/orders'.")

	f.assign(f.sb.ID, "Azure Service Bus Data Receiver")
	resp, body = f.do("DELETE", sbHost+"/orders/messages/head?timeout=60", auth, "")
	if resp.StatusCode != 200 || body != "order 1" {
		t.Fatalf("receive: %d %q", resp.StatusCode, body)
	}
	props := resp.Header.Get("BrokerProperties")
	if !strings.HasPrefix(props, `{"DeliveryCount":1,"EnqueuedSequenceNumber":0,"EnqueuedTimeUtc":"`+testDate+`","MessageId":"`) ||
		!strings.HasSuffix(props, `","SequenceNumber":1,"State":"Active"}`) {
		t.Errorf("BrokerProperties = %s", props)
	}
	checkHeaders(t, resp, map[string]string{"Content-Type": "text/plain", "Server": "Microsoft-HTTPAPI/2.0", "Date": testDate})

	// Empty queue: 204, no body.
	resp, body = f.do("DELETE", sbHost+"/orders/messages/head?timeout=60", auth, "")
	if resp.StatusCode != 204 || body != "" {
		t.Errorf("empty queue: %d %q", resp.StatusCode, body)
	}
	// Authorization comes before existence: a missing queue is only
	// revealed to a caller with the right.
	resp, body = f.do("DELETE", sbHost+"/nope/messages/head", auth, "")
	if resp.StatusCode != 410 || !strings.Contains(body, "<Detail>The messaging entity 'sb://sb-data-ns.servicebus.windows.net/nope' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions. TrackingId:") {
		t.Errorf("missing queue, with the right: %d %s", resp.StatusCode, body)
	}
}

func TestServiceBusSAS(t *testing.T) {
	f := newDataFixture(t)
	key := f.sb.ServiceBus.PrimaryKey
	expiry := f.w.Now().Add(time.Hour)
	sas := ServiceBusSAS("https://sb-data-ns.servicebus.windows.net/orders", "RootManageSharedAccessKey", key, expiry)
	if !strings.HasPrefix(sas, "SharedAccessSignature sr=https%3A%2F%2Fsb-data-ns.servicebus.windows.net%2Forders&sig=") ||
		!strings.HasSuffix(sas, "&se=1768471200&skn=RootManageSharedAccessKey") {
		t.Errorf("SAS = %q", sas)
	}
	auth := hdr("Authorization", sas)
	for i, body := range []string{"first", "second"} {
		resp, _ := f.do("POST", sbHost+"/orders/messages", auth, body)
		if resp.StatusCode != 201 {
			t.Fatalf("send %d: %d", i, resp.StatusCode)
		}
	}
	if d := f.lastDecision(); !strings.HasPrefix(d, "Service Bus send allowed: the SAS token is signed with the namespace's RootManageSharedAccessKey") {
		t.Errorf("decision = %q", d)
	}
	resp, body := f.do("DELETE", sbHost+"/orders/messages/head", auth, "")
	if resp.StatusCode != 200 || body != "first" || !strings.Contains(resp.Header.Get("BrokerProperties"), `"SequenceNumber":1,`) {
		t.Errorf("receive: %d %q %s", resp.StatusCode, body, resp.Header.Get("BrokerProperties"))
	}
	// The content type the sender gave (none here) is served back as the documentation's default.
	checkHeaders(t, resp, map[string]string{"Content-Type": "application/atom+xml;type=entry;charset=utf-8"})

	// A namespace-wide SAS covers every queue.
	ns := ServiceBusSAS("sb://sb-data-ns.servicebus.windows.net/", "RootManageSharedAccessKey", key, expiry)
	if resp, body := f.do("DELETE", sbHost+"/orders/messages/head", hdr("Authorization", ns), ""); resp.StatusCode != 200 || body != "second" {
		t.Errorf("namespace SAS: %d %q", resp.StatusCode, body)
	}

	cases := []struct {
		name, auth string
		status     int
		detail     string
	}{
		{"wrong key", ServiceBusSAS("https://sb-data-ns.servicebus.windows.net/orders", "RootManageSharedAccessKey", "bm90IHRoZSBrZXk=", expiry), 401,
			"InvalidSignature: The token has an invalid signature."},
		{"wrong key name", ServiceBusSAS("https://sb-data-ns.servicebus.windows.net/orders", "SendOnly", key, expiry), 401,
			"InvalidSignature: The token has an invalid signature."},
		{"expired", ServiceBusSAS("https://sb-data-ns.servicebus.windows.net/orders", "RootManageSharedAccessKey", key, f.w.Now().Add(-time.Minute)), 401,
			"ExpiredToken: The token is expired. Expiration time: '2026-01-15 08:59:00Z'."},
		{"another queue", ServiceBusSAS("https://sb-data-ns.servicebus.windows.net/invoices", "RootManageSharedAccessKey", key, expiry), 401,
			"InvalidAudience: The token audience is invalid."},
		{"malformed", "SharedAccessSignature sr=x", 401,
			"MalformedToken: The credentials contained in the authorization header are not in the WRAP format."},
		{"no header", "", 401, "MissingToken: The authorization header was not found. To know more visit https://aka.ms/sbResourceMgrExceptions."},
	}
	for _, c := range cases {
		h := hdr("Authorization", c.auth)
		if c.auth == "" {
			h = nil
		}
		resp, body := f.do("POST", sbHost+"/orders/messages", h, "x")
		checkSBError(t, c.name, resp.StatusCode, body, c.status, c.detail)
	}
	// The signature covers sr exactly as the token carries it: an edited
	// expiry breaks it.
	edited := strings.Replace(ServiceBusSAS("https://sb-data-ns.servicebus.windows.net/orders", "RootManageSharedAccessKey", key, expiry), "se=1768471200", "se=1799999999", 1)
	resp, body = f.do("POST", sbHost+"/orders/messages", hdr("Authorization", edited), "x")
	checkSBError(t, "edited expiry", resp.StatusCode, body, 401, "InvalidSignature: The token has an invalid signature.")
	// A signature computed over a differently encoded sr is still checked
	// over the sr the token carries.
	lower := strings.ToLower(url.QueryEscape("https://sb-data-ns.servicebus.windows.net/orders"))
	manual := "SharedAccessSignature sr=" + lower + "&sig=" + url.QueryEscape(hmacBase64([]byte(key), lower+"\n1768471200")) + "&se=1768471200&skn=RootManageSharedAccessKey"
	if resp, body := f.do("POST", sbHost+"/orders/messages", hdr("Authorization", manual), "x"); resp.StatusCode != 201 {
		t.Errorf("lower-case encoding: %d %s", resp.StatusCode, body)
	}
}
