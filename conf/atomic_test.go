package conf

import (
	"bytes"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestWriteFileAtomicKeepsMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "upsd.users")
	if err := os.WriteFile(p, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode %04o, want 0640", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(p); string(b) != "new\n" {
		t.Errorf("content %q", b)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// A new file gets the given mode.
	q := filepath.Join(dir, "new.conf")
	if err := WriteFileAtomic(q, []byte("x"), 0o640); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(q); st.Mode().Perm() != 0o640 {
		t.Errorf("new file mode %04o", st.Mode().Perm())
	}
}

func TestWriteFileAtomicKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changing owners needs root")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "upsd.users")
	os.WriteFile(p, []byte("old"), 0o640)
	if err := os.Chown(p, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	sys := st.Sys().(*syscall.Stat_t)
	if sys.Uid != 65534 || sys.Gid != 65534 {
		t.Errorf("owner %d:%d, want 65534:65534", sys.Uid, sys.Gid)
	}
}

// A new file takes its directory's group (/etc/nut is root:nut on
// Debian, and NUT's daemons read it as nut); the owner is the writer.
func TestWriteFileAtomicNewFileGroup(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changing groups needs root")
	}
	dir := t.TempDir()
	if err := os.Chown(dir, 0, 65534); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "upsmon.conf")
	if err := WriteFileAtomic(p, []byte("new"), 0o640); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	sys := st.Sys().(*syscall.Stat_t)
	if sys.Uid != 0 || sys.Gid != 65534 || st.Mode().Perm() != 0o640 {
		t.Errorf("new file %d:%d %04o, want 0:65534 0640", sys.Uid, sys.Gid, st.Mode().Perm())
	}
}

func TestWriteFileAtomicErrors(t *testing.T) {
	if err := WriteFileAtomic("/nonexistent-dir/x.conf", []byte("x"), 0o644); err == nil {
		t.Error("no error writing into a missing directory")
	}
}

// TestKillDuringSave kills a process that saves in a loop at random
// moments and checks that the file is always whole: the old content or
// the new, never a mix or a truncation.
func TestKillDuringSave(t *testing.T) {
	if p := os.Getenv("POWERCHAIN_SAVE_LOOP"); p != "" {
		saveLoop(p)
		return
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "ups.conf")
	a, b := content('a'), content('b')
	if err := os.WriteFile(p, a, 0o640); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	seen := map[byte]int{}
	const rounds = 25
	for i := 0; i < rounds; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringSave$")
		cmd.Env = append(os.Environ(), "POWERCHAIN_SAVE_LOOP="+p)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(5+rng.Intn(40)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
			t.Fatalf("round %d: file is neither old nor new (%d bytes)", i, len(got))
		}
		seen[got[0]]++
	}
	t.Logf("after %d kills: old content %d times, new %d times", rounds, seen['a'], seen['b'])
	// Temporary files of killed saves may remain; they never replace
	// ups.conf, and a later save removes them once they are a minute old.
	left, _ := filepath.Glob(filepath.Join(dir, ".ups.conf.tmp-*"))
	t.Logf("%d temporary files left by killed saves", len(left))
	old := time.Now().Add(-2 * time.Minute)
	for _, f := range left {
		os.Chtimes(f, old, old)
	}
	if err := WriteFileAtomic(p, a, 0o640); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".ups.conf.tmp-*")); len(left) != 0 {
		t.Errorf("after a save, %d stale temporary files remain", len(left))
	}
}

func content(c byte) []byte {
	line := strings.Repeat(string(c), 63) + "\n"
	return []byte(strings.Repeat(line, 1<<14)) // 1 MiB
}

func saveLoop(p string) {
	a, b := content('a'), content('b')
	for i := 0; ; i++ {
		data := a
		if i%2 == 0 {
			data = b
		}
		if err := WriteFileAtomic(p, data, 0o640); err != nil {
			os.Exit(1)
		}
	}
}

// TestSaveRemovesStaleTemps: a save removes the temporary files killed
// saves of the same file left (older than a minute), and no other file.
func TestSaveRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "upsd.users")
	old := time.Now().Add(-2 * time.Minute)
	files := map[string]bool{ // name → removed by the save
		".upsd.users.tmp-111": true,
		".upsd.users.tmp-222": false, // fresh: maybe a save still running
		".ups.conf.tmp-333":   false, // another file's
		"upsd.users.tmp-444":  false, // not a name our saves use
	}
	for name, stale := range files {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		if stale || name != ".upsd.users.tmp-222" {
			os.Chtimes(f, old, old)
		}
	}
	if err := WriteFileAtomic(p, []byte("[admin]\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	for name, removed := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := os.IsNotExist(err); gone != removed {
			t.Errorf("%s: removed %v, want %v", name, gone, removed)
		}
	}
	if got, _ := os.ReadFile(p); string(got) != "[admin]\n" {
		t.Errorf("saved %q", got)
	}
}
