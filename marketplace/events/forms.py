"""Forms for campaigns, events and booths (Flask-WTF): Chinese labels and messages.

Forms check what a person can fix on the page; events.services checks again for other callers.
Date and time fields hold Beijing time as people type it; views convert to UTC.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.database import utcnow
from marketplace.events.models import (
    BoothStatus,
    CampaignKind,
    EventFormat,
    EventKind,
    EventStatus,
)
from marketplace.formfields import Form, stripped
from marketplace.localtime import LOCAL_OFFSET

CAMPAIGN_KIND_LABELS = {
    CampaignKind.SPRING_BREEZE: "春风行动",
    CampaignKind.PRIVATE_ENTERPRISE_MONTH: "民营企业招聘月",
    CampaignKind.HUNDRED_DAYS_ONLINE: "百日千万网络招聘专项行动",
    CampaignKind.GOLDEN_AUTUMN: "金秋招聘月",
    CampaignKind.CAMPUS_SEASON: "高校毕业生校园招聘季",
    CampaignKind.OTHER: "其他专项活动",
}
FORMAT_LABELS = {EventFormat.OFFLINE: "线下", EventFormat.ONLINE: "线上"}
KIND_LABELS = {EventKind.SPECIALISED: "专场招聘会", EventKind.COMPREHENSIVE: "综合招聘会"}
STATUS_LABELS = {
    EventStatus.PLANNED: "计划中",
    EventStatus.HELD: "已举办",
    EventStatus.CANCELLED: "已取消",
}
BOOTH_STATUS_LABELS = {
    BoothStatus.REGISTERED: "待确认",
    BoothStatus.CONFIRMED: "已确认",
    BoothStatus.CANCELLED: "已取消",
}


class _LocalDateTimeField(DateTimeLocalField):  # type: ignore[misc]  # untyped base
    """A datetime-local input whose parse error is in Chinese; renders as 2026-03-01T09:00."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # the first format is the one rendered: what <input type="datetime-local"> expects
        kwargs.setdefault(
            "format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
        )
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("请输入正确的日期和时间，例如 2026-03-01 09:00") from error


class _LocalDateField(DateField):  # type: ignore[misc]  # untyped base
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("请输入正确的日期，例如 2026-03-01") from error


class _Select(SelectField):  # type: ignore[misc]  # untyped base
    """A select whose errors are in Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("invalid_choice_message", "请从列表中选择")
        kwargs.setdefault("invalid_value_message", "请从列表中选择")
        super().__init__(*args, **kwargs)


class _CountField(IntegerField):  # type: ignore[misc]  # untyped base
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("请输入整数") from error


# How far from today an event or campaign may be put (typed years like 0001 or 9999 are
# slips), and how long one may last.
EVENT_REACH = timedelta(days=366)  # back (recording one already held) and ahead
EVENT_LONGEST = timedelta(days=31)
CAMPAIGN_REACH = timedelta(days=3 * 366)
CAMPAIGN_LONGEST = timedelta(days=366)
# a count typed for an event: more than a city's people is a slip
COUNT_MOST = 1_000_000


def _local_now() -> datetime:
    return utcnow() + LOCAL_OFFSET


def _within_reach(moment: date, reach: timedelta, what: str) -> None:
    today = _local_now().date()
    if not today - reach <= moment <= today + reach:
        years = round(reach.days / 365)
        raise ValidationError(f"{what}应在今天前后 {years} 年以内")


class CampaignForm(Form):
    name = StringField(
        "名称",
        filters=[stripped],
        validators=[DataRequired("请填写名称"), Length(max=120, message="名称不超过 120 字")],
        description="例如：2026 年春风行动",
    )
    kind = _Select(
        "类别",
        choices=[SelectChoice(str(key), label) for key, label in CAMPAIGN_KIND_LABELS.items()],
        validators=[DataRequired("请选择类别")],
    )
    starts_on = _LocalDateField("开始日期", validators=[InputRequired("请填写开始日期")])
    ends_on = _LocalDateField("结束日期", validators=[InputRequired("请填写结束日期")])
    description = TextAreaField(
        "说明", filters=[stripped], validators=[Optional(), Length(max=2000)]
    )
    submit = SubmitField("保存")

    def validate_starts_on(self, field: DateField) -> None:
        if field.data:
            _within_reach(field.data, CAMPAIGN_REACH, "开始日期")

    def validate_ends_on(self, field: DateField) -> None:
        start: date | None = self.starts_on.data
        if start and field.data and field.data < start:
            raise ValidationError("结束日期不能早于开始日期")
        if start and field.data and field.data - start > CAMPAIGN_LONGEST:
            raise ValidationError("专项活动最长一年")


class EventForm(Form):
    title = StringField(
        "活动名称",
        filters=[stripped],
        validators=[DataRequired("请填写活动名称"), Length(max=200, message="不超过 200 字")],
    )
    campaign_id = _Select("所属专项活动", coerce=int, default=0)
    format = _Select(
        "形式",
        choices=[SelectChoice(str(key), label) for key, label in FORMAT_LABELS.items()],
        validators=[DataRequired("请选择线上或线下")],
    )
    kind = _Select(
        "类型",
        choices=[SelectChoice(str(key), label) for key, label in KIND_LABELS.items()],
        validators=[DataRequired("请选择类型")],
        description="专场：面向一个行业或人群；综合：多行业",
    )
    district_code = _Select("举办区市", validators=[DataRequired("请选择举办区市")])
    starts_at = _LocalDateTimeField(
        "开始时间", validators=[InputRequired("请填写开始时间")], description="北京时间"
    )
    ends_at = _LocalDateTimeField(
        "结束时间", validators=[InputRequired("请填写结束时间")], description="北京时间"
    )
    venue = StringField(
        "举办地点",
        filters=[stripped],
        validators=[Length(max=200)],
        description="线下活动必填",
    )
    link = StringField(
        "活动链接",
        filters=[stripped],
        validators=[Length(max=500)],
        description="线上活动必填，以 http:// 或 https:// 开头",
    )
    is_campus = BooleanField("校园招聘")
    school = StringField(
        "学校名称",
        filters=[stripped],
        validators=[Length(max=120)],
        description="校园招聘必填，例如：山东大学（威海）",
    )
    notes = TextAreaField("备注", filters=[stripped], validators=[Optional(), Length(max=2000)])
    submit = SubmitField("保存")

    def validate_starts_at(self, field: DateTimeLocalField) -> None:
        if field.data:
            _within_reach(field.data.date(), EVENT_REACH, "开始时间")

    def validate_ends_at(self, field: DateTimeLocalField) -> None:
        start: datetime | None = self.starts_at.data
        if start and field.data and field.data <= start:
            raise ValidationError("结束时间必须晚于开始时间")
        if start and field.data and field.data - start > EVENT_LONGEST:
            raise ValidationError("一场活动最长 31 天；更长的请建为专项活动")

    def validate_link(self, field: StringField) -> None:
        if self.format.data == EventFormat.ONLINE and not field.data:
            raise ValidationError("线上活动请填写活动链接")
        if field.data and not field.data.startswith(("http://", "https://")):
            raise ValidationError("链接应以 http:// 或 https:// 开头")

    def validate_venue(self, field: StringField) -> None:
        if self.format.data == EventFormat.OFFLINE and not field.data:
            raise ValidationError("线下活动请填写举办地点")

    def validate_school(self, field: StringField) -> None:
        if self.is_campus.data and not field.data:
            raise ValidationError("校园招聘请填写学校名称")


class HeldForm(Form):
    visitors = _CountField(
        "到场人数",
        validators=[
            InputRequired("请填写到场人数"),
            NumberRange(min=0, message="不能为负数"),
            NumberRange(max=COUNT_MOST, message="人数过大，请核对"),
        ],
    )
    seekers_registered = _CountField(
        "现场登记求职人数",
        validators=[
            InputRequired("请填写现场登记求职人数"),
            NumberRange(min=0, message="不能为负数"),
            NumberRange(max=COUNT_MOST, message="人数过大，请核对"),
        ],
    )
    submit = SubmitField("登记为已举办")


class CancelForm(Form):
    reason = TextAreaField(
        "取消原因",
        filters=[stripped],
        validators=[DataRequired("请填写取消原因"), Length(max=500, message="不超过 500 字")],
    )
    submit = SubmitField("取消活动")


class ButtonForm(Form):
    """An action that needs nothing but the button (and the CSRF token)."""

    submit = SubmitField("确认")


class BoothJobsForm(Form):
    jobs = SelectMultipleField(
        "在展位展示的职位",
        coerce=int,
        invalid_value_message="所选职位无效，请刷新页面后重新选择",
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validate_choice=False,  # services.attach_jobs decides, with its own message
        description="只能选择本单位已发布的职位",
    )
    submit = SubmitField("保存展位职位")
