"""The bot's message catalogue: extract texts from the code, merge into the .po files, compile .mo.

`python -m bot.catalogue update` after changing texts (then translate the new zh_CN entries);
`python -m bot.catalogue check` fails when a text is missing from a catalogue or untranslated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE_DIR = Path(__file__).parent
LOCALES_DIR = PACKAGE_DIR / "locales"
LOCALES = ("zh_CN", "en")
DOMAIN = "messages"
KEYWORDS = {"_": None, "gettext": None, "__": None, "lazy_gettext": None}


def extract_template() -> Catalog:
    """Every translatable text of the bot's code."""
    template = Catalog(project="zonedesk-bot", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE_DIR, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        template.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return template


def po_path(locale: str) -> Path:
    """Where a locale's .po file lives."""
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(locale: str) -> Catalog:
    """A locale's catalogue (empty when missing)."""
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project="zonedesk-bot", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def save(catalog: Catalog, locale: str) -> None:
    """Write the .po and compile the .mo beside it."""
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=120, omit_header=False, sort_output=True)
    with path.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)


def update() -> None:
    """Merge the code's texts into each catalogue (English texts translate to themselves) and compile."""
    template = extract_template()
    for locale in LOCALES:
        catalog = load(locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:
            if message.id and locale == "en":
                message.string = message.id
            message.flags.discard("fuzzy")
        save(catalog, locale)


def problems() -> list[str]:
    """Texts missing from a catalogue or untranslated there."""
    wanted = {message.id for message in extract_template() if message.id}
    found: list[str] = []
    for locale in LOCALES:
        catalog = load(locale)
        present = {message.id: message.string for message in catalog if message.id}
        found += [f"{locale}: missing {text!r}" for text in sorted(wanted - present.keys())]
        found += [f"{locale}: untranslated {text!r}" for text in sorted(wanted) if present.get(text) == ""]
    return found


def main(argv: list[str]) -> int:
    """CLI: update | check."""
    command = argv[0] if argv else "check"
    if command == "update":
        update()
        return 0
    issues = problems()
    for issue in issues:
        print(issue, file=sys.stderr)
    return 1 if issues else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
