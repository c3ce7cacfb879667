// Package unseen probes HTTP client libraries that httpleakcheck's
// fixtures and tables do not name: one package per library, each
// exported function one logical call as the library's users write it.
// A function marked "// leak: CHECK" must leak connections at run time
// (groundtruth_test.go measures it) and be reported by that check on the
// marked line; an unmarked one must not leak and must not be reported.
package unseen
