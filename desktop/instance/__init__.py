"""Process services with no widgets: one Portico per user and config, remote commands, window state."""
