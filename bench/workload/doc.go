// Package workload makes the inputs of miplay's benchmarks: a scenario of
// 100 commands to replay, and the commands of a 500-command sandbox
// session. Both are generated, so that the figures do not move when the
// scenario library changes, and both use the commands learners use most:
// az to create resources, identities and role assignments, curl to IMDS
// and to a data plane, jq on tokens.
//
// It is plain Go with no I/O, so the benchmark program and its WebAssembly
// engine page run exactly the same workload.
package workload
