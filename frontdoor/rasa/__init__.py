"""Adapters between Rasa and the core library: graph components and input channels.

Only this package (and ``actions/``) imports Rasa; the logic lives in the core.
"""
