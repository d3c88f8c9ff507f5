/*
 * Event dates: the date a Korean news sentence reports, resolved against
 * the article's published date.  Forms: "2026년 1월 15일", "지난해 8월",
 * "지난해", "올해 1월 15일", "지난달 30일", "지난달 말", "이달 15일",
 * "1월 15일", "15일", "이날"/"오늘" (the published day), "어제", "그제",
 * "지난주".  A bare day or month-day later than the published date is
 * taken from the previous month or year ("30일" in a story of the 2nd).
 * Durations ("3일 만에", "5일간", "10일째") are not dates.
 *
 * A date inside a relative clause that modifies a name is that clause's,
 * not the sentence's: in "지난달 15일 탈락한 엔씨AI가 … 재도전을 결정했다"
 * the 15th is when it was eliminated, not when it decided.  So a date
 * whose next name is preceded by an adnominal verb (탈락한, 선정된, 빠진)
 * is skipped.  A date before an adnominal verb that modifies something
 * else ("15일 발표된 1차 평가에서 고배를 마셨다") still dates the event.
 */
#include <string.h>

#include "analysis_int.h"

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int starts(const char *s, size_t n, size_t i, const char *lit)
{
    size_t l = strlen(lit);

    return i + l <= n && memcmp(s + i, lit, l) == 0;
}

/* Reads 1-4 ASCII digits at s[*i); returns -1 if none. */
static long digits(const char *s, size_t n, size_t *i)
{
    long v = 0;
    size_t k = 0;

    while (*i < n && k < 4 && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    if (k == 0 || (*i < n && s[*i] >= '0' && s[*i] <= '9'))
        return -1;
    return v;
}

static void skip_space(const char *s, size_t n, size_t *i)
{
    while (*i < n && s[*i] == ' ')
        (*i)++;
}

/* Reads "N월" then optionally " N일"; returns 1 with *m (and *d, 0 if
 * absent). */
static int month_day(const char *s, size_t n, size_t *i, int *m, int *d)
{
    size_t j = *i, k;
    long v;

    skip_space(s, n, &j);
    v = digits(s, n, &j);
    if (v < 1 || v > 12 || !starts(s, n, j, "월"))
        return 0;
    *m = (int)v;
    j += strlen("월");
    *d = 0;
    k = j;
    skip_space(s, n, &k);
    v = digits(s, n, &k);
    if (v >= 1 && v <= 31 && starts(s, n, k, "일")) {
        *d = (int)v;
        j = k + strlen("일");
    }
    *i = j;
    return 1;
}

/* True if a day count follows: "3일 만에", "5일간", "10일째". */
static int is_duration(const char *s, size_t n, size_t after_il)
{
    static const char *const dur[] = {"간", "째", " 만에", " 이내", " 동안",
                                      "만에", " 안에", " 뒤", " 후"};
    size_t k;

    for (k = 0; k < sizeof(dur) / sizeof(*dur); k++)
        if (starts(s, n, after_il, dur[k]))
            return 1;
    return 0;
}

/* True if the word that ends at s[end) is an adnominal verb form: two or
 * more Hangul syllables, the last one closed by ㄴ. */
static int adnominal_word(const char *s, size_t end)
{
    size_t len, len2;
    uint32_t c, c2;

    if (end == 0)
        return 0;
    c = kw__an_cp_before(s, end, &len);
    if (c < 0xAC00 || c > 0xD7A3 || (c - 0xAC00) % 28 != 4 /* ㄴ */)
        return 0;
    if (end <= len)
        return 0;
    c2 = kw__an_cp_before(s, end - len, &len2);
    return c2 >= 0xAC00 && c2 <= 0xD7A3;
}

/* Is the date that ends at s[end) inside a relative clause on a name:
 * is the first name after it directly preceded by an adnominal verb? */
static int dates_a_relative_clause(const char *s, size_t end,
                                   const size_t *names, size_t n_names)
{
    size_t k, first = (size_t)-1, w;

    for (k = 0; k < n_names; k++)
        if (names[k] >= end && names[k] < first)
            first = names[k];
    if (first == (size_t)-1)
        return 0;
    w = first;
    while (w > end && s[w - 1] == ' ')
        w--;
    if (w == first || w <= end)
        return 0; /* no word between the date and the name */
    return adnominal_word(s, w);
}

int kw__an_event_date(const char *s, size_t n, const size_t *names,
                      size_t n_names, const kw_date *published, kw_date *out)
{
    int64_t py = 0, pdays = 0, y, days;
    int pm = 0, pd = 0, m, d, offset = KW_KST_OFFSET_MIN;
    size_t i;

    if (published) {
        offset = published->offset_min;
        pdays = (published->t + (int64_t)offset * 60);
        pdays = (pdays >= 0 ? pdays : pdays - 86399) / 86400;
        civil_from_days(pdays, &py, &pm, &pd);
    }
    for (i = 0; i < n; i++) {
        size_t j = i;
        int prev_digit = i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9';
        int found = 0;
        long v;

        y = py;
        m = pm;
        d = pd;
        if (!prev_digit && s[i] >= '0' && s[i] <= '9') {
            v = digits(s, n, &j);
            if (v >= 1900 && v <= 2100 && starts(s, n, j, "년")) {
                j += strlen("년");
                y = v;
                if (!month_day(s, n, &j, &m, &d)) {
                    m = 1;
                    d = 1;
                } else if (!d) {
                    d = 1;
                }
                found = 2; /* absolute */
            } else if (v >= 1 && v <= 12 && starts(s, n, j, "월") &&
                       published) {
                j = i;
                if (month_day(s, n, &j, &m, &d)) {
                    if (!d)
                        d = 1;
                    if (m > pm || (m == pm && d > pd))
                        y = py - 1;
                    found = 1;
                }
            } else if (v >= 1 && v <= 31 && starts(s, n, j, "일") &&
                       published &&
                       !is_duration(s, n, j + strlen("일"))) {
                d = (int)v;
                if (d > pd) {
                    m = pm - 1;
                    if (m == 0) {
                        m = 12;
                        y = py - 1;
                    }
                }
                found = 1;
            }
        } else if (published && starts(s, n, i, "지난해")) {
            j = i + strlen("지난해");
            y = py - 1;
            if (!month_day(s, n, &j, &m, &d)) {
                m = 1;
                d = 1;
            } else if (!d) {
                d = 1;
            }
            found = 1;
        } else if (published && starts(s, n, i, "올해")) {
            j = i + strlen("올해");
            if (month_day(s, n, &j, &m, &d)) {
                if (!d)
                    d = 1;
                found = 1;
            }
        } else if (published && (starts(s, n, i, "지난달") ||
                                 starts(s, n, i, "이달"))) {
            int last = starts(s, n, i, "지난달");

            j = i + strlen(last ? "지난달" : "이달");
            if (last) {
                m = pm - 1;
                if (m == 0) {
                    m = 12;
                    y = py - 1;
                }
            }
            skip_space(s, n, &j);
            v = digits(s, n, &j);
            if (v >= 1 && v <= 31 && starts(s, n, j, "일"))
                d = (int)v;
            else if (starts(s, n, j, "말"))
                d = days_in_month(y, m);
            else if (starts(s, n, j, "중순"))
                d = 15;
            else
                d = 1;
            found = last || d != pd || v > 0;
        } else if (published &&
                   (starts(s, n, i, "이날") || starts(s, n, i, "오늘"))) {
            found = 1;
        } else if (published && starts(s, n, i, "어제")) {
            days = pdays - 1;
            civil_from_days(days, &y, &m, &d);
            found = 1;
        } else if (published &&
                   (starts(s, n, i, "그제") || starts(s, n, i, "그저께"))) {
            civil_from_days(pdays - 2, &y, &m, &d);
            found = 1;
        } else if (published && starts(s, n, i, "지난주")) {
            civil_from_days(pdays - 7, &y, &m, &d);
            found = 1;
        }
        if (!found)
            continue;
        if (m < 1 || m > 12)
            continue;
        /* The end of the date expression: the end of the last word the
         * scan above read ("지난달" alone leaves j past the space, at the
         * next word, which may be the adnominal verb itself). */
        while (j > i + 1 && s[j - 1] == ' ')
            j--;
        if (j <= i)
            j = i + 1;
        while (j < n && s[j] != ' ')
            j++;
        if (dates_a_relative_clause(s, j, names, n_names)) {
            i = j - 1;
            continue;
        }
        if (d < 1)
            d = 1;
        if (d > days_in_month(y, m))
            d = days_in_month(y, m);
        days = days_from_civil(y, m, d);
        out->t = days * 86400 - (int64_t)offset * 60;
        out->offset_min = offset;
        out->has_time = 0;
        return 1;
    }
    return 0;
}
