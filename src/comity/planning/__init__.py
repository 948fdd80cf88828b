"""comity.planning."""
