// Package clienttest opens NUT client connections for tests: a failure
// to connect or log in fails the test, and the connection is closed when
// the test ends.
package clienttest

import (
	"context"
	"testing"

	"github.com/powerchain/powerchain/client"
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
	c := Dial(ctx, t, addr)
	if err := c.Authenticate(ctx, user, password); err != nil {
		t.Fatal(err)
	}
	return c
}
