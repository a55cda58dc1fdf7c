"""Signed session cookies: round trip, tampering, expiry."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from web.session import csrf_matches, decode_session, encode_session, new_session

KEY = b"k" * 32


def test_session_round_trips() -> None:
    session = new_session(token="tok", role="staff", username="王芳", csrf="c1", now=1000)
    assert decode_session(encode_session(session, KEY), KEY, now=1001) == session


def test_tampered_payload_is_rejected() -> None:
    value = encode_session(new_session(token="tok", role="staff", username="u", csrf="c", now=0), KEY)
    payload, signature = value.split(".")
    forged = encode_session(new_session(token="tok", role="admin", username="u", csrf="c", now=0), KEY)
    assert decode_session(f"{forged.split('.')[0]}.{signature}", KEY, now=1) is None
    assert decode_session(f"{payload}.{signature}", b"another key", now=1) is None


def test_expired_session_is_rejected() -> None:
    session = new_session(token="tok", role="staff", username="u", csrf="c", now=0)
    assert decode_session(encode_session(session, KEY), KEY, now=session.expires + 1) is None


@given(st.text(max_size=200))
def test_decoding_garbage_never_raises(value: str) -> None:
    assert decode_session(value, KEY) is None


def test_csrf_tokens_must_be_present_and_equal() -> None:
    assert csrf_matches("abc", "abc")
    assert not csrf_matches("abc", "abd")
    assert not csrf_matches("", "")
    assert not csrf_matches(None, "abc")
