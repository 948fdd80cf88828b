"""Test support shared by every app: factories, the permission matrix, URL coverage."""
