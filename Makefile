# powerchain: build, test and the peers the tests need.
#
#   make check   installs what the tests need, then runs every test
#   make build   builds ./powerchain

GO       ?= go
# Debian packages of the real peers the tests run against.
DEB_PKGS := nut-server nut-client python3-nut nut-snmp nut-ipmi snmpsim snmpd snmp avahi-daemon avahi-utils dbus iproute2 openipmi ipmitool freeipmi-tools fence-agents libxml2-utils chromium curl

.PHONY: check deps test vet fuzz-smoke build bench

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

test:
	$(GO) test -count=1 ./...

# A short run of each fuzz target on top of the committed corpus.
fuzz-smoke:
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=15s ./conf
	$(GO) test -run='^$$' -fuzz='^FuzzRequest$$' -fuzztime=10s ./server

build:
	$(GO) build -o powerchain ./cmd/powerchain

# powerchain and Debian's NUT side by side: throughput, latency, memory,
# then the time from OB LB to SHUTDOWNCMD (about 6 minutes in all).
bench:
	$(GO) test -run '^$$' -bench CompareNUT -benchtime 1x ./daemon
	$(GO) test -run '^$$' -bench ShutdownLatency -benchtime 1x ./monitor
	$(GO) test -run '^$$' -bench PollCompareNUT -benchtime 1x ./driver/snmpups
	$(GO) test -run '^$$' -bench ScanCompareNUT -benchtime 1x ./scan
	$(GO) test -run '^$$' -bench ConsoleScale -benchtime 1x ./console
