#!/usr/bin/env bash
# Usage: ./gen-deps.sh
#
# Rewrites deps.go: the non-standard, non-internal packages imported by the
# packages of small.pkgs and large.pkgs and by their tests. Run "go mod tidy"
# after it.
set -euo pipefail
cd "$(dirname "$0")"

mapfile -t pkgs < <(cat small.pkgs large.pkgs | grep -v '^#' | sort -u)
imports=$(go list -e -f '{{range .Imports}}{{.}}
{{end}}{{range .TestImports}}{{.}}
{{end}}{{range .XTestImports}}{{.}}
{{end}}' "${pkgs[@]}" |
	grep -E '^[^/]*\.' | grep -vE '/internal(/|$)' | sort -u)

{
	cat <<'HEADER'
//go:build benchdeps

// This file is never built (the benchdeps tag is never set). It names every
// non-standard package that the corpus packages (small.pkgs, large.pkgs) and
// their tests import, so that "go mod tidy" keeps the modules and go.sum
// entries needed to load the corpus with -test=true as well as -test=false.
// Regenerate it with ./gen-deps.sh after changing the package lists.
package bench

import (
HEADER
	printf '\t_ "%s"\n' $imports
	echo ')'
} >deps.go
