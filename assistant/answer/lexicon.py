"""Words for metrics, periods and question types in Chinese and English."""

from __future__ import annotations

METRICS: dict[str, tuple[str, ...]] = {
    "revenue": ("营收", "营业收入", "收入", "销售额", "revenue", "sales"),
    "net_loss": ("净亏损", "亏损", "亏", "net loss", "loss", "losses", "lost"),
    "net_profit": ("净利润", "归母净利润", "扣非净利润", "盈利", "利润", "net profit", "profit", "earnings", "net income"),
    "rd": ("研发", "研发投入", "研发费用", "研发支出", "r&d", "research and development"),
    "gross_margin": ("毛利率", "gross margin"),
    "proceeds": ("募资", "募集资金", "募集", "集资", "募得", "proceeds", "raise", "raised", "raising", "ipo size"),
    "offer_price": ("发行价", "招股价", "发售价", "offer price", "issue price", "priced at", "ipo price"),
    "shares_offered": ("发行股数", "发售", "新股", "h股", "shares offered", "new shares", "h shares"),
    "market_cap": ("市值", "估值", "market value", "market cap", "valuation", "valued"),
    "listing": ("上市", "挂牌", "登陆", "listing", "listed", "list", "debut"),
    "backlog": ("在手订单", "订单", "backlog", "orders on hand", "order book"),
    "market_share": ("市场份额", "份额", "占比", "市占率", "market share"),
    "shipments": ("出货量", "出货", "销量", "交付", "shipments", "shipped", "deliveries", "production"),
    "performance": ("算力", "性能", "tflops", "tops", "fp16", "bf16", "int8", "fp32", "performance"),
    "subscription": ("认购", "超额认购", "中签率", "申购", "oversubscribed", "subscription", "allotment"),
    "first_day": ("首日", "开盘", "收盘", "first day", "opened", "closed", "first-day"),
    "founder": ("创始人", "创办人", "董事长", "founder", "chairman"),
    "founded": ("成立", "创立", "founded", "established"),
    "transistors": ("晶体管", "transistors"),
    "memory": ("显存", "hbm", "hbm2e", "hbm3", "带宽", "memory", "bandwidth"),
    "cornerstone": ("基石投资者", "基石", "cornerstone"),
    "shareholding": ("持股", "持有", "股权", "stake", "holds", "shareholding"),
    "process": ("制程", "工艺", "process node"),
    "growth": ("增长", "同比", "增幅", "增速", "grow", "growth", "grew", "increase", "rose", "yoy", "jump"),
    "runway": ("撑多久", "能撑", "支撑", "跑道", "runway", "last"),
}
# Metrics that refine another metric rather than name one ("revenue growth").
MODIFIER_METRICS = frozenset({"growth"})

PERIOD_PARTS: dict[str, tuple[str, ...]] = {
    "H1": ("上半年", "h1", "first half", "1h"),
    "H2": ("下半年", "h2", "second half", "2h"),
    "Q1": ("一季度", "第一季度", "q1", "first quarter", "1q"),
    "Q2": ("二季度", "第二季度", "q2", "second quarter", "2q"),
    "Q3": ("三季度", "第三季度", "q3", "third quarter", "3q"),
    "Q4": ("四季度", "第四季度", "q4", "fourth quarter", "4q"),
    "9M": ("前三季度", "1-9月", "1–9月", "9m", "first three quarters", "nine months", "1–9m", "1-9m"),
}

QUANTITY_WORDS = (
    "多少", "几", "多大", "多高", "规模", "how much", "how many", "what was", "what is", "what were", "how big",
    "how large", "how high", "figure", "amount",
)
DATE_WORDS = ("何时", "什么时候", "哪天", "哪一天", "日期", "时间", "when", "what date", "which day")
WHO_WORDS = ("谁", "哪位", "who")

# Question words that carry no content of their own (never required in the evidence).
GENERIC_TERMS = frozenset(
    """公司 企业 芯片 gpu gpgpu ai 国产 中国 国内 科技 股份 集团 情况 数据 数字 多少钱 是多少 为多少 一共 总共 合计 报道 来源
    消息 分别 各自 各 哪家 相比 比较 对比 还是 以及 它 它的 这家 该公司 那 呢 吗 年 月 日 全年 年度 今年 去年 最新 目前 当时 大概
    亿元 万元 港元 美元 元 亿 万 company companies chip chips firm its it their they the and vs versus compare
    compared what which how much many was is were are did does do in of for on by to a an at as year years full
    total latest current according source sources china chinese domestic share shares ipo hong kong
    plan planned planning 计划 香港 港股 a股 上市公司
    """.split()
)
