package conf

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// WriteFileAtomic replaces path with data so that a crash at any moment
// leaves either the old file or the new one, never a mix: it writes a
// temporary file in the same directory, syncs it, gives it the old file's
// mode and owner (perm and the directory's group for a new file: root:nut
// in Debian's /etc/nut, so that NUT's daemons running as nut read it),
// renames it over path and syncs the directory. Temporary files that earlier saves of path left behind when
// they were killed (older than a minute, so never a save still running)
// are removed.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	mode := perm
	uid, gid := -1, -1
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			uid, gid = int(sys.Uid), int(sys.Gid)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("save %s: %w", path, err)
	} else if st, err := os.Stat(dir); err == nil {
		if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Gid) != os.Getegid() {
			gid = int(sys.Gid)
		}
	}

	pattern := "." + filepath.Base(path) + ".tmp-*"
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("save %s: write: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fmt.Errorf("save %s: chmod: %w", path, err)
	}
	if uid >= 0 && (uid != os.Geteuid() || gid != os.Getegid()) {
		if err := tmp.Chown(uid, gid); err != nil {
			return fmt.Errorf("save %s: keep owner %d:%d: %w", path, uid, gid, err)
		}
	} else if uid < 0 && gid >= 0 {
		// A new file in a directory of another group: its group, where
		// this process may give it (root, or a member of the group).
		tmp.Chown(-1, gid)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("save %s: fsync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save %s: close: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("save %s: rename: %w", path, err)
	}
	ok = true
	removeStaleTemps(dir, pattern, time.Now().Add(-staleTemp))
	if d, err := os.Open(dir); err == nil {
		// The rename is durable only once the directory is on disk.
		err = d.Sync()
		d.Close()
		if err != nil {
			return fmt.Errorf("save %s: fsync directory: %w", path, err)
		}
	}
	return nil
}

// staleTemp is the age after which a temporary file of a save is taken to
// be left by a save that was killed.
const staleTemp = time.Minute

// removeStaleTemps removes the files matching pattern in dir last written
// before cutoff. Failing to remove one is not an error of the save.
func removeStaleTemps(dir, pattern string, cutoff time.Time) {
	names, _ := filepath.Glob(filepath.Join(dir, pattern))
	for _, n := range names {
		if st, err := os.Lstat(n); err == nil && st.Mode().IsRegular() && st.ModTime().Before(cutoff) {
			os.Remove(n)
		}
	}
}
