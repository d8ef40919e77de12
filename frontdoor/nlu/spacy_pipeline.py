"""Build the project's own blank English spaCy pipeline.

We never install ``en-core-*`` packages (squatted names on the index); Rasa's
``SpacyNLP`` only needs a tokenizer, which a blank pipeline provides. The path
carries a version because Rasa fingerprints SpacyNLP by path only: bump it when
the builder changes so models retrain.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PIPELINE_VERSION = 1
DEFAULT_PATH = Path("build") / "spacy" / f"en_frontdoor-{PIPELINE_VERSION}"

def build(path: Path = DEFAULT_PATH) -> Path:
    """Write the pipeline to ``path`` (idempotent) and return it."""
    import spacy

    if (path / "meta.json").is_file():
        return path
    nlp = spacy.blank("en")
    nlp.meta["name"] = "frontdoor"
    nlp.meta["version"] = f"{PIPELINE_VERSION}.0.0"
    path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH)
    print(build(parser.parse_args().path))


if __name__ == "__main__":
    main()
