package scan

import (
	"errors"
	"fmt"
	"math/big"
	"net/netip"
)

// MaxHosts is the largest range a scan takes unless forced (a /16).
const MaxHosts = 65536

// Range returns the addresses from start to end (inclusive), or those of
// a CIDR prefix (network and broadcast addresses of IPv4 prefixes
// shorter than /31 excluded), refusing more than limit.
func Range(start, end, cidr string, limit int) ([]netip.Addr, error) {
	var first, last netip.Addr
	switch {
	case cidr != "":
		p, err := netip.ParsePrefix(cidr)
		if err != nil {
			return nil, fmt.Errorf("-m %q: %w", cidr, err)
		}
		p = p.Masked()
		first = p.Addr()
		bits := first.BitLen() - p.Bits()
		if bits > 62 {
			return nil, fmt.Errorf("-m %s: %d addresses, more than %d (use --force to scan up to that many)", cidr, uint64(1)<<min(bits, 63), limit)
		}
		n := new(big.Int).Lsh(big.NewInt(1), uint(bits))
		last = add(first, new(big.Int).Sub(n, big.NewInt(1)))
		if first.Is4() && bits >= 2 {
			first, last = first.Next(), last.Prev()
		}
	case start != "":
		var err error
		if first, err = netip.ParseAddr(start); err != nil {
			return nil, fmt.Errorf("-s %q: %w", start, err)
		}
		last = first
		if end != "" {
			if last, err = netip.ParseAddr(end); err != nil {
				return nil, fmt.Errorf("-e %q: %w", end, err)
			}
		}
		if first.Is4() != last.Is4() {
			return nil, errors.New("-s and -e are of different address families")
		}
		if last.Less(first) {
			first, last = last, first
		}
	default:
		return nil, errors.New("no addresses: give -s [-e] or -m CIDR")
	}
	count := new(big.Int).Sub(new(big.Int).SetBytes(last.AsSlice()), new(big.Int).SetBytes(first.AsSlice()))
	count.Add(count, big.NewInt(1))
	if count.Cmp(big.NewInt(int64(limit))) > 0 {
		return nil, fmt.Errorf("%s addresses, more than %d (use --force to scan up to %d)", count, limit, MaxHosts*256)
	}
	out := make([]netip.Addr, 0, count.Int64())
	for a := first; ; a = a.Next() {
		out = append(out, a)
		if a == last || !a.IsValid() {
			break
		}
	}
	return out, nil
}

func add(a netip.Addr, n *big.Int) netip.Addr {
	v := new(big.Int).SetBytes(a.AsSlice())
	v.Add(v, n)
	b := v.FillBytes(make([]byte, len(a.AsSlice())))
	r, _ := netip.AddrFromSlice(b)
	return r
}
