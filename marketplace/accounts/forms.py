"""The account forms (Flask-WTF): labels and messages in Chinese, values normalised on the way in.

Forms check what a person can fix on the page; services check again, since they have other callers.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

# Flask-WTF and WTForms ship no type information; "flask_wtf.*" and "wtforms.*" could join
# the mypy ignore list in pyproject.toml and these ignores go.
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.accounts.services import MIN_PASSWORD_LENGTH
from marketplace.employers.credit_code import InvalidCreditCode, normalize_credit_code
from marketplace.formfields import (
    AmountField,
    Form,
    blank_as_none,
    education_choices,
    mobile_number,
    phone_digits,
    stripped,
)
from marketplace.jobs.models import JobKind
from marketplace.places.models import Place, PlaceLevel
from marketplace.places.weihai import CITY_CODE
from marketplace.seekers.models import TargetGroup

KIND_LABELS = {
    JobKind.FULL_TIME: "全职",
    JobKind.PART_TIME: "兼职",
    JobKind.ODD_JOB: "零工",
}
PAY_UNIT_LABELS = {"month": "元/月", "day": "元/天", "hour": "元/小时"}
TARGET_GROUP_LABELS = {
    TargetGroup.GRADUATE: "高校毕业生",
    TargetGroup.MIGRANT_WORKER: "农民工",
    TargetGroup.EMPLOYMENT_DIFFICULTY: "就业困难人员",
    TargetGroup.YOUTH_16_24: "16–24 岁青年",
    TargetGroup.ZERO_EMPLOYMENT_HOUSEHOLD: "零就业家庭成员",
    TargetGroup.DISABLED: "残疾人",
    TargetGroup.VETERAN: "退役军人",
}


def _password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        "密码",
        validators=[
            DataRequired("请设置密码"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=128,
                message=f"密码长度应为 {MIN_PASSWORD_LENGTH}–128 位",
            ),
        ],
        description=f"至少 {MIN_PASSWORD_LENGTH} 位，建议字母、数字混合",
    )
    confirm = PasswordField(
        "再次输入密码",
        validators=[DataRequired("请再次输入密码"), EqualTo("password", "两次输入的密码不一致")],
    )
    return password, confirm


_AGREE = "我已阅读并同意《用户服务协议》和《隐私政策》"


class LoginForm(Form):
    login = StringField(
        "手机号或用户名",
        filters=[stripped],
        validators=[DataRequired("请输入手机号或用户名"), Length(max=64)],
    )
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=128)])
    # off unless ticked: service points share terminals
    remember = BooleanField("在这台设备上保持登录（公用电脑请勿勾选）", default=False)
    submit = SubmitField("登录")


class CloseAccountForm(Form):
    password = PasswordField(
        "请输入密码确认", validators=[DataRequired("请输入密码"), Length(max=128)]
    )
    submit = SubmitField("注销账号")


class SeekerSignupForm(Form):
    name = StringField(
        "姓名",
        filters=[stripped],
        validators=[DataRequired("请填写姓名"), Length(max=40, message="姓名不超过 40 字")],
    )
    phone = StringField(
        "手机号",
        filters=[phone_digits],
        validators=[DataRequired("请填写手机号"), mobile_number],
        description="用于登录和接收面试通知，不会公开显示",
    )
    password, confirm = _password_fields()
    agree = BooleanField(_AGREE, validators=[DataRequired("请阅读并同意用户服务协议和隐私政策")])
    submit = SubmitField("注册")


class EmployerSignupForm(Form):
    employer_name = StringField(
        "单位名称",
        filters=[stripped],
        validators=[DataRequired("请填写单位名称"), Length(max=200)],
        description="与营业执照上的名称一致",
    )
    credit_code = StringField(
        "统一社会信用代码",
        filters=[stripped],
        validators=[DataRequired("请填写统一社会信用代码")],
        description="18 位，见营业执照",
    )
    contact_name = StringField(
        "联系人",
        filters=[stripped],
        validators=[DataRequired("请填写联系人姓名"), Length(max=80)],
    )
    phone = StringField(
        "手机号",
        filters=[phone_digits],
        validators=[DataRequired("请填写手机号"), mobile_number],
        description="联系人手机号，用于登录",
    )
    password, confirm = _password_fields()
    agree = BooleanField(_AGREE, validators=[DataRequired("请阅读并同意用户服务协议和隐私政策")])
    submit = SubmitField("提交注册")

    def validate_credit_code(self, field: Field) -> None:
        try:
            field.data = normalize_credit_code(field.data or "")
        except InvalidCreditCode as error:
            # the checker's own Chinese message says what is wrong (length, letter, check digit)
            raise ValidationError(str(error)) from None


class CheckboxesField(SelectMultipleField):  # type: ignore[misc]  # untyped base
    """A multiple choice shown as a list of checkboxes (easier than a multi-select on a phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def town_choices(session: Session) -> list[SelectChoice]:
    """'Choose', then Weihai's towns grouped by county name (rendered as <optgroup>s)."""
    county = {
        code: name
        for code, name in session.execute(
            select(Place.code, Place.name).where(
                Place.level == PlaceLevel.COUNTY, Place.parent_code == CITY_CODE
            )
        )
    }
    choices = [SelectChoice("", "请选择")]
    towns = session.execute(
        select(Place.code, Place.name, Place.parent_code)
        .where(Place.level == PlaceLevel.TOWN, Place.parent_code.in_(county))
        .order_by(Place.code)
    )
    for code, name, parent in towns:
        if parent is not None:
            choices.append(SelectChoice(code, name, optgroup=county[parent]))
    return choices


class ProfileForm(Form):
    desired_job = StringField(
        "期望职位",
        filters=[stripped],
        validators=[Optional(), Length(max=80, message="期望职位不超过 80 字")],
        description="例如：叉车司机、外贸业务员",
    )
    skills = StringField(
        "技能",
        filters=[stripped],
        validators=[Optional(), Length(max=500)],
        description="多个技能用逗号分开，例如：叉车证, 电焊, Excel",
    )
    birth_date = DateField(
        "出生日期",
        validators=[Optional()],
        description="用于匹配年龄相关的政策（如 16–24 岁青年），只有您和工作人员能看到",
        render_kw={"autocomplete": "bday"},
    )
    graduation_year = IntegerField(
        "毕业年份",
        validators=[Optional(), NumberRange(min=1950, max=2100, message="请输入四位年份")],
        description="最高学历的毕业年份，用于匹配毕业生政策",
    )
    education = SelectField(
        "学历",
        choices=education_choices("请选择"),
        filters=[blank_as_none],
        validate_choice=False,  # checked by the service, which knows the codes
    )
    pay_min = AmountField(
        "期望薪资（最低）",
        places=None,
        validators=[Optional(), NumberRange(min=0, max=1_000_000, message="请输入合理的金额")],
    )
    pay_max = AmountField(
        "期望薪资（最高）",
        places=None,
        validators=[Optional(), NumberRange(min=0, max=1_000_000, message="请输入合理的金额")],
    )
    pay_unit = SelectField(
        "薪资单位",
        choices=[SelectChoice(unit, label) for unit, label in PAY_UNIT_LABELS.items()],
        default="month",
        validators=[InputRequired()],
    )
    desired_kind = SelectField(
        "工作类型",
        choices=[SelectChoice("", "不限")]
        + [SelectChoice(str(kind), label) for kind, label in KIND_LABELS.items()],
        filters=[blank_as_none],
        validate_choice=False,
    )
    home_town = SelectField(
        "家乡（镇/街道）",
        choices=[],
        filters=[blank_as_none],
        validate_choice=False,  # the choices come from the database; the service checks the code
    )
    open_to_employers = BooleanField(
        "允许招聘单位在“推荐人选”中看到我（只显示隐去姓名的资料，不显示联系方式）",
        default=True,
    )
    target_groups = CheckboxesField(
        "人群（可多选，用于匹配政策和岗位）",
        choices=[SelectChoice(str(group), label) for group, label in TARGET_GROUP_LABELS.items()],
    )
    submit = SubmitField("保存")

    def validate_pay_max(self, field: Field) -> None:
        low = self.pay_min.data
        if low is not None and field.data is not None and low > field.data:
            raise ValidationError("最高薪资不能低于最低薪资")
