/* duplicates.c - the same person in two villages: one read over the ID
 * numbers found in more than one village (duplicates.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/date.h"
#include "guanqing/duplicates.h"
#include "guanqing/i18n.h"
#include "guanqing/merge.h"
#include "guanqing/strbuf.h"

/* dupn: the ID numbers on live records of two villages or more (the GROUP
 * BY walks the person_id_number index), a number refused at import
 * (id_claim) counting for the record that has none; p: their records (the
 * only rows the rest looks at: CROSS JOIN keeps them the
 * outer loop, so benefits are found through the person_id indexes, never
 * by a scan of the meal services); dead: those recorded
 * deceased; ben: what they receive (see duplicates.h); vn: "town village"
 * names. The three parts are the three kinds of finding. */
static const char dup_sql[] =
	"WITH dupn AS ("
	" SELECT id_number FROM person WHERE deleted = 0 AND id_number IS NOT NULL"
	" GROUP BY id_number HAVING min(village) <> max(village)"
	" UNION SELECT k.id_number FROM id_claim k JOIN person c ON c.id = k.person_id"
	" JOIN person o ON o.id_number = k.id_number"
	" WHERE c.deleted = 0 AND c.id_number IS NULL AND o.deleted = 0 AND o.village <> c.village),"
	"p AS ("
	" SELECT id, name, id_number, village, status, status_date FROM person"
	" WHERE deleted = 0 AND id_number IN dupn"
	" UNION ALL SELECT c.id, c.name, k.id_number, c.village, c.status, c.status_date"
	" FROM id_claim k JOIN person c ON c.id = k.person_id"
	" WHERE c.deleted = 0 AND c.id_number IS NULL AND k.id_number IN dupn),"
	"dead AS ("
	" SELECT p.id AS pid, p.status_date AS day FROM p WHERE p.status = 'deceased'"
	" UNION SELECT d.person_id, d.death_date FROM p CROSS JOIN death_report d ON d.person_id = p.id"
	" WHERE d.deleted = 0),"
	"ben AS ("
	" SELECT a.person_id AS pid,"
	"  CASE a.kind WHEN 'funeral_waiver' THEN 'funeral_waiver' ELSE a.kind END AS b"
	" FROM p CROSS JOIN application a ON a.person_id = p.id"
	" WHERE a.deleted = 0 AND a.status IN ('approved', 'paid')"
	" AND a.kind IN ('dibao', 'tekun', 'meal_subsidy', 'funeral_waiver')"
	" UNION SELECT d.person_id, 'funeral_waiver' FROM p CROSS JOIN death_report d ON d.person_id = p.id"
	" WHERE d.deleted = 0 AND d.fee_waiver = 1"
	" UNION SELECT m.person_id, 'meal_subsidy' FROM p CROSS JOIN meal_service m ON m.person_id = p.id"
	" WHERE m.deleted = 0 AND m.service_date >= ?1),"
	"vn AS ("
	" SELECT v.code, COALESCE(t.name, '') || v.name AS name FROM division v"
	" LEFT JOIN division t ON t.code = v.parent_code WHERE v.level = 'village')"
	" SELECT 1, x.id_number, NULL, group_concat(x.name, '、'), group_concat(x.vname, '、'),"
	"  min(x.id), COUNT(*), COUNT(DISTINCT x.village), NULL, NULL, NULL"
	" FROM (SELECT p.*, COALESCE(vn.name, p.village) AS vname FROM p"
	"  LEFT JOIN vn ON vn.code = p.village ORDER BY p.id_number, p.village, p.id) x"
	" GROUP BY x.id_number"
	" UNION ALL"
	" SELECT 2, x.id_number, x.b, group_concat(x.name, '、'), group_concat(x.vname, '、'),"
	"  min(x.id), COUNT(*), COUNT(DISTINCT x.village), NULL, NULL, NULL"
	" FROM (SELECT p.*, ben.b, COALESCE(vn.name, p.village) AS vname FROM ben"
	"  JOIN p ON p.id = ben.pid LEFT JOIN vn ON vn.code = p.village"
	"  ORDER BY p.id_number, ben.b, p.village, p.id) x"
	" GROUP BY x.id_number, x.b HAVING COUNT(DISTINCT x.village) > 1"
	" UNION ALL"
	" SELECT 3, pd.id_number, ben.b, pd.name || '、' || pr.name,"
	"  COALESCE(dv.name, pd.village) || '、' || COALESCE(rv.name, pr.village),"
	"  pr.id, 2, 2, COALESCE(dv.name, pd.village), COALESCE(rv.name, pr.village), max(dead.day)"
	" FROM dead JOIN p pd ON pd.id = dead.pid"
	" JOIN p pr ON pr.id_number = pd.id_number AND pr.village <> pd.village"
	" JOIN ben ON ben.pid = pr.id AND ben.b <> 'funeral_waiver'"
	" LEFT JOIN vn dv ON dv.code = pd.village LEFT JOIN vn rv ON rv.code = pr.village"
	" GROUP BY pd.id, pr.id, ben.b"
	" ORDER BY 1, 2, 3, 6";

void duplicates_note_refused(struct gq_db *db, const struct change *c, const char *village)
{
	char now[32];
	sqlite3_stmt *st;
	struct gq_err e;

	if (db->role != DB_ROLE_COUNTY || strcmp(c->tbl, "person") || strcmp(c->field, "id_number") ||
	    c->value.type != VAL_TEXT || !c->value.s)
		return;
	clock_iso(clock_now_ms(), now, sizeof(now));
	if (db_prepare(db, "INSERT OR REPLACE INTO id_claim (person_id, id_number, village, origin, noted_at)"
		       " VALUES (?1, ?2, ?3, ?4, ?5)", &st, &e) != GQ_OK)
		return;
	sqlite3_bind_text(st, 1, c->row_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->value.s, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->village[0] ? c->village : village, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

static const char *benefit_label(const char *code)
{
	if (!code)
		return NULL;
	if (!strcmp(code, "dibao"))
		return _("minimum living allowance");
	if (!strcmp(code, "tekun"))
		return _("extreme-poverty support");
	if (!strcmp(code, "meal_subsidy"))
		return _("meal subsidy");
	if (!strcmp(code, "funeral_waiver"))
		return _("funeral-fee waiver");
	return code;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

enum gq_status duplicates_each(struct gq_db *db, const char *today, dup_fn fn, void *arg,
			       struct gq_err *err)
{
	char day[DATE_SIZE], since[DATE_SIZE];
	struct strbuf detail = STRBUF_INIT;
	sqlite3_stmt *st;
	enum gq_status rc;
	int step;

	if (!today) {
		clock_today(day, sizeof(day));
		today = day;
	}
	if (date_add_days(today, -(DUP_MEAL_DAYS - 1), since) != 0)
		return gq_err_set(err, GQ_EINVAL, _("\"%s\" is not a date written YYYY-MM-DD."), today);
	rc = db_prepare(db, dup_sql, &st, err);
	if (rc != GQ_OK)
		return rc;
	sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct dup_row r;

		r.kind = (enum dup_kind)sqlite3_column_int(st, 0);
		r.id_number = col(st, 1);
		r.benefit = col(st, 2);
		r.benefit_label = benefit_label(r.benefit);
		r.names = col(st, 3);
		r.villages = col(st, 4);
		r.person_id = col(st, 5);
		strbuf_reset(&detail);
		switch (r.kind) {
		case DUP_ID_NUMBER:
			r.kind_label = _("ID number in two villages");
			strbuf_addf(&detail, _("%lld person records in %lld villages: keep the one of the village where the person lives."),
				    (long long)sqlite3_column_int64(st, 6),
				    (long long)sqlite3_column_int64(st, 7));
			break;
		case DUP_BENEFIT:
			r.kind_label = _("same benefit in two places");
			strbuf_addf(&detail, _("%s is received in %lld villages."), r.benefit_label,
				    (long long)sqlite3_column_int64(st, 7));
			break;
		default:
			r.kind_label = _("deceased but receiving");
			strbuf_addf(&detail, _("Recorded deceased in %s (%s) and receiving %s in %s."),
				    col(st, 8) ? col(st, 8) : "", col(st, 10) ? col(st, 10) : "?",
				    r.benefit_label, col(st, 9) ? col(st, 9) : "");
			break;
		}
		r.detail = detail.buf;
		if (fn(arg, &r))
			break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = db_error(db, _("reading the duplicates across villages"), err);
	sqlite3_finalize(st);
	strbuf_release(&detail);
	return rc;
}
