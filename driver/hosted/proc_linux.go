package hosted

import "syscall"

// sysProcAttr makes a driver program end with this process (SIGTERM when
// it dies), so that no program is left feeding nobody.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
