"""The reference queue: a receiver for handoff webhooks and a minimal agent view.

It stands in for a real contact-centre queue (Zendesk, Salesforce, Amazon
Connect) and is the executable form of the contract in ``docs/handoff.md``.
"""
