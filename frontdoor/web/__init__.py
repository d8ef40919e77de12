"""The Frontdoor web app: the customer chat page, the ops dashboard and the analytics API (aiohttp)."""
