"""comity.events."""
