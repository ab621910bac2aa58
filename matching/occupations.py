"""Occupation normalisation: free-text job titles → the 2022 national classification (CSCO).

Owns the classifier, the plain TF-IDF baseline and their honest evaluation. It knows nothing of
the database or the web app: occupations and labelled titles come in as plain values.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from indexer.tokenizer import Tokenizer, get_tokenizer

log = logging.getLogger(__name__)

Matrix = Any  # a scipy sparse matrix (scipy ships no type information)
LabeledTitle = tuple[str, str]  # (job title, expected code)

# What a saved classifier is and what it computes (checked when a model file is loaded).
MODEL_KIND = "occupation-classifier"
FEATURE_NAMES = (
    "words_tfidf",
    "chars_1_3_tfidf",
    "name_alias_similarity",
    "definition_tasks_similarity",
    "top_similar_classes",
    "top_similar_majors",
)

# CSCO 2022 marks green (L) and digital (S) occupations with letters after the name
# ("电子商务师S", "大地测量工程技术人员L/S"); they are not part of what people type.
_MARKER = re.compile(r"(?<=[\u4e00-\u9fff）)])\s*(?:L/S|L|S)$")
# Titles scored per batch: bounds the dense title × class matrices to a few tens of MB.
_BATCH = 2000
# The score of a 中类 no labelled title belongs to: a little below an SVM's "surely not" (-1).
_UNSEEN_MAJOR_SCORE = -1.5
# SVM weights below this are dropped: measured on the labelled titles, no accuracy changes and
# seven times fewer weights are kept (the saved model shrinks from ~230 MB to ~25 MB).
_PRUNE_BELOW = 0.01


@dataclass(frozen=True)
class Occupation:
    """One entry of the classification (any level: 1 大类, 2 中类, 3 小类, 4 细类)."""

    code: str
    name: str
    level: int
    definition: str = ""
    tasks: str = ""
    aliases: tuple[str, ...] = ()


def major_code(code: str) -> str:
    """The 中类 of a code: its first two parts ("4-02-06-01" → "4-02")."""
    return "-".join(code.split("-")[:2])


def plain_name(name: str) -> str:
    """The name without CSCO's green/digital markers ("电子商务师S" → "电子商务师")."""
    return _MARKER.sub("", name.strip())


def leaf_codes(occupations: Iterable[Occupation]) -> set[str]:
    """Codes with nothing finer below them: every 细类, and groups such as 其他… that have none."""
    by_code = {occupation.code: occupation for occupation in occupations}
    prefixes: set[str] = set()
    for occupation in by_code.values():
        parts = occupation.code.split("-")
        prefixes.update("-".join(parts[:depth]) for depth in range(1, occupation.level))
    leaves = set()
    for code, occupation in by_code.items():
        significant = "-".join(code.split("-")[: occupation.level])
        if occupation.level >= 4 or significant not in prefixes:
            leaves.add(code)
    return leaves


class _Text:
    """A picklable text function on the search tokenizer: its words, or its normalised text.

    Only the extra words are pickled; the tokenizer (and its jieba) is fetched again on first use.
    """

    def __init__(self, extra_words: tuple[str, ...], words: bool) -> None:
        self.extra_words = extra_words
        self.words = words

    def __getstate__(self) -> dict[str, Any]:
        return {"extra_words": self.extra_words, "words": self.words}

    def tokenizer(self) -> Tokenizer:
        if "_tokenizer" not in self.__dict__:
            self._tokenizer = get_tokenizer(self.extra_words)
        return self._tokenizer

    def __call__(self, text: str) -> Any:
        tokenizer = self.tokenizer()
        return _tokens(tokenizer, text) if self.words else tokenizer.normalize(text)


@lru_cache(maxsize=65536)
def _tokens(tokenizer: Tokenizer, text: str) -> tuple[str, ...]:
    # cross-validation refits the vectorizers on the same definitions five times
    return tuple(tokenizer.tokenize(text))


def _top_k(scores: np.ndarray, k: int) -> Matrix:
    """The k largest entries of each row as a sparse matrix (the rest dropped)."""
    k = min(k, scores.shape[1])
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(scores.shape[0]), k)
    values = np.take_along_axis(scores, top, axis=1).ravel()
    return sp.csr_matrix((values, (rows, top.ravel())), shape=scores.shape)


def _decisions(model: Any, features: Matrix, columns: np.ndarray, width: int) -> np.ndarray:
    """A linear SVM's scores spread over `width` columns (NaN where it has no class)."""
    raw = model.decision_function(features)
    if raw.ndim == 1:  # two classes: scikit-learn returns one column, for the second
        raw = np.column_stack([-raw, raw])
    out = np.full((features.shape[0], width), np.nan)
    out[:, columns] = raw
    return out


class OccupationClassifier(BaseEstimator):  # type: ignore[misc]  # sklearn ships no types
    """Job title → CSCO code: similarity to the classification, plus linear SVMs on labelled titles.

    Every title and occupation text becomes jieba words (weighted `word_weight`) and character
    1–3-grams, TF-IDF weighted. Without labelled titles a title's score for an occupation is its
    best cosine to the occupation's name or aliases plus `definition_weight` × its cosine to the
    definition and tasks. With labelled titles, one linear SVM learns the codes and another the
    中类, each from the title's features plus its `top_similar` best occupation similarities; an
    occupation no labelled title had keeps a scaled similarity score, so it can still win.
    """

    def __init__(
        self,
        *,
        word_weight: float = 0.3,
        definition_weight: float = 0.2,
        C: float = 1.0,  # scikit-learn's name for the SVM's regularisation
        top_similar: int = 5,
        major_weight: float = 1.0,
        similarity_weight: float = 0.3,
        unseen_offset: float = -1.0,
        unseen_scale: float = 2.0,
        coarse_classes: bool = True,
        extra_words: tuple[str, ...] = (),
        random_state: int = 0,
    ) -> None:
        self.word_weight = word_weight
        self.definition_weight = definition_weight
        self.C = C
        self.top_similar = top_similar
        self.major_weight = major_weight
        self.similarity_weight = similarity_weight
        self.unseen_offset = unseen_offset
        self.unseen_scale = unseen_scale
        self.coarse_classes = coarse_classes
        self.extra_words = extra_words
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------------

    def fit(
        self, occupations: Iterable[Occupation], labeled_titles: Iterable[LabeledTitle] = ()
    ) -> OccupationClassifier:
        """Learn from the classification and, when given, (title, code) pairs; returns self."""
        by_code = {occupation.code: occupation for occupation in occupations}
        if not by_code:
            raise ValueError("no occupations to learn from")
        classes = leaf_codes(by_code.values())
        if self.coarse_classes:
            # the classification gives some groups job-site titles of their own (6-00-00-00:
            # 普工/操作工) and labels use groups for generic titles (销售 → 4-01-02-00)
            classes |= {code for code, o in by_code.items() if _own_aliases(o)}
        titles = [(title, code) for title, code in labeled_titles if code in by_code]
        if self.coarse_classes:
            classes |= {code for _, code in titles}
        titles = [(title, code) for title, code in titles if code in classes]
        self.classes_ = np.array(sorted(classes))
        self.class_names_ = np.array([by_code[code].name for code in self.classes_])
        index = {code: i for i, code in enumerate(self.classes_)}
        majors = [major_code(code) for code in self.classes_]
        self.majors_, major_starts, self.major_of_ = np.unique(
            majors, return_index=True, return_inverse=True
        )
        self.major_starts_ = major_starts  # classes are sorted, so each 中类 is one run
        self.n_labeled_titles_ = len(titles)

        name_texts, name_owner, text_texts, text_owner = [], [], [], []
        for i, code in enumerate(self.classes_):
            occupation = by_code[code]
            names = [plain_name(n) for n in (occupation.name, *occupation.aliases)]
            # the class's own name always comes first: each class needs at least one row
            for name in dict.fromkeys(n for n in names if n) or [code]:
                name_texts.append(name)
                name_owner.append(i)
            text = f"{occupation.definition} {occupation.tasks}".strip()
            if text:
                text_texts.append(text)
                text_owner.append(i)
        title_texts = [title for title, _ in titles]
        self.word_vectorizer_ = TfidfVectorizer(
            analyzer=_Text(tuple(self.extra_words), words=True), sublinear_tf=True
        )
        self.char_vectorizer_ = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(1, 3),
            preprocessor=_Text(tuple(self.extra_words), words=False),
            sublinear_tf=True,
        )
        corpus = name_texts + text_texts + title_texts
        self.word_vectorizer_.fit(corpus)
        self.char_vectorizer_.fit(corpus)
        self.tokenizer_version_ = self.word_vectorizer_.analyzer.tokenizer().version

        order = np.argsort(name_owner, kind="stable")
        self.name_matrix_ = self._features(name_texts)[order]
        # every class has its own name, so the sorted owners form one run per class
        self.name_starts_ = np.unique(np.asarray(name_owner)[order], return_index=True)[1]
        self.text_matrix_ = self._features(text_texts) if text_texts else None
        self.text_owner_ = np.asarray(text_owner, dtype=np.intp)

        self.fine_svm_: Any = None
        self.major_svm_: Any = None
        self.seen_ = np.zeros(len(self.classes_), dtype=bool)
        self.title_columns_ = np.zeros(0, dtype=np.intp)
        codes = np.array([index[code] for _, code in titles], dtype=np.intp)
        if len(np.unique(codes)) >= 2:
            features = self._features(title_texts)
            self.title_columns_ = np.unique(features.indices)
            stacked = self._stack(features, self._similarity(features))
            self.fine_svm_ = self._svm(stacked, codes)
            self.seen_[self.fine_svm_.classes_] = True
            if len(np.unique(self.major_of_[codes])) >= 2:
                self.major_svm_ = self._svm(stacked, self.major_of_[codes])
        log.debug(
            "occupation classifier: %d classes, %d labelled titles, %d classes seen in them",
            len(self.classes_),
            len(titles),
            int(self.seen_.sum()),
        )
        return self

    def _svm(self, features: Matrix, labels: np.ndarray) -> Any:
        svm = LinearSVC(C=self.C, max_iter=5000, random_state=self.random_state)
        svm.fit(features, labels)
        svm.coef_[np.abs(svm.coef_) < _PRUNE_BELOW] = 0.0
        svm.sparsify()
        return svm

    # -- scoring ---------------------------------------------------------------------------

    def _features(self, texts: Sequence[str]) -> Matrix:
        words = self.word_vectorizer_.transform(texts) * self.word_weight
        chars = self.char_vectorizer_.transform(texts)
        return normalize(sp.hstack([words, chars]).tocsr())

    def _similarity(self, features: Matrix) -> np.ndarray:
        """Each title's similarity to each class: best name or alias, plus its definition."""
        names = (features @ self.name_matrix_.T).toarray()
        similarity = np.zeros((features.shape[0], len(self.classes_)))
        similarity[:] = np.maximum.reduceat(names, self.name_starts_, axis=1)
        if self.text_matrix_ is not None and self.definition_weight:
            texts = (features @ self.text_matrix_.T).toarray()
            similarity[:, self.text_owner_] += self.definition_weight * texts
        return similarity

    def _stack(self, features: Matrix, similarity: np.ndarray) -> Matrix:
        by_major = np.maximum.reduceat(similarity, self.major_starts_, axis=1)
        blocks = [
            features[:, self.title_columns_],
            _top_k(similarity, self.top_similar),
            _top_k(by_major, 3),
        ]
        return sp.hstack(blocks).tocsr()

    def decision_function(self, titles: Sequence[str]) -> np.ndarray:
        """Scores of shape (titles, classes_); higher is better, not probabilities."""
        parts = [self._scores(list(titles[i : i + _BATCH])) for i in range(0, len(titles), _BATCH)]
        return np.vstack(parts) if parts else np.zeros((0, len(self.classes_)))

    def _scores(self, titles: list[str]) -> np.ndarray:
        features = self._features(titles)
        similarity = self._similarity(features)
        if self.fine_svm_ is None:
            return similarity
        stacked = self._stack(features, similarity)
        width = len(self.classes_)
        fine = _decisions(self.fine_svm_, stacked, self.fine_svm_.classes_, width)
        scores = np.where(
            self.seen_,
            fine + self.similarity_weight * similarity,
            self.unseen_offset + self.unseen_scale * similarity,
        )
        if self.major_svm_ is not None:
            major = _decisions(
                self.major_svm_, stacked, self.major_svm_.classes_, len(self.majors_)
            )
            scores += (
                self.major_weight * np.nan_to_num(major, nan=_UNSEEN_MAJOR_SCORE)[:, self.major_of_]
            )
        return scores

    def predict(self, titles: Sequence[str]) -> list[str]:
        """The best code for each title."""
        scores = self.decision_function(titles)
        return [str(code) for code in self.classes_[scores.argmax(axis=1)]]

    def predict_top(self, titles: Sequence[str], k: int = 5) -> list[list[tuple[str, float]]]:
        """The k best (code, score) pairs of each title, best first."""
        scores = self.decision_function(titles)
        k = min(k, len(self.classes_))
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return [
            [(str(self.classes_[j]), float(row_scores[j])) for j in row]
            for row, row_scores in zip(top, scores, strict=True)
        ]

    def name_of(self, code: str) -> str:
        """The occupation name of one of the classes."""
        return str(self.class_names_[np.searchsorted(self.classes_, code)])


def _own_aliases(occupation: Occupation) -> bool:
    return any(plain_name(alias) != plain_name(occupation.name) for alias in occupation.aliases)


class BaselineMatcher:
    """The plain baseline: the nearest name or alias by character 1–3-gram TF-IDF cosine."""

    def fit(self, occupations: Iterable[Occupation]) -> BaselineMatcher:
        texts, owners = [], []
        for occupation in occupations:
            for name in dict.fromkeys((occupation.name, *occupation.aliases)):
                texts.append(name)
                owners.append(occupation.code)
        self.vectorizer_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.matrix_ = self.vectorizer_.fit_transform(texts)
        self.owners_ = np.array(owners)
        return self

    def predict(self, titles: Sequence[str]) -> list[str]:
        out: list[str] = []
        for start in range(0, len(titles), _BATCH):
            query = self.vectorizer_.transform(titles[start : start + _BATCH])
            best = (query @ self.matrix_.T).toarray().argmax(axis=1)
            out.extend(str(code) for code in self.owners_[best])
        return out


# -- evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Accuracy:
    """Top-1 accuracy: the exact code, and the 中类 (first two parts of the code)."""

    exact: float
    major: float


@dataclass(frozen=True)
class Evaluation:
    ours: Accuracy
    baseline: Accuracy
    titles: int  # labelled titles scored (those whose code is in the classification)
    skipped: int  # labelled titles whose code is not in the classification
    folds: int  # 0 when the classifier did not learn from labelled titles

    def as_dict(self) -> dict[str, Any]:
        def pair(accuracy: Accuracy) -> dict[str, float]:
            return {"exact": round(accuracy.exact, 4), "major": round(accuracy.major, 4)}

        return {"ours": pair(self.ours), "baseline": pair(self.baseline), "titles": self.titles}


def accuracy(predicted: Sequence[str], expected: Sequence[str]) -> Accuracy:
    """Exact and 中类 top-1 accuracy of predicted codes against expected ones."""
    if len(predicted) != len(expected):
        raise ValueError("predicted and expected differ in length")
    if not expected:
        return Accuracy(0.0, 0.0)
    exact = sum(p == e for p, e in zip(predicted, expected, strict=True))
    major = sum(major_code(p) == major_code(e) for p, e in zip(predicted, expected, strict=True))
    return Accuracy(exact / len(expected), major / len(expected))


def title_folds(
    titles: Sequence[str], n_splits: int = 5, random_state: int = 0
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Cross-validation folds in which one title text (normalised) never sits on both sides."""
    normalize_text = Tokenizer().normalize  # normalising needs no dictionary: nothing is loaded
    groups = ["".join(normalize_text(title).split()) for title in titles]
    if not 2 <= n_splits <= len(set(groups)):
        raise ValueError(f"{n_splits} folds need at least {n_splits} distinct titles (and 2 folds)")
    splitter = GroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    return [(train, test) for train, test in splitter.split(np.zeros(len(titles)), groups=groups)]


def evaluate(
    occupations: Sequence[Occupation],
    labeled_titles: Iterable[LabeledTitle],
    *,
    classifier: OccupationClassifier | None = None,
    learn_from_titles: bool = True,
    n_splits: int = 5,
    random_state: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Evaluation:
    """Ours against the baseline on labelled titles; learning from them only across folds.

    With `learn_from_titles`, each fold's classifier learns from the other folds' titles and
    is scored on its own, so no title is scored by a model that learned it. `progress` is
    called with 1 after each fit.
    """
    known = {occupation.code for occupation in occupations}
    pairs = list(labeled_titles)
    scored = [(title, code) for title, code in pairs if code in known]
    titles = [title for title, _ in scored]
    expected = [code for _, code in scored]
    template = classifier if classifier is not None else OccupationClassifier()
    predicted: list[str] = [""] * len(scored)
    folds = title_folds(titles, n_splits, random_state) if learn_from_titles else []
    for train, test in folds:
        model = clone(template).fit(occupations, [scored[i] for i in train])
        for i, code in zip(test, model.predict([titles[i] for i in test]), strict=True):
            predicted[i] = code
        if progress is not None:
            progress(1)
    if not folds:
        predicted = clone(template).fit(occupations).predict(titles)
        if progress is not None:
            progress(1)
    baseline = BaselineMatcher().fit(occupations).predict(titles)
    return Evaluation(
        ours=accuracy(predicted, expected),
        baseline=accuracy(baseline, expected),
        titles=len(scored),
        skipped=len(pairs) - len(scored),
        folds=len(folds),
    )
