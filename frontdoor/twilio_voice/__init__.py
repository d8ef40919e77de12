"""Twilio Voice: the phone front door on a Twilio number (``/webhooks/twilio_voice/webhook``, docs/voice.md).

Plain Python, no Rasa imports: ``request`` reads and authenticates Twilio's form posts, ``twiml`` writes the
answer, ``settings`` holds where a handed-off call goes. ``frontdoor.rasa.twilio_voice`` only translates.
"""
