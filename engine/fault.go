package engine

import "fmt"

// A Fault is an answer Azure gives when a request cannot be carried out:
// a resource that does not exist, a name already taken, an identity that is
// not enabled. It is data, not a bug: Status is the HTTP status Azure
// returns, Code and Message are Azure's own words, which the HTTP layer
// renders in each service's wire format.
type Fault struct {
	Status  int
	Code    string
	Message string
}

func (f *Fault) Error() string { return fmt.Sprintf("(%s) %s", f.Code, f.Message) }

// notFound is ARM's answer for a missing resource.
func notFound(resourceType, name, group string) *Fault {
	return &Fault{Status: 404, Code: "ResourceNotFound",
		Message: fmt.Sprintf("The Resource '%s/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", resourceType, name, group)}
}

// groupNotFound is ARM's answer for a missing resource group.
func groupNotFound(name string) *Fault {
	return &Fault{Status: 404, Code: "ResourceGroupNotFound",
		Message: fmt.Sprintf("Resource group '%s' could not be found.", name)}
}

// IsFault reports whether err is a Fault with the given code.
func IsFault(err error, code string) bool {
	f, ok := err.(*Fault)
	return ok && f.Code == code
}
