/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * The fast path of levers_phone_to_e164(): PhoneNumberUtil::Parse(),
 * IsValidNumber(), IsPossibleNumberWithReason() and Format(E164) of
 * libphonenumber 8.12, redone for the inputs people actually send
 * ("0500000001", "+1 (415) 555-2671", "00966 50 000 0001") with the
 * library's own metadata and PCRE2 (JIT) in place of ICU's regular
 * expressions.
 *
 * libphonenumber spends about 100 000 instructions a number (callgrind,
 * bench/phone_bench.c), four fifths of it in ICU: each of its dozen regular
 * expression matches converts the input to UTF-16, allocates a matcher and
 * looks the pattern up in a locked cache.  This path takes about 1 700.
 * The rules themselves are few; this file follows phonenumberutil.cc
 * (ParseHelper, MaybeExtractCountryCode, TestNumberLength,
 * MaybeStripNationalPrefixAndCarrierCode, GetRegionCodeForNumber,
 * GetNumberTypeHelper) step by step, for one shape of input only:
 *
 *   - leading blanks and "(", ")", "-", "." (skipped by the library as
 *     "not a valid start character"), then an optional "+", then digits
 *     (ASCII, Arabic-Indic, Extended Arabic-Indic or full-width) separated
 *     by " ", "-", ".", "(", ")", then the same trailing characters
 *     (trimmed by the library as "unwanted end characters");
 *
 *   - neither the number's region nor the default region has a
 *     national_prefix_transform_rule (AR, BR, the NANPA islands, JE, GG...);
 *
 *   - not the "+" retry of ParseHelper ("+0...", "+" and an unknown code).
 *
 * Anything else (letters, extensions, "tel:" URIs, other digits, other
 * punctuation, invalid UTF-8...) is declined (LEVERS_PHONE_DECLINED) and goes
 * through libphonenumber itself.  t/unit/test_phone_fast.c compares both
 * paths over some hundred thousand generated inputs.
 *
 * Within that shape none of the library's special cases can apply: no
 * extension pattern matches without letters, "#", ",", ";" or "~"; no RFC 3966
 * handling without ";"; no alpha conversion without letters; no second-number
 * cut without "/" or "\"; and the national significant number, once parsed,
 * prints back as the very digit string it came from (leading zeros included),
 * so no PhoneNumber object is needed.
 *
 * The tables are built once (the first call, normally in nginx's master at
 * configuration time) and only read afterwards.  Every number gets its own
 * PCRE2 match data, freed on every way out; there is no other state.
 */

#include <cstring>
#include <new>
#include <list>
#include <string>
#include <vector>

#define PCRE2_CODE_UNIT_WIDTH  8
#include <pcre2.h>

#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "levers_phone.h"
#include "levers_phone_fast.h"


namespace i18n {
namespace phonenumbers {

/* phonenumbers/metadata.h, not installed: the compiled-in metadata */
int metadata_size();
const void *metadata_get();

}  // namespace phonenumbers
}  // namespace i18n


using i18n::phonenumbers::PhoneMetadata;
using i18n::phonenumbers::PhoneMetadataCollection;
using i18n::phonenumbers::PhoneNumberDesc;
using i18n::phonenumbers::PhoneNumberUtil;


#define LV_NSN_MIN    2       /* PhoneNumberUtil::kMinLengthForNsn */
#define LV_NSN_MAX    17      /* PhoneNumberUtil::kMaxLengthForNsn */
#define LV_CC_MAX     3       /* PhoneNumberUtil::kMaxLengthCountryCode */
#define LV_DIGITS_MAX 250     /* LEVERS_PHONE_INPUT_MAX */
#define LV_NTYPES     10


/* libphonenumber's TestNumberLength() answers */
typedef enum {
    LV_IS_POSSIBLE = 0,
    LV_IS_POSSIBLE_LOCAL_ONLY,
    LV_INVALID_LENGTH,
    LV_TOO_SHORT,
    LV_TOO_LONG
} lv_length_e;


/*
 * One metadata pattern.  A pattern of ASCII digits only ("0", "00", "011")
 * is compared as a string; the others run in PCRE2, anchored at the start
 * (RegExp::Consume()) or at both ends (FullMatch()).  An empty pattern
 * compiles too and, as in ICU, matches the empty prefix.
 */
typedef struct {
    pcre2_code    *code;
    std::string    literal;
    bool           is_literal;
    bool           jit;
} lv_re_t;


typedef struct {
    lv_re_t        re;
    bool           has_pattern;       /* national_number_pattern not empty */
    bool           has_lengths;       /* possible_length_size() > 0 */
    uint32_t       lengths;           /* bit n: length n possible */
} lv_desc_t;


typedef struct {
    int            cc;
    char           cc_str[LV_CC_MAX + 1];
    size_t         cc_len;

    bool           usable;            /* every pattern compiled */
    bool           transform;         /* has national_prefix_transform_rule */

    lv_re_t        idd;               /* international_prefix, Consume() */
    bool           has_npp;
    lv_re_t        npp;               /* national_prefix_for_parsing */
    bool           has_leading_digits;
    lv_re_t        leading_digits;    /* Consume() */

    lv_desc_t      general;           /* FullMatch() */
    std::vector<int>  general_lengths;
    uint32_t       local_lengths;

    bool           same_mobile_and_fixed;
    lv_desc_t      fixed_line;
    lv_desc_t      mobile;
    lv_desc_t      other[LV_NTYPES - 2];
} lv_md_t;


typedef struct {
    /* metadata by region, [A-Z][A-Z] */
    const lv_md_t                  *by_region[26 * 26];
    /* regions of a country calling code, the library's own order */
    std::vector<const lv_md_t *>    by_cc[1000];
    std::list<lv_md_t>              all;
} lv_tables_t;


static const lv_tables_t *lv_tables(void);
static lv_tables_t *lv_tables_build(void);
static bool lv_tables_fill(lv_tables_t *t);
static void lv_tables_free(lv_tables_t *t);
static bool lv_re_compile(lv_re_t *re, const std::string &pattern, bool full);
static bool lv_desc_build(lv_desc_t *d, const PhoneNumberDesc &desc);
static bool lv_md_build(lv_md_t *md, const PhoneMetadata &m);
static int lv_re_consume(const lv_re_t *re, const char *s, size_t len,
    pcre2_match_data *md, size_t *end);
static bool lv_re_full(const lv_re_t *re, const char *s, size_t len,
    pcre2_match_data *md);
static bool lv_is_match(const lv_desc_t *d, const char *s, size_t len,
    pcre2_match_data *mdata);
static bool lv_matching_desc(const lv_desc_t *d, const char *s, size_t len,
    pcre2_match_data *mdata);
static bool lv_has_type(const lv_md_t *md, const char *s, size_t len,
    pcre2_match_data *mdata);
static lv_length_e lv_test_length(const lv_md_t *md, size_t len);
static int lv_strip_national_prefix(const lv_md_t *md, const char *s,
    size_t len, size_t *skip, pcre2_match_data *mdata);
static int lv_extract_cc(const lv_tables_t *t, const char *s, size_t len,
    size_t *cc_len);
static int lv_fast(const lv_tables_t *t, const char *number, size_t len,
    const char *region, char *out, size_t *out_len, pcre2_match_data *mdata);


/* ------------------------------------------------------------------------ */
/* the tables                                                               */


static const lv_tables_t *
lv_tables(void)
{
    /* as levers_phone_util(): once, thread-safe, retried if it throws */
    static const lv_tables_t *const  tables = lv_tables_build();

    return tables;
}


static bool
lv_re_compile(lv_re_t *re, const std::string &pattern, bool full)
{
    int          err;
    size_t       i, erroff;
    std::string  wrapped;

    re->code = NULL;
    re->jit = false;
    re->is_literal = !full && !pattern.empty();

    for (i = 0; i < pattern.size(); i++) {
        if ((unsigned char) pattern[i] >= 0x80) {
            /* non-ASCII patterns: ICU and PCRE2 may disagree, decline */
            return false;
        }

        if (pattern[i] < '0' || pattern[i] > '9') {
            re->is_literal = false;
        }
    }

    if (re->is_literal) {
        re->literal = pattern;
        return true;
    }

    wrapped = "(?:" + pattern + (full ? ")\\z" : ")");

    re->code = pcre2_compile((PCRE2_SPTR) wrapped.data(), wrapped.size(),
                             PCRE2_ANCHORED, &err, &erroff, NULL);
    if (re->code == NULL) {
        return false;
    }

    re->jit = (pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0);

    return true;
}


static bool
lv_desc_build(lv_desc_t *d, const PhoneNumberDesc &desc)
{
    int  i, n;

    d->has_pattern = !desc.national_number_pattern().empty();
    d->has_lengths = desc.possible_length_size() > 0;
    d->lengths = 0;
    d->re.code = NULL;

    for (i = 0; i < desc.possible_length_size(); i++) {
        n = desc.possible_length(i);

        if (n >= 32) {
            return false;
        }

        if (n >= 0) {
            d->lengths |= (uint32_t) 1 << n;
        }
    }

    if (!d->has_pattern) {
        return true;
    }

    return lv_re_compile(&d->re, desc.national_number_pattern(), true);
}


static bool
lv_md_build(lv_md_t *md, const PhoneMetadata &m)
{
    int  i, n;

    md->cc = m.country_code();
    md->usable = false;
    md->transform = !m.national_prefix_transform_rule().empty();

    if (md->cc <= 0 || md->cc > 999) {
        return false;
    }

    md->cc_len = (size_t) snprintf(md->cc_str, sizeof(md->cc_str), "%d",
                                   md->cc);

    if (!lv_re_compile(&md->idd, m.international_prefix(), false)) {
        return false;
    }

    md->has_npp = !m.national_prefix_for_parsing().empty();

    if (md->has_npp
        && !lv_re_compile(&md->npp, m.national_prefix_for_parsing(), false))
    {
        return false;
    }

    md->has_leading_digits = m.has_leading_digits();

    if (md->has_leading_digits
        && !lv_re_compile(&md->leading_digits, m.leading_digits(), false))
    {
        return false;
    }

    /* TestNumberLength() reads possible_length(0) and the last one */
    if (m.general_desc().possible_length_size() == 0) {
        return false;
    }

    for (i = 0; i < m.general_desc().possible_length_size(); i++) {
        md->general_lengths.push_back(m.general_desc().possible_length(i));
    }

    md->local_lengths = 0;

    for (i = 0; i < m.general_desc().possible_length_local_only_size(); i++) {
        n = m.general_desc().possible_length_local_only(i);

        if (n < 0 || n >= 32) {
            return false;
        }

        md->local_lengths |= (uint32_t) 1 << n;
    }

    md->same_mobile_and_fixed = m.same_mobile_and_fixed_line_pattern();

    if (!lv_desc_build(&md->general, m.general_desc())
        || !lv_desc_build(&md->fixed_line, m.fixed_line())
        || !lv_desc_build(&md->mobile, m.mobile())
        || !lv_desc_build(&md->other[0], m.premium_rate())
        || !lv_desc_build(&md->other[1], m.toll_free())
        || !lv_desc_build(&md->other[2], m.shared_cost())
        || !lv_desc_build(&md->other[3], m.voip())
        || !lv_desc_build(&md->other[4], m.personal_number())
        || !lv_desc_build(&md->other[5], m.pager())
        || !lv_desc_build(&md->other[6], m.uan())
        || !lv_desc_build(&md->other[7], m.voicemail()))
    {
        return false;
    }

    md->usable = true;

    return true;
}


/*
 * A failure leaves the tables NULL: every number then takes the slow path.
 * An exception (std::bad_alloc) is passed on, for lv_tables() to retry, but
 * not with the half-built tables and their compiled patterns leaked.  The
 * tables built live as long as the process.
 */

static lv_tables_t *
lv_tables_build(void)
{
    lv_tables_t  *t;

    t = new lv_tables_t();

    try {
        if (lv_tables_fill(t)) {
            return t;
        }

    } catch (...) {
        lv_tables_free(t);
        throw;
    }

    lv_tables_free(t);

    return NULL;
}


/*
 * The same maps as PhoneNumberUtil's constructor: the first metadata of a
 * region (or, for "001", of a calling code) wins; the region order of a
 * calling code is asked of the library itself.
 */

static bool
lv_tables_fill(lv_tables_t *t)
{
    int                       cc, idx;
    lv_md_t                  *md;
    std::list<std::string>    regions;
    const PhoneNumberUtil    *util;
    PhoneMetadataCollection   collection;
    const lv_md_t            *non_geo[1000];

    util = PhoneNumberUtil::GetInstance();

    if (!collection.ParseFromArray(i18n::phonenumbers::metadata_get(),
                                   i18n::phonenumbers::metadata_size()))
    {
        return false;
    }

    std::memset(non_geo, 0, sizeof(non_geo));

    for (const PhoneMetadata &m : collection.metadata()) {
        const std::string  &id = m.id();

        if (id == "ZZ") {
            continue;
        }

        t->all.emplace_back();
        md = &t->all.back();

        if (!lv_md_build(md, m)) {
            md->usable = false;
        }

        if (id == "001") {
            cc = m.country_code();

            if (cc > 0 && cc < 1000 && non_geo[cc] == NULL) {
                non_geo[cc] = md;
            }

            continue;
        }

        if (id.size() != 2 || id[0] < 'A' || id[0] > 'Z'
            || id[1] < 'A' || id[1] > 'Z')
        {
            /* never in 8.12's data; the library would know it, we not */
            return false;
        }

        idx = (id[0] - 'A') * 26 + (id[1] - 'A');

        if (t->by_region[idx] == NULL) {
            t->by_region[idx] = md;
        }
    }

    for (cc = 1; cc < 1000; cc++) {
        regions.clear();
        util->GetRegionCodesForCountryCallingCode(cc, &regions);

        for (const std::string &r : regions) {
            if (r == "001") {
                md = const_cast<lv_md_t *>(non_geo[cc]);

            } else if (r.size() == 2 && r[0] >= 'A' && r[0] <= 'Z'
                       && r[1] >= 'A' && r[1] <= 'Z')
            {
                md = const_cast<lv_md_t *>(
                         t->by_region[(r[0] - 'A') * 26 + (r[1] - 'A')]);

            } else {
                md = NULL;
            }

            if (md == NULL) {
                return false;
            }

            t->by_cc[cc].push_back(md);
        }
    }

    return true;
}


/* the patterns compiled so far (the others are NULL), then the rest */

static void
lv_tables_free(lv_tables_t *t)
{
    int  i;

    for (lv_md_t &md : t->all) {
        pcre2_code_free(md.idd.code);
        pcre2_code_free(md.npp.code);
        pcre2_code_free(md.leading_digits.code);
        pcre2_code_free(md.general.re.code);
        pcre2_code_free(md.fixed_line.re.code);
        pcre2_code_free(md.mobile.re.code);

        for (i = 0; i < LV_NTYPES - 2; i++) {
            pcre2_code_free(md.other[i].re.code);
        }
    }

    delete t;
}


/* ------------------------------------------------------------------------ */
/* matching                                                                 */


/* RegExp::Consume(): 1 and the end of the match, 0 no match, -1 error */

static int
lv_re_consume(const lv_re_t *re, const char *s, size_t len,
    pcre2_match_data *mdata, size_t *end)
{
    int  rc;

    if (re->is_literal) {
        if (len >= re->literal.size()
            && std::memcmp(s, re->literal.data(), re->literal.size()) == 0)
        {
            *end = re->literal.size();
            return 1;
        }

        return 0;
    }

    if (re->jit) {
        rc = pcre2_jit_match(re->code, (PCRE2_SPTR) s, len, 0, 0, mdata,
                             NULL);

    } else {
        rc = pcre2_match(re->code, (PCRE2_SPTR) s, len, 0, 0, mdata, NULL);
    }

    if (rc == PCRE2_ERROR_NOMATCH) {
        return 0;
    }

    if (rc < 0) {
        return -1;
    }

    *end = pcre2_get_ovector_pointer(mdata)[1];

    return 1;
}


static bool
lv_re_full(const lv_re_t *re, const char *s, size_t len,
    pcre2_match_data *mdata)
{
    int  rc;

    if (re->jit) {
        rc = pcre2_jit_match(re->code, (PCRE2_SPTR) s, len, 0, 0, mdata,
                             NULL);

    } else {
        rc = pcre2_match(re->code, (PCRE2_SPTR) s, len, 0, 0, mdata, NULL);
    }

    if (rc >= 0) {
        return true;
    }

    if (rc != PCRE2_ERROR_NOMATCH) {
        /* a match limit: the caller cannot tell, so give up on the number */
        throw std::bad_alloc();
    }

    return false;
}


/* IsMatch(): RegexBasedMatcher::MatchNationalNumber(), no prefix match */

static bool
lv_is_match(const lv_desc_t *d, const char *s, size_t len,
    pcre2_match_data *mdata)
{
    return d->has_pattern && lv_re_full(&d->re, s, len, mdata);
}


/* IsNumberMatchingDesc(): possible lengths first, then the pattern */

static bool
lv_matching_desc(const lv_desc_t *d, const char *s, size_t len,
    pcre2_match_data *mdata)
{
    if (d->has_lengths && (len >= 32 || !(d->lengths & ((uint32_t) 1 << len))))
    {
        return false;
    }

    return lv_is_match(d, s, len, mdata);
}


/* GetNumberTypeHelper() != UNKNOWN */

static bool
lv_has_type(const lv_md_t *md, const char *s, size_t len,
    pcre2_match_data *mdata)
{
    int  i;

    if (!lv_matching_desc(&md->general, s, len, mdata)) {
        return false;
    }

    if (!md->same_mobile_and_fixed
        && lv_matching_desc(&md->mobile, s, len, mdata))
    {
        return true;
    }

    if (lv_matching_desc(&md->fixed_line, s, len, mdata)) {
        return true;
    }

    for (i = 0; i < LV_NTYPES - 2; i++) {
        if (lv_matching_desc(&md->other[i], s, len, mdata)) {
            return true;
        }
    }

    return false;
}


/* TestNumberLength(number, metadata, UNKNOWN) */

static lv_length_e
lv_test_length(const lv_md_t *md, size_t len)
{
    size_t                   i;
    const std::vector<int>  &pl = md->general_lengths;

    if (pl[0] == -1) {
        return LV_INVALID_LENGTH;
    }

    if (len < 32 && (md->local_lengths & ((uint32_t) 1 << len))) {
        return LV_IS_POSSIBLE_LOCAL_ONLY;
    }

    if ((size_t) pl[0] == len) {
        return LV_IS_POSSIBLE;
    }

    if ((size_t) pl[0] > len) {
        return LV_TOO_SHORT;
    }

    if ((size_t) pl.back() < len) {
        return LV_TOO_LONG;
    }

    for (i = 1; i < pl.size(); i++) {
        if ((size_t) pl[i] == len) {
            return LV_IS_POSSIBLE;
        }
    }

    return LV_INVALID_LENGTH;
}


/*
 * MaybeStripNationalPrefixAndCarrierCode() without a transform rule:
 * *skip is how many leading digits to drop (0 when nothing is stripped).
 * -1: the region has a transform rule (declined) or PCRE2 failed.
 */

static int
lv_strip_national_prefix(const lv_md_t *md, const char *s, size_t len,
    size_t *skip, pcre2_match_data *mdata)
{
    int     rc;
    size_t  end;

    *skip = 0;

    if (len == 0 || !md->has_npp) {
        return 0;
    }

    if (md->transform) {
        return -1;
    }

    rc = lv_re_consume(&md->npp, s, len, mdata, &end);

    if (rc <= 0) {
        return rc;
    }

    if (lv_is_match(&md->general, s, len, mdata)
        && !lv_is_match(&md->general, s + end, len - end, mdata))
    {
        return 0;
    }

    *skip = end;

    return 0;
}


/* ExtractCountryCode(): the calling code, 0 if none; s has >= 3 digits */

static int
lv_extract_cc(const lv_tables_t *t, const char *s, size_t len, size_t *cc_len)
{
    int     cc;
    size_t  i;

    if (len == 0 || s[0] == '0') {
        return 0;
    }

    cc = 0;

    for (i = 1; i <= LV_CC_MAX && i <= len; i++) {
        cc = cc * 10 + (s[i - 1] - '0');

        if (!t->by_cc[cc].empty()) {
            *cc_len = i;
            return cc;
        }
    }

    return 0;
}


/* ------------------------------------------------------------------------ */
/* the path                                                                 */


/*
 * A decimal digit, as NormalizeDigitsOnly() reads it: ASCII, Arabic-Indic
 * (U+0660..U+0669, as typed on an Arabic keyboard), Extended Arabic-Indic
 * (U+06F0..U+06F9) and full-width (U+FF10..U+FF19).  Its value, -1 for
 * anything else; *w: its length in bytes.
 */

static inline int
lv_digit(const char *p, size_t left, size_t *w)
{
    const unsigned char  *u = (const unsigned char *) p;

    if (u[0] >= '0' && u[0] <= '9') {
        *w = 1;
        return u[0] - '0';
    }

    if (left >= 2 && u[0] == 0xd9 && u[1] >= 0xa0 && u[1] <= 0xa9) {
        *w = 2;
        return u[1] - 0xa0;
    }

    if (left >= 2 && u[0] == 0xdb && u[1] >= 0xb0 && u[1] <= 0xb9) {
        *w = 2;
        return u[1] - 0xb0;
    }

    if (left >= 3 && u[0] == 0xef && u[1] == 0xbc
        && u[2] >= 0x90 && u[2] <= 0x99)
    {
        *w = 3;
        return u[2] - 0x90;
    }

    return -1;
}


/* skipped before the number / trimmed after it by ExtractPossibleNumber() */
#define lv_is_edge(c)                                                        \
    ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n'                  \
     || (c) == '(' || (c) == ')' || (c) == '-' || (c) == '.')

/* kValidPunctuation characters allowed between the digits */
#define lv_is_punct(c)                                                       \
    ((c) == ' ' || (c) == '(' || (c) == ')' || (c) == '-' || (c) == '.')


static int
lv_fast(const lv_tables_t *t, const char *number, size_t len,
    const char *region, char *out, size_t *out_len, pcre2_match_data *mdata)
{
    int             cc, rc, d;
    char            digits[LV_DIGITS_MAX];
    bool            plus, blank;
    size_t          i, w, start, n, nd, npunct, pending, cc_len, end, skip,
                    nsn_len;
    const char     *nsn;
    const lv_md_t  *def, *md, *r, *cm;
    lv_length_e     length;

    /* ExtractPossibleNumber(): from the first "+" or digit ... */

    for (start = 0; start < len; start++) {
        if (number[start] == '+'
            || lv_digit(number + start, len - start, &w) >= 0)
        {
            break;
        }

        if (!lv_is_edge(number[start])) {
            return LEVERS_PHONE_DECLINED;
        }
    }

    if (start == len) {
        return LEVERS_PHONE_NOT_A_NUMBER;
    }

    /*
     * ... to the last digit (TrimUnwantedEndChars()), normalised to ASCII
     * (NormalizeDigitsOnly()); punctuation between the digits is counted
     * for IsViablePhoneNumber(), blanks are only taken after the last one.
     */

    plus = (number[start] == '+');
    nd = 0;
    npunct = 0;
    pending = 0;
    blank = false;

    for (i = start + plus; i < len; /* void */) {
        d = lv_digit(number + i, len - i, &w);

        if (d >= 0) {
            if (blank) {
                return LEVERS_PHONE_DECLINED;
            }

            digits[nd++] = (char) ('0' + d);
            npunct += pending;
            pending = 0;
            i += w;
            continue;
        }

        if (lv_is_punct(number[i])) {
            pending++;

        } else if (number[i] == '\t' || number[i] == '\r'
                   || number[i] == '\n')
        {
            blank = true;

        } else {
            return LEVERS_PHONE_DECLINED;
        }

        i++;
    }

    /*
     * IsViablePhoneNumber(): two digits and nothing else, or three digits or
     * more; a "+" without digits is trimmed away with the punctuation.
     */

    if (!(!plus && npunct == 0 && nd == 2) && nd < 3) {
        return LEVERS_PHONE_NOT_A_NUMBER;
    }

    /* CheckRegionForParsing() */

    def = NULL;

    if (region != NULL
        && region[0] >= 'A' && region[0] <= 'Z'
        && region[1] >= 'A' && region[1] <= 'Z'
        && region[2] == '\0')
    {
        def = t->by_region[(region[0] - 'A') * 26 + (region[1] - 'A')];
    }

    if (def == NULL && !plus) {
        return LEVERS_PHONE_INVALID_COUNTRY;
    }

    if (def != NULL && !def->usable) {
        return LEVERS_PHONE_DECLINED;
    }

    /* MaybeExtractCountryCode() */

    nsn = digits;
    nsn_len = nd;
    cc = 0;

    if (!plus) {
        /* MaybeStripInternationalPrefixAndNormalize(), ParsePrefixAsIdd() */

        rc = lv_re_consume(&def->idd, digits, nd, mdata, &end);

        if (rc < 0) {
            return LEVERS_PHONE_DECLINED;
        }

        if (rc == 1 && !(end < nd && digits[end] == '0')) {
            plus = true;
            nsn = digits + end;
            nsn_len = nd - end;
        }
    }

    if (plus) {
        if (nsn_len <= LV_NSN_MIN) {
            return LEVERS_PHONE_TOO_SHORT;
        }

        cc = lv_extract_cc(t, nsn, nsn_len, &cc_len);

        if (cc == 0) {
            /*
             * After "+", ParseHelper() strips the plus and tries again
             * ("+00966..." is +966 for a region whose IDD is 00): declined.
             * After an IDD the answer is final.
             */
            return (number[start] == '+') ? LEVERS_PHONE_DECLINED
                                          : LEVERS_PHONE_INVALID_COUNTRY;
        }

        nsn += cc_len;
        nsn_len -= cc_len;

    } else if (nd >= def->cc_len
               && std::memcmp(digits, def->cc_str, def->cc_len) == 0)
    {
        /* the default region's calling code without a "+" */

        const char  *p = digits + def->cc_len;
        size_t       p_len = nd - def->cc_len;

        if (lv_strip_national_prefix(def, p, p_len, &skip, mdata) < 0) {
            return LEVERS_PHONE_DECLINED;
        }

        p += skip;
        p_len -= skip;

        if ((!lv_is_match(&def->general, digits, nd, mdata)
             && lv_is_match(&def->general, p, p_len, mdata))
            || lv_test_length(def, nd) == LV_TOO_LONG)
        {
            nsn = p;
            nsn_len = p_len;
            cc = def->cc;
        }
    }

    /* back in ParseHelper() */

    if (cc != 0) {
        md = t->by_cc[cc][0];

        if (!md->usable) {
            return LEVERS_PHONE_DECLINED;
        }

    } else {
        md = def;
        cc = def->cc;
    }

    if (nsn_len < LV_NSN_MIN) {
        return LEVERS_PHONE_TOO_SHORT;
    }

    if (lv_strip_national_prefix(md, nsn, nsn_len, &skip, mdata) < 0) {
        return LEVERS_PHONE_DECLINED;
    }

    if (skip != 0) {
        length = lv_test_length(md, nsn_len - skip);

        if (length != LV_TOO_SHORT && length != LV_IS_POSSIBLE_LOCAL_ONLY
            && length != LV_INVALID_LENGTH)
        {
            nsn += skip;
            nsn_len -= skip;
        }
    }

    if (nsn_len < LV_NSN_MIN) {
        return LEVERS_PHONE_TOO_SHORT;
    }

    if (nsn_len > LV_NSN_MAX) {
        return LEVERS_PHONE_TOO_LONG;
    }

    /* IsValidNumber(): GetRegionCodeForNumber(), then the number types */

    const std::vector<const lv_md_t *>  &list = t->by_cc[cc];

    r = NULL;

    if (list.size() == 1) {
        r = list[0];

    } else {
        for (const lv_md_t *m : list) {
            if (!m->usable) {
                return LEVERS_PHONE_DECLINED;
            }

            if (m->has_leading_digits) {
                rc = lv_re_consume(&m->leading_digits, nsn, nsn_len, mdata,
                                   &end);
                if (rc < 0) {
                    return LEVERS_PHONE_DECLINED;
                }

                if (rc == 1) {
                    r = m;
                    break;
                }

            } else if (lv_has_type(m, nsn, nsn_len, mdata)) {
                r = m;
                break;
            }
        }
    }

    if (r != NULL && !r->usable) {
        return LEVERS_PHONE_DECLINED;
    }

    /* the main region of the calling code: the default region may not be */
    cm = list[0];

    if (!cm->usable) {
        return LEVERS_PHONE_DECLINED;
    }

    if (r == NULL || !lv_has_type(r, nsn, nsn_len, mdata)) {

        /* IsPossibleNumberWithReason() */

        switch (lv_test_length(cm, nsn_len)) {

        case LV_TOO_SHORT:
            return LEVERS_PHONE_TOO_SHORT;

        case LV_TOO_LONG:
            return LEVERS_PHONE_TOO_LONG;

        default:
            return LEVERS_PHONE_INVALID;
        }
    }

    /* Format(E164): "+", the calling code, the national significant number */

    n = 1 + cm->cc_len + nsn_len;

    if (n >= LEVERS_E164_MAX) {
        return LEVERS_PHONE_FAILED;
    }

    out[0] = '+';
    std::memcpy(out + 1, cm->cc_str, cm->cc_len);
    std::memcpy(out + 1 + cm->cc_len, nsn, nsn_len);
    out[n] = '\0';
    *out_len = n;

    return LEVERS_PHONE_OK;
}


int
levers_phone_to_e164_fast(const char *number, size_t len, const char *region,
    char *out, size_t *out_len)
{
    int                 rc;
    pcre2_match_data   *mdata;
    const lv_tables_t  *t;

    if (len == 0 || len > LV_DIGITS_MAX) {
        return LEVERS_PHONE_DECLINED;
    }

    try {
        t = lv_tables();

        if (t == NULL) {
            return LEVERS_PHONE_DECLINED;
        }

        /* one pair is enough: only the end of a match is read */
        mdata = pcre2_match_data_create(1, NULL);
        if (mdata == NULL) {
            return LEVERS_PHONE_DECLINED;
        }

        try {
            rc = lv_fast(t, number, len, region, out, out_len, mdata);

        } catch (...) {
            rc = LEVERS_PHONE_DECLINED;
        }

        pcre2_match_data_free(mdata);

        return rc;

    } catch (...) {
        return LEVERS_PHONE_DECLINED;
    }
}


int
levers_phone_fast_init(void)
{
    try {
        return lv_tables() != NULL ? 0 : -1;

    } catch (...) {
        return -1;
    }
}
