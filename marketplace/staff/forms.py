"""The staff forms (Flask-WTF): decisions on employers and postings, each with its CSRF token.

Forms check what the staff member can fix on the page; staff.review checks again.
"""

from __future__ import annotations

from datetime import datetime

from wtforms import HiddenField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.employers.models import KeyCategory
from marketplace.formfields import Form, stripped
from marketplace.staff.review import MAX_REASON_LENGTH

KEY_CATEGORY_LABELS = {
    KeyCategory.ABOVE_SCALE_INDUSTRIAL: "规上工业企业",
    KeyCategory.NEW_TARGET: "冲击新目标重点企业",
    KeyCategory.OTHER: "其他重点企业",
}
# the hidden field's format: the submit time the reviewer saw, to the microsecond
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def stamp(moment: datetime | None) -> str:
    return moment.strftime(STAMP_FORMAT) if moment is not None else ""


def read_stamp(raw: str | None) -> datetime | None:
    """The submit time a review form carries (None when absent or garbled: not checked)."""
    try:
        return datetime.strptime(raw or "", STAMP_FORMAT)
    except ValueError:
        return None


class ConfirmForm(Form):
    """A decision that needs nothing but the button (and the CSRF token)."""

    submitted = HiddenField()  # review forms: which version of the posting was read
    submit = SubmitField("确认")


class ReasonForm(Form):
    """A decision the other side must understand: the reason is required.

    Built with a prefix ("reject", "changes") so that two can share a page.
    """

    submitted = HiddenField()
    reason = TextAreaField(
        "原因",
        filters=[stripped],
        validators=[
            DataRequired("请填写原因，单位会看到这段说明"),
            Length(max=MAX_REASON_LENGTH, message=f"原因不超过 {MAX_REASON_LENGTH} 字"),
        ],
        # shown beside the box before anything is typed: the employer reads it word for word
        description="招聘单位会在其职位管理页看到这段说明",
    )
    submit = SubmitField("提交")


class KeyEnterpriseForm(Form):
    category = SelectField(
        "重点企业类别",
        choices=[SelectChoice("", "不是重点企业")]
        + [SelectChoice(str(key), label) for key, label in KEY_CATEGORY_LABELS.items()],
        validators=[Optional()],
        description="重点企业的职位优先展示、优先匹配，审核走绿色通道",
    )
    submit = SubmitField("保存")
