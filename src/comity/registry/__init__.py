"""Registry: states, organisations, memberships over time and partnership frameworks."""
