package daemon

import (
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/powerchain/powerchain/conf"
	"github.com/powerchain/powerchain/driver"
	"github.com/powerchain/powerchain/driver/hosted"
	"github.com/powerchain/powerchain/driver/nutsock"
	"github.com/powerchain/powerchain/server"
)

// config is a configuration directory as the daemon runs it.
type config struct {
	dir       *conf.Dir
	upsd      *conf.UpsdConf
	devices   []driver.Config
	server    *server.Config
	statePath string // External only
	// hosted is how NUT's programs run for the devices powerchain has
	// no driver for (not External).
	hosted hosted.Config
}

// readConfig reads the directory as NUT 2.8.0's upsd reads it, at start
// (main, load_upsdconf, server_load, upsconf_add, user_load, ssl_init) or
// on a reload (conf_reload). It logs as warnings what NUT logs, and
// returns an error where NUT's upsd refuses to start or, on a reload,
// where it would give up the reload or exit.
func (d *Daemon) readConfig(reload bool) (*config, error) {
	dir := d.opts.ConfDir
	cd, err := conf.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{conf.UpsdConfFile, conf.UPSConfFile, conf.UsersFile} {
		if f := cd.Files[name]; f != nil {
			for _, finding := range conf.ValidateFile(f) {
				d.log.Warn(finding.String())
			}
		}
	}
	missing := func(name string) string { return filepath.Join(dir, name) + ": no such file" }

	if cd.Files[conf.UpsdConfFile] == nil {
		switch {
		case reload && (d.opts.RequireFiles || d.cfg.dir.Files[conf.UpsdConfFile] != nil):
			return nil, fmt.Errorf("%s (NUT's upsd keeps its configuration too)", missing(conf.UpsdConfFile))
		case d.opts.RequireFiles:
			return nil, fmt.Errorf("%s: NUT's upsd does not start without it", missing(conf.UpsdConfFile))
		case !reload:
			d.log.Warn(missing(conf.UpsdConfFile) + "; NUT's defaults apply (NUT's upsd would not start)")
		}
	}
	u := cd.Upsd()
	if err := u.Refusals.Err(); err != nil {
		return nil, err
	}
	if cd.Files[conf.UPSConfFile] == nil {
		if reload {
			return nil, fmt.Errorf("%s (NUT's upsd exits here)", missing(conf.UPSConfFile))
		}
		return nil, errors.New(missing(conf.UPSConfFile))
	}
	cfg := &config{dir: cd, upsd: u, devices: driverConfigs(cd)}
	if len(cfg.devices) == 0 && !reload {
		if !allowNoDevice(u) {
			return nil, fmt.Errorf("%s defines no UPS: NUT's upsd refuses to start without one (ALLOW_NO_DEVICE true in upsd.conf starts with none)",
				filepath.Join(dir, conf.UPSConfFile))
		}
		d.log.Warn(filepath.Join(dir, conf.UPSConfFile) + " defines no UPS: serving none until a reload adds one (ALLOW_NO_DEVICE)")
	}
	if err := checkMaxConn(u.MaxConn); err != nil {
		return nil, err
	}

	users := cd.Users().Users
	if cd.Files[conf.UsersFile] == nil {
		switch {
		case reload:
			d.log.Warn(missing(conf.UsersFile) + "; keeping the users")
			users = d.cfg.server.Users
		case d.opts.RequireFiles:
			return nil, fmt.Errorf("%s: NUT's upsd does not start without it", missing(conf.UsersFile))
		default:
			d.log.Warn(missing(conf.UsersFile) + ": nobody can log in (NUT's upsd would not start)")
		}
	}
	cfg.server = &server.Config{MaxAge: maxAge(u.MaxAge), MaxConn: u.MaxConn, Users: users,
		// NUT forgets a result once it is a whole second past the
		// delay, so TRACKINGDELAY 0 keeps it about a second.
		TrackingDelay: time.Duration(max(u.TrackingDelay, 1)) * time.Second,
		Limits:        d.opts.Limits, Sessions: d.opts.Sessions}
	if u.DataPath != "" {
		cfg.server.Descriptions = server.LoadDescriptions(filepath.Join(u.DataPath, "cmdvartab"))
	}
	if u.ChainGuard {
		cfg.server.Guard = d.chainGuard
	}

	if d.opts.External {
		if cfg.statePath, err = d.stateDir(u, reload); err != nil {
			return nil, err
		}
	} else {
		cfg.hosted = hosted.FromUPSConf(cd.UPS(), cd.Path, d.hostedStateDir(u, reload))
	}

	cfg.server.TLS, err = loadTLS(u)
	if err != nil {
		if !reload {
			return nil, err
		}
		d.log.Error(err.Error() + "; keeping the certificate in use")
		cfg.server.TLS = d.cfg.server.TLS
	}
	return cfg, nil
}

// maxAge is MAXAGE for the server: 0 seconds means data is stale as soon
// as it is not brand new, as with NUT.
func maxAge(seconds int) time.Duration {
	if seconds == 0 {
		return time.Nanosecond
	}
	return time.Duration(seconds) * time.Second
}

// allowNoDevice is ALLOW_NO_DEVICE, which the environment variable of
// that name overrides as in NUT's upsd (its value read by prefix).
func allowNoDevice(u *conf.UpsdConf) bool {
	env, ok := os.LookupEnv("ALLOW_NO_DEVICE")
	if !ok {
		return u.AllowNoDevice
	}
	env = strings.ToUpper(env)
	for _, w := range []string{"TRUE", "YES", "ON", "1"} {
		if strings.HasPrefix(env, w) {
			return true
		}
	}
	for _, w := range []string{"FALSE", "NO", "OFF", "0"} {
		if strings.HasPrefix(env, w) {
			return false
		}
	}
	return u.AllowNoDevice
}

// checkMaxConn refuses a MAXCONN beyond the process's limit on open
// files, as NUT's upsd does.
func checkMaxConn(n int) error {
	var lim syscall.Rlimit
	if n <= 0 || syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) != nil {
		return nil
	}
	if uint64(n) > lim.Cur {
		return fmt.Errorf("upsd.conf: MAXCONN %d is more than this system's limit on open files (%d): NUT's upsd refuses to start", n, lim.Cur)
	}
	return nil
}

// stateDir is where External drivers' sockets are: upsd.conf's STATEPATH
// (fixed at start, as NUT's upsd changes into it once), else the
// option, else $NUT_STATEPATH or NUT's default. NUT's upsd refuses to
// start when it is not a directory, and warns when others may read it.
func (d *Daemon) stateDir(u *conf.UpsdConf, reload bool) (string, error) {
	if reload {
		return d.statePath, nil
	}
	p := u.StatePath
	if p == "" {
		p = d.opts.StatePath
	}
	if p == "" {
		p = nutsock.StatePath()
	}
	st, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("state path: %w", err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("state path %s: not a directory", p)
	}
	if st.Mode().Perm()&0o005 != 0 {
		d.log.Warn(fmt.Sprintf("state path %s is world readable (mode %04o)", p, st.Mode().Perm()))
	}
	return p, nil
}

// hostedStateDir is where NUT's programs run by serve open their
// sockets: as for External drivers (fixed at start), but not checked
// here: a program that cannot use it says so when it starts.
func (d *Daemon) hostedStateDir(u *conf.UpsdConf, reload bool) string {
	if reload && d.cfg != nil {
		return d.cfg.hosted.StatePath
	}
	switch {
	case u.StatePath != "":
		return u.StatePath
	case d.opts.StatePath != "":
		return d.opts.StatePath
	}
	return nutsock.StatePath()
}

// loadTLS reads CERTFILE (a PEM file with the certificate and its key,
// as NUT built with OpenSSL reads it; a file that is missing or invalid
// refuses the start as it does there). CERTPATH, the NSS database of
// Debian's build, must exist as NUT checks it, but powerchain cannot
// read it and offers no STARTTLS with it.
func loadTLS(u *conf.UpsdConf) (*tls.Config, error) {
	if u.CertPath != "" && u.CertFile == "" {
		if _, err := os.Stat(u.CertPath); err != nil {
			return nil, fmt.Errorf("upsd.conf CERTPATH: %w", err)
		}
		return nil, nil
	}
	if u.CertFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(u.CertFile, u.CertFile)
	if err != nil {
		return nil, fmt.Errorf("upsd.conf CERTFILE %s: %w", u.CertFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
