"""Kiosk forms: the service-point desk's odd-job forms, made for a touch screen.

They extend the gig forms (same fields, same checks); what changes is that choices a person
would type elsewhere (hours, day, headcount, pay) arrive here from big radio buttons.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.formfields import Form
from marketplace.gigs.forms import DeskRequestForm, WalkInWorkerForm
from marketplace.kiosk.services import SHIFTS


class EnrollForm(Form):
    token = StringField(
        "终端口令",
        validators=[DataRequired("请输入终端口令"), Length(max=40)],
        description=(
            "由服务站工作人员登录后在“工作台”或“服务站代办”页的“自助终端管理”中生成，"
            "例如 ABCD-EFGH-JKMN-PQRS"
        ),
    )


class DeviceForm(Form):
    name = StringField(
        "终端名称",
        validators=[DataRequired("请填写终端名称"), Length(max=80)],
        description="例如：大厅触摸屏 1 号",
    )
    service_point = SelectField("所在服务站", coerce=int, choices=[])


class KioskWorkerForm(WalkInWorkerForm):
    """A walk-in worker: name and phone typed, the rest touched (skills, place, days, hours)."""

    shift = RadioField(
        "每天什么时候有空",
        choices=[SelectChoice(key, label) for key, (label, _f, _u) in SHIFTS.items()],
        default="all",
    )


class KioskRequestForm(DeskRequestForm):
    """An odd job posted for a villager: the work is named by skill pictures when not typed."""

    title = StringField(
        "干什么活（可不填，按所选技能命名）",
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[Optional(), Length(max=120, message="不超过 120 字")],
    )

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        # checked here: Optional() on the title stops its own validators when it is empty
        if not self.title.data and not self.skills.data:
            self.skills.errors = [*self.skills.errors, "请选择要干的活，或写上工作内容"]
            return False
        return valid

    def work_title(self) -> str:
        """What the request is called: the words typed, else its skills."""
        return self.title.data or "、".join(self.skills.data or []) + "零工"
