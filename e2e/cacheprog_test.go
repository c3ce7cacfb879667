package e2e

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSharedCache runs httpleakcheck -vet on the small bench corpus
// (../bench/small.pkgs) as two CI runners would that share one build
// cache through GOCACHEPROG: a real cache program, go-cacher, against
// its HTTP server, go-cacher-server, both from github.com/bradfitz/go-tool-cache
// (pinned in the nested module ../tools/gocacheprog). Runner A starts
// from an empty GOCACHE and an empty go-cacher directory, so it compiles
// and analyzes everything and stores it on the server; runner B, with
// empty ones of its own, must report the same findings and store
// nothing: every compile and every analysis (results and facts) comes
// from the server. The server's log of requests counts what each runner
// stored (PUT).
func TestSharedCache(t *testing.T) {
	slow(t)
	bench, err := filepath.Abs("../bench")
	if err != nil {
		t.Fatal(err)
	}
	pkgs := benchPatterns(t, filepath.Join(bench, "small.pkgs"))
	hlc := buildHTTPLeakCheck(t)
	bin := t.TempDir()
	run(t, ".", nil, "go", "build", "-C", "../tools/gocacheprog", "-o", bin+"/", "tool").want(t, "building go-cacher and go-cacher-server", 0)

	addr := freeAddr(t)
	srv := startCacheServer(t, filepath.Join(bin, "go-cacher-server"), addr)

	type runner struct {
		name    string
		res     result
		wall    time.Duration
		puts    int
		gets    int
		actions int // GET /action/ answered 200
	}
	runOn := func(name string) runner {
		env := []string{
			"GOCACHE=" + t.TempDir(),
			"GOCACHEPROG=" + filepath.Join(bin, "go-cacher") + " -cache-dir " + t.TempDir() + " -cache-server http://" + addr,
		}
		from := srv.lines()
		start := time.Now()
		r := run(t, bench, env, append([]string{hlc, "-vet", "-json"}, pkgs...)...)
		rn := runner{name: name, res: r, wall: time.Since(start)}
		r.want(t, "runner "+name+": httpleakcheck -vet -json", 0)
		if strings.Contains(r.stderr, "analyzing from source") {
			t.Fatalf("runner %s: go vet failed, the command analyzed from source:\n%s", name, tail(r.stderr, 20))
		}
		for _, l := range srv.since(from) {
			switch {
			case strings.Contains(l, " PUT /"):
				rn.puts++
			case strings.Contains(l, " GET /"):
				rn.gets++
				if strings.Contains(l, "200 GET /action/") {
					rn.actions++
				}
			}
		}
		t.Logf("runner %s: %.1f s, %d GETs (%d actions found), %d PUTs", name, rn.wall.Seconds(), rn.gets, rn.actions, rn.puts)
		return rn
	}
	a := runOn("A")
	b := runOn("B")

	if a.puts == 0 {
		t.Errorf("runner A stored nothing on the cache server")
	}
	if b.puts != 0 {
		t.Errorf("runner B stored %d entries: it compiled or analyzed again what runner A had stored", b.puts)
	}
	if b.actions == 0 {
		t.Errorf("runner B found nothing on the cache server")
	}
	got, want := jsonLines(parseJSON(t, bench, b.res.stdout)), jsonLines(parseJSON(t, bench, a.res.stdout))
	if len(want) == 0 {
		t.Errorf("runner A found nothing on the small corpus")
	}
	if !slices.Equal(got, want) {
		t.Errorf("the runners' findings differ\nB:\n%s\nA:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Timing says the same, more loosely: B only downloads.
	if b.wall > a.wall/2 {
		t.Errorf("runner B took %v, runner A %v: B should only download", b.wall, a.wall)
	}
}

// freeAddr returns a loopback address with a port that is free now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// A cacheServer is a running go-cacher-server and the lines it logged
// (with -verbose, one per request: "2026/12/06 06:43:52 200 GET /action/...").
type cacheServer struct {
	mu  sync.Mutex
	log []string
}

// lines returns how many lines the server has logged.
func (s *cacheServer) lines() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.log)
}

// since returns the lines logged after the first n, once every request
// made so far is logged (the server logs a request when it is answered).
func (s *cacheServer) since(n int) []string {
	time.Sleep(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log[n:])
}

// startCacheServer starts go-cacher-server on addr, with a new cache
// directory, and waits until it answers; it stops with the test.
func startCacheServer(t *testing.T, exe, addr string) *cacheServer {
	t.Helper()
	cmd := command(t, exe, "-cache-dir", t.TempDir(), "-listen", addr, "-verbose")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &cacheServer{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.mu.Lock()
			s.log = append(s.log, sc.Text())
			s.mu.Unlock()
		}
		io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		cmd.Wait()
	})
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("go-cacher-server does not answer on %s: %v\n%s", addr, err, strings.Join(s.log, "\n"))
		}
	}
}
