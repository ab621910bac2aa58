"""The odd-job forms (Flask-WTF): worker availability, requests, and the walk-in variants.

Forms check what a person can fix on the page; the gig services check again (other callers).
Times on the forms are Weihai local time; the views convert them to the naive UTC SQL keeps.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.accounts.forms import CheckboxesField
from marketplace.database import utcnow
from marketplace.formfields import AmountField, Form, mobile_number, phone_digits, stripped
from marketplace.gigs.dispatch import reach_words
from marketplace.gigs.models import SKILLS, PayUnit
from marketplace.gigs.services import MAX_HEADCOUNT, day_problem, pay_problem
from marketplace.localtime import local_date
from marketplace.places.models import Place, PlaceLevel
from marketplace.places.weihai import CITY_CODE

PAY_UNIT_LABELS: dict[str, str] = {
    PayUnit.DAY: "元/天",
    PayUnit.HOUR: "元/小时",
    PayUnit.PIECE: "元/件",
}
DAY_LABELS = {
    "1": "周一",
    "2": "周二",
    "3": "周三",
    "4": "周四",
    "5": "周五",
    "6": "周六",
    "7": "周日",
}
# every code of a place in Weihai starts with the city's first four digits
WEIHAI_PREFIX = CITY_CODE[:4]


def place_choices(session: Session, under: str | None = None) -> list[SelectChoice]:
    """'Choose', then Weihai's villages and communities grouped by town, each town's seat
    first (for when the village is not listed). `under`: only places below that code."""
    prefix = under or WEIHAI_PREFIX
    town = aliased(Place)
    groups: dict[str, tuple[str, list[SelectChoice]]] = {}
    for code, name in session.execute(
        select(Place.code, Place.name)
        .where(Place.level == PlaceLevel.TOWN, Place.code.startswith(prefix))
        .order_by(Place.code)
    ):
        groups[code] = (name, [SelectChoice(code, f"{name}（镇街驻地）", optgroup=name)])
    villages = session.execute(
        select(Place.code, Place.name, town.code, town.name)
        .join(town, town.code == Place.parent_code)
        .where(Place.level == PlaceLevel.VILLAGE, Place.code.startswith(prefix))
        .order_by(Place.code)
    )
    for code, name, town_code, town_name in villages:
        # a village service point sees its own village under its town's name, without the town
        group = groups.setdefault(town_code, (town_name, []))
        group[1].append(SelectChoice(code, name, optgroup=group[0]))
    choices = [SelectChoice("", "请选择")]
    for _name, options in groups.values():
        choices.extend(options)
    return choices


def _check_pay(amount: Field, unit: str | None) -> None:
    """An amount field's bounds for the unit chosen (pay_problem)."""
    if amount.data is None or unit not in set(PayUnit):
        return  # no amount, or a unit that its own field refuses
    problem = pay_problem(float(amount.data), unit)
    if problem is not None:
        raise ValidationError(problem)


class WorkerForm(Form):
    skills = CheckboxesField(
        "会做的活（可多选）",
        choices=[SelectChoice(tag, tag) for tag in SKILLS],
        validators=[DataRequired("请至少选择一项技能")],
    )
    place = SelectField(
        "家住哪个村（社区）",
        choices=[],
        validators=[DataRequired("请选择所在村居")],
        validate_choice=False,  # the choices come from the database; the service checks the code
        description="派单按离家的距离，优先 5 公里以内",
    )
    days = CheckboxesField(
        "哪几天能干活",
        choices=[SelectChoice(day, label) for day, label in DAY_LABELS.items()],
        default=list(DAY_LABELS),
        validators=[DataRequired("请选择可工作的日子")],
    )
    available_from = TimeField("每天从几点", validators=[Optional()], description="不填表示全天")
    available_until = TimeField("到几点", validators=[Optional()])
    rate_amount = AmountField(
        "期望工钱",
        places=None,
        # the bounds depend on the unit: validate_rate_unit (pay_problem)
        validators=[Optional()],
    )
    rate_unit = SelectField(
        "工钱单位",
        choices=[SelectChoice("", "请选择")]
        + [SelectChoice(str(unit), label) for unit, label in PAY_UNIT_LABELS.items()],
        default="",
        validate_choice=False,  # checked below: empty is allowed when no rate is given
    )

    def validate_available_until(self, field: Field) -> None:
        start = self.available_from.data
        if (start is None) != (field.data is None):
            raise ValidationError("开始和结束时间请都填写，或都不填")
        if start is not None and field.data is not None and field.data <= start:
            raise ValidationError("结束时间须晚于开始时间")

    def validate_rate_amount(self, field: Field) -> None:
        # the amount is what is out of bounds: its field carries the message, not the unit's
        _check_pay(field, self.rate_unit.data)

    def validate_rate_unit(self, field: Field) -> None:
        if field.data and field.data not in set(PayUnit):
            raise ValidationError("请选择工钱单位")
        if (self.rate_amount.data is None) != (not field.data):
            raise ValidationError("请同时填写期望工钱和单位，或都不填")


class WalkInWorkerForm(WorkerForm):
    """A worker registered by service-point staff: a person without an account."""

    name = StringField(
        "姓名",
        filters=[stripped],
        validators=[DataRequired("请填写姓名"), Length(max=40, message="姓名不超过 40 字")],
    )
    phone = StringField(
        "手机号",
        filters=[phone_digits],
        validators=[DataRequired("请填写手机号"), mobile_number],
        description="只在接单后告诉发布人，其他人看到的是 138****5678",
    )
    correct_name = BooleanField(
        "这个手机号已在本站登记为另一个姓名时：确认是同一人，按上面填写的更正姓名（记入登记记录）"
    )


class RequestForm(Form):
    title = StringField(
        "干什么活",
        filters=[stripped],
        validators=[DataRequired("请填写工作内容"), Length(max=120, message="不超过 120 字")],
        description="例如：码头卸货、果园摘苹果",
    )
    description = TextAreaField(
        "补充说明", filters=[stripped], validators=[Optional(), Length(max=1000)]
    )
    skills = CheckboxesField(
        "需要的技能（可不选）", choices=[SelectChoice(tag, tag) for tag in SKILLS]
    )
    place = SelectField(
        "在哪个村（社区）",
        choices=[],
        validators=[DataRequired("请选择干活的村居")],
        validate_choice=False,
    )
    address = StringField("详细地点", filters=[stripped], validators=[Optional(), Length(max=200)])
    work_date = DateField("哪天", validators=[InputRequired("请选择日期")])
    start_time = TimeField("几点开始", validators=[InputRequired("请填写开始时间")])
    end_time = TimeField("几点结束", validators=[InputRequired("请填写结束时间")])
    pay_amount = AmountField(
        "工钱",
        places=None,
        validators=[InputRequired("请填写工钱")],  # the range depends on the unit: below
    )
    pay_unit = SelectField(
        "工钱单位",
        choices=[SelectChoice(str(unit), label) for unit, label in PAY_UNIT_LABELS.items()],
        default=str(PayUnit.DAY),
    )
    headcount = IntegerField(
        "要几个人",
        default=1,
        validators=[
            InputRequired("请填写人数"),
            NumberRange(min=1, max=MAX_HEADCOUNT, message=f"人数须在 1 到 {MAX_HEADCOUNT} 之间"),
        ],
    )
    urgent = BooleanField(f"即时快招：马上派单给附近有空的零工（{reach_words()}）")

    def validate_end_time(self, field: Field) -> None:
        start = self.start_time.data
        if start is not None and field.data is not None and field.data <= start:
            raise ValidationError("结束时间须晚于开始时间（当天内）")

    def validate_work_date(self, field: Field) -> None:
        today = local_date(utcnow())
        problem = day_problem(field.data, today) if field.data is not None else None
        if problem is not None:
            raise ValidationError(problem)

    def validate_pay_amount(self, field: Field) -> None:
        _check_pay(field, self.pay_unit.data)


class DeskRequestForm(RequestForm):
    """A request posted by staff for a villager who came to the service point."""

    contact_name = StringField(
        "用工人姓名",
        filters=[stripped],
        validators=[DataRequired("请填写用工人姓名"), Length(max=40)],
    )
    contact_phone = StringField(
        "用工人手机号",
        filters=[phone_digits],
        validators=[DataRequired("请填写手机号"), mobile_number],
    )


class CompleteForm(Form):
    no_shows = CheckboxesField("没来的人（不勾表示都到了）", choices=[], coerce=int)


class RatingForm(Form):
    score = RadioField(
        "评分",
        choices=[SelectChoice(str(n), f"{n} 分") for n in range(1, 6)],
        validators=[DataRequired("请选择 1 到 5 分")],
    )
    comment = StringField(
        "评语（可不填）", filters=[stripped], validators=[Optional(), Length(max=200)]
    )
