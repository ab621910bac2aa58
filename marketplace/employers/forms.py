"""The employer's forms (Flask-WTF): a posting, and the confirm-only forms of its actions.

Forms check what a person can fix on the page; the services in `postings` check again.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import (
    Field,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from indexer.salary import SalaryUnit
from marketplace.accounts.forms import KIND_LABELS
from marketplace.employers.postings import MAX_EXPERIENCE, MAX_HEADCOUNT, PAY_CEILING
from marketplace.formfields import AmountField, Form, blank_as_none, education_choices, stripped
from marketplace.places.models import Place, PlaceLevel
from marketplace.places.weihai import CITY_CODE

PAY_UNIT_LABELS = {
    SalaryUnit.MONTH: "元/月",
    SalaryUnit.DAY: "元/天",
    SalaryUnit.HOUR: "元/小时",
    SalaryUnit.PIECE: "元/件",
    SalaryUnit.YEAR: "元/年",
}


def county_choices(session: Session) -> list[SelectChoice]:
    """Weihai's counties from the database; empty when the places are not loaded."""
    rows = session.execute(
        select(Place.code, Place.name)
        .where(Place.level == PlaceLevel.COUNTY, Place.parent_code == CITY_CODE)
        .order_by(Place.code)
    ).all()
    if not rows:
        return []
    return [SelectChoice("", "请选择"), *(SelectChoice(code, name) for code, name in rows)]


class JobForm(Form):
    title = StringField(
        "职位名称",
        filters=[stripped],
        validators=[
            DataRequired("请填写职位名称"),
            Length(max=200, message="职位名称不超过 200 字"),
        ],
        description="例如：水产加工工、叉车司机、海参分拣（零工）",
    )
    kind = SelectField(
        "工作类型",
        choices=[SelectChoice(str(kind), label) for kind, label in KIND_LABELS.items()],
        validators=[InputRequired("请选择工作类型")],
    )
    description = TextAreaField(
        "职位描述",
        filters=[stripped],
        validators=[
            DataRequired("请填写职位描述"),
            Length(max=5000, message="职位描述不超过 5000 字"),
        ],
        description="工作内容、工作时间、任职要求。请勿限定性别、民族、户籍，请勿收取任何费用。",
    )
    pay_min = AmountField(
        "最低",
        places=None,
        validators=[Optional(), NumberRange(min=0.01, message="薪资必须大于 0")],
    )
    pay_max = AmountField(
        "最高",
        places=None,
        validators=[Optional(), NumberRange(min=0.01, message="薪资必须大于 0")],
    )
    pay_unit = SelectField(
        "薪资单位",
        choices=[SelectChoice(str(unit), label) for unit, label in PAY_UNIT_LABELS.items()],
        default=str(SalaryUnit.MONTH),
        validators=[InputRequired()],
    )
    headcount = IntegerField(
        "招聘人数",
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_HEADCOUNT, message=f"招聘人数应为 1–{MAX_HEADCOUNT}"),
        ],
    )
    education = SelectField(
        "学历要求",
        choices=education_choices("不限"),
        filters=[blank_as_none],
        validate_choice=False,  # checked by the service, which knows the codes
    )
    experience_years = IntegerField(
        "工作经验（年）",
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_EXPERIENCE, message=f"工作经验应为 0–{MAX_EXPERIENCE} 年"),
        ],
        description="不要求经验可不填",
    )
    skills = StringField(
        "技能要求",
        filters=[stripped],
        validators=[Optional(), Length(max=500)],
        description="多个用逗号分开，例如：叉车证, 电焊",
    )
    benefits = StringField(
        "福利待遇",
        filters=[stripped],
        validators=[Optional(), Length(max=500)],
        description="多个用逗号分开，例如：五险一金, 包吃住",
    )
    county = SelectField(
        "工作地点（区县）",
        choices=[],
        filters=[blank_as_none],
        validate_choice=False,  # the choices come from the database; the service checks the code
    )
    district = StringField(
        "工作地点（区县）",
        filters=[stripped],
        validators=[Optional(), Length(max=40, message="不超过 40 字")],
    )
    address = StringField(
        "详细地址",
        filters=[stripped],
        validators=[Optional(), Length(max=300, message="详细地址不超过 300 字")],
        description="镇（街道）、路名门牌或园区名称",
    )
    submit = SubmitField("提交")

    def validate_pay_max(self, field: Field) -> None:
        low = self.pay_min.data
        if low is not None and field.data is not None and low > field.data:
            raise ValidationError("最高薪资不能低于最低薪资")

    def validate_pay_unit(self, field: Field) -> None:
        # the sane upper bound depends on the unit
        try:
            ceiling = PAY_CEILING[SalaryUnit(field.data)]
        except ValueError:
            raise ValidationError("薪资单位选项无效") from None
        for amount in (self.pay_min.data, self.pay_max.data):
            if amount is not None and amount > ceiling:
                label = PAY_UNIT_LABELS[SalaryUnit(field.data)]
                raise ValidationError(f"薪资超出合理范围（不超过 {ceiling:,.0f} {label}）")


class ActionForm(Form):
    """A confirm button: only the CSRF token and the submit."""

    submit = SubmitField("确定")
