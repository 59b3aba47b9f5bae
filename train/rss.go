package train

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// RSSMB returns the process's resident set size in MB, read from
// /proc/self/status (Linux); 0 where that cannot be read.
func RSSMB() float64 { return procStatusMB("VmRSS:") }

// PeakRSSMB returns the process's peak resident set size in MB (VmHWM);
// 0 where it cannot be read.
func PeakRSSMB() float64 { return procStatusMB("VmHWM:") }

func procStatusMB(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				return 0
			}
			return kb / 1024
		}
	}
	return 0
}
