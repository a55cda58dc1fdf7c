"""BM25 helpers: the idf share of a query that each document covers."""

from __future__ import annotations

import pytest

from faq.bm25 import Bm25


def test_coverage_counts_only_terms_some_document_holds() -> None:
    index = Bm25([["研发", "补助"], ["研发", "申报"]])
    shares = index.coverage(["补助", "深圳"])
    assert shares == {0: pytest.approx(1.0)}


def test_a_term_one_document_alone_uses_weighs_more_than_a_shared_one() -> None:
    index = Bm25([["研发", "补助"], ["研发", "申报"], ["人才", "住房"]])
    shares = index.coverage(["研发", "补助"])
    assert shares[0] == pytest.approx(1.0)
    assert 0.0 < shares[1] < 0.5
    assert 2 not in shares
