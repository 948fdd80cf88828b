"""comity: the desk where allied defence staffs record, plan, assess and share military-diplomatic work."""

__version__ = "0.1.0"
