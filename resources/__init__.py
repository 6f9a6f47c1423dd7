"""Static files Portico ships: the bridge relay, host page, icons and the demo sites."""
