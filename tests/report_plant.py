#!/usr/bin/env python3
"""report_plant.py - plant records across several towns and villages of
商城县 into a county database, and check the bureau's reports against
figures computed here from what was planted (never by the program's SQL).

  report_plant.py plant DB           plant the records
  report_plant.py check REPORT FILE  check a CSV (--codes) of REPORT;
                                     [--town CODE] for its villages
  report_plant.py xlsx REPORT FILE   check an xlsx workbook of REPORT

The divisions (town, 居民委员会 or 村民委员会) come from the division CSV
in data/, read here on its own. Prints what differs; exit 1 when anything
does.
"""
import csv
import datetime
import math
import os
import sqlite3
import sys

TODAY = datetime.date(2026, 11, 28)          # GUANQING_NOW of the tests
FROM = datetime.date(2026, 1, 1)             # the default period: the year to date
SINCE = TODAY - datetime.timedelta(days=89)  # the 90 days up to today

DATA = os.environ.get("GUANQING_DATA_DIR", "data")


def divisions():
    towns, villages = {}, {}
    with open(os.path.join(DATA, "shangcheng_divisions.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["level"] == "town":
                towns[r["code"]] = r["name"]
            elif r["level"] == "village":
                villages[r["code"]] = (r["name"], r["parent_code"], r["name"].endswith("居民委员会"))
    return towns, villages


def code_of(villages, name):
    for c, (n, _, _) in villages.items():
        if n.startswith(name):
            return c
    raise SystemExit("no village " + name)


# What is planted: places by name, so that the test reads as the county does.
CHILD_CATS = ["left_behind_child", "child_in_difficulty", "unsupported_child", "orphan"]
OLD_CATS = ["elderly_alone", "elderly_empty_nest", "elderly_advanced_age",
            "elderly_self_care_loss", "left_behind_elderly"]


def d(s):
    return datetime.date.fromisoformat(s)


def plan(villages):
    """The records: a list of dicts per table, with plain values."""
    v = lambda n: code_of(villages, n)
    P = {"person": [], "person_category": [], "visit": [], "referral": [], "meal_service": [],
         "facility": [], "application": [], "death_report": [], "activity": [],
         "peer": [], "bundle_in": []}
    n = [0]

    def nid(prefix):
        n[0] += 1
        return "%s%08d-0000-4000-8000-%012d" % (prefix, n[0], n[0])

    def person(village, name, cats, status="active", deleted=0, ended=None, visits=()):
        pid = nid("a")
        P["person"].append(dict(id=pid, village=village, name=name, status=status, deleted=deleted))
        for c in cats:
            P["person_category"].append(dict(id=nid("b"), village=village, person_id=pid, category=c,
                                             start_date="2020-01-01", end_date=ended, deleted=0))
        for i, (vd, fu, risk) in enumerate(visits):
            P["visit"].append(dict(id=nid("c"), village=village, person_id=pid, form_id="child_visit",
                                   visit_date=vd, followup_due=fu, risk_level=risk, deleted=0,
                                   created_at="2026-01-01T00:00:%02d.000Z" % i))
        return pid

    # Children in three towns.
    tw, gf, dj = v("塔湾村"), v("顾畈村"), v("东街社区")
    person(tw, "王小明", ["left_behind_child"], visits=[("2026-10-01", "2026-11-01", "high")])
    person(tw, "李秀英", ["left_behind_child", "orphan"],
           visits=[("2026-05-01", "2026-06-01", "low"), ("2026-11-20", "2026-12-20", "medium")])
    person(tw, "欧阳·娜娜", ["child_in_difficulty"], visits=[("2026-03-01", "2026-04-01", "low")])
    person(tw, "张桂兰", ["left_behind_child"], ended="2026-06-30")           # no longer followed
    person(tw, "赵丽", ["left_behind_child"], deleted=1)                      # deleted
    person(gf, "孙悟空", ["unsupported_child"], visits=[("2026-09-15", "2026-12-15", "medium")])
    person(gf, "周杰", ["orphan"])
    k = person(dj, "吴敏", ["left_behind_child"], visits=[("2026-11-01", "2026-11-20", "high")])
    person(dj, "郑和", ["left_behind_child"], status="moved_out")            # moved away
    for i, (vil, when) in enumerate([(tw, "2026-03-04"), (tw, "2025-12-30"), (dj, "2026-11-02")]):
        P["referral"].append(dict(id=nid("d"), village=vil, person_id=k, referral_date=when,
                                  reason="监护缺失", status="referred", deleted=0))
    # Elderly.
    xj, yy = v("西街社区"), v("塔湾村")
    person(xj, "冯老汉", ["elderly_alone", "elderly_advanced_age"], visits=[("2026-10-10", "2026-11-10", "medium")])
    person(xj, "何奶奶", ["elderly_empty_nest"], visits=[("2026-07-01", "2026-12-01", "low")])
    person(yy, "韩大爷", ["left_behind_elderly", "elderly_self_care_loss"],
           visits=[("2026-11-27", "2026-12-27", "low")])
    person(yy, "曹大娘", ["elderly_alone"], status="deceased")
    # Meal sites: 东街社区 and 南街社区 (赤城街道), 塔湾村 and 顾畈村 (双椿铺镇),
    # one closed in 西街社区, one opening next year in 汪桥镇's first village.
    nj = v("南街社区")
    wq = sorted(c for c, (nm, t, u) in villages.items() if t == "411524104")[0]
    fac = [(dj, "meal_site", 0, "2025-05-01", None), (nj, "canteen", 1, "2024-01-01", None),
           (tw, "meal_site", 0, "2026-02-01", None), (gf, "canteen", 0, "2026-03-01", None),
           (xj, "meal_site", 0, "2023-01-01", "2026-06-30"), (wq, "meal_site", 0, "2027-01-01", None),
           (tw, "care_home", 0, "2020-01-01", None)]
    for vil, kind, dm, op, cl in fac:
        P["facility"].append(dict(id=nid("e"), village=vil, kind=kind, name="助餐点", delivers_meals=dm,
                                  opened_date=op, closed_date=cl, deleted=0))
    site = P["facility"][0]["id"]
    for vil, when, meals in [(xj, "2026-03-01", 30), (xj, "2026-11-01", 12), (yy, "2026-10-05", 7),
                             (yy, "2025-12-31", 100)]:
        P["meal_service"].append(dict(id=nid("f"), village=vil, facility_id=site, service_date=when,
                                      meals=meals, deleted=0))
    # Applications.
    for vil, kind, ad, st, dd, amt in [
            (tw, "dibao", "2026-02-01", "approved", "2026-02-21", "600.00"),
            (tw, "dibao", "2026-03-01", "paid", "2026-03-11", "450.50"),
            (tw, "dibao", "2026-04-01", "rejected", "2026-04-04", None),
            (tw, "temporary", "2026-05-01", "submitted", None, None),
            (gf, "funeral_waiver", "2026-06-01", "approved", "2026-06-08", "1200.00"),
            (dj, "meal_subsidy", "2026-07-01", "approved", "2026-07-31", "300.00"),
            (dj, "dibao", "2025-11-01", "approved", "2025-12-01", "900.00")]:
        P["application"].append(dict(id=nid("g"), village=vil, person_id=k, kind=kind, apply_date=ad,
                                     status=st, decision_date=dd, amount_granted=amt, deleted=0))
    # Deaths.
    for vil, dd, burial, fw in [(tw, "2026-02-02", "tree", 1), (tw, "2026-03-03", "cremation", 0),
                                (tw, "2026-04-04", "flower", 0), (gf, "2026-05-05", "traditional", 1),
                                (gf, "2026-06-06", "scattering", 0), (dj, "2026-07-07", "wall", 1),
                                (dj, "2025-07-07", "tree", 0)]:
        P["death_report"].append(dict(id=nid("h"), village=vil, person_id=k, death_date=dd,
                                      burial_kind=burial, fee_waiver=fw, deleted=0))
    # Activities.
    for vil, kind, ad, part, leaf, ban in [(tw, "outreach", "2026-03-01", 40, 200, 2),
                                           (tw, "outreach", "2026-04-01", 25, 100, 1),
                                           (tw, "civilised_memorial", "2026-04-03", 60, 0, 3),
                                           (gf, "community", "2026-05-01", 18, 30, 0),
                                           (dj, "policy", "2026-09-09", 75, 500, 4),
                                           (dj, "policy", "2025-09-09", 99, 999, 9)]:
        P["activity"].append(dict(id=nid("i"), village=vil, kind=kind, title="清明文明祭扫宣传",
                                  activity_date=ad, participants=part, leaflets=leaf, banners=ban,
                                  deleted=0))
    # Stations: 塔湾村 imported bundles 1, 2, 5 (3-4 missing), 顾畈村 none.
    P["peer"].append(dict(id="s1000000-0000-4000-8000-000000000001", village=tw, recv_number=5,
                          sent_number=4, acked_number=1, last_import_at="2026-11-08T09:00:00.000Z"))
    P["peer"].append(dict(id="s2000000-0000-4000-8000-000000000002", village=gf, recv_number=0,
                          sent_number=0, acked_number=0, last_import_at=None))
    for num in (1, 2, 5):
        P["bundle_in"].append(dict(peer_id=P["peer"][0]["id"], number=num))
    return P


def plant(db):
    towns, villages = divisions()
    P = plan(villages)
    c = sqlite3.connect(db)
    now = "2026-11-28T08:00:00.000Z"
    for t, rows in P.items():
        for r in rows:
            r = dict(r)
            if t == "peer":
                r.update(role="station", sign_public="x", box_public="x", status="active",
                         enrolled_at="2026-01-05T08:00:00.000Z")
            elif t == "bundle_in":
                # imported when the station's peer row says it last was
                r.update(file_hash="h%d" % r["number"], changes=1, applied=1, conflicts=0,
                         refused_changes=0, imported_at="2026-11-08T09:00:00.000Z")
            else:
                r.setdefault("created_at", now)
                r.update(origin="planted", updated_at=now)
            cols = ",".join(r)
            c.execute("INSERT INTO %s (%s) VALUES (%s)" % (t, cols, ",".join("?" * len(r))),
                      list(r.values()))
    c.commit()
    c.close()


def active_people(P, cats):
    """Followed people: active, not deleted, with a live category of cats."""
    out = {}
    for p in P["person"]:
        if p["deleted"] or p["status"] != "active":
            continue
        mine = [c["category"] for c in P["person_category"]
                if c["person_id"] == p["id"] and c["category"] in cats
                and (c["end_date"] is None or d(c["end_date"]) > TODAY)]
        if mine:
            out[p["id"]] = (p, set(mine))
    return out


def latest_visit(P, pid):
    vs = [x for x in P["visit"] if x["person_id"] == pid and d(x["visit_date"]) <= TODAY]
    vs.sort(key=lambda x: (x["visit_date"], x["created_at"], x["id"]))
    return vs[-1] if vs else None


def in_period(s):
    return s is not None and FROM <= d(s) <= TODAY


def expected(report):
    """{village code: {column: number}} of what was planted."""
    towns, villages = divisions()
    P = plan(villages)
    per = {}

    def add(vil, col, n=1, key=None):
        row = per.setdefault((vil, key), {})
        row[col] = row.get(col, 0) + n

    if report in ("children", "elderly"):
        cats = CHILD_CATS if report == "children" else OLD_CATS
        names = (["left_behind", "in_difficulty", "unsupported", "orphans"] if report == "children"
                 else ["living_alone", "empty_nest", "advanced_age", "self_care_loss", "left_behind"])
        for pid, (p, mine) in active_people(P, cats).items():
            vil = p["village"]
            add(vil, report if report == "children" else "elderly")
            for cat, name in zip(cats, names):
                add(vil, name, 1 if cat in mine else 0)
            lv = latest_visit(P, pid)
            add(vil, "visited_90d", 1 if lv and d(lv["visit_date"]) >= SINCE else 0)
            add(vil, "overdue", 1 if lv and lv["followup_due"] and d(lv["followup_due"]) < TODAY else 0)
            if report == "children":
                for r in ("high", "medium", "low"):
                    add(vil, "risk_" + r, 1 if lv and lv["risk_level"] == r else 0)
        if report == "children":
            for r in P["referral"]:
                if in_period(r["referral_date"]):
                    add(r["village"], "referrals")
        else:
            for m in P["meal_service"]:
                if in_period(m["service_date"]):
                    add(m["village"], "meals", m["meals"])
    elif report == "meal-coverage":
        open_sites = {}
        for f in P["facility"]:
            if f["kind"] in ("meal_site", "canteen") and d(f["opened_date"]) <= TODAY and \
                    (f["closed_date"] is None or d(f["closed_date"]) > TODAY):
                open_sites.setdefault(f["village"], []).append(f)
        for code, (name, town, urban) in villages.items():
            sites = open_sites.get(code, [])
            add(code, "urban" if urban else "rural")
            add(code, "urban_covered" if urban else "rural_covered", 1 if sites else 0)
            add(code, "sites", len(sites))
            add(code, "delivering_canteens",
                sum(1 for s in sites if s["kind"] == "canteen" and s["delivers_meals"]))
    elif report == "assistance":
        label = {"dibao": "dibao", "temporary": "temporary", "funeral_waiver": "funeral_waiver",
                 "meal_subsidy": "meal_subsidy"}
        for a in P["application"]:
            if not in_period(a["apply_date"]):
                continue
            key = label[a["kind"]]
            add(a["village"], "applications", 1, key)
            add(a["village"], {"submitted": "submitted", "approved": "approved",
                               "rejected": "rejected", "paid": "paid"}[a["status"]], 1, key)
            if a["decision_date"]:
                add(a["village"], "_decided", 1, key)
                add(a["village"], "_days", (d(a["decision_date"]) - d(a["apply_date"])).days, key)
            if a["status"] in ("approved", "paid"):
                add(a["village"], "amount_approved", float(a["amount_granted"]), key)
    elif report == "funerals":
        for x in P["death_report"]:
            if not in_period(x["death_date"]):
                continue
            add(x["village"], "deaths")
            add(x["village"], x["burial_kind"])
            add(x["village"], "eco", 1 if x["burial_kind"] in ("tree", "flower", "lawn", "scattering", "wall") else 0)
            add(x["village"], "waivers_asked", x["fee_waiver"])
        for a in P["application"]:
            if a["kind"] == "funeral_waiver" and a["status"] in ("approved", "paid") and in_period(a["decision_date"]):
                add(a["village"], "waivers_granted")
    elif report == "activities":
        for a in P["activity"]:
            if in_period(a["activity_date"]):
                add(a["village"], "activities", 1, a["kind"])
                add(a["village"], "participants", a["participants"], a["kind"])
                add(a["village"], "leaflets", a["leaflets"], a["kind"])
                add(a["village"], "banners", a["banners"], a["kind"])
    return towns, villages, per


def derive(report, row):
    """The shares and averages of a row of sums, as this test reads the issue."""
    out = dict(row)
    g = lambda k: row.get(k, 0)
    if report in ("children", "elderly"):
        n = g(report if report == "children" else "elderly")
        out["visited_share"] = round(100.0 * g("visited_90d") / n, 1) if n else None
    if report == "elderly":
        months = (TODAY.year * 12 + TODAY.month) - (FROM.year * 12 + FROM.month) + 1
        out["meals_per_month"] = round(g("meals") / months, 1)
    if report == "meal-coverage":
        for side, target in (("urban", 40), ("rural", 10)):
            n, cov = g(side), g(side + "_covered")
            out[side + "_share"] = round(100.0 * cov / n, 1) if n else None
            out[side + "_needed"] = max(0, math.ceil(n * target / 100.0) - cov)
    if report == "funerals":
        out["eco_share"] = round(100.0 * g("eco") / g("deaths"), 1) if g("deaths") else None
    if report == "assistance":
        out["days_to_decision"] = round(g("_days") / g("_decided"), 1) if g("_decided") else None
        out.pop("_days", None)
        out.pop("_decided", None)
    return out


KIND_LABELS = {}


def check(report, path, town=None):
    towns, villages, per = expected(report)
    # Fold villages into the rows the report prints.
    want = {}
    for (vil, key), row in per.items():
        tcode = villages[vil][1]
        targets = [vil] if town else [tcode, ""]
        if town and tcode != town:
            continue
        if town:
            targets.append(town)
        for t in targets:
            w = want.setdefault((t, key), {})
            for c, n in row.items():
                w[c] = w.get(c, 0) + n
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    bad = 0
    got = {}
    for r in rows:
        key = r.get("kind") if report in ("assistance", "activities") else None
        got[(r["code"], key)] = r
    if report in ("assistance", "activities"):
        # Kinds are shown by label: match them through the planted codes' labels.
        got = {}
        for r in rows:
            got.setdefault(r["code"], []).append(r)
    for (code, key), w in sorted(want.items(), key=lambda x: (x[0][0], str(x[0][1]))):
        w = derive(report, w)
        if report in ("assistance", "activities"):
            cands = [r for r in got.get(code, []) if r["kind"] == KIND_LABELS.get(key, key)]
            r = cands[0] if len(cands) == 1 else None
        else:
            r = got.get((code, None))
        if r is None:
            print("# %s: no row for %s %s" % (report, code or "the county", key or ""))
            bad += 1
            continue
        for c, n in w.items():
            v = r.get(c)
            if v is None:
                print("# %s: no column %s" % (report, c))
                bad += 1
            elif n is None:
                if v != "":
                    print("# %s %s %s: %s is %r, want empty" % (report, code, key or "", c, v))
                    bad += 1
            elif abs(float(v or 0) - float(n)) > 0.051:
                print("# %s %s %s: %s is %s, want %s" % (report, code or "county", key or "", c, v, n))
                bad += 1
    # Rows of places where nothing was planted hold only zeros.
    if report in ("assistance", "activities"):
        nrows = sum(len(x) for x in got.values())
        if nrows != len(want):
            print("# %s: %d rows, want %d" % (report, nrows, len(want)))
            bad += 1
    return bad


def main():
    if sys.argv[1] == "plant":
        plant(sys.argv[2])
        return 0
    if sys.argv[1] == "check":
        town = sys.argv[4] if len(sys.argv) > 4 else None
        bad = check(sys.argv[2], sys.argv[3], town)
        return 1 if bad else 0
    raise SystemExit("usage: report_plant.py plant DB | check REPORT FILE [TOWN]")


if __name__ == "__main__":
    sys.exit(main())
