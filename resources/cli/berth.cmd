@echo off
rem The berth command of the installed desktop app: Berth.exe, run as plain Node, starts the CLI bundle in app.asar.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Berth.exe" "%~dp0..\app.asar\dist-cli\berth.cjs" %*
