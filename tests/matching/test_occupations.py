"""The occupation classifier, the baseline, honest cross-validation and the model file."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, ClassVar

import pytest

from matching.occupations import (
    FEATURE_NAMES,
    MODEL_KIND,
    Accuracy,
    BaselineMatcher,
    Occupation,
    OccupationClassifier,
    accuracy,
    evaluate,
    leaf_codes,
    major_code,
    plain_name,
    title_folds,
)
from matching.persistence import (
    MAGIC,
    ModelRefused,
    load_model,
    model_metadata,
    read_metadata,
    save_model,
)


# A tiny classification of our own, shaped like CSCO: 大类 → 中类 → 小类 → 细类.
def _occupation(code: str, name: str, text: str = "", aliases: str = "") -> Occupation:
    """An occupation; its level follows from the trailing -00 parts (as in the classification)."""
    parts = code.split("-")
    level = next((depth for depth in (1, 2, 3) if set(parts[depth:]) == {"00"}), 4)
    definition, _, tasks = text.partition("|")
    return Occupation(code, name, level, definition, tasks, tuple(filter(None, aliases.split())))


TAXONOMY = [
    _occupation("4-00-00-00", "服务人员"),
    _occupation("4-07-00-00", "商务服务人员"),
    _occupation("4-07-05-00", "安全保护服务人员"),
    _occupation("4-07-05-01", "保安员", "维护单位和小区治安秩序的人员。|巡逻 门岗", "保安 门卫"),
    _occupation("4-09-00-00", "环境服务人员"),
    _occupation("4-09-08-01", "保洁员L", "清扫保洁公共场所的人员。|清扫 擦拭", "保洁 清洁工"),
    _occupation("4-02-00-00", "运输物流服务人员"),
    _occupation("4-02-06-01", "仓储管理员", "管理仓库货物出入库的人员。|盘点 入库", "仓管 库管"),
    _occupation("4-02-07-08", "快递员", "揽收派送快件的人员。|揽收 派送", "快递小哥"),
    _occupation("6-00-00-00", "生产制造及有关人员", "", "普工 操作工"),
    _occupation("6-01-00-00", "农副产品加工人员"),
    _occupation(
        "6-01-05-01", "水产品加工工", "腌制、干制、蒸煮水产品的人员。|清洗 分拣", "海参加工"
    ),
    _occupation("6-18-00-00", "机械制造基础加工人员"),
    _occupation("6-18-02-04", "焊工", "使用焊机焊接金属工件的人员。|焊接 打磨", "电焊工 氩弧焊工"),
    _occupation("6-30-05-01", "起重装卸机械操作工", "操作叉车等装卸机械的人员。", "叉车司机"),
]

LABELED = [
    ("急招海参车间工人包吃住", "6-01-05-01"),
    ("海参车间工人", "6-01-05-01"),
    ("荣成海参车间小工", "6-01-05-01"),
    ("扇贝车间工人", "6-01-05-01"),
    ("小区夜班巡逻", "4-07-05-01"),
    ("物业巡逻队员", "4-07-05-01"),
    ("商场夜班巡逻", "4-07-05-01"),
    ("写字楼巡逻岗", "4-07-05-01"),
    ("船厂焊接技工", "6-18-02-04"),
    ("二保焊技工", "6-18-02-04"),
    ("钢结构焊接技工", "6-18-02-04"),
    ("船厂焊接学徒", "6-18-02-04"),
    ("电商仓库盘点", "4-02-06-01"),
    ("仓库盘点员", "4-02-06-01"),
    ("冷库盘点员", "4-02-06-01"),
    ("仓库盘点文员", "4-02-06-01"),
]


@pytest.fixture(scope="module")
def zero_shot() -> OccupationClassifier:
    return OccupationClassifier().fit(TAXONOMY)


@pytest.fixture(scope="module")
def trained() -> OccupationClassifier:
    return OccupationClassifier().fit(TAXONOMY, LABELED)


def test_codes_and_names_helpers() -> None:
    assert major_code("4-02-06-01") == "4-02"
    assert plain_name("保洁员L") == "保洁员"
    assert plain_name("大地测量工程技术人员L/S") == "大地测量工程技术人员"
    assert plain_name("电子商务师S") == "电子商务师"
    assert plain_name("HSE") == "HSE"  # a Latin name keeps its letters


def test_leaves_are_the_finest_codes_and_childless_groups() -> None:
    leaves = leaf_codes(TAXONOMY)
    assert "6-18-02-04" in leaves
    assert "4-07-05-00" not in leaves  # its 细类 保安员 is below it
    assert "4-00-00-00" not in leaves
    assert "6-00-00-00" not in leaves  # 6-01 and 6-18 are below it
    assert leaf_codes([Occupation("8-00-00-00", "不便分类的其他从业人员", 1)]) == {"8-00-00-00"}


def test_titles_are_matched_by_name_and_alias_without_labels(
    zero_shot: OccupationClassifier,
) -> None:
    titles = ["急招电焊工 包吃住", "小区保安", "保洁阿姨", "仓库管理员", "叉车司机", "快递小哥"]
    assert zero_shot.predict(titles) == [
        "6-18-02-04",
        "4-07-05-01",
        "4-09-08-01",
        "4-02-06-01",
        "6-30-05-01",
        "4-02-07-08",
    ]


def test_a_group_with_job_titles_of_its_own_is_a_class(zero_shot: OccupationClassifier) -> None:
    assert "6-00-00-00" in zero_shot.classes_  # the classification gives it 普工 and 操作工
    assert zero_shot.predict(["招聘普工"]) == ["6-00-00-00"]
    without = OccupationClassifier(coarse_classes=False).fit(TAXONOMY)
    assert "6-00-00-00" not in without.classes_
    assert set(without.classes_) == leaf_codes(TAXONOMY)


def test_labelled_titles_teach_words_the_classification_lacks(
    zero_shot: OccupationClassifier, trained: OccupationClassifier
) -> None:
    titles = ["海参车间临时工", "停车场夜班巡逻", "焊接技工"]
    assert zero_shot.predict(titles) != ["6-01-05-01", "4-07-05-01", "6-18-02-04"]
    assert trained.predict(titles) == ["6-01-05-01", "4-07-05-01", "6-18-02-04"]
    assert trained.n_labeled_titles_ == len(LABELED)
    assert set(trained.classes_[trained.seen_]) == {code for _, code in LABELED}


def test_an_occupation_no_label_had_can_still_win_by_its_name(
    trained: OccupationClassifier,
) -> None:
    assert trained.predict(["叉车司机", "快递员", "保洁员"]) == [
        "6-30-05-01",
        "4-02-07-08",
        "4-09-08-01",
    ]


def test_a_labelled_coarse_code_is_learned_unless_told_not_to() -> None:
    labeled = [*LABELED, ("服务专员", "4-07-00-00"), ("服务助理", "4-07-00-00")]
    assert "4-07-00-00" in OccupationClassifier().fit(TAXONOMY, labeled).classes_
    leaves_only = OccupationClassifier(coarse_classes=False).fit(TAXONOMY, labeled)
    assert "4-07-00-00" not in leaves_only.classes_
    assert leaves_only.n_labeled_titles_ == len(LABELED)


def test_labels_outside_the_classification_are_ignored() -> None:
    model = OccupationClassifier().fit(TAXONOMY, [*LABELED, ("宇航员", "9-99-99-99")])
    assert model.n_labeled_titles_ == len(LABELED)


def test_predict_top_is_ordered_best_first_and_agrees_with_predict(
    trained: OccupationClassifier,
) -> None:
    titles = ["电焊工", "海参加工", "仓管"]
    tops = trained.predict_top(titles, k=4)
    assert [len(top) for top in tops] == [4, 4, 4]
    for top, best in zip(tops, trained.predict(titles), strict=True):
        scores = [score for _, score in top]
        assert scores == sorted(scores, reverse=True)
        assert top[0][0] == best
        assert len({code for code, _ in top}) == 4
    assert len(trained.predict_top(["电焊工"], k=100)[0]) == len(trained.classes_)
    assert trained.predict([]) == []
    assert trained.name_of("6-18-02-04") == "焊工"


def test_the_classifier_follows_scikit_learn_conventions() -> None:
    from sklearn.base import clone

    model = OccupationClassifier(C=0.5, extra_words=("海参车间",))
    assert model.get_params()["C"] == 0.5
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "classes_")
    assert copy.fit(TAXONOMY) is copy
    with pytest.raises(ValueError, match="no occupations"):
        OccupationClassifier().fit([])


def test_the_baseline_takes_the_nearest_name_or_alias() -> None:
    baseline = BaselineMatcher().fit(TAXONOMY)
    assert baseline.predict(["电焊工", "门卫", "海参加工", "快递小哥"]) == [
        "6-18-02-04",
        "4-07-05-01",
        "6-01-05-01",
        "4-02-07-08",
    ]


def test_accuracy_counts_exact_codes_and_majors() -> None:
    result = accuracy(["4-07-05-01", "4-07-01-02", "6-18-02-04"], ["4-07-05-01"] * 3)
    assert result == Accuracy(exact=pytest.approx(1 / 3), major=pytest.approx(2 / 3))
    with pytest.raises(ValueError, match="length"):
        accuracy(["4-07-05-01"], [])


def test_folds_keep_one_title_text_on_one_side() -> None:
    titles = ["电焊工", "电焊工 ", "ＡＢＣ普工", "abc普工", "保安", "保洁", "仓管", "快递员"]
    folds = title_folds(titles, n_splits=3, random_state=1)
    tested = sorted(i for _, test in folds for i in test)
    assert tested == list(range(len(titles)))  # every title is scored exactly once
    for train, test in folds:
        assert not {0, 1} & set(train) or not {0, 1} & set(test)
        assert not {2, 3} & set(train) or not {2, 3} & set(test)


def test_folds_need_enough_distinct_titles() -> None:
    with pytest.raises(ValueError, match="5 folds need at least 5 distinct titles"):
        title_folds(["电焊工", "电焊工 ", "保安", "保洁"], n_splits=5)
    with pytest.raises(ValueError, match="2 folds"):
        title_folds(["电焊工", "保安"], n_splits=1)


class RecordingClassifier(OccupationClassifier):
    """Records which titles each fold's model learned from and which it scored."""

    fits: ClassVar[list[set[str]]] = []
    scored: ClassVar[list[set[str]]] = []

    def fit(self, occupations: Any, labeled_titles: Any = ()) -> RecordingClassifier:
        labeled_titles = list(labeled_titles)
        RecordingClassifier.fits.append({title for title, _ in labeled_titles})
        super().fit(occupations, labeled_titles)
        return self

    def predict(self, titles: Any) -> list[str]:
        RecordingClassifier.scored.append(set(titles))
        return super().predict(titles)


def test_cross_validation_never_scores_a_title_the_model_learned() -> None:
    RecordingClassifier.fits.clear()
    RecordingClassifier.scored.clear()
    result = evaluate(TAXONOMY, LABELED, classifier=RecordingClassifier(), n_splits=4)
    assert result.folds == 4
    assert len(RecordingClassifier.fits) == len(RecordingClassifier.scored) == 4
    for learned, scored in zip(RecordingClassifier.fits, RecordingClassifier.scored, strict=True):
        assert learned
        assert not learned & scored
    assert set().union(*RecordingClassifier.scored) == {title for title, _ in LABELED}


def test_evaluation_reports_ours_and_the_baseline_side_by_side() -> None:
    ticks: list[int] = []
    labeled = [*LABELED, ("外星人", "9-99-99-99")]
    result = evaluate(TAXONOMY, labeled, n_splits=4, progress=ticks.append)
    assert (result.titles, result.skipped, result.folds) == (len(LABELED), 1, 4)
    assert ticks == [1, 1, 1, 1]
    assert result.ours.exact >= result.baseline.exact
    shape = result.as_dict()
    assert set(shape) == {"ours", "baseline", "titles"}
    assert set(shape["ours"]) == set(shape["baseline"]) == {"exact", "major"}
    zero = evaluate(TAXONOMY, LABELED, learn_from_titles=False)
    assert zero.folds == 0
    assert zero.titles == len(LABELED)


# -- the model file ------------------------------------------------------------------------


def _saved(tmp_path: Path, model: object) -> Path:
    path = tmp_path / "models" / "occupations.model"
    metadata = model_metadata(MODEL_KIND, FEATURE_NAMES, metrics={"exact": 0.6})
    save_model(path, model, metadata)
    return path


def test_a_saved_classifier_loads_and_predicts_the_same(
    tmp_path: Path, trained: OccupationClassifier
) -> None:
    path = _saved(tmp_path, trained)
    model, metadata = load_model(
        path, MODEL_KIND, expected_features=FEATURE_NAMES, trusted_dir=tmp_path
    )
    assert isinstance(model, OccupationClassifier)
    titles = ["海参车间临时工", "叉车司机", "电焊工"]
    assert model.predict(titles) == trained.predict(titles)
    assert metadata.metrics == {"exact": 0.6}
    assert metadata.feature_names == FEATURE_NAMES
    assert {"scikit-learn", "numpy", "scipy", "jieba", "python"} <= set(metadata.libraries)
    assert metadata.trained_at
    assert read_metadata(path) == metadata
    assert list(tmp_path.joinpath("models").iterdir()) == [path]  # no temporary file left


def _rewrite_header(path: Path, **changes: Any) -> None:
    raw = path.read_bytes()
    start = len(MAGIC) + 8
    size = int.from_bytes(raw[len(MAGIC) : start], "big")
    header = json.loads(raw[start : start + size])
    header.update(changes)
    encoded = json.dumps(header).encode()
    path.write_bytes(MAGIC + len(encoded).to_bytes(8, "big") + encoded + raw[start + size :])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "ranker"}, "holds a 'ranker' model"),
        ({"feature_names": ["words_tfidf"]}, "trained on features"),
        ({"libraries": {"scikit-learn": "0.1"}}, "built with scikit-learn 0.1"),
        ({"sha256": "0" * 64}, "damaged"),
    ],
)
def test_a_model_whose_header_does_not_match_is_refused(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    path = _saved(tmp_path, {"a": 1})
    _rewrite_header(path, **change)
    with pytest.raises(ModelRefused, match=message):
        load_model(path, MODEL_KIND, expected_features=FEATURE_NAMES, trusted_dir=tmp_path)


def test_models_are_loaded_only_from_the_trusted_folder(tmp_path: Path) -> None:
    path = _saved(tmp_path / "elsewhere", {"a": 1})
    with pytest.raises(ModelRefused, match="outside"):
        load_model(path, MODEL_KIND, trusted_dir=tmp_path / "instance")
    with pytest.raises(ModelRefused, match="no model file"):
        load_model(tmp_path / "instance" / "none.model", MODEL_KIND, trusted_dir=tmp_path)
    (tmp_path / "instance").mkdir()
    not_a_model = tmp_path / "instance" / "x.model"
    not_a_model.write_bytes(b"\x80\x04junk")
    with pytest.raises(ModelRefused, match="not a Jiuye model file"):
        load_model(not_a_model, MODEL_KIND, trusted_dir=tmp_path)


def test_metadata_is_a_plain_record() -> None:
    metadata = model_metadata(MODEL_KIND, FEATURE_NAMES, training={"titles": 3})
    assert dataclasses.asdict(metadata)["training"] == {"titles": 3}
    assert json.loads(metadata.as_json())["kind"] == MODEL_KIND
