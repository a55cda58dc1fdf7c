"""The tokenizer: an explicit jieba object with the domain dictionary, not jieba's default instance."""

from __future__ import annotations

import jieba

from faq.bundled import DICTIONARY_FILE as BUNDLED_DICTIONARY
from faq.lexicon import Lexicon
from faq.matcher import TextPipeline
from faq.tokenize import Analyzer, build_tokenizer, lexicon_terms


def test_domain_terms_stay_whole(pipeline: TextPipeline) -> None:
    words = pipeline.analyzer.words("研发费用加计扣除 多层标准厂房 贷款贴息")
    assert "研发费用加计扣除" in words
    assert "多层标准厂房" in words


def test_default_jieba_would_split_the_same_term() -> None:
    assert "研发费用加计扣除" not in list(jieba.Tokenizer().cut("研发费用加计扣除", HMM=False))


def test_tokenizer_is_its_own_object_not_the_module_default(pipeline: TextPipeline) -> None:
    assert pipeline.analyzer.tokenizer is not jieba.dt


def test_search_tokens_add_sub_words_and_drop_stopwords() -> None:
    lexicon = Lexicon(terms=("研发费用加计扣除",), stopwords=frozenset({"咋弄"}))
    analyzer = Analyzer(build_tokenizer(lexicon_terms(lexicon)), lexicon)
    words = analyzer.words("研发费用加计扣除咋弄")
    assert words == ("研发费用加计扣除",)
    tokens = analyzer.tokens(words)
    assert "研发费用加计扣除" in tokens
    assert "研发" in tokens


def test_dictionary_cache_goes_only_to_the_directory_given(tmp_path, monkeypatch) -> None:
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(shared))  # what jieba would use by default
    private = tmp_path / "private"
    private.mkdir()
    lexicon = Lexicon(terms=("研发费用加计扣除",))
    cached = build_tokenizer(lexicon_terms(lexicon), BUNDLED_DICTIONARY, cache_dir=private)
    uncached = build_tokenizer(lexicon_terms(lexicon), BUNDLED_DICTIONARY)
    assert list(shared.iterdir()) == []
    assert [p.suffix for p in private.iterdir()] == [".cache"]
    assert cached.FREQ == uncached.FREQ
