// Package clienttest opens NUT client connections for tests: a failure
// to connect or log in fails the test, and the connection is closed when
// the test ends.
package clienttest

import (
	"context"
	"testing"
	"time"

	"github.com/powerchain/powerchain/client"
	"github.com/powerchain/powerchain/internal/waittest"
)

// Dial connects to the NUT server at addr (host:port).
func Dial(ctx context.Context, t testing.TB, addr string) *client.Client {
	t.Helper()
	c, err := client.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Login connects to the NUT server at addr and logs in as user.
func Login(ctx context.Context, t testing.TB, addr, user, password string) *client.Client {
	t.Helper()
	c, err := client.DialAs(ctx, addr, user, password)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Set logs in to the NUT server at addr as user and sets the variable
// name of device ups to value, within 5 s, on a connection of its own
// that it closes before it returns.
func Set(t testing.TB, addr, user, password, ups, name, value string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := client.DialAs(ctx, addr, user, password)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Set(ctx, ups, name, value); err != nil {
		t.Fatal(err)
	}
}

// WaitValue polls the variable name of device ups over c until it reads
// want, and fails the test if it does not within the time.
func WaitValue(t testing.TB, c *client.Client, ups, name, want string, within time.Duration) {
	t.Helper()
	var got string
	var err error
	if !waittest.Until(within, 100*time.Millisecond, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		got, err = c.Get(ctx, ups, name)
		return err == nil && got == want
	}) {
		t.Fatalf("%s %s = %q (%v), want %q", ups, name, got, err, want)
	}
}
