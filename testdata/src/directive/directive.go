// Package directive holds fixtures for //httpleakcheck:ignore.
package directive

import "net/http"

const u = "http://127.0.0.1:1/"

func lineAbove() int {
	//httpleakcheck:ignore the process exits right after this probe
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

func sameLine() {
	http.Get(u) //httpleakcheck:ignore fire-and-forget ping, the server closes
}

func noReason() {
	/* want `httpleakcheck:ignore directive needs a reason` */ //httpleakcheck:ignore
	http.Get(u) // want `the response of http.Get is dropped`
}

func tooFarAway() {
	//httpleakcheck:ignore only covers its own line and the next

	http.Get(u) // want `the response of http.Get is dropped`
}

// Unused directives are reported only with -strict (see testdata/strict).
func unused() {
	//httpleakcheck:ignore nothing to suppress here
	_ = u
}
