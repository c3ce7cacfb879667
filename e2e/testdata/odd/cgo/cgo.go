// Package cgo mixes cgo and net/http.
package cgo

/*
static int answer(void) { return 42; }
*/
import "C"

import "net/http"

func Answer() int { return int(C.answer()) }

func Status(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode + Answer()
}
