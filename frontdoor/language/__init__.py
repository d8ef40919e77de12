"""The customer's language: offline detection, the replies that depend on it, and optional translation."""
