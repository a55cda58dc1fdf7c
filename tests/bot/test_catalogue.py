"""Every bot text is in both catalogues, translated, and compiled."""

from __future__ import annotations

import io

from babel.messages.mofile import write_mo

from bot.catalogue import LOCALES, load, po_path, problems


def test_every_text_is_in_both_catalogues_and_translated() -> None:
    assert problems() == []


def test_committed_mo_files_are_compiled_from_the_po_files() -> None:
    for locale in LOCALES:
        compiled = io.BytesIO()
        write_mo(compiled, load(locale))
        assert po_path(locale).with_suffix(".mo").read_bytes() == compiled.getvalue(), locale
