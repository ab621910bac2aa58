"""The tokenizer: normalisation, dictionary, stop words, synonyms and the dictionary version."""

from __future__ import annotations

import csv
import itertools

import pytest

from indexer.tokenizer import QueryTerm, Tokenizer, get_tokenizer
from tests.datafiles import data_file


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return get_tokenizer()


def test_full_width_letters_become_half_width_lower_case(tokenizer: Tokenizer) -> None:
    assert "plc" in tokenizer.tokenize("ＰＬＣ编程")
    assert tokenizer.normalize("Ｃ１驾照　ＡＢＣ") == "c1驾照 abc"


def test_traditional_chinese_becomes_simplified(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokenize("電工證") == ["电工", "电工证"]
    assert tokenizer.normalize("招聘電焊工") == "招聘电焊工"


def test_simplified_text_is_left_as_it_is(tokenizer: Tokenizer) -> None:
    assert tokenizer.normalize("威海水产加工普工") == "威海水产加工普工"


def test_punctuation_separates_words(tokenizer: Tokenizer) -> None:
    assert tokenizer.normalize("【急招】普工，包吃住！") == "急招 普工 包吃住"
    assert tokenizer.tokenize("底薪+提成/月薪8000+") == ["底薪", "提成", "月薪", "8000"]


def test_text_of_only_punctuation_has_no_tokens(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokenize("") == []
    assert tokenizer.tokenize("，。！  ——……") == []


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("急招C1司机", "c1"),
        ("持A2驾照优先", "a2"),
        ("会PLC编程", "plc"),
        ("CNC操作", "cnc"),
        ("持电工证上岗", "电工证"),
        ("需焊工证", "焊工证"),
        ("有叉车证", "叉车证"),
        ("办理健康证", "健康证"),
        ("C++开发", "c++"),
        ("C#工程师", "c#"),
    ],
)
def test_certificates_and_skills_stay_one_token(
    tokenizer: Tokenizer, text: str, token: str
) -> None:
    assert token in tokenizer.tokenize(text)


def test_licence_class_and_job_are_separate_tokens(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokenize("急招C1司机") == ["c1", "司机"]


def test_latin_words_are_never_split_inside(tokenizer: Tokenizer) -> None:
    # jieba alone cuts these at dictionary words inside them (b|ug, pow|erp|oint, ab|c1)
    assert tokenizer.tokenize("fix bug用PowerPoint, abc1") == [
        "fix",
        "bug",
        "powerpoint",
        "abc1",
    ]


@pytest.mark.parametrize(
    "word", ["叉车司机", "船舶电工", "水产加工", "家政服务员", "环翠区", "五险一金"]
)
def test_dictionary_words_stay_one_token_after_the_words_inside_them(
    tokenizer: Tokenizer, word: str
) -> None:
    tokens = tokenizer.tokenize(word)
    assert tokens[-1] == word
    # search mode: the shorter dictionary words inside come first, so 电工 finds 船舶电工
    assert all(part in word and len(part) < len(word) for part in tokens[:-1])


def test_rare_overlaps_inside_a_compound_are_not_words(tokenizer: Tokenizer) -> None:
    assert "试工" not in tokenizer.tokenize("测试工程师")
    assert "作工" not in tokenizer.tokenize("操作工")


def test_a_compound_is_found_by_a_word_inside_it(tokenizer: Tokenizer) -> None:
    assert "电工" in tokenizer.tokenize("船舶电工")
    assert {"底薪", "提成"} <= set(tokenizer.tokenize("底薪加提成"))


def test_the_weekend_of_weekends_off_is_not_the_word_weekend(tokenizer: Tokenizer) -> None:
    for text, rest in (("周末双休", "双休"), ("周末单休", "单休"), ("周末休息", "休息")):
        tokens = tokenizer.tokenize(text)
        assert "周末" not in tokens
        assert {text, rest} <= set(tokens)
    assert "周末" in tokenizer.tokenize("周末兼职 周末上班")


def test_jieba_mixed_case_words_survive_lower_casing(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokenize("C语言 U盘") == ["语言", "c语言", "u盘"]


def test_stop_words_and_recruiting_noise_are_dropped(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokenize("诚聘电焊工") == ["电焊", "焊工", "电焊工"]
    assert tokenizer.tokenize("急招普工的岗位") == ["普工"]


def test_words_that_carry_meaning_are_kept(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokenize("不加班") == ["不", "加班"]
    assert "无经验" in tokenizer.tokenize("无经验可培训")


def test_tokens_keep_order_and_duplicates(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokenize("普工 保洁 普工") == ["普工", "保洁", "普工"]


def test_query_terms_offer_synonyms(tokenizer: Tokenizer) -> None:
    assert tokenizer.query_terms("叉车司机") == [
        QueryTerm("叉车", ("叉车", "叉车司机", "叉车工"), names_occupation=True),
        QueryTerm("司机", ("司机", "驾驶员"), names_occupation=True),
        QueryTerm("叉车司机", ("叉车司机", "叉车", "叉车工"), names_occupation=True),
    ]
    (term,) = tokenizer.query_terms("司机")
    assert term.alternatives[0] == "司机"
    assert "驾驶员" in term.alternatives


def test_query_terms_without_synonyms_offer_the_token_alone(tokenizer: Tokenizer) -> None:
    assert tokenizer.query_terms("海参") == [QueryTerm("海参", ("海参",))]


def test_query_terms_say_which_words_name_an_occupation(tokenizer: Tokenizer) -> None:
    roles = {term.token: term.names_occupation for term in tokenizer.query_terms("电工 持证上岗")}
    assert roles == {"电工": True, "持证": False, "上岗": False}
    # a synonym of an occupation counts (驾驶员 stands for 司机)
    roles = {term.token: term.names_occupation for term in tokenizer.query_terms("驾驶员 夜班")}
    assert roles["驾驶员"]
    assert not roles["夜班"]


def test_query_terms_are_distinct_and_in_order(tokenizer: Tokenizer) -> None:
    terms = tokenizer.query_terms("急招普工 保洁 普工")
    assert [term.token for term in terms] == ["普工", "保洁"]


def test_hiring_is_searchable_work_while_hiring_slogans_are_not(tokenizer: Tokenizer) -> None:
    # 招聘 names the work of a recruiter (人事专员 招聘); 急招, 诚聘 only shout
    assert "招聘" in tokenizer.tokenize("人事专员 招聘")
    assert tokenizer.tokenize("诚聘 急招 人事专员")[-1] == "人事专员"
    assert not {"诚聘", "急招"} & set(tokenizer.tokenize("诚聘 急招 人事专员"))


@pytest.mark.parametrize(
    "query",
    ["司机 保洁 普工 前端 电焊 仓管 客服 厨师 叉车", "快递员 外卖骑手 cnc 包吃住 公益岗 环翠"],
)
def test_every_synonym_is_itself_one_token(tokenizer: Tokenizer, query: str) -> None:
    terms = tokenizer.query_terms(query)
    synonyms = set(itertools.chain.from_iterable(term.alternatives[1:] for term in terms))
    assert synonyms
    for alternative in synonyms:
        assert tokenizer.tokenize(alternative)[-1] == alternative


def test_a_document_contains_the_tokens_of_a_query_for_it(tokenizer: Tokenizer) -> None:
    document = tokenizer.tokenize("威海某水产公司急招：水产加工普工（包吃住），月结！")
    for term in tokenizer.query_terms("水产加工 普工 包吃住 月结"):
        assert term.token in document


def test_version_is_stable_for_the_same_words() -> None:
    words = ["西涝台村", "海参养殖工"]
    version = Tokenizer(words).version
    assert Tokenizer(reversed(words)).version == version
    assert Tokenizer([*words, words[0]]).version == version
    assert len(version) == 12


def test_version_changes_when_extra_words_change() -> None:
    assert Tokenizer(["西涝台村"]).version != Tokenizer().version
    assert Tokenizer(["西涝台村"]).version != Tokenizer(["东涝台村"]).version


def test_extra_words_become_tokens(tokenizer: Tokenizer) -> None:
    assert tokenizer.tokenize("海参养殖工") != ["海参养殖工"]
    with_words = get_tokenizer(["海参养殖工", "船舶钳工（装配）"])
    assert with_words.tokenize("招聘海参养殖工")[-1] == "海参养殖工"
    assert with_words.tokenize("船舶钳工")[-1] == "船舶钳工"
    assert with_words.is_known_word("海参养殖工")
    assert not tokenizer.is_known_word("海参养殖工")


def test_get_tokenizer_is_cached_per_set_of_words() -> None:
    assert get_tokenizer(["海参养殖工", "船舶钳工"]) is get_tokenizer(["船舶钳工", "海参养殖工"])
    assert get_tokenizer() is get_tokenizer([])


def test_known_words_include_jieba_and_our_own(tokenizer: Tokenizer) -> None:
    assert tokenizer.is_known_word("工程师")
    assert tokenizer.is_known_word("叉车司机")
    assert tokenizer.is_known_word("ＰＬＣ")
    assert not tokenizer.is_known_word("涝台")


def test_real_titles_give_no_empty_or_spaced_tokens(tokenizer: Tokenizer) -> None:
    path = data_file("jobs_jobhunting/jobs.csv")
    csv.field_size_limit(10**8)
    with path.open(encoding="utf-8", newline="") as handle:
        titles = [row["title"] for row in itertools.islice(csv.DictReader(handle), 2000)]
    assert len(titles) == 2000
    tokens = [token for title in titles for token in tokenizer.tokenize(title)]
    assert tokens
    assert all(token and token == "".join(token.split()) for token in tokens)


@pytest.mark.parametrize(
    ("compound", "part"), [("电商运营", "电商"), ("运维工程师", "运维"), ("人事专员", "人事")]
)
def test_our_compounds_keep_the_words_jieba_splits_them_into(
    tokenizer: Tokenizer, compound: str, part: str
) -> None:
    # 电商 and 运维 are too rare in jieba's counts to be taken from inside any compound, but a
    # seeker typing 电商 wants the 电商运营 postings
    tokens = tokenizer.tokenize(compound)
    assert compound in tokens
    assert part in tokens
    assert part in tokenizer.tokenize(f"招 {compound} 2 名")
