"""Customers' transfers and what the assistant may do with them (handbook sections 5-9)."""
