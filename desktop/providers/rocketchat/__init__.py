"""Rocket.Chat: its iframe integration events, what Portico checks of a server, and the provider."""
