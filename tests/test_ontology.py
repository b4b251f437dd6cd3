"""kg.ttl is the one source of the classes and relations the code knows, and styles.yaml the one source of how
the views draw them: a relation or class added to kg.ttl reaches the network, the views and the checks."""

from __future__ import annotations

import shutil

import networkx as nx
import pytest

from kg.errors import InvalidLexicon
from kg.knowledge.ontology import load_ontology
from kg.paths import ontology_dir
from kg.views import render
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
    assert render._style("Militia") == render._style("Organization")
    assert render.has_view("Militia")
    assert render.default_styles().of_relation("finances") == "#123456"
    graph = nx.MultiDiGraph()
    graph.add_node("m", label="M", type="Militia", date="")
    graph.add_node("a", label="A", type="Attack", date="2024-01-01")
    assert [e["type"] for e in render._timeline(graph)] == ["Attack"]


def test_a_new_relation_needs_a_colour(extended):
    styles = (extended / "styles.yaml").read_text(encoding="utf-8")
    (extended / "styles.yaml").write_text(styles.replace('  finances: "#123456"\n', ""), encoding="utf-8")
    with pytest.raises(InvalidLexicon, match="styles.yaml: relations: kg:finances, a link of the network"):
        load_styles(extended, load_ontology(extended))


@pytest.mark.parametrize("edit, message", [
    (("  Person:", "  Persona:"), "styles.yaml: classes: 'Persona' is no class of kg.ttl"),
    (("  operatesIn:", "  operatesOn:"), "styles.yaml: relations: 'operatesOn' is no property of kg.ttl"),
    (("  Event: {color: \"#f2c14e\", shape: star}\n", ""), "kg:Agreement has no style, nor has any class above it"),
    (("shape: diamond", "shape: blob"), "classes: CriminalGroup: shape 'blob'"),
])
def test_bad_styles_are_named(tmp_path, edit, message):
    root = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), root)
    text = (root / "styles.yaml").read_text(encoding="utf-8")
    assert edit[0] in text
    (root / "styles.yaml").write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(InvalidLexicon, match=message):
        load_styles(root, load_ontology(root))
