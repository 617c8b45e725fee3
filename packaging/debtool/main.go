// Command debtool builds powerchain's Debian package with nfpm
// (github.com/goreleaser/nfpm): packaging/nfpm.yaml holds the package's
// metadata, relations and maintainer scripts; its files are the tree that
// "make install DESTDIR=STAGE" staged. "make deb" runs it; it is a module
// of its own so that nfpm's dependencies stay out of powerchain's.
//
//	debtool -config ../nfpm.yaml -stage DIR -version V [-arch amd64] -out FILE.deb
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
)

func main() {
	config := flag.String("config", "nfpm.yaml", "nfpm configuration; its relative paths are from its directory")
	stage := flag.String("stage", "", "the tree make install staged (DESTDIR)")
	version := flag.String("version", "", "package version")
	arch := flag.String("arch", runtime.GOARCH, "Debian architecture")
	out := flag.String("out", "", "the .deb to write")
	commit := flag.String("commit", "", "the commit built (hash and subject), for the changelog")
	flag.Parse()
	if err := build(*config, *stage, *version, *arch, *commit, *out); err != nil {
		fmt.Fprintln(os.Stderr, "debtool:", err)
		os.Exit(1)
	}
}

func build(config, stage, version, arch, commit, out string) error {
	if stage == "" || version == "" || out == "" {
		return fmt.Errorf("-stage, -version and -out are required")
	}
	var err error
	if stage, err = filepath.Abs(stage); err != nil {
		return err
	}
	if out, err = filepath.Abs(out); err != nil {
		return err
	}
	vars := map[string]string{"STAGE": stage, "VERSION": version, "ARCH": arch}
	cfg, err := nfpm.ParseFileWithEnvMapping(config, func(k string) string { return vars[k] })
	if err != nil {
		return fmt.Errorf("%s: %w", config, err)
	}
	// Script and content paths are relative to the configuration.
	if err := os.Chdir(filepath.Dir(config)); err != nil {
		return err
	}
	info, err := cfg.Get("deb")
	if err != nil {
		return err
	}
	info = nfpm.WithDefaults(info)
	if err := nfpm.Validate(info); err != nil {
		return err
	}
	if err := writeChangelog(stage, info, commit); err != nil {
		return err
	}
	pkg, err := nfpm.Get("deb")
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := pkg.Package(info, f); err != nil {
		f.Close()
		os.Remove(out)
		return fmt.Errorf("packaging: %w", err)
	}
	return f.Close()
}

// writeChangelog puts the changelog of a native package into the staged
// tree: one entry for the version built, dated SOURCE_DATE_EPOCH (the
// commit's date under make), compressed without a timestamp.
func writeChangelog(stage string, info *nfpm.Info, commit string) error {
	date := time.Now()
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH: %w", err)
		}
		date = time.Unix(sec, 0)
	}
	what := "Built from the working tree."
	if commit != "" {
		what = "Built from commit " + commit + "."
	}
	text := fmt.Sprintf("%s (%s) unstable; urgency=medium\n\n  * %s\n\n -- %s  %s\n",
		info.Name, info.Version, what, info.Maintainer, date.UTC().Format(time.RFC1123Z))
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	zw.Write([]byte(text))
	if err := zw.Close(); err != nil {
		return err
	}
	dir := filepath.Join(stage, "usr/share/doc", info.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "changelog.gz"), buf.Bytes(), 0o644)
}
