"""Core's Messages: the English source text and its values, said in English by str()."""

from __future__ import annotations

import pickle

from studio.core.message import N_, Np_, message, told
from studio.core.store import StoreError


def test_str_is_the_english_sentence_with_its_values():
    said = message(N_("{share:.0%} of viewers left within a minute"), share=0.625)
    assert str(said) == "62% of viewers left within a minute"
    assert said.id == "{share:.0%} of viewers left within a minute"


def test_a_pair_says_its_count_in_the_singular_or_the_plural():
    pair = Np_("{n} event read", "{n} events read")
    assert str(message(pair, n=1)) == "1 event read"
    assert [str(message(pair, n=n)) for n in (0, 2)] == ["0 events read", "2 events read"]


def test_a_message_inside_a_message_is_said_in_place():
    expected = message(N_("is not a whole number"))
    assert str(message(N_('{field} "{value}" {expected}'), field="qty", value="3x",
                       expected=expected)) == 'qty "3x" is not a whole number'


def test_a_broken_call_still_shows_the_sentence():
    assert str(message(N_("needs {missing}"))) == "needs {missing}"


def test_an_error_tells_its_message_or_its_own_words():
    said = message(N_("the database is closed"))
    assert told(StoreError(said)) is said
    assert str(StoreError(said)) == "the database is closed"
    assert told(OSError("disk full")) == "disk full"


def test_messages_cross_process_boundaries():
    # an import's problems come back from the parsing child process pickled
    said = message(Np_("{n} more problem", "{n} more problems"), n=3, file="a.csv")
    assert pickle.loads(pickle.dumps(said)) == said
    assert isinstance(hash(said), int)  # usable in a frozen dataclass's hash
