<?xml version="1.0" encoding="UTF-8"?>
<!-- DERIVED, NOT CAPTURED: no capture of a real card's NetXML pages is public. Written for
     powerchain's tests from NUT 2.8.0's mapping (drivers/mge-xml.c, mge_xml2nut) run backwards
     over what NUT 2.7.4's netxml-ups reported from a real Eaton 9PX 6000i (NUT Devices Dumps
     Library, Eaton/Eaton__9PX__netxml-ups__2.7.4__03.dev): each value is the object that
     gives that variable. See ../SOURCES. -->
<GET_OBJECT>
  <OBJECT name="System.Contact" unit="" access="RW">Computer Room Manager</OBJECT>
  <OBJECT name="System.Location" unit="" access="RW">9PX - Bios Rack - U1</OBJECT>
  <OBJECT name="System.RunTimeToEmptyLimit" unit="s" access="RW">180</OBJECT>
  <OBJECT name="System.ShutdownDuration" unit="s" access="RW">120</OBJECT>
  <OBJECT name="System.Outlet[2].ShutdownDuration" unit="s" access="RW">120</OBJECT>
  <OBJECT name="System.Outlet[3].ShutdownDuration" unit="s" access="RW">120</OBJECT>
  <OBJECT name="Environment.Humidity.HighThreshold" unit="%" access="RW">90</OBJECT>
  <OBJECT name="Environment.Humidity.LowThreshold" unit="%" access="RW">5</OBJECT>
  <OBJECT name="Environment.Temperature.HighThreshold" unit="degC" access="RW">40</OBJECT>
  <OBJECT name="Environment.Temperature.LowThreshold" unit="degC" access="RW">5</OBJECT>
  <OBJECT name="System.LastAcquisition" unit="" access="RO">2016/03/17 13:37:33</OBJECT>
</GET_OBJECT>
