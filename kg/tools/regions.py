"""Write the countries and first-level subdivisions of the gazetteer from pycountry (ISO 3166).

    .venv/bin/pip install --group maintainer      # pycountry
    .venv/bin/python -m kg.tools.regions > ontology/gazetteer/regions.yaml

The output is curated by hand afterwards (everyday short names, ambiguous names); rerun only to pick up a new
ISO release, and merge. A maintainer's tool, run in the checkout: it is left out of the wheel, and pycountry
is no dependency of the package (pyproject.toml's dependency group `maintainer`).
"""

from __future__ import annotations

import gettext
import sys

import pycountry
import yaml

from kg.text import slug

# ISO 3166-1 codes of the Americas, whose first-level subdivisions are listed too (the United States and
# Canada included, for border reporting).
AMERICAS = ["AR", "BO", "BR", "BZ", "CA", "CL", "CO", "CR", "CU", "DO", "EC", "GT", "GY", "HN", "HT", "JM", "MX",
            "NI", "PA", "PE", "PR", "PY", "SR", "SV", "TT", "US", "UY", "VE", "BS", "BB", "AG", "DM", "GD", "KN",
            "LC", "VC", "GF", "AW", "CW"]
# Countries outside the Americas that this reporting names often (routes, buyers, mafias).
OTHERS = ["ES", "PT", "IT", "NL", "BE", "FR", "DE", "GB", "IE", "AL", "RS", "ME", "HR", "GR", "TR", "RU", "UA",
          "CN", "HK", "IN", "JP", "KR", "PH", "AU", "NZ", "IL", "LB", "IR", "SY", "AE", "SA", "MA", "NG", "GH",
          "GW", "ZA", "CV", "SN", "CH", "AT", "SE", "PL", "BG", "RO", "MY", "TH", "ID", "VN", "PK", "AF", "EG",
          "QA", "DK", "NO", "FI", "CZ", "HU", "SK", "SI", "BA", "MK", "CY", "MT", "LU", "EE", "LV", "LT"]
# Subdivision types kept as first level (pycountry lists some municipalities and capital districts beside them).
TYPE_WORDS = {"Department": ("department", "departamento"), "Province": ("province", "provincia"),
              "State": ("state", "estado"), "Region": ("region", "región")}


def _spanish():
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"]).gettext
    except OSError:
        return lambda text: text


def _country(code: str) -> pycountry.db.Country:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise SystemExit(f"pycountry does not know the country {code}")
    return country


def countries() -> list[dict]:
    es = _spanish()
    out = []
    for code in AMERICAS + OTHERS:
        country = _country(code)
        label = getattr(country, "common_name", None) or country.name
        english = sorted({n for n in (country.name, getattr(country, "official_name", None)) if n and n != label
                          and "," not in n})
        spanish = es(country.name)
        entry = {"id": slug(label), "label": label, "type": "Country", "iso": code}
        names = {}
        if english:
            names["en"] = english
        if spanish and spanish not in (label, country.name) and "," not in spanish:
            names["es"] = [spanish]
        if names:
            entry["names"] = names
        out.append(entry)
    return out


def subdivisions() -> list[dict]:
    out = []
    for code in AMERICAS:
        country = _country(code)
        country_id = slug(getattr(country, "common_name", None) or country.name)
        for sub in sorted(pycountry.subdivisions.get(country_code=code) or [], key=lambda s: s.code):
            if sub.parent_code is not None:
                continue
            words = TYPE_WORDS.get(sub.type)
            entry = {"id": f"{code.lower()}-{slug(sub.name)}", "label": sub.name, "type": "AdministrativeArea",
                     "iso": sub.code, "locatedIn": [country_id]}
            if words:
                en_word, es_word = words
                entry["names"] = {"en": [f"{sub.name} {en_word}", f"{en_word} of {sub.name}",
                                         f"{sub.name} {en_word.capitalize()}"],
                                  "es": [f"{es_word} de {sub.name}"]}
            entry["note"] = f"ISO 3166-2 {sub.type}"
            out.append(entry)
    return out


def main() -> None:
    header = ("# Countries and first-level subdivisions (ISO 3166-1 and 3166-2, via pycountry), written by\n"
              "# `python -m kg.tools.regions` and curated by hand since: keep edits when merging a rerun.\n")
    data = {"source": "ISO 3166-1 and ISO 3166-2 as packaged by pycountry; everyday forms ('Guayas province', "
                      "'department of Norte de Santander') added by the maintainers.",
            "entities": countries() + subdivisions()}
    sys.stdout.write(header)
    yaml.safe_dump(data, sys.stdout, allow_unicode=True, sort_keys=False, width=110, default_flow_style=None)


if __name__ == "__main__":
    main()
