// Package shell is miplay's simulated terminal: a real POSIX shell
// interpreter (mvdan.cc/sh/v3) whose programs — az, curl, jq, sleep and a
// few others — are Go functions that talk to the in-process Azure of
// engine/azure.
//
// A Session holds one shell per host for the whole scenario: the learner's
// workstation and every compute resource by name. Variables set on a host
// stay there; variables the workstation exports are visible on every host,
// standing in for copy and paste. Where a command runs decides what it can
// reach: IMDS answers only inside a VM, and only there does `az login
// --identity` work.
//
// Every command line the shell accepts means the same in a real Azure Cloud
// Shell. A real command or flag that is not simulated says so and fails; a
// typo gets the real tool's style of error with a suggestion.
package shell
