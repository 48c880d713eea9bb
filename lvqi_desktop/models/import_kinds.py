"""What each kind of Excel import (导入) has as columns: field key, header, synonyms, value type, notes.

Plain Python (no database), so the template writer, the column mapping, the cleaning rules and the
import service all read the same list. A field whose `codes` is a dict takes one of its labels (or
codes); a field whose `codes` is a str names a list the service fills from reference data
("counties", "townships", "sections", "pools", "tiers", "statuses").
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from lvqi_desktop.models import codes
from lvqi_desktop.models.demands import DEMAND_CATEGORIES
from lvqi_desktop.models.demands import DEMAND_SOURCES
from lvqi_desktop.models.demands import DEMAND_URGENCIES
from lvqi_desktop.models.demands import IMPORT_DEMAND_STATUSES
from lvqi_desktop.models.demands import SATISFACTIONS
from lvqi_desktop.models.helpers import ASSIGNMENT_ROLES
from lvqi_desktop.models.helpers import HELPER_LEVELS
from lvqi_desktop.models.visits import VISIT_CHANNELS

# value types: text, id (kept as text; 18-digit codes), money (万元), count, date, month (YYYY-MM),
# year, bool (是/否), code (one of `codes`), prose (free text: keeps full-width punctuation and line breaks)
YES_NO = {"yes": "是", "no": "否"}


@dataclass(frozen=True)
class ImportField:
    key: str  # EnterpriseDraft / YearDraft attribute, or "year"
    header: str  # the header our template writes (unit included where there is one)
    kind: str = "text"
    synonyms: tuple[str, ...] = ()
    required: bool = False
    codes: dict[str, str] | str | None = None
    note: str = ""
    example: str = ""
    yearly: bool = False  # one year's figure; the year comes from the 年度 column or a "2024年…" header

    @property
    def label(self) -> str:
        """The header without its unit: 营业收入（万元） → 营业收入."""
        return self.header.split("（")[0] if self.kind in ("money", "count") else self.header


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str  # 企业（含年度数据）
    fields: tuple[ImportField, ...]
    key_field: str = "uscc"  # rows are matched to stored records by this field
    notes: tuple[str, ...] = field(default_factory=tuple)

    def field(self, key: str) -> ImportField:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


_USCC = ImportField("uscc", "统一社会信用代码", "id", ("信用代码", "社会信用代码", "统一代码", "统一社会信用代码(18位)",
                                                    "企业信用代码", "组织机构代码/统一社会信用代码",
                                                    "社会统一信用代码", "统一信用代码", "统一社会信用代码(注册号)"),
                    required=True, note="18位，设为文本格式；不要让Excel显示成 9.1141E+17（那样后几位已丢失）",
                    example="91141102MA0K1234XJ")
_NAME = ImportField("name", "企业名称", "text", ("单位名称", "企业全称", "企业(单位)名称", "单位全称", "名称",
                                               "企业名称(全称)", "企业(单位)全称", "单位详细名称"), required=True,
                    note="与营业执照一致的全称", example="吕梁市某某机械制造有限公司")

# records hung on a firm find it by USCC; its name is there for the clerk to check by
_FIRM_NAME = replace(_NAME, required=False, note="便于核对；按统一社会信用代码匹配本单位企业库中的企业")

ENTERPRISES = ImportKind("enterprises", "企业（含年度数据）", (
    _USCC, _NAME,
    ImportField("county_code", "所属县（市、区）", "code", ("所属县区", "县(市、区)", "县市区", "县区", "所属县(市、区)",
                                                        "所在县区", "区县"), codes="counties",
                note="从下拉列表选择；县级单位导入时可不填（按本单位所属县区）", example="离石区"),
    ImportField("township_code", "乡镇（街道）", "code", ("所属乡镇", "乡镇", "乡镇(街道)", "所属乡镇(街道)", "街道",
                                                                 "所在乡镇(街道)", "所在乡镇", "所在街道", "乡镇街道",
                                                                 "乡镇(街道)名称", "所属街道"),
                codes="townships", note="须属于所填县（市、区）", example=""),
    ImportField("address", "地址", "text", ("注册地址", "企业地址", "详细地址", "经营地址", "住所",
                                                      "生产经营地址", "通讯地址", "注册地址(住所)")),
    ImportField("legal_representative", "法定代表人", "text", ("法人", "法人代表", "法定代表人(负责人)", "法人姓名",
                                                                       "法定代表人姓名", "负责人")),
    ImportField("contact_person", "联系人", "text", ("企业联系人",)),
    ImportField("contact_phone", "联系电话", "text", ("电话", "手机", "联系方式", "联系人电话", "手机号码",
                                                      "联系手机", "手机号", "固定电话", "联系人手机"),
                note="11位手机号或带区号的固话（如 0358-8221234）", example="13912345678"),
    ImportField("registered_on", "成立日期", "date", ("注册日期", "成立时间", "注册时间", "登记日期", "成立年月",
                                                    "开业日期", "开业时间", "注册成立时间"),
                note="如 2015-03-18；2015.3.18、2015年3月18日、2015/03/18 也可", example="2015-03-18"),
    ImportField("ownership_type", "企业性质", "code", ("经济类型", "所有制", "登记注册类型", "企业类型",
                                                    "注册类型", "企业登记注册类型"),
                codes=codes.OWNERSHIP_TYPES, example="民营"),
    ImportField("industry_section", "行业门类", "code", ("门类", "所属行业", "国民经济行业门类", "行业",
                                                        "行业类别", "所属行业类别", "行业分类", "所属行业门类",
                                                        "国民经济行业分类", "行业门类名称"),
                codes="sections", note="GB/T 4754-2017 门类，字母或名称", example="C 制造业"),
    ImportField("industry_class", "行业小类代码", "id", ("行业代码", "行业小类", "国民经济行业代码"),
                note="4位数字，可不填", example="3311"),
    ImportField("main_products", "主导产品", "text", ("主要产品", "主营产品", "主营业务", "主要产品(服务)")),
    ImportField("four_above_category", "四上类别", "code", ("四上企业类别",), codes=codes.FOUR_ABOVE_CATEGORIES),
    ImportField("above_scale", "是否规上", "bool", ("是否规上企业", "规上企业", "是否四上", "是否规模以上"),
                codes=YES_NO, note="是/否（√/× 也可）", example="否"),
    ImportField("above_scale_since", "入统年月", "month", ("规上入统年月", "入统时间", "纳统时间", "纳统年月",
                                                               "入统日期", "纳统日期", "规上入统时间"),
                note="如 2024-03；标为规上时必填"),
    ImportField("business_status", "经营状态", "code", ("状态", "登记状态"), codes=codes.BUSINESS_STATUSES,
                note="不填为“在营”", example="在营"),
    ImportField("remarks", "备注", "text", ("说明", "备注说明")),
    ImportField("year", "年度", "year", ("数据年度", "年份", "统计年度", "所属年度"),
                note="下列年度数据所属的年度；表头写成“2024年营业收入”时可不填", example="2025"),
    ImportField("revenue", "营业收入（万元）", "money", ("营业收入", "营收", "销售收入", "营业总收入",
                                                                  "年营业收入", "营业收入总额"), yearly=True,
                note="单位万元；表头或单元格写明“元”时自动换算为万元（逐格报告）", example="1234.56"),
    ImportField("main_revenue", "主营业务收入（万元）", "money", ("主营业务收入", "主营收入"), yearly=True),
    ImportField("net_profit", "净利润（万元）", "money", ("净利润", "利润总额", "利润"), yearly=True,
                note="可为负数"),
    ImportField("total_assets", "资产总额（万元）", "money", ("资产总额", "总资产", "资产总计", "资产合计"), yearly=True),
    ImportField("total_liabilities", "负债总额（万元）", "money", ("负债总额", "总负债", "负债合计"), yearly=True),
    ImportField("employees", "从业人员（人）", "count", ("从业人员", "从业人数", "职工人数", "员工人数",
                                                   "从业人员期末人数", "用工人数", "从业人员数",
                                                   "年末从业人员", "从业人员平均人数"), yearly=True, example="56"),
    ImportField("rd_expense", "研发费用（万元）", "money", ("研发费用", "研发投入", "研发经费", "研发经费支出",
                                                                       "r&d经费"), yearly=True),
    ImportField("rd_staff", "研发人员（人）", "count", ("研发人员", "研发人数"), yearly=True),
    ImportField("ip_class1", "Ⅰ类知识产权（项）", "count", ("Ⅰ类知识产权", "I类知识产权", "一类知识产权"), yearly=True),
    ImportField("ip_class2", "Ⅱ类知识产权（项）", "count", ("Ⅱ类知识产权", "II类知识产权", "二类知识产权"), yearly=True),
), notes=(
    "每行一家企业；按统一社会信用代码匹配：库中没有的新增，已有的更新所填的列（空白单元格不会清空原值）。",
    "年度数据（营业收入等）属于“年度”列所填的年度；也可以把年度写进表头，如“2024年营业收入（万元）”。",
    "金额单位为万元。表头写“（元）”或单元格写“500万元”“5000000元”时会自动换算，并在预览中逐格列出。",
))

POOLS = ImportKind("pools", "培育库记录", (
    _USCC, _FIRM_NAME,
    ImportField("pool", "培育库", "code", ("所属培育库", "库别"), required=True, codes="pools", example="专精特新"),
    ImportField("tier", "层级", "code", ("梯度层级", "培育层级", "级别"), codes="tiers",
                note="专精特新、上市挂牌后备库必填；小升规、股改库不分层级", example="创新型中小企业"),
    ImportField("status", "状态", "code", ("培育状态",), codes="statuses",
                note="不填时新入库为该库的初始状态；已在库的企业改状态须是该状态可改为的", example="培育中"),
    ImportField("entered_on", "入库日期", "date", ("入库时间",), note="不填为今天"),
    ImportField("recognized_on", "认定日期", "date", ("认定时间",)),
    ImportField("valid_until", "有效期至", "date", ("有效期", "到期日期")),
    ImportField("document_no", "认定文号", "text", ("文号",)),
    ImportField("subsidy", "奖补资金（万元）", "money", ("奖补资金", "奖励资金")),
    ImportField("responsible_person", "责任人", "text", ("联系人",)),
    ImportField("month", "入统年月", "month", ("规上入统年月", "纳统年月", "入统时间"), note="状态为“已入统”时必填，如 2026-03"),
    ImportField("status_reason", "状态原因", "text", ("退库原因", "撤销原因", "原因"), note="状态为“退库”“已撤销”时必填"),
    ImportField("notes", "备注", "prose", ("说明",)),
), notes=(
    "每行一家企业在一个培育库中的记录；按统一社会信用代码匹配本单位企业库中的企业（须先登记或导入企业）。",
    "该企业已在该库中的为更新（空白单元格不会清空原值），否则为新入库。状态变更须是该库允许的（如“培育中”可改为“已申报”）。",
    "培育库、层级、状态可填名称或代码；认定类状态须填认定日期和认定文号，有效期不填时按层级有效期推算。",
))

HELPERS = ImportKind("helpers", "包联领导及包联关系", (
    _USCC, _FIRM_NAME,
    ImportField("helper_name", "包联领导姓名", "text", ("包联领导", "帮扶干部", "包联干部", "姓名", "帮扶责任人"),
                required=True, note="按姓名匹配已登记的包联领导/帮扶干部；名单中没有的新增", example="王五"),
    ImportField("post", "职务", "text", ("职务职级",), example="副县长"),
    ImportField("unit", "工作单位", "text", ("单位", "所在单位")),
    ImportField("level", "层级", "code", ("领导层级", "级别"), codes=HELPER_LEVELS, note="不填为“县级”", example="县级"),
    ImportField("phone", "联系电话", "text", ("电话", "手机")),
    ImportField("role", "角色", "code", ("包联角色",), codes=ASSIGNMENT_ROLES, note="不填为“帮扶干部”；同一时间一家企业只能有一名包联领导",
                example="包联领导"),
    ImportField("from_date", "包联开始日期", "date", ("开始日期", "包联时间"), note="不填为今天（已在包联的不变）",
                example="2026-01-01"),
    ImportField("to_date", "包联结束日期", "date", ("结束日期",), note="不填为仍在包联"),
    ImportField("remarks", "备注", "prose", ("说明",)),
), key_field="uscc", notes=(
    "每行一家企业与一名包联领导/帮扶干部的包联关系；企业按统一社会信用代码匹配本单位企业库。",
    "姓名已在包联帮扶名单中的按原人员（填写的职务、单位、电话会更新原信息），否则新增人员。",
    "同一企业、同一人、同一角色已在包联的视为无变化（填写结束日期则更新结束日期）；包联时间与已有包联重叠的会被拒绝。",
))

VISITS = ImportKind("visits", "入企服务记录", (
    _USCC, _FIRM_NAME,
    ImportField("visited_on", "走访日期", "date", ("服务日期", "日期", "走访时间"), required=True,
                note="不能晚于今天", example="2026-03-18"),
    ImportField("channel", "服务方式", "code", ("方式", "走访方式"), codes=VISIT_CHANNELS, note="不填为“走访”",
                example="走访"),
    ImportField("helper_names", "帮扶干部", "text", ("包联领导", "包联干部", "走访干部", "帮扶责任人"),
                note="已登记的包联领导/帮扶干部姓名，多人用顿号隔开；同一企业同一天同一批干部的记录只导入一次",
                example="王五"),
    ImportField("campaign", "专项活动", "text", ("活动", "所属活动"), note="可不填；须是活动列表中的名称"),
    ImportField("visitors", "走访人员", "text", ("服务人员", "参加人员", "走访人", "参与人员", "陪同人员"),
                note="其他参加人员姓名；与“帮扶干部”至少填一项"),
    ImportField("policies_explained", "宣讲政策", "prose", ("政策宣讲",)),
    ImportField("firm_reported", "企业反映情况", "prose", ("企业情况", "反映情况")),
    ImportField("remarks", "备注", "prose", ("说明",)),
), notes=(
    "每行一次入企服务；企业按统一社会信用代码匹配本单位企业库，帮扶干部按姓名匹配包联帮扶中已登记的人员。",
    "库中已有同一企业、同一日期、同一批帮扶干部的记录时视为无变化，不会重复登记。",
))

DEMANDS = ImportKind("demands", "企业诉求", (
    _USCC, _FIRM_NAME,
    ImportField("number", "诉求编号", "text", ("编号", "诉求单号"),
                note="已登记诉求的编号（如 141102-2026-0001），按编号更新；新诉求留空，导入时自动编号"),
    ImportField("source", "诉求来源", "code", ("来源", "反映渠道"), codes=DEMAND_SOURCES, note="不填为“包联走访”",
                example="包联走访"),
    ImportField("category", "诉求类别", "code", ("问题类别", "类别"), required=True, codes=DEMAND_CATEGORIES,
                example="融资"),
    ImportField("description", "诉求内容", "prose", ("问题描述", "诉求", "存在问题"), required=True,
                example="流动资金紧张，希望对接银行贷款"),
    ImportField("suggestion", "企业建议", "prose", ("建议",)),
    ImportField("urgency", "紧急程度", "code", ("缓急",), codes=DEMAND_URGENCIES, note="不填为“一般”", example="一般"),
    ImportField("received_on", "受理日期", "date", ("登记日期", "反映日期"), note="必填，不能晚于今天",
                example="2026-03-18"),
    ImportField("responsible_unit", "责任单位", "text", ("承办单位", "办理单位")),
    ImportField("due_on", "办理时限", "date", ("时限", "限办日期")),
    ImportField("status", "办理状态", "code", ("状态", "办理情况", "办结情况", "是否办结"), codes=IMPORT_DEMAND_STATUSES,
                note="新诉求的当前状态，不填为“待受理”。已交办及以后须填责任单位和办理时限；"
                     "已办结、已解释须填办结日期和办理结果", example="已办结"),
    ImportField("closed_on", "办结日期", "date", ("办结时间", "完成时间", "解决日期"), note="已办结、已解释的诉求必填",
                example="2026-04-10"),
    ImportField("result", "办理结果", "prose", ("处理结果", "办理结果说明", "答复意见", "解决情况", "解释说明")),
    ImportField("satisfaction", "回访满意度", "code", ("满意度", "企业满意度", "回访结果"), codes=SATISFACTIONS),
    ImportField("followed_up_on", "回访日期", "date", ("回访时间",), note="不填按办结日期登记回访"),
), notes=(
    "每行一件诉求；企业按统一社会信用代码匹配本单位企业库（须先登记或导入企业）。",
    "已经办完的旧诉求可以按原样导入：填“办理状态”“办结日期”“办理结果”，程序按受理日期登记并交办、按办结日期办结"
    "（有“回访满意度”的再登记回访），逐步记入办理记录，与在程序中办理的一样进入统计。",
    "填了诉求编号的行更新该诉求（已办结的诉求不能修改）；编号留空的行登记为新诉求（待受理），导入时自动编号。",
    "库中已有同一企业同一受理日期、同类别、同内容的诉求时视为无变化，不会重复登记。",
))


def _answer(key: str, header: str, *synonyms: str) -> ImportField:
    # the answer lists live in the monitoring form definition; the service fills "monitoring.<key>"
    return ImportField(key, header, "text", synonyms, codes=f"monitoring.{key}", note="从下拉列表选择（选项文字）")


# keys are the monitoring form's field keys (resources/reference/monitoring_form_v1.json)
MONITORING = ImportKind("monitoring", "运行监测月报", (
    _USCC,
    replace(_NAME, required=False, note="便于核对，按统一社会信用代码匹配样本企业"),
    ImportField("period", "月份", "month", ("报告期", "所属月份", "统计月份", "填报月份"),
                note="如 2026-10；不填时按工作表名称（如“2026-10”“2026年10月”）"),
    ImportField("revenue", "营业收入（本月）（万元）", "money", ("本月营业收入", "营业收入本月", "当月营业收入"),
                example="120.5"),
    ImportField("revenue_ytd", "营业收入（本年累计）（万元）", "money",
                ("本年累计营业收入", "营业收入累计", "营业收入(1-N月累计)", "1-N月累计营业收入", "累计营业收入"),
                note="本年累计数不应低于上月累计", example="980"),
    ImportField("cost_ytd", "营业成本（本年累计）（万元）", "money", ("营业成本", "本年累计营业成本", "累计营业成本")),
    ImportField("profit_ytd", "利润总额（本年累计）（万元）", "money", ("利润总额", "本年累计利润总额", "累计利润总额"),
                note="可为负数"),
    ImportField("tax_ytd", "应交税金（本年累计）（万元）", "money", ("应交税金", "本年累计应交税金", "应交税金总额")),
    ImportField("export_ytd", "出口交货值（本年累计）（万元）", "money", ("出口交货值", "本年累计出口交货值")),
    ImportField("employees", "从业人员期末人数（人）", "count", ("从业人员", "期末从业人员", "从业人数")),
    ImportField("electricity", "用电量（本月）（千瓦时）", "count", ("用电量", "本月用电量", "用电量(千瓦时)")),
    ImportField("receivables", "应收账款（期末）（万元）", "money", ("应收账款", "期末应收账款")),
    ImportField("finished_goods", "产成品存货（期末）（万元）", "money", ("产成品存货", "产成品", "期末产成品存货")),
    _answer("domestic_orders", "国内订单"),
    _answer("export_orders", "出口订单"),
    _answer("operation_status", "生产经营状态", "经营状态"),
    _answer("working_capital", "流动资金"),
    _answer("labour", "用工", "用工情况"),
    ImportField("hiring_need", "招工需求（人）", "count", ("招工需求",)),
    _answer("raw_material_cost", "原材料成本"),
    _answer("labour_cost", "用工成本"),
    ImportField("difficulties", "主要困难", "text", ("存在困难", "面临困难"), codes="monitoring.difficulties",
                note="可多选，用顿号隔开，如：订单不足、招工难"),
    ImportField("remarks", "备注", "text", ("说明",)),
), notes=(
    "每个工作表是一个月：表名写月份（如“2026-10”“2026年10月”；只写“10月”时导入时指定年份），或填写“月份”列。",
    "每行一家样本企业，按统一社会信用代码匹配；同一企业同一月份再次导入即为更正（原值保留在修改记录中）。",
    "金额单位为万元；表头写“（元）”或单元格写“500万元”时自动换算。问卷各项填选项文字。",
    "与近3个月平均相差超过50%的数值需确认后才导入（命令行 --confirm-warnings）。",
))

BASES = ImportKind("bases", "小微企业双创基地", (
    ImportField("name", "基地名称", "text", ("双创基地名称", "载体名称", "基地(园区)名称", "名称"), required=True,
                note="本县（市、区）已有同名基地的为更新（空白单元格不会清空原值），否则新增", example="离石区某某返乡创业园"),
    ImportField("kind", "基地类型", "text", ("类型", "载体类型"), required=True,
                note="如 电商产业园、返乡创业园、扶贫车间（与“双创基地”页的类型一致）", example="电商产业园"),
    ImportField("operator_name", "运营主体", "text", ("运营单位", "运营机构", "运营管理单位")),
    ImportField("operator_type", "运营主体性质", "text", ("运营单位性质",)),
    ImportField("township_code", "乡镇（街道）", "text", ("所属乡镇", "乡镇", "所在乡镇(街道)", "乡镇(街道)"),
                note="本县（市、区）的乡镇（街道）名称"),
    ImportField("address", "地址", "text", ("详细地址", "基地地址")),
    ImportField("floor_area", "面积（平方米）", "text", ("建筑面积", "面积", "建筑面积(平方米)", "面积(㎡)"),
                note="单位平方米", example="5000"),
    ImportField("opened_on", "投入运营日期", "date", ("运营日期", "投入运营时间", "开业日期")),
    ImportField("level", "认定层级", "text", ("层级", "认定级别"),
                note="新增基地时填写：培育、申报市级、市级、申报省级、省级；不填为“培育”；已有基地的层级请在程序中变更",
                example="培育"),
    ImportField("city_recognized_on", "市级认定日期", "date", ("认定日期",)),
    ImportField("city_document_no", "市级认定文号", "text", ("认定文号", "文号")),
    ImportField("provincial_recognized_on", "省级认定日期", "date", ()),
    ImportField("provincial_document_no", "省级认定文号", "text", ()),
    ImportField("contact_person", "联系人", "text", ("负责人",)),
    ImportField("contact_phone", "联系电话", "text", ("电话", "手机")),
    ImportField("notes", "备注", "prose", ("说明",)),
), key_field="name", notes=(
    "每行一个双创基地；按基地名称匹配本县（市、区）已登记的基地：已有的更新所填的列，没有的新增。",
    "认定层级只在新增时使用；层级为市级、省级的须填该级认定日期和认定文号。已有基地的层级变更请在“双创基地”页办理。",
))

KINDS: dict[str, ImportKind] = {k.key: k for k in (ENTERPRISES, POOLS, HELPERS, VISITS, DEMANDS, MONITORING, BASES)}
