"""The demo's catalogue: invented employers, openings, names and shares (our own, not ../shared).

Kept apart from `seed.py` so that the builder reads as code and the catalogue as a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.education import EducationLevel as E
from indexer.salary import SalaryUnit
from marketplace.employers.models import KeyCategory
from marketplace.jobs.models import JobKind
from marketplace.seekers.models import ApplicationStatus, TargetGroup

# Short names (and E for EducationLevel) keep the catalogue below readable as a table.
MONTH, DAY, HOUR, PIECE = SalaryUnit.MONTH, SalaryUnit.DAY, SalaryUnit.HOUR, SalaryUnit.PIECE
FT, PT, ODD = JobKind.FULL_TIME, JobKind.PART_TIME, JobKind.ODD_JOB


@dataclass(frozen=True)
class Opening:
    """A kind of vacancy: its title, what the work is, what it asks and what it pays."""

    title: str
    duty: str
    requirement: str
    skills: str
    unit: SalaryUnit
    low: float  # pay range per unit that postings of this opening fall in
    high: float
    education: tuple[E, ...] = (E.NONE,)
    experience: int = 0  # most years a posting asks for


def _o(
    title: str,
    duty: str,
    requirement: str,
    skills: str,
    pay: tuple[SalaryUnit, float, float],
    education: tuple[E, ...] = (E.NONE,),
    experience: int = 0,
) -> Opening:
    return Opening(title, duty, requirement, skills, pay[0], pay[1], pay[2], education, experience)


# The catalogue below is data, kept one opening to three lines so that it reads as a table.
# fmt: off
_LOADING = _o("装卸工", "负责货车和集装箱货物的装卸、码垛，配合仓库完成出入库",
    "身体健康，能吃苦耐劳，有装卸经验者优先", "装卸,码垛",
    (DAY, 200, 300))
_FORKLIFT = _o("叉车司机", "负责原材料和成品的叉车转运、装车，做好叉车日常点检",
    "持有效叉车证，一年以上驾驶经验", "叉车证,仓储",
    (MONTH, 5500, 8000), (E.JUNIOR_MIDDLE, E.SENIOR_HIGH), 1)
_EXPORT_SALES = _o("外贸业务员", "负责日韩及欧美客户的开发与维护，跟进报价、订单、出运和收汇",
    "英语或日语、韩语读写流利，熟悉外贸单证流程，有相关行业经验者优先", "外贸,英语,单证",
    (MONTH, 5000, 10000), (E.ASSOCIATE, E.BACHELOR), 1)

# Openings by sector and kind of job: sectors are Weihai's industries (DESIGN.md) plus services.
OPENINGS: dict[str, dict[JobKind, tuple[Opening, ...]]] = {
    "seafood": {
        FT: (
            _o("水产加工工", "负责海参、扇贝、鱿鱼等海产品的清洗、去壳、分级和速冻",
               "能适应低温车间环境，手脚麻利，无经验可培训上岗", "水产加工,分级,速冻",
               (MONTH, 4500, 7500), (E.NONE, E.JUNIOR_MIDDLE)),
            _o("普工", "负责海带、裙带菜等产品的切割、腌制和包装，完成班组每日生产任务",
               "身体健康，吃苦耐劳，服从车间安排", "包装,流水线", (MONTH, 4000, 6500),
               (E.NONE, E.JUNIOR_MIDDLE)),
            _o("质检员", "负责原料验收、生产过程抽检和成品检验，填写检验记录并跟踪不合格品",
               "食品或水产相关专业优先，熟悉HACCP体系，工作细心", "食品检验,HACCP,品控",
               (MONTH, 4500, 7000), (E.SECONDARY_VOCATIONAL, E.ASSOCIATE), 1),
            _o("冷库管理员", "负责冷库货物的出入库登记、库位规划和温度巡检，定期盘点库存",
               "会使用电脑和仓储系统，有冷链仓储经验者优先", "冷库管理,出入库,盘点",
               (MONTH, 4500, 6500), (E.SENIOR_HIGH, E.SECONDARY_VOCATIONAL), 1),
            _EXPORT_SALES,
        ),
        PT: (
            _o("水产包装工（旺季）", "旺季协助车间完成成品称重、装箱和贴标",
               "每周能出勤三天以上，可选白班或晚班", "包装,称重", (DAY, 150, 220)),
        ),
        ODD: (
            _o("水产分拣工", "在码头或车间对当天渔获进行分拣、分级和装筐",
               "能早起，手脚麻利，按斤计件，多劳多得", "水产分拣", (PIECE, 0.3, 1.0)),
            _o("水产分拣（日结）", "配合渔船靠港卸货，对鱼虾贝类分拣装箱",
               "能早起，吃苦耐劳，无经验可现场教", "水产分拣,装箱", (DAY, 180, 260)),
            _o("扇贝开壳工", "在车间完成扇贝开壳、取柱和清洗", "会使用开壳刀，按斤计件，熟练工优先",
               "扇贝加工", (PIECE, 0.8, 2.0)),
            _o("海带晾晒工", "协助完成海带的装卸、晾晒和收捆", "能适应户外作业，旺季清晨开工",
               "海带晾晒", (DAY, 160, 240)),
            _LOADING,
        ),
    },
    "shipbuilding": {
        FT: (
            _o("船舶电焊工", "负责船体分段和舾装件的焊接，按图纸和焊接工艺施工",
               "持有效焊工证，熟练掌握CO2气体保护焊，会立焊、仰焊者优先",
               "电焊,焊工证,CO2保护焊,识图", (MONTH, 8000, 12000),
               (E.JUNIOR_MIDDLE, E.SECONDARY_VOCATIONAL), 2),
            _o("涂装工", "负责船体分段的打砂、除锈和喷涂，做好涂层质量自检",
               "有喷涂或打砂经验，能按要求佩戴防护用品", "喷涂,打砂,涂装", (MONTH, 7000, 11000),
               (E.JUNIOR_MIDDLE, E.SECONDARY_VOCATIONAL), 1),
            _o("船舶管系工", "负责船舶管系的下料、弯管、安装和打压试验",
               "能看懂管系图，有船厂或管道安装经验者优先", "管系安装,识图", (MONTH, 7000, 11000),
               (E.SECONDARY_VOCATIONAL,), 2),
            _o("船舶电工", "负责船舶电缆敷设、设备接线和调试",
               "持低压电工作业证，熟悉船舶电气系统者优先", "电工证,电缆敷设,电气调试",
               (MONTH, 7000, 11000), (E.SECONDARY_VOCATIONAL, E.ASSOCIATE), 2),
            _o("行车工", "负责车间桥式起重机的操作和日常点检，配合分段吊装",
               "持起重机械作业证，有行车操作经验", "行车,起重机械作业证", (MONTH, 6000, 8500),
               (E.JUNIOR_MIDDLE, E.SECONDARY_VOCATIONAL), 1),
            _o("安全员", "负责船坞和车间的安全巡查、隐患整改跟踪和班前安全教育",
               "持安全员证或注册安全工程师证书者优先，熟悉造船作业风险", "安全管理,隐患排查",
               (MONTH, 6000, 10000), (E.ASSOCIATE, E.BACHELOR), 2),
        ),
        PT: (),
        ODD: (
            _o("电焊工（临时）", "船厂赶工期，临时招电焊工进行分段焊接",
               "持焊工证，自带劳保用品，能连续出勤一周以上", "电焊,焊工证", (DAY, 250, 300)),
            _o("打磨工", "负责焊缝及钢板表面的打磨清理", "能适应噪声和粉尘环境，厂方提供防护用品",
               "打磨", (DAY, 180, 250)),
            _o("脚手架工", "负责船坞脚手架的搭设和拆除", "持登高架设作业证", "登高作业证,架子工",
               (DAY, 220, 300)),
        ),
    },
    "medical": {
        FT: (
            _o("医疗器械装配工", "在洁净车间完成输液器、注射器等产品的组装、检漏和包装",
               "视力良好，能适应洁净车间着装要求，无经验可培训", "装配,洁净车间,GMP",
               (MONTH, 4500, 7000), (E.JUNIOR_MIDDLE, E.SENIOR_HIGH)),
            _o("注塑工", "负责注塑机的上下料、产品修边和首件自检", "能适应两班倒，有注塑经验者优先",
               "注塑,设备操作", (MONTH, 5000, 7500), (E.JUNIOR_MIDDLE, E.SECONDARY_VOCATIONAL)),
            _o("质检员", "负责来料、过程和成品检验，按GMP要求做好检验记录",
               "药学、医疗器械或化学相关专业，熟悉ISO 13485者优先", "质量检验,GMP,ISO13485",
               (MONTH, 5000, 8000), (E.ASSOCIATE, E.BACHELOR), 1),
            _o("灭菌工", "负责环氧乙烷灭菌柜的装载、操作和灭菌记录",
               "责任心强，持压力容器操作证者优先", "灭菌,压力容器", (MONTH, 5000, 7500),
               (E.SENIOR_HIGH, E.SECONDARY_VOCATIONAL), 1),
            _o("研发工程师", "参与一次性医用耗材的新产品设计、试产验证和注册资料编写",
               "生物医学工程或高分子材料等相关专业，熟练使用三维绘图软件",
               "产品设计,SolidWorks,注册资料", (MONTH, 8000, 12000), (E.BACHELOR, E.MASTER), 2),
            _o("注册专员", "负责二类、三类医疗器械的注册申报和体系文件维护",
               "熟悉医疗器械法规，有注册申报经验者优先", "医疗器械注册,法规", (MONTH, 6000, 10000),
               (E.BACHELOR,), 2),
        ),
        PT: (
            _o("包装工（兼职）", "协助车间完成产品装盒、封口和贴标",
               "每周出勤不少于三天，每天四小时起", "包装", (HOUR, 20, 25)),
        ),
        ODD: (_LOADING,),
    },
    "textile": {
        FT: (
            _o("缝纫工", "负责家纺或服装的平车、包缝、拼接等工序",
               "会使用平缝机、包缝机，熟练工优先，生手可培训", "平车,包缝,缝纫",
               (MONTH, 4500, 8000), (E.NONE, E.JUNIOR_MIDDLE), 1),
            _o("裁剪工", "按排版图进行面料铺布、裁剪和编号", "有裁床经验者优先", "裁剪,铺布",
               (MONTH, 5000, 7500), (E.JUNIOR_MIDDLE,), 1),
            _o("整烫工", "负责成衣的整烫、定型和折叠", "会使用蒸汽熨斗和整烫设备", "整烫",
               (MONTH, 4500, 6500), (E.NONE, E.JUNIOR_MIDDLE)),
            _o("跟单员", "负责订单从打样、面辅料采购到生产、出货的全流程跟进",
               "熟悉服装生产流程，会使用办公软件，懂外语者优先", "跟单,面辅料,Excel",
               (MONTH, 5000, 8000), (E.ASSOCIATE, E.BACHELOR), 1),
            _o("服装设计师", "负责针织服装的款式设计、打样沟通和版型调整",
               "服装设计相关专业，会使用CorelDRAW或Illustrator", "服装设计,CorelDRAW,制版",
               (MONTH, 6000, 10000), (E.ASSOCIATE, E.BACHELOR), 2),
            _EXPORT_SALES,
        ),
        PT: (
            _o("手工钉扣工", "领取半成品完成钉扣、剪线头等手工活，可在家做", "手工细致，按件计酬",
               "手工,剪线头", (PIECE, 0.1, 0.5)),
        ),
        ODD: (
            _o("搬运工", "负责面料和成品的搬运、入库", "身体健康，能吃苦", "搬运", (DAY, 150, 220)),
        ),
    },
    "tyre": {
        FT: (
            _o("轮胎成型工", "操作成型机完成胎体、带束层和胎面的贴合成型",
               "能适应三班倒，有橡胶轮胎行业经验者优先", "成型,橡胶,设备操作", (MONTH, 7000, 11000),
               (E.JUNIOR_MIDDLE, E.SECONDARY_VOCATIONAL)),
            _o("硫化工", "负责硫化机的装胎、出胎和工艺参数点检", "身体健康，能适应高温车间",
               "硫化,设备点检", (MONTH, 7000, 10000), (E.JUNIOR_MIDDLE, E.SECONDARY_VOCATIONAL)),
            _o("密炼工", "负责密炼机投料、混炼和胶料质量记录",
               "责任心强，有化工或橡胶行业经验者优先", "密炼,胶料", (MONTH, 6500, 9500),
               (E.JUNIOR_MIDDLE, E.SECONDARY_VOCATIONAL), 1),
            _o("设备维修工", "负责生产设备的日常保养、故障维修和备件管理",
               "机电一体化相关专业，持电工证，会看电气图纸", "设备维修,电工证,PLC",
               (MONTH, 7000, 11000), (E.SECONDARY_VOCATIONAL, E.ASSOCIATE), 2),
            _o("质检员", "负责成品轮胎的外观和X光检测，记录并反馈质量问题", "视力良好，责任心强",
               "质量检验,X光检测", (MONTH, 5500, 8000), (E.SENIOR_HIGH, E.SECONDARY_VOCATIONAL)),
            _FORKLIFT,
        ),
        PT: (),
        ODD: (
            _o("装卸工（轮胎装柜）", "负责成品轮胎装柜、码垛", "身体强壮，能吃苦", "装卸,码垛",
               (DAY, 200, 300)),
        ),
    },
    "tourism": {
        FT: (
            _o("酒店前台接待", "负责宾客入住、退房登记，解答咨询并处理预订",
               "普通话标准，会简单英语或韩语者优先", "前台接待,酒店管理系统,英语",
               (MONTH, 4000, 6000), (E.SECONDARY_VOCATIONAL, E.ASSOCIATE)),
            _o("客房服务员", "负责客房清洁、布草更换和物品补充", "认真细致，有星级酒店经验者优先",
               "客房服务,清洁", (MONTH, 4000, 5500), (E.NONE, E.JUNIOR_MIDDLE)),
            _o("厨师", "负责海鲜和鲁菜热菜的烹制，参与菜品研发和成本控制",
               "持健康证，擅长海鲜菜者优先", "鲁菜,海鲜烹饪,健康证", (MONTH, 6000, 10000),
               (E.JUNIOR_MIDDLE, E.SECONDARY_VOCATIONAL), 3),
            _o("导游", "带领旅游团游览刘公岛、成山头等景区，做好讲解和行程安排",
               "持导游证，普通话标准，熟悉威海的景点和历史文化", "导游证,讲解,普通话",
               (MONTH, 5000, 9000), (E.ASSOCIATE, E.BACHELOR), 1),
            _o("餐厅服务员", "负责餐厅迎宾、点菜、传菜和席面服务", "热情开朗，能适应轮班",
               "餐饮服务", (MONTH, 4000, 5500), (E.NONE, E.JUNIOR_MIDDLE)),
            _o("景区讲解员", "负责游客接待和景点讲解，协助维护游览秩序",
               "普通话标准，形象亲和，应届毕业生可培训", "讲解,普通话", (MONTH, 4000, 6000),
               (E.ASSOCIATE,)),
        ),
        PT: (
            _o("宴会服务员（兼职）", "周末和节假日宴会的摆台、传菜和收台",
               "可周末出勤，有餐饮经验者优先", "餐饮服务", (HOUR, 22, 30)),
            _o("景区讲解员（周末）", "周末和节假日在景区为散客讲解", "普通话标准，口齿清楚", "讲解",
               (DAY, 150, 220), (E.ASSOCIATE,)),
        ),
        ODD: (
            _o("保洁员（旺季临时）", "负责酒店公共区域或海水浴场沙滩的清洁", "能早起，认真负责",
               "保洁", (HOUR, 20, 28)),
        ),
    },
    "logistics": {
        FT: (
            _o("仓管员", "负责货物的入库验收、出库复核和库存盘点，维护仓储系统数据",
               "会使用电脑和扫码枪，有仓储经验者优先", "仓储管理,WMS,盘点", (MONTH, 4500, 7000),
               (E.SENIOR_HIGH, E.ASSOCIATE), 1),
            _o("货车司机", "负责威海市内及周边的普货或冷链运输，做好车辆日常检查",
               "持B2及以上驾驶证和道路运输从业资格证，三年以上驾龄", "B2驾照,从业资格证",
               (MONTH, 7000, 11000), (E.JUNIOR_MIDDLE, E.SENIOR_HIGH), 3),
            _o("快递分拣员", "负责包裹的扫描、分拣和装车", "能适应夜班，手脚麻利", "分拣,扫码",
               (MONTH, 4500, 6500), (E.NONE, E.JUNIOR_MIDDLE)),
            _o("报关员", "负责进出口货物的报关单证制作和与海关的沟通",
               "熟悉报关流程和单一窗口操作，英语读写良好", "报关,单证,英语", (MONTH, 5000, 8000),
               (E.ASSOCIATE, E.BACHELOR), 1),
            _FORKLIFT,
        ),
        PT: (
            _o("快递分拣员（夜班兼职）", "晚间协助分拨中心完成包裹卸车和分拣", "每周能出勤三晚以上",
               "分拣", (HOUR, 22, 30)),
            _o("同城配送员", "负责市区内商超订单的配送，按单计酬", "自备电动车，熟悉市区道路",
               "配送,电动车", (PIECE, 4, 8)),
        ),
        ODD: (
            _LOADING,
            _o("搬运工", "负责家具、设备和办公物品的搬运", "身体健康，做事稳当", "搬运",
               (HOUR, 25, 35)),
        ),
    },
    "retail": {
        FT: (
            _o("超市理货员", "负责商品上架、补货、价签核对和临期商品检查", "身体健康，有责任心",
               "理货,陈列", (MONTH, 4000, 5000), (E.NONE, E.JUNIOR_MIDDLE)),
            _o("收银员", "负责收银结算、票据整理和顾客咨询", "会使用收银系统，细心诚实", "收银",
               (MONTH, 4000, 5000), (E.JUNIOR_MIDDLE, E.SENIOR_HIGH)),
            _o("门店店长", "负责门店日常经营、人员排班、库存和损耗控制", "三年以上连锁零售管理经验",
               "门店管理,排班,库存", (MONTH, 7000, 11000), (E.ASSOCIATE,), 3),
            _o("生鲜加工员", "负责海鲜、肉类等生鲜商品的分割、加工和陈列", "持健康证",
               "生鲜加工,健康证", (MONTH, 4500, 6500), (E.NONE, E.JUNIOR_MIDDLE)),
        ),
        PT: (
            _o("促销员", "周末在超市门店进行商品推介和试吃活动", "口齿伶俐，周末可出勤",
               "促销,沟通", (HOUR, 20, 25)),
            _o("理货员（兼职）", "早晚高峰协助补货和整理货架", "每天可出勤三小时以上", "理货",
               (HOUR, 20, 24)),
        ),
        ODD: (
            _o("临时理货员（节前）", "节前备货期协助卸货、上架和堆头布置", "能连续出勤三天以上",
               "理货,卸货", (HOUR, 20, 26)),
        ),
    },
    "construction": {
        FT: (
            _o("施工员", "负责现场施工组织、进度和质量控制，编写施工日志",
               "土木工程相关专业，持施工员证，会使用CAD", "施工管理,识图,CAD", (MONTH, 6000, 10000),
               (E.ASSOCIATE, E.BACHELOR), 2),
            _o("资料员", "负责工程资料的收集、整理和归档", "会使用资料软件，持资料员证者优先",
               "工程资料,Excel", (MONTH, 4500, 6500), (E.ASSOCIATE,)),
            _o("电工", "负责项目的电气安装和临时用电维护", "持特种作业操作证（低压电工）",
               "电工证,电气安装", (MONTH, 6000, 9000), (E.SECONDARY_VOCATIONAL,), 2),
        ),
        PT: (),
        ODD: (
            _o("瓦工", "负责砌墙、抹灰和贴砖", "有三年以上瓦工经验，自带常用工具", "砌墙,抹灰,贴砖",
               (DAY, 250, 300), (E.NONE,), 3),
            _o("建筑小工", "协助师傅搬砖、和灰和清理现场", "身体健康，能吃苦", "搬运,和灰",
               (DAY, 180, 240)),
            _o("电焊工（钢结构）", "负责钢结构厂房的现场焊接", "持焊工证，能高空作业",
               "电焊,焊工证", (DAY, 250, 300), (E.NONE,), 2),
            _o("钢筋工", "负责钢筋的下料、绑扎和安装", "有钢筋绑扎经验", "钢筋绑扎",
               (DAY, 230, 300), (E.NONE,), 1),
        ),
    },
    "home": {
        FT: (
            _o("养老护理员", "负责老人的生活照料、协助进食和康复活动，做好护理记录",
               "持养老护理员证者优先，有爱心和耐心", "养老护理,护理员证", (MONTH, 4500, 6500),
               (E.JUNIOR_MIDDLE, E.SENIOR_HIGH)),
            _o("育婴员", "负责婴幼儿的日常照护、辅食制作和早期启蒙", "持育婴员证，有照护婴幼儿经验",
               "育婴员证,婴幼儿照护", (MONTH, 6000, 9000), (E.JUNIOR_MIDDLE, E.SENIOR_HIGH), 1),
            _o("家政服务员（住家）", "负责雇主家庭的日常保洁、做饭和老人陪护",
               "会做家常菜，持健康证", "保洁,烹饪,陪护", (MONTH, 5000, 7500), (E.NONE,), 1),
            _o("母婴护理师", "负责产妇和新生儿的护理、月子餐制作", "持母婴护理证书",
               "母婴护理,月子餐", (MONTH, 8000, 12000), (E.JUNIOR_MIDDLE, E.SENIOR_HIGH), 1),
        ),
        PT: (
            _o("钟点工", "按预约上门做日常保洁和整理收纳", "做事细致，守时", "保洁,收纳",
               (HOUR, 25, 35)),
        ),
        ODD: (
            _o("家政保洁", "上门做家庭日常保洁和厨房清洁", "做事细致，按小时计费", "保洁",
               (HOUR, 25, 35)),
            _o("开荒保洁", "负责新装修房屋的开荒清洁", "有开荒保洁经验者优先", "开荒保洁",
               (DAY, 200, 280)),
        ),
    },
    "farming": {
        FT: (
            _o("农技员", "负责果园或参园的田间管理和病虫害防治指导",
               "农学或园艺相关专业，会驾驶者优先", "田间管理,病虫害防治", (MONTH, 4500, 7000),
               (E.ASSOCIATE,), 1),
        ),
        PT: (),
        ODD: (
            _o("苹果采摘工", "负责苹果采摘、摘袋和分级装箱", "能适应户外作业", "采摘,分级",
               (DAY, 150, 200)),
            _o("茶叶采摘工", "清明前后采摘春茶鲜叶，按斤计酬", "手巧细致", "采茶", (PIECE, 20, 40)),
            _o("西洋参采挖工", "秋季协助采挖、清洗和晾晒西洋参", "能适应户外作业", "采挖,晾晒",
               (DAY, 160, 220)),
        ),
    },
}

# Office and support openings any manufacturing or trading employer may post.
SUPPORT_OPENINGS: tuple[Opening, ...] = (
    _o("会计", "负责日常账务处理、纳税申报和财务报表编制",
       "会计相关专业，持初级会计职称，熟练使用财务软件", "会计,初级会计职称,财务软件",
       (MONTH, 5000, 8000), (E.ASSOCIATE, E.BACHELOR), 2),
    _o("人事专员", "负责招聘、入离职手续、考勤与社保办理", "熟悉劳动法规，沟通能力好",
       "招聘,社保,考勤", (MONTH, 4500, 7000), (E.ASSOCIATE, E.BACHELOR), 1),
    _o("电工", "负责厂区配电、照明和设备电气维修", "持低压电工作业证，两年以上经验",
       "电工证,配电,电气维修", (MONTH, 6000, 9000), (E.SECONDARY_VOCATIONAL,), 2),
    _o("食堂厨师", "负责员工食堂的大锅菜和面点制作", "持健康证，有食堂工作经验者优先",
       "大锅菜,面点,健康证", (MONTH, 5000, 7000), (E.JUNIOR_MIDDLE,), 1),
)
# fmt: on
SUPPORTED_SECTORS = frozenset({"seafood", "shipbuilding", "medical", "textile", "tyre"})


@dataclass(frozen=True)
class DemoEmployer:
    name: str
    sector: str
    industry: str  # the label shown
    town_code: str
    size: int  # insured employees
    key: KeyCategory | None = None
    pending: bool = False
    org_type: str = "91"  # credit code's first two chars: 91 company, 93 co-op, 52 民办非企业


# fmt: off
ABOVE_SCALE, NEW_TARGET = KeyCategory.ABOVE_SCALE_INDUSTRIAL, KeyCategory.NEW_TARGET
OTHER_KEY = KeyCategory.OTHER
EMPLOYERS: tuple[DemoEmployer, ...] = (
    DemoEmployer("荣成市海润水产食品有限公司", "seafood", "水产品加工", "371082101", 860,
                 ABOVE_SCALE),
    DemoEmployer("威海鑫洋海产品加工有限公司", "seafood", "水产品加工", "371082002", 420,
                 NEW_TARGET),
    DemoEmployer("荣成市瑞丰海带制品有限公司", "seafood", "水产品加工", "371082102", 150),
    DemoEmployer("威海蓝湾冷链食品有限公司", "seafood", "水产品冷冻加工", "371082001", 230),
    DemoEmployer("文登区泽海水产有限公司", "seafood", "水产品加工", "371003108", 90),
    DemoEmployer("乳山市金滩牡蛎养殖专业合作社", "seafood", "海水养殖", "371083101", 35,
                 org_type="93"),
    DemoEmployer("威海海辰船舶重工有限公司", "shipbuilding", "船舶制造", "371082006", 1500,
                 ABOVE_SCALE),
    DemoEmployer("荣成市远航船舶配套有限公司", "shipbuilding", "船舶配套", "371082004", 180),
    DemoEmployer("威海港湾船舶修造有限公司", "shipbuilding", "船舶修理", "371072103", 320),
    DemoEmployer("乳山市银沙船业有限公司", "shipbuilding", "船舶制造", "371083102", 260),
    DemoEmployer("威海康瑞医疗器械有限公司", "medical", "医疗器械制造", "371071108", 1200,
                 ABOVE_SCALE),
    DemoEmployer("威海普安医用材料有限公司", "medical", "医用材料制造", "371071007", 380,
                 NEW_TARGET),
    DemoEmployer("威海安泰生物医疗科技有限公司", "medical", "医疗器械制造", "371072008", 60,
                 pending=True),
    DemoEmployer("文登区恒康医疗用品有限公司", "medical", "卫生材料制造", "371003400", 140),
    DemoEmployer("威海锦绣家纺有限公司", "textile", "家用纺织品制造", "371003002", 950,
                 ABOVE_SCALE),
    DemoEmployer("威海雅丽服饰有限公司", "textile", "服装制造", "371002100", 310),
    DemoEmployer("文登区宏达针织有限公司", "textile", "针织品制造", "371003106", 200),
    DemoEmployer("乳山市东润服装有限公司", "textile", "服装制造", "371083001", 170),
    DemoEmployer("荣成市海韵纺织品有限公司", "textile", "纺织品制造", "371082008", 120),
    DemoEmployer("威海华盛轮胎有限公司", "tyre", "轮胎制造", "371073107", 1800, ABOVE_SCALE),
    DemoEmployer("威海联亨橡胶制品有限公司", "tyre", "橡胶制品", "371002101", 260),
    DemoEmployer("荣成市驰远橡胶轮胎有限公司", "tyre", "轮胎制造", "371082010", 400),
    DemoEmployer("威海海悦度假酒店有限公司", "tourism", "住宿和餐饮", "371002003", 210, OTHER_KEY),
    DemoEmployer("乳山市银沙湾旅游开发有限公司", "tourism", "旅游景区管理", "371083103", 90),
    DemoEmployer("荣成市渔家乐文化旅游有限公司", "tourism", "乡村旅游", "371082104", 40),
    DemoEmployer("威海畅游国际旅行社有限公司", "tourism", "旅行社服务", "371002002", 30),
    DemoEmployer("威海暖泉度假酒店管理有限公司", "tourism", "住宿和餐饮", "371002102", 160),
    DemoEmployer("威海顺捷物流有限公司", "logistics", "道路货物运输", "371072009", 280),
    DemoEmployer("威海港联国际货运代理有限公司", "logistics", "国际货运代理", "371072010", 70),
    DemoEmployer("荣成市石岛冷链仓储有限公司", "logistics", "冷链仓储", "371082003", 110),
    DemoEmployer("威海快运达供应链管理有限公司", "logistics", "供应链管理", "371073112", 50,
                 pending=True),
    DemoEmployer("威海家和便民超市连锁有限公司", "retail", "连锁超市", "371002001", 540),
    DemoEmployer("文登区百润商贸有限公司", "retail", "百货零售", "371003001", 130),
    DemoEmployer("乳山市惠民生活超市有限公司", "retail", "连锁超市", "371083100", 160),
    DemoEmployer("威海建通建筑工程有限公司", "construction", "房屋建筑", "371002012", 350),
    DemoEmployer("荣成市鸿基建设工程有限公司", "construction", "房屋建筑", "371082007", 240),
    DemoEmployer("文登区安居装饰工程有限公司", "construction", "建筑装饰", "371003003", 45),
    DemoEmployer("威海贴心家政服务有限公司", "home", "家政服务", "371071004", 80),
    DemoEmployer("文登区康乐养老服务中心", "home", "养老服务", "371003100", 60, org_type="52"),
    DemoEmployer("荣成市好帮手家政服务有限公司", "home", "家政服务", "371082007", 55),
    DemoEmployer("乳山市午极茶果专业合作社", "farming", "茶叶和水果种植", "371083108", 25,
                 org_type="93"),
    DemoEmployer("文登区界石西洋参种植专业合作社", "farming", "中药材种植", "371003111", 20,
                 org_type="93"),
    DemoEmployer("威海临港区苘山果品专业合作社", "farming", "水果种植", "371073113", 30,
                 org_type="93", pending=True),
)
# fmt: on
EMPLOYER_ACCOUNT_OF = "荣成市海润水产食品有限公司"

# Towns that get a town-level employment station (镇街就业服务站).
STATION_TOWNS = (
    "371082101", "371082102", "371082002", "371082112", "371003100", "371003111",
    "371003108", "371083101", "371083103", "371071108", "371072103", "371073112",
)  # fmt: skip
# Invented village and community names for 村居服务站, each under a real town.
VILLAGE_POINTS = (
    ("371082101", "东滩村"), ("371082101", "渔港社区"), ("371082102", "望海村"),
    ("371082002", "海埠社区"), ("371082112", "槐树底村"), ("371082112", "北岚村"),
    ("371082107", "杏林村"), ("371003100", "南庄村"), ("371003111", "马岭村"),
    ("371003106", "河西村"), ("371003108", "前岛村"), ("371083101", "西河北村"),
    ("371083108", "卧龙村"), ("371083104", "石门村"), ("371083001", "花园社区"),
    ("371002100", "青松社区"), ("371002101", "柳林村"), ("371071108", "泉水村"),
    ("371072103", "后寨村"), ("371073113", "果园村"),
)  # fmt: skip
ROADS = ("工业路", "海滨路", "兴业路", "富民路", "振华路", "创业路", "渔港路", "科技路", "青年路")

# Weihai surnames are common nationwide; names are random pairings, nobody in particular.
SURNAMES = "王张刘于孙李丛曲毕谷鞠林宋姜徐赵陈杨郭邹汤梁高"
GIVEN = "明华丽伟静敏强磊洋艳勇军杰娟涛超霞平刚英海燕晓鹏宇欣悦婷浩宁梅丹波鑫晨雪"

BENEFITS_FULL_TIME = (
    "包吃住", "包住", "免费工作餐", "长白班", "班车接送", "带薪年假", "节日福利",
    "年终奖", "全勤奖", "技能补贴", "高温补贴", "定期体检",
)  # fmt: skip
# Odd jobs: the tag stored in `benefits` → how the posting says it.
ODD_EXTRAS = {
    "管午饭": "管午饭",
    "包车接送": "包车接送",
    "劳保用品": "提供劳保用品",
    "就近上工": "可就近上工",
}
ODD_PAY_LINES = {
    DAY: "工资日结",
    HOUR: "按小时计薪，当天结算",
    PIECE: "计件工资，多劳多得，当天结算",
    MONTH: "按月结算",
}
EXTRA_LINES = (
    "欢迎应届高校毕业生报名，提供岗前培训。",
    "欢迎退役军人、就业困难人员报名，同等条件优先录用。",
    "可就近到镇街就业服务站或村居服务站报名登记。",
)

# Shares (per cent) of the action plan's target groups among the demo seekers; "" = none.
# fmt: off
TARGET_SHARES = {
    TargetGroup.GRADUATE: 25, TargetGroup.MIGRANT_WORKER: 25, TargetGroup.VETERAN: 6,
    TargetGroup.EMPLOYMENT_DIFFICULTY: 10, TargetGroup.ZERO_EMPLOYMENT_HOUSEHOLD: 3,
    TargetGroup.DISABLED: 4, "": 27,
}
APPLICATION_SHARES = {
    ApplicationStatus.APPLIED: 50, ApplicationStatus.VIEWED: 20, ApplicationStatus.INTERVIEW: 15,
    ApplicationStatus.HIRED: 8, ApplicationStatus.NOT_SUITABLE: 7,
}
# fmt: on
