#!/usr/bin/env bash
# Usage: ./incremental.sh [runs] [cold-cache]
#
# Times the ways to run httpleakcheck on the small corpus (small.pkgs, test
# files included, as go vet and the pre-commit hooks do), and plain go vet
# for comparison, in three states:
#   cold  the first run of a new httpleakcheck binary (its results are not
#         in the build cache yet; compiled packages are); plain go vet has
#         no such state (its first run is not timed);
#   warm  a second run on an unchanged tree;
#   edit  a run after editing one file: a function is added to client.go
#         of github.com/hashicorp/go-retryablehttp, which a writable copy
#         (through a go.work workspace) replaces.
# Commands timed:
#   standalone      httpleakcheck PKGS                  (no cache)
#   hook path       httpleakcheck -vet PKGS             (what the pre-commit hooks run, less git diff)
#   go vet tool     go vet -vettool=httpleakcheck PKGS
#   plain go vet    go vet PKGS                         (its own analyzers)
# It prints a markdown table of the medians of wall time and CPU time
# (user + sys, children included) over the runs (default 3). With a second
# argument "cold-cache", it also times one run of each cached path with an
# empty build cache (everything compiled first: minutes).
set -euo pipefail

runs=${1:-3}
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT

mapfile -t pkgs < <(grep -v '^#' small.pkgs)
go build -o "$tmp/httpleakcheck" ../cmd/httpleakcheck
hlc=$tmp/httpleakcheck
rev=$(git -C .. describe --always --dirty)

# shellcheck source=editable.sh
source ./editable.sh

declare -A wall cpu
# measure NAME STATE CMD...: runs CMD (exit 0, 1 or 3 are fine: findings) and
# records its wall and CPU time.
measure() {
	local name=$1 state=$2 rc=0
	shift 2
	/usr/bin/time -f '%e %U %S' -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || rc=$?
	if ((rc != 0 && rc != 1 && rc != 3)); then
		echo "$name failed with exit status $rc:" >&2
		tail -n 20 "$tmp/out" >&2
		exit 1
	fi
	read -r w u s < <(tail -n 1 "$tmp/time")
	wall[$name,$state]+="$w "
	cpu[$name,$state]+="$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }') "
	echo "run $i/$runs $name $state: wall ${w}s" >&2
}

# Plain go vet's first run, not timed: its results are then in the cache.
go vet "${pkgs[@]}" >/dev/null 2>&1 || true

for ((i = 1; i <= runs; i++)); do
	measure "standalone" cold "$hlc" "${pkgs[@]}"
	measure "standalone" warm "$hlc" "${pkgs[@]}"
	edit
	measure "standalone" edit "$hlc" "${pkgs[@]}"

	# A new binary (the same program, with bytes appended) has a new build
	# ID, so go vet has none of its results: the first run of an upgrade.
	for name in "hook path" "go vet tool"; do
		cp "$hlc" "$tmp/hlc$i"
		printf '%s %d' "$name" "$i" >>"$tmp/hlc$i"
		if [[ $name == "hook path" ]]; then
			cmd=("$tmp/hlc$i" -vet)
		else
			cmd=(go vet -vettool="$tmp/hlc$i")
		fi
		measure "$name" cold "${cmd[@]}" "${pkgs[@]}"
		measure "$name" warm "${cmd[@]}" "${pkgs[@]}"
		edit
		measure "$name" edit "${cmd[@]}" "${pkgs[@]}"
	done

	# The file changed since plain go vet's last run: that is its edit.
	measure "plain go vet" edit go vet "${pkgs[@]}"
	measure "plain go vet" warm go vet "${pkgs[@]}"
done

if [[ ${2:-} == cold-cache ]]; then
	export GOCACHE=$tmp/gocache
	measure "hook path" "empty cache" "$hlc" -vet "${pkgs[@]}"
	rm -rf "$GOCACHE"
	measure "plain go vet" "empty cache" go vet "${pkgs[@]}"
fi

# median prints the median of its arguments.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "> small corpus (${#pkgs[@]} patterns, test files included), medians of $runs runs, $(go env GOVERSION), $(nproc) cores, httpleakcheck at $rev, $(date -u +%F)."
echo
echo "| command | state | wall s | CPU s |"
echo "|---|---|---:|---:|"
for name in standalone "hook path" "go vet tool" "plain go vet"; do
	for state in cold warm edit "empty cache"; do
		[[ -n ${wall[$name,$state]:-} ]] || continue
		# shellcheck disable=SC2086 # the lists split on purpose
		echo "| $name | $state | $(median ${wall[$name,$state]}) | $(median ${cpu[$name,$state]}) |"
	done
done
