package netxml_test

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// card answers as an Eaton/MGE network card answers NUT's netxml-ups,
// from documents derived from NUT's own mapping (testdata/9px: no real
// card's pages are public). It serves "/", product.xml at one of the
// places NUT tries, the pages product.xml names, SET through
// /Forms/set_obj_2 (the object changes), the alarm subscription
// (subscribe.cgi, then a TCP channel that sends ALARM documents), and
// optionally asks for a login.
type card struct {
	t    *testing.T
	srv  *http.Server
	ln   net.Listener
	URL  string
	Host string

	mu    sync.Mutex
	pages map[string][]byte // path → document
	// requests are the paths asked for, in order; sets the SET_OBJECT
	// documents posted.
	requests []string
	sets     []string
	// login, when set, is demanded with HTTP Basic authentication.
	login, password string

	alarmLn   net.Listener
	secret    int
	alarmConn net.Conn
	alarmSeen chan struct{} // closed when a subscriber is identified
}

// startCard serves the documents of dir; productAt is where product.xml
// answers ("/product.xml" …), the other places NUT tries answer 404.
func startCard(t *testing.T, dir, productAt string) *card {
	t.Helper()
	c := &card{t: t, pages: map[string][]byte{}, secret: 12345, alarmSeen: make(chan struct{})}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		p := "/" + e.Name()
		if e.Name() == "product.xml" {
			p = productAt
		}
		c.pages[p] = b
	}
	c.pages["/"] = []byte("<html><body>Network Management Card</body></html>\n")
	if c.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if c.alarmLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	c.URL, c.Host = "http://"+c.ln.Addr().String(), c.ln.Addr().String()
	c.srv = &http.Server{Handler: c}
	go c.srv.Serve(c.ln)
	go c.acceptAlarms()
	t.Cleanup(func() {
		c.srv.Close()
		c.alarmLn.Close()
		c.mu.Lock()
		if c.alarmConn != nil {
			c.alarmConn.Close()
		}
		c.mu.Unlock()
	})
	return c
}

func (c *card) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.requests = append(c.requests, r.Method+" "+r.URL.Path)
	login, password := c.login, c.password
	c.mu.Unlock()
	if login != "" {
		if u, p, ok := r.BasicAuth(); !ok || u != login || p != password {
			w.Header().Set("WWW-Authenticate", `Basic realm="NMC"`)
			http.Error(w, "login", http.StatusUnauthorized)
			return
		}
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/Forms/set_obj_2":
		c.set(w, r)
		return
	case r.Method == http.MethodPost && r.URL.Path == "/subscribe.cgi":
		io.Copy(io.Discard, r.Body)
		// Not well-formed XML, one tag a line: what the 2.7.4 driver
		// parsed and 2.8.0's means to.
		fmt.Fprintf(w, "<?xml version=\"1.0\"?>\r\n<Subscribe>\r\n<Port>%d</Port>\r\n<Secret>%d</Secret>\r\n</Subscribe>\r\n",
			c.alarmLn.Addr().(*net.TCPAddr).Port, c.secret)
		return
	}
	c.mu.Lock()
	b, ok := c.pages[r.URL.Path]
	c.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	// No RFC 3023 content type, as the Transverse card (NUT's comment).
	w.Header().Set("Content-Type", "text/plain")
	w.Write(b)
}

// set takes the form NUT's driver posts: a multipart form whose file is
// a SET_OBJECT document; the object takes the value.
func (c *card) set(w http.ResponseWriter, r *http.Request) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	part, err := mr.NextPart()
	if err != nil || part.FileName() != "Configuration.xml" {
		http.Error(w, fmt.Sprint("no Configuration.xml: ", err), http.StatusBadRequest)
		return
	}
	doc, _ := io.ReadAll(part)
	var so struct {
		Objects []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:",chardata"`
		} `xml:"OBJECT"`
	}
	if err := xml.Unmarshal(doc, &so); err != nil {
		// NUT's driver inserts the value without escaping it.
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.sets = append(c.sets, string(doc))
	c.mu.Unlock()
	for _, o := range so.Objects {
		c.Object(o.Name, o.Value)
	}
	fmt.Fprintln(w, "<html><body>Settings saved</body></html>")
}

// objectRE finds an object's element in a page.
func objectRE(name string) *regexp.Regexp {
	return regexp.MustCompile(`(<OBJECT name="` + regexp.QuoteMeta(name) + `"[^>]*>)([^<]*)(</OBJECT>)`)
}

// Object changes an object's value on every page that has it.
func (c *card) Object(name, value string) {
	re := objectRE(name)
	var esc bytes.Buffer
	xml.EscapeText(&esc, []byte(value))
	c.mu.Lock()
	defer c.mu.Unlock()
	for p, b := range c.pages {
		c.pages[p] = re.ReplaceAll(b, []byte("${1}"+strings.ReplaceAll(esc.String(), "$", "$$")+"${3}"))
	}
}

// Value is an object's value as the card serves it.
func (c *card) Value(name string) string {
	re := objectRE(name)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range c.pages {
		if m := re.FindSubmatch(b); m != nil {
			return string(m[2])
		}
	}
	return ""
}

// Page replaces a document.
func (c *card) Page(path string, b []byte) {
	c.mu.Lock()
	c.pages[path] = b
	c.mu.Unlock()
}

// Requests returns the requests so far.
func (c *card) Requests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.requests...)
}

// Sets returns the SET_OBJECT documents posted so far.
func (c *card) Sets() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.sets...)
}

// acceptAlarms takes subscribers on the alarm channel: a NUL-ended
// <Subscription Identification="SECRET"> answered ok.
func (c *card) acceptAlarms() {
	for {
		conn, err := c.alarmLn.Accept()
		if err != nil {
			return
		}
		id, err := bufio.NewReader(conn).ReadString(0)
		if err != nil || !strings.Contains(id, fmt.Sprintf(`Identification="%d"`, c.secret)) {
			conn.Write([]byte("<Subscription Answer=\"ko\"></Subscription>\x00"))
			conn.Close()
			continue
		}
		conn.Write([]byte("<Subscription Answer=\"ok\"></Subscription>\x00"))
		c.mu.Lock()
		if c.alarmConn == nil {
			close(c.alarmSeen)
		} else {
			c.alarmConn.Close()
		}
		c.alarmConn = conn
		c.mu.Unlock()
	}
}

// Alarm changes an object and sends it on the alarm channel, as the card
// does when a condition changes.
func (c *card) Alarm(object, value, date string) error {
	c.Object(object, value)
	c.mu.Lock()
	conn := c.alarmConn
	c.mu.Unlock()
	if conn == nil {
		return fmt.Errorf("no subscriber")
	}
	_, err := fmt.Fprintf(conn, "<ALARM object=\"%s\" value=\"%s\" date=\"%s\"></ALARM>\x00", object, value, date)
	return err
}
