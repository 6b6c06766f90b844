/* lunar.c - the lunar calendar: a table of month lengths and two walks. */
#include "config.h"

#include <stdio.h>

#include "guanqing/lunar.h"

/* One entry per lunar year from 1900 to 2100. Bits 0-12: the lengths of the
 * year's months in their order, leap month included (bit i set: the i-th
 * month of the year has 30 days, else 29); bits 16-19: the number of the
 * month that the leap month follows (0: no leap month, then the year has
 * 12 months and bit 12 is 0). The month lengths are those published by the
 * Hong Kong Observatory (公历与农历日期对照表) and the Purple Mountain
 * Observatory; see data/README.md for how this table was made and checked
 * (2033 has 闰十一月, as both observatories publish). */
static const uint32_t lunar_years[LUNAR_YEAR_MAX - LUNAR_YEAR_MIN + 1] = {
	0x816d2, 0x00752, 0x00ea5, 0x5164a, 0x0064b,	/* 1900-1904 */
	0x00a9b, 0x41556, 0x0056a, 0x00b59, 0x21752,	/* 1905-1909 */
	0x00752, 0x61b25, 0x00b25, 0x00a4b, 0x514ab,	/* 1910-1914 */
	0x002ad, 0x0056b, 0x20b69, 0x00da9, 0x71d92,	/* 1915-1919 */
	0x00e92, 0x00d25, 0x51a4d, 0x00a56, 0x002b6,	/* 1920-1924 */
	0x415b5, 0x006d4, 0x00ea9, 0x21e92, 0x00e92,	/* 1925-1929 */
	0x60d26, 0x0052b, 0x00a57, 0x512d6, 0x00b5a,	/* 1930-1934 */
	0x006d4, 0x30ec9, 0x00749, 0x71693, 0x00a93,	/* 1935-1939 */
	0x0052b, 0x60a5b, 0x00aad, 0x0056a, 0x41b55,	/* 1940-1944 */
	0x00ba4, 0x00b49, 0x21a93, 0x00a95, 0x7152d,	/* 1945-1949 */
	0x00536, 0x00aad, 0x515aa, 0x005b2, 0x00ba5,	/* 1950-1954 */
	0x31d4a, 0x00b4a, 0x80a95, 0x00a97, 0x00556,	/* 1955-1959 */
	0x60ab5, 0x00ad5, 0x006d2, 0x40ea5, 0x00ea5,	/* 1960-1964 */
	0x0064a, 0x30c97, 0x00a9b, 0x7155a, 0x0056a,	/* 1965-1969 */
	0x00b69, 0x51752, 0x00b52, 0x00b25, 0x4164b,	/* 1970-1974 */
	0x00a4b, 0x814ab, 0x002ad, 0x005ad, 0x60b69,	/* 1975-1979 */
	0x00da9, 0x00d92, 0x41d25, 0x00d25, 0xa1a4d,	/* 1980-1984 */
	0x00a56, 0x002b6, 0x605b5, 0x006d5, 0x00ea9,	/* 1985-1989 */
	0x51e92, 0x00e92, 0x00d26, 0x30a56, 0x00a57,	/* 1990-1994 */
	0x814d6, 0x0035a, 0x006d5, 0x516c9, 0x00749,	/* 1995-1999 */
	0x00693, 0x4152b, 0x0052b, 0x00a5b, 0x2155a,	/* 2000-2004 */
	0x0056a, 0x71b55, 0x00ba4, 0x00b49, 0x51a93,	/* 2005-2009 */
	0x00a95, 0x0052d, 0x40aad, 0x00ab5, 0x915aa,	/* 2010-2014 */
	0x005d2, 0x00da5, 0x61d4a, 0x00d4a, 0x00c95,	/* 2015-2019 */
	0x4152e, 0x00556, 0x00ab5, 0x215b2, 0x006d2,	/* 2020-2024 */
	0x60ea5, 0x00725, 0x0064b, 0x50c97, 0x00cab,	/* 2025-2029 */
	0x0055a, 0x30ad6, 0x00b69, 0xb1752, 0x00b52,	/* 2030-2034 */
	0x00b25, 0x61a4b, 0x00a4b, 0x004ab, 0x5055b,	/* 2035-2039 */
	0x005ad, 0x00b6a, 0x21b52, 0x00d92, 0x71d25,	/* 2040-2044 */
	0x00d25, 0x00a55, 0x514ad, 0x004b6, 0x005b5,	/* 2045-2049 */
	0x30daa, 0x00ec9, 0x81e92, 0x00e92, 0x00d26,	/* 2050-2054 */
	0x60a56, 0x00a57, 0x004d6, 0x406d5, 0x00755,	/* 2055-2059 */
	0x00745, 0x30e93, 0x00693, 0x7152b, 0x0052b,	/* 2060-2064 */
	0x00a5b, 0x5155a, 0x0056a, 0x00b65, 0x4174a,	/* 2065-2069 */
	0x00b4a, 0x81a95, 0x00a95, 0x0052d, 0x60aad,	/* 2070-2074 */
	0x00ab5, 0x005aa, 0x40ba5, 0x00da5, 0x00d4a,	/* 2075-2079 */
	0x31c95, 0x00c96, 0x7194e, 0x00556, 0x00ab5,	/* 2080-2084 */
	0x515b2, 0x006d2, 0x00ea5, 0x40e4a, 0x0068b,	/* 2085-2089 */
	0x80c97, 0x004ab, 0x0055b, 0x60ad6, 0x00b6a,	/* 2090-2094 */
	0x00752, 0x41725, 0x00b45, 0x00a8b, 0x2149b,	/* 2095-2099 */
	0x004ab,	/* 2100-2100 */
};

#define YEAR_INFO(y) lunar_years[(y) - LUNAR_YEAR_MIN]

int lunar_leap_month(int y)
{
	if (y < LUNAR_YEAR_MIN || y > LUNAR_YEAR_MAX)
		return -1;
	return (int)((YEAR_INFO(y) >> 16) & 0xf);
}

/* Months in year y: 12 or 13. */
static int months_in(int y)
{
	return lunar_leap_month(y) ? 13 : 12;
}

/* Length of the i-th month (0-based, in the year's order) of year y. */
static int nth_month_days(int y, int i)
{
	return (YEAR_INFO(y) >> i) & 1 ? 30 : 29;
}

/* The 0-based position in year y of month m (leap: the leap month). -1 when
 * the year has no such month. */
static int month_index(int y, int m, bool leap)
{
	int lm = lunar_leap_month(y);

	if (lm < 0 || m < 1 || m > 12)
		return -1;
	if (leap)
		return lm == m ? m : -1;
	return lm && m > lm ? m : m - 1;
}

int lunar_month_days(int y, int m, bool leap)
{
	int i = month_index(y, m, leap);

	return i < 0 ? 0 : nth_month_days(y, i);
}

int lunar_year_days(int y)
{
	int i, n = 0;

	if (y < LUNAR_YEAR_MIN || y > LUNAR_YEAR_MAX)
		return 0;
	for (i = 0; i < months_in(y); i++)
		n += nth_month_days(y, i);
	return n;
}

int lunar_from_days(int64_t z, struct lunar_date *out)
{
	int64_t off;
	int y = LUNAR_YEAR_MIN, i, lm, n;

	if (z < LUNAR_FIRST_DAY || z > LUNAR_LAST_DAY)
		return -1;
	off = z - LUNAR_FIRST_DAY;
	while (off >= (n = lunar_year_days(y))) {
		off -= n;
		y++;
	}
	for (i = 0; off >= (n = nth_month_days(y, i)); i++)
		off -= n;
	lm = lunar_leap_month(y);
	out->year = y;
	out->leap = lm && i == lm;
	out->month = lm && i >= lm ? i : i + 1;
	out->day = (int)off + 1;
	return 0;
}

int lunar_to_days(const struct lunar_date *ld, int64_t *z)
{
	int64_t off = 0;
	int y, i, idx;

	if (!ld || ld->year < LUNAR_YEAR_MIN || ld->year > LUNAR_YEAR_MAX)
		return -1;
	idx = month_index(ld->year, ld->month, ld->leap);
	if (idx < 0 || ld->day < 1 || ld->day > nth_month_days(ld->year, idx))
		return -1;
	for (y = LUNAR_YEAR_MIN; y < ld->year; y++)
		off += lunar_year_days(y);
	for (i = 0; i < idx; i++)
		off += nth_month_days(ld->year, i);
	if (z)
		*z = LUNAR_FIRST_DAY + off + ld->day - 1;
	return 0;
}

int lunar_format(const struct lunar_date *ld, char *buf, size_t size)
{
	static const char *const months[] = {
		"正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"
	};
	static const char *const tens[] = { "初", "十", "廿", "三" };
	static const char *const units[] = {
		"十", "一", "二", "三", "四", "五", "六", "七", "八", "九"
	};
	int d;

	if (!buf || size == 0)
		return -1;
	buf[0] = '\0';
	if (lunar_to_days(ld, NULL) != 0 || size < LUNAR_TEXT_SIZE)
		return -1;
	d = ld->day;
	/* 初十, 二十 and 三十 are written whole; the others 初一, 十一, 廿一. */
	snprintf(buf, size, "%d年%s%s月%s%s", ld->year, ld->leap ? "闰" : "",
		 months[ld->month - 1],
		 d == 20 ? "二" : d == 30 ? "三" : tens[(d - 1) / 10],
		 units[d % 10]);
	return 0;
}
