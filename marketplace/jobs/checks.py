"""Posting checks at submit time: forbidden discrimination, fees, scams, implausible pay.

INTERFACE (fixed): check_posting(draft, pay_reference) -> list[Finding], blocking findings first.
A BLOCK finding stops the submit (shown inline with the words that triggered it); a REVIEW
finding lets it through to manual review by staff. Pure Python and no I/O: the rules are tables
of regular expressions over the raw text (no jieba), so every finding's words are a literal
substring of the field it names and a page can highlight them.

How a rule reads a match: the text around it is cut at sentence ends (。！？；, newline); a rule
may name what must not come just before or after it in that sentence (negations: 男女不限,
无需押金, 不收取任何费用..., warnings: 谨防刷单...), and what must (a charge: 交/收取/押金100).

Severity choices (the law, and where these rules draw the line):
- Gender, 户籍/origin, ethnicity, marital or childbearing status, hepatitis-B screening and
  excluding disabled people are forbidden outright (《就业促进法》第三条、第二十七至三十一条,
  《妇女权益保障法》第四十三条) → BLOCK. A gender *preference* (男性优先, 女士优先) counts as a
  gender limit, as 人社部发〔2019〕17号 says.
- Age: the law does not forbid an age limit, and real postings very often say 年龄18-45岁, which is
  ordinary. What the issue calls "age limits without cause" is the young-only limit (the
  "35岁门槛"), so an upper bound of 35 or less is a REVIEW warning for a person to judge (a
  dance teacher or a security guard may have cause); a wider range is not flagged at all.
- Money taken from seekers (押金, 保证金, 培训费, 服装费, 体检费, 介绍费...) is
  forbidden (《劳动合同法》第九条, 《人力资源市场暂行条例》) → BLOCK, but only when the text
  charges it (a charging verb or an amount); a bare unexplained mention is a REVIEW
  warning. Company-paid fees (报销体检费, 推荐入职发介绍费2000元), customers' money
  (投标保证金) and negations (无押金, 不收任何费用) are not findings.
- Scams: 刷单 and friends, and typing / data-entry jobs that ask for money up front → BLOCK; a
  typing job paid 日结 with nothing asked up front is a REVIEW warning (a common bait).
- Pay far outside what similar postings in the city offer (below half the low percentile or over
  twice the high one) → REVIEW: it is either a typo (a day rate entered as monthly) or bait.
- Pay that needs no reference to doubt → REVIEW: below Shandong's minimum wage (the lowest tier,
  for postings in Shandong; monthly and yearly pay against the monthly standard, hourly pay
  against the hourly one) or above what any job here pays by the unit. One pay finding at most:
  the legal floor says more than the reference, and the reference more than a bare ceiling.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    BLOCK = "block"  # the posting cannot be submitted until it is fixed
    REVIEW = "review"  # the posting goes to a staff member before it is published


@dataclass(frozen=True)
class Finding:
    code: str  # e.g. "discrimination.gender", "fee.deposit", "scam.brushing", "pay.outlier_low"
    severity: Severity
    field: str  # the form field it is about: "title", "description", "salary", ...
    words: tuple[str, ...]  # the words in the posting that triggered it (empty for pay)
    message: str  # one sentence in Chinese saying what is wrong and what to do

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["words"] = list(self.words)
        return data


@dataclass(frozen=True)
class PostingDraft:
    title: str
    description: str = ""
    skills: str = ""
    benefits: str = ""
    salary_min: float | None = None
    salary_max: float | None = None
    salary_unit: str | None = None  # indexer.salary.SalaryUnit value
    monthly_min: float | None = None  # monthly equivalent, when the unit converts
    monthly_max: float | None = None
    city: str | None = None
    # marketplace.jobs.models.JobKind value: part-time and odd jobs have no monthly floor
    kind: str | None = None


@dataclass(frozen=True)
class PayRange:
    """Monthly pay seen in postings like this one (similar title, same city)."""

    low: float  # a low percentile of monthly pay
    high: float  # a high percentile
    postings: int  # how many postings it is drawn from


# -- rule tables -------------------------------------------------------------------------

TEXT_FIELDS = ("title", "description", "skills", "benefits")
# benefits list what the employer gives (培训费, 体检费 there are paid by the company)
CHARGEABLE_FIELDS = ("title", "description", "skills")
SENTENCE_END = re.compile(r"[。！!？?；;\n]")
CONTEXT = 60  # characters of the sentence kept on each side of a match

Accept = Callable[["re.Match[str]"], bool]


@dataclass(frozen=True)
class Rule:
    """One pattern: a match is a finding unless its sentence context says otherwise."""

    code: str
    severity: Severity
    pattern: re.Pattern[str]
    message: str
    fields: tuple[str, ...] = TEXT_FIELDS
    # searched in the sentence before the match (anchor with $ to mean "just before")
    unless_before: re.Pattern[str] | None = None
    # searched in the sentence after the match (anchor with ^ to mean "just after")
    unless_after: re.Pattern[str] | None = None
    # when set, the match counts only if one of these finds its context (a charge, ...)
    only_if_before: re.Pattern[str] | None = None
    only_if_after: re.Pattern[str] | None = None
    accept: Accept | None = None  # a last check on the match itself (the age bound)
    # a fast pre-check: the rule runs only on text holding one of these (empty: always runs)
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComboRule:
    """Several parts that together make a finding (打字员 + 先交会费), anywhere in the posting."""

    code: str
    severity: Severity
    parts: tuple[Rule, ...]  # each part's pattern and its own negations; code/message unused
    message: str


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


GENDER = r"[男女](?:性|士|生|孩子?)?"
DASH = r"[-~—－～至到_]+"
# "已婚未婚均可", "男女不限": a listing of alternatives followed by "either is fine"
EITHER_OK_AFTER = _re(
    r"^[\s、/／或和与及男女已未婚育者人士性生]*?(?:均可|皆可|不限|都可|都行|不论|无要求)"
)
# a bare negation in the same comma clause, just before (无押金, 不收取押金, 0押金, 没有任何押金)
NEAR_NEGATION = r"(?:无|没有?|零|0|〇|免|非|不|未)[^，,。！!？?；;\n]{0,6}$"
# a negation or a warning anywhere earlier in the sentence ("本工作无任何报名费，培训费，保证金")
SENTENCE_NEGATION = (
    r"(?:任何|不收|无需|无须|不需|不用|免收|免费|从不|从未|绝不|严禁|禁止|谨防|警惕|拒绝|不得|杜绝"
    r"|一律不|均不|都不|不会|不存在|零费用|0费用|无费用|无收费|凡|如有|如遇|若有|一旦)"
)
FEE_NEGATED_BEFORE = _re(f"{NEAR_NEGATION}|{SENTENCE_NEGATION}")
FEE_NEGATED_AFTER = _re(
    r"^[^。！!？?；;\n]*?(?:完全免费|全程免费|全部免费|一律不收|均不收|都不收|概不收|一律免"
    r"|都没有|都不用|骗子|诈骗|举报|投诉|上当|受骗)"
)
# someone else's money: the job handles customers' deposits or a tender's bond
BUSINESS_BEFORE = (
    r"(?:投标|竞价|履约|质量|交易|工程|合同|保函|租赁|货款|客户|顾客|租户|业主|商户|商家|会员|学员|家长"
    r"|用户|车主|房东|租客|患者|病人|代收|负责|办理|核算|审核|管理|退还|追回)[^，,。！!？?；;\n]{0,8}$"
)
BUSINESS_AFTER = (
    r"^(?:计算|管理|核算|跟踪|缴纳及退还|的?申请|的?退还|退回|业务|账户|保险|类贷款|额度|余额|风险"
    r"|系统|平台|模块)"
)
# the employer pays or gives it (报销体检费, 推荐朋友入职发放介绍费2000元)
PAID_BY_EMPLOYER_BEFORE = (
    r"(?:报销|发放|发|补贴|补助|奖励|给予|获得|可得|可领|领取|返还|返|退还|承担|公司出|公司支付|由公司"
    r"|提供|送|奖|推荐|介绍朋友|介绍人|推荐人|老带新|内推|享受|含|包括|报|福利|每年|年度|定期)"
    r"[^。！!？?；;\n]{0,12}$"
)
PAID_BY_EMPLOYER_AFTER = (
    r"^[^。！!？?；;\n]{0,16}?(?:报销|公司承担|公司出|公司支付|单位承担|由公司|公司报|返还|退还|全额退"
    r"|补贴|补助|奖励|福利|奖金|提成)"
)
CHARGE_BEFORE = _re(r"(?:交|缴|收取?|付|扣|需|须|要|另收|加收|收费)[^，,。！!？?；;\n]{0,4}$")
CHARGE_AFTER = _re(
    r"^\s*(?:为|是|约|共|仅|只要)?\s*[:：]?\s*(?:为|是|约|共|仅)?\s*\d+(?:\.\d+)?\s*(?:元|块|rmb|RMB|/|$|，|,|。|\s)"
    r"|^[^，,。！!？?；;\n]{0,6}?(?:自理|自付|自费|个人承担|本人承担|自己承担|员工承担|从工资|工资中?扣"
    r"|扣除|另收|另交|需交|需缴|需自付|需支付)"
)

DEPOSIT_WORDS = r"押金|保证金|抵押金|押身份证|扣押身份证|押证件"
FEE_WORDS = (
    r"培训费|服装费|工装费|工服费|制服费|介绍费|中介费|推荐费|报名费|体检费|入职费|资料费|建档费"
    r"|入会费|信息费|岗前费|办证费|押证费"
)

DEPOSIT_MESSAGE = (
    "用人单位不得以任何名义向求职者收取押金、保证金或扣押证件（《劳动合同法》第九条），请删去"
)
FEE_MESSAGE = (
    "不得向求职者收取培训费、服装费、体检费、介绍费等费用（《劳动合同法》第九条、"
    "《人力资源市场暂行条例》），请删去或写明由单位承担"
)
FEE_UNCLEAR_MESSAGE = (
    "提到了押金或费用，但没写清由谁承担；向求职者收费是禁止的，请写明“不收取”或删去"
)


def _fee_rules(code: str, words: str, message: str) -> tuple[Rule, Rule]:
    """A fee word that is charged (BLOCK) and one merely mentioned (REVIEW), sharing negations."""
    fee = f"(?:{words})"
    hints = ("押", "保证金") if code == "fee.deposit" else ("费",)
    not_ours_before = f"{BUSINESS_BEFORE}|{PAID_BY_EMPLOYER_BEFORE}"
    not_ours_after = f"{BUSINESS_AFTER}|{PAID_BY_EMPLOYER_AFTER}"
    if code == "fee.deposit":
        # a deposit is forbidden even when refunded later: "押金200，满三月退还" stays a finding
        not_ours_before = BUSINESS_BEFORE
        not_ours_after = BUSINESS_AFTER
    exempt_before = _re(f"{NEAR_NEGATION}|{SENTENCE_NEGATION}|{not_ours_before}")
    exempt_after = _re(f"{FEE_NEGATED_AFTER.pattern}|{not_ours_after}")
    charged = Rule(
        code=code,
        severity=Severity.BLOCK,
        pattern=_re(fee),
        message=message,
        fields=CHARGEABLE_FIELDS,
        unless_before=exempt_before,
        unless_after=exempt_after,
        only_if_before=CHARGE_BEFORE,
        only_if_after=CHARGE_AFTER,
        hints=hints,
    )
    mentioned = Rule(
        code="fee.unclear",
        severity=Severity.REVIEW,
        pattern=_re(fee),
        message=FEE_UNCLEAR_MESSAGE,
        fields=CHARGEABLE_FIELDS,
        unless_before=_re(f"{exempt_before.pattern}|{CHARGE_BEFORE.pattern}"),
        unless_after=_re(f"{exempt_after.pattern}|{CHARGE_AFTER.pattern}"),
        hints=hints,
    )
    return charged, mentioned


def _young_only_pair(match: re.Match[str]) -> bool:
    """An upper bound of 35 or less, whichever alternative of the age pattern matched."""
    groups = match.groupdict()
    high = groups.get("hi") or groups.get("hi2") or groups.get("hi3")
    low = groups.get("lo") or groups.get("lo2")
    if high is None:
        return False
    return _young_only_values(low, high)


def _young_only_values(low: str | None, high: str) -> bool:
    # 16 is the legal minimum working age: a lower bound is never the problem, a low cap is
    upper = int(high)
    if not 16 <= upper <= 35:
        return False
    return low is None or 14 <= int(low) < upper


GENDER_MESSAGE = (
    "招聘不得限定性别或规定性别优先、不得对男女设不同条件（《就业促进法》第二十七条、"
    "《妇女权益保障法》第四十三条），请删去"
)
AGE_NOT_OF_HIRES_AFTER = _re(
    r"^\s*(?:的)?(?:儿童|孩子|小孩|宝宝|幼儿|婴幼儿|婴儿|学员|学生|青少年|客户|小朋友|人群|用户|患者|老人)"
)

HOUSEHOLD_MESSAGE = (
    "招聘不得以户籍、户口或地域限制求职者（《就业促进法》第三条、第三十一条），请删去"
)
ETHNICITY_MESSAGE = "招聘不得因民族不同而歧视（《就业促进法》第三条、第二十八条），请删去"
MARITAL_MESSAGE = "招聘不得以婚姻、生育状况限制求职者（《妇女权益保障法》第四十三条），请删去"
DISABILITY_MESSAGE = (
    "招聘不得歧视残疾人（《就业促进法》第二十九条、《残疾人保障法》第三十八条），请删去"
)
AGE_MESSAGE = "限定较低的年龄上限（35岁及以下）可能构成年龄歧视；如无岗位需要请放宽，将转人工审核"
RESTRICT_BEFORE = r"(?<![不无])(?:限|仅限|只限|只招|仅招|只要|仅要|只收|仅收|要求|必须是?|需|须)"
REFUSE_BEFORE = r"(?:不招|不要|谢绝|拒绝|不收|不录用|不考虑|不接受)\s*(?:任何)?\s*$"
REGIONS = (
    r"新疆|西藏|河南|东北|湖南|湖北|四川|贵州|江西|广西|安徽|甘肃|云南|河北|福建|潮汕|农村|外地"
    r"|外省"
)

# Patterns start with the words themselves (a lookbehind written after the first character, not
# before it) so that the regex engine can skip quickly to candidate positions.
RULES: tuple[Rule, ...] = (
    # -- gender ------------------------------------------------------------------------
    Rule(
        "discrimination.gender",
        Severity.BLOCK,
        # 限男性 / 仅限女 (not 不限男女, 无限)
        _re(rf"(?:仅限|只限|限)(?<![不无]限)\s*{GENDER}(?![男女])"),
        GENDER_MESSAGE,
        unless_after=EITHER_OK_AFTER,
        hints=("男", "女"),
    ),
    Rule(
        "discrimination.gender",
        Severity.BLOCK,
        # 只招女生 / 仅招男性 / 只限招广东省内女性 / 所以只要男孩子
        _re(
            r"(?:仅限|只限|仅招|只招|只要|仅要|只收|仅收|只聘|仅聘|限招|所以要|只需要?)"
            r"[\u4e00-\u9fff]{0,5}?[男女](?:性|士|生|孩子?)(?![男女])"
        ),
        GENDER_MESSAGE,
        unless_after=EITHER_OK_AFTER,
        hints=("男", "女"),
    ),
    Rule(
        "discrimination.gender",
        Severity.BLOCK,
        # 性别：男 / 性别要求：女性 (not 性别：男女不限, 性别不限)
        _re(
            r"性别\s*(?:要求)?\s*[:：]?\s*[男女](?:性|士|生)?"
            r"(?![男女]|\s*[、/／和及与或]\s*[男女]|\s*(?:不限|均可|皆可))"
        ),
        GENDER_MESSAGE,
        hints=("男", "女"),
    ),
    Rule(
        "discrimination.gender",
        Severity.BLOCK,
        # 要求：女性，
        _re(r"要求\s*[:：]\s*[男女](?:性|士|生)(?![男女])(?=\s*[，,；;。\n])"),
        GENDER_MESSAGE,
        hints=("男", "女"),
    ),
    Rule(
        "discrimination.gender",
        Severity.BLOCK,
        # 男，25-45岁 / 男18-40岁、女18-38岁 / 女性，32岁以下 (a gender bound to an age)
        _re(
            rf"[男女](?<![男女][男女])(?:性|士|生|孩子?)?(?![男女])\s*[，,、:：]?\s*"
            rf"(?:年龄\s*[:：]?\s*)?\d{{2}}\s*(?:周?岁|{DASH}\s*\d{{2}})"
        ),
        GENDER_MESSAGE,
        # 退休人员：女50岁以上，男60岁以上 is the retirement age, not a limit
        unless_before=_re(r"退休[^。；;\n]{0,12}$"),
        unless_after=_re(r"^\s*(?:周?岁)?\s*以上"),
        hints=("男", "女"),
    ),
    Rule(
        "discrimination.gender",
        Severity.BLOCK,
        # 18-30岁，女性， / 1、女生，负责接听电话 (a bare gender as one item of the requirements)
        _re(r"[男女](?<![男女、/／][男女])(?:性|士|生|孩)?(?=\s*[，,；;。！!\n])"),
        GENDER_MESSAGE,
        only_if_before=_re(r"(?:^|\d\s?周?岁(?:以下|以内)?|[：:]|\d\s?[、.．)）])\s*[，,]?\s*$"),
        hints=("男", "女"),
    ),
    Rule(
        "discrimination.gender",
        Severity.BLOCK,
        # 男性优先 / 女士优先 / 男性医生优先 (a preference is a limit; not 子女优先)
        _re(
            r"[男女](?<![男女子儿妇孙][男女])"
            r"(?:(?:性|士|生|孩子?)[\u4e00-\u9fff]{0,4}?|\s*)(?:优先|为佳|更佳)"
        ),
        GENDER_MESSAGE,
        hints=("男", "女"),
    ),
    Rule(
        "discrimination.gender",
        Severity.BLOCK,
        # a gendered job name: 女普工, 男技师
        _re(
            r"[男女](?<![男女][男女])(?:普工|服务员|技师|保安|司机|店员|营业员|文员|主播|客服|保洁"
            r"|作业员|操作工|学徒|工人|技工)"
        ),
        GENDER_MESSAGE,
        hints=("男", "女"),
    ),
    # -- age (REVIEW: young-only limits) ---------------------------------------------------
    Rule(
        "discrimination.age",
        Severity.REVIEW,
        _re(
            rf"(?:年龄|年纪|年满)[^\d\n，,。；;]{{0,6}}(?P<lo>\d{{2}})\s*(?:周?岁)?\s*{DASH}\s*"
            r"(?P<hi>\d{2})(?!\d)(?!\s*(?:年|万|元|k|K|小时|点|天|人|%|cm|CM|公斤|kg|斤|米|号))"
            r"(?:\s*周?岁)?"
            rf"|(?P<lo2>\d{{2}})\s*(?:周?岁)?\s*{DASH}\s*(?P<hi2>\d{{2}})\s*周?岁"
        ),
        AGE_MESSAGE,
        unless_before=_re(r"平均[^，,。]{0,3}$|[男女](?:性|士|生)?\s*$"),
        unless_after=AGE_NOT_OF_HIRES_AFTER,
        accept=_young_only_pair,
        hints=("岁", "年龄", "年纪"),
    ),
    Rule(
        "discrimination.age",
        Severity.REVIEW,
        _re(
            r"(?P<hi>\d{2})\s*周?岁\s*(?:\(含\)|（含）)?\s*(?:以下|以内|及以下|之下)"
            r"|(?:年龄|年纪)\s*(?:在)?\s*(?:不超过|不大于|小于|不高于|低于|未满|不超)\s*(?P<hi3>\d{2})"
        ),
        AGE_MESSAGE,
        unless_before=_re(r"平均[^，,。]{0,3}$|[男女](?:性|士|生)?\s*[，,]?\s*$"),
        unless_after=AGE_NOT_OF_HIRES_AFTER,
        accept=_young_only_pair,
        hints=("岁", "年龄", "年纪"),
    ),
    # -- household registration and origin -----------------------------------------------
    Rule(
        "discrimination.household",
        Severity.BLOCK,
        _re(r"(?:本地|本市|当地|城镇|非农业?|农业|农村)(?:户籍|户口)"),
        HOUSEHOLD_MESSAGE,
        unless_before=_re(
            r"(?:不限|不论|不要求|不需要?|无需|无|落户|给予|办理|迁移|解决|转入|迁入)[^，,。]{0,4}$"
        ),
        unless_after=_re(rf"{EITHER_OK_AFTER.pattern}|^[^，,。]{{0,4}}(?:或外地|外地均可|可落户)"),
        hints=("户籍", "户口", "本地人"),
    ),
    Rule(
        "discrimination.household",
        Severity.BLOCK,
        # 限上海户籍 / 只招本地人 (the place between the verb and the word is context)
        _re(r"户籍|户口|本地人"),
        HOUSEHOLD_MESSAGE,
        unless_after=_re(rf"{EITHER_OK_AFTER.pattern}|^[^，,。]{{0,2}}(?:不限|均可|皆可|不论)"),
        only_if_before=_re(rf"{RESTRICT_BEFORE}\s*[\u4e00-\u9fff]{{0,6}}$"),
        hints=("户籍", "户口", "本地人"),
    ),
    Rule(
        "discrimination.household",
        Severity.BLOCK,
        # 户籍：本地 / 本地人优先
        _re(r"户籍(?:要求|限制)?\s*[:：]\s*(?!不限|无|均可|不论)[\u4e00-\u9fff]{2,6}|本地人优先"),
        HOUSEHOLD_MESSAGE,
        hints=("户籍", "户口", "本地人"),
    ),
    Rule(
        "discrimination.household",
        Severity.BLOCK,
        # 不招河南人 / 谢绝东北籍 (origin)
        _re(rf"(?:{REGIONS})(?:人|籍|户口)?"),
        HOUSEHOLD_MESSAGE,
        only_if_before=_re(REFUSE_BEFORE),
        hints=("不招", "不要", "谢绝", "拒绝", "不收", "不录用", "不考虑", "不接受"),
    ),
    # -- ethnicity -----------------------------------------------------------------------------
    Rule(
        "discrimination.ethnicity",
        Severity.BLOCK,
        _re(r"汉族|回族|维吾尔族|维族|藏族|蒙古族|壮族|少数民族|新疆人|少民"),
        ETHNICITY_MESSAGE,
        unless_after=EITHER_OK_AFTER,
        only_if_before=_re(rf"{RESTRICT_BEFORE}\s*$|{REFUSE_BEFORE}|民族\s*[:：]\s*$"),
        hints=("族", "新疆", "少民"),
    ),
    Rule(
        "discrimination.ethnicity",
        Severity.BLOCK,
        _re(r"汉族(?:人)?优先|民族\s*[:：]\s*(?:汉族?|限)(?!\s*(?:不限|均可))"),
        ETHNICITY_MESSAGE,
        hints=("族", "新疆", "少民"),
    ),
    # -- marital and childbearing status -------------------------------------------------
    Rule(
        "discrimination.marital",
        Severity.BLOCK,
        # 已婚已育 / 未婚未育 (these phrases only ever appear as a requirement)
        _re(r"已婚已育|已婚未育|未婚未育"),
        MARITAL_MESSAGE,
        unless_before=_re(r"(?:不限|不论|不问|无论)[^，,。]{0,3}$"),
        unless_after=EITHER_OK_AFTER,
        hints=("婚", "育", "单身"),
    ),
    Rule(
        "discrimination.marital",
        Severity.BLOCK,
        # 限未婚 / 要求已婚 / 未婚优先 / 单身者优先
        _re(
            r"(?:已婚|未婚|已育|未育|单身)(?![已未]婚|[已未]育)"
            r"(?:\s*(?:者|人士|女性|男性|宝妈)?\s*(?:优先|为佳|更佳))?"
        ),
        MARITAL_MESSAGE,
        unless_before=_re(r"(?:不限|不论|不问|无论)[^，,。]{0,3}$"),
        unless_after=EITHER_OK_AFTER,
        accept=lambda match: match.group(0).endswith(("优先", "为佳", "更佳")),
        hints=("婚", "育", "单身"),
    ),
    Rule(
        "discrimination.marital",
        Severity.BLOCK,
        _re(r"已婚|未婚|已育|未育|单身"),
        MARITAL_MESSAGE,
        unless_after=EITHER_OK_AFTER,
        only_if_before=_re(rf"{RESTRICT_BEFORE}\s*(?:是)?\s*[:：]?\s*$|最好\s*(?:是)?\s*$"),
        hints=("婚", "育", "单身"),
    ),
    Rule(
        "discrimination.marital",
        Severity.BLOCK,
        # 三年内无生育计划 / 孕妇勿扰 / 不招哺乳期
        _re(r"(?:生育|怀孕|孕育|生孩子|要孩子|生二胎)\s*(?:计划|打算)"),
        MARITAL_MESSAGE,
        only_if_before=_re(r"(?:无|没有|暂无|不|年内)\s*$"),
        hints=("计划", "打算"),
    ),
    Rule(
        "discrimination.marital",
        Severity.BLOCK,
        _re(r"孕妇|孕期|哺乳期"),
        MARITAL_MESSAGE,
        only_if_before=_re(REFUSE_BEFORE),
        only_if_after=_re(r"^\s*(?:勿扰|免谈|不招|除外|不考虑|不予考虑|谢绝)"),
        hints=("孕", "哺乳"),
    ),
    # -- hepatitis B ---------------------------------------------------------------------------
    Rule(
        "discrimination.hepatitis_b",
        Severity.BLOCK,
        _re(
            r"乙肝(?:五项|两对半|检测|检查|表面抗原|病毒携带者?|携带者?|阳性|小三阳|大三阳)?|两对半"
            r"|大三阳|小三阳|HBsAg"
        ),
        "招聘体检不得检测乙肝项目、不得拒录乙肝病原携带者（《就业促进法》第三十条），请删去",
        unless_before=_re(
            r"(?:不查|不检查|不检测|不做|无需|不需|免查|不要求|不限|接受|欢迎|可接受|不歧视|不含|不包括)"
            r"[^，,。]{0,4}$"
        ),
        unless_after=_re(
            r"^(?:患者|病人|疫苗|治疗|防治|诊疗|药物|试剂|科研|研究|项目|诊断|病毒学|母婴)"
            r"|^[^，,。]{0,6}(?:不限|均可|可以|亦可|也可|不影响|接受|不歧视|欢迎|除外)"
        ),
        hints=("乙肝", "两对半", "三阳", "HBsAg"),
    ),
    # -- disability ----------------------------------------------------------------------------
    Rule(
        "discrimination.disability",
        Severity.BLOCK,
        # 残疾人勿扰 / 不招残疾人 / 身体无残疾 (not 仅限残疾人, 可接受肢体残疾, 下肢残疾 as a tag)
        _re(r"残(?:疾|障)(?:人士?)?"),
        DISABILITY_MESSAGE,
        only_if_before=_re(rf"{REFUSE_BEFORE}|(?<![可能])无\s*$"),
        only_if_after=_re(r"^\s*(?:勿扰|免谈|不要|不招|除外|不考虑|不予考虑|谢绝)"),
        hints=("残",),
    ),
    Rule(
        "discrimination.disability",
        Severity.BLOCK,
        # 四肢健全 / 身体健全 (not 制度健全)
        _re(r"健全"),
        DISABILITY_MESSAGE,
        only_if_before=_re(r"(?:身体|肢体|四肢|五官)\s*$"),
        hints=("健全",),
    ),
    # -- fees charged to seekers -------------------------------------------------------------
    *_fee_rules("fee.deposit", DEPOSIT_WORDS, DEPOSIT_MESSAGE),
    *_fee_rules("fee.charge", FEE_WORDS, FEE_MESSAGE),
    # -- scams ---------------------------------------------------------------------------------
    Rule(
        "scam.brushing",
        Severity.BLOCK,
        _re(r"刷单|刷信誉|刷好评|刷销量|刷钻|刷流水|补单员|点赞员|关注点赞|淘宝兼职"),
        "刷单、刷信誉类“兼职”是常见诈骗，平台不予发布（《人力资源市场暂行条例》第二十四条）",
        unless_before=_re(
            r"(?:不是|非|不|拒绝|谨防|警惕|杜绝|打击|识别|防范|防止|反|严禁|禁止|监控|治理|审核|无)"
            r"[^，,。]{0,4}$"
        ),
        unless_after=_re(r"^(?:诈骗|骗局|等?违法|行为|风险|识别|治理|监控|团伙|的?骗子)"),
        hints=("刷", "补单", "点赞", "淘宝兼职"),
    ),
)

TYPING_JOB = _re(
    r"(?:手机|在线|居家|在家)?打字(?:员|兼职)|手机打字|在线打字|录入员|抄写员|手工活外发|外发手工"
)
UPFRONT = _re(
    r"先交|预交|先付|预付|会员费|入会费|会费|激活费|开通费|押金|保证金|资料费|垫付|软件费|培训费"
)
DAILY_PAY = _re(r"日结|当天结|当日结|日薪|现结")

COMBO_RULES: tuple[ComboRule, ...] = (
    ComboRule(
        "scam.typing_upfront",
        Severity.BLOCK,
        (
            Rule("", Severity.BLOCK, TYPING_JOB, ""),
            Rule(
                "",
                Severity.BLOCK,
                UPFRONT,
                "",
                unless_before=FEE_NEGATED_BEFORE,
                unless_after=FEE_NEGATED_AFTER,
            ),
        ),
        "打字员、录入员等岗位要求先交会费或押金是常见诈骗，平台不予发布；不得向求职者收费",
    ),
    ComboRule(
        "scam.typing_daily_pay",
        Severity.REVIEW,
        (Rule("", Severity.REVIEW, TYPING_JOB, ""), Rule("", Severity.REVIEW, DAILY_PAY, "")),
        "“打字员/录入员 + 日结”常被用作诈骗诱饵，将转人工审核；请写明单位、工作地点和工作内容",
    ),
)

PAY_MESSAGE = (
    "月薪 {pay} 元与本市同类职位常见范围 {low}–{high} 元/月（{postings} 个职位）相差很大，"
    "请核实金额和计薪单位；将转人工审核"
)
# "far outside": below half the low percentile, or above twice the high one
PAY_LOW_FACTOR = 0.5
PAY_HIGH_FACTOR = 2.0

# 山东省最低工资标准 (2023年10月1日起: 2,200 / 2,010 / 1,820 元 a month by tier, 22 / 20 / 18
# an hour): the lowest tier, so that no county is held to more than its own standard; part-time
# work has the hourly one. Day and piece rates have no legal floor of their own (a day's hours
# are not stated), so they are left to the reference.
MINIMUM_WAGE_MONTHLY = 1820
MINIMUM_WAGE_HOURLY = 18
SHANDONG_CITIES = frozenset({
    "济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市",
    "泰安市", "威海市", "日照市", "临沂市", "德州市", "聊城市", "滨州市", "菏泽市",
})  # fmt: skip
MINIMUM_WAGE_MESSAGE = (
    "薪资 {pay} 低于山东省最低工资标准（最低一档每月 {monthly} 元、非全日制每小时 {hourly} 元），"
    "请核实金额和计薪单位（是否把日薪、时薪填成了月薪）；底薪和试用期工资也不得低于此标准，"
    "将转人工审核"
)
# Above these the least pay a posting promises is a typo or a lure ("月入5万") in Weihai, where
# the average wage is under 10,000 元/月: about five times it by the month (a year counts by its
# monthly equivalent), a day rate above a skilled tradesman's several hundred, an hourly rate
# above the dearest tutor's. Review, not a refusal: PAY_CEILING (employers.postings) refuses.
PAY_IMPLAUSIBLE_MONTHLY = 50_000
PAY_IMPLAUSIBLE_DAILY = 2_000
PAY_IMPLAUSIBLE_HOURLY = 150
IMPLAUSIBLE_PAY_MESSAGE = (
    "薪资 {pay} 元/{unit} 远高于本地同类工作的常见水平（超过 {limit} 元/{unit}），"
    "请核实金额是否多写了0、计薪单位是否选错；将转人工审核"
)
# each pay unit (indexer.salary.SalaryUnit, gigs' PayUnit) as a message names it: 元/天
UNIT_NAMES = {"month": "月", "year": "年", "day": "天", "hour": "小时", "piece": "件"}


# -- matching --------------------------------------------------------------------------------


def _sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The sentence's text before and after a match (at most CONTEXT characters each side)."""
    head = text[max(0, start - CONTEXT) : start]
    cut = [0, *(m.end() for m in SENTENCE_END.finditer(head))]
    before = head[cut[-1] :]
    if not before.strip() and head[: cut[-1]].endswith(("！", "!")):
        # a list run on over "！！" (不收推荐费！！中介费！！): the previous sentence still speaks
        rest = head[: cut[-1]].rstrip("！!")
        previous = [0, *(m.end() for m in SENTENCE_END.finditer(rest))]
        before = head[previous[-1] :]
    tail = text[end : end + CONTEXT]
    stop = SENTENCE_END.search(tail)
    after = tail[: stop.start()] if stop else tail
    return before, after


def _counts(rule: Rule, text: str, match: re.Match[str]) -> bool:
    before, after = _sentence_around(text, match.start(), match.end())
    if rule.unless_before is not None and rule.unless_before.search(before):
        return False
    if rule.unless_after is not None and rule.unless_after.search(after):
        return False
    if rule.only_if_before is not None or rule.only_if_after is not None:
        charged = (rule.only_if_before is not None and rule.only_if_before.search(before)) or (
            rule.only_if_after is not None and rule.only_if_after.search(after)
        )
        if not charged:
            return False
    return rule.accept is None or rule.accept(match)


def _matches(rule: Rule, text: str) -> list[str]:
    """The words of every match of `rule` in `text` that its context lets count, in order."""
    words: list[str] = []
    if rule.hints and not any(hint in text for hint in rule.hints):
        return words
    for match in rule.pattern.finditer(text):
        word = match.group(0).strip(" \t，,")
        if word and _counts(rule, text, match) and word not in words:
            words.append(word)
    return words


def _fields(draft: PostingDraft) -> dict[str, str]:
    return {name: getattr(draft, name) or "" for name in TEXT_FIELDS}


def _text_findings(fields: dict[str, str]) -> Iterable[Finding]:
    for field_name, text in fields.items():
        if not text:
            continue
        by_code: dict[str, tuple[Rule, list[str]]] = {}
        for rule in RULES:
            if field_name not in rule.fields:
                continue
            words = _matches(rule, text)
            if words:
                _rule, seen = by_code.setdefault(rule.code, (rule, []))
                seen.extend(word for word in words if word not in seen)
        for code, (rule, words) in by_code.items():
            yield Finding(code, rule.severity, field_name, tuple(words), rule.message)


def _combo_findings(fields: dict[str, str]) -> Iterable[Finding]:
    """A combination found in full gives one finding per field that holds part of it."""
    for combo in COMBO_RULES:
        by_field: dict[str, list[str]] = {}
        for part in combo.parts:
            found = [
                (name, word)
                for name, text in fields.items()
                if name in part.fields and text
                for word in _matches(part, text)
            ]
            if not found:
                break
            for name, word in found:
                words = by_field.setdefault(name, [])
                if word not in words:
                    words.append(word)
        else:
            for name, words in by_field.items():
                yield Finding(combo.code, combo.severity, name, tuple(words), combo.message)


def _reference_findings(draft: PostingDraft, reference: PayRange | None) -> Iterable[Finding]:
    if reference is None:
        return
    low_pay = _either(draft.monthly_min, draft.monthly_max)
    high_pay = _either(draft.monthly_max, draft.monthly_min)
    if low_pay is None or high_pay is None:
        return
    if high_pay < reference.low * PAY_LOW_FACTOR:
        code, pay = "pay.outlier_low", high_pay
    elif low_pay > reference.high * PAY_HIGH_FACTOR:
        code, pay = "pay.outlier_high", low_pay
    else:
        return
    message = PAY_MESSAGE.format(
        pay=f"{pay:.0f}",
        low=f"{reference.low:.0f}",
        high=f"{reference.high:.0f}",
        postings=reference.postings,
    )
    yield Finding(code, Severity.REVIEW, "salary", (), message)


def _either(bound: float | None, other: float | None) -> float | None:
    """A bound of a range, or its other one when that is all it states."""
    return bound if bound is not None else other


def _yuan(amount: float) -> str:
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def _below_minimum_wage(draft: PostingDraft) -> Finding | None:
    """The least pay stated below Shandong's minimum wage (postings in Shandong or of no city)."""
    if draft.city is not None and draft.city not in SHANDONG_CITIES:
        return None
    unit = draft.salary_unit
    # the monthly standard is for full-time work; part-time hours a month are not stated
    full_time = draft.kind in (None, "full_time")
    if unit in ("month", "year") and full_time:
        pay, floor = _either(draft.monthly_min, draft.monthly_max), MINIMUM_WAGE_MONTHLY
    elif unit == "hour":
        pay, floor = _either(draft.salary_min, draft.salary_max), MINIMUM_WAGE_HOURLY
    else:
        return None
    stated = _either(draft.salary_min, draft.salary_max)
    if pay is None or stated is None or pay >= floor:
        return None
    pay_text = f"{_yuan(stated)} 元/{UNIT_NAMES[unit]}"
    if unit == "year":
        pay_text += f"（折合每月 {_yuan(round(pay))} 元）"
    message = MINIMUM_WAGE_MESSAGE.format(
        pay=pay_text,
        monthly=_yuan(MINIMUM_WAGE_MONTHLY),
        hourly=_yuan(MINIMUM_WAGE_HOURLY),
    )
    return Finding("pay.below_minimum_wage", Severity.REVIEW, "salary", (), message)


def _implausibly_high(draft: PostingDraft) -> Finding | None:
    """The least pay stated above what any job here pays by that unit."""
    unit = draft.salary_unit
    stated = _either(draft.salary_min, draft.salary_max)
    if unit in ("month", "year"):
        pay, limit = _either(draft.monthly_min, draft.monthly_max), PAY_IMPLAUSIBLE_MONTHLY
    elif unit == "day":
        pay, limit = stated, PAY_IMPLAUSIBLE_DAILY
    elif unit == "hour":
        pay, limit = stated, PAY_IMPLAUSIBLE_HOURLY
    else:
        return None
    if pay is None or stated is None or pay <= limit:
        return None
    # the limit is shown in the unit the employer chose: a year's worth for yearly pay
    shown = limit * 12 if unit == "year" else limit
    message = IMPLAUSIBLE_PAY_MESSAGE.format(
        pay=_yuan(stated), unit=UNIT_NAMES[unit], limit=_yuan(shown)
    )
    return Finding("pay.implausible_high", Severity.REVIEW, "salary", (), message)


def _pay_findings(draft: PostingDraft, reference: PayRange | None) -> Iterable[Finding]:
    """At most one pay finding: the legal floor, else the reference, else the bare ceiling."""
    below = _below_minimum_wage(draft)
    if below is not None:
        yield below
        return
    compared = list(_reference_findings(draft, reference))
    if compared:
        yield from compared
        return
    high = _implausibly_high(draft)
    if high is not None:
        yield high


FIELD_ORDER = {name: index for index, name in enumerate((*TEXT_FIELDS, "salary"))}


def check_posting(draft: PostingDraft, pay_reference: PayRange | None = None) -> list[Finding]:
    """Every finding for `draft`, blocking ones first."""
    fields = _fields(draft)
    findings = [
        *_text_findings(fields),
        *_combo_findings(fields),
        *_pay_findings(draft, pay_reference),
    ]
    # a typing scam that asks for money is also a fee finding; the REVIEW bait adds nothing then
    if any(f.code == "scam.typing_upfront" for f in findings):
        findings = [f for f in findings if f.code != "scam.typing_daily_pay"]
    findings.sort(key=lambda f: (f.severity != Severity.BLOCK, FIELD_ORDER[f.field], f.code))
    return findings
