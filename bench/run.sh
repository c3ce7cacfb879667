#!/usr/bin/env bash
# Usage: ./run.sh [small|large] [runs]
#
# Runs the corpus benchmark: builds the tools of go.mod's tool block (noop,
# noopfacts, noopinspect, httpleakcheck from ../cmd/httpleakcheck and
# bodyclose; see README.md), then runs each of them over the packages of
# small.pkgs or large.pkgs, the tools alternating, for the given number of
# runs (default 5), and prints a markdown table of medians (wall, CPU =
# user+sys, peak RSS) and ratios to the floors. Progress goes to stderr,
# the table to stdout.
set -euo pipefail

size=${1:-small}
runs=${2:-5}
case $size in
small | large) ;;
*)
	echo "usage: $0 [small|large] [runs]" >&2
	exit 2
	;;
esac
cd "$(dirname "$0")"

tools=(noop noopfacts noopinspect httpleakcheck bodyclose)
# floor names the no-op analyzer that loads packages the way a tool does:
# from export data without facts (noop), from source with facts or
# ctrlflow/buildssa (noopfacts).
declare -A floor=([noop]=noop [noopfacts]=noopfacts [noopinspect]=noopfacts [httpleakcheck]=noopfacts [bodyclose]=noopfacts)

mapfile -t pkgs < <(grep -v '^#' "$size.pkgs")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "building tools" >&2
go build -o "$tmp/" tool
rev=$(git -C .. describe --always --dirty)
echo "compiling the corpus into the build cache" >&2
go list -export -deps -test=false "${pkgs[@]}" >/dev/null

declare -A wall cpu rss findings
for ((i = 1; i <= runs; i++)); do
	for t in "${tools[@]}"; do
		rc=0
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$tmp/$t" -test=false "${pkgs[@]}" >"$tmp/out" 2>&1 || rc=$?
		# A checker exits 3 when it reports diagnostics, 1 on errors.
		if ((rc != 0 && rc != 3)); then
			echo "$t failed with exit status $rc:" >&2
			tail -n 20 "$tmp/out" >&2
			exit 1
		fi
		# time -o writes "Command exited with non-zero status" first.
		read -r w u s m < <(tail -n 1 "$tmp/time")
		c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
		wall[$t]+=" $w"
		cpu[$t]+=" $c"
		rss[$t]+=" $m"
		findings[$t]=$(grep -cE '\.go:[0-9]+:[0-9]+: ' "$tmp/out" || true)
		echo "run $i/$runs $t: wall ${w}s CPU ${c}s RSS $((m / 1024))MiB findings ${findings[$t]}" >&2
	done
done

# median prints the median of its arguments.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A mwall mcpu mrss
for t in "${tools[@]}"; do
	# shellcheck disable=SC2086 # the lists are space-separated numbers
	mwall[$t]=$(median ${wall[$t]})
	# shellcheck disable=SC2086
	mcpu[$t]=$(median ${cpu[$t]})
	# shellcheck disable=SC2086
	mrss[$t]=$(median ${rss[$t]})
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }

echo "$size corpus ($(wc -l <"$size.pkgs") patterns), medians of $runs runs, $(go version | cut -d' ' -f3), $(nproc) cores,"
echo "httpleakcheck built at $rev, $(date -u +%Y-%m-%d)."
echo
echo "| tool | floor | wall s | CPU s | peak RSS MiB | CPU ÷ noop | RSS ÷ noop | CPU ÷ floor | RSS ÷ floor | findings |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for t in "${tools[@]}"; do
	f=${floor[$t]}
	printf '| %s | %s | %.1f | %.2f | %d | %s | %s | %s | %s | %d |\n' "$t" "$f" \
		"${mwall[$t]}" "${mcpu[$t]}" "$((${mrss[$t]%.*} / 1024))" \
		"$(ratio "${mcpu[$t]}" "${mcpu[noop]}")" "$(ratio "${mrss[$t]}" "${mrss[noop]}")" \
		"$(ratio "${mcpu[$t]}" "${mcpu[$f]}")" "$(ratio "${mrss[$t]}" "${mrss[$f]}")" \
		"${findings[$t]}"
done
