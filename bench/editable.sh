# Sourced by incremental.sh and memory.sh (not run on its own): a copy of
# go-retryablehttp, which many corpus modules import, that a benchmark can
# edit, put in place of the module cache's through a go.work in $tmp
# (exported as GOWORK), and the corpus packages in "${pkgs[@]}" compiled
# into the build cache. edit appends a new function to the copy's
# client.go, a different one at every call.

mod=github.com/hashicorp/go-retryablehttp
cp -r "$(go list -m -f '{{.Dir}}' "$mod")" "$tmp/edit"
chmod -R u+w "$tmp/edit"
cat >"$tmp/go.work" <<EOF
go $(go env GOVERSION | sed 's/^go//')

use $PWD

replace $mod => $tmp/edit
EOF
export GOWORK=$tmp/go.work
echo "compiling the corpus into the build cache" >&2
go list -export -deps -test "${pkgs[@]}" >/dev/null

edits=0
edit() {
	edits=$((edits + 1))
	printf '\nfunc benchEdit%d() int { return %d }\n' "$edits" "$edits" >>"$tmp/edit/client.go"
}
