"""Occupation services: import the classification, train and load the classifier, label jobs.

The classifier itself lives in `matching.occupations`; its model file is written and read only
through `matching.persistence`, inside the app's instance folder.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from marketplace.jobs.models import Job
from marketplace.occupations.models import Occupation
from marketplace.search.engine import dictionary_words
from marketplace.search.outbox import enqueue
from matching import occupations as occupation_matching
from matching.occupations import FEATURE_NAMES, MODEL_KIND, OccupationClassifier
from matching.persistence import ModelMetadata, load_model, model_metadata, save_model

log = logging.getLogger(__name__)
csv.field_size_limit(10**8)

Progress = Callable[[int], None]
MODEL_FILE = Path("models") / "occupations.model"  # inside the instance folder
REQUIRED_COLUMNS = ("level", "code", "name")
LABELED_COLUMNS = ("job_name", "expected_code")
_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")

# Our own short list for the demo (`flask occupation import --builtin`) when the published file
# is not imported: real CSCO 2022 codes and names, with the words Weihai's postings use for them.
# Its aliases are also added to the imported classification when training (see _with_own_aliases).
BUILTIN: tuple[tuple[str, int, str, str], ...] = (
    ("2-00-00-00", 1, "专业技术人员", ""),
    ("3-00-00-00", 1, "办事人员和有关人员", ""),
    ("4-00-00-00", 1, "社会生产服务和生活服务人员", ""),
    ("5-00-00-00", 1, "农、林、牧、渔业生产及辅助人员", ""),
    ("6-00-00-00", 1, "生产制造及有关人员", "普工,操作工,生产工,作业员,学徒工,技工,流水线工人"),
    ("8-00-00-00", 1, "不便分类的其他从业人员", ""),
    # the 中类 of the codes below: the search page's 职业 facet counts by them and names them
    ("2-02-00-00", 2, "工程技术人员", ""),
    ("2-05-00-00", 2, "卫生专业技术人员", ""),
    ("2-06-00-00", 2, "经济和金融专业人员", ""),
    ("2-08-00-00", 2, "教学人员", ""),
    ("3-01-00-00", 2, "行政办事及辅助人员", ""),
    ("4-01-00-00", 2, "批发与零售服务人员", ""),
    ("4-02-00-00", 2, "交通运输、仓储物流和邮政业服务人员", ""),
    ("4-03-00-00", 2, "住宿和餐饮服务人员", ""),
    ("4-04-00-00", 2, "信息传输、软件和信息技术服务人员", ""),
    ("4-06-00-00", 2, "房地产服务人员", ""),
    ("4-07-00-00", 2, "租赁和商务服务人员", ""),
    ("4-09-00-00", 2, "水利、环境和公共设施管理服务人员", ""),
    ("4-10-00-00", 2, "居民服务人员", ""),
    ("4-12-00-00", 2, "修理及制作服务人员", ""),
    ("4-14-00-00", 2, "健康、体育和休闲服务人员", ""),
    ("5-04-00-00", 2, "渔业生产人员", ""),
    ("6-01-00-00", 2, "农副产品加工人员", ""),
    ("6-02-00-00", 2, "食品、饮料生产加工人员", ""),
    ("6-05-00-00", 2, "纺织品、服装和皮革、毛皮制品加工制作人员", ""),
    ("6-14-00-00", 2, "橡胶和塑料制品制造人员", ""),
    ("6-18-00-00", 2, "机械制造基础加工人员", ""),
    ("6-20-00-00", 2, "通用设备制造人员", ""),
    ("6-21-00-00", 2, "专用设备制造人员", ""),
    ("6-23-00-00", 2, "铁路、船舶、航空设备制造人员", ""),
    ("6-29-00-00", 2, "建筑施工人员", ""),
    ("6-30-00-00", 2, "运输设备和通用工程机械操作人员及有关人员", ""),
    ("6-31-00-00", 2, "生产辅助人员", ""),
    ("2-02-10-03", 4, "计算机软件工程技术人员", "程序员,软件工程师,java开发,前端开发,后端开发"),
    ("2-05-08-00", 3, "护理人员", "护士,护师,责任护士"),
    ("2-06-03-00", 4, "会计专业人员", "会计,出纳,财务,会计师,成本会计"),
    ("2-08-03-00", 4, "幼儿园教师", "幼师,幼儿教师"),
    ("3-01-02-02", 4, "秘书", "经理助理,行政助理"),
    ("3-01-02-05", 4, "打字员", "文员,办公室文员,录入员"),
    ("3-01-04-01", 4, "村务和社区工作者", "社区工作者,网格员,村级协管员"),
    ("4-01-01-00", 4, "采购员", "采购,采购专员"),
    ("4-01-02-01", 4, "营销员", "销售,业务员,销售代表,电话销售"),
    ("4-01-02-03", 4, "商品营业员", "营业员,导购,导购员,店员"),
    ("4-01-02-04", 4, "收银员", "收银"),
    ("4-01-06-01", 4, "电子商务师", "电商运营,网店运营,直播带货"),
    ("4-02-02-01", 4, "客运车辆驾驶员", "司机,客车司机,大巴司机,网约车司机,出租车司机"),
    ("4-02-02-02", 4, "道路货运汽车驾驶员", "货车司机,货运司机,送货司机"),
    ("4-02-05-01", 4, "装卸搬运工", "搬运工,装卸工,力工"),
    ("4-02-06-01", 4, "仓储管理员", "仓管,仓管员,仓库管理员,库管"),
    ("4-02-06-02", 4, "理货员", "分拣员,拣货员,打包员"),
    ("4-02-07-08", 4, "快递员", "快递小哥,收派员,快递取件员"),
    ("4-03-01-02", 4, "客房服务员", "酒店客房服务员"),
    ("4-03-02-01", 4, "中式烹调师", "厨师,中餐厨师,厨工,帮厨,切配"),
    ("4-03-02-02", 4, "中式面点师", "面点师"),
    ("4-03-02-05", 4, "餐厅服务员", "服务员,传菜员,洗碗工"),
    ("4-04-05-03", 4, "呼叫中心服务员", "客服,电话客服,在线客服,话务员"),
    ("4-06-01-01", 4, "物业管理师", "物业管理员,物业客服"),
    ("4-06-01-03", 4, "停车管理员", "停车场收费员"),
    ("4-07-04-01", 4, "导游", "导游员"),
    ("4-07-05-01", 4, "保安员", "保安,门卫,巡逻员"),
    ("4-07-05-02", 4, "安检员", ""),
    ("4-09-08-01", 4, "保洁员", "保洁,清洁工,保洁工"),
    ("4-09-10-01", 4, "园林绿化工", "绿化工,园林工"),
    ("4-10-01-03", 4, "保育师", "育婴员,育婴师,保育员"),
    ("4-10-01-05", 4, "养老护理员", "养老院护理员,老人护理"),
    ("4-10-01-06", 4, "家政服务员", "家政,保姆,月嫂,钟点工,育儿嫂"),
    ("4-10-03-01", 4, "美容师", ""),
    ("4-10-03-02", 4, "美发师", "理发师,发型师"),
    ("4-10-08-01", 4, "网约配送员", "外卖骑手,外卖员,骑手,送餐员,配送员"),
    ("4-12-01-01", 4, "汽车维修工", "汽修工,汽车修理工"),
    ("4-14-01-02", 4, "医疗护理员", "护工,陪护"),
    ("5-04-02-01", 4, "水生动物饲养工", "海参养殖工,扇贝养殖工,水产养殖工"),
    ("5-04-03-01", 4, "水产捕捞工", "捕捞工"),
    ("5-04-03-02", 4, "渔业船员", "渔船船员,渔民,海员"),
    ("6-01-05-01", 4, "水产品加工工", "水产加工,海产品加工,海参加工,鱼类加工,海带加工,扇贝加工"),
    ("6-02-03-02", 4, "冷冻食品制作工", "速冻食品工"),
    ("6-05-01-03", 4, "缝纫工", "车缝工,缝纫机工"),
    ("6-14-01-01", 4, "橡胶制品生产工", "轮胎成型工,硫化工,炼胶工"),
    ("6-14-02-00", 4, "塑料制品成型制作工", "注塑工,注塑机操作工,吹塑工"),
    ("6-18-01-01", 4, "车工", "普车工"),
    ("6-18-01-07", 4, "多工序数控机床操作调整工", "数控操机,cnc操机,数控车工,加工中心操作工"),
    ("6-18-02-04", 4, "焊工", "电焊工,电焊,氩弧焊工,二保焊工,气焊工,船舶电焊工"),
    ("6-18-03-03", 4, "涂装工", "喷漆工,喷涂工,油漆工"),
    ("6-20-01-01", 4, "装配钳工", "钳工,装配工"),
    ("6-21-06-01", 4, "医疗器械装配工", "医疗器械组装工"),
    ("6-23-02-01", 4, "金属船体制造工", "船体装配工,船舶铆工,船厂装配工"),
    ("6-23-02-02", 4, "船舶机械装配工", "船舶管系工,船舶钳工"),
    ("6-23-02-03", 4, "船舶电气装配工", "船舶电工"),
    ("6-29-01-01", 4, "砌筑工", "瓦工,泥瓦工"),
    ("6-29-01-04", 4, "钢筋工", ""),
    ("6-29-02-15", 4, "管道工", "水暖工"),
    ("6-30-05-01", 4, "起重装卸机械操作工", "叉车司机,叉车工,铲车司机,行车工,天车工"),
    ("6-31-01-02", 4, "机修钳工", "机修工,设备维修工"),
    ("6-31-01-03", 4, "电工", "维修电工,水电工,低压电工"),
    ("6-31-03-05", 4, "质检员", "品检员,检验员,品检"),
    ("6-31-05-00", 4, "包装工", "包装员"),
)


class OccupationError(RuntimeError):
    """An occupation action that cannot go ahead; the message says what to do."""


class BadFile(OccupationError):
    """A file that lacks the columns its format needs (nothing was written)."""


# -- import -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[int, str]] = field(default_factory=list)

    def skip(self, line: int, reason: str) -> None:
        self.skipped[reason.split(":")[0]] += 1
        if len(self.examples) < 20:
            self.examples.append((line, reason))

    def lines(self) -> list[str]:
        out = [
            f"rows read: {self.rows}",
            f"occupations created: {self.created}, updated: {self.updated}, "
            f"unchanged: {self.unchanged}",
            f"repeated codes merged: {self.duplicates}",
            f"rows skipped: {sum(self.skipped.values())}",
        ]
        out += [f"  {count} × {reason}" for reason, count in self.skipped.most_common()]
        out += [f"  line {line}: {reason}" for line, reason in self.examples]
        return out


def _split_aliases(raw: str, name: str) -> list[str]:
    aliases = (alias.strip() for alias in raw.replace("，", ",").split(","))
    return [a for a in dict.fromkeys(aliases) if a and a != name]


def _row_values(row: dict[str, str | None]) -> dict[str, Any]:
    """The columns of one CSV row, checked; raises ValueError with the reason."""
    code = (row.get("code") or "").strip()
    name = (row.get("name") or "").strip()
    if not code:
        raise ValueError("no code")
    if not _CODE.match(code):
        raise ValueError(f"code is not like 4-02-06-01: {code[:20]!r}")
    if not name:
        raise ValueError(f"no name: {code}")
    raw_level = (row.get("level") or "").strip()
    if raw_level not in {"1", "2", "3", "4"}:
        raise ValueError(f"level is not 1–4: {raw_level[:10]!r}")
    level = int(raw_level)
    # a 大类 is X-00-00-00, a 中类 X-XX-00-00, a 小类 X-XX-XX-00; a 细类 may end in -00 too
    if level < 4 and any(part != "00" for part in code.split("-")[level:]):
        raise ValueError(f"level {level} does not fit code: {code}")
    return {
        "code": code,
        "name": name[:120],
        "level": level,
        "definition": (row.get("definition") or "").strip(),
        "tasks": (row.get("tasks") or "").strip(),
        "aliases": ",".join(_split_aliases(row.get("alias") or row.get("aliases") or "", name)),
    }


def parent_of(code: str, known: set[str]) -> str | None:
    """The nearest coarser code among `known` (4-01-02-01 → 4-01-02-00, else 4-01-00-00...)."""
    parts = code.split("-")
    for depth in (3, 2, 1):
        candidate = "-".join(parts[:depth] + ["00"] * (4 - depth))
        if candidate != code and candidate in known:
            return candidate
    return None


def _upsert(
    session: Session,
    rows: dict[str, tuple[int, dict[str, Any]]],
    report: ImportReport,
    progress: Progress | None,
    overwrite: bool = True,
) -> None:
    existing = {o.code: o for o in session.scalars(select(Occupation))}
    known = set(existing) | set(rows)
    level = 0
    for _line, values in sorted(rows.values(), key=lambda item: (item[1]["level"], item[0])):
        if values["level"] != level:
            # coarser levels are written first: every parent row exists before its children
            session.flush()
            level = values["level"]
        values = {**values, "parent_code": parent_of(values["code"], known)}
        current = existing.get(values["code"])
        if current is None:
            session.add(Occupation(**values))
            report.created += 1
        elif overwrite and any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            report.updated += 1
        else:
            report.unchanged += 1
        if progress is not None:
            progress(1)
    session.flush()


def import_occupations(
    session: Session, path: Path, progress: Progress | None = None
) -> ImportReport:
    """Upsert the classification from a CSV in the csco2022.csv format; safe to repeat.

    Runs inside the caller's transaction. Bad rows are skipped and reported with their line;
    a code given twice keeps its finer level (the file lists some 小类 again as their 细类).
    """
    report = ImportReport()
    rows: dict[str, tuple[int, dict[str, Any]]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise BadFile(f"{path.name} lacks the column(s) {', '.join(missing)}")
        line = reader.line_num + 1
        for row in reader:
            report.rows += 1
            try:
                values = _row_values(row)
            except ValueError as error:
                report.skip(line, str(error))
            else:
                earlier = rows.get(values["code"])
                if earlier is not None:
                    report.duplicates += 1
                if earlier is None or values["level"] > earlier[1]["level"]:
                    rows[values["code"]] = (line, values)
            line = reader.line_num + 1  # a quoted field may span lines: the next row starts here
    _upsert(session, rows, report, progress)
    return report


def import_builtin_occupations(session: Session) -> ImportReport:
    """Add our own short list (for the demo); codes already present, e.g. from the published
    file, are left as they are."""
    rows = {
        code: (n, {"code": code, "level": level, "name": name, "aliases": aliases})
        for n, (code, level, name, aliases) in enumerate(BUILTIN, start=1)
    }
    for _n, values in rows.values():
        values.update(definition="", tasks="")
    report = ImportReport(rows=len(rows))
    _upsert(session, rows, report, None, overwrite=False)
    return report


# -- training and the model file ----------------------------------------------------------


def training_occupations(session: Session) -> list[occupation_matching.Occupation]:
    """The database's classification as the classifier takes it, with our own aliases added."""
    ours = {code: aliases.split(",") for code, _, _, aliases in BUILTIN if aliases}
    return [
        occupation_matching.Occupation(
            code=o.code,
            name=o.name,
            level=o.level,
            definition=o.definition,
            tasks=o.tasks,
            # Weihai's words (海参加工, 叉车司机...) are facts the published file lacks
            aliases=tuple(
                dict.fromkeys([*filter(None, o.aliases.split(",")), *ours.get(o.code, ())])
            ),
        )
        for o in session.scalars(select(Occupation).order_by(Occupation.code))
    ]


def _require_occupations(session: Session) -> list[occupation_matching.Occupation]:
    occupations = training_occupations(session)
    if not occupations:
        raise OccupationError(
            "no occupations in the database: run `flask occupation import FILE.csv` "
            "(or `flask occupation import --builtin` for our short list)"
        )
    return occupations


def new_classifier(session: Session) -> OccupationClassifier:
    """A classifier that tokenises with the same dictionary words as search."""
    return OccupationClassifier(extra_words=tuple(dictionary_words(session)))


def read_labeled_titles(path: Path) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """(title, code) pairs of a labelled CSV (job_name, expected_code), and skipped rows."""
    pairs: list[tuple[str, str]] = []
    skipped: list[tuple[int, str]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in LABELED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise BadFile(f"{path.name} lacks the column(s) {', '.join(missing)}")
        line = reader.line_num + 1
        for row in reader:
            title = (row.get("job_name") or "").strip()
            code = (row.get("expected_code") or "").strip()
            if title and code:
                pairs.append((title, code))
            else:
                skipped.append((line, "no title" if not title else "no expected code"))
            line = reader.line_num + 1
    return pairs, skipped


def evaluate_labeled(
    session: Session,
    labeled: list[tuple[str, str]],
    n_splits: int = 5,
    progress: Progress | None = None,
) -> occupation_matching.Evaluation:
    """Ours against the baseline on labelled titles, learning from them across folds only."""
    occupations = _require_occupations(session)
    try:
        return occupation_matching.evaluate(
            occupations,
            labeled,
            classifier=new_classifier(session),
            n_splits=n_splits,
            progress=progress,
        )
    except ValueError as error:  # too few titles for the folds
        raise OccupationError(str(error)) from error


def model_path(instance_path: str | Path) -> Path:
    return Path(instance_path) / MODEL_FILE


def train_classifier(
    session: Session,
    instance_path: str | Path,
    labeled: list[tuple[str, str]] | None = None,
    progress: Progress | None = None,
) -> ModelMetadata:
    """Train on the database's classification (and labelled titles), save it, return its header.

    With labelled titles, the metrics stored are those of a grouped 5-fold cross-validation
    of the same configuration: the saved model learned every title, so it cannot score them.
    """
    occupations = _require_occupations(session)
    metrics: dict[str, Any] = {}
    if labeled:
        evaluation = evaluate_labeled(session, labeled, progress=progress)
        metrics = {**evaluation.as_dict(), "cross_validation": f"{evaluation.folds}-fold grouped"}
    classifier = new_classifier(session).fit(occupations, labeled or ())
    if progress is not None:
        progress(1)
    metadata = model_metadata(
        MODEL_KIND,
        FEATURE_NAMES,
        metrics=metrics,
        training={
            "occupations": len(occupations),
            "classes": len(classifier.classes_),
            "labeled_titles": classifier.n_labeled_titles_,
            "tokenizer_version": classifier.tokenizer_version_,
            "parameters": {k: v for k, v in classifier.get_params().items() if k != "extra_words"},
        },
    )
    return save_model(model_path(instance_path), classifier, metadata)


def load_classifier(instance_path: str | Path) -> tuple[OccupationClassifier, ModelMetadata]:
    """The trained classifier of this instance (raises ModelRefused when absent or stale)."""
    model, metadata = load_model(
        model_path(instance_path),
        MODEL_KIND,
        expected_features=FEATURE_NAMES,
        trusted_dir=instance_path,
    )
    if not isinstance(model, OccupationClassifier):
        raise OccupationError(f"{model_path(instance_path)} does not hold an occupation classifier")
    return model, metadata


# -- labelling jobs -----------------------------------------------------------------------


@dataclass
class LabelReport:
    jobs: int = 0
    changed: int = 0


def count_jobs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Job)) or 0


def label_jobs(
    session_factory: Callable[[], Session],
    classifier: OccupationClassifier,
    batch_size: int = 2000,
    progress: Progress | None = None,
) -> LabelReport:
    """Set every job's occupation code and name from its title, a committed batch at a time.

    Jobs whose code changes are queued for re-indexing in the same transaction.
    """
    report = LabelReport()
    last_id = 0
    while True:
        session = session_factory()
        try:
            rows = session.execute(
                select(Job.id, Job.title, Job.occupation_code, Job.occupation_name)
                .where(Job.id > last_id)
                .order_by(Job.id)
                .limit(batch_size)
            ).all()
            if not rows:
                break
            codes = classifier.predict([row.title for row in rows])
            changes = [
                {"id": row.id, "occupation_code": code, "occupation_name": classifier.name_of(code)}
                for row, code in zip(rows, codes, strict=True)
                if (row.occupation_code, row.occupation_name) != (code, classifier.name_of(code))
            ]
            if changes:
                session.execute(update(Job), changes)
                enqueue(session, [change["id"] for change in changes])
            session.commit()
        finally:
            session.close()
        report.jobs += len(rows)
        report.changed += len(changes)
        last_id = rows[-1].id
        if progress is not None:
            progress(len(rows))
    return report
