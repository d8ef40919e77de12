"""Handoff: unresolved conversations reach a human queue as a signed, validated case, exactly once."""
