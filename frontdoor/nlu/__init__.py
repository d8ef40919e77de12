"""Language understanding helpers that do not depend on Rasa."""
