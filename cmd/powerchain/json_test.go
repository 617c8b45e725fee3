package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSONFailures: every command that takes --json, run with it, says a
// failure on stdout as one JSON object whose "error" is the message
// (beside whatever partial result it has), keeps its exit status, and
// still says it on stderr for a person. Nothing here reaches a real
// network: the servers named are closed loopback ports.
func TestJSONFailures(t *testing.T) {
	dir := fixtureDir(t)
	missing := filepath.Join(t.TempDir(), "nonexistent")
	badScan := filepath.Join(t.TempDir(), "scan.json")
	os.WriteFile(badScan, []byte("not json"), 0o644)
	emptyScan := filepath.Join(t.TempDir(), "empty.json")
	os.WriteFile(emptyScan, []byte("[]"), 0o644)
	closed := "127.0.0.1:1" // nothing listens on port 1

	tests := []struct {
		name  string
		args  []string
		code  int
		error string   // substring of "error"
		keys  []string // partial-result fields expected beside it
	}{
		{"conf show", []string{"conf", "-c", missing, "show", "--json"}, 1, "config directory", nil},
		{"conf show file", []string{"conf", "-c", dir, "show", "--json", "foo.conf"}, 1, "not a NUT config file", nil},
		{"conf get not set", []string{"conf", "-c", dir, "get", "--json", "ups.conf", "ups1.nothing"}, 1, "ups1.nothing is not set", nil},
		{"conf get args", []string{"conf", "-c", dir, "get", "--json", "ups.conf"}, 1, "accepts 2 arg(s)", nil},
		{"conf set refused", []string{"conf", "-c", dir, "set", "--json", "ups.conf", "ups1.parent", "a:b:c@"}, 1, "not saved", []string{"file", "findings"}},
		{"conf del missing", []string{"conf", "-c", dir, "del", "--json", "ups.conf", "ups1.nothing"}, 1, "no such key", nil},
		{"conf add-device", []string{"conf", "-c", dir, "add-device", "--json", "ups1", "driver=x", "port=y"}, 1, "exists already", nil},
		{"conf validate", []string{"conf", "-c", missing, "validate", "--json"}, 1, "config directory", nil},
		{"drivers", []string{"drivers", "-c", missing, "--json"}, 1, "config directory", nil},
		{"chain", []string{"chain", "--json", "a:b:c"}, 1, "a:b:c", nil},
		{"chain whatif", []string{"chain", "whatif", "--json", "nosuch@" + closed}, 1, "no such device", nil},
		{"scan", []string{"scan", "--json", "-n", "--rate", "0"}, 1, "--rate 0", nil},
		{"browse", []string{"browse", "--json", "extra"}, 1, "unknown command", nil},
		{"browse flag", []string{"browse", "--json", "--nosuch"}, 1, "unknown flag: --nosuch", nil},
		{"upsc", []string{"upsc", "--json", "ups1@" + closed}, 1, "Connection failure", nil},
		{"upsc list", []string{"upsc", "--json", "-l", closed}, 1, "Connection failure", nil},
		{"setup bad scan", []string{"setup", "-c", t.TempDir(), "--json", "--from", badScan}, 1, "not a scan result", []string{"written", "findings"}},
		{"setup no terminal", []string{"setup", "-c", t.TempDir(), "--json", "--from", emptyScan}, 2, "pass --yes", []string{"written", "findings"}},
		{"setup no user", []string{"setup", "-c", t.TempDir(), "--json", "--yes", "--server", closed}, 2, "--user is needed", []string{"written"}},
		{"setup flag", []string{"setup", "--json", "--hots", "x"}, 2, "unknown flag: --hots", nil},
		{"setup unreachable", []string{"setup", "-c", t.TempDir(), "--json", "--yes", "--server", closed, "--user", "u", "--password", "p"}, 1, "connection refused", []string{"written"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			var res map[string]any
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s\nstderr: %s", err, out, errOut)
			}
			msg, _ := res["error"].(string)
			if !strings.Contains(msg, tt.error) {
				t.Errorf("error %q lacks %q:\n%s", msg, tt.error, out)
			}
			for _, k := range tt.keys {
				if _, ok := res[k]; !ok {
					t.Errorf("no %q beside the error:\n%s", k, out)
				}
			}
			if strings.TrimSpace(errOut) == "" {
				t.Error("nothing on stderr for a person")
			}
		})
	}
}

// TestWriteJSONError: a failure's JSON is one object with "error" beside
// the partial result's fields, whatever the result is.
func TestWriteJSONError(t *testing.T) {
	var nilReport *setupReport
	tests := []struct {
		name   string
		result any
		want   string
	}{
		{"none", nil, `{"error":"it <failed>"}`},
		{"object", map[string]any{"file": "ups.conf", "findings": []int{}}, `{"error":"it <failed>","file":"ups.conf","findings":[]}`},
		{"not an object", []string{"a"}, `{"error":"it <failed>","result":["a"]}`},
		{"null", nilReport, `{"error":"it <failed>","result":null}`},
		{"error wins", map[string]string{"error": "inner"}, `{"error":"it <failed>"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := writeJSONError(&b, "it <failed>", tt.result); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := json.Compact(&got, []byte(b.String())); err != nil || got.String() != tt.want {
				t.Errorf("got %s (%v), want %s", b.String(), err, tt.want)
			}
		})
	}
}
