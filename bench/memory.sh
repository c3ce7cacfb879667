#!/usr/bin/env bash
# Usage: ./memory.sh [small|large] [runs]
#
# Measures, side by side in one run, the two ways of running httpleakcheck
# on a corpus (large.pkgs by default), test files included (go vet always
# checks them, so the standalone run does too):
#   standalone  httpleakcheck PKGS        one process loads and analyzes
#                                        every package, std included
#   -vet        httpleakcheck -vet PKGS   go vet runs the analyzer once per
#                                        package, in separate processes (at
#                                        most GOMAXPROCS at a time), and
#                                        keeps results in the build cache
# each in three states:
#   cold  the first run of a new httpleakcheck binary (the same program
#         with bytes appended, so a new build ID: go vet has none of its
#         results; compiled packages are in the build cache);
#   warm  the next run, nothing changed;
#   edit  after adding a function to client.go of
#         github.com/hashicorp/go-retryablehttp (a writable copy through a
#         go.work), which other modules of the corpus import.
# For each it records wall time and CPU time (user + sys, children
# included) and peak RSS of the largest single process (/usr/bin/time:
# the maximum over the process and its descendants), and, sampling the
# process tree every 0.2 s, the peak of the sum of the RSS of all its
# processes at one time (the memory the run needs at once; for -vet, the
# go command, the analyzer processes running in parallel, and compilers).
# It prints a markdown table of the medians over the runs (default 1).
set -euo pipefail

size=${1:-large}
runs=${2:-1}
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT

mapfile -t pkgs < <(grep -v '^#' "$size.pkgs")
go build -o "$tmp/httpleakcheck" ../cmd/httpleakcheck
rev=$(git -C .. describe --always --dirty)

# shellcheck source=editable.sh
source ./editable.sh

# sample ROOT: until the process ROOT ends, prints every 0.2 s the sum of
# the RSS (KiB) of ROOT and its descendants, and the largest of them.
sample() {
	local root=$1
	while kill -0 "$root" 2>/dev/null; do
		ps -e -o pid=,ppid=,rss= | awk -v root="$root" '
			{ pp[$1] = $2; rss[$1] = $3 }
			END {
				sum = 0; max = 0
				for (p in pp) {
					q = p
					for (n = 0; q > 1 && q != root && n < 100; n++) q = pp[q]
					if (q == root) { sum += rss[p]; if (rss[p] > max) max = rss[p] }
				}
				print sum, max
			}'
		sleep 0.2
	done
}

declare -A wall cpu rss sum
# measure NAME STATE CMD...: runs CMD (exit 0, 1 or 3 are fine) and
# records its wall and CPU time, its largest process's peak RSS and the
# peak of the sum of its processes' RSS.
measure() {
	local name=$1 state=$2 rc=0
	shift 2
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/out" 2>&1 &
	local pid=$!
	sample "$pid" >"$tmp/samples" &
	local sampler=$!
	wait "$pid" || rc=$?
	wait "$sampler" || true
	if ((rc != 0 && rc != 1 && rc != 3)); then
		echo "$name failed with exit status $rc:" >&2
		tail -n 20 "$tmp/out" >&2
		exit 1
	fi
	if grep -q 'analyzing from source' "$tmp/out"; then
		echo "$name: go vet failed, so the command analyzed from source:" >&2
		tail -n 20 "$tmp/out" >&2
		exit 1
	fi
	read -r w u s m < <(tail -n 1 "$tmp/time")
	local peak
	peak=$(awk 'BEGIN { p = 0 } $1 > p { p = $1 } END { print p }' "$tmp/samples")
	wall[$name,$state]+="$w "
	cpu[$name,$state]+="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.1f", u + s }') "
	rss[$name,$state]+="$((m / 1024)) "
	sum[$name,$state]+="$((peak / 1024)) "
	echo "run $i/$runs $name $state: wall ${w}s, CPU $u+$s s, largest process $((m / 1024)) MiB, all processes at once $((peak / 1024)) MiB" >&2
}

for ((i = 1; i <= runs; i++)); do
	for name in standalone -vet; do
		# A new binary (the same program, with bytes appended) has a new
		# build ID, so go vet has none of its results: the first run of
		# an upgrade.
		cp "$tmp/httpleakcheck" "$tmp/hlc$i$name"
		printf '%s %d' "$name" "$i" >>"$tmp/hlc$i$name"
		cmd=("$tmp/hlc$i$name")
		if [[ $name == -vet ]]; then
			cmd+=(-vet)
		fi
		measure "$name" cold "${cmd[@]}" "${pkgs[@]}"
		measure "$name" warm "${cmd[@]}" "${pkgs[@]}"
		edit
		measure "$name" edit "${cmd[@]}" "${pkgs[@]}"
	done
done

# median prints the median of its arguments.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "> $size corpus (${#pkgs[@]} patterns, test files included), medians of $runs runs, $(go env GOVERSION), $(nproc) cores, httpleakcheck at $rev, $(date -u +%F)."
echo
echo "| command | state | wall s | CPU s | peak RSS, largest process MiB | peak RSS, all processes at once MiB |"
echo "|---|---|---:|---:|---:|---:|"
for name in standalone -vet; do
	for state in cold warm edit; do
		# shellcheck disable=SC2086 # the lists split on purpose
		label=httpleakcheck; [[ $name == -vet ]] && label+=" -vet"
		echo "| \`$label\` | $state | $(median ${wall[$name,$state]}) | $(median ${cpu[$name,$state]}) | $(median ${rss[$name,$state]}) | $(median ${sum[$name,$state]}) |"
	done
done
