# powerchain: build, test and the peers the tests need.
#
#   make check   installs what the tests need, then runs every test
#   make build   builds ./powerchain; make install [DESTDIR=… PREFIX=/usr] installs it
#   make deb     builds the Debian package powerchain_VERSION_ARCH.deb [DEB_OUT=dir]

GO       ?= go
# Debian packages of the real peers the tests run against.
DEB_PKGS := nut-server nut-client python3-nut nut-snmp nut-ipmi nut-xml snmpsim snmpd snmp avahi-daemon avahi-utils dbus iproute2 openipmi ipmitool freeipmi-tools fence-agents libxml2-utils chromium curl augeas-tools nftables pacemaker-cli-utils pacemaker graphviz lintian systemd

.PHONY: check deps test vet fuzz-smoke build bench install screenshots deb

check: deps vet test fuzz-smoke

deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	$(GO) mod download
	cd packaging/debtool && $(GO) mod download

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# The packages whose readers go without locks also run under the race
# detector (a few seconds).
test:
	$(GO) test -count=1 ./...
	$(GO) test -race -count=1 ./device ./server

# A short run of each fuzz target on top of the committed corpus. A run
# bounded by a count (-fuzztime=Nx) cannot hit Go 1.26's race at the end
# of a timed run ("context deadline exceeded" with no crasher, go.dev/issue/75804).
fuzz-smoke:
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=100000x ./conf
	$(GO) test -run='^$$' -fuzz='^FuzzRequest$$' -fuzztime=10000x ./server
	$(GO) test -run='^$$' -fuzz='^FuzzAppendWords$$' -fuzztime=50000x ./nut
	$(GO) test -run='^$$' -fuzz='^FuzzReply$$' -fuzztime=5000x ./client
	$(GO) test -run='^$$' -fuzz='^FuzzNUTServerReply$$' -fuzztime=10000x ./scan
	$(GO) test -run='^$$' -fuzz='^FuzzNetXMLAnswer$$' -fuzztime=30000x ./scan
	$(GO) test -run='^$$' -fuzz='^FuzzSNMPReply$$' -fuzztime=30000x ./scan
	$(GO) test -run='^$$' -fuzz='^FuzzParseSim$$' -fuzztime=2000x -fuzzminimizetime=1s ./driver/dummy
	$(GO) test -run='^$$' -fuzz='^FuzzAttach$$' -fuzztime=2000x -fuzzminimizetime=1s ./driver/nutsock
	$(GO) test -run='^$$' -fuzz='^FuzzFRU$$' -fuzztime=5000x -fuzzminimizetime=1s ./driver/ipmipsu
	$(GO) test -run='^$$' -fuzz='^FuzzSDR$$' -fuzztime=5000x -fuzzminimizetime=1s ./driver/ipmipsu
	$(GO) test -run='^$$' -fuzz='^FuzzConvert$$' -fuzztime=10000x -fuzzminimizetime=1s ./driver/snmpups
	$(GO) test -run='^$$' -fuzz='^FuzzTrap$$' -fuzztime=20000x -fuzzminimizetime=1s ./snmptrap
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=20000x -fuzzminimizetime=1s ./hid
	$(GO) test -run='^$$' -fuzz='^FuzzTables$$' -fuzztime=400x -fuzzminimizetime=1s ./driver/usbhid
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=20000x -fuzzminimizetime=1s ./driver/netxml

# The version and date of a build come from its commit, so that a build
# is reproducible (SOURCE_DATE_EPOCH dates the man pages and the package).
VERSION ?= $(shell git log -1 --format='0.1.0~git%cd.%h' --date=format:%Y%m%d 2>/dev/null || echo 0.1.0)
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '-s -w -X main.buildVersion=$(VERSION)' -o powerchain ./cmd/powerchain

# The console's screenshots in docs/ (README), taken in headless Chromium
# from the example rack with a day of history.
screenshots:
	$(GO) test -count=1 -run '^TestInChromium$$' ./console -args -screenshots

# The binary; the fence agents under their ClusterLabs names in sbin and
# the NUT program names in lib/powerchain (add it to PATH to stand in for
# NUT's programs; /usr/bin stays Debian's NUT's); man pages of every
# command and the fence agents; shell completions; systemd units and init
# scripts (packaging/); udev rules giving the nut group the USB UPSes
# (their hidraw nodes too); the polkit rule that lets the monitor, running as
# nut, power the machine off; README and example configurations. Nothing
# goes to /etc/nut.
PREFIX ?= /usr
UNITDIR ?= /lib/systemd/system
UDEVDIR ?= /lib/udev
SYSCONFDIR ?= /etc
DOCDIR = $(PREFIX)/share/doc/powerchain
install: build
	install -D -m 0755 powerchain $(DESTDIR)$(PREFIX)/bin/powerchain
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/powerchain
	for n in $$(./powerchain gendocs --names); do case $$n in \
		fence_*) ln -sf ../bin/powerchain $(DESTDIR)$(PREFIX)/sbin/$$n ;; \
		*) ln -sf ../../bin/powerchain $(DESTDIR)$(PREFIX)/lib/powerchain/$$n ;; esac; done
	set -e; gen=$$(mktemp -d); trap 'rm -rf $$gen' EXIT; ./powerchain gendocs $$gen; \
	for s in 1 8; do install -d $(DESTDIR)$(PREFIX)/share/man/man$$s; \
		for f in $$gen/man$$s/*; do gzip -9n <$$f >$(DESTDIR)$(PREFIX)/share/man/man$$s/$${f##*/}.gz; done; done; \
	install -D -m 0644 $$gen/completions/bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/powerchain; \
	install -D -m 0644 $$gen/completions/zsh $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_powerchain; \
	install -D -m 0644 $$gen/completions/fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/powerchain.fish; \
	install -D -m 0644 $$gen/udev/62-powerchain-usbups.rules $(DESTDIR)$(UDEVDIR)/rules.d/62-powerchain-usbups.rules
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/init.d
	for f in packaging/systemd/*; do \
		sed 's|/usr/bin/powerchain|$(PREFIX)/bin/powerchain|g' $$f >$(DESTDIR)$(UNITDIR)/$${f##*/}; done
	sh packaging/sysvinit/generate $(DESTDIR)$(SYSCONFDIR)/init.d
	sed -i 's|/usr/bin/powerchain|$(PREFIX)/bin/powerchain|g' $(DESTDIR)$(SYSCONFDIR)/init.d/powerchain-*
	install -D -m 0644 packaging/polkit/50-powerchain.rules $(DESTDIR)$(PREFIX)/share/polkit-1/rules.d/50-powerchain.rules
	cd packaging/examples && for f in $$(find . -type f | sort); do \
		install -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/examples/$${f#./}; done
	install -m 0644 packaging/debian/copyright $(DESTDIR)$(DOCDIR)/copyright
	gzip -9n <README.md >$(DESTDIR)$(DOCDIR)/README.md.gz

# The Debian package: make install staged into a temporary tree, packed by
# nfpm (packaging/debtool, a module of its own) with packaging/nfpm.yaml.
# DEB_OUT is the directory it is written to.
DEB_OUT ?= .
DEB_ARCH ?= $(shell dpkg --print-architecture 2>/dev/null || $(GO) env GOARCH)
DEB = $(abspath $(DEB_OUT))/powerchain_$(VERSION)_$(DEB_ARCH).deb
deb:
	set -e; mkdir -p $(DEB_OUT); stage=$$(mktemp -d); trap 'rm -rf $$stage' EXIT; \
	$(MAKE) --no-print-directory install DESTDIR=$$stage PREFIX=/usr; \
	cd packaging/debtool && $(GO) run . -config ../nfpm.yaml -stage $$stage -version '$(VERSION)' \
		-arch $(DEB_ARCH) -commit "$$(git log -1 --format=%h 2>/dev/null)" -out $(DEB)
	@echo $(DEB)

# powerchain and Debian's NUT side by side: throughput, latency, memory,
# a hostile network's abuse, then the time from OB LB to SHUTDOWNCMD
# (about 7 minutes in all); a console following a fleet of 500 servers by
# polling and by NATS (about 2 minutes).
bench:
	$(GO) test -run '^$$' -bench CompareNUT -benchtime 1x ./daemon
	$(GO) test -run '^$$' -bench Abuse -benchtime 1x ./daemon
	$(GO) test -run '^$$' -bench ShutdownLatency -benchtime 1x -timeout 20m ./monitor
	$(GO) test -run '^$$' -bench 'PollCompareNUT|TrapDecision' -benchtime 1x ./driver/snmpups
	$(GO) test -run '^$$' -bench HostedCompareNUT -benchtime 1x ./driver/hosted
	$(GO) test -run '^$$' -bench 'Scan(CompareNUT|Namespace)' -benchtime 1x ./scan
	$(GO) test -run '^$$' -bench ConsoleScale -benchtime 1x -timeout 30m ./console
	$(GO) test -run '^$$' -bench FleetNATS -benchtime 1x -timeout 10m ./console
