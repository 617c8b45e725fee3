package client_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/powerchain/powerchain/client"
)

// Read one variable of a device from a NUT server (powerchain's or
// NUT's own upsd).
func ExampleClient_Get() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, "localhost:3493")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Logout(ctx)
	status, err := c.Get(ctx, "ups1", "ups.status")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ups1 is", status)
}

// List every device of a server and its variables, as "upsc" does.
func ExampleClient_Vars() {
	ctx := context.Background()
	c, err := client.Dial(ctx, "localhost")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	upses, err := c.ListUPS(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range upses {
		vars, err := c.Vars(ctx, u.Name)
		if err != nil {
			log.Fatal(err)
		}
		for _, v := range vars {
			fmt.Printf("%s %s: %s\n", u.Name, v.Name, v.Value)
		}
	}
}

// Wait longer than the default 5 s for a slow server, and bound the whole
// session with a context.
func ExampleDialer() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d := &client.Dialer{Timeout: 15 * time.Second}
	c, err := d.Dial(ctx, "ups.example.net:3493")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Logout(ctx)
	vars, err := c.Vars(ctx, "ups1")
	if err != nil {
		log.Fatal(err) // a silent server: errors.Is(err, os.ErrDeadlineExceeded)
	}
	fmt.Println(len(vars), "variables")
}

// Switch an outlet off: log in with a user that upsd.users allows to run
// the command.
func ExampleClient_InstCmd() {
	ctx := context.Background()
	c, err := client.Dial(ctx, "localhost:3493")
	if err != nil {
		log.Fatal(err)
	}
	defer c.Logout(ctx)
	if err := c.Authenticate(ctx, "admin", "secret"); err != nil {
		log.Fatal(err)
	}
	if err := c.InstCmd(ctx, "pdu1", "outlet.2.load.off"); err != nil {
		log.Fatal(err)
	}
}
