/* tables.c - the field definitions of every synced table. */
#include "config.h"

#include <string.h>

#include "guanqing/ceremony.h"
#include "guanqing/i18n.h"
#include "guanqing/rules.h"
#include "guanqing/tables.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TEXTF(n, o, fl, lab, mx) { n, o, FT_TEXT, fl, lab, 0, mx, NULL, NULL }
#define NOTES { "notes", "notes", FT_NOTES, 0, N_("Notes"), 0, 2000, NULL, NULL }
#define PERSON_REF { "person_id", "person", FT_REF, F_REQUIRED | F_FIXED, N_("Person"), 0, 0, NULL, "person" }

const struct choice choices_sex[] = {
	{ "M", N_("male") }, { "F", N_("female") }, { NULL, NULL }
};

const struct choice choices_person_status[] = {
	{ "active", N_("active") },
	{ "moved_out", N_("moved out") },
	{ "deceased", N_("deceased") },
	{ NULL, NULL }
};

static const struct choice choices_relation[] = {
	{ "self", N_("head of household") },
	{ "spouse", N_("spouse") },
	{ "child", N_("child") },
	{ "grandchild", N_("grandchild") },
	{ "parent", N_("parent") },
	{ "grandparent", N_("grandparent") },
	{ "sibling", N_("brother or sister") },
	{ "child_in_law", N_("son- or daughter-in-law") },
	{ "other", N_("other relative") },
	{ NULL, NULL }
};

const struct choice choices_category[] = {
	{ "left_behind_child", N_("left-behind child") },
	{ "child_in_difficulty", N_("child in difficulty") },
	{ "unsupported_child", N_("de facto unsupported child") },
	{ "orphan", N_("orphan") },
	{ "elderly_alone", N_("elderly living alone") },
	{ "elderly_empty_nest", N_("empty-nest elderly") },
	{ "elderly_advanced_age", N_("advanced-age elderly (80+)") },
	{ "elderly_self_care_loss", N_("elderly losing self-care") },
	{ "left_behind_elderly", N_("left-behind elderly") },
	{ "disability", N_("person with disability") },
	{ "dibao", N_("minimum living allowance") },
	{ "tekun", N_("extreme-poverty support") },
	{ "low_income_edge", N_("low-income edge household") },
	{ "left_behind_woman", N_("left-behind woman") },
	{ NULL, NULL }
};

const struct choice choices_role[] = {
	{ "grid_worker", N_("grid worker") },
	{ "station_admin", N_("station admin") },
	{ "county_staff", N_("county staff") },
	{ "county_admin", N_("county admin") },
	{ NULL, NULL }
};

static const struct choice choices_guardian_kind[] = {
	{ "guardian", N_("guardian") },
	{ "father", N_("father") },
	{ "mother", N_("mother") },
	{ "contact", N_("contact") },
	{ NULL, NULL }
};

static const struct choice choices_guardian_relation[] = {
	{ "parent", N_("parent") },
	{ "grandparent", N_("grandparent") },
	{ "sibling", N_("brother or sister") },
	{ "relative", N_("other relative") },
	{ "entrusted", N_("entrusted guardian") },
	{ "institution", N_("institution") },
	{ "other", N_("other") },
	{ NULL, NULL }
};

const struct choice choices_risk[] = {
	{ "low", N_("low") }, { "medium", N_("medium") }, { "high", N_("high") },
	{ NULL, NULL }
};

static const struct choice choices_application_kind[] = {
	{ "dibao", N_("minimum living allowance") },
	{ "tekun", N_("extreme-poverty support") },
	{ "temporary", N_("temporary assistance") },
	{ "funeral_waiver", N_("funeral-fee waiver") },
	{ "school_aid", N_("charity school aid") },
	{ "meal_subsidy", N_("meal subsidy") },
	{ NULL, NULL }
};

const struct choice choices_application_status[] = {
	{ "submitted", N_("submitted") },
	{ "approved", N_("approved") },
	{ "rejected", N_("rejected") },
	{ "paid", N_("paid") },
	{ NULL, NULL }
};

static const struct choice choices_facility_kind[] = {
	{ "meal_site", N_("meal-assistance site") },
	{ "canteen", N_("elderly canteen") },
	{ "home_care_centre", N_("home-care centre") },
	{ "care_home", N_("care home") },
	{ "minors_centre", N_("minors protection centre") },
	{ "other", N_("other facility") },
	{ NULL, NULL }
};

static const struct choice choices_activity_kind[] = {
	{ "community", N_("community activity") },
	{ "outreach", N_("outreach campaign") },
	{ "civilised_memorial", N_("civilised memorial campaign") },
	{ "volunteer", N_("volunteer service") },
	{ "policy", N_("policy publicity") },
	{ "other", N_("other activity") },
	{ NULL, NULL }
};

static const struct choice choices_referral_status[] = {
	{ "referred", N_("referred") },
	{ "accepted", N_("accepted by the centre") },
	{ "temporary_guardianship", N_("in temporary guardianship") },
	{ "returned", N_("returned to family") },
	{ "closed", N_("closed") },
	{ NULL, NULL }
};

static const struct choice choices_burial[] = {
	{ "cremation", N_("cremation, cemetery") },
	{ "tree", N_("eco burial: tree") },
	{ "flower", N_("eco burial: flower") },
	{ "lawn", N_("eco burial: lawn") },
	{ "scattering", N_("eco burial: scattering") },
	{ "wall", N_("eco burial: wall niche") },
	{ "traditional", N_("traditional burial") },
	{ NULL, NULL }
};

static const struct choice choices_death_cause[] = {
	{ "illness", N_("illness") },
	{ "old_age", N_("old age") },
	{ "accident", N_("accident") },
	{ "unnatural", N_("other unnatural death") },
	{ "unknown", N_("not known") },
	{ NULL, NULL }
};

static const struct choice choices_death_place[] = {
	{ "home", N_("at home") },
	{ "hospital", N_("in hospital") },
	{ "care_home", N_("in a care home") },
	{ "other", N_("elsewhere") },
	{ NULL, NULL }
};

static const struct field_def station_fields[] = {
	{ "role", "role", FT_TEXT, F_SYSTEM, N_("Role"), 0, 16, NULL, NULL },
	TEXTF("name", "name", 0, N_("Name"), 60),
};

static const struct field_def user_fields[] = {
	{ "name", "name", FT_NAME, F_REQUIRED, N_("Name"), 0, 30, NULL, NULL },
	{ "role", "role", FT_ENUM, F_REQUIRED, N_("Role"), 0, 0, choices_role, NULL },
	{ "phone", "phone", FT_PHONE, 0, N_("Phone"), 0, 0, NULL, NULL },
	{ "active", "active", FT_BOOL, 0, N_("Active"), 0, 1, NULL, NULL },
};

static const struct field_def grid_fields[] = {
	TEXTF("name", "name", F_REQUIRED, N_("Grid name"), 30),
	{ "worker_id", "worker", FT_REF, 0, N_("Grid worker"), 0, 0, NULL, "users" },
	NOTES,
};

static const struct field_def household_fields[] = {
	TEXTF("address", "address", F_REQUIRED, N_("Address"), 100),
	{ "grid_id", "grid", FT_REF, 0, N_("Grid"), 0, 0, NULL, "grid" },
	{ "head_id", "head", FT_REF, 0, N_("Head of household"), 0, 0, NULL, "person" },
	{ "phone", "phone", FT_PHONE, 0, N_("Phone"), 0, 0, NULL, NULL },
	NOTES,
};

static const struct field_def person_fields[] = {
	{ "name", "name", FT_NAME, F_REQUIRED, N_("Name"), 1, 30, NULL, NULL },
	{ "sex", "sex", FT_ENUM, 0, N_("Sex"), 0, 0, choices_sex, NULL },
	{ "id_number", "id-number", FT_IDNUM, 0, N_("ID number"), 0, 0, NULL, NULL },
	{ "birth_date", "birth", FT_DATE, F_PAST, N_("Birth date"), 0, 0, NULL, NULL },
	{ "phone", "phone", FT_PHONE, 0, N_("Phone"), 0, 0, NULL, NULL },
	{ "household_id", "household", FT_REF, 0, N_("Household"), 0, 0, NULL, "household" },
	{ "relation", "relation", FT_ENUM, 0, N_("Relation to head"), 0, 0, choices_relation, NULL },
	{ "grid_id", "grid", FT_REF, 0, N_("Grid"), 0, 0, NULL, "grid" },
	{ "status", "status", FT_ENUM, 0, N_("Status"), 0, 0, choices_person_status, NULL },
	{ "status_date", "status-date", FT_DATE, F_PAST, N_("Status date"), 0, 0, NULL, NULL },
	TEXTF("address", "address", 0, N_("Address"), 100),
	NOTES,
};

static const struct field_def category_fields[] = {
	PERSON_REF,
	{ "category", "category", FT_ENUM, F_REQUIRED, N_("Category"), 0, 0, choices_category, NULL },
	{ "start_date", "start", FT_DATE, 0, N_("Start date"), 0, 0, NULL, NULL },
	{ "end_date", "end", FT_DATE, 0, N_("End date"), 0, 0, NULL, NULL },
	NOTES,
};

static const struct field_def guardian_fields[] = {
	PERSON_REF,
	{ "kind", "kind", FT_ENUM, F_REQUIRED, N_("Kind"), 0, 0, choices_guardian_kind, NULL },
	{ "guardian_person_id", "guardian-person", FT_REF, 0, N_("Guardian (person)"), 0, 0, NULL, "person" },
	{ "name", "name", FT_NAME, 0, N_("Name"), 1, 30, NULL, NULL },
	{ "phone", "phone", FT_PHONE, 0, N_("Phone"), 0, 0, NULL, NULL },
	{ "relation", "relation", FT_ENUM, 0, N_("Relation to the child"), 0, 0, choices_guardian_relation, NULL },
	{ "working_away", "working-away", FT_BOOL, 0, N_("Working away"), 0, 1, NULL, NULL },
	TEXTF("away_place", "away-place", 0, N_("Where working"), 60),
	NOTES,
};

static const struct field_def visit_fields[] = {
	PERSON_REF,
	{ "form_id", "form", FT_TEXT, F_REQUIRED | F_FIXED, N_("Form"), 0, 64, NULL, NULL },
	{ "form_version", "form-version", FT_INT, F_SYSTEM, N_("Form version"), 1, 1000000, NULL, NULL },
	{ "visit_date", "date", FT_DATE, F_PAST, N_("Visit date"), 0, 0, NULL, NULL },
	{ "visitor_id", "visitor", FT_REF, 0, N_("Visitor"), 0, 0, NULL, "users" },
	{ "answers", "answers", FT_JSON, 0, N_("Answers"), 0, 0, NULL, NULL },
	{ "risk_level", "risk", FT_ENUM, F_SYSTEM, N_("Risk level"), 0, 0, choices_risk, NULL },
	{ "followup_due", "followup", FT_DATE, 0, N_("Follow-up due"), 0, 0, NULL, NULL },
	NOTES,
};

static const struct field_def application_fields[] = {
	PERSON_REF,
	{ "kind", "kind", FT_ENUM, F_REQUIRED | F_FIXED, N_("Kind"), 0, 0, choices_application_kind, NULL },
	{ "apply_date", "date", FT_DATE, F_PAST, N_("Application date"), 0, 0, NULL, NULL },
	{ "amount_asked", "amount", FT_MONEY, 0, N_("Amount asked (yuan)"), 0, 0, NULL, NULL },
	/* What the county decides a minimum allowance or extreme-poverty
	 * support on: the household's size, income and assets. */
	{ "household_size", "household-size", FT_INT, 0, N_("Household size"), 1, 50, NULL, NULL },
	{ "income_month", "income", FT_MONEY, 0, N_("Monthly income (yuan)"), 0, 0, NULL, NULL },
	{ "income_per_person", "income-per-person", FT_MONEY, F_SYSTEM | F_SHOWN,
	  N_("Per person a month (yuan)"), 0, 0, NULL, NULL },
	{ "houses", "houses", FT_INT, 0, N_("Houses owned"), 0, 20, NULL, NULL },
	{ "vehicles", "vehicles", FT_INT, 0, N_("Vehicles owned"), 0, 20, NULL, NULL },
	{ "savings", "savings", FT_MONEY, 0, N_("Savings (yuan)"), 0, 0, NULL, NULL },
	TEXTF("apply_reason", "apply-reason", 0, N_("Reason for applying"), 200),
	TEXTF("bank_name", "bank", 0, N_("Payment bank"), 60),
	{ "bank_account", "account", FT_TEXT, F_DIGITS, N_("Payment account"), 10, 30, NULL, NULL },
	{ "status", "status", FT_ENUM, F_COUNTY, N_("Status"), 0, 0, choices_application_status, NULL },
	{ "decision_date", "decision-date", FT_DATE, F_COUNTY | F_PAST, N_("Decision date"), 0, 0, NULL, NULL },
	{ "amount_granted", "amount-granted", FT_MONEY, F_COUNTY, N_("Amount granted (yuan)"), 0, 0, NULL, NULL },
	TEXTF("decision_reason", "reason", F_COUNTY, N_("Reason for the decision"), 200),
	NOTES,
};

static const struct field_def facility_fields[] = {
	{ "kind", "kind", FT_ENUM, F_REQUIRED, N_("Kind"), 0, 0, choices_facility_kind, NULL },
	TEXTF("name", "name", F_REQUIRED, N_("Name of the facility"), 60),
	{ "delivers_meals", "delivers-meals", FT_BOOL, 0, N_("Delivers meals"), 0, 1, NULL, NULL },
	{ "capacity", "capacity", FT_INT, 0, N_("Capacity"), 0, 100000, NULL, NULL },
	TEXTF("address", "address", 0, N_("Address"), 100),
	{ "phone", "phone", FT_PHONE, 0, N_("Phone"), 0, 0, NULL, NULL },
	{ "opened_date", "opened", FT_DATE, F_PAST, N_("Opened"), 0, 0, NULL, NULL },
	{ "closed_date", "closed", FT_DATE, 0, N_("Closed"), 0, 0, NULL, NULL },
	NOTES,
};

static const struct field_def meal_fields[] = {
	{ "facility_id", "facility", FT_REF, F_REQUIRED | F_FIXED, N_("Facility"), 0, 0, NULL, "facility" },
	{ "person_id", "person", FT_REF, 0, N_("Person"), 0, 0, NULL, "person" },
	{ "service_date", "date", FT_DATE, F_PAST, N_("Date"), 0, 0, NULL, NULL },
	{ "people", "people", FT_INT, 0, N_("People served"), 1, 10000, NULL, NULL },
	{ "meals", "meals", FT_INT, F_REQUIRED, N_("Meals"), 1, 100000, NULL, NULL },
	{ "delivered", "delivered", FT_BOOL, 0, N_("Delivered to the home"), 0, 1, NULL, NULL },
	NOTES,
};

static const struct field_def activity_fields[] = {
	{ "kind", "kind", FT_ENUM, F_REQUIRED, N_("Kind"), 0, 0, choices_activity_kind, NULL },
	TEXTF("title", "title", F_REQUIRED, N_("Title"), 60),
	{ "activity_date", "date", FT_DATE, F_PAST, N_("Date"), 0, 0, NULL, NULL },
	{ "participants", "participants", FT_INT, 0, N_("Participants"), 0, 1000000, NULL, NULL },
	{ "leaflets", "leaflets", FT_INT, 0, N_("Leaflets handed out"), 0, 1000000, NULL, NULL },
	{ "banners", "banners", FT_INT, 0, N_("Banners put up"), 0, 10000, NULL, NULL },
	NOTES,
};

static const struct field_def referral_fields[] = {
	PERSON_REF,
	{ "referral_date", "date", FT_DATE, F_PAST, N_("Referral date"), 0, 0, NULL, NULL },
	TEXTF("reason", "reason", F_REQUIRED, N_("Reason"), 200),
	TEXTF("centre", "centre", 0, N_("Protection centre"), 60),
	{ "status", "status", FT_ENUM, 0, N_("Status"), 0, 0, choices_referral_status, NULL },
	{ "status_date", "status-date", FT_DATE, F_PAST, N_("Status date"), 0, 0, NULL, NULL },
	NOTES,
};

static const struct field_def death_fields[] = {
	PERSON_REF,
	{ "death_date", "date", FT_DATE, F_REQUIRED | F_PAST, N_("Date of death"), 0, 0, NULL, NULL },
	{ "place", "place", FT_ENUM, 0, N_("Place of death"), 0, 0, choices_death_place, NULL },
	{ "cause", "cause", FT_ENUM, 0, N_("Cause of death"), 0, 0, choices_death_cause, NULL },
	{ "certificate_no", "certificate-no", FT_TEXT, F_CODE, N_("Death certificate number"), 4, 30, NULL, NULL },
	/* Often decided days after the death: completed later. */
	{ "burial_kind", "burial", FT_ENUM, 0, N_("Burial kind"), 0, 0, choices_burial, NULL },
	{ "fee_waiver", "fee-waiver", FT_BOOL, 0, N_("Funeral-fee waiver asked"), 0, 1, NULL, NULL },
	{ "informant", "informant", FT_NAME, 0, N_("Informant"), 1, 30, NULL, NULL },
	{ "informant_phone", "informant-phone", FT_PHONE, 0, N_("Informant's phone"), 0, 0, NULL, NULL },
	NOTES,
};

/* Marriage registration ceremonies, kept at the county (ceremony.h). */
static const struct field_def ceremony_fields[] = {
	{ "ceremony_date", "date", FT_DATE, F_REQUIRED | F_COUNTY, N_("Ceremony date"), 0, 0, NULL, NULL },
	TEXTF("title", "title", F_COUNTY, N_("Title"), 60),
	TEXTF("place", "place", F_REQUIRED | F_COUNTY, N_("Place"), 60),
	{ "capacity", "capacity", FT_INT, F_REQUIRED | F_COUNTY, N_("Capacity (couples)"), 1, 1000, NULL, NULL },
	TEXTF("start_time", "time", F_COUNTY, N_("Starts at (HH:MM)"), 5),
	NOTES,
};

static const struct field_def booking_fields[] = {
	{ "ceremony_id", "ceremony", FT_REF, F_REQUIRED | F_FIXED | F_COUNTY, N_("Ceremony"), 0, 0, NULL, "ceremony" },
	TEXTF("appointment", "time", F_REQUIRED | F_COUNTY, N_("Appointment (HH:MM)"), 5),
	{ "name_a", "name-a", FT_NAME, F_REQUIRED | F_COUNTY, N_("First person's name"), 1, 30, NULL, NULL },
	{ "id_number_a", "id-a", FT_IDNUM, F_REQUIRED | F_COUNTY, N_("First person's ID number"), 0, 0, NULL, NULL },
	{ "name_b", "name-b", FT_NAME, F_REQUIRED | F_COUNTY, N_("Second person's name"), 1, 30, NULL, NULL },
	{ "id_number_b", "id-b", FT_IDNUM, F_REQUIRED | F_COUNTY, N_("Second person's ID number"), 0, 0, NULL, NULL },
	{ "phone", "phone", FT_PHONE, F_COUNTY, N_("Phone"), 0, 0, NULL, NULL },
	NOTES,
};

static const struct field_def form_def_fields[] = {
	{ "form_id", "form", FT_TEXT, F_REQUIRED | F_FIXED | F_COUNTY, N_("Form"), 0, 64, NULL, NULL },
	{ "version", "version", FT_INT, F_REQUIRED | F_COUNTY, N_("Version"), 1, 1000000, NULL, NULL },
	{ "title", "title", FT_TEXT, F_COUNTY, N_("Title"), 0, 120, NULL, NULL },
	{ "body", "body", FT_NOTES, F_REQUIRED | F_COUNTY, N_("Form definition"), 0, 200000, NULL, NULL },
};

/* A table: names, fields, village scope, its list, the column that names
 * a row, and its rules (rules.h). */
#define TABLE_R(n, c, l, f, v, lf, ob, lab, h, r) \
	{ n, c, l, f, N(f), v, lf, ob, lab, "SELECT " lab " FROM " n " WHERE id = ?1", h, r }
#define TABLE_H(n, c, l, f, v, lf, ob, lab, h) TABLE_R(n, c, l, f, v, lf, ob, lab, h, 0)
#define TABLE_L(n, c, l, f, v, lf, ob, lab) TABLE_H(n, c, l, f, v, lf, ob, lab, NULL)
#define TABLE(n, c, l, f, v, lf, ob) TABLE_L(n, c, l, f, v, lf, ob, "name")
static const struct table_def t_station = TABLE("station", "station", N_("station"), station_fields, 0, "role,name", "id");
/* Users of the county belong to no village. */
static const struct table_def t_users = TABLE_H("users", "user", N_("user"), user_fields, 0, "name,role,phone", "name, id", "name", &rules_users);
static const struct table_def t_grid = TABLE("grid", "grid", N_("grid"), grid_fields, 1, "name,worker_id", "name, id");
static const struct table_def t_household = TABLE_R("household", "household", N_("household"), household_fields, 1, "address,head_id,phone", "address, id", "address", NULL, 1);
static const struct table_def t_person = TABLE_R("person", "person", N_("person"), person_fields, 1, "name,sex,birth_date,id_number,phone,status", "name, id", "name", &rules_person, 1);
static const struct table_def t_category = TABLE_H("person_category", "category", N_("category"), category_fields, 1, "person_id,category,start_date,end_date", "person_id, start_date, id", "category", &rules_category);
static const struct table_def t_guardian = TABLE_R("guardian", "guardian", N_("guardian or contact"), guardian_fields, 1, "person_id,kind,name,phone,working_away,away_place", "person_id, kind, id", "name", &rules_guardian, 1);
static const struct table_def t_visit = TABLE_H("visit", "visit", N_("visit"), visit_fields, 1, "visit_date,person_id,form_id,risk_level,followup_due", "visit_date DESC, created_at DESC, id DESC", "visit_date", &rules_visit);
static const struct table_def t_application = TABLE_H("application", "application", N_("application"), application_fields, 1, "apply_date,person_id,kind,amount_asked,status,amount_granted", "apply_date DESC, id", "apply_date", &rules_application);
static const struct table_def t_facility = TABLE_H("facility", "facility", N_("facility"), facility_fields, 1, "kind,name,delivers_meals,capacity,opened_date,closed_date", "name, id", "name", &rules_facility);
static const struct table_def t_meal = TABLE_H("meal_service", "meal", N_("meal service"), meal_fields, 1, "service_date,facility_id,person_id,people,meals,delivered", "service_date DESC, id", "service_date", &rules_meal);
static const struct table_def t_activity = TABLE_H("activity", "activity", N_("activity"), activity_fields, 1, "activity_date,kind,title,participants,leaflets,banners", "activity_date DESC, id", "title", &rules_activity);
static const struct table_def t_referral = TABLE_H("referral", "referral", N_("referral"), referral_fields, 1, "referral_date,person_id,status,centre", "referral_date DESC, id", "referral_date", &rules_referral);
static const struct table_def t_form_def = TABLE_L("form_def", "form_def", N_("published form"), form_def_fields, 0, "form_id,version,title", "form_id, version DESC, id", "title");
static const struct table_def t_ceremony = TABLE_H("ceremony", "ceremony", N_("marriage ceremony"), ceremony_fields, 0, "ceremony_date,start_time,title,place,capacity", "ceremony_date, start_time, id", "ceremony_date", &rules_ceremony);
static const struct table_def t_booking = TABLE_R("ceremony_booking", "booking", N_("ceremony booking"), booking_fields, 0, "appointment,name_a,id_number_a,name_b,id_number_b,phone", "appointment, id", "name_a", &rules_ceremony_booking, 1);
static const struct table_def t_death = TABLE_R("death_report", "death", N_("death report"), death_fields, 1, "death_date,person_id,cause,burial_kind,fee_waiver", "death_date DESC, id", "death_date", &rules_death, 1);

/* In dependency order: a table comes after those it points to (except the
 * household/person cycle, which deferred keys allow). */
const struct table_def *const tables_all[] = {
	&t_station, &t_users, &t_grid, &t_household, &t_person, &t_category,
	&t_guardian, &t_visit, &t_application, &t_facility, &t_meal,
	&t_activity, &t_referral, &t_death, &t_form_def, &t_ceremony, &t_booking,
};
const size_t tables_count = N(tables_all);

int table_offers(struct gq_db *db, const struct table_def *t, const struct field_def *f,
		 const char *code)
{
	return !t->hooks || !t->hooks->offers || t->hooks->offers(db, f, code);
}

const struct table_def *table_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < tables_count; i++)
		if (!strcmp(tables_all[i]->name, name) || !strcmp(tables_all[i]->cli, name))
			return tables_all[i];
	return NULL;
}

/* Compare a column or option name, reading '-' as '_'. */
static int name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

int table_field_index(const struct table_def *t, const char *name)
{
	size_t i;

	if (!t || !name)
		return -1;
	for (i = 0; i < t->nfields; i++)
		if (name_eq(t->fields[i].name, name))
			return (int)i;
	for (i = 0; i < t->nfields; i++)
		if (name_eq(t->fields[i].opt, name))
			return (int)i;
	return -1;
}

const struct field_def *table_field(const struct table_def *t, const char *name)
{
	int i = table_field_index(t, name);

	return i < 0 ? NULL : &t->fields[i];
}

const struct choice *choice_find(const struct choice *c, const char *text)
{
	const struct choice *p;

	if (!c || !text)
		return NULL;
	for (p = c; p->code; p++)
		if (!strcmp(p->code, text))
			return p;
	for (p = c; p->code; p++)
		if (!strcmp(p->label, text) || !strcmp(_(p->label), text))
			return p;
	return NULL;
}

const char *choice_label(const struct choice *c, const char *code)
{
	const struct choice *p;

	for (p = c; p && p->code; p++)
		if (code && !strcmp(p->code, code))
			return _(p->label);
	return code ? code : "";
}
