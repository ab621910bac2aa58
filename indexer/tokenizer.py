"""Chinese tokenisation for search: normalisation, user dictionary, stop words, synonyms.

The only module that imports jieba. One `tokenize` serves index time and query time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import threading
import unicodedata
import warnings
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Any

log = logging.getLogger(__name__)

# Bump when normalisation or segmentation rules change: old indexes then read as stale.
_RULES_VERSION = "7"

# Any word we add outranks splits into common words: a two-way split beats it only when
# freq(a) * freq(b) exceeds about 1000 * 60M (jieba's total), which no real pair does.
_USER_WORD_FREQ = 1000

_OCCUPATIONS = """
普工 操作工 生产工 作业员 技工 学徒 学徒工 杂工 小工 力工 零工 临时工 短工 日结工 小时工
电工 维修电工 低压电工 高压电工 船舶电工 电气工 电焊 电焊工 焊工 气焊工 氩弧焊工 二保焊工 焊接工
钳工 铣工 车工 磨工 刨工 镗工 钣金工 冲压工 冲床工 折弯工 剪板工 喷漆工 喷涂工 油漆工 打磨工
抛光工 装配工 组装工 包装工 搬运工 装卸工 分拣员 理货员 拣货员 打包员 仓管 仓管员 仓库管理员
库管 叉车 叉车工 叉车司机 铲车司机 吊车司机 塔吊司机 行车工 天车工 司机 驾驶员 货车司机
网约车司机 出租车司机 大巴司机 客车司机 送货司机 专职司机 保洁 保洁员 清洁工 保安 保安员 门卫
巡逻员 家政 家政服务员 保姆 月嫂 育婴员 育婴师 育儿嫂 护工 护理员 养老护理员 厨师 厨工 帮厨
面点师 切配 洗碗工 服务员 传菜员 收银员 营业员 导购 导购员 外卖骑手 外卖员 骑手 送餐员 快递员
快递小哥 收派员 配送员 水电工 水暖工 管道工 木工 瓦工 钢筋工 架子工 泥瓦工 电梯安装工
空调安装工 安装工 维修工 机修工 设备维修工 汽车修理工 汽修工 洗车工 美容师 美发师 缝纫工
车缝工 裁剪工 熨烫工 剪线工 注塑 注塑工 模具工 数控 数控车床 数控车工 数控操机 cnc操机 加工中心
水产加工 水产品加工 海产品加工 海参加工 鱼类加工 海带加工 船舶 船厂 船员 渔民 海员 水手 轮机员
质检 质检员 品检 品检员 检验员 化验员 实验员 文员 行政文员 办公室文员 前台 行政专员 人事专员
会计 出纳 财务 统计员 采购员 跟单员 销售 业务员 销售代表 客服 客户服务 电话客服 话务员 主播
带货主播 新媒体运营 电商运营 美工 程序员 软件工程师 前端 web前端 前端开发 后端开发 全栈开发
测试工程师 运维工程师 网管 幼师 保育员 护士 药剂师 康复师 导游 讲解员 客房服务员 酒店前台
轮胎成型工 硫化工 纺织工 挡车工 织布工 印染工 医疗器械 灯检员 包装员 物流专员 调度员
公益岗 公益岗位 公益性岗位 护林员 保洁工 绿化工 园林工 农民工 村级协管员
"""

_WEIHAI_PLACES = """
威海 威海市 环翠 环翠区 文登 文登区 荣成 荣成市 乳山 乳山市 火炬高新区 高新区 高区
火炬高技术产业开发区 威海火炬高技术产业开发区 经区 经济技术开发区 威海经济技术开发区 临港区
临港经济技术开发区 威海临港经济技术开发区 南海新区 石岛 石岛管理区 好运角 张家埠 刘公岛 成山头
环翠楼街道 鲸园街道 竹岛街道 孙家疃街道 嵩山街道 张村镇 羊亭镇 温泉镇 桥头镇 龙山路街道
天福路街道 环山路街道 文登营镇 大水泊镇 张家产镇 高村镇 泽库镇 侯家镇 宋村镇 泽头镇 小观镇 葛家镇
米山镇 界石镇 怡园街道 田和街道 初村镇 皇冠街道 凤林街道 西苑街道 崮山镇 泊于镇 草庙子镇 汪疃镇
苘山镇 宁津街道 港湾街道 桃园街道 王连街道 东山街道 斥山街道 崖头街道 城西街道 寻山街道 崂山街道
俚岛镇 成山镇 埠柳镇 港西镇 夏庄镇 崖西镇 荫子镇 滕家镇 大疃镇 上庄镇 虎山镇 人和镇 城区街道
夏村镇 乳山口镇 海阳所镇 白沙滩镇 大孤山镇 南黄镇 冯家镇 下初镇 午极镇 育黎镇 崖子镇 诸往镇
乳山寨镇 徐家镇
"""

_SKILLS = """
电工证 焊工证 叉车证 健康证 驾驶证 驾照 a1 a2 a3 b1 b2 c1 c2 c3 特种作业操作证 低压电工证
高压电工证 登高证 上岗证 从业资格证 网约车资格证 保安证 保安员证 育婴员证 育婴师证 护士资格证
教师资格证 会计证 初级会计 中级会计 注册会计师 cpa 一级建造师 二级建造师 安全员证 消防设施操作员
电梯证 厨师证 plc cnc cad autocad solidworks ug proe catia office excel word ppt wps erp sap
java python c++ c# php golang javascript typescript html css vue react mysql sql oracle linux
redis spring springboot android ios photoshop 全栈 后端 b2b b2c o2o 普通话 英语四级 英语六级
"""

_POSTING_WORDS = """
日结 周结 月结 日薪 时薪 计件 包吃住 包吃 包住 包食宿 管吃住 提供住宿 长白班 白班 夜班 两班倒
三班倒 倒班 五险一金 六险一金 五险 社保 公积金 双休 单休 周末双休 周末单休 周末休息 大小周
底薪加提成 底薪 提成 绩效 年终奖 全勤奖 加班费 带薪年假 节日福利 免费培训 可兼职 兼职 全职 实习
实习生 应届生 无经验 经验不限 学历不限 男女不限 宝妈 退役军人 即时快招
"""

# Words in which a part means something else: 周末 in 周末双休 is the days off, so a posting
# offering 周末双休 is no answer to 兼职 周末 (1,603 of the dev corpus's 1,853 postings naming
# 周末 say it only in 周末双休, 单休 or 休息). The word itself and its other parts stay searchable.
_HIDDEN_PARTS: dict[str, tuple[str, ...]] = {
    "周末双休": ("周末",),
    "周末单休": ("周末",),
    "周末休息": ("周末",),
}

# Noise in titles and filler in descriptions. Deliberately short: 不/无/男/女/高薪 etc.
# carry meaning for job search and stay, and so does 招聘 (人事专员 招聘: the work itself).
_STOP_WORDS = """
的 了 和 与 及 以及 等 或 或者 并 并且 且 而 也 都 就 在 是 有 为 对 将 把 被 从 向 于 之 其 该
此 这 那 个 我 你 您 他 她 我们 你们 我司 贵司 本公司 吗 呢 啊 吧 哦 呀
急招 直招 诚聘 急聘 热招 诚招 高薪诚聘 代招 直聘 聘请 招募 急需 岗位 职位
"""

# Groups of words that a query for one of them should also find. Each word is in the dictionary.
_SYNONYMS = """
司机 驾驶员
保洁 保洁员 清洁工 保洁工
普工 操作工 生产工 作业员
前端 web前端 前端开发
电焊 焊工 电焊工 焊接工
仓管 仓管员 仓库管理员 库管
客服 客户服务
厨师 厨工
老师 教师
叉车 叉车司机 叉车工
保安 保安员
家政 家政服务员 保姆
育婴员 育婴师
外卖骑手 外卖员 骑手 送餐员
快递员 快递小哥 收派员
质检 质检员 品检 品检员
缝纫工 车缝工
装卸工 搬运工
护工 护理员
零工 临时工 短工
学徒 学徒工
数控 cnc
包吃住 包食宿 管吃住
双休 周末双休
公益岗 公益岗位 公益性岗位
驾照 驾驶证
威海 威海市
环翠 环翠区
文登 文登区
荣成 荣成市
乳山 乳山市
高新区 高区 火炬高新区 火炬高技术产业开发区 威海火炬高技术产业开发区
经区 经济技术开发区 威海经济技术开发区
临港区 临港经济技术开发区 威海临港经济技术开发区
石岛 石岛管理区
"""

# Letters and digits, and + and # because they end c++ and c#; everything else separates.
_KEPT_SYMBOLS = frozenset("+#")


@dataclass(frozen=True)
class QueryTerm:
    """One distinct query token and the tokens that may stand for it (itself first)."""

    token: str
    alternatives: tuple[str, ...]
    # the token (or a synonym) names an occupation of our list (电工, 会计): the query's role
    names_occupation: bool = False


class _Normalizer:
    """NFKC, lower case, traditional → simplified, punctuation → space."""

    def __init__(self) -> None:
        # opencc is imported here, not at module import, to keep import free of work.
        import opencc

        self._t2s = opencc.OpenCC("t2s")
        # Converting only texts that contain a character t2s changes keeps opencc off the hot
        # path. A few t2s phrase rules rewrite characters that are unchanged on their own
        # (穿著 → 穿着); a text made only of such characters is left as it is.
        cjk = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0x20000, 0x2A6E0))
        self._traditional = frozenset(
            ch for block in cjk for ch in map(chr, block) if self._t2s.convert(ch) != ch
        )
        # NFKC, lower case and separators folded into one table per character: one translate
        # pass costs a tenth of unicodedata.normalize on text with full-width punctuation. A
        # list indexed by code point is three times faster than a dict for str.translate.
        self._bmp: list[int | str] = list(range(0x10000))
        self._astral: dict[int, str] = {}
        for code in range(0x30000):
            folded = "".join(map(_fold, unicodedata.normalize("NFKC", chr(code)).lower()))
            if folded != chr(code):
                if code < 0x10000:
                    self._bmp[code] = folded
                else:
                    self._astral[code] = folded
        self._astral_char = re.compile("[\U00010000-\U0010ffff]")

    def __call__(self, text: str) -> str:
        text = text.translate(self._bmp)
        if self._astral_char.search(text):
            text = text.translate(self._astral)
        if not unicodedata.is_normalized("NFKC", text):
            # sequences such as e + combining accent compose only in whole-string NFKC
            text = unicodedata.normalize("NFKC", text).translate(self._bmp)
        if not self._traditional.isdisjoint(text):
            text = self._t2s.convert(text)
        return " ".join(text.split())


def _fold(char: str) -> str:
    category = unicodedata.category(char)
    if char in _KEPT_SYMBOLS:
        return char
    if category[0] in "PSZ" or category == "Cc":
        return " "
    if category == "Cf":
        return ""  # zero-width joiners and marks would otherwise glue words together
    return char


@lru_cache(maxsize=1)
def _normalizer() -> _Normalizer:
    return _Normalizer()


@dataclass(frozen=True)
class _Lexicon:
    words: frozenset[str]
    stop_words: frozenset[str]
    synonyms: dict[str, tuple[str, ...]]
    version: str
    occupations: frozenset[str] = frozenset()


def _build_lexicon(extra_words: Iterable[str]) -> _Lexicon:
    normalize = _normalizer()
    occupations = frozenset(normalize(word) for word in _OCCUPATIONS.split())
    builtin = [
        normalize(word)
        for block in (_WEIHAI_PLACES, _SKILLS, _POSTING_WORDS)
        for word in block.split()
    ]
    # A database name can hold separators ("电工（维修）"); each part becomes a word. Single
    # characters are left out: jieba already yields them, and a one-letter word would split
    # every Latin word that contains the letter.
    extra = [part for word in extra_words for part in normalize(word).split() if len(part) > 1]
    own_stop_words = frozenset(normalize(word) for word in _STOP_WORDS.split())
    # General Chinese function words (stopwords-iso) beside our own job-posting noise words
    stop_words = own_stop_words | frozenset(normalize(word) for word in _iso_stop_words())
    groups = [tuple(normalize(word) for word in line.split()) for line in _SYNONYMS.splitlines()]
    groups = [group for group in groups if group]
    synonyms: dict[str, tuple[str, ...]] = {}
    for group in groups:
        for word in group:
            synonyms[word] = tuple(dict.fromkeys((*synonyms.get(word, (word,)), *group)))
    words = occupations | frozenset(builtin) | frozenset(extra) | {w for g in groups for w in g}
    # Our stop words are added too, so that 诚聘 comes out as one token and is then dropped.
    words |= {word for word in own_stop_words if len(word) > 1}
    payload = {
        "rules": _RULES_VERSION,
        "jieba": metadata.version("jieba"),
        "opencc": metadata.version("opencc"),
        "stopwordsiso": metadata.version("stopwordsiso"),
        "words": sorted(words),
        "stop_words": sorted(stop_words),
        "synonyms": sorted(sorted(group) for group in groups),
        "hidden_parts": sorted(_HIDDEN_PARTS.items()),
    }
    digest = hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    return _Lexicon(words, stop_words, synonyms, digest.hexdigest()[:12], occupations)


# Words of the general stop list that change what a seeker means (不加班, 无经验, 男/女).
_MEANINGFUL = frozenset(
    [
        "不",
        "无",
        "没",
        "没有",
        "非",
        "未",
        "别",
        "男",
        "女",
        "老",
        "新",
        "高",
        "低",
        "长",
        "短",
        "多",
        "少",
        "全",
        "半",
        "日",
        "夜",
        "月",
        "年",
    ]
)


def _iso_stop_words() -> list[str]:
    import stopwordsiso

    return sorted(set(stopwordsiso.stopwords("zh")) - _MEANINGFUL)


# Segmenters shared by tokenizers with the same dictionary; freed when no tokenizer holds one.
_SEGMENTERS: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()
_SEGMENTERS_LOCK = threading.Lock()


def _segmenter(lexicon: _Lexicon) -> Any:
    """A private jieba tokenizer with our words added, loaded once per dictionary version."""
    with _SEGMENTERS_LOCK:
        segmenter = _SEGMENTERS.get(lexicon.version)
        if segmenter is None:
            segmenter = _load_jieba(lexicon.words)
            _SEGMENTERS[lexicon.version] = segmenter
        return segmenter


def _load_jieba(words: Iterable[str]) -> Any:
    with warnings.catch_warnings():
        # jieba 0.42.1's source has invalid escape sequences ("\.", "\s") in regex literals,
        # which Python 3.11 reports as a DeprecationWarning whenever it compiles the module.
        warnings.filterwarnings("ignore", "invalid escape sequence", DeprecationWarning)
        warnings.filterwarnings("ignore", "invalid escape sequence", SyntaxWarning)
        import jieba

    # jieba's logger prints "Building prefix dict..." to stderr at DEBUG on every load.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.tmp_dir = tempfile.gettempdir()
    segmenter.initialize()
    freq: dict[str, int] = segmenter.FREQ
    # We lower-case text, so jieba's own mixed-case words (C语言, T恤, U盘) need lower forms.
    mixed_case = [(word.lower(), count) for word, count in freq.items() if word != word.lower()]
    for word, count in mixed_case:
        if count and not freq.get(word):
            segmenter.add_word(word, count)
    own = list(words)
    # How jieba's own dictionary splits each of our compounds (电商运营 → 电商 运营, 运维工程师 →
    # 运维 工程师), taken before our words join it: those parts are searchable inside the
    # compound even when jieba counts them too rarely for `_parts` (电商, 运维).
    segmenter.own_parts = {
        word: [part for part in segmenter.lcut(word, HMM=True) if len(part) > 1 and part != word]
        for word in own
        if len(word) > 2
    }
    for word in own:
        segmenter.add_word(word, max(freq.get(word, 0), _USER_WORD_FREQ))
    log.info("jieba loaded with %d words of our own", len(own))
    return segmenter


class Tokenizer:
    """Normalise and segment Chinese job text; the same `tokenize` at index and query time."""

    def __init__(self, extra_words: Iterable[str] = ()) -> None:
        self.extra_words = tuple(extra_words)
        self._lock = threading.Lock()
        self._lexicon: _Lexicon | None = None
        self._jieba: Any = None

    def load(self) -> Tokenizer:
        """Load the dictionary and jieba now (gunicorn's preload shares them across workers)."""
        self._get_segmenter()
        return self

    def _get_lexicon(self) -> _Lexicon:
        lexicon = self._lexicon
        if lexicon is None:
            with self._lock:
                if self._lexicon is None:
                    self._lexicon = _build_lexicon(self.extra_words)
                lexicon = self._lexicon
        return lexicon

    def _get_segmenter(self) -> Any:
        segmenter = self._jieba
        if segmenter is None:
            lexicon = self._get_lexicon()
            with self._lock:
                if self._jieba is None:
                    self._jieba = _segmenter(lexicon)
                segmenter = self._jieba
        return segmenter

    @property
    def version(self) -> str:
        """A short hash of the words, stop words, synonyms and rules; stored with an index."""
        return self._get_lexicon().version

    def normalize(self, text: str) -> str:
        """Full-width → half-width, lower case, simplified Chinese, punctuation → single spaces."""
        return _normalizer()(text)

    def tokenize(self, text: str) -> list[str]:
        """Tokens of `text` in order, duplicates kept, without stop words and separators."""
        segmenter = self._get_segmenter()
        normalized = _normalizer()(text)
        if not normalized:
            return []
        stop_words = self._get_lexicon().stop_words
        freq: dict[str, int] = segmenter.FREQ
        own: dict[str, list[str]] = segmenter.own_parts
        tokens: list[str] = []
        latin_run = False
        for token in segmenter.cut(normalized, cut_all=False, HMM=True):
            if token.isascii() and token.isalnum():
                # jieba splits Latin words at any dictionary word inside them (bug → b/ug,
                # powerpoint → pow/erp/oint): only separators end a Latin or digit run.
                if latin_run:
                    tokens[-1] += token
                    continue
                latin_run = True
            else:
                latin_run = False
                # a lone "+" or "#" (底薪+提成) and spaces separate, they are not tokens
                if token in stop_words or not token.strip(" +#"):
                    continue
                if len(token) > 2:
                    # jieba's search mode: a compound also yields the dictionary words inside
                    # it, so 低压电工 matches a search for 电工 and 底薪加提成 one for 提成
                    parts = _parts(token, freq, stop_words)
                    own_parts = own.get(token)
                    if own_parts:
                        seen = set(parts)
                        parts += [p for p in own_parts if p not in seen and p not in stop_words]
                    hidden = _HIDDEN_PARTS.get(token)
                    tokens.extend(p for p in parts if not hidden or p not in hidden)
            tokens.append(token)
        return tokens

    def query_terms(self, text: str) -> list[QueryTerm]:
        """The query's distinct tokens in order, each with its synonyms."""
        lexicon = self._get_lexicon()
        terms = []
        # a compound and a synonym inside it (叉车司机, 叉车) each keep their group: a posting
        # with the compound itself then counts it twice, which measured better than once
        tokens = list(dict.fromkeys(self.tokenize(text)))
        for token in tokens:
            alternatives = lexicon.synonyms.get(token, (token,))
            if len(tokens) == 1 and _is_han_character(token) and token not in _MEANINGFUL:
                alternatives = (*alternatives, *_occupations_with(lexicon.occupations, token))
            role = not lexicon.occupations.isdisjoint(alternatives)
            terms.append(QueryTerm(token, alternatives, names_occupation=role))
        return terms

    def is_known_word(self, word: str) -> bool:
        """Whether `word`, normalised, is one entry of the dictionary (jieba's or ours)."""
        freq: dict[str, int] = self._get_segmenter().FREQ
        return freq.get(self.normalize(word), 0) > 0


# A query of one character (电, 焊: what a seeker types first on a phone) is rarely a token of
# any posting (jieba cuts 电工, 电焊工 whole); it also finds the occupations holding it, the
# shortest first, at most this many.
_ONE_CHARACTER_OCCUPATIONS = 30


def _is_han_character(token: str) -> bool:
    return len(token) == 1 and "\u4e00" <= token <= "\u9fff"


@lru_cache(maxsize=4096)
def _occupations_with(occupations: frozenset[str], character: str) -> tuple[str, ...]:
    """The occupation words holding `character` (电 → 电工, 电焊工, …), shortest first."""
    found = sorted(
        (w for w in occupations if character in w and w != character), key=lambda w: (len(w), w)
    )
    return tuple(found[:_ONE_CHARACTER_OCCUPATIONS])


# A word inside a compound becomes a token only when jieba counts it at least this often.
_MIN_PART_FREQ = 100


def _parts(word: str, freq: dict[str, int], stop_words: frozenset[str]) -> list[str]:
    """The 2- and 3-character dictionary words inside a longer word, in order."""
    parts: list[str] = []
    for size in (2, 3):
        if size >= len(word):
            break
        for start in range(len(word) - size + 1):
            part = word[start : start + size]
            # rare dictionary entries (试工, 作工, 吃住) are accidents of overlap, not words
            if freq.get(part, 0) >= _MIN_PART_FREQ and part not in stop_words:
                parts.append(part)
    return parts


@lru_cache(maxsize=8)
def _cached_tokenizer(extra_words: frozenset[str]) -> Tokenizer:
    return Tokenizer(sorted(extra_words)).load()


def get_tokenizer(extra_words: Iterable[str] = ()) -> Tokenizer:
    """The process's loaded tokenizer for these extra words (order and repeats do not matter)."""
    return _cached_tokenizer(frozenset(extra_words))
