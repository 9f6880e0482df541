/*
 * Copyright (C) ngx_http_levers_bulk_module authors
 *
 * Test support for t/unit/test_phone_fast.c: libphonenumber's own example
 * numbers and region data, given to C.  Not part of the module.
 */

#include <cstdio>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "test_phone_examples.h"


using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;


static std::vector<std::string>  tpe_regions;


static const PhoneNumberUtil *
tpe_util(void)
{
    return PhoneNumberUtil::GetInstance();
}


int
tpe_region_count(void)
{
    std::set<std::string>  regions;

    if (tpe_regions.empty()) {
        tpe_util()->GetSupportedRegions(&regions);
        tpe_regions.assign(regions.begin(), regions.end());
    }

    return (int) tpe_regions.size();
}


const char *
tpe_region(int i)
{
    return tpe_regions[i].c_str();
}


int
tpe_country_code(const char *region)
{
    return tpe_util()->GetCountryCodeForRegion(region);
}


void
tpe_ndd(const char *region, char *out, size_t size)
{
    std::string  ndd;

    tpe_util()->GetNddPrefixForRegion(region, true, &ndd);
    snprintf(out, size, "%s", ndd.c_str());
}


static void
tpe_add(const std::string &s, char (*out)[TPE_EXAMPLE_MAX], int max, int *n)
{
    if (*n < max && s.size() < TPE_EXAMPLE_MAX) {
        std::memcpy(out[*n], s.c_str(), s.size() + 1);
        (*n)++;
    }
}


static void
tpe_formats(const PhoneNumber &pn, const char *from,
    char (*out)[TPE_EXAMPLE_MAX], int max, int *n)
{
    std::string  s;

    tpe_util()->GetNationalSignificantNumber(pn, &s);
    tpe_add(s, out, max, n);

    if (from == NULL) {
        return;
    }

    tpe_util()->Format(pn, PhoneNumberUtil::E164, &s);
    tpe_add(s, out, max, n);

    tpe_util()->Format(pn, PhoneNumberUtil::INTERNATIONAL, &s);
    tpe_add(s, out, max, n);

    tpe_util()->Format(pn, PhoneNumberUtil::NATIONAL, &s);
    tpe_add(s, out, max, n);

    tpe_util()->Format(pn, PhoneNumberUtil::RFC3966, &s);
    tpe_add(s, out, max, n);

    tpe_util()->FormatOutOfCountryCallingNumber(pn, from, &s);
    tpe_add(s, out, max, n);
}


int
tpe_examples(const char *region, const char *from,
    char (*out)[TPE_EXAMPLE_MAX], int max)
{
    int          t, n;
    PhoneNumber  pn;

    n = 0;

    for (t = PhoneNumberUtil::FIXED_LINE; t <= PhoneNumberUtil::VOICEMAIL;
         t++)
    {
        if (tpe_util()->GetExampleNumberForType(
                region, (PhoneNumberUtil::PhoneNumberType) t, &pn))
        {
            tpe_formats(pn, from, out, max, &n);
        }
    }

    return n;
}


int
tpe_nongeo_examples(const char *from, char (*out)[TPE_EXAMPLE_MAX], int max)
{
    int            n;
    PhoneNumber    pn;
    std::set<int>  codes;

    n = 0;

    tpe_util()->GetSupportedGlobalNetworkCallingCodes(&codes);

    for (int cc : codes) {
        if (tpe_util()->GetExampleNumberForNonGeoEntity(cc, &pn)) {
            tpe_formats(pn, from, out, max, &n);
        }
    }

    return n;
}
