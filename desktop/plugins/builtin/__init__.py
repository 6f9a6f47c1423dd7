"""The built-in plugins: notifications, tray, event log, run command (all on the public plugin API)."""
