"""Static files Portico ships: the bridge relay, host page stylesheet, Qt stylesheet and icons."""
