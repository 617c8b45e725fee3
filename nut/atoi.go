package nut

import "strconv"

// Atoi reads a number as NUT's C code reads it with atoi: blanks
// skipped, an optional sign, the digits up to the first other byte; 0
// when there are none (or too many to hold).
func Atoi(s string) int {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] >= '\t' && s[i] <= '\r') {
		i++
	}
	j := i
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	k := j
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	if k == j {
		return 0
	}
	n, _ := strconv.Atoi(s[i:k])
	return n
}
