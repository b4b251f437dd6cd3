"""Write N realistic articles in the layouts of seeds/ (text, and every fifth as an HTML page), drawn from the
gazetteer and varied sentence templates with a fixed random seed, so benchmarks are repeatable.

    .venv/bin/python benchmarks/generate_corpus.py OUT_DIR --articles 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import html
import random
from datetime import date, timedelta
from pathlib import Path

from kg.knowledge.lexicon import load_lexicon

SURNAMES = ["García", "Rodríguez", "Martínez", "López", "González", "Pérez", "Sánchez", "Ramírez", "Torres",
            "Flores", "Rivera", "Gómez", "Díaz", "Reyes", "Morales", "Ortiz", "Castillo", "Vargas", "Romero",
            "Herrera", "Medina", "Aguilar", "Castro", "Ruiz", "Quispe", "Mendoza", "Rojas", "Silva", "Navarro"]
FIRST = ["Carlos", "Juan", "José", "Luis", "Miguel", "Jorge", "Pedro", "Rafael", "Fernando", "Ana", "María",
         "Gabriela", "Patricia", "Sofía", "Andrés", "Diego", "Ricardo", "Eduardo", "Alejandro", "Daniel"]
TOPICS = ["COCA", "EXTORTION", "ILLEGAL MINING", "HUMAN SMUGGLING", "GANGS", "DRUG TRAFFICKING", "PRISONS"]
AUTHORS = ["TRISTAN CLAVEL", "SOFIA ARANGO", "DANIEL WHITFORD", "MARTA IBARRA", "LUCIA FERRERO", "TOMAS REYES"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]

BODY = [
    "{group} has consolidated its control over {place}, according to local authorities.",
    "Security forces say {group} operates in {place} and {place2}, where it dominates the {economy} trade.",
    "{army} has sent hundreds of troops to {place} after a wave of violence.",
    "{title} {person} said on {day} that the government would declare a 30-day state of emergency in {place}.",
    "Police arrested {person}, alias \"{alias},\" a leader of {group}, on {day} in {place}.",
    "{group} is allied with {group2}, which supplies it with weapons.",
    "{group} clashed with {group2} for control of {place}, leaving at least {n} people dead.",
    "The group profits from {economy} and {economy2}, prosecutors said.",
    "{person}, the head of {group}, was captured in {place} last year.",
    "{place} has long been a stronghold of {group}.",
    "{group} and {group2} are at war over the {economy} routes that cross {place}.",
    "Residents of {place} told reporters that {group} charges merchants a weekly fee.",
    "{title} {person2} did not confirm whether {group} has a presence in {place}.",
    "In {month}, gunmen from {group} attacked a police station in {place}.",
]
ANALYSIS = [
    "The dispute over {place} shows how quickly criminal economies adapt to pressure from the state.",
    "{group} is likely to expand into {place2} if the current offensive falters.",
    "Unless authorities address the {economy} economy itself, arrests alone will not change much in {place}.",
]
FOOTER = """
share icon icon icon

Was this content helpful?

We want to sustain Latin America's largest organized crime database, but in order to do so, we need resources.

DONATE

Related Content

{related_topic} / 1 MAR 2023

{related_group} is expanding its operations in {related_place}.
"""


def _choices(lexicon):
    by_type: dict[str, list] = {}
    for entity in lexicon.entities.values():
        by_type.setdefault(entity.type, []).append(entity)
    for values in by_type.values():
        values.sort(key=lambda e: e.id)
    return by_type


def _article(rng: random.Random, by_type, lexicon, index: int) -> tuple[str, str, str, str]:
    group = rng.choice(by_type["CriminalGroup"])
    country = group.country or "MX"
    places = [e for e in by_type["AdministrativeArea"] + by_type["GeographicArea"]
              if lexicon.country_of(e.id) == country]
    places = places or by_type["AdministrativeArea"]
    groups = ([g for g in by_type["CriminalGroup"] if g.country == country and g.id != group.id]
              or by_type["CriminalGroup"])
    armies = [f for f in by_type["SecurityForce"] if f.country == country] or by_type["SecurityForce"]
    economies = by_type["CriminalEconomy"]
    published = date(2015, 1, 1) + timedelta(days=rng.randrange(3600))

    def fill(template: str) -> str:
        person = f"{rng.choice(FIRST)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
        return template.format(
            group=group.label, group2=rng.choice(groups).label, place=rng.choice(places).label,
            place2=rng.choice(places).label, economy=rng.choice(economies).label,
            economy2=rng.choice(economies).label, army=rng.choice(armies).label, person=person,
            person2=f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}", alias=rng.choice(FIRST),
            title=rng.choice(["Defense Minister", "Interior Minister", "President", "Governor", "Attorney General"]),
            day=f"{LONG_MONTHS[published.month - 1]} {max(1, published.day - rng.randrange(5))}",
            month=rng.choice(LONG_MONTHS), n=rng.randrange(2, 40))

    headline = f"{group.label} Tightens Grip on {rng.choice(places).label}"
    body = [" ".join(fill(rng.choice(BODY)) for _ in range(rng.randrange(3, 7))) for _ in range(rng.randrange(4, 9))]
    analysis = [" ".join(fill(rng.choice(ANALYSIS)) for _ in range(2)) for _ in range(rng.randrange(1, 3))]
    byline = f"{rng.choice(TOPICS)} / {published.day} {MONTHS[published.month - 1].upper()} {published.year} " \
             f"BY {rng.choice(AUTHORS)} EN"
    return headline, byline, body, analysis


def write_corpus(out: Path, articles: int, seed: int = 7) -> list[Path]:
    lexicon = load_lexicon()
    by_type = _choices(lexicon)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(articles):
        headline, byline, body, analysis = _article(rng, by_type, lexicon, index)
        related = FOOTER.format(related_topic=rng.choice(TOPICS),
                                related_group=rng.choice(by_type["CriminalGroup"]).label,
                                related_place=rng.choice(by_type["Country"]).label)
        if index % 5 == 4:
            path = out / f"gen{index:06d}.html"
            paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
            analysis_html = "\n".join(f"<p>{html.escape(p)}</p>" for p in analysis)
            published, author = byline.split(' / ')[1].split(' BY')[0], byline.split('BY ')[1][:-3]
            path.write_text(f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">\
<title>{html.escape(headline)} | InSight Crime</title></head>
<body><header><nav><a href="/">Home</a></nav></header><main><article>
<h1>{html.escape(headline)}</h1><div class="entry-meta"><time datetime="{published}">{byline}</time>
<span class="byline">BY <a rel="author" href="/a/">{html.escape(author)}</a></span></div>
<div class="entry-content">{paragraphs}<h2>InSight Crime Analysis</h2>{analysis_html}</div></article>
<aside class="related"><p>{html.escape(related)}</p></aside></main><footer>About InSight Crime</footer></body></html>
""", encoding="utf-8")
        else:
            path = out / f"gen{index:06d}.txt"
            text = "\n\n".join([f"HomeNewsBrief{headline}\nBRIEF", headline, byline, *body, "InSight Crime Analysis",
                                *analysis]) + "\n" + related
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = write_corpus(args.out, args.articles, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"Wrote {len(paths)} articles ({size / 1e6:.1f} MB) into {args.out}.")


if __name__ == "__main__":
    main()
