// Package strict holds fixtures for the -strict flag.
package strict

import "net/http"

func unused() {
	//httpleakcheck:ignore nothing to suppress here // want `directive suppresses nothing`
}

func used() {
	//httpleakcheck:ignore fire-and-forget ping
	http.Get("http://127.0.0.1:1/")
}
