/* demo.c - demo records: a made-up but realistic 宋岗村 station.
 *
 * Everything goes through record_create(), so every demo record passes the
 * same validation as typed ones. The random choices come from a small PRNG
 * of our own seeded by the caller, and every date is counted back from the
 * program's clock (clock_today()), so a fixed clock and a seed always give
 * the same records (except their random UUIDs).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guanqing/clock.h"
#include "guanqing/auth.h"
#include "guanqing/demo.h"
#include "guanqing/form.h"
#include "guanqing/i18n.h"
#include "guanqing/record.h"
#include "guanqing/strbuf.h"
#include "guanqing/tables.h"
#include "guanqing/uid.h"
#include "guanqing/validate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DEMO_PEOPLE 150
#define NGRIDS 3
#define MAXV 16

struct rng {
	unsigned long long s;
};

/* splitmix64: tiny, good enough, and the same on every platform. */
static unsigned rng_next(struct rng *r)
{
	unsigned long long z = (r->s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (unsigned)((z ^ (z >> 31)) >> 32);
}

/* A number in lo..hi inclusive. */
static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)(rng_next(r) % (unsigned)(hi - lo + 1));
}

static const char *rng_pick(struct rng *r, const char *const *a, size_t n)
{
	return a[rng_next(r) % n];
}

#define PICK(r, a) rng_pick(r, a, N(a))

/* Common surnames of southern Henan, and a few read differently as
 * surnames (单 Shàn, 曾 Zēng, 解 Xiè, 仇 Qiú). */
static const char *const surnames[] = {
	"王", "王", "王", "李", "李", "张", "张", "刘", "陈", "陈", "杨", "黄",
	"周", "吴", "徐", "胡", "余", "余", "汪", "汪", "单", "曾", "解", "仇",
};
static const char *const old_m[] = {
	"德明", "国强", "建国", "富贵", "春生", "长海", "守义", "玉田", "永福",
	"振华", "广才", "明", "忠", "山",
};
static const char *const old_f[] = {
	"桂英", "秀英", "玉兰", "凤英", "桂兰", "兰英", "秀珍", "翠花", "玉珍",
	"素芳", "梅", "英",
};
static const char *const mid_m[] = {
	"伟", "军", "勇", "强", "磊", "建华", "志刚", "晓东", "海涛", "国庆",
	"俊", "鹏", "超",
};
static const char *const mid_f[] = {
	"红霞", "丽", "敏", "静", "海燕", "丽娟", "娜", "芳", "春梅", "小红",
	"艳",
};
static const char *const young_m[] = {
	"浩然", "梓轩", "子豪", "宇航", "俊杰", "子墨", "明轩", "一鸣", "浩宇",
	"博", "轩", "睿",
};
static const char *const young_f[] = {
	"子涵", "欣怡", "雨桐", "一诺", "思雨", "佳琪", "梓萱", "诗涵", "可馨",
	"雪", "悦", "萌",
};
static const char *const groups[] = {
	"王湾组", "李岗组", "张洼组", "河口组", "小庙组", "陈庄组",
};
static const char *const away_places[] = {
	"广东东莞", "浙江义乌", "上海", "郑州",
};
static const char *const phone_prefix[] = {
	"135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
	"176", "177", "180", "182", "186", "187", "188", "199",
};

enum gen { GEN_OLD, GEN_MID, GEN_YOUNG };

struct demo {
	struct gq_db *db;
	struct gq_err *err;
	struct rng r;
	char today[VALIDATE_DATE_SIZE];
	int persons, idseq;
	char users[NGRIDS][UID_LEN + 1];
	char grids[NGRIDS][UID_LEN + 1];
	char canteen[UID_LEN + 1], meal_site[UID_LEN + 1];
	struct form *child, *elderly, *assist, *death;
	char referral_child[UID_LEN + 1];
	char dying[UID_LEN + 1];
	int house_no[N(groups)];
};

struct person {
	char id[UID_LEN + 1];
	char name[64];
	char phone[16];
	char birth[24];
	char sex;
	int grid;
};

/* A list of field values with their own storage. */
struct vals {
	struct rec_value v[MAXV];
	char buf[MAXV][128];
	size_t n;
};

static void vals_add(struct vals *vs, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void vals_add(struct vals *vs, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (vs->n >= MAXV)
		return;
	va_start(ap, fmt);
	vsnprintf(vs->buf[vs->n], sizeof(vs->buf[0]), fmt, ap);
	va_end(ap);
	vs->v[vs->n].field = field;
	vs->v[vs->n].text = vs->buf[vs->n];
	vs->n++;
}

static enum gq_status add(struct demo *d, const char *table, struct vals *vs,
			  char *id_out)
{
	char tmp[UID_LEN + 1];
	enum gq_status rc;

	rc = record_create(d->db, table_find(table), vs->v, vs->n, NULL,
			   id_out ? id_out : tmp, d->err);
	vs->n = 0;
	return rc;
}

/* today - days as YYYY-MM-DD. */
static void days_ago(struct demo *d, int days, char *out)
{
	if (validate_date_add_days(d->today, -days, out, NULL) != GQ_OK)
		snprintf(out, VALIDATE_DATE_SIZE, "%s", d->today);
}

static void make_phone(struct demo *d, char *out, size_t size)
{
	snprintf(out, size, "%s%04d%04d", PICK(&d->r, phone_prefix),
		 rng_range(&d->r, 0, 9999), rng_range(&d->r, 0, 9999));
}

/* A GB 11643 number for a person of Shangcheng County born on birth. */
static void make_id_number(struct demo *d, const char *birth, char sex,
			   char out[19])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int tries, i, sum;
	sqlite3_stmt *st = NULL;

	sqlite3_prepare_v2(d->db->h, "SELECT 1 FROM person WHERE id_number = ?1", -1, &st, NULL);
	/* 500 sequence numbers of each sex per birth date: take the next one
	 * nobody born that day holds yet (a large demo has many twins of date). */
	for (tries = 0; tries < 500; tries++) {
		int seq = ((d->idseq++ % 450) * 2 + 100 + (sex == 'M')) % 1000;
		int taken = 0;

		snprintf(out, 19, "411524%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8, seq);
		for (i = 0, sum = 0; i < 17; i++)
			sum += (out[i] - '0') * w[i];
		out[17] = "10X98765432"[sum % 11];
		out[18] = '\0';
		if (st) {
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, out, -1, SQLITE_STATIC);
			taken = sqlite3_step(st) == SQLITE_ROW;
		}
		if (!taken)
			break;
	}
	sqlite3_finalize(st);
}

static void make_birth(struct demo *d, int y0, int y1, char *out)
{
	snprintf(out, 24, "%04d-%02d-%02d", rng_range(&d->r, y0, y1),
		 rng_range(&d->r, 1, 12), rng_range(&d->r, 1, 28));
}

static enum gq_status add_person(struct demo *d, const char *household,
				 const char *address, int grid,
				 const char *surname, char sex, enum gen g,
				 int y0, int y1, const char *relation,
				 struct person *p)
{
	const char *given;
	char idn[19];
	struct vals vs = { .n = 0 };

	memset(p, 0, sizeof(*p));
	p->sex = sex;
	p->grid = grid;
	if (g == GEN_OLD)
		given = sex == 'M' ? PICK(&d->r, old_m) : PICK(&d->r, old_f);
	else if (g == GEN_MID)
		given = sex == 'M' ? PICK(&d->r, mid_m) : PICK(&d->r, mid_f);
	else
		given = sex == 'M' ? PICK(&d->r, young_m) : PICK(&d->r, young_f);
	snprintf(p->name, sizeof(p->name), "%s%s", surname ? surname : PICK(&d->r, surnames), given);
	make_birth(d, y0, y1, p->birth);
	make_id_number(d, p->birth, sex, idn);
	vals_add(&vs, "name", "%s", p->name);
	vals_add(&vs, "id_number", "%s", idn);
	if (g != GEN_YOUNG && rng_range(&d->r, 0, 9) < (g == GEN_MID ? 10 : 6)) {
		make_phone(d, p->phone, sizeof(p->phone));
		vals_add(&vs, "phone", "%s", p->phone);
	}
	vals_add(&vs, "household_id", "%s", household);
	vals_add(&vs, "relation", "%s", relation);
	vals_add(&vs, "grid_id", "%s", d->grids[grid]);
	vals_add(&vs, "address", "%s", address);
	d->persons++;
	return add(d, "person", &vs, p->id);
}

static enum gq_status add_category(struct demo *d, const struct person *p,
				   const char *cat, int since_days)
{
	struct vals vs = { .n = 0 };
	char day[VALIDATE_DATE_SIZE];

	days_ago(d, since_days, day);
	if (validate_date_cmp(day, p->birth) < 0)
		snprintf(day, sizeof(day), "%.10s", p->birth);
	vals_add(&vs, "person_id", "%s", p->id);
	vals_add(&vs, "category", "%s", cat);
	vals_add(&vs, "start_date", "%s", day);
	return add(d, "person_category", &vs, NULL);
}

static int age_of(struct demo *d, const struct person *p)
{
	int age = 0;

	validate_age_on(p->birth, d->today, &age, NULL);
	return age;
}

/* ---- visits ---------------------------------------------------------- */

/* Fill the visible required fields the scenario left open with the first
 * (calmest) choice or the lowest allowed value, then check the whole. */
static enum gq_status finish_answers(struct demo *d, struct form *f,
				     struct form_answers *a)
{
	struct strbuf def = STRBUF_INIT;
	size_t i;

	for (i = 0; i < form_field_count(f); i++) {
		const char *id = form_field_id(f, i);

		if (!form_field_visible(f, a, i) || form_answers_get(a, id) ||
		    !form_field_required(f, i))
			continue;
		if (form_field_default(f, a, i, &def)) {
			form_answers_set(a, id, def.buf);
			continue;
		}
		switch (form_field_type(f, i)) {
		case FORM_CHOICE:
		case FORM_MULTI:
			form_answers_set(a, id, form_field_choice_code(f, i, 0));
			break;
		case FORM_YESNO:
			form_answers_set(a, id, "yes");
			break;
		case FORM_INTEGER:
		case FORM_DECIMAL:
			form_answers_set(a, id, form_field_min(f, i) ? form_field_min(f, i) : "1");
			break;
		case FORM_DATE:
			form_answers_set(a, id, d->today);
			break;
		default:
			form_answers_set(a, id, "已了解情况");
			break;
		}
	}
	strbuf_release(&def);
	form_answers_prune(f, a);
	return form_check(f, a, 0, d->err);
}

static enum gq_status add_visit(struct demo *d, struct form *f,
				const struct person *p, int days,
				struct form_answers *a, const char *notes)
{
	struct strbuf json = STRBUF_INIT;
	struct vals vs = { .n = 0 };
	char day[VALIDATE_DATE_SIZE];
	enum gq_status rc;

	days_ago(d, days, day);
	/* The form's proposals count from the visit's own date. */
	form_answers_set_day(a, day);
	rc = finish_answers(d, f, a);
	if (rc == GQ_OK) {
		form_answers_to_json(f, a, &json);
		vals_add(&vs, "person_id", "%s", p->id);
		vals_add(&vs, "form_id", "%s", form_id(f));
		vals_add(&vs, "visit_date", "%s", day);
		vals_add(&vs, "visitor_id", "%s", d->users[p->grid]);
		vs.v[vs.n].field = "answers";	/* may be longer than a buf */
		vs.v[vs.n++].text = json.buf;
		if (notes)
			vals_add(&vs, "notes", "%s", notes);
		rc = add(d, "visit", &vs, NULL);
	}
	strbuf_release(&json);
	form_answers_release(a);
	return rc;
}

/* 0 low, 1 medium, 2 high. */
static int pick_risk(struct demo *d)
{
	int x = rng_range(&d->r, 0, 99);

	return x < 12 ? 2 : x < 35 ? 1 : 0;
}

static void child_grade(int age, struct form_answers *a)
{
	static const char *const grades[] = {
		"primary_1", "primary_2", "primary_3", "primary_4", "primary_5",
		"primary_6", "junior_1", "junior_2", "junior_3", "senior_1",
		"senior_2", "senior_3",
	};

	if (age < 3) {
		form_answers_set(a, "school_status", "preschool");
		return;
	}
	form_answers_set(a, "school_status", "in_school");
	if (age < 6) {
		form_answers_set(a, "grade", "kindergarten");
		form_answers_set(a, "school_name", "宋岗村幼儿园");
	} else if (age - 6 < (int)N(grades)) {
		form_answers_set(a, "grade", grades[age - 6]);
		form_answers_set(a, "school_name", age < 12 ? "宋岗小学" :
				 age < 15 ? "双椿铺镇第一初级中学" : "商城县高级中学");
	} else {
		form_answers_set(a, "grade", "vocational");
		form_answers_set(a, "school_name", "商城县职业中专");
	}
}

static enum gq_status child_visits(struct demo *d, const struct person *p,
				   int orphan)
{
	int n = rng_range(&d->r, 1, 3), last = rng_range(&d->r, 1, 120), k;
	enum gq_status rc = GQ_OK;

	for (k = n - 1; k >= 0 && rc == GQ_OK; k--) {
		struct form_answers a = FORM_ANSWERS_INIT;
		int days = last + k * rng_range(&d->r, 30, 50);
		int risk = k == 0 ? pick_risk(d) : 0;
		const char *notes = NULL;

		if (days > 180)
			continue;
		/* A visit's recent high risk: the follow-up is due within a week. */
		if (risk == 2)
			days = rng_range(&d->r, 1, 6);
		form_answers_set(&a, "visit_kind", rng_range(&d->r, 0, 4) ? "home" : "school");
		form_answers_set(&a, "child_seen", "yes");
		form_answers_set(&a, "guardian_present", "yes");
		form_answers_set(&a, "guardian_relation", "grandparent");
		form_answers_set(&a, "guardian_health", rng_range(&d->r, 0, 1) ? "old" : "healthy");
		form_answers_set(&a, "guardian_care", rng_range(&d->r, 0, 2) ? "good" : "fair");
		form_answers_set(&a, "parents_contact", orphan ? "unreachable" : "weekly");
		form_answers_set(&a, "parents_contact_times", "4");
		child_grade(age_of(d, p), &a);
		form_answers_set(&a, "health", "healthy");
		form_answers_set(&a, "safety_risks", "traffic");
		form_answers_set(&a, "psych_state", "good");
		if (risk == 1) {
			form_answers_set(&a, "safety_risks", "drowning,traffic");
			form_answers_set(&a, "parents_contact", "monthly");
			form_answers_set(&a, "parents_contact_times", "1");
			form_answers_set(&a, "psych_state", "withdrawn");
			form_answers_set(&a, "needs", "counselling");
			form_answers_set(&a, "measures", "向监护人宣传防溺水知识，联系学校老师多关心孩子");
		} else if (risk == 2) {
			form_answers_set(&a, "guardian_health", "serious");
			form_answers_set(&a, "guardian_care", "unable");
			form_answers_set(&a, "safety_risks", "drowning,left_alone");
			form_answers_set(&a, "needs", "guardianship,living_aid");
			form_answers_set(&a, "measures", "已联系镇未成年人保护工作站，商议委托监护");
			notes = "祖母住院，孩子白天无人照看，需一周内回访。";
			snprintf(d->referral_child, sizeof(d->referral_child), "%s", p->id);
		}
		rc = add_visit(d, d->child, p, days, &a, notes);
	}
	return rc;
}

static enum gq_status elderly_visits(struct demo *d, const struct person *p,
				     int self_care_loss)
{
	int n = rng_range(&d->r, 1, 4), last = rng_range(&d->r, 1, 60), k;
	enum gq_status rc = GQ_OK;

	for (k = n - 1; k >= 0 && rc == GQ_OK; k--) {
		struct form_answers a = FORM_ANSWERS_INIT;
		int days = last + k * rng_range(&d->r, 20, 40);
		int risk = k == 0 ? pick_risk(d) : 0;

		if (days > 180)
			continue;
		if (self_care_loss && risk == 0)
			risk = 1;
		if (risk == 2)
			days = rng_range(&d->r, 1, 6);
		form_answers_set(&a, "visit_kind", rng_range(&d->r, 0, 5) ? "home" : "phone");
		form_answers_set(&a, "elder_seen", "yes");
		form_answers_set(&a, "self_care", "self");
		form_answers_set(&a, "health", rng_range(&d->r, 0, 1) ? "good" : "fair");
		form_answers_set(&a, "chronic_diseases", rng_range(&d->r, 0, 1) ? "hypertension" : "hypertension,joints");
		form_answers_set(&a, "takes_medicine", "yes");
		form_answers_set(&a, "meals", rng_range(&d->r, 0, 2) ? "self_cook" : "meal_site");
		form_answers_set(&a, "delivery_needed", "no");
		form_answers_set(&a, "daily_check", rng_range(&d->r, 0, 1) ? "neighbour" : "child");
		form_answers_set(&a, "check_frequency", "weekly");
		form_answers_set(&a, "emergency_contact_reached", "yes");
		if (risk == 1) {
			form_answers_set(&a, "self_care", "partial");
			form_answers_set(&a, "home_safety", "falls");
			form_answers_set(&a, "hazard_handled", "yes");
			form_answers_set(&a, "meals", "delivery");
			form_answers_set(&a, "needs", "meals,daily_care");
		} else if (risk == 2) {
			form_answers_set(&a, "self_care", "none");
			form_answers_set(&a, "health", "bedridden");
			form_answers_set(&a, "daily_check", "nobody");
			form_answers_set(&a, "meals", "difficult");
			form_answers_set(&a, "delivery_needed", "yes");
			form_answers_set(&a, "home_safety", "gas,falls");
			form_answers_set(&a, "hazard_handled", "no");
			form_answers_set(&a, "needs", "meals,daily_care,medical");
		}
		rc = add_visit(d, d->elderly, p, days, &a,
			       risk == 2 ? "液化气灶老化，已劝其停用，需尽快联系子女和送餐。" : NULL);
	}
	return rc;
}

static enum gq_status assistance_visit(struct demo *d, const struct person *p,
				       const char *kind, int members)
{
	struct form_answers a = FORM_ANSWERS_INIT;
	int risk = pick_risk(d);
	char num[16];

	form_answers_set(&a, "assistance_kind", kind);
	snprintf(num, sizeof(num), "%d", members);
	form_answers_set(&a, "members_registered", num);
	form_answers_set(&a, "members_present", num);
	form_answers_set(&a, "members_change", "none");
	form_answers_set(&a, "income_change", "none");
	snprintf(num, sizeof(num), "%d.00", rng_range(&d->r, 5, 15) * 100);
	form_answers_set(&a, "monthly_income", num);
	form_answers_set(&a, "income_sources", "farming,subsidies");
	form_answers_set(&a, "working_members", members > 1 ? "1" : "0");
	form_answers_set(&a, "employed_members", "1");
	form_answers_set(&a, "housing", "own_safe");
	form_answers_set(&a, "major_medical", "no");
	form_answers_set(&a, "suggestion", "keep");
	if (risk == 1) {
		form_answers_set(&a, "major_medical", "yes");
		form_answers_set(&a, "medical_costs", "12600.00");
	} else if (risk == 2) {
		form_answers_set(&a, "housing", "own_unsafe");
		form_answers_set(&a, "suggestion", "adjust");
		form_answers_set(&a, "suggestion_reason", "房屋属危房，建议纳入危房改造并提高保障金额");
	}
	return add_visit(d, d->assist, p, rng_range(&d->r, 20, 170), &a, NULL);
}

/* ---- households ------------------------------------------------------ */

static enum gq_status new_household(struct demo *d, int grid, char *id,
				    char *address, size_t size)
{
	struct vals vs = { .n = 0 };
	size_t g = (size_t)grid * 2 + (size_t)rng_range(&d->r, 0, 1);

	snprintf(address, size, "宋岗村%s%d号", groups[g], ++d->house_no[g]);
	vals_add(&vs, "address", "%s", address);
	vals_add(&vs, "grid_id", "%s", d->grids[grid]);
	return add(d, "household", &vs, id);
}

static enum gq_status set_head(struct demo *d, const char *household,
			       const struct person *head)
{
	struct vals vs = { .n = 0 };

	vals_add(&vs, "head_id", "%s", head->id);
	if (head->phone[0])
		vals_add(&vs, "phone", "%s", head->phone);
	return record_update(d->db, table_find("household"), household, vs.v,
			     vs.n, d->err);
}

static enum gq_status add_parent_link(struct demo *d, const struct person *child,
				      const struct person *parent, const char *kind,
				      const char *place)
{
	struct vals vs = { .n = 0 };

	vals_add(&vs, "person_id", "%s", child->id);
	vals_add(&vs, "kind", "%s", kind);
	vals_add(&vs, "guardian_person_id", "%s", parent->id);
	vals_add(&vs, "name", "%s", parent->name);
	if (parent->phone[0])
		vals_add(&vs, "phone", "%s", parent->phone);
	vals_add(&vs, "relation", "%s", !strcmp(kind, "guardian") ? "grandparent" : "parent");
	if (place) {
		vals_add(&vs, "working_away", "1");
		vals_add(&vs, "away_place", "%s", place);
	}
	return add(d, "guardian", &vs, NULL);
}

/* Grandparents at home, parents working away, one or two children. */
static enum gq_status left_behind_family(struct demo *d, int grid, int orphan)
{
	char hh[UID_LEN + 1], addr[128];
	const char *sn = PICK(&d->r, surnames);
	const char *place = PICK(&d->r, away_places);
	struct person gpa, gma, fa, mo, ch;
	int nkids = orphan ? 1 : rng_range(&d->r, 1, 2), i;
	enum gq_status rc;

	rc = new_household(d, grid, hh, addr, sizeof(addr));
	if (rc == GQ_OK)
		rc = add_person(d, hh, addr, grid, sn, 'M', GEN_OLD, 1948, 1960, "self", &gpa);
	if (rc == GQ_OK)
		rc = set_head(d, hh, &gpa);
	if (rc == GQ_OK)
		rc = add_person(d, hh, addr, grid, NULL, 'F', GEN_OLD, 1950, 1960, "spouse", &gma);
	if (rc == GQ_OK && !orphan)
		rc = add_person(d, hh, addr, grid, sn, 'M', GEN_MID, 1980, 1995, "child", &fa);
	if (rc == GQ_OK && !orphan)
		rc = add_person(d, hh, addr, grid, NULL, 'F', GEN_MID, 1983, 1995, "child_in_law", &mo);
	for (i = 0; i < nkids && rc == GQ_OK; i++) {
		char sex = rng_range(&d->r, 0, 1) ? 'M' : 'F';

		rc = add_person(d, hh, addr, grid, sn, sex, GEN_YOUNG, 2010, 2022,
				"grandchild", &ch);
		if (rc == GQ_OK)
			rc = add_category(d, &ch, orphan ? "orphan" : "left_behind_child",
					  rng_range(&d->r, 200, 900));
		if (rc == GQ_OK && orphan)
			rc = add_category(d, &ch, "child_in_difficulty", 400);
		if (rc == GQ_OK)
			rc = add_parent_link(d, &ch, rng_range(&d->r, 0, 2) ? &gma : &gpa,
					     "guardian", NULL);
		if (rc == GQ_OK && !orphan)
			rc = add_parent_link(d, &ch, &fa, "father", place);
		if (rc == GQ_OK && !orphan)
			rc = add_parent_link(d, &ch, &mo, "mother",
					     rng_range(&d->r, 0, 3) ? place : PICK(&d->r, away_places));
		if (rc == GQ_OK)
			rc = child_visits(d, &ch, orphan);
		if (rc == GQ_OK && i == 0 && !orphan && rng_range(&d->r, 0, 4) == 0) {
			struct vals vs = { .n = 0 };

			vals_add(&vs, "person_id", "%s", ch.id);
			vals_add(&vs, "kind", "school_aid");
			vals_add(&vs, "apply_date", "%s", d->today);
			vals_add(&vs, "amount_asked", "1000.00");
			vals_add(&vs, "notes", "%s", "慈善助学：父母在外务工收入不稳定");
			rc = add(d, "application", &vs, NULL);
		}
	}
	return rc;
}

/* An old person living alone, or an old couple whose children live away. */
static enum gq_status elderly_household(struct demo *d, int grid, int couple,
					int tekun)
{
	char hh[UID_LEN + 1], addr[128];
	const char *sn = PICK(&d->r, surnames);
	struct person p[2];
	int n = couple ? 2 : 1, i;
	enum gq_status rc;

	rc = new_household(d, grid, hh, addr, sizeof(addr));
	for (i = 0; i < n && rc == GQ_OK; i++) {
		char sex = i == 0 ? (rng_range(&d->r, 0, 2) ? 'M' : 'F') : (p[0].sex == 'M' ? 'F' : 'M');
		int loss;

		rc = add_person(d, hh, addr, grid, i == 0 ? sn : NULL, sex, GEN_OLD,
				1935, 1960, i == 0 ? "self" : "spouse", &p[i]);
		if (rc == GQ_OK && i == 0)
			rc = set_head(d, hh, &p[0]);
		if (rc != GQ_OK)
			break;
		rc = add_category(d, &p[i], couple ? "elderly_empty_nest" : "elderly_alone",
				  rng_range(&d->r, 300, 1500));
		if (rc == GQ_OK && age_of(d, &p[i]) >= 80)
			rc = add_category(d, &p[i], "elderly_advanced_age", 200);
		loss = age_of(d, &p[i]) >= 75 && rng_range(&d->r, 0, 3) == 0;
		if (rc == GQ_OK && loss)
			rc = add_category(d, &p[i], "elderly_self_care_loss", 150);
		if (rc == GQ_OK && tekun)
			rc = add_category(d, &p[i], "tekun", 700);
		if (rc == GQ_OK && tekun)
			rc = assistance_visit(d, &p[i], "tekun", 1);
		if (rc == GQ_OK)
			rc = elderly_visits(d, &p[i], loss);
		if (rc == GQ_OK && age_of(d, &p[i]) >= 80 && d->canteen[0]) {
			/* Meals delivered by the canteen these last days. */
			int k;

			for (k = 1; k <= 3 && rc == GQ_OK; k++) {
				struct vals vs = { .n = 0 };
				char day[VALIDATE_DATE_SIZE];

				days_ago(d, k, day);
				vals_add(&vs, "facility_id", "%s", d->canteen);
				vals_add(&vs, "person_id", "%s", p[i].id);
				vals_add(&vs, "service_date", "%s", day);
				vals_add(&vs, "meals", "2");
				vals_add(&vs, "delivered", "1");
				rc = add(d, "meal_service", &vs, NULL);
			}
		}
	}
	if (rc == GQ_OK && !couple && !tekun && rng_range(&d->r, 0, 3) == 0) {
		struct vals vs = { .n = 0 };

		vals_add(&vs, "person_id", "%s", p[0].id);
		vals_add(&vs, "kind", "meal_subsidy");
		vals_add(&vs, "amount_asked", "150.00");
		vals_add(&vs, "notes", "%s", "独居老人，申请老年食堂助餐补贴");
		rc = add(d, "application", &vs, NULL);
	}
	return rc;
}

/* A household on the minimum living allowance: a sick or disabled
 * parent, children, sometimes a grandparent. */
static enum gq_status dibao_family(struct demo *d, int grid)
{
	char hh[UID_LEN + 1], addr[128];
	const char *sn = PICK(&d->r, surnames);
	struct person head, sp, ch;
	int kids = rng_range(&d->r, 1, 2), i, members = 2 + kids;
	enum gq_status rc;

	rc = new_household(d, grid, hh, addr, sizeof(addr));
	if (rc == GQ_OK)
		rc = add_person(d, hh, addr, grid, sn, 'M', GEN_MID, 1978, 1992, "self", &head);
	if (rc == GQ_OK)
		rc = set_head(d, hh, &head);
	if (rc == GQ_OK)
		rc = add_category(d, &head, "dibao", rng_range(&d->r, 300, 1000));
	if (rc == GQ_OK && rng_range(&d->r, 0, 1))
		rc = add_category(d, &head, "disability", 1200);
	if (rc == GQ_OK)
		rc = add_person(d, hh, addr, grid, NULL, 'F', GEN_MID, 1980, 1995, "spouse", &sp);
	for (i = 0; i < kids && rc == GQ_OK; i++) {
		rc = add_person(d, hh, addr, grid, sn, rng_range(&d->r, 0, 1) ? 'M' : 'F',
				GEN_YOUNG, 2010, 2021, "child", &ch);
		if (rc == GQ_OK && i == 0) {
			rc = add_category(d, &ch, "child_in_difficulty", 500);
			if (rc == GQ_OK)
				rc = child_visits(d, &ch, 0);
		}
	}
	if (rc == GQ_OK)
		rc = assistance_visit(d, &head, "dibao", members);
	return rc;
}

/* ---- the village: staff, facilities, activities -------------------- */

static enum gq_status staff(struct demo *d)
{
	static const char *const workers[NGRIDS] = { "王春梅", "李建军", "余晓燕" };
	static const char *const grid_names[NGRIDS] = {
		"第一网格（王湾组、李岗组）", "第二网格（张洼组、河口组）",
		"第三网格（小庙组、陈庄组）",
	};
	struct vals vs = { .n = 0 };
	char phone[16];
	enum gq_status rc = GQ_OK;
	int i;

	char admin[UID_LEN + 1];

	vals_add(&vs, "name", "%s", "陈志强");
	vals_add(&vs, "role", "station_admin");
	make_phone(d, phone, sizeof(phone));
	vals_add(&vs, "phone", "%s", phone);
	rc = add(d, "users", &vs, admin);
	/* The demo's users sign in with the demo PIN (printed by "demo"). */
	if (rc == GQ_OK)
		rc = auth_set_pin(d->db, admin, DEMO_PIN, d->err);
	for (i = 0; i < NGRIDS && rc == GQ_OK; i++) {
		vals_add(&vs, "name", "%s", workers[i]);
		vals_add(&vs, "role", "grid_worker");
		make_phone(d, phone, sizeof(phone));
		vals_add(&vs, "phone", "%s", phone);
		rc = add(d, "users", &vs, d->users[i]);
		if (rc == GQ_OK)
			rc = auth_set_pin(d->db, d->users[i], DEMO_PIN, d->err);
		if (rc != GQ_OK)
			break;
		vals_add(&vs, "name", "%s", grid_names[i]);
		vals_add(&vs, "worker_id", "%s", d->users[i]);
		rc = add(d, "grid", &vs, d->grids[i]);
	}
	return rc;
}

static enum gq_status facilities(struct demo *d)
{
	struct vals vs = { .n = 0 };
	char phone[16];
	enum gq_status rc;

	vals_add(&vs, "kind", "meal_site");
	vals_add(&vs, "name", "%s", "宋岗村幸福院助餐点");
	vals_add(&vs, "capacity", "30");
	vals_add(&vs, "address", "%s", "宋岗村村委会东侧");
	vals_add(&vs, "opened_date", "2024-06-18");
	rc = add(d, "facility", &vs, d->meal_site);
	if (rc != GQ_OK)
		return rc;
	vals_add(&vs, "kind", "canteen");
	vals_add(&vs, "name", "%s", "双椿铺镇宋岗村老年食堂");
	vals_add(&vs, "delivers_meals", "1");
	vals_add(&vs, "capacity", "60");
	vals_add(&vs, "address", "%s", "宋岗村王湾组1号");
	make_phone(d, phone, sizeof(phone));
	vals_add(&vs, "phone", "%s", phone);
	vals_add(&vs, "opened_date", "2025-03-01");
	vals_add(&vs, "notes", "%s", "午餐每份 8 元，80 岁以上老人补贴 3 元；行动不便的送餐上门。");
	return add(d, "facility", &vs, d->canteen);
}

static enum gq_status site_meals(struct demo *d)
{
	enum gq_status rc = GQ_OK;
	int k;

	/* Meals counted at the site, without names. */
	for (k = 1; k <= 14 && rc == GQ_OK; k++) {
		struct vals vs = { .n = 0 };
		char day[VALIDATE_DATE_SIZE];
		int people = rng_range(&d->r, 15, 28);

		days_ago(d, k, day);
		vals_add(&vs, "facility_id", "%s", d->meal_site);
		vals_add(&vs, "service_date", "%s", day);
		vals_add(&vs, "people", "%d", people);
		vals_add(&vs, "meals", "%d", people);
		rc = add(d, "meal_service", &vs, NULL);
	}
	return rc;
}

static enum gq_status activities(struct demo *d)
{
	struct vals vs = { .n = 0 };
	char day[VALIDATE_DATE_SIZE];
	enum gq_status rc;

	vals_add(&vs, "kind", "civilised_memorial");
	vals_add(&vs, "title", "%s", "清明文明祭扫宣传：鲜花祭扫、网上祭扫");
	vals_add(&vs, "activity_date", "%.4s-04-02", d->today);
	vals_add(&vs, "participants", "45");
	vals_add(&vs, "leaflets", "300");
	vals_add(&vs, "banners", "4");
	vals_add(&vs, "notes", "%s", "在各组路口和山林防火点悬挂横幅，入户发放倡议书，提倡节地生态安葬。");
	rc = add(d, "activity", &vs, NULL);
	if (rc != GQ_OK)
		return rc;
	days_ago(d, 30, day);
	vals_add(&vs, "kind", "volunteer");
	vals_add(&vs, "title", "%s", "重阳节志愿服务日：为高龄老人理发、打扫卫生");
	vals_add(&vs, "activity_date", "%s", day);
	vals_add(&vs, "participants", "22");
	rc = add(d, "activity", &vs, NULL);
	if (rc != GQ_OK)
		return rc;
	days_ago(d, 75, day);
	vals_add(&vs, "kind", "policy");
	vals_add(&vs, "title", "%s", "暑期防溺水和低保政策宣传");
	vals_add(&vs, "activity_date", "%s", day);
	vals_add(&vs, "participants", "80");
	vals_add(&vs, "leaflets", "200");
	vals_add(&vs, "banners", "2");
	return add(d, "activity", &vs, NULL);
}

/* A 90-year-old who died last month: funeral-fee waiver, death report
 * (eco burial) and the death and funeral form. */
static enum gq_status death(struct demo *d)
{
	char hh[UID_LEN + 1], addr[128], idn[19], dday[VALIDATE_DATE_SIZE];
	struct form_answers a = FORM_ANSWERS_INIT;
	struct vals vs = { .n = 0 };
	struct person p, son;
	int grid = 1;
	enum gq_status rc;

	rc = new_household(d, grid, hh, addr, sizeof(addr));
	if (rc != GQ_OK)
		return rc;
	memset(&p, 0, sizeof(p));
	p.grid = grid;
	p.sex = 'F';
	snprintf(p.name, sizeof(p.name), "%s", "曾秀英");
	snprintf(p.birth, sizeof(p.birth), "%d-03-12", atoi(d->today) - 91);
	make_id_number(d, p.birth, 'F', idn);
	vals_add(&vs, "name", "%s", p.name);
	vals_add(&vs, "id_number", "%s", idn);
	vals_add(&vs, "household_id", "%s", hh);
	vals_add(&vs, "relation", "self");
	vals_add(&vs, "grid_id", "%s", d->grids[grid]);
	vals_add(&vs, "address", "%s", addr);
	rc = add(d, "person", &vs, p.id);
	d->persons++;
	if (rc == GQ_OK)
		rc = set_head(d, hh, &p);
	if (rc == GQ_OK)
		rc = add_category(d, &p, "elderly_alone", 2000);
	if (rc == GQ_OK)
		rc = add_category(d, &p, "elderly_advanced_age", 2000);
	if (rc == GQ_OK)
		rc = add_category(d, &p, "tekun", 1500);
	/* Her son lives in the county town; he reported the death. */
	if (rc == GQ_OK)
		rc = add_person(d, hh, addr, grid, "曾", 'M', GEN_MID, 1960, 1966, "child", &son);
	days_ago(d, 44, dday);
	if (rc == GQ_OK) {
		vals_add(&vs, "person_id", "%s", p.id);
		vals_add(&vs, "kind", "funeral_waiver");
		vals_add(&vs, "apply_date", "%s", dday);
		vals_add(&vs, "amount_asked", "1500.00");
		vals_add(&vs, "notes", "%s", "特困供养人员去世，申请减免基本殡葬服务费");
		rc = add(d, "application", &vs, NULL);
	}
	if (rc == GQ_OK) {
		vals_add(&vs, "person_id", "%s", p.id);
		vals_add(&vs, "death_date", "%s", dday);
		vals_add(&vs, "place", "home");
		vals_add(&vs, "burial_kind", "tree");
		vals_add(&vs, "fee_waiver", "1");
		vals_add(&vs, "informant", "%s", son.name);
		vals_add(&vs, "informant_phone", "%s", son.phone);
		vals_add(&vs, "notes", "%s", "火化后骨灰安放在县生态陵园树葬区。");
		rc = add(d, "death_report", &vs, NULL);
	}
	if (rc == GQ_OK) {
		form_answers_set(&a, "death_date", dday);
		form_answers_set(&a, "death_place", "home");
		form_answers_set(&a, "cause", "old_age");
		form_answers_set(&a, "certificate", "medical");
		form_answers_set(&a, "burial_kind", "tree");
		form_answers_set(&a, "burial_place", "商城县生态陵园树葬区");
		form_answers_set(&a, "family_poor", "yes");
		form_answers_set(&a, "fee_waiver", "yes");
		form_answers_set(&a, "informant_name", son.name);
		form_answers_set(&a, "informant_relation", "child");
		form_answers_set(&a, "informant_phone", son.phone);
		rc = add_visit(d, d->death, &p, 43, &a, NULL);
	}
	form_answers_release(&a);
	return rc;
}

static enum gq_status cases(struct demo *d)
{
	struct vals vs = { .n = 0 };
	enum gq_status rc = GQ_OK;

	if (d->referral_child[0]) {
		vals_add(&vs, "person_id", "%s", d->referral_child);
		vals_add(&vs, "reason", "%s", "祖母患重病住院，父母在外务工无法返回，儿童白天无人照料，申请临时监护。");
		rc = add(d, "referral", &vs, NULL);
	}
	return rc;
}

/* The remaining kinds of application, for the people already there. */
static enum gq_status applications(struct demo *d)
{
	static const char *const sql =
		"SELECT p.id, c.category FROM person p JOIN person_category c"
		" ON c.person_id = p.id WHERE p.status = 'active' AND c.category IN"
		" ('dibao', 'elderly_alone', 'child_in_difficulty')"
		" ORDER BY p.id_number, c.category";
	static const struct {
		const char *cat, *kind, *amount, *notes;
	} plan[] = {
		{ "dibao", "temporary", "3000.00", "户主住院手术，申请临时救助" },
		{ "elderly_alone", "tekun", "600.00", "无子女、无劳动能力，申请特困供养" },
		{ "child_in_difficulty", "dibao", "500.00", "家庭收入低于当地低保标准" },
	};
	sqlite3_stmt *st;
	enum gq_status rc;
	size_t i;

	for (i = 0; i < N(plan); i++) {
		char pid[UID_LEN + 1] = "";
		struct vals vs = { .n = 0 };

		rc = db_prepare(d->db, sql, &st, d->err);
		if (rc != GQ_OK)
			return rc;
		while (sqlite3_step(st) == SQLITE_ROW)
			if (!strcmp((const char *)sqlite3_column_text(st, 1), plan[i].cat)) {
				snprintf(pid, sizeof(pid), "%s", sqlite3_column_text(st, 0));
				break;
			}
		sqlite3_finalize(st);
		if (!pid[0])
			continue;
		vals_add(&vs, "person_id", "%s", pid);
		vals_add(&vs, "kind", "%s", plan[i].kind);
		vals_add(&vs, "amount_asked", "%s", plan[i].amount);
		vals_add(&vs, "notes", "%s", plan[i].notes);
		rc = add(d, "application", &vs, NULL);
		if (rc != GQ_OK)
			return rc;
	}
	return GQ_OK;
}

static enum gq_status load_forms(struct demo *d)
{
	enum gq_status rc;

	rc = form_find(NULL, "child_visit", &d->child, d->err);
	if (rc == GQ_OK)
		rc = form_find(NULL, "elderly_visit", &d->elderly, d->err);
	if (rc == GQ_OK)
		rc = form_find(NULL, "assistance_check", &d->assist, d->err);
	if (rc == GQ_OK)
		rc = form_find(NULL, "death_report", &d->death, d->err);
	return rc;
}

static enum gq_status populate(struct demo *d, int target)
{
	/* The mix of households, repeated: left-behind families, old people
	 * alone, old couples, allowance families, extreme-poverty support. */
	static const char pattern[] = "LACLDALCTA";
	enum gq_status rc;
	int h;

	rc = load_forms(d);
	if (rc == GQ_OK)
		rc = staff(d);
	if (rc == GQ_OK)
		rc = facilities(d);
	if (rc == GQ_OK)
		rc = left_behind_family(d, 0, 1);	/* the orphan */
	for (h = 0; rc == GQ_OK && d->persons < target - 2; h++) {
		int grid = h % NGRIDS;

		switch (pattern[h % (int)(sizeof(pattern) - 1)]) {
		case 'L':
			rc = left_behind_family(d, grid, 0);
			break;
		case 'A':
			rc = elderly_household(d, grid, 0, 0);
			break;
		case 'C':
			rc = elderly_household(d, grid, 1, 0);
			break;
		case 'T':
			rc = elderly_household(d, grid, 0, 1);
			break;
		default:
			rc = dibao_family(d, grid);
			break;
		}
	}
	if (rc == GQ_OK)
		rc = death(d);
	if (rc == GQ_OK)
		rc = site_meals(d);
	if (rc == GQ_OK)
		rc = activities(d);
	if (rc == GQ_OK)
		rc = cases(d);
	if (rc == GQ_OK)
		rc = applications(d);
	return rc;
}

enum gq_status demo_populate(struct gq_db *db, unsigned seed, int people,
			     struct gq_err *err)
{
	struct demo *d;
	enum gq_status rc;

	d = calloc(1, sizeof(*d));
	if (!d)
		return gq_err_set(err, GQ_ENOMEM, "%s", gq_status_str(GQ_ENOMEM));
	d->db = db;
	d->err = err;
	d->r.s = seed;
	clock_today(d->today, sizeof(d->today));
	rc = db_begin(db, err);
	if (rc == GQ_OK) {
		rc = populate(d, people > 0 ? people : DEMO_PEOPLE);
		if (rc == GQ_OK)
			rc = db_commit(db, err);
		else
			db_rollback(db);
	}
	form_free(&d->child);
	form_free(&d->elderly);
	form_free(&d->assist);
	form_free(&d->death);
	free(d);
	return rc;
}
