"""Reference RFM for the Online Retail test (TestOnlineRetailRFMMatchesPandas).

Run once by hand with real pandas (Debian python3-pandas 1.5.3, numpy 1.24.2):

    /usr/bin/python3 internal/insight/testdata/rfm_pandas.py ../shared/data/online-retail/online_retail.csv.gz

and copy the printed figures into rfm_retail_test.go. This is the textbook
pandas recipe: common cleaning, recency = (as_of - last purchase).days with
as_of the day after the last invoice at midnight, frequency = distinct
invoices, monetary = sum(Quantity * UnitPrice); qcut quintiles with recency
reversed and frequency ranked with method="first" on the frame grouped (and
so sorted) by CustomerID; the 10-cell grid by regex on the "RF" string.
"""
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1], dtype={"InvoiceNo": str, "StockCode": str}, parse_dates=["InvoiceDate"])
last_event = df.InvoiceDate.max()
df = df[df.CustomerID.notna() & ~df.InvoiceNo.str.startswith("C") & (df.Quantity > 0) & (df.UnitPrice > 0)].copy()
print("rows", len(df), "customers", df.CustomerID.nunique())
df["TotalPrice"] = df.Quantity * df.UnitPrice
as_of = (last_event + pd.Timedelta(days=1)).normalize()
print("as_of", as_of)
rfm = df.groupby("CustomerID").agg(
    recency=("InvoiceDate", lambda x: (as_of - x.max()).days),
    frequency=("InvoiceNo", "nunique"),
    monetary=("TotalPrice", "sum"),
)
r, redges = pd.qcut(rfm.recency, 5, labels=[5, 4, 3, 2, 1], retbins=True)
f, fedges = pd.qcut(rfm.frequency.rank(method="first"), 5, labels=[1, 2, 3, 4, 5], retbins=True)
m, medges = pd.qcut(rfm.monetary, 5, labels=[1, 2, 3, 4, 5], retbins=True)
rfm["R"], rfm["F"], rfm["M"] = r.astype(int), f.astype(int), m.astype(int)
print("recency_edges", [repr(float(x)) for x in redges])
print("frequency_edges", [repr(float(x)) for x in fedges])
print("monetary_edges", [repr(float(x)) for x in medges])
for col in "RFM":
    print(col, "counts", rfm[col].value_counts().sort_index().to_dict())

seg_map = {
    r"[1-2][1-2]": "hibernating",
    r"[1-2][3-4]": "at_risk",
    r"[1-2]5": "cant_loose",
    r"3[1-2]": "about_to_sleep",
    r"33": "need_attention",
    r"[3-4][4-5]": "loyal_customers",
    r"41": "promising",
    r"51": "new_customers",
    r"[4-5][2-3]": "potential_loyalists",
    r"5[4-5]": "champions",
}
rfm["grid"] = (rfm.R.astype(str) + rfm.F.astype(str)).replace(seg_map, regex=True)
print("grid", dict(sorted(rfm.grid.value_counts().to_dict().items())))

# R rfm package rule table (rfm_segment example / testthat), first match wins.
names = ["Champions", "Loyal Customers", "Potential Loyalist", "New Customers", "Promising",
         "Need Attention", "About To Sleep", "At Risk", "Can't Lose Them", "Lost"]
rl = [4, 2, 3, 4, 3, 2, 2, 1, 1, 1]; ru = [5, 5, 5, 5, 4, 3, 3, 2, 1, 2]
fl = [4, 3, 1, 1, 1, 2, 1, 2, 4, 1]; fu = [5, 5, 3, 1, 1, 3, 2, 5, 5, 2]
ml = [4, 3, 1, 1, 1, 2, 1, 2, 4, 1]; mu = [5, 5, 3, 1, 1, 3, 2, 5, 5, 2]
def rule(row):
    for i, n in enumerate(names):
        if rl[i] <= row.R <= ru[i] and fl[i] <= row.F <= fu[i] and ml[i] <= row.M <= mu[i]:
            return n
    return "Others"
rfm["pkg"] = rfm.apply(rule, axis=1)
print("rfm_package", dict(sorted(rfm.pkg.value_counts().to_dict().items())))
for cid in [12346.0, 12347.0, 12748.0, 14646.0, 17850.0, 18287.0]:
    row = rfm.loc[cid]
    print("customer", int(cid), int(row.recency), int(row.frequency), repr(float(row.monetary)), f"{row.R}{row.F}{row.M}", row.grid, row.pkg)
