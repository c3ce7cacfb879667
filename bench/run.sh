#!/usr/bin/env bash
# Usage: ./run.sh [small|large] [runs] [tests]
#
# Runs the corpus benchmark: builds the tools of go.mod's tool block (noop,
# noopfacts, noopinspect, httpleakcheck from ../cmd/httpleakcheck and
# bodyclose; see README.md), then runs each of them over the packages of
# small.pkgs or large.pkgs, the tools alternating, for the given number of
# runs (default 5), with -test=false or, given "tests", with the test
# files. It prints a markdown table of medians (wall, CPU = user+sys, peak
# RSS) and of the ratios within each run to the floors and to
# noopinspect. Progress goes to stderr, the table to stdout. TOOLS (a
# space-separated list) picks the tools; noop, noopfacts and noopinspect
# always run, as the ratios need them. BASE=REV adds httpleakcheck as it
# was at git revision REV (built from a temporary worktree), to compare a
# change side by side with what came before.
set -euo pipefail

size=${1:-small}
runs=${2:-5}
tests=false
case $size-${3:-} in
small- | large-) ;;
small-tests | large-tests) tests=true ;;
*)
	echo "usage: $0 [small|large] [runs] [tests]" >&2
	exit 2
	;;
esac
cd "$(dirname "$0")"

tools=(noop noopfacts noopinspect)
for t in ${TOOLS:-httpleakcheck bodyclose}; do
	case " ${tools[*]} " in *" $t "*) ;; *) tools+=("$t") ;; esac
done
# floor names the no-op analyzer that loads packages the way a tool does:
# from export data without facts (noop), from source with facts or
# ctrlflow/buildssa (noopfacts).
declare -A floor=([noop]=noop [noopfacts]=noopfacts [noopinspect]=noopfacts [httpleakcheck]=noopfacts [bodyclose]=noopfacts)

mapfile -t pkgs < <(grep -v '^#' "$size.pkgs")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "building tools" >&2
go build -o "$tmp/" tool
if [ -n "${BASE:-}" ]; then
	base=$(git -C .. rev-parse --short "$BASE")
	git -C .. worktree add -q --detach "$tmp/base" "$base"
	trap 'git -C .. worktree remove --force "$tmp/base"; rm -rf "$tmp"' EXIT
	(cd "$tmp/base" && go build -o "$tmp/httpleakcheck@$base" ./cmd/httpleakcheck)
	tools+=("httpleakcheck@$base")
	floor[httpleakcheck@$base]=noopfacts
fi
rev=$(git -C .. describe --always --dirty)
echo "compiling the corpus into the build cache" >&2
go list -export -deps -test=$tests "${pkgs[@]}" >/dev/null

declare -A wall cpu rss findings
for ((i = 1; i <= runs; i++)); do
	for t in "${tools[@]}"; do
		rc=0
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$tmp/$t" -test=$tests "${pkgs[@]}" >"$tmp/out" 2>&1 || rc=$?
		# A checker exits 3 when it reports diagnostics, 1 on errors.
		if ((rc != 0 && rc != 3)); then
			echo "$t failed with exit status $rc:" >&2
			tail -n 20 "$tmp/out" >&2
			exit 1
		fi
		# time -o writes "Command exited with non-zero status" first.
		read -r w u s m < <(tail -n 1 "$tmp/time")
		wall[$t,$i]=$w
		cpu[$t,$i]=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
		rss[$t,$i]=$m
		findings[$t]=$(grep -cE '\.go:[0-9]+:[0-9]+: ' "$tmp/out" || true)
		echo "run $i/$runs $t: wall ${w}s CPU ${cpu[$t,$i]}s RSS $((m / 1024))MiB findings ${findings[$t]}" >&2
	done
done

# median prints the median of the numbers on its standard input.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# med prints the median over the runs of measure $1 (wall, cpu or rss) of tool $2.
med() {
	local -n v=$1
	local i
	for ((i = 1; i <= runs; i++)); do echo "${v[$2,$i]}"; done | median
}

# ratio prints the median over the runs of measure $1 of tool $2 divided by
# that of tool $3 in the same run: tools run one after the other, so the
# load of the machine changes less within a run than across runs.
ratio() {
	local -n v=$1
	local i
	for ((i = 1; i <= runs; i++)); do
		awk -v a="${v[$2,$i]}" -v b="${v[$3,$i]}" 'BEGIN { print a / b }'
	done | median | awk '{ printf "%.2f×", $1 }'
}

echo "$size corpus ($(wc -l <"$size.pkgs") patterns), -test=$tests, medians of $runs runs, $(go version | cut -d' ' -f3), $(nproc) cores,"
echo "httpleakcheck built at $rev, $(date -u +%Y-%m-%d). Ratios are medians of the ratios within each run."
echo
echo "| tool | floor | wall s | CPU s | peak RSS MiB | CPU ÷ noop | RSS ÷ noop | CPU ÷ floor | RSS ÷ floor | CPU ÷ noopinspect | RSS ÷ noopinspect | findings |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for t in "${tools[@]}"; do
	f=${floor[$t]}
	rssmib=$(med rss "$t")
	printf '| %s | %s | %.1f | %.2f | %d | %s | %s | %s | %s | %s | %s | %d |\n' "$t" "$f" \
		"$(med wall "$t")" "$(med cpu "$t")" "$((${rssmib%.*} / 1024))" \
		"$(ratio cpu "$t" noop)" "$(ratio rss "$t" noop)" \
		"$(ratio cpu "$t" "$f")" "$(ratio rss "$t" "$f")" \
		"$(ratio cpu "$t" noopinspect)" "$(ratio rss "$t" noopinspect)" \
		"${findings[$t]}"
done
