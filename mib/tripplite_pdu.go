package mib

// TrippLitePDU: Tripp Lite switched PDUs (TRIPPLITE-PRODUCTS tlpPdu); NUT
// 2.8.0 has no table for them. See trippLite.
var TrippLitePDU = trippLite("tripplite_pdu", "pdu", "2", "Pdu", nil)
