#!/usr/bin/env bash
# Usage: ./scale.sh [runs] [go test flags, e.g. -benchtime=2s]
#
# Runs the scaling benchmarks of ../analyzer/scale_test.go `runs` times
# (default 3) and prints a markdown table: the time to analyze one package
# of n units (ns/pkg) and the time per unit, per shape and n (the fastest
# of the runs), and how much more time a 10× larger n costs (the target
# is ≤ 12×). The runs are whole passes over all the benchmarks, one after
# the other, rather than -count, which repeats each benchmark in a row:
# a slow minute on a shared machine then slows one case of every size
# instead of every run of one size. The raw benchmark output goes to
# stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
	runs=$1
	shift
fi

for ((i = 1; i <= runs; i++)); do
	go test ./analyzer -run '^$' -bench Scale -count=1 -timeout 0 "$@"
done | tee /dev/stderr |
	awk '
	/^BenchmarkScale\// {
		split($1, p, "/")           # BenchmarkScale, shape, variant, n=N-procs
		key = p[2] " | " p[3]
		n = p[4]; sub(/^n=/, "", n); sub(/-[0-9]+$/, "", n)
		if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key }
		if (!(n in isn)) { isn[n] = 1; ns[++nns] = n }
		# $5 is ns/pkg: "BenchmarkScale/... N x ns/op y ns/pkg z ns/unit"
		if (!((key, n) in op) || $5 < op[key, n]) op[key, n] = $5  # the fastest of -count runs
	}
	END {
		printf "| shape | variant |"
		for (i = 1; i <= nns; i++) printf " n=%s ns/pkg | ns/unit |", ns[i]
		for (i = 2; i <= nns; i++) printf " ×time %s→%s |", ns[i-1], ns[i]
		printf "\n|---|---|"
		for (i = 1; i < 3 * nns; i++) printf "---:|"
		printf "\n"
		for (k = 1; k <= nkeys; k++) {
			key = keys[k]
			printf "| %s |", key
			for (i = 1; i <= nns; i++) {
				if ((key, ns[i]) in op) printf " %.0f | %.0f |", op[key, ns[i]], op[key, ns[i]] / ns[i]
				else printf " – | – |"
			}
			for (i = 2; i <= nns; i++) {
				if ((key, ns[i]) in op && (key, ns[i-1]) in op) printf " %.1f× |", op[key, ns[i]] / op[key, ns[i-1]]
				else printf " – |"
			}
			printf "\n"
		}
	}'
