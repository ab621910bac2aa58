"""The staff forms for bases (Flask-WTF, each with its CSRF token); services check again."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from marketplace.bases.services import BaseFields
from marketplace.formfields import Form, stripped
from marketplace.jobs.models import JobKind

KIND_LABELS = {JobKind.FULL_TIME: "全职", JobKind.PART_TIME: "兼职", JobKind.ODD_JOB: "零工"}
# lists are typed with commas (either width), 、 or spaces
_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_list(text: str | None) -> list[str]:
    seen: list[str] = []
    for part in _SEPARATORS.split(text or ""):
        if part and part not in seen:
            seen.append(part)
    return seen


def _web_address(_form: Any, field: Any) -> None:
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError("请填写以 http:// 或 https:// 开头的完整地址")


def _prefixes(_form: Any, field: Any) -> None:
    if any(not part.replace("-", "").isdigit() for part in split_list(field.data)):
        raise ValidationError("职业编码前缀只能是数字，如 6-01 或 4")


class BaseForm(Form):
    name = StringField(
        "基地名称",
        filters=[stripped],
        validators=[DataRequired("请填写基地名称"), Length(max=120)],
    )
    province = StringField(
        "所在省份",
        filters=[stripped],
        validators=[DataRequired("请填写省份"), Length(max=20)],
    )
    city = StringField(
        "所在城市",
        filters=[stripped],
        validators=[DataRequired("请填写城市"), Length(max=40)],
    )
    contact_name = StringField("联系人", filters=[stripped], validators=[Length(max=40)])
    contact_phone = StringField("联系电话", filters=[stripped], validators=[Length(max=20)])
    occupation_prefixes = StringField(
        "职业编码前缀",
        filters=[stripped],
        validators=[Optional(), _prefixes],
        description="按职业分类大典编码筛选，多个用逗号分隔，如 6-01, 6-05；留空不限",
    )
    kinds = SelectMultipleField(
        "用工类型",
        choices=[SelectChoice(str(kind), label) for kind, label in KIND_LABELS.items()],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validators=[Optional()],
        description="不选则不限",
    )
    min_monthly_pay = IntegerField(
        "最低月薪（元）",
        validators=[Optional(), NumberRange(min=0, max=1_000_000, message="请填写合理的金额")],
        description="按月折算；未写明薪资的职位不会推送给设了最低月薪的基地",
    )
    keywords = StringField(
        "关键词", filters=[stripped], description="职位名称或描述含任一关键词即可，留空不限"
    )
    districts = StringField(
        "工作地区", filters=[stripped], description="区县名称，如 荣成市, 文登区；留空不限"
    )
    webhook_url = StringField(
        "推送地址（Webhook）",
        filters=[stripped],
        validators=[Optional(), Length(max=500), _web_address],
        description="留空则只提供 JSON 订阅和 CSV 下载",
    )
    active = BooleanField("启用", default=True)
    submit = SubmitField("保存")

    def fields_value(self) -> BaseFields:
        return BaseFields(
            name=self.name.data or "",
            province=self.province.data or "",
            city=self.city.data or "",
            contact_name=self.contact_name.data or None,
            contact_phone=self.contact_phone.data or None,
            occupation_prefixes=split_list(self.occupation_prefixes.data),
            kinds=list(self.kinds.data or []),
            min_monthly_pay=(
                float(self.min_monthly_pay.data) if self.min_monthly_pay.data is not None else None
            ),
            keywords=split_list(self.keywords.data),
            districts=split_list(self.districts.data),
            webhook_url=self.webhook_url.data or None,
            active=bool(self.active.data),
        )


class ConfirmForm(Form):
    """An action that needs nothing but the button (and the CSRF token)."""

    submit = SubmitField("确认")


class RecruitForm(Form):
    application_id = IntegerField(
        "求职申请编号",
        validators=[Optional()],
        description="通过平台投递并已录用的，填申请编号；现场招用的留空并填姓名",
    )
    person_name = StringField("姓名（现场招用）", filters=[stripped], validators=[Length(max=40)])
    job_id = IntegerField("职位编号", validators=[Optional()])
    note = TextAreaField("备注", filters=[stripped], validators=[Length(max=500)])
    submit = SubmitField("记录")
