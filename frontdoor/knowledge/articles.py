"""Knowledge articles: ``knowledge/<id>.md`` with YAML front matter and a Markdown chat answer.

Validation is strict and names the file and line, because articles are edited
by conversation designers and a silent typo would only show up as a wrong answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import FrozenSet, Iterable, List, Optional, Tuple

from frontdoor.knowledge.errors import KnowledgeError, KnowledgeErrors
from frontdoor.knowledge.tables import Tables
from frontdoor.knowledge.yamllines import Located, load_located
from frontdoor.paths import ROOT
from frontdoor.taxonomy import Taxonomy

REQUIRED_KEYS = ("id", "title", "reason", "tags", "voice")
OPTIONAL_KEYS = ("countries", "section", "pick_item")
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_VOICE_SENTENCES = 2
# A sentence ends at . ! or ? followed by a space; "0.25" and "2,000" do not end one.
SENTENCE_END = re.compile(r"[.!?]+[\"')]*\s+(?=\S)")
VOICE_MARKDOWN = re.compile(r"[*_`#|\[\]<>~]")
VOICE_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|io|co|uk|app)\b", re.IGNORECASE)
VOICE_SYMBOLS = {
    "%": "percent",
    "$": "dollars",
    "£": "pounds",
    "€": "euros",
    "&": "and",
    "@": "at",
    "/": "a word",
    "\\": "a word",
    "+": "plus",
    "=": "equals",
    "^": "a word",
    "{": "",
    "}": "",
}


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    reason: str
    tags: Tuple[str, ...]
    voice: str
    body: str
    path: Path
    countries: Tuple[str, ...] = ()
    section: Optional[int] = None
    pick_item: bool = False  # a question naming one list item gets that item (frontdoor.knowledge.items)


def handbook_sections(handbook: Path = ROOT / "demo" / "handbook.md") -> FrozenSet[int]:
    """Numbers of the handbook's ``## N.`` sections, which an article's ``section`` must name."""
    text = handbook.read_text(encoding="utf-8") if handbook.is_file() else ""
    return frozenset(int(n) for n in re.findall(r"^## (\d+)\.", text, flags=re.MULTILINE))


def split_front_matter(text: str, path: Path) -> Tuple[str, str, int]:
    """(front matter YAML, body, line where the body starts); the YAML starts on line 2."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise KnowledgeError(path, 1, "missing front matter: the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise KnowledgeError(path, 1, "front matter is not closed by a second '---' line")


def voice_problems(voice: str, currency_codes: Iterable[str]) -> List[str]:
    """Why ``voice`` cannot be read out by a TTS engine as written (empty when it can)."""
    problems = []
    sentences = [s for s in SENTENCE_END.split(voice.strip()) if s.strip()]
    if len(sentences) > MAX_VOICE_SENTENCES:
        problems.append(f"voice has {len(sentences)} sentences; at most {MAX_VOICE_SENTENCES} are spoken")
    if VOICE_URL.search(voice):
        problems.append("voice contains a URL; say where to go in words")
    markdown = VOICE_MARKDOWN.search(voice)
    if markdown:
        problems.append(f"voice contains Markdown or a symbol ({markdown.group()!r}); it is read aloud")
    for symbol, word in VOICE_SYMBOLS.items():
        if symbol in voice:
            hint = f"; write {word!r}" if word and word != "a word" else "; write it as words"
            problems.append(f"voice contains the symbol {symbol!r}{hint}")
    codes = sorted(set(re.findall(r"\b[A-Z]{3}\b", voice)) & set(currency_codes))
    if codes:
        problems.append(f"voice uses the currency code {codes[0]}; say the currency's name (for example 'pounds')")
    return problems


def _string(doc: Located, key: str, errors: List[KnowledgeError]) -> str:
    value = doc.data.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.append(doc.error(f"{key} must be a non-empty string", key))
        return ""
    return value.strip()


def _string_list(doc: Located, key: str, errors: List[KnowledgeError]) -> Tuple[str, ...]:
    value = doc.data.get(key)
    if not isinstance(value, list) or not value:
        errors.append(doc.error(f"{key} must be a non-empty list, for example [a, b]", key))
        return ()
    items = []
    for index, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int | float) or not str(item).strip():
            errors.append(doc.error(f"{key}[{index}] must be a word or phrase, not {item!r}", key, index))
        else:
            items.append(str(item).strip())
    return tuple(items)


def parse_article(
    path: Path, taxonomy: Taxonomy, tables: Tables, sections: FrozenSet[int] = frozenset()
) -> Tuple[Optional[Article], List[KnowledgeError]]:
    """The article and every problem found in it (the article is ``None`` when there are problems)."""
    try:
        front, body, body_line = split_front_matter(path.read_text(encoding="utf-8"), path)
        doc = load_located(front, path, first_line=2)
    except KnowledgeError as error:
        return None, [error]
    if not isinstance(doc.data, dict):
        return None, [KnowledgeError(path, 2, "front matter must be a mapping of 'key: value' lines")]
    errors: List[KnowledgeError] = []
    for key in doc.data:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            errors.append(doc.error(f"unknown key {key!r} (allowed: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})", key))
    for key in REQUIRED_KEYS:
        if key not in doc.data:
            errors.append(KnowledgeError(path, 1, f"missing required key {key!r}"))
    if errors:
        return None, errors

    article_id = _string(doc, "id", errors)
    if article_id and article_id != path.stem:
        errors.append(doc.error(f"id {article_id!r} must equal the file name {path.stem!r}", "id"))
    elif article_id and not KEBAB.match(article_id):
        errors.append(doc.error(f"id {article_id!r} must be kebab-case (lower-case words joined by '-')", "id"))
    title = _string(doc, "title", errors)
    reason = _string(doc, "reason", errors)
    found = taxonomy.get(reason)
    if reason and found is None:
        errors.append(doc.error(f"reason {reason!r} is not a contact reason", "reason"))
    elif found is not None and found.kind == "dialogue":
        errors.append(doc.error(f"reason {reason!r} is a dialogue reason; pick a topic reason", "reason"))
    tags = _string_list(doc, "tags", errors)
    voice = _string(doc, "voice", errors)
    for problem in voice_problems(voice, tables.currencies):
        errors.append(doc.error(problem, "voice"))
    countries: Tuple[str, ...] = ()
    if "countries" in doc.data:
        countries = _string_list(doc, "countries", errors)
        known = {*tables.corridors.send_to, *tables.corridors.send_from}
        for index, country in enumerate(countries):
            if country not in known:
                errors.append(
                    doc.error(f"country {country!r} is not spelled as in the corridors table", "countries", index)
                )
    section = doc.data.get("section")
    if section is not None and (isinstance(section, bool) or not isinstance(section, int) or section < 1):
        errors.append(doc.error(f"section must be a handbook section number, not {section!r}", "section"))
        section = None
    elif section is not None and sections and section not in sections:
        errors.append(doc.error(f"section {section} is not a section of the handbook", "section"))
    pick_item = doc.data.get("pick_item", False)
    if not isinstance(pick_item, bool):
        errors.append(doc.error(f"pick_item must be true or false, not {pick_item!r}", "pick_item"))
    if not body.strip():
        errors.append(KnowledgeError(path, body_line, "the chat answer (the Markdown after the front matter) is empty"))
    if errors:
        return None, errors
    article = Article(article_id, title, reason, tags, voice, body.strip(), path, countries, section, pick_item is True)
    return article, []


def article_paths(directory: Path) -> List[Path]:
    return sorted(p for p in directory.glob("*.md") if p.name != "README.md")


def load_articles(
    directory: Path, taxonomy: Taxonomy, tables: Tables, sections: Optional[FrozenSet[int]] = None
) -> List[Article]:
    """Every article in ``directory``; raises ``KnowledgeErrors`` listing every problem in every file."""
    sections = handbook_sections() if sections is None else sections
    articles, errors = [], []
    for path in article_paths(directory):
        article, problems = parse_article(path, taxonomy, tables, sections)
        errors.extend(problems)
        if article is not None:
            articles.append(article)
    if not articles and not errors:
        errors.append(KnowledgeError(directory, None, "no articles found"))
    if errors:
        raise KnowledgeErrors(errors)
    return articles
