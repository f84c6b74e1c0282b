//! The translation layer: every user-visible interface string, in Simplified Chinese
//! and English. Users' own text (names, titles, notes) is never translated.
//!
//! Interface strings are looked up by key with [`tr`]; a test checks that every key
//! has both languages and that every key used in `src/` exists. Sentences built from
//! engine data (explanations, warnings, validation messages) live in
//! [`crate::explain`], which formats them per language.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag (`zh-CN`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a tag as found in `?lang=` or `navigator.language` (`zh`, `zh-CN`,
    /// `zh-Hans`, `en-US` …). Unknown tags give `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        if t == "zh" || t.starts_with("zh-") || t.starts_with("zh_") {
            Some(Lang::ZhCn)
        } else if t == "en" || t.starts_with("en-") || t.starts_with("en_") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// (key, Simplified Chinese, English). Keep sorted by key: lookup is a binary search
/// and a test checks the order.
pub static STRINGS: &[(&str, &str, &str)] = &[
    ("action.cancel", "取消", "Cancel"),
    ("agent.add", "添加客服", "Add agent"),
    ("agent.add_label", "新客服姓名", "New agent's name"),
    ("agent.added", "已添加客服", "Agent added"),
    ("agent.name_of", "客服姓名：", "Name of agent"),
    ("agent.new_name", "新客服", "New agent"),
    ("agent.remove", "删除客服", "Remove agent"),
    ("agent.remove_confirm", "确定删除", "Remove"),
    ("agent.remove_short", "删除", "Remove"),
    ("agent.remove_yes", "确定删除", "Yes, remove"),
    ("agent.removed", "已删除客服及其全部数据", "Agent and all their figures removed"),
    ("app.load_failed", "编辑功能无法载入（网络或文件问题）。再点一次重试，或刷新页面。", "The editors could not be loaded (network or file problem). Click again to retry, or reload the page."),
    ("app.loading", "正在载入编辑功能…", "Loading the editors…"),
    ("app.title", "客服绩效计分卡", "KPI Scorecard"),
    ("bands.open_high", "无上限", "no upper edge"),
    ("bands.open_low", "无下限", "no lower edge"),
    ("baseline.clear", "取消对比", "Stop comparing"),
    ("baseline.grade_changed", "人等级有变化", "agents changed grade"),
    ("baseline.pin", "固定为对比基准", "Pin as baseline"),
    ("baseline.pin.hint", "记下当前结果，之后的修改都会显示与它的差异（Δ）", "Remember these results; later changes show their difference (Δ) from them"),
    ("baseline.pinned", "已固定对比基准", "Baseline pinned"),
    ("baseline.repin", "重新固定基准", "Pin again"),
    ("baseline.summary", "与基准相比：", "Compared with the baseline:"),
    ("charts.open", "图表", "Charts"),
    ("col.agent", "客服", "Agent"),
    ("col.bonus", "奖金", "Bonus"),
    ("col.category.hint", "类别小计；点击排序", "Category subtotal; click to sort"),
    ("col.delta_bonus", "Δ 奖金", "Δ bonus"),
    ("col.delta_rank", "Δ 名次", "Δ rank"),
    ("col.delta_rank.hint", "与基准相比上升（↑）或下降（↓）的名次；点击排序", "Places gained (↑) or lost (↓) against the baseline; click to sort"),
    ("col.delta_total", "Δ 总分", "Δ total"),
    ("col.grade", "等级", "Grade"),
    ("col.rank", "名次", "Rank"),
    ("col.sort.hint", "点击按此列排序", "Click to sort by this column"),
    ("col.total", "总分", "Total"),
    ("copy.hint", "把整个计分卡（与导出相同的 JSON）复制到剪贴板", "Copy the whole workbook (the same JSON as Export) to the clipboard"),
    ("copy.label", "复制", "Copy"),
    ("editors.title", "编辑", "Edit"),
    ("explain.bonus", "奖金", "Bonus"),
    ("explain.categories", "类别小计", "Category subtotals"),
    ("explain.close", "关闭", "Close"),
    ("explain.indicators", "各项得分", "Points per indicator"),
    ("explain.total", "总分", "Total"),
    ("export.hint", "下载整个计分卡（含结果快照）为 JSON 文件", "Download the whole workbook (with a snapshot of the results) as a JSON file"),
    ("export.label", "导出", "Export"),
    ("export_scheme.hint", "只下载方案（不含客服和数据）", "Download the scheme only (no agents or figures)"),
    ("export_scheme.label", "导出方案", "Export scheme"),
    ("extras.tools", "图表、打印与表格导出", "Charts, printing and spreadsheet export"),
    ("file.label", "文件", "File"),
    ("formula.names", "可用的数据名：", "Names you can use:"),
    ("grid.actions", "操作", "Actions"),
    ("grid.caption", "原始数据", "Figures"),
    ("grid.help", "直接输入数据，结果即时更新。方向键、Tab、回车可移动；可从 Excel / WPS 复制一块单元格，在任一格中粘贴。", "Type figures and the results update at once. Arrow keys, Tab and Enter move; copy a block of cells in Excel or WPS and paste it into any cell."),
    ("grid.next", "下一页", "Next"),
    ("grid.previous", "上一页", "Previous"),
    ("grid.ratings_hint", "（各评分人分数，空格分隔）", "(each rater's score, space-separated)"),
    ("grid.rows", "行", "Rows"),
    ("import.label", "导入", "Import"),
    ("lang.en", "English", "English"),
    ("lang.label", "语言", "Language"),
    ("lang.zh", "简体中文", "简体中文"),
    ("paste.done", "已粘贴单元格：", "Cells pasted:"),
    ("paste.outside", "超出表格被忽略：", "outside the grid, ignored:"),
    ("paste.unreadable", "无法识别：", "not readable:"),
    ("period.add", "添加期间", "Add period"),
    ("period.add.hint", "在最后一个期间之后添加一期，沿用上一期的客服", "Add the period after the last one, with the last period's agents"),
    ("period.added", "已添加期间", "Period added"),
    ("period.label", "期间", "Period"),
    ("preset.courier.name", "快递客服（扣分制）", "Courier call centre (deductions)"),
    ("preset.courier.summary", "话务型客服：按淡旺季接听量、问题件和违规次数从满分中扣分。", "Phone teams: deduct from full points by calls and problem parcels per season, and by violations."),
    ("preset.ecommerce.name", "电商店铺客服", "Online shop"),
    ("preset.ecommerce.summary", "网店客服：周排名汇总到月，加完成率附加分、行为分、工龄，按完成率提成。", "Web-store agents: weekly rankings summed into the month, extras, conduct, tenure, commission by target completion."),
    ("preset.general.name", "通用客服（六项加权）", "General (six weighted KPIs)"),
    ("preset.general.summary", "任何客服团队：响应、解决率、满意度、效率、质量、保留率加权，按等级系数与奖金池发奖金。", "Any service team: response, resolution, satisfaction, efficiency, quality and retention, weighted; bonus by grade and a team pool."),
    ("preset.hotel.name", "酒店客服（多人评分）", "Hotel (several raters)"),
    ("preset.hotel.summary", "多位考评人打分取平均，工作量 70% + 满意度 30%，95 分以上按 100 分计。", "Several raters' scores averaged: workload 70 % and satisfaction 30 %; 95 or more counts as 100."),
    ("print.open", "打印考核表", "Appraisal sheets"),
    ("print.open.hint", "每位客服一页的考核表，带签字栏，可打印", "One printable sheet per agent, with signature lines"),
    ("redo.hint", "重做（Ctrl+Shift+Z 或 Ctrl+Y）", "Redo (Ctrl+Shift+Z or Ctrl+Y)"),
    ("redo.label", "重做", "Redo"),
    ("results.agents", "人", "agents"),
    ("results.caption", "考核结果（按总分排名）", "Results, ranked by total"),
    ("results.empty", "这个期间还没有客服数据。", "No agents have figures in this period yet."),
    ("results.help", "点击客服姓名查看每一分的来历；点击列名排序。", "Click an agent's name to see where every point comes from; click a column heading to sort."),
    ("results.show_all", "显示全部", "Show all"),
    ("results.show_first", "只显示前", "Show only the first"),
    ("results.title", "结果", "Results"),
    ("sheet.csv", "导出 CSV", "CSV"),
    ("sheet.csv.hint", "把本期结果下载为 CSV（Excel/WPS 可直接打开）", "Download this period's results as CSV (opens in Excel/WPS)"),
    ("sheet.xlsx", "导出 Excel", "Excel"),
    ("sheet.xlsx.hint", "把本期结果和说明下载为 Excel 工作簿（.xlsx）", "Download this period's results and explanations as an Excel workbook (.xlsx)"),
    ("stale.body", "下面是最后一次有效的结果。请修正标红的输入。", "Below are the last valid results. Fix the fields marked in red."),
    ("stale.local", "有输入无法识别", "Fields that cannot be read"),
    ("stale.title", "结果已过期：", "Results out of date:"),
    ("tab.data", "数据", "Data"),
    ("tab.scheme", "考核方案", "Scheme"),
    ("team.mean", "团队平均", "Team mean"),
    ("team.median", "团队中位数", "Team median"),
    ("templates.failed", "模板无法打开（请检查网络后重试）", "The template could not be opened (check the connection and try again)"),
    ("templates.hint", "选择一个模板开始（可撤销）；之后可修改方案和数据。", "Start from a template (undoable), then change its scheme and figures."),
    ("templates.opened", "已打开模板", "Template opened"),
    ("templates.title", "模板", "Templates"),
    ("toolbar.label", "工具栏", "Toolbar"),
    ("undo.hint", "撤销（Ctrl+Z）", "Undo (Ctrl+Z)"),
    ("undo.label", "撤销", "Undo"),
    ("warnings.more", "条提示未列出", "more warnings not listed"),
    ("warnings.title", "提示", "Warnings"),
    ("workbooks.title", "我的计分卡", "My workbooks"),
];

/// Interface strings of the full app's editing parts only (the scheme editor, the
/// workbook list and file handling, pasting, the on-demand module's host): the
/// results-first page (`viewer` feature) never shows them, so its build leaves this
/// table out and its first load does not carry it. [`tr`] looks here after
/// [`STRINGS`]; a test checks that no file the first page renders uses these keys.
/// Sorted by key.
#[cfg(not(feature = "viewer"))]
pub static EDITING: &[(&str, &str, &str)] = &[
    ("bands.add_row", "添加区间", "Add band"),
    ("bands.add_table", "添加季节区间表", "Add a table for a season"),
    ("bands.all_year", "全年", "all year"),
    ("bands.gap_points", "落在缺口时的分数", "Points for a value in a gap"),
    ("bands.lower", "下限", "Lower edge"),
    ("bands.lower_op", "下限是否包含", "Lower edge: included or not"),
    ("bands.points", "得分", "Points"),
    ("bands.remove_row", "删除区间", "Remove band"),
    ("bands.remove_table", "删除此表", "Remove this table"),
    ("bands.table", "区间表", "Band table"),
    ("bands.upper", "上限", "Upper edge"),
    ("bands.upper_op", "上限是否包含", "Upper edge: included or not"),
    ("bonus.base", "基数（空 = 各人基本工资）", "Base (blank = each agent's base pay)"),
    ("bonus.divisor", "除数", "Divisor"),
    ("bonus.expr", "公式", "Formula"),
    ("bonus.kind.commission", "按完成率提成", "Commission"),
    ("bonus.kind.formula", "公式", "Formula"),
    ("bonus.kind.grade_coefficient", "基数 × 等级系数", "Base × grade coefficient"),
    ("bonus.kind.pool_by_score", "得分 ÷ 除数 × 奖金", "Score ÷ divisor × amount"),
    ("bonus.kind.pool_split", "奖金池按得分占比分配", "Pool shared by score"),
    ("bonus.kind.product", "各因子相乘", "Product of factors"),
    ("bonus.kind.tenure", "按工龄", "By tenure"),
    ("bonus.name", "名称", "Name"),
    ("bonus.pool", "金额", "Amount"),
    ("bonus.title", "奖金", "Bonus"),
    ("categories.title", "类别", "Categories"),
    ("category.cap", "上限", "Cap"),
    ("category.floor", "下限", "Floor"),
    ("category.full", "满分（扣分制起点）", "Full points (start of deductions)"),
    ("category.name", "类别名称", "Category name"),
    ("copy.done", "已复制到剪贴板（与导出的文件内容相同）", "Copied to the clipboard (the same text as the exported file)"),
    ("copy.failed", "无法复制到剪贴板。请改用“导出”。", "Could not copy to the clipboard. Use Export instead."),
    ("copy.refused", "浏览器拒绝访问剪贴板。请改用“导出”。", "The browser refused access to the clipboard. Use Export instead."),
    ("editors.applied", "已应用修改（可撤销）", "Changes applied (undo to take them back)"),
    ("editors.bonus", "奖金明细…", "Bonus details…"),
    ("editors.grades", "类别与等级…", "Categories & grades…"),
    ("editors.items", "检查项…", "Items…"),
    ("editors.metrics", "指标数据…", "Metrics…"),
    ("editors.scores", "评分人打分…", "Raters' scores…"),
    ("editors.seasons", "季节…", "Seasons…"),
    ("error.bad_grouping", "千位分隔符位置不对（例如 1,459）", "thousands separators in the wrong place (write e.g. 1,459)"),
    ("error.not_a_number", "不是数字", "not a number"),
    ("error.required", "请填写数值", "a value is needed"),
    ("error.too_large", "数值太大", "the number is too large"),
    ("export.done", "已导出文件", "File exported"),
    ("extras.dismiss", "知道了", "Dismiss"),
    ("extras.failed", "操作没有完成，请重试。", "That did not work; please try again."),
    ("extras.load_failed", "无法加载这部分功能（网络或文件问题），请刷新页面后重试。", "Could not load this part of the app (network or file problem); reload the page and try again."),
    ("field.choose", "请选择", "Choose"),
    ("field.none", "不设", "none"),
    ("grade.coefficient", "奖金系数", "Bonus coefficient"),
    ("grade.min", "最低总分", "Lowest total"),
    ("grade.name", "等级", "Grade"),
    ("grades.title", "等级", "Grades"),
    ("import.opened", "已打开导入的计分卡", "Imported workbook opened"),
    ("import.replaced", "已替换当前计分卡（可撤销）", "Current workbook replaced (undoable)"),
    ("import.unreadable", "无法读取该文件", "The file could not be read"),
    ("indicator.add", "添加考核项", "Add indicator"),
    ("indicator.category", "类别", "Category"),
    ("indicator.kind", "计分方式", "Rule"),
    ("indicator.metric", "数据", "Figure"),
    ("indicator.name", "名称", "Name"),
    ("indicator.no_category", "（不归类）", "(none)"),
    ("indicator.remove", "删除此考核项", "Remove this indicator"),
    ("indicator.remove_confirm", "删除此考核项及其评分数据？", "Remove this indicator and its ratings?"),
    ("indicator.remove_yes", "确定删除", "Yes, remove"),
    ("indicator.weight", "权重（满分）", "Weight (full points)"),
    ("indicator.weight_slider", "权重滑块，考核项", "Weight slider, indicator"),
    ("notice.dismiss", "关闭", "Dismiss"),
    ("notice.download", "下载损坏的数据", "Download the damaged data"),
    ("notice.export_hint", "建议使用“导出”保存一份文件。", "Use Export to keep a copy as a file."),
    ("notice.keep_both", "两份都保留", "Keep both"),
    ("notice.kept_both", "本页的版本已另存为新的计分卡", "This page's version was saved as a new workbook"),
    ("notice.reload", "重新载入", "Reload"),
    ("rule.bands", "分段计分", "Bands"),
    ("rule.checklist", "勾选清单", "Checklist"),
    ("rule.checklist.item", "检查项", "Item"),
    ("rule.checklist.weight", "分值", "Weight"),
    ("rule.critical", "否决项", "Critical item"),
    ("rule.critical.category", "所在类别清零", "its category"),
    ("rule.critical.total", "总分清零", "the whole total"),
    ("rule.critical.when", "触发条件（公式）", "Triggered when (formula)"),
    ("rule.critical.zeroes", "触发后清零", "When triggered, zero"),
    ("rule.formula", "公式", "Formula"),
    ("rule.formula.expr", "公式", "Formula"),
    ("rule.formula.max", "最高分", "Highest points"),
    ("rule.formula.min", "最低分", "Lowest points"),
    ("rule.linear", "线性插值", "Straight line"),
    ("rule.linear.below", "低于起点时的分数", "Points below the start"),
    ("rule.linear.from_points", "起点分数", "Start points"),
    ("rule.linear.from_value", "起点数值", "Start value"),
    ("rule.linear.to_points", "终点分数", "End points"),
    ("rule.linear.to_value", "终点数值", "End value"),
    ("rule.per_occurrence", "按次计分", "Per occurrence"),
    ("rule.per_occurrence.cap", "累计上限（绝对值）", "Cap (in size)"),
    ("rule.per_occurrence.each", "每次分数", "Points each"),
    ("rule.per_occurrence.none_bonus", "零次奖励", "Points for none"),
    ("rule.rank", "按排名", "By rank"),
    ("rule.rank.all", "全部客服一起排", "everyone together"),
    ("rule.rank.below_average", "低于平均时的分数", "Points when below average"),
    ("rule.rank.competition", "1, 2, 2, 4（并列占位）", "1, 2, 2, 4 (competition)"),
    ("rule.rank.dense", "1, 2, 2, 3（并列不占位）", "1, 2, 2, 3 (dense)"),
    ("rule.rank.places", "第 1、2、3… 名的分数", "Points for places 1, 2, 3 …"),
    ("rule.rank.scope", "排名范围", "Ranked within"),
    ("rule.rank.team", "各小组内", "each team"),
    ("rule.rank.ties", "并列名次", "Ties"),
    ("rule.rating", "多人评分", "Raters' scores"),
    ("rule.rating.drop_extremes", "去掉最高分和最低分（3 人及以上）", "Drop the highest and lowest (3 raters or more)"),
    ("rule.rating.max", "最高分", "Scale top"),
    ("rule.rating.min", "最低分", "Scale bottom"),
    ("rule.target", "目标完成率", "Target"),
    ("rule.target.cap", "完成率上限（1 = 100%）", "Share cap (1 = 100 %)"),
    ("rule.target.target", "目标值", "Target"),
    ("rule.tenure", "工龄", "Tenure"),
    ("rule.tenure.months", "满（月）", "From (months)"),
    ("rule.tenure.points", "分数", "Points"),
    ("sheet.imported", "已从表格导入数据（可撤销）", "Figures imported from the spreadsheet (undo is available)"),
    ("sheet.too_big", "表格文件太大（超过 64 MB），没有读取。", "The spreadsheet is too large (over 64 MB); it was not read."),
    ("total.base", "基础分", "Base points"),
    ("total.max", "总分上限", "Highest total"),
    ("total.method", "总分方式", "Total"),
    ("total.min", "总分下限", "Lowest total"),
    ("total.sum", "直接相加", "plain sum"),
    ("total.title", "总分", "Total"),
    ("total.weighted", "加权（权重合计 100）", "weighted (weights total 100)"),
    ("weights.normalise", "按比例调整为 100%", "Normalise to 100 %"),
    ("weights.normalise.hint", "按比例缩放各项权重，使合计正好为 100%", "Scale the weights so they total exactly 100 %"),
    ("weights.normalised", "权重已调整为合计 100%", "Weights now total 100 %"),
    ("weights.total", "权重合计", "Weights total"),
    ("workbooks.changed", "最后修改", "Last changed"),
    ("workbooks.delete", "删除", "Delete"),
    ("workbooks.deleted", "已删除计分卡（7 天内可在“最近删除”中恢复）", "Workbook deleted (it can be restored from Recently deleted for 7 days)"),
    ("workbooks.deleted_at", "删除于", "deleted"),
    ("workbooks.duplicate", "复制一份", "Duplicate"),
    ("workbooks.new", "从模板新建", "New from template"),
    ("workbooks.new_name", "新名称", "New name"),
    ("workbooks.open", "打开", "Open"),
    ("workbooks.opened", "已打开", "Opened"),
    ("workbooks.rename", "重命名", "Rename"),
    ("workbooks.renamed", "已重命名", "Workbook renamed"),
    ("workbooks.replaced", "被导入替换的内容，", "content replaced by an import,"),
    ("workbooks.restore", "恢复", "Restore"),
    ("workbooks.trash", "最近删除（保留 7 天）", "Recently deleted (kept for 7 days)"),
    ("workbooks.unsaved", "当前计分卡的修改尚未保存（见上方提示），暂不切换。", "The open workbook's changes are not saved yet (see the notice above), so it stays open."),
];

/// Interface strings used only by the on-demand module (`ui::extras`: charts,
/// appraisal sheets, spreadsheet import): kept apart so the first page load does not
/// carry them. Looked up with [`tx`]. Sorted by key.
pub static EXTRAS: &[(&str, &str, &str)] = &[
    ("charts.agent", "客服", "Agent"),
    ("charts.title", "图表", "Charts"),
    ("editors.agent", "客服", "Agent"),
    ("editors.apply", "应用", "Apply"),
    ("editors.bonus.commission", "销售提成", "commission"),
    ("editors.bonus.none", "本方案没有提成、乘积或工龄奖金规则；其他奖金设置在方案编辑区。", "This scheme has no commission, product or tenure bonus; the other bonus settings are in the scheme editor."),
    ("editors.bonus.product", "乘积", "product"),
    ("editors.bonus.tenure", "工龄奖", "tenure amounts"),
    ("editors.bonus.title", "奖金明细", "Bonus details"),
    ("editors.cancel", "取消", "Cancel"),
    ("editors.cannot_remove", "无法删除：仍在使用，", "Cannot remove: still in use by"),
    ("editors.categories", "指标类别", "Categories"),
    ("editors.category.add", "添加类别", "Add category"),
    ("editors.category.cap", "上限（封顶）", "Cap"),
    ("editors.category.floor", "下限（保底）", "Floor"),
    ("editors.category.full", "满分（扣分制）", "Full points (deduction)"),
    ("editors.category.name", "类别名称", "Category name"),
    ("editors.category.remove", "删除类别", "Remove category"),
    ("editors.commission.add", "添加档位", "Add tier"),
    ("editors.commission.completion", "决定档位的完成率", "Completion % that picks the tier"),
    ("editors.commission.from", "完成率从（%）", "From completion (%)"),
    ("editors.commission.hint", "每档：完成率达到多少（%）起，按销售额的千分之几提成。", "Each tier: from what completion (%) on, at what rate (‰ of sales)."),
    ("editors.commission.mode", "档位怎么计算", "How tiers apply"),
    ("editors.commission.rate", "提成比例（‰）", "Rate (‰ of sales)"),
    ("editors.commission.remove", "删除档位", "Remove tier"),
    ("editors.commission.sales", "提成基数（销售额）", "Paid on (sales)"),
    ("editors.commission.slices", "分段累进：每段按各自档位的比例", "Progressive: each slice at its own tier's rate"),
    ("editors.commission.whole", "全额：整笔按达到的最高档位比例", "Whole amount at the rate of the tier reached"),
    ("editors.factor.add", "添加因子", "Add factor"),
    ("editors.factor.constant", "固定数值", "A fixed number"),
    ("editors.factor.remove", "删除因子", "Remove factor"),
    ("editors.factor.value", "数值", "Value"),
    ("editors.factor.what", "因子", "Factor"),
    ("editors.figures_removed", "一并删除的数据条数：", "figures removed with it:"),
    ("editors.fix_first", "应用前请先改正：", "Correct these before applying:"),
    ("editors.gone", "这一项已不存在", "this item no longer exists"),
    ("editors.grade.add", "添加等级", "Add grade"),
    ("editors.grade.coefficient", "奖金系数", "Bonus coefficient"),
    ("editors.grade.min", "最低总分", "Lowest total"),
    ("editors.grade.name", "等级", "Grade"),
    ("editors.grade.remove", "删除等级", "Remove grade"),
    ("editors.grade_bands", "等级", "Grades"),
    ("editors.grades.hint", "总分达到“最低总分”即得该等级（从高到低判断）。删除等级会一并删除它的名额限制。", "A grade is given from its lowest total up (checked from the top). Removing a grade removes its quotas too."),
    ("editors.grades.title", "类别与等级", "Categories and grades"),
    ("editors.id_chars", "编号只能用字母、数字和下划线，且不能以数字开头", "an id uses letters, digits and _ only, and does not start with a digit"),
    ("editors.id_in_use", "该指标数据正在被使用，编号不能修改", "this metric is in use; its id cannot change"),
    ("editors.id_required", "请填写编号", "an id is needed"),
    ("editors.id_taken", "编号已被占用", "this id is already taken"),
    ("editors.item.add", "添加检查项", "Add item"),
    ("editors.item.id", "编号", "Id"),
    ("editors.item.remove", "删除检查项", "Remove item"),
    ("editors.item.text", "检查内容", "Statement"),
    ("editors.item.weight", "权重", "Weight"),
    ("editors.items.title", "检查项与勾选", "Checklist items and ticks"),
    ("editors.metric.add", "添加指标数据", "Add metric"),
    ("editors.metric.better", "方向", "Better when"),
    ("editors.metric.count", "计数（整数，不为负）", "A count (whole, not negative)"),
    ("editors.metric.formula", "计算公式（留空 = 手工录入）", "Formula (blank = typed in)"),
    ("editors.metric.higher", "越高越好", "higher"),
    ("editors.metric.id", "编号（用于公式）", "Id (used in formulas)"),
    ("editors.metric.lower", "越低越好", "lower"),
    ("editors.metric.name", "名称", "Name"),
    ("editors.metric.remove", "删除指标数据", "Remove metric"),
    ("editors.metric.unit", "单位", "Unit"),
    ("editors.metrics.hint", "指标数据是录入或计算出的数字。有公式的由其他数据计算得出。正在使用的不能删除，编号也不能修改。", "Metrics are the figures typed in or computed. One with a formula is computed from others. A metric in use cannot be removed and keeps its id."),
    ("editors.metrics.title", "指标数据", "Metrics"),
    ("editors.na", "不适用", "N/A"),
    ("editors.no_agents", "本周期还没有客服。", "This period has no agents yet."),
    ("editors.not_checklist", "这个考核指标不是检查表。", "This indicator is not a checklist."),
    ("editors.not_rating", "这个考核指标不是评分。", "This indicator is not a rating."),
    ("editors.product.hint", "奖金 = 各因子相乘；百分比单位的数据按 ÷100 计。", "The bonus is the factors multiplied; a metric in % counts as its value ÷ 100."),
    ("editors.quota.add", "添加名额限制", "Add quota"),
    ("editors.quota.grade", "等级", "Grade"),
    ("editors.quota.max", "最多（%）", "At most (%)"),
    ("editors.quota.min", "至少（%）", "At least (%)"),
    ("editors.quota.remove", "删除名额限制", "Remove quota"),
    ("editors.quotas", "强制分布名额", "Forced-distribution quotas"),
    ("editors.quotas.hint", "超出名额时结果会给出警告。", "The results warn when a quota is broken."),
    ("editors.rater", "评分人", "Rater"),
    ("editors.rater.add", "添加评分人", "Add rater"),
    ("editors.rater.remove", "删除评分人", "Remove rater"),
    ("editors.remove", "删除", "Remove"),
    ("editors.removed", "已删除。", "Removed."),
    ("editors.scores.hint", "留空表示该评分人不适用（不计入平均）。", "Leave a cell empty when that rater gives no score (N/A)."),
    ("editors.scores.scale", "评分范围", "Scale"),
    ("editors.scores.title", "评分人打分", "Raters' scores"),
    ("editors.season.add", "添加季节", "Add season"),
    ("editors.season.months", "包含的月份", "Months"),
    ("editors.season.name", "季节名称", "Season name"),
    ("editors.season.remove", "删除季节", "Remove season"),
    ("editors.seasons.hint", "季节是任意几个月份；同一个月不能属于两个季节。有区间表的季节不能删除。", "A season is any set of months; a month cannot be in two seasons. A season with band tables cannot be removed."),
    ("editors.seasons.title", "季节", "Seasons"),
    ("editors.tenure.add", "添加工龄档", "Add step"),
    ("editors.tenure.amount", "金额", "Amount"),
    ("editors.tenure.hint", "司龄满多少个月起，发多少钱。", "From how many whole months of service, how much."),
    ("editors.tenure.months", "满（月）", "From (months)"),
    ("editors.tenure.remove", "删除工龄档", "Remove step"),
    ("editors.tick.na", "不适用", "N/A"),
    ("editors.tick.no", "未做到", "Not ticked"),
    ("editors.tick.yes", "做到 ✓", "Ticked ✓"),
    ("editors.ticks", "勾选情况", "Ticks"),
    ("editors.used_by_bonus", "奖金规则：", "bonus rules:"),
    ("editors.used_by_indicators", "考核指标：", "indicators:"),
    ("editors.used_by_metrics", "公式中用到它的数据：", "metrics' formulas:"),
    ("editors.whole_months", "请填写不为负的整月数", "whole months, not negative"),
    ("extras.close", "关闭", "Close"),
    ("extras.error.title", "无法打开", "Cannot open"),
    ("extras.invalid", "方案有错误，先在编辑区改正：", "The scheme has errors; correct them in the editor first:"),
    ("import.agents", "客服人数", "Agents"),
    ("import.cancel", "取消", "Cancel"),
    ("import.differences", "与文件中结果的差异", "Differences from the results in the file"),
    ("import.more_differences", "处差异未列出", "more differences not listed"),
    ("import.no_snapshot", "文件中没有可比较的结果", "no results in the file to compare"),
    ("import.open_new", "作为新计分卡打开", "Open as new workbook"),
    ("import.periods", "周期数", "Periods"),
    ("import.preview", "导入预览", "Import preview"),
    ("import.replace", "替换当前计分卡", "Replace current"),
    ("import.title", "标题", "Title"),
    ("import.version", "文件格式版本", "File format version"),
    ("import.warnings", "提示数", "Warnings"),
    ("print.agent", "打印对象", "Print for"),
    ("print.agent_id", "工号", "Agent id"),
    ("print.agent_name", "姓名", "Name"),
    ("print.all", "全部客服（每人一页）", "Every agent (one page each)"),
    ("print.bonus", "奖金", "Bonus"),
    ("print.comments", "评语", "Comments"),
    ("print.date", "日期", "Date"),
    ("print.explanation", "说明", "Explanation"),
    ("print.figure", "数据", "Figure"),
    ("print.grade", "等级", "Grade"),
    ("print.hint", "打印时每位客服单独一页（A4）", "Each agent prints on a page of their own (A4)"),
    ("print.indicator", "考核指标", "Indicator"),
    ("print.period", "考核周期", "Period"),
    ("print.points", "得分", "Points"),
    ("print.print", "打印", "Print"),
    ("print.rank", "排名", "Rank"),
    ("print.rule", "计分规则", "Rule"),
    ("print.sheet", "绩效考核表", "Appraisal sheet"),
    ("print.sign.agent", "被考核人签字", "Agent's signature"),
    ("print.sign.appraiser", "考核人签字", "Appraiser's signature"),
    ("print.team", "组别", "Team"),
    ("print.title", "考核表（打印）", "Appraisal sheets (print)"),
    ("print.total", "总分", "Total"),
    ("sheet.add_new", "把文件中的新客服加入名单", "Add the file's new agents to the list"),
    ("sheet.cancel", "取消", "Cancel"),
    ("sheet.confirm", "导入这些数据", "Import these figures"),
    ("sheet.download_failed", "浏览器没有开始下载。", "The browser did not start the download."),
    ("sheet.errors", "文件中有以下问题，整份文件都没有导入：", "The file has these problems; nothing from it was imported:"),
    ("sheet.import.title", "从表格导入数据", "Import figures from a spreadsheet"),
    ("sheet.map_hint", "为每一列选择它对应的内容（工号、姓名或某项数据），确认后才会写入。", "Choose what each column holds (agent id, name or a figure); nothing is written until you confirm."),
    ("sheet.nothing_changed", "没有做任何修改。", "Nothing was changed."),
    ("sheet.rows", "行", "rows"),
];

/// Like [`tr`], for the on-demand module: its own strings first, then the shared ones.
pub fn tx(lang: Lang, key: &'static str) -> &'static str {
    match EXTRAS.binary_search_by(|(k, _, _)| k.cmp(&key)) {
        Ok(i) => match lang {
            Lang::ZhCn => EXTRAS[i].1,
            Lang::En => EXTRAS[i].2,
        },
        Err(_) => tr(lang, key),
    }
}

/// The interface string for `key`. An unknown key returns the key itself (and a test
/// makes sure that never ships).
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    let find = |table: &'static [(&'static str, &'static str, &'static str)]| table.binary_search_by(|(k, _, _)| k.cmp(&key)).ok().map(|i| &table[i]);
    let found = find(STRINGS);
    #[cfg(not(feature = "viewer"))]
    let found = found.or_else(|| find(EDITING));
    match (found, lang) {
        (Some(e), Lang::ZhCn) => e.1,
        (Some(e), Lang::En) => e.2,
        (None, _) => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_unique_and_translated() {
        let tables = [STRINGS, EDITING, EXTRAS];
        for table in tables {
            for w in table.windows(2) {
                assert!(w[0].0 < w[1].0, "keys out of order or duplicated: {} / {}", w[0].0, w[1].0);
            }
            for (k, zh, en) in table {
                assert!(!zh.is_empty() && !en.is_empty(), "key {k} lacks a translation");
            }
        }
        for (i, table) in tables.iter().enumerate() {
            for other in &tables[i + 1..] {
                for (k, _, _) in *table {
                    assert!(other.binary_search_by(|(x, _, _)| x.cmp(k)).is_err(), "key {k} is in two tables");
                }
            }
        }
    }

    /// The files whose text the results-first page may show: every file but these.
    /// (The viewer build leaves [`EDITING`] out, so a key of it shown there would
    /// appear as the bare key.)
    const EDITING_ONLY: &[&str] = &["ui/scheme.rs", "ui/persist.rs", "ui/on_demand.rs", "ui/extras/", "app/scheme_fields.rs", "app/scheme_edit.rs", "app/scheme_more.rs", "app/paste.rs"];

    #[test]
    fn the_first_page_uses_no_editing_key() {
        let src = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
        let mut stack = vec![src.clone()];
        let mut wrong = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src is readable") {
                let path = entry.expect("dir entry").path();
                let name = path.strip_prefix(&src).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                if path.is_dir() {
                    stack.push(path);
                } else if name.ends_with(".rs") && name != "i18n.rs" && !EDITING_ONLY.iter().any(|f| name.starts_with(f)) {
                    let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                    // Any mention of the key as a literal: passed to `t`, `tr` or a helper.
                    wrong.extend(EDITING.iter().filter(|(k, _, _)| text.contains(&format!("\"{k}\""))).map(|(k, _, _)| format!("{name}: {k}")));
                }
            }
        }
        assert!(wrong.is_empty(), "keys in EDITING used where the first page may show them (move them to STRINGS): {wrong:#?}");
    }

    #[test]
    fn every_key_used_in_src_exists() {
        // Scan the sources for tr(lang, "key") / t("key") calls.
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src is readable") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                    for key in used_keys(&text) {
                        let known = |t: &[(&str, &str, &str)]| t.binary_search_by(|(k, _, _)| k.cmp(&key.as_str())).is_ok();
                        if !known(STRINGS) && !known(EDITING) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                    for key in used_extra_keys(&text) {
                        let known = |t: &[(&str, &str, &str)]| t.binary_search_by(|(k, _, _)| k.cmp(&key.as_str())).is_ok();
                        if !known(EXTRAS) && !known(STRINGS) && !known(EDITING) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:#?}");
    }

    /// Keys passed as string literals to `tr(…, "key")` or `t("key")`.
    fn used_keys(text: &str) -> Vec<String> {
        keys_after(text, &["tr(lang, \"", "tr(l, \"", "t(\"", "tr(self.lang, \""])
    }

    /// Keys passed as string literals to `tx(lang, "key")` (the on-demand module).
    fn used_extra_keys(text: &str) -> Vec<String> {
        keys_after(text, &["tx(lang, \""])
    }

    fn keys_after(text: &str, markers: &[&str]) -> Vec<String> {
        let mut keys = Vec::new();
        // Literals starting with `"copy.` or `"workbooks.` are keys wherever they are
        // (passed on to a helper that translates them).
        for marker in markers.iter().copied().chain(["\"copy.", "\"workbooks."]) {
            let mut rest = text;
            while let Some(pos) = rest.find(marker) {
                let after = &rest[pos + marker.len()..];
                if let Some(end) = after.find('"') {
                    // For the prefix markers the prefix is part of the key.
                    let key = format!("{}{}", marker.strip_prefix('"').unwrap_or(""), &after[..end]);
                    if end > 0 && key.contains('.') && !key.contains(' ') {
                        keys.push(key);
                    }
                }
                rest = &rest[pos + marker.len()..];
            }
        }
        keys
    }

    #[test]
    fn parses_language_tags() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("zh-Hans"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(tr(Lang::En, "app.title"), "KPI Scorecard");
        assert_eq!(tr(Lang::ZhCn, "app.title"), "客服绩效计分卡");
    }
}
