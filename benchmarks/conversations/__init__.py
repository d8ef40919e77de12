"""Whole-conversation evaluation (issue 14): personas, a rule-based customer, a strict scorer and the report."""
