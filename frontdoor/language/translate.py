"""Pluggable machine translation, with a LibreTranslate (self-hosted) adapter; off unless configured.

No translation model can be installed with Frontdoor, so translation needs a LibreTranslate server named by
``LIBRETRANSLATE_URL``. Every failure (down, slow, 4xx/5xx, odd JSON) is a ``TranslationError``: callers fall
back to English, never crash.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Protocol

import aiohttp

URL_ENV = "LIBRETRANSLATE_URL"
API_KEY_ENV = "LIBRETRANSLATE_API_KEY"
TIMEOUT_ENV = "LIBRETRANSLATE_TIMEOUT"
DEFAULT_TIMEOUT_SECONDS = 3.0
MAX_CHARS = 5_000
"""Longer messages are not sent: a customer's message that long is not a chat turn to translate."""
MIN_DETECT_CONFIDENCE = 60.0
"""LibreTranslate's ``/detect`` confidence is a percentage."""


class TranslationError(Exception):
    """The text could not be translated; the message says why (for the log and the case)."""


@dataclass(frozen=True)
class RemoteDetection:
    language: str
    confidence: float


class Translator(Protocol):
    async def translate(self, text: str, source: str, target: str) -> str: ...

    async def detect(self, text: str) -> Optional[RemoteDetection]: ...


class LibreTranslate:
    """LibreTranslate's HTTP API: ``POST /translate`` and ``POST /detect`` with JSON bodies."""

    def __init__(self, url: str, api_key: Optional[str] = None, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    async def translate(self, text: str, source: str, target: str) -> str:
        """``text`` in ``target``: ``{q, source, target, format: text}`` -> ``{translatedText}``."""
        if len(text) > MAX_CHARS:
            raise TranslationError(f"the message is longer than {MAX_CHARS} characters")
        body = await self._post("/translate", {"q": text, "source": source, "target": target, "format": "text"})
        translated = body.get("translatedText") if isinstance(body, dict) else None
        if not isinstance(translated, str):
            raise TranslationError("LibreTranslate answered without a translatedText string")
        return translated

    async def detect(self, text: str) -> Optional[RemoteDetection]:
        """The server's likeliest language when it is at least 60% sure: ``{q}`` -> ``[{language, confidence}]``."""
        body = await self._post("/detect", {"q": text[:MAX_CHARS]})
        if not isinstance(body, list):
            raise TranslationError("LibreTranslate's /detect answered without a list")
        best = max((c for c in body if _is_candidate(c)), key=lambda c: float(c["confidence"]), default=None)
        if best is None or float(best["confidence"]) < MIN_DETECT_CONFIDENCE:
            return None
        return RemoteDetection(str(best["language"]).split("-")[0].lower(), float(best["confidence"]))

    async def _post(self, path: str, payload: Dict[str, Any]) -> Any:
        if self.api_key:
            payload = {**payload, "api_key": self.api_key}
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session, \
                    session.post(self.url + path, json=payload) as response:
                body = await response.json(content_type=None)
                if response.status != 200:
                    error = body.get("error") if isinstance(body, dict) else None
                    raise TranslationError(f"LibreTranslate answered {response.status}: {error or 'no reason'}")
                return body
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise TranslationError(f"LibreTranslate is unreachable or answered badly ({error.__class__.__name__})") \
                from error


def _is_candidate(candidate: Any) -> bool:
    return (isinstance(candidate, dict) and isinstance(candidate.get("language"), str)
            and isinstance(candidate.get("confidence"), int | float))


def translator_from_env(env: Mapping[str, str] = os.environ) -> Optional[LibreTranslate]:
    """The configured translator, or None (the default: no translation, English only)."""
    url = (env.get(URL_ENV) or "").strip()
    if not url:
        return None
    timeout = float(env.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT_SECONDS)
    return LibreTranslate(url, (env.get(API_KEY_ENV) or "").strip() or None, timeout)
