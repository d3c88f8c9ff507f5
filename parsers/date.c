/*
 * Date parsing for feeds, pages and the command line.
 *
 * Accepted: ISO 8601 / RFC 3339 ("2025-05-15T20:00:52.000+0900",
 * "2023-04-05T01:57:54.555Z", "2026-01-15"), RFC 822/1123 as used in RSS
 * ("Sat, 31 Dec 2005 13:47:03+0900", "Mon, 15 Jan 2026 09:00:00 GMT",
 * zone names GMT/UT/UTC/Z/KST and the US zones of RFC 822), and the Korean
 * forms seen on news sites and boards ("2025.08.04 17:39",
 * "2026. 1. 15. 18:47", "2026-02-10 오후 4:20", "2025년 8월 4일 오전 9시").
 * Leading labels ("입력", "기사입력", "등록일 :") are skipped.  A date
 * without an offset is Korean time (UTC+9).  No locale is consulted:
 * month names are matched in ASCII and the epoch is computed with timegm.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "parsers_int.h"

typedef struct cursor {
    const char *p; /* input */
    size_t n;      /* its length */
    size_t i;      /* read position */
} cursor;

typedef struct fields {
    int year, mon, day, hour, min, sec;
    int has_time;
    int has_offset;
    int offset_min;
    int ampm; /* 0 none, 1 AM, 2 PM */
} fields;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int at_end(const cursor *c)
{
    return c->i >= c->n;
}

static char peek(const cursor *c)
{
    return at_end(c) ? '\0' : c->p[c->i];
}

/* Skips ASCII spaces, NBSP and U+3000. */
static void skip_space(cursor *c)
{
    while (!at_end(c)) {
        const unsigned char *s = (const unsigned char *)c->p + c->i;
        size_t left = c->n - c->i;

        if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            c->i++;
        else if (left >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
            c->i += 2;
        else if (left >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
            c->i += 3;
        else
            break;
    }
}

/* Consumes the literal @s if it is next. */
static int accept(cursor *c, const char *s)
{
    size_t l = strlen(s);

    if (c->n - c->i >= l && memcmp(c->p + c->i, s, l) == 0) {
        c->i += l;
        return 1;
    }
    return 0;
}

static int accept_ci(cursor *c, const char *s)
{
    size_t l = strlen(s);

    if (c->n - c->i >= l && strncasecmp(c->p + c->i, s, l) == 0) {
        c->i += l;
        return 1;
    }
    return 0;
}

/* Reads 1..max digits; returns the count read (0: none). */
static int read_num(cursor *c, int max, int *v)
{
    int k = 0;

    *v = 0;
    while (k < max && !at_end(c) && is_digit(c->p[c->i])) {
        *v = *v * 10 + (c->p[c->i] - '0');
        c->i++;
        k++;
    }
    return k;
}

/* Optional AM/PM marker, Korean or English, with the spaces around it;
 * nothing is consumed when there is no marker. */
static void read_ampm(cursor *c, fields *f)
{
    size_t save = c->i;

    skip_space(c);
    if (accept(c, "오전") || accept_ci(c, "AM") || accept_ci(c, "a.m."))
        f->ampm = 1;
    else if (accept(c, "오후") || accept_ci(c, "PM") || accept_ci(c, "p.m."))
        f->ampm = 2;
    if (!f->ampm) {
        c->i = save;
        return;
    }
    skip_space(c);
}

static const struct {
    const char *name;
    int off;
} zones[] = {
    {"UTC", 0},      {"GMT", 0},      {"UT", 0},       {"KST", 540},
    {"EST", -300},   {"EDT", -240},   {"CST", -360},   {"CDT", -300},
    {"MST", -420},   {"MDT", -360},   {"PST", -480},   {"PDT", -420},
    {"JST", 540},    {"Z", 0},
};

/* Optional UTC offset: Z, +09:00, +0900, +09, or a zone name. */
static int read_offset(cursor *c, fields *f)
{
    size_t save;
    size_t k;
    int sign, hh, mm = 0, nd;

    save = c->i;
    skip_space(c);
    if (peek(c) == '+' || peek(c) == '-') {
        sign = peek(c) == '-' ? -1 : 1;
        c->i++;
        nd = read_num(c, 4, &hh);
        if (nd == 4) {
            mm = hh % 100;
            hh /= 100;
        } else if (nd == 2 || nd == 1) {
            if (accept(c, ":") && read_num(c, 2, &mm) != 2)
                return 0;
        } else {
            c->i = save;
            return 0;
        }
        if (hh > 18 || mm > 59)
            return -1;
        f->has_offset = 1;
        f->offset_min = sign * (hh * 60 + mm);
        return 1;
    }
    for (k = 0; k < sizeof(zones) / sizeof(zones[0]); k++) {
        size_t l = strlen(zones[k].name);

        if (c->n - c->i >= l &&
            strncasecmp(c->p + c->i, zones[k].name, l) == 0 &&
            (c->n - c->i == l ||
             !((c->p[c->i + l] >= 'A' && c->p[c->i + l] <= 'Z') ||
               (c->p[c->i + l] >= 'a' && c->p[c->i + l] <= 'z')))) {
            c->i += l;
            f->has_offset = 1;
            f->offset_min = zones[k].off;
            /* "GMT+9", "UTC+09:00" */
            if (peek(c) == '+' || peek(c) == '-')
                return read_offset(c, f) < 0 ? -1 : 1;
            return 1;
        }
    }
    c->i = save;
    return 0;
}

/*
 * Time of day: [AM/PM] H(:MM(:SS(.frac)?)? | 시 (MM 분)? (SS 초)?) [AM/PM].
 * Returns 1 if a time was read, 0 if none, -1 on a malformed one.
 */
static int read_time(cursor *c, fields *f)
{
    size_t save = c->i;
    int v;

    read_ampm(c, f);
    skip_space(c);
    if (read_num(c, 2, &f->hour) == 0) {
        c->i = save;
        f->ampm = 0;
        return 0;
    }
    if (accept(c, ":")) {
        if (read_num(c, 2, &f->min) != 2)
            return -1;
        if (accept(c, ":")) {
            if (read_num(c, 2, &f->sec) != 2)
                return -1;
            if (accept(c, ".") || accept(c, ","))
                while (!at_end(c) && is_digit(peek(c)))
                    c->i++;
        }
    } else if (accept(c, "시")) {
        skip_space(c);
        if (read_num(c, 2, &v) > 0) {
            f->min = v;
            if (!accept(c, "분"))
                return -1;
            skip_space(c);
            if (read_num(c, 2, &v) > 0) {
                f->sec = v;
                if (!accept(c, "초"))
                    return -1;
            }
        }
    } else {
        return -1;
    }
    f->has_time = 1;
    if (f->ampm == 0)
        read_ampm(c, f);
    return 1;
}

/* Separator between date parts: '-', '/', '.', or 년/월 (with spaces). */
static int read_date_sep(cursor *c, const char *korean)
{
    skip_space(c);
    if (accept(c, korean) || accept(c, "-") || accept(c, "/") ||
        accept(c, ".")) {
        skip_space(c);
        return 1;
    }
    return 0;
}

/* Numeric date forms (ISO and Korean).  Returns 0 on success. */
static int parse_numeric(cursor *c, fields *f)
{
    int r;

    if (read_num(c, 4, &f->year) != 4)
        return -1;
    if (!read_date_sep(c, "년"))
        return -1;
    if (read_num(c, 2, &f->mon) == 0)
        return -1;
    if (!read_date_sep(c, "월"))
        return -1;
    if (read_num(c, 2, &f->day) == 0)
        return -1;
    if (!accept(c, "일"))
        accept(c, ".");
    /* A weekday in parentheses: "(월)", "(Mon)". */
    skip_space(c);
    if (peek(c) == '(') {
        const char *q = memchr(c->p + c->i, ')', c->n - c->i);

        if (q && (size_t)(q - (c->p + c->i)) <= 12)
            c->i = (size_t)(q - c->p) + 1;
    }
    if (peek(c) == 'T' || peek(c) == 't')
        c->i++;
    r = read_time(c, f);
    if (r < 0)
        return -1;
    if (r > 0 && read_offset(c, f) < 0)
        return -1;
    return 0;
}

static const char *const months[] = {"jan", "feb", "mar", "apr",
                                     "may", "jun", "jul", "aug",
                                     "sep", "oct", "nov", "dec"};

/* RFC 822: [Wkd[,]] D Mon YYYY [HH:MM[:SS]] [zone].  0 on success. */
static int parse_rfc822(cursor *c, fields *f)
{
    int k, nd, r;

    /* Weekday (any run of letters), optionally followed by a comma. */
    if (!is_digit(peek(c))) {
        while (!at_end(c) && ((peek(c) >= 'a' && peek(c) <= 'z') ||
                              (peek(c) >= 'A' && peek(c) <= 'Z')))
            c->i++;
        accept(c, ",");
        skip_space(c);
    }
    if (read_num(c, 2, &f->day) == 0)
        return -1;
    skip_space(c);
    accept(c, "-");
    f->mon = 0;
    for (k = 0; k < 12; k++) {
        if (c->n - c->i >= 3 && strncasecmp(c->p + c->i, months[k], 3) == 0)
            f->mon = k + 1;
    }
    if (!f->mon)
        return -1;
    while (!at_end(c) && ((peek(c) >= 'a' && peek(c) <= 'z') ||
                          (peek(c) >= 'A' && peek(c) <= 'Z') ||
                          peek(c) == '.'))
        c->i++;
    skip_space(c);
    accept(c, "-");
    nd = read_num(c, 4, &f->year);
    if (nd == 2)
        f->year += f->year < 70 ? 2000 : 1900;
    else if (nd != 4)
        return -1;
    skip_space(c);
    r = read_time(c, f);
    if (r < 0)
        return -1;
    if (r > 0 && read_offset(c, f) < 0)
        return -1;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return (m == 2 && leap) ? 29 : d[m - 1];
}

/* Validates the fields and computes the result.  0 on success. */
static int finish(fields *f, kw_date *out)
{
    struct tm tm;
    time_t t;

    if (f->year < 1900 || f->year > 2200 || f->mon < 1 || f->mon > 12 ||
        f->day < 1 || f->day > days_in_month(f->year, f->mon))
        return -1;
    if (f->ampm) {
        if (f->hour < 1 || f->hour > 12)
            return -1;
        if (f->ampm == 1 && f->hour == 12)
            f->hour = 0;
        else if (f->ampm == 2 && f->hour != 12)
            f->hour += 12;
    }
    if (f->hour > 23 || f->min > 59 || f->sec > 60)
        return -1;
    if (f->sec == 60)
        f->sec = 59; /* a leap second: close enough */
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = f->year - 1900;
    tm.tm_mon = f->mon - 1;
    tm.tm_mday = f->day;
    tm.tm_hour = f->hour;
    tm.tm_min = f->min;
    tm.tm_sec = f->sec;
    t = timegm(&tm);
    if (!f->has_offset)
        f->offset_min = KW_KST_OFFSET_MIN;
    out->t = (int64_t)t - (int64_t)f->offset_min * 60;
    out->offset_min = f->offset_min;
    out->has_time = f->has_time;
    return 0;
}

/*
 * What may follow a date: nothing, or anything after white space
 * ("수정 2025...", "(월)", a view count on a board).  An ASCII letter or
 * digit glued to the date ("2025-12-05x3") makes it malformed.
 */
static int tail_ok(cursor *c)
{
    char ch = peek(c);

    return !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
             is_digit(ch) || ch == ':' || ch == '+');
}

/* Tries both grammars at position @i.  0 on success. */
static int parse_at(const char *p, size_t n, size_t i, kw_date *out)
{
    cursor c;
    fields f;

    memset(&f, 0, sizeof(f));
    c.p = p;
    c.n = n;
    c.i = i;
    if (is_digit(p[i]) && i + 4 < n && is_digit(p[i + 1]) &&
        is_digit(p[i + 2]) && is_digit(p[i + 3]) && !is_digit(p[i + 4])) {
        if (parse_numeric(&c, &f) == 0 && tail_ok(&c) &&
            finish(&f, out) == 0)
            return 0;
        return -1;
    }
    memset(&f, 0, sizeof(f));
    c.i = i;
    if (parse_rfc822(&c, &f) == 0 && tail_ok(&c) && finish(&f, out) == 0)
        return 0;
    return -1;
}

static int is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

kw_err kw_date_parse(const char *p, size_t n, kw_date *out)
{
    size_t i = 0;

    memset(out, 0, sizeof(*out));
    if (!p)
        return KW_EPARSE;
    if (n > 256)
        n = 256; /* a date is short; bounds the work on garbage */
    /* Skip a label: anything up to the first digit, or to an ASCII word
     * that starts an RFC 822 date (a weekday or a day number). */
    while (i < n) {
        char ch = p[i];

        if (is_digit(ch)) {
            if (parse_at(p, n, i, out) == 0)
                return KW_OK;
            memset(out, 0, sizeof(*out));
            return KW_EPARSE;
        }
        if (is_alpha(ch) && (i == 0 || !is_alpha(p[i - 1]))) {
            if (parse_at(p, n, i, out) == 0)
                return KW_OK;
            memset(out, 0, sizeof(*out));
        }
        i++;
    }
    return KW_EPARSE;
}
