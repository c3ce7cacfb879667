// Package broken does not type-check.
package broken

import "net/http"

func Get(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		return 0
	}
	return resp.StatusCode + undefinedName
}
