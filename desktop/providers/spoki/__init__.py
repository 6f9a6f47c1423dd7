"""Spoki (WhatsApp Business): its pages and chat links, its iframe events, and the provider."""
