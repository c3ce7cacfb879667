package client

import (
	"io"
	"net/http"
)

// Status reads the body to its end and never closes it: its connection
// went back to the pool at EOF, so only the opt-in bodyeof check reports
// the missing Close.
func Status(u string) (string, error) {
	resp, err := http.Get(u)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		resp.Body.Close()
		return "", err
	}
	return string(b), nil
}
