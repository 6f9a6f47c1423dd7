"""Local simulators of every provider, for `portico demo` and the tests."""
