# powerchain: build, test and the peers the tests need.
#
#   make check   installs what the tests need, then runs every test
#   make build   builds ./powerchain; make install [DESTDIR=… PREFIX=/usr] installs it

GO       ?= go
# Debian packages of the real peers the tests run against.
DEB_PKGS := nut-server nut-client python3-nut nut-snmp nut-ipmi nut-xml snmpsim snmpd snmp avahi-daemon avahi-utils dbus iproute2 openipmi ipmitool freeipmi-tools fence-agents libxml2-utils chromium curl augeas-tools nftables pacemaker-cli-utils pacemaker graphviz

.PHONY: check deps test vet fuzz-smoke build bench install screenshots

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
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=20000x -fuzzminimizetime=1s ./hid
	$(GO) test -run='^$$' -fuzz='^FuzzTables$$' -fuzztime=50x -fuzzminimizetime=1s ./driver/usbhid
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=20000x -fuzzminimizetime=1s ./driver/netxml

build:
	$(GO) build -o powerchain ./cmd/powerchain

# The console's screenshots in docs/ (README), taken in headless Chromium
# from the example rack with a day of history.
screenshots:
	$(GO) test -count=1 -run '^TestInChromium$$' ./console -args -screenshots

# The binary, the fence agents under their ClusterLabs names in sbin, and
# the NUT program names in lib/powerchain (add it to PATH to stand in for
# NUT's programs).
PREFIX ?= /usr
NUT_NAMES := upsd upsc upsrw upscmd upsmon upsdrvctl nut-scanner dummy-ups snmp-ups nut-ipmipsu usbhid-ups netxml-ups nutclient
install: build
	install -D -m 0755 powerchain $(DESTDIR)$(PREFIX)/bin/powerchain
	mkdir -p $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/powerchain
	for n in fence_nut fence_snmp_pdu; do ln -sf ../bin/powerchain $(DESTDIR)$(PREFIX)/sbin/$$n; done
	for n in $(NUT_NAMES); do ln -sf ../../bin/powerchain $(DESTDIR)$(PREFIX)/lib/powerchain/$$n; done

# powerchain and Debian's NUT side by side: throughput, latency, memory,
# a hostile network's abuse, then the time from OB LB to SHUTDOWNCMD
# (about 7 minutes in all).
bench:
	$(GO) test -run '^$$' -bench CompareNUT -benchtime 1x ./daemon
	$(GO) test -run '^$$' -bench Abuse -benchtime 1x ./daemon
	$(GO) test -run '^$$' -bench ShutdownLatency -benchtime 1x -timeout 20m ./monitor
	$(GO) test -run '^$$' -bench PollCompareNUT -benchtime 1x ./driver/snmpups
	$(GO) test -run '^$$' -bench HostedCompareNUT -benchtime 1x ./driver/hosted
	$(GO) test -run '^$$' -bench 'Scan(CompareNUT|Namespace)' -benchtime 1x ./scan
	$(GO) test -run '^$$' -bench ConsoleScale -benchtime 1x -timeout 30m ./console
