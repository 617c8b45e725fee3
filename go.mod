module github.com/powerchain/powerchain

go 1.26.8

require github.com/spf13/cobra v1.10.2

require (
	github.com/godbus/dbus/v5 v5.1.0 // indirect
	github.com/gosnmp/gosnmp v1.47.0 // indirect
	github.com/hashicorp/mdns v1.0.7 // indirect
	github.com/holoplot/go-avahi v1.0.1 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/miekg/dns v1.1.72 // indirect
	github.com/spf13/pflag v1.1.0 // indirect
	golang.org/x/mod v0.31.0 // indirect
	golang.org/x/net v0.48.0 // indirect
	golang.org/x/sync v0.19.0 // indirect
	golang.org/x/sys v0.39.0 // indirect
	golang.org/x/tools v0.40.0 // indirect
)
