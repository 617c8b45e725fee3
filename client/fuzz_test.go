package client

import (
	"context"
	"strings"
	"testing"

	"github.com/powerchain/powerchain/nut"
)

// FuzzReply feeds arbitrary server output to every method of the client:
// whatever a server sends, the client returns values or an error, never
// panics, and never hands out more than MaxListItems items or a line with
// a line break in it.
func FuzzReply(f *testing.F) {
	for _, seed := range []string{
		"BEGIN LIST UPS\nUPS ups1 \"Main UPS\"\nUPS pdu1 \"Description unavailable\"\nEND LIST UPS\n",
		"BEGIN LIST VAR ups1\nVAR ups1 battery.charge \"100\"\nVAR ups1 ups.status \"OL CHRG\"\nVAR ups1 ups.id \"rack \\\"7\\\" \\\\ \\#2\"\nEND LIST VAR ups1\n",
		"BEGIN LIST RW ups1\nRW ups1 ups.id \"x\"\nEND LIST RW ups1\n",
		"BEGIN LIST CMD ups1\nCMD ups1 load.off\nCMD ups1 outlet.1.load.on\nEND LIST CMD ups1\n",
		"BEGIN LIST ENUM ups1 v\nENUM ups1 v \"100\"\nEND LIST ENUM ups1 v\n",
		"BEGIN LIST RANGE ups1 v\nRANGE ups1 v \"0\" \"10\"\nEND LIST RANGE ups1 v\n",
		"BEGIN LIST CLIENT ups1\nCLIENT ups1 127.0.0.1\nEND LIST CLIENT ups1\n",
		"VAR ups1 ups.status \"OL\"\n",
		"TYPE ups1 ups.id RW STRING:16\n",
		"DESC ups1 ups.id \"Device identifier\"\n",
		"CMDDESC ups1 load.off \"Turn off the load immediately\"\n",
		"UPSDESC ups1 \"Main UPS\"\n",
		"NUMLOGINS ups1 2\n",
		"OK\nOK\nOK\n",
		"OK TRACKING 0b4e9a3c-1d2f-4a5b-8c6d-7e8f9a0b1c2d\n",
		"OK STARTTLS\n",
		"OK SUBSCRIBE 0123456789abcdef:41 NOW\nSTATE 41 ups1 OK\nVAR 42 ups1 ups.status \"OB LB\"\nDELVAR 43 ups1 x\nMETA 44 ups1\nADD 45 ups2\nREMOVE 46 ups2\nPING 46\nDROPPED 46 TOO-SLOW \"fell behind\"\n",
		"OK SUBSCRIBE f:7 RESUMED\nVAR 6 ups1 a \"b\"\n",
		"ERR ACCESS-DENIED\n",
		"ERR UNKNOWN-UPS\n",
		"BEGIN LIST UPS\n\"\n",
		"BEGIN LIST UPS\r\nUPS a b\r\nEND LIST UPS\r\n",
		"",
		"\n\n\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, reply []byte) {
		ctx := context.Background()
		run := func(call func(c *Client) error) {
			conn := newScripted(string(reply))
			_ = call(NewClient(conn))
		}
		noBreak := func(what string, ss ...string) {
			for _, s := range ss {
				if strings.ContainsAny(s, "\n") {
					t.Fatalf("%s: %q holds a line break", what, s)
				}
			}
		}
		run(func(c *Client) error {
			l, err := c.ListUPS(ctx)
			if len(l) > MaxListItems {
				t.Fatalf("ListUPS: %d items", len(l))
			}
			for _, u := range l {
				noBreak("ListUPS", u.Name, u.Desc)
			}
			return err
		})
		for _, list := range []func(*Client) ([]Var, error){
			func(c *Client) ([]Var, error) { return c.Vars(ctx, "ups1") },
			func(c *Client) ([]Var, error) { return c.RW(ctx, "ups1") },
		} {
			run(func(c *Client) error {
				vs, err := list(c)
				for _, v := range vs {
					noBreak("Vars", v.Name, v.Value)
				}
				return err
			})
		}
		for _, list := range []func(*Client) ([]string, error){
			func(c *Client) ([]string, error) { return c.Commands(ctx, "ups1") },
			func(c *Client) ([]string, error) { return c.Enum(ctx, "ups1", "v") },
			func(c *Client) ([]string, error) { return c.Clients(ctx, "ups1") },
		} {
			run(func(c *Client) error {
				ss, err := list(c)
				noBreak("list", ss...)
				return err
			})
		}
		run(func(c *Client) error { _, err := c.Ranges(ctx, "ups1", "v"); return err })
		for _, one := range []func(*Client) (string, error){
			func(c *Client) (string, error) { return c.Get(ctx, "ups1", "ups.status") },
			func(c *Client) (string, error) { return c.Desc(ctx, "ups1", "ups.id") },
			func(c *Client) (string, error) { return c.CmdDesc(ctx, "ups1", "load.off") },
			func(c *Client) (string, error) { return c.UPSDesc(ctx, "ups1") },
			func(c *Client) (string, error) { return c.Command(ctx, "GET", "TRACKING", "x") },
		} {
			run(func(c *Client) error {
				s, err := one(c)
				noBreak("reply", s)
				return err
			})
		}
		run(func(c *Client) error { _, err := c.Type(ctx, "ups1", "ups.id"); return err })
		run(func(c *Client) error { _, err := c.NumLogins(ctx, "ups1"); return err })
		run(func(c *Client) error { return c.Authenticate(ctx, "admin", "pw") })
		run(func(c *Client) error { return c.Login(ctx, "ups1") })
		run(func(c *Client) error { return c.Set(ctx, "ups1", "ups.id", "x") })
		run(func(c *Client) error { return c.InstCmd(ctx, "ups1", "load.off") })
		run(func(c *Client) error {
			sub, err := c.Subscribe(ctx, nut.Position{Feed: "f", Seq: 3}, "ups1")
			for i := 0; err == nil && i < 100; i++ {
				var ch nut.Change
				ch, err = sub.Next(ctx)
				noBreak("change", ch.Kind, ch.UPS, ch.Name, ch.Value)
			}
			return err
		})
		// A whole session on one connection: each request reads on from
		// where the previous reply ended.
		run(func(c *Client) error {
			c.Authenticate(ctx, "admin", "pw")
			c.ListUPS(ctx)
			c.Vars(ctx, "ups1")
			c.Get(ctx, "ups1", "ups.status")
			c.InstCmd(ctx, "ups1", "load.off")
			return c.Logout(ctx)
		})
	})
}
