/* demo.h - a demo station: a real Shangcheng village with realistic,
 * made-up people, households, visits and cases, for trying the program. */
#ifndef GUANQING_DEMO_H
#define GUANQING_DEMO_H

#include "guanqing/db.h"
#include "guanqing/err.h"

/* 宋岗村 (双椿铺镇), a rural village of Shangcheng County. */
#define DEMO_VILLAGE "411524103205"
/* The PIN of every demo user: the station admin 陈志强 and the grid
 * workers 王春梅, 李建军, 余晓燕. For trying the program only. */
#define DEMO_PIN "246810"
#define DEMO_ADMIN "陈志强"
/* The demo county (商城县) beside the demo station, and its admin, who
 * signs in with the demo PIN too. */
#define DEMO_DIVISION "411524"
#define DEMO_COUNTY_ADMIN "张主任"

/* Fill an initialised station database with demo records, reproducibly
 * from seed; people is the number of persons (0: about 150). One
 * transaction. */
enum gq_status demo_populate(struct gq_db *db, unsigned seed, int people,
			     struct gq_err *err);

#endif
