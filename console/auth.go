package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"time"

	"github.com/powerchain/powerchain/conf"
)

// sessionLife is how long a log-in lasts.
const sessionLife = 8 * time.Hour

// session is a logged-in NUT user. The password is kept in memory only,
// to act on the servers as that user.
type session struct {
	user     string
	password conf.Secret
	expires  time.Time
}

// sessionOf returns the visitor's session, nil when there is none or it
// has expired.
func (c *Console) sessionOf(r *http.Request) *session {
	ck, err := r.Cookie("pc_session")
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sessions[ck.Value]
	if s == nil || time.Now().After(s.expires) {
		delete(c.sessions, ck.Value)
		return nil
	}
	return s
}

// sweepSessions forgets the sessions that have expired (a log-in is only
// looked at when its cookie comes back, which an abandoned one never
// does).
func (c *Console) sweepSessions(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for tok, s := range c.sessions {
		if now.After(s.expires) {
			delete(c.sessions, tok)
		}
	}
}

// login checks a NUT user of upsd.users and opens a session.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	if !checkCSRF(r) {
		http.Error(w, "bad or missing CSRF token", http.StatusForbidden)
		return
	}
	user, pass := r.FormValue("username"), r.FormValue("password")
	ok := false
	if cd, err := conf.LoadDir(c.opts.ConfDir); err == nil {
		if u, found := cd.Users().User(user); found && u.Password != "" &&
			subtle.ConstantTimeCompare([]byte(u.Password.Reveal()), []byte(pass)) == 1 {
			ok = true
		}
	}
	if !ok {
		c.log.Warn("console log-in refused", "user", user, "from", r.RemoteAddr)
		http.Redirect(w, r, "/login?"+url.Values{"error": {"wrong user or password"}}.Encode(), http.StatusSeeOther)
		return
	}
	now := time.Now()
	c.sweepSessions(now)
	tok := randomHex(24)
	c.mu.Lock()
	c.sessions[tok] = &session{user: user, password: conf.Secret(pass), expires: now.Add(sessionLife)}
	c.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: "pc_session", Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	c.log.Info("console log-in", "user", user, "from", r.RemoteAddr)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if !checkCSRF(r) {
		http.Error(w, "bad or missing CSRF token", http.StatusForbidden)
		return
	}
	if ck, err := r.Cookie("pc_session"); err == nil {
		c.mu.Lock()
		delete(c.sessions, ck.Value)
		c.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: "pc_session", Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// csrfToken returns the visitor's token (a cookie, submitted back with
// every form: double-submit).
func csrfToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie("pc_csrf"); err == nil && len(ck.Value) == 32 {
		return ck.Value
	}
	t := randomHex(16)
	http.SetCookie(w, &http.Cookie{Name: "pc_csrf", Value: t, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return t
}

func checkCSRF(r *http.Request) bool {
	ck, err := r.Cookie("pc_csrf")
	form := r.FormValue("csrf")
	if form == "" {
		form = r.Header.Get("X-CSRF-Token")
	}
	return err == nil && len(ck.Value) == 32 && subtle.ConstantTimeCompare([]byte(ck.Value), []byte(form)) == 1
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// writer is the session of a request that changes something: logged in,
// with the CSRF token. Otherwise it answers 401 or 403 and returns nil.
func (c *Console) writer(w http.ResponseWriter, r *http.Request) *session {
	s := c.sessionOf(r)
	switch {
	case s == nil:
		http.Error(w, "log in first", http.StatusUnauthorized)
		return nil
	case !checkCSRF(r):
		http.Error(w, "bad or missing CSRF token", http.StatusForbidden)
		return nil
	}
	return s
}
