"""Write faq/lexicon/jieba_dict.txt: jieba's dictionary trimmed for a fast cold start.

Keeps every word of jieba's default dictionary with frequency >= MIN_FREQUENCY, plus every rarer
word that occurs in the bundled documents or FAQ. Loading it takes ~0.07 s instead of ~0.5 s.

    uv run python scripts/build_jieba_dict.py
"""

from __future__ import annotations

from pathlib import Path

import jieba

from faq.bundled import FAQ_FILE
from policy_index.library import DOCUMENTS_DIR

MIN_FREQUENCY = 30
OUT = Path(__file__).resolve().parents[1] / "faq" / "lexicon" / "jieba_dict.txt"


def main() -> None:
    """Trim the dictionary."""
    corpus = FAQ_FILE.read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted(DOCUMENTS_DIR.glob("*.txt"))
    )
    source = Path(jieba.__file__).with_name("dict.txt")
    kept = []
    for line in source.read_text(encoding="utf-8").splitlines():
        word, frequency, *_ = line.split(" ")
        if int(frequency) >= MIN_FREQUENCY or word in corpus:
            kept.append(line)
    OUT.write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(kept)} words")


if __name__ == "__main__":
    main()
