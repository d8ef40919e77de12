"""Rasa action server adapters: translate trackers to core-library calls and back."""
