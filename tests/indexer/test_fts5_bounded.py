"""FTS5's bounded scoring: large tiers taken title first in newest-first slices, pages exact.

The budgets are shrunk to a few postings so that a handful of postings exercises the paths a
common word takes at 35,000 postings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from indexer.engines import fts5_ranking
from indexer.engines.fts5 import Fts5Engine
from indexer.queries import SearchQuery
from indexer.tokenizer import Tokenizer
from tests.indexer.test_engine_contract import build, ids, job, words

TITLE_WORDS = [1, 2, 3]  # every query word in the title
TEXT_WORDS = [4, 5, 6]  # every query word, only in the description
ONE_WORD = [7, 8]  # one of the words


@pytest.fixture
def fts5(tmp_path: Path, tokenizer: Tokenizer) -> Iterator[Fts5Engine]:
    engine = Fts5Engine(tmp_path / "search.sqlite3")
    published = {n: datetime(2024, 1, n) for n in range(1, 9)}
    build(
        engine,
        tokenizer,
        *(
            job(
                n, "扇贝 夜班 分拣", description="冷冻" if n == 2 else "", published_at=published[n]
            )
            for n in TITLE_WORDS
        ),
        *(
            job(n, "分拣工", description="扇贝 夜班 " * 3, published_at=published[n])
            for n in TEXT_WORDS
        ),
        *(job(n, "扇贝 分拣", published_at=published[n]) for n in ONE_WORD),
        # other postings, so that the query words are rare enough to weigh
        *(job(n, title) for n, title in enumerate(["保安", "司机", "保洁员", "焊工"] * 5, 9)),
    )
    yield engine
    engine.close()


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two postings scored at a time; more than one match counts as many."""
    monkeypatch.setattr(fts5_ranking, "SCORE_BUDGET", 2)
    monkeypatch.setattr(fts5_ranking, "ALL_WORDS_FIRST_ABOVE", 1)


def pages(engine: Fts5Engine, query: SearchQuery, size: int) -> list[int]:
    """Every posting of the query, read page by page."""
    found: list[int] = []
    while True:
        page = ids(engine.search(replace(query, offset=len(found), limit=size)))
        if not page:
            return found
        found.extend(page)


@pytest.mark.usefixtures("small_budget")
def test_a_large_tier_gives_titles_with_every_word_first(
    fts5: Fts5Engine, tokenizer: Tokenizer
) -> None:
    query = words(tokenizer, "扇贝 夜班")

    result = fts5.search(query)

    order = ids(result)
    assert sorted(order[:3]) == TITLE_WORDS
    assert sorted(order[3:6]) == TEXT_WORDS
    assert sorted(order[6:]) == ONE_WORD
    # slices are newest first: the newest title posting leads
    assert order[0] == 3
    assert result.total == 8


@pytest.mark.usefixtures("small_budget")
@pytest.mark.parametrize("size", [1, 2, 3])
def test_pages_through_bounded_slices_neither_skip_nor_repeat(
    fts5: Fts5Engine, tokenizer: Tokenizer, size: int
) -> None:
    query = words(tokenizer, "扇贝 夜班")

    assert pages(fts5, query, size) == ids(fts5.search(replace(query, limit=20)))


@pytest.mark.usefixtures("small_budget")
def test_excluded_words_stay_out_of_the_title_part(fts5: Fts5Engine, tokenizer: Tokenizer) -> None:
    query = replace(words(tokenizer, "扇贝 夜班"), exclude=("冷冻",))

    order = ids(fts5.search(query))

    assert 2 not in order
    assert order[:2] == [3, 1]
    assert sorted(order[2:5]) == TEXT_WORDS


def test_the_bounded_order_holds_the_same_postings_as_one_bm25_order(
    fts5: Fts5Engine, tokenizer: Tokenizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = words(tokenizer, "扇贝 夜班")
    whole = ids(fts5.search(query))

    monkeypatch.setattr(fts5_ranking, "SCORE_BUDGET", 2)
    monkeypatch.setattr(fts5_ranking, "ALL_WORDS_FIRST_ABOVE", 1)
    bounded = ids(fts5.search(query))

    assert sorted(bounded) == sorted(whole) == sorted(TITLE_WORDS + TEXT_WORDS + ONE_WORD)
