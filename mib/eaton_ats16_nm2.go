package mib

// EatonATS16NM2: Eaton ATS 16 with the Network-M2 card (EATON-ATS2-MIB
// under 534.10.2). NUT 2.8.0: drivers/eaton-ats16-nm2-mib.c
// (eaton_ats16_nm2_mib), mapping 0.22.
var EatonATS16NM2 = &MIB{
	Name: "eaton_ats16_nm2", Version: "0.22", Type: "ats",
	SysOIDs:  []string{"1.3.6.1.4.1.534.10.2"},
	ProbeOID: "1.3.6.1.4.1.534.10.2.1.2.0",
	Vars:     eatonATS16NM2Rows(),
}

// eatonATS16NM2Rows are the NMC card's rows (eaton_ats16_nmc.go) but
// three: the agent's version is ups.firmware.aux, and the remote sensor
// reads whole degrees and percent.
func eatonATS16NM2Rows() []Var {
	vars := append([]Var(nil), EatonATS16NMC.Vars...)
	for i, v := range vars {
		switch v.Name {
		case "ups.firmware.aux":
			vars[i].OID, vars[i].Symbol = "1.3.6.1.4.1.534.10.2.1.7.0", "EATON-ATS2-MIB::ats2IdentAgentVersion.0"
		case "ambient.temperature", "ambient.humidity":
			vars[i].Mult = 0
		}
	}
	return vars
}
