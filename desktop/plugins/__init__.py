"""Plugin API and the built-in plugins."""
