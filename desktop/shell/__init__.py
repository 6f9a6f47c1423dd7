"""The native window: sidebar, provider views, host scheme, profiles and web policy."""
