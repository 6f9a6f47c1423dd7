"""The bridge: iframe postMessage traffic in, validated, out as typed Qt signals."""
