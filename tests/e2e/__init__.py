"""Tests that drive the real Qt WebEngine, loopback servers, the real keyring or a subprocess."""
