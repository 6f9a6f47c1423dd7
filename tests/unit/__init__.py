"""Tests that need no web page: pure rules, parsers, the schema, Qt objects without a browser."""
