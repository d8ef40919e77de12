"""``make bench-load``: Frontdoor and a stock ``rasa init`` bot side by side under closed-loop load."""
