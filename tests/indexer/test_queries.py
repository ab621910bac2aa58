"""Reading a seeker's words: which name a place (boosts, not required text) and which do not."""

from __future__ import annotations

from indexer.queries import Places, read_query, words_query
from indexer.tokenizer import Tokenizer

PLACES = Places.of(["上海市", "威海市", "烟台市"], {"环翠区": "威海市"})


def read(tokenizer: Tokenizer, text: str) -> tuple[list[str], list[str]]:
    """(the place words, the words a posting with every word must hold)."""
    query = read_query(words_query(tokenizer.query_terms(text)), PLACES)
    return (
        [query.terms[i][0] for i in query.places],
        [group[0] for group in query.required_terms()],
    )


def test_a_place_word_is_read_as_the_place_and_not_required_in_the_text(
    tokenizer: Tokenizer,
) -> None:
    assert read(tokenizer, "上海 Java 高级") == (["上海"], ["java", "高级"])


def test_a_full_place_name_is_one_place_though_it_is_two_words(tokenizer: Tokenizer) -> None:
    places, required = read(tokenizer, "上海市 Java 高级")
    assert set(places) == {"上海", "上海市"}
    assert required == ["java", "高级"]


def test_a_district_and_its_city_are_both_places(tokenizer: Tokenizer) -> None:
    query = read_query(words_query(tokenizer.query_terms("威海 环翠 普工")), PLACES)
    assert (query.boost_city, query.boost_district) == ("威海市", "环翠区")
    assert [group[0] for group in query.required_terms()] == ["普工"]


def test_a_second_city_stays_a_word_to_find(tokenizer: Tokenizer) -> None:
    places, required = read(tokenizer, "威海 烟台 焊工")
    assert places == ["威海"]
    assert required == ["烟台", "焊工"]


def test_a_query_of_places_alone_requires_them(tokenizer: Tokenizer) -> None:
    places, required = read(tokenizer, "威海")
    assert places == ["威海"]
    assert required == ["威海"]


def test_the_parts_of_a_compound_stand_for_it(tokenizer: Tokenizer) -> None:
    assert read(tokenizer, "测试工程师 自动化")[1] == ["测试", "工程", "自动"]


def test_a_compound_with_synonyms_stays_required(tokenizer: Tokenizer) -> None:
    # 普工 and 生产工 do not hold 操作: the group of 操作工 is still needed
    query = words_query(tokenizer.query_terms("数控 操作工"))
    required = [group[0] for group in query.required_terms()]
    assert "操作工" in required
    assert len(query.terms[required.index("操作工")]) > 1


def test_a_latin_word_is_no_compound_of_another(tokenizer: Tokenizer) -> None:
    # the tokenizer never splits javascript, so a posting with it holds no java
    assert read(tokenizer, "java javascript")[1] == ["java", "javascript"]


def test_the_parts_of_a_place_name_are_the_place_not_words_to_find(tokenizer: Tokenizer) -> None:
    places = Places.of(["威海市"], {"威海经济技术开发区": "威海市"})
    query = read_query(words_query(tokenizer.query_terms("威海经济技术开发区 普工")), places)
    assert query.boost_district == "威海经济技术开发区"
    assert [group[0] for group in query.required_terms()] == ["普工"]
    assert [group[0] for group in query.word_terms()] == ["普工"]
