"""Conversation outcomes and deflection figures from Rasa's tracker events and the app database (docs/analytics.md)."""
