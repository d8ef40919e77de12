"""Frontdoor: the core library of a contact-centre front door (no Rasa imports here)."""
