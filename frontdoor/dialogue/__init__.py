"""The dialogue layer: what the bot does with each turn (answer, act or hand off), without Rasa."""
