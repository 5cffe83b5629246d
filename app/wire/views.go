package wire

import (
	"fmt"
	"net/http"
	"time"
)

// Workstation is the caller name of the learner's own machine (the prompt
// "$"), as the engine records it (azure.Workstation; a test in package
// worker holds them equal).
const Workstation = "workstation"

// WorldView is what the panels show of a world: everything but the
// sequence diagram and the details of one token or one decision, which
// have their own builders.
type WorldView struct {
	Clock       ClockVM
	Resources   []ResourceVM
	Principals  []PrincipalVM
	Assignments []AssignmentVM
	Tokens      []TokenRowVM
}

// ClockVM is the simulated clock.
type ClockVM struct {
	Now     time.Time
	Start   time.Time
	Elapsed time.Duration
}

// ResourceVM is one resource and its managed identities.
type ResourceVM struct {
	ID, Name, Type, TypeLabel, Group, Location string
	// CanHaveIdentity is set for resources that take managed identities
	// (compute resources); IdentityType is then ARM's identity.type.
	CanHaveIdentity bool
	IdentityType    string
	System          *IdentityBadgeVM
	User            []IdentityBadgeVM
	// Own is set for a user-assigned identity resource: its own principal.
	Own *IdentityBadgeVM
}

// IdentityBadgeVM is one identity as a badge: SystemAssigned or
// UserAssigned and the IDs behind it.
type IdentityBadgeVM struct {
	Kind        string // "SystemAssigned" or "UserAssigned"
	Name        string // the identity resource's name, for user-assigned
	ResourceID  string
	PrincipalID string
	ClientID    string
	Missing     bool // a user-assigned identity whose resource was deleted
}

// PrincipalVM is one service principal of the directory.
type PrincipalVM struct {
	DisplayName      string
	ObjectID         string
	AppID            string
	Type             string // servicePrincipalType: ManagedIdentity or Application
	AlternativeNames []string
	ResourceID       string
	Deleted          bool
	DeletedAt        time.Time
}

// IdentityNotFound is how the portal names the principal of an orphaned
// role assignment.
const IdentityNotFound = "Identity not found"

// AssignmentVM is one role assignment.
type AssignmentVM struct {
	ID            string
	RoleName      string
	Scope         string
	ScopeLabel    string // the scope's last name and kind: "stdemo (storage account)"
	PrincipalID   string
	PrincipalName string // IdentityNotFound when the principal is gone
	PrincipalType string // "ServicePrincipal", "User", or "Unknown" when the principal is gone
	Orphaned      bool
}

// TokenRowVM is one issued token in the list.
type TokenRowVM struct {
	ID        string // the uti
	Principal string // who it was issued to, by name
	Audience  string
	Via       string
	Host      string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// ClaimRow is one header parameter or claim of a token.
type ClaimRow struct {
	Name        string
	Value       string
	Explanation string
}

// TokenDetailVM is one token, decoded and checked.
type TokenDetailVM struct {
	ID     string
	Raw    string
	Header []ClaimRow
	Claims []ClaimRow
	// SignatureValid reports whether the signature verifies with a key of
	// the world's published key set (its JWKS).
	SignatureValid bool
	Signature      string // what the check found, in a sentence
	// Lifetime says whether the token is valid at the simulated now.
	Lifetime string
	Expired  bool
}

// FormatTime is how the panels write a simulated time.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// SequenceVM is the sequence diagram of a run of exchanges: lanes left to
// right, messages top to bottom.
type SequenceVM struct {
	Lanes     []LaneVM
	Messages  []MessageVM
	Exchanges []ExchangeVM
	// Omitted counts the earlier exchanges left out to keep the diagram
	// readable.
	Omitted int
}

// LaneVM is one participant of the diagram.
type LaneVM struct {
	Key   string // the Exchange's Caller or Service
	Label string
	Kind  string // "caller", "endpoint", "entra" or "service"
}

// MessageVM is one arrow.
type MessageVM struct {
	From, To int // lane indexes
	Label    string
	Reply    bool
	Failed   bool // a reply with status 400 or more
	Exchange int  // index in Exchanges
	Internal bool // a hop inside Azure that has no HTTP exchange of its own
}

// ExchangeVM is one HTTP exchange, as the detail under the diagram shows it.
type ExchangeVM struct {
	Seq         int
	At          time.Time
	Caller      string
	Service     string
	Method      string
	URL         string
	Status      int
	Request     string
	Response    string
	Decision    string
	TokenID     string
	DecisionSeq int // the AccessChecked event's Seq, or -1
}

// MaxExchanges is how many exchanges the diagram draws at most: the last
// ones.
const MaxExchanges = 24

// CallerLabel names a caller of the sequence diagram.
func CallerLabel(c string) string {
	if c == Workstation {
		return "Workstation ($)"
	}
	return c
}

// StatusLabel is an HTTP status with its text: "403 Forbidden".
func StatusLabel(status int) string {
	if t := http.StatusText(status); t != "" {
		return fmt.Sprintf("%d %s", status, t)
	}
	return fmt.Sprint(status)
}

// DecisionVM is an RBAC decision explained: the verdict and every
// assignment considered.
type DecisionVM struct {
	Seq        int
	Allowed    bool
	Reason     string
	Principal  string
	Action     string
	DataAction bool
	Scope      string
	At         time.Time
	Considered []ConsideredVM
	// OthersFolded counts the assignments to other principals left out of
	// Considered: when there are more than MaxOthersInline, a state or an
	// update carries none of them, and the decision panel asks for them
	// (MethodDecision, which leaves nothing out) when the learner unfolds
	// them. In a world with many identities they are most of the bytes of
	// every command's update.
	OthersFolded int `json:",omitempty"`
}

// OutcomeOtherPrincipal is ConsideredVM.Outcome for an assignment to
// another principal than the request's (rbac.OtherPrincipal; a test in
// package worker holds them equal).
const OutcomeOtherPrincipal = "OtherPrincipal"

// MaxOthersInline is how many assignments to other principals a
// decision's table lists among the others; past it, they fold into one row
// that the learner opens.
const MaxOthersInline = 5

// ConsideredVM is one assignment Authorize looked at, and what it made of it.
type ConsideredVM struct {
	RoleName    string
	Scope       string
	Principal   string
	Outcome     string
	OutcomeText string
	MatchedBy   string
	ExcludedBy  string
	Explanation string
	Grants      bool
}

// TermStepVM is one step's commands in the terminal.
type TermStepVM struct {
	Index    int // from 0
	Kind     string
	Passed   bool
	Commands []TermCommandVM
}

// TermCommandVM is one command line and what it printed.
type TermCommandVM struct {
	Prompt  string // "$" or "vm-web$"
	Text    string
	Chunks  []Chunk
	Exit    int
	Matched bool
	// Want is the file's expected transcript and Diff the unified diff
	// from it to what ran, when the command did not match.
	Want []string
	Diff string
}

// Prompt is the prompt of a host: "$" for the workstation.
func Prompt(host string) string {
	if host == "" || host == Workstation {
		return "$"
	}
	return host + "$"
}

// TermCommand is what the terminal shows of a command's result.
func TermCommand(c *CommandResult) TermCommandVM {
	vm := TermCommandVM{Prompt: Prompt(c.Host), Text: c.Text, Chunks: c.Chunks, Exit: c.Exit, Matched: c.Matched}
	if len(vm.Chunks) == 0 && c.Output != "" {
		vm.Chunks = []Chunk{{Text: c.Output}}
	}
	if !c.Matched {
		vm.Diff = c.Diff
		if c.Command != nil {
			vm.Want = c.Command.WantLines()
		}
	}
	return vm
}
