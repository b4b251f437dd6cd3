"""kg serve against real clients: SPARQLWrapper for every result format, raw HTTP for every refusal, and the
query page driven in Chromium."""

from __future__ import annotations

import csv
import io
import json
import logging
import socket
import struct
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from conftest import serving
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.cli.commands import cli
from kg.paths import ontology_dir
from kg.query.run import parse_bindings, run_query, saved_queries
from kg.serve.app import ServerConfig
from kg.serve.cache import Kept
from kg.serve.pool import QueryPool

QUERY = "SELECT ?actor WHERE { ?a kg:operatesIn kgr:vraem ; rdfs:label ?actor } ORDER BY ?actor"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUERIES = saved_queries(ontology_dir())


@pytest.fixture(scope="module")
def endpoint(seed_store, tmp_path_factory):
    views = tmp_path_factory.mktemp("served-views")
    (views / "index.html").write_text("<html><title>views</title></html>", encoding="utf-8")
    with serving(ServerConfig(store=seed_store.location, port=0, timeout=1.5, max_rows=3, workers=2,
                              views=str(views))) as url:
        yield url


def _client(endpoint, fmt):
    client = SPARQLWrapper(f"{endpoint}/sparql")
    client.setReturnFormat(fmt)
    return client


def _actors(endpoint, fmt):
    client = _client(endpoint, fmt)
    client.setQuery("PREFIX kg: <https://w3id.org/actorgraph/ontology#> PREFIX kgr: <https://w3id.org/actorgraph/id/> "
                    + QUERY)
    return client.query()


def test_json(endpoint):
    result = _actors(endpoint, JSON).convert()
    assert [b["actor"]["value"] for b in result["results"]["bindings"]] == ["Peruvian Armed Forces", "Peruvian Army",
                                                                          "Shining Path"]


def test_xml(endpoint):
    document = _actors(endpoint, XML).convert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == \
        ["Peruvian Armed Forces", "Peruvian Army", "Shining Path"]


def test_csv_and_tsv(endpoint):
    assert _actors(endpoint, CSV).convert().decode().splitlines() == ["actor", "Peruvian Armed Forces",
                                                                     "Peruvian Army", "Shining Path"]
    assert _actors(endpoint, TSV).convert().decode().splitlines() == ["?actor", '"Peruvian Armed Forces"',
                                                                     '"Peruvian Army"', '"Shining Path"']


TYPED = ("SELECT ?a ?actor ?facts ?missing WHERE { { SELECT ?a (COUNT(*) AS ?facts) WHERE { ?a kg:operatesIn ?r } "
         "GROUP BY ?a } ?a rdfs:label ?actor OPTIONAL { ?a kg:noSuchProperty ?missing } } ORDER BY ?actor LIMIT 3")


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv"])
@pytest.mark.parametrize("query", [TYPED, "ASK { ?a kg:operatesIn kgr:vraem }"], ids=["select", "ask"])
def test_kg_query_writes_the_bytes_the_server_sends(endpoint, seed_store, fmt, query):
    """IRIs, strings, integers and an unbound variable: one writer, so `kg query --format` and /sparql agree."""
    printed = CliRunner().invoke(cli, ["query", query, "--store", seed_store.location, "--format", fmt])
    assert printed.exit_code == 0, printed.output
    url = f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": query, "format": fmt})
    with urllib.request.urlopen(url) as response:
        served = response.read()
    assert printed.stdout_bytes == served
    assert b"true" in served if query.startswith("ASK") else b"Shining Path" in served


def test_construct_as_turtle(endpoint):
    client = _client(endpoint, TURTLE)
    client.setQuery("CONSTRUCT { ?a <https://w3id.org/actorgraph/ontology#operatesIn> ?r } WHERE "
                    "{ ?a <https://w3id.org/actorgraph/ontology#operatesIn> ?r } ")
    text = client.query().convert().decode()
    assert "kgr:shining-path" in text and "kg:operatesIn" in text


def _get(url, accept=None, data=None, content_type=None):
    request = urllib.request.Request(url, data=data, headers={k: v for k, v in (("Accept", accept),
                                                                              ("Content-Type", content_type)) if v})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.parametrize("fmt, media, first_line", [
    ("nt", "application/n-triples", "<https://w3id.org/actorgraph/id/"),
    ("jsonld", "application/ld+json", "["),
])
def test_describe_as_ntriples_and_jsonld(endpoint, fmt, media, first_line):
    query = urllib.parse.quote("DESCRIBE <https://w3id.org/actorgraph/id/vraem>")
    status, headers, body = _get(f"{endpoint}/sparql?query={query}&format={fmt}")
    assert status == 200 and headers["Content-Type"].startswith(media)
    assert body.lstrip().startswith(first_line)


def test_default_graph_uri_restricts_the_dataset(endpoint):
    query = urllib.parse.quote("ASK { ?s a <http://www.w3.org/2002/07/owl#Class> }")
    onto = urllib.parse.quote("https://w3id.org/actorgraph/ontology")
    assert json.loads(_get(f"{endpoint}/sparql?query={query}&default-graph-uri={onto}")[2])["boolean"] is True
    other = urllib.parse.quote("https://w3id.org/actorgraph/id/article-000_6bef111ac725a0fa")
    assert json.loads(_get(f"{endpoint}/sparql?query={query}&default-graph-uri={other}")[2])["boolean"] is False


def test_post_forms_and_cors(endpoint):
    body = urllib.parse.urlencode({"query": QUERY}).encode()
    status, headers, text = _get(f"{endpoint}/sparql", "application/sparql-results+json", body,
                                 "application/x-www-form-urlencoded")
    assert status == 200 and "Access-Control-Allow-Origin" not in headers  # CORS is off unless --cors names one
    assert len(json.loads(text)["results"]["bindings"]) == 3
    request = urllib.request.Request(f"{endpoint}/sparql", method="OPTIONS", headers={"Origin": "http://a.example"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 204 and "Access-Control-Allow-Methods" not in response.headers


@pytest.mark.parametrize("data, content_type, url_suffix", [
    (b"INSERT DATA { <a:b> <a:c> <a:d> }", "application/sparql-update", ""),
    (urllib.parse.urlencode({"update": "DROP ALL"}).encode(), "application/x-www-form-urlencoded", ""),
    (None, None, "?query=" + urllib.parse.quote("CLEAR ALL")),
])
def test_updates_are_refused(endpoint, data, content_type, url_suffix):
    status, _, text = _get(f"{endpoint}/sparql{url_suffix}", data=data, content_type=content_type)
    assert status == 403 and "read-only" in text


def test_malformed_query_gets_the_parser_message(endpoint):
    status, _, text = _get(f"{endpoint}/sparql?query=" + urllib.parse.quote("SELECT ?x WHERE { ?x"))
    assert status == 400 and text.startswith("Malformed query: ")


def test_timeout_stops_the_query_and_the_server_keeps_serving(endpoint):
    status, _, text = _get(f"{endpoint}/sparql?query=" + urllib.parse.quote(HEAVY))
    assert status == 503 and "timeout" in text
    assert _get(f"{endpoint}/sparql?query=" + urllib.parse.quote(QUERY))[0] == 200


@pytest.mark.slow
def test_a_client_that_hangs_up_costs_a_log_line_not_a_traceback(endpoint, caplog):
    caplog.set_level(logging.INFO, logger="kg.serve")
    host, port = urllib.parse.urlsplit(endpoint).netloc.split(":")
    with socket.create_connection((host, int(port))) as client:  # asks for a long query, then hangs up at once
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.sendall(f"GET /sparql?query={urllib.parse.quote(HEAVY)} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    deadline = time.monotonic() + 20
    while not any("(the client had gone)" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert any(r.getMessage().startswith("GET /sparql 503") and "(the client had gone)" in r.getMessage()
               for r in caplog.records)
    assert _get(f"{endpoint}/sparql?format=csv&query=" + urllib.parse.quote(QUERY))[0] == 200


def test_capped_answers_say_so(endpoint):
    status, headers, text = _get(f"{endpoint}/sparql?format=csv&query=" +
                                 urllib.parse.quote("SELECT ?s WHERE { ?s a kg:Assertion }"))
    assert status == 200 and headers["X-Result-Truncated"] == "true" and headers["X-Row-Limit"] == "3"
    assert len(text.splitlines()) == 4
    full = _get(f"{endpoint}/sparql?format=csv&query=" + urllib.parse.quote(QUERY))[1]
    assert "X-Result-Truncated" not in full


def test_service_description_and_views(endpoint):
    status, headers, text = _get(f"{endpoint}/sparql")
    assert status == 200 and "sd:SPARQL11Query" in text and headers["Content-Type"].startswith("text/turtle")
    assert _get(f"{endpoint}/views/index.html")[0] == 200
    assert _get(f"{endpoint}/views/../../etc/passwd")[0] == 404


def _status_and_location(url):
    """The status and Location of a response, redirects not followed."""
    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    try:
        with urllib.request.build_opener(Keep).open(url, timeout=30) as response:
            return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location")


def test_views_not_written_are_drawn_from_the_store(endpoint):
    status, headers, text = _get(f"{endpoint}/views/entity/shining-path.html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<title>actorgraph: Shining Path and its neighbours</title>" in text
    assert '"view": "vraem.html"' in text and 'src="../lib/vis-network.min.js"' in text
    status, headers, script = _get(f"{endpoint}/views/lib/vis-network.min.js")
    assert status == 200 and headers["Content-Type"] == "text/javascript" and "vis" in script
    assert 'src="../lib/view.js"' in text  # the views' own script, served as a set's lib/ holds it
    status, headers, script = _get(f"{endpoint}/views/lib/view.js")
    assert status == 200 and headers["Content-Type"] == "text/javascript" and "window.kgExpand" in script
    status, _, text = _get(f"{endpoint}/views/article/000_6bef111ac725a0fa.html")
    assert status == 200 and "<title>actorgraph: Peru Renews Military Operations in VRAEM Coca Hub" in text
    assert '"view": "../entity/shining-path.html"' in text
    # a view the folder has is served from it
    assert _get(f"{endpoint}/views/index.html")[2] == "<html><title>views</title></html>"
    status, headers, text = _get(f"{endpoint}/views/map.html")  # the map, its actors' views drawn on demand
    assert status == 200 and headers["Content-Type"].startswith("text/html") and "map of regions" in text
    assert '"view": "entity/shining-path.html"' in text and 'href="/views/map.html"' in _get(f"{endpoint}/views/")[2]


@pytest.mark.slow
def test_an_answer_is_sent_again_from_memory(endpoint):
    url = f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": QUERY + " # kept", "format": "csv"})
    first, again = _get(url), _get(url)
    assert first[1]["X-Cache"] == "MISS" and again[1]["X-Cache"] == "HIT" and again[2] == first[2]
    assert again[1]["Content-Type"] == first[1]["Content-Type"] and again[1]["X-Row-Limit"] == "3"
    other = _get(url.replace("csv", "tsv"))
    assert other[1]["X-Cache"] == "MISS" and other[1]["Content-Type"].startswith("text/tab-separated-values")
    slow = f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": HEAVY})
    assert _get(slow)[0] == 503 and _get(slow)[0] == 503  # a query stopped for its time is not kept


def test_a_drawn_view_is_sent_again_from_memory(endpoint):
    url = f"{endpoint}/views/entity/fernando-zavala.html"  # asked for by no other test, so drawn here first
    first, again = _get(url), _get(url)
    assert first[0] == again[0] == 200 and first[1]["X-Cache"] == "MISS" and again[1]["X-Cache"] == "HIT"
    assert again[2] == first[2] and again[1]["Content-Type"].startswith("text/html")
    assert "X-Cache" not in _get(f"{endpoint}/views/entity/nobody-known.html")[1]


def test_kept_answers_are_the_most_recent_within_their_budget():
    kept = Kept(10)
    kept.put(("view", "entity", "a"), (200, b"aaaa"), 4)
    kept.put(("view", "entity", "b"), (200, b"bbbb"), 4)
    assert kept.get(("view", "entity", "a")) == (200, b"aaaa")  # now the most recent
    kept.put(("view", "entity", "c"), (200, b"cccc"), 4)  # 12 bytes: the least recent, b, goes
    assert [kept.get(("view", "entity", k)) for k in "abc"] == [(200, b"aaaa"), None, (200, b"cccc")]
    kept.put(("view", "entity", "d"), (200, b"d" * 11), 11)  # over the whole budget: not kept, nothing dropped
    assert kept.get(("view", "entity", "d")) is None and kept.get(("view", "entity", "a")) == (200, b"aaaa")
    off = Kept(0)
    off.put(("view", "entity", "a"), (200, b"a"), 1)
    assert off.get(("view", "entity", "a")) is None


def test_views_find_an_entity_by_any_name_and_say_what_is_missing(endpoint):
    assert _status_and_location(f"{endpoint}/views/find?name=sendero+luminoso") == \
        (303, "/views/entity/shining-path.html")
    assert _status_and_location(f"{endpoint}/views/find?article=000_6bef111ac725a0fa") == \
        (303, "/views/article/000_6bef111ac725a0fa.html")
    status, _, text = _get(f"{endpoint}/views/find?name=Nobody+Known")
    assert status == 404 and text == "no entity named 'Nobody Known' has facts in the store " \
                                     "(/views/ finds one by name or alias)"
    status, _, text = _get(f"{endpoint}/views/entity/nobody-known.html")
    assert status == 404 and text == "no entity with id 'nobody-known' has facts in the store " \
                                     "(/views/ finds one by name or alias)"
    assert _get(f"{endpoint}/views/article/zzz.html")[0] == 404
    assert _get(f"{endpoint}/views/find")[0] == 400
    assert _get(f"{endpoint}/views/entity/a.b.html")[0] == 404
    assert "Actor or region" in _get(f"{endpoint}/views/")[2]


def test_served_views_walk_from_a_name_to_its_neighbours(open_page, endpoint):
    page, requests, errors = open_page(f"{endpoint}/views/", ready=None)
    page.fill("input[name=name]", "Sendero Luminoso")
    page.click("text=Open its view >> nth=0")
    page.wait_for_url("**/views/entity/shining-path.html")
    page.wait_for_function("document.body.dataset.stable === 'true'", timeout=30000)
    assert page.title() == "actorgraph: Shining Path and its neighbours"
    page.fill("#search", "VRAEM")
    page.press("#search", "Enter")
    page.locator("#panel a.own-view").click()
    page.wait_for_url("**/views/entity/vraem.html")
    page.wait_for_function("document.body.dataset.stable === 'true'", timeout=30000)
    assert page.title().startswith("actorgraph: VRAEM and its neighbours")
    assert errors == [] and all(r.startswith(endpoint) for r in requests)


def test_query_page_runs_a_saved_query(open_page, endpoint):
    page, requests, _ = open_page(f"{endpoint}/", ready=None)
    page.select_option("#saved", "positions")
    assert "Positions held" in page.inner_text("#description")
    page.click("#run")
    page.wait_for_url("**/?saved=positions")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length > 0")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 3 and "3 rows" in page.inner_text("#status")
    assert page.locator("#results thead th").all_inner_texts() == ["person", "position", "articles", "latest"]
    assert all(r.startswith(endpoint) for r in requests)


def test_saved_queries_over_http_with_their_variables_bound(endpoint, seed_store):
    status, headers, text = _get(f"{endpoint}/queries")
    listed = json.loads(text)
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert [q["name"] for q in listed] == list(QUERIES) and all(q["description"] for q in listed)
    url = f"{endpoint}/queries/why?" + urllib.parse.urlencode({"from": "Sendero Luminoso", "to": "VRAEM",
                                                                 "format": "csv"})
    status, headers, text = _get(url)
    expected = list(run_query(seed_store, QUERIES["why"].text, parse_bindings(["from=Sendero Luminoso", "to=VRAEM"])))
    served = list(csv.DictReader(io.StringIO(text)))
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and served
    assert [(r["predicate"], r["sentence"], r["rule"]) for r in served] == \
        [(r["predicate"].value, r["sentence"].value, r["rule"].value) for r in expected]
    status, _, text = _get(f"{endpoint}/queries/who-operates-where?nmae=Shining+Path")
    assert (status, text) == (400, "The saved query 'who-operates-where' uses no ?nmae: its text is under GET "
                                   "/queries.")
    status, _, text = _get(f"{endpoint}/queries/nothing")
    assert status == 404 and text.startswith("No saved query 'nothing'; known: actors-by-region, ")
    assert _get(f"{endpoint}/?saved=nothing")[0] == 404


def test_a_saved_query_is_paged_over_http_with_links_to_the_next_and_previous_page(endpoint, seed_store):
    whole = [r["sentence"].value for r in run_query(seed_store, QUERIES["timeline"].text)]
    status, headers, text = _get(f"{endpoint}/queries/timeline?limit=5&offset=5&format=csv")
    assert status == 200 and [r["sentence"] for r in csv.DictReader(io.StringIO(text))] == whole[5:10]
    assert headers["Link"] == ('</queries/timeline?format=csv&limit=5&offset=10>; rel="next", '
                               '</queries/timeline?format=csv&limit=5&offset=0>; rel="prev"')
    status, headers, _ = _get(f"{endpoint}/queries/timeline?limit=5")
    assert status == 200 and headers["Link"] == '</queries/timeline?limit=5&offset=5>; rel="next"'
    assert "Link" not in _get(f"{endpoint}/queries/timeline")[1]
    status, _, text = _get(f"{endpoint}/queries/timeline?limit=0")
    assert status == 400 and text.startswith("limit must be a whole number")


def test_the_query_page_opens_a_saved_query_bound_from_its_url(open_page, endpoint):
    page, _, _ = open_page(None)
    page.goto(f"{endpoint}/?" + urllib.parse.urlencode({"saved": "why", "from": "Shining Path", "to": "VRAEM"}))
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length > 0")
    assert page.input_value("#saved") == "why" and "VALUES" in page.evaluate("editor.getValue()")
    assert page.locator("#results thead th").first.inner_text() == "predicate"
    assert "operatesIn" in page.inner_text("#results tbody") and page.inner_text("#notes") == ""
    page.goto(f"{endpoint}/?" + urllib.parse.urlencode({"saved": "entity", "name": "Shining Pth"}))
    page.wait_for_function("document.getElementById('status').textContent.includes('rows')")
    assert page.inner_text("#notes") == ("Note: no entity in the store is named 'Shining Pth' (names and aliases, "
                                         "any case or accents).")
    page.goto(f"{endpoint}/?saved=entity")
    assert page.inner_text("#notes").startswith("Note: ?name is not bound, so entity answers for every entity")
    page.select_option("#saved", "why")
    assert page.inner_text("#notes") == ""


def test_a_new_workers_start_up_is_not_counted_against_the_first_query(seed_store):
    """A worker opens the store and imports its modules (seconds on a busy machine) before its clock starts: the
    first query after the server starts, or after a query that ran out of time, gets its whole timeout."""
    pool = QueryPool(seed_store.location, size=1)
    try:
        answer = pool.run(("query", "ASK {}", [], [], "json", "ttl", 10), timeout=0.3)
    finally:
        pool.close()
    assert answer.status == 200 and b'"boolean"' in answer.body
