"""kg.ttl is the one source of the classes and relations the code knows, and styles.yaml the one source of how
the views draw them: a relation or class added to kg.ttl reaches the network, the views and the checks."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
import yaml

import kg
from kg.errors import InvalidLexicon
from kg.knowledge.ontology import load_ontology
from kg.paths import ontology_dir
from kg.views import render, sets
from kg.views.styles import load_styles

_MILITIA = """
kg:Militia a owl:Class ;
    rdfs:subClassOf kg:Organization ;
    rdfs:label "Militia"@en .

kg:finances a owl:ObjectProperty ;
    rdfs:subPropertyOf kg:relation ;
    rdfs:domain kg:Actor ;
    rdfs:range kg:Actor .
"""


@pytest.fixture
def extended(tmp_path, monkeypatch):
    """A copy of the ontology folder, in use, whose kg.ttl declares one more actor class and one more relation
    (which styles.yaml gives a colour: the one edit besides kg.ttl)."""
    root = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), root)
    with open(root / "kg.ttl", "a", encoding="utf-8") as out:
        out.write(_MILITIA)
    styles = (root / "styles.yaml").read_text(encoding="utf-8")
    styles = styles.replace('  place: "#6b6ecf"\n', '  place: "#6b6ecf"\n  finances: "#123456"\n')
    (root / "styles.yaml").write_text(styles, encoding="utf-8")
    monkeypatch.setenv("KG_ONTOLOGY", str(root))
    return root


def test_the_core_relations_and_classes_come_from_kg_ttl():
    ontology = load_ontology(ontology_dir())
    assert ontology.relations == ("operatesIn", "locatedIn", "memberOf", "leaderOf", "holdsPosition", "involvedIn",
                                  "clashesWith", "allyOf", "arrested", "deployedTo")
    assert "holdsPosition" not in ontology.links  # a title is no entity: no edge of the network
    assert ontology.event_roles == ("agent", "target", "place")
    assert ontology.symmetric == {"clashesWith", "allyOf"} and ontology.transitive == {"locatedIn"}
    assert {"Person", "CriminalGroup", "MediaOutlet"} <= ontology.actor_classes
    assert "Country" in ontology.region_classes and "Country" not in ontology.actor_classes
    assert "Arrest" in ontology.event_classes and "Event" not in ontology.event_classes
    assert "CriminalEconomy" in ontology.entity_classes and "Arrest" not in ontology.entity_classes


def test_a_class_and_a_relation_added_to_kg_ttl_reach_the_code(extended):
    ontology = load_ontology(extended)
    assert "Militia" in ontology.actor_classes and "Militia" in ontology.entity_classes
    assert "finances" in ontology.relations and "finances" in ontology.links
    # A new actor class is drawn as the class above it, gets a view of its own and is no event of the timeline.
    assert render.default_styles().of_class("Militia") == render.default_styles().of_class("Organization")
    assert render.has_view("Militia")
    assert render.default_styles().of_relation("finances") == "#123456"
    graph = nx.MultiDiGraph()
    graph.add_node("m", label="M", type="Militia", date="")
    graph.add_node("a", label="A", type="Attack", date="2024-01-01")
    assert [e["type"] for e in sets._timeline(graph)] == ["Attack"]


def test_a_new_relation_needs_a_colour(extended):
    styles = (extended / "styles.yaml").read_text(encoding="utf-8")
    (extended / "styles.yaml").write_text(styles.replace('  finances: "#123456"\n', ""), encoding="utf-8")
    with pytest.raises(InvalidLexicon, match="styles.yaml: relations: kg:finances, a link of the network"):
        load_styles(extended, load_ontology(extended))


@pytest.mark.parametrize("edit, message", [
    (("  Person:", "  Persona:"), "styles.yaml: classes: 'Persona' is no class of kg.ttl"),
    (("  operatesIn:", "  operatesOn:"), "styles.yaml: relations: 'operatesOn' is no property of kg.ttl"),
    (("  Event: {color: \"#f2c14e\", shape: star}\n", ""), "kg:Event has no style, nor has any class above it"),
    (("shape: diamond", "shape: blob"), r"styles.yaml: classes.CriminalGroup.shape: Input should be 'dot'"),
    (('"#d62728", shape: diamond', '"red", shape: diamond'), r"styles.yaml: classes.CriminalGroup.color: .*pattern"),
])
def test_bad_styles_are_named(tmp_path, edit, message):
    root = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), root)
    text = (root / "styles.yaml").read_text(encoding="utf-8")
    assert edit[0] in text
    (root / "styles.yaml").write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(InvalidLexicon, match=message):
        load_styles(root, load_ontology(root))


# --- No IRI outside kg/vocab.py, and no class or property that kg.ttl does not declare ---------------------------

KG_DIR = Path(kg.__file__).parent
_URL = re.compile(r"https?://([^/\s\"'<>{}`]+)[^\s\"'<>{}`]*")
# Addresses that name no vocabulary: the loopback and example hosts of the CLI's help and of the docstrings.
_NOT_VOCABULARY = re.compile(r"^(?:.*@)?(?:127\.0\.0\.1|localhost|[\w.-]*example\.(?:org|com)|[^.]*)(?::\d+)?$")


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module (docstrings and the parts of f-strings included), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def vocabulary_iris(package: Path) -> list[str]:
    """`file:line: IRI` for each IRI of a vocabulary written in the package outside vocab.py (its modules'
    strings, its templates)."""
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "vocab.py" and path.parent == package:
            continue
        for line, text in _strings(path):
            found += [f"{path.relative_to(package)}:{line}: {m.group(0)}" for m in _URL.finditer(text)
                      if not _NOT_VOCABULARY.match(m.group(1))]
    for path in sorted(package.rglob("*.html")):
        for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{path.relative_to(package)}:{line}: {m.group(0)}" for m in _URL.finditer(text)
                      if not _NOT_VOCABULARY.match(m.group(1))]
    return found


def test_no_module_but_vocab_writes_an_iri():
    assert vocabulary_iris(KG_DIR) == []


def test_the_iri_check_finds_one(tmp_path):
    package = tmp_path / "kg"
    shutil.copytree(KG_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    with open(package / "rdf" / "quads.py", "a", encoding="utf-8") as out:
        out.write('\nSAME_AS = "http://www.w3.org/2002/07/owl#sameAs"\n')
    (package / "vocab.py").write_text('OWL = "http://www.w3.org/2002/07/owl#"\n', encoding="utf-8")
    found = vocabulary_iris(package)
    assert found == [f"rdf/quads.py:{len((package / 'rdf' / 'quads.py').read_text().splitlines())}: http://www.w3.org/2002/07/owl#sameAs"]


_KG_TERM = re.compile(r"(?<![\w-])kg:([A-Za-z_]\w*)")
_SLOT = re.compile(r"\{[sox]:([A-Za-z|]+)[+*~]?\}|⟦([A-Za-z]+)#")
_CLASS_KEYS = {"type", "types", "prefer"}
_PROPERTY_KEYS = {"predicate"}


def _yaml_terms(data, where: str) -> list[tuple[str, str]]:
    """(name, where) for each class or property a curated YAML file names: the values of type, types, prefer
    and predicate, and the classes of the slots of patterns ({s:Person}, {o:Region|Country})."""
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _CLASS_KEYS | _PROPERTY_KEYS:
                out += [(v, where) for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
            else:
                out += _yaml_terms(value, where)
    elif isinstance(data, list):
        for value in data:
            out += _yaml_terms(value, where)
    elif isinstance(data, str):
        for m in _SLOT.finditer(data):
            out += [(name, where) for name in (m.group(1) or m.group(2)).split("|")]
    return out


def used_terms(package: Path, ontology: Path) -> list[tuple[str, str]]:
    """(kg: local name, where) for every class and property the code and the curated files use: `kg:Name` in
    any string of the code, the templates, the saved queries and shapes.ttl; `KG + "name"` and `kg("name")` in
    the code, and the class compared with `.type` or asked of `is_a`/`subclasses`; in the YAML files, see
    `_yaml_terms`; every name of styles.yaml."""
    out: list[tuple[str, str]] = []
    for path in sorted(package.rglob("*.py")):
        where = str(path.relative_to(package))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out += [(m.group(1), f"{where}:{node.lineno}") for m in _KG_TERM.finditer(node.value)]
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.right, ast.Constant) \
                    and ast.unparse(node.left).split(".")[-1] in ("KG", "_KG"):
                out.append((node.right.value, f"{where}:{node.lineno}"))
            elif isinstance(node, ast.Call):
                name = ast.unparse(node.func).split(".")[-1]
                args = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if name == "kg" and args or name == "subclasses" and args:
                    out.append((args[0].value, f"{where}:{node.lineno}"))
                elif name == "is_a" and len(node.args) == 2 and node.args[1] in args:
                    out.append((node.args[1].value, f"{where}:{node.lineno}"))
            elif isinstance(node, ast.Compare) and ast.unparse(node.left).endswith(".type"):
                for right in node.comparators:
                    values = right.elts if isinstance(right, (ast.Tuple, ast.Set, ast.List)) else [right]
                    out += [(v.value, f"{where}:{node.lineno}") for v in values
                            if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    texts = [*package.rglob("*.html"), *(ontology / "queries").glob("*.rq"), ontology / "shapes.ttl"]
    for path in sorted(texts):
        for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            out += [(m.group(1), f"{path.name}:{line}") for m in _KG_TERM.finditer(text)]
    for path in sorted([*ontology.glob("patterns/*.yaml"), *ontology.glob("gazetteer/*.yaml"),
                        ontology / "curation.yaml"]):
        out += _yaml_terms(yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(ontology)))
    styles = yaml.safe_load((ontology / "styles.yaml").read_text(encoding="utf-8"))
    out += [(name, "styles.yaml") for section in ("classes", "relations") for name in styles[section]]
    return out


def undeclared(package: Path, ontology: Path) -> list[str]:
    declared = load_ontology(ontology).terms
    return sorted({f"{where}: kg:{name}" for name, where in used_terms(package, ontology) if name not in declared})


def test_every_class_and_property_used_is_declared_in_kg_ttl():
    assert len(used_terms(KG_DIR, ontology_dir())) > 500  # (the check reads what it should)
    assert undeclared(KG_DIR, ontology_dir()) == []


def test_the_declaration_check_finds_what_kg_ttl_lacks(tmp_path):
    package, root = tmp_path / "kg", tmp_path / "ontology"
    shutil.copytree(KG_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ontology_dir(), root)
    with open(package / "network" / "analysis.py", "a", encoding="utf-8") as out:
        out.write('\n_Q = "SELECT ?x WHERE { ?x kg:runsFrom ?y }"\n\n\n'
                  'def _militia(e):\n    return e.type == "Militia"\n')
    text = (root / "queries" / "timeline.rq").read_text(encoding="utf-8")
    (root / "queries" / "timeline.rq").write_text(text + "\n# kg:happenedAt\n", encoding="utf-8")
    text = (root / "patterns" / "events.yaml").read_text(encoding="utf-8")
    (root / "patterns" / "events.yaml").write_text(text.replace("type: Arrest", "type: Capture", 1), encoding="utf-8")
    assert {line.split(": ", 1)[1] for line in undeclared(package, root)} == {
        "kg:Capture", "kg:Militia", "kg:runsFrom", "kg:happenedAt"}
