package body

import (
	"fmt"
	"net/http"
)

// A helper that says with a bool whether it closed the body: the caller
// owes the close on the paths where it said false.

func closedIfFailed(resp *http.Response) bool { // want closedIfFailed:`^param0:body:releasesIfTrue$`
	if resp.StatusCode == http.StatusOK {
		return false
	}
	resp.Body.Close()
	return true
}

func SignalBound(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	done := closedIfFailed(resp)
	if done {
		return 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func SignalInit(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	if done := closedIfFailed(resp); done {
		return 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func SignalDirect(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	if closedIfFailed(resp) {
		return 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func SignalNegated(u string) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	if !closedIfFailed(resp) {
		defer resp.Body.Close()
		return resp.StatusCode, nil
	}
	return 0, fmt.Errorf("failed")
}

// The false path forgets the close.
func SignalFalseOpen(u string) (int, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in SignalFalseOpen`
	if err != nil {
		return 0, err
	}
	if closedIfFailed(resp) {
		return 0, fmt.Errorf("failed")
	}
	return resp.StatusCode, nil // leaks here
}

func SignalBoundOpen(u string) (int, error) {
	resp, err := http.Get(u) // want `resp.Body is not closed on every path in SignalBoundOpen`
	if err != nil {
		return 0, err
	}
	if done := closedIfFailed(resp); !done {
		return resp.StatusCode, nil // leaks here
	}
	return 0, fmt.Errorf("failed")
}
