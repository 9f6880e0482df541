/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * levers_phone.h over libphonenumber's PhoneNumberUtil (C++).
 *
 * Every entry point catches every exception: nothing may unwind into nginx's
 * C frames.  The only state is libphonenumber's own singleton (its metadata,
 * loaded once, read-only afterwards) and the logger installed on it below.
 */

#include <cstring>
#include <string>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "levers_phone.h"
#include "levers_phone_fast.h"


/*
 * Longer input is "too long" without being copied or run through ICU's
 * regular expressions: the Java libphonenumber has this very bound
 * (MAX_INPUT_STRING_LENGTH, answered with TOO_LONG); the C++ one has none.
 */
#define LEVERS_PHONE_INPUT_MAX  250


using i18n::phonenumbers::NullLogger;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;


static PhoneNumberUtil *levers_phone_util_init(void);
static const PhoneNumberUtil *levers_phone_util(void);
static int levers_phone_region_valid(const char *region);
static int levers_phone_parse(const char *number, size_t len,
    const char *region, char *out, size_t *out_len);
static int levers_phone_parse_error(PhoneNumberUtil::ErrorType err);
static int levers_phone_invalid_reason(const PhoneNumberUtil *util,
    const PhoneNumber &pn);


/*
 * The PhoneNumberUtil constructor installs a StdoutLogger that writes to
 * std::cout.  At its default level (errors) the calls made here print
 * nothing with 8.12's data, but warnings ("Invalid or unknown region code",
 * "UTF-8 buffer is not interchange-valid") are one level away and internal
 * failures log errors.  Inside an nginx worker stdout is not ours to write
 * to, so the logger is replaced with the library's NullLogger, once.
 * SetLogger() takes ownership of it.
 *
 * A function-local static gives the once-only initialisation (thread-safe
 * by the C++ standard, although nginx workers are single-threaded); the
 * first call normally happens at configuration time, in the master, so the
 * metadata is loaded before fork() and shared by the workers.  If the
 * initialisation throws (std::bad_alloc), the static stays uninitialised
 * and the next call retries.
 */

static PhoneNumberUtil *
levers_phone_util_init(void)
{
    PhoneNumberUtil  *util;

    util = PhoneNumberUtil::GetInstance();
    util->SetLogger(new NullLogger());

    return util;
}


static const PhoneNumberUtil *
levers_phone_util(void)
{
    static PhoneNumberUtil *const  util = levers_phone_util_init();

    return util;
}


/* exactly two ASCII upper-case letters, as levers_phone.h asks */

static int
levers_phone_region_valid(const char *region)
{
    return region != NULL
           && region[0] >= 'A' && region[0] <= 'Z'
           && region[1] >= 'A' && region[1] <= 'Z'
           && region[2] == '\0';
}


/*
 * The fast path (src/levers_phone_fast.cpp) answers the common inputs
 * exactly as the code below would, in a few thousand instructions instead
 * of about 100 000; whatever it does not fully understand it declines.
 */

int
levers_phone_to_e164(const char *number, size_t len, const char *region,
    char *out, size_t *out_len)
{
    int  rc;

    rc = levers_phone_to_e164_fast(number, len, region, out, out_len);

    if (rc != LEVERS_PHONE_DECLINED) {
        return rc;
    }

    return levers_phone_to_e164_slow(number, len, region, out, out_len);
}


int
levers_phone_to_e164_slow(const char *number, size_t len, const char *region,
    char *out, size_t *out_len)
{
    try {
        return levers_phone_parse(number, len, region, out, out_len);

    } catch (...) {
        return LEVERS_PHONE_FAILED;
    }
}


static int
levers_phone_parse(const char *number, size_t len, const char *region,
    char *out, size_t *out_len)
{
    std::string                 input, region_code, e164;
    PhoneNumber                 pn;
    const PhoneNumberUtil      *util;
    PhoneNumberUtil::ErrorType  err;

    if (len == 0) {
        return LEVERS_PHONE_NOT_A_NUMBER;
    }

    if (len > LEVERS_PHONE_INPUT_MAX) {
        return LEVERS_PHONE_TOO_LONG;
    }

    util = levers_phone_util();

    /*
     * Parse() takes std::string references, so the one copy of the input is
     * unavoidable; the region is two letters (no heap, small string
     * optimisation).  "ZZ" is libphonenumber's unknown region: only numbers
     * written with a leading "+" parse.
     *
     * Parse() is most of the cost (ICU regular expressions, about 10 us a
     * number: bench/phone_bench.c).  Building the PhoneNumber from "+digits"
     * ourselves and only calling IsValidNumber() would be five times faster
     * but is not equivalent: Parse() strips a national prefix written after
     * the country code, "+52 1 644 161 7441" (Mexico's old mobile "1") gives
     * +526441617441, while +5216441617441 is valid as it stands.  So every
     * number goes through Parse().
     */

    input.assign(number, len);
    region_code.assign(levers_phone_region_valid(region) ? region : "ZZ");

    err = util->Parse(input, region_code, &pn);

    if (err != PhoneNumberUtil::NO_PARSING_ERROR) {
        return levers_phone_parse_error(err);
    }

    if (!util->IsValidNumber(pn)) {
        return levers_phone_invalid_reason(util, pn);
    }

    /*
     * The E.164 form has no room for an extension: "+1 415 555 2671 ext. 7"
     * would be dialled as the switchboard number, a different callee than
     * the one asked for, so a number with an extension is refused.
     */

    if (pn.has_extension()) {
        return LEVERS_PHONE_INVALID;
    }

    util->Format(pn, PhoneNumberUtil::E164, &e164);

    if (e164.size() >= LEVERS_E164_MAX) {
        return LEVERS_PHONE_FAILED;
    }

    std::memcpy(out, e164.data(), e164.size());
    out[e164.size()] = '\0';
    *out_len = e164.size();

    return LEVERS_PHONE_OK;
}


static int
levers_phone_parse_error(PhoneNumberUtil::ErrorType err)
{
    switch (err) {

    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return LEVERS_PHONE_INVALID_COUNTRY;

    case PhoneNumberUtil::NOT_A_NUMBER:
        return LEVERS_PHONE_NOT_A_NUMBER;

    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
        return LEVERS_PHONE_TOO_SHORT;

    case PhoneNumberUtil::TOO_LONG_NSN:
        return LEVERS_PHONE_TOO_LONG;

    default:
        return LEVERS_PHONE_INVALID;
    }
}


/* parsed but not valid: the length check says why, when it can */

static int
levers_phone_invalid_reason(const PhoneNumberUtil *util,
    const PhoneNumber &pn)
{
    switch (util->IsPossibleNumberWithReason(pn)) {

    case PhoneNumberUtil::TOO_SHORT:
        return LEVERS_PHONE_TOO_SHORT;

    case PhoneNumberUtil::TOO_LONG:
        return LEVERS_PHONE_TOO_LONG;

    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
        return LEVERS_PHONE_INVALID_COUNTRY;

    default:
        return LEVERS_PHONE_INVALID;
    }
}


const char *
levers_phone_reason(int rc)
{
    switch (rc) {

    case LEVERS_PHONE_OK:
        return "ok";

    case LEVERS_PHONE_NOT_A_NUMBER:
        return "not a phone number";

    case LEVERS_PHONE_INVALID_COUNTRY:
        return "invalid country code";

    case LEVERS_PHONE_TOO_SHORT:
        return "too short";

    case LEVERS_PHONE_TOO_LONG:
        return "too long";

    case LEVERS_PHONE_INVALID:
        return "not a valid number";

    default:
        return "internal error";
    }
}


int
levers_phone_region_supported(const char *region)
{
    if (!levers_phone_region_valid(region)) {
        return 0;
    }

    try {
        /*
         * Called at configuration time, in nginx's master: a good moment to
         * build the fast path's tables too, once, before fork().  If that
         * fails, numbers simply all take the slow path.
         */
        (void) levers_phone_fast_init();

        /* 0 for a region without metadata ("XX", "ZZ") */
        return levers_phone_util()->GetCountryCodeForRegion(region) != 0;

    } catch (...) {
        return 0;
    }
}
