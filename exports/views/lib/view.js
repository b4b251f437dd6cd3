// The panels, legend, find, filters, expanding in place, exports and the reader of every network view: one file
// a set of views shares (lib/view.js, see kg.views.pages), which a page loads after declaring its own data:
// NODES, EDGES, INFO, OPTIONS, VIEWS, READER. Every text from an article goes in with textContent.
"use strict";
const {SVG, GRAPHML} = {"GRAPHML": "http://graphml.graphdrawing.org/xmlns", "SVG": "http://www.w3.org/2000/svg"};
const nodes = new vis.DataSet(NODES);
const edges = new vis.DataSet(EDGES);
const network = new vis.Network(document.getElementById("network"), {nodes, edges}, OPTIONS);
const panel = document.getElementById("panel");

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}
function highlighted(sentence, subj, obj) {
  const q = el("blockquote");
  const spans = [];
  for (const [t, cls] of [[subj, "subject"], [obj, "object"]]) {
    if (!t) continue;
    const at = sentence.indexOf(t);
    if (at >= 0 && !spans.some(s => at < s[1] && s[0] < at + t.length)) spans.push([at, at + t.length, cls]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let pos = 0;
  for (const [s, e, cls] of spans) {
    q.appendChild(document.createTextNode(sentence.slice(pos, s)));
    q.appendChild(el("mark", sentence.slice(s, e), cls));
    pos = e;
  }
  q.appendChild(document.createTextNode(sentence.slice(pos)));
  return q;
}
// One assertion behind a link: its sentence with both names marked, headline, date, outlet, rule and
// article; or the gazetteer entry stating it. Every text goes in with textContent (see kg.views.render).
function evidenceBox(ev) {
  const box = el("div", undefined, "evidence");
  if (ev.sentence) {
    box.appendChild(highlighted(ev.sentence, ev.subject_text, ev.object_text));
    box.appendChild(el("div", `${ev.headline} · ${ev.date}` + (ev.outlet ? ` · ${ev.outlet}` : ""),
                       "meta headline"));
    box.appendChild(el("div", `rule ${ev.rule} · ${ev.article}`, "meta"));
    if (ev.link) {  // its place in the article's reader page
      const a = el("a", "Read it in the article", "in-article");
      a.href = ev.link;
      box.appendChild(a);
    }
  } else {
    box.appendChild(el("div", `Stated by the curated gazetteer: ${ev.entry}`, "meta gazetteer"));
    box.appendChild(el("div", `rule ${ev.rule}`, "meta"));
  }
  return box;
}
function showEdge(id) {
  shown = id;
  const edge = INFO.edges[id];
  panel.replaceChildren();
  panel.appendChild(el("h2", `${INFO.nodes[edge.from].label} — ${edge.predicate} — ${INFO.nodes[edge.to].label}`));
  panel.appendChild(el("div", `stated by ${edge.sources} source${edge.sources === 1 ? "" : "s"}`, "meta"));
  for (const ev of edge.evidence) {
    panel.appendChild(evidenceBox(ev));
  }
  if (edge.more) panel.appendChild(el("div", edge.more, "meta more"));
  if (edge.why) {
    const a = el("a", "Read them all in the query page", "why");
    a.href = edge.why;
    panel.appendChild(a);
  }
}
let shown = null;
function showNode(id) {
  if (shown === id) return;
  shown = id;
  const info = INFO.nodes[id];
  panel.replaceChildren();
  panel.appendChild(el("h2", info.label));
  panel.appendChild(el("div", info.type, "meta type"));
  if (info.view) {
    const a = el("a", "Open its own view", "own-view");
    a.href = info.view;
    panel.appendChild(a);
  }
  const tools = el("div");
  if (info.expand) {
    const grow = el("button", "Expand its neighbours here", "expand");
    grow.addEventListener("click", () => expand(id));
    tools.appendChild(grow);
  }
  const pinned = !!(nodes.get(id) || {}).fixed;
  const pin = el("button", pinned ? "Unpin" : "Pin", "pin");
  pin.addEventListener("click", () => { nodes.update({id, fixed: !pinned}); shown = null; showNode(id); });
  tools.appendChild(pin);
  panel.appendChild(tools);
  const sections = [["Also called", info.aliases], ["Positions", info.positions],
                    ["Facts", info.facts], ["Articles", info.articles]];
  for (const [name, items] of sections) {
    if (!items || !items.length) continue;
    panel.appendChild(el("h2", name));
    const ul = el("ul", undefined, "plain");
    for (const item of items) {
      const li = el("li", typeof item === "string" ? item : (item.link ? undefined : item.text));
      if (item.link) {
        const a = el("a", item.text);
        a.href = item.link;
        li.appendChild(a);
      }
      ul.appendChild(li);
    }
    panel.appendChild(ul);
  }
}
network.on("click", params => {
  if (params.nodes.length) showNode(params.nodes[0]);
  else if (params.edges.length) showEdge(params.edges[0]);
});
// The legend draws each class in its own shape and colour, each relation as a line of its colour: those of the
// nodes and links drawn, so it grows when a node is expanded in place. SVG export draws the same shapes.
function shapePoints(shape, cx, cy, r) {
  const ring = (n, radius, turn) => Array.from({length: n}, (_, i) => {
    const a = turn + 2 * Math.PI * i / n, q = radius(i);
    return `${+(cx + q * Math.cos(a)).toFixed(2)},${+(cy + q * Math.sin(a)).toFixed(2)}`;
  }).join(" ");
  switch (shape) {
    case "diamond": return `${cx},${cy - r} ${cx + r},${cy} ${cx},${cy + r} ${cx - r},${cy}`;
    case "triangle": return ring(3, () => r, -Math.PI / 2);
    case "triangleDown": return ring(3, () => r, Math.PI / 2);
    case "star": return ring(10, i => i % 2 ? r * 0.43 : r, -Math.PI / 2);
    case "hexagon": return ring(6, () => r, 0);
    default: return null;
  }
}
function shapeElement(shape, color, cx, cy, r) {
  const points = shapePoints(shape, cx, cy, r);
  const square = shape === "square" || shape === "box";
  const part = document.createElementNS(SVG, points ? "polygon" : square ? "rect" : "circle");
  if (points) part.setAttribute("points", points);
  else if (square) for (const [k, v] of [["x", cx - r], ["y", cy - r], ["width", 2 * r], ["height", 2 * r]]) part.setAttribute(k, v);
  else for (const [k, v] of [["cx", cx], ["cy", cy], ["r", r]]) part.setAttribute(k, v);
  part.setAttribute("fill", color);
  part.dataset.shape = shape;
  return part;
}
function shapeOf(shape, color) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 14 14");
  if (shape === "line") {
    const part = document.createElementNS(SVG, "rect");
    for (const [k, v] of [["x", 0], ["y", 6], ["width", 14], ["height", 2.5]]) part.setAttribute(k, v);
    part.setAttribute("fill", color);
    part.dataset.shape = shape;
    svg.appendChild(part);
  } else svg.appendChild(shapeElement(shape, color, 7, 7, shape === "square" || shape === "box" ? 5 : 6));
  return svg;
}
const colorOf = item => typeof item.color === "string" ? item.color : (item.color || {}).background || "#999";
function legendItems() {
  const classes = new Map(), relations = new Map();
  for (const n of NODES) {
    const type = INFO.nodes[n.id].type;
    if (!classes.has(type)) classes.set(type, {name: type, color: colorOf(n), shape: n.shape, kind: "node"});
  }
  for (const e of EDGES) {
    const predicate = INFO.edges[e.id].predicate;
    if (!relations.has(predicate)) relations.set(predicate, {name: predicate, color: colorOf(e), kind: "edge"});
  }
  const sorted = map => [...map.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...sorted(classes), ...sorted(relations)];
}
function drawLegend() {
  const box = document.getElementById("legend");
  box.replaceChildren();
  for (const item of legendItems()) {
    const s = el("span", undefined, item.kind === "edge" ? "edge" : "node");
    s.appendChild(shapeOf(item.kind === "edge" ? "line" : item.shape, item.color));
    s.appendChild(document.createTextNode(item.name));
    box.appendChild(s);
  }
}
// Find: accents, case and punctuation ignored; a name matches whole, by its start, or word by word (each word
// typed starts a word of the name: "Joaquin Guzman", "Zambada", "Sendero Lum").
function folded(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim().replace(/^the /, "");
}
const NAMES = [];
for (const [id, info] of Object.entries(INFO.nodes)) {
  for (const name of [info.label, ...info.aliases]) {
    const key = folded(name);
    NAMES.push({id, name, key, words: key.split(" ")});
  }
}
function matches(typed) {
  const key = folded(typed), words = key.split(" ");
  if (!key) return [];
  const best = new Map();
  for (const n of NAMES) {
    const rank = n.key === key ? 0 : n.key.startsWith(key) ? 1
      : words.every(w => n.words.some(x => x.startsWith(w))) ? 2 : n.key.includes(key) ? 3 : -1;
    if (rank >= 0 && (!best.has(n.id) || rank < best.get(n.id).rank)) best.set(n.id, {...n, rank});
  }
  return [...best.values()].sort((a, b) => a.rank - b.rank || INFO.nodes[a.id].label.length -
    INFO.nodes[b.id].label.length || a.name.localeCompare(b.name)).slice(0, 12);
}
const search = document.getElementById("search"), suggestions = document.getElementById("suggestions");
const findStatus = document.getElementById("find-status");
let suggested = [], active = 0;
function choose(id) {
  suggestions.hidden = true;
  findStatus.textContent = "";
  search.value = INFO.nodes[id].label;
  if (nodes.get(id) && nodes.get(id).hidden) nodes.update({id, hidden: false});
  network.selectNodes([id]);
  network.focus(id, {scale: 1.2, animation: false});
  showNode(id);
}
function suggest() {
  suggested = matches(search.value);
  active = 0;
  suggestions.replaceChildren();
  suggested.forEach((m, i) => {
    const li = el("li", m.name === INFO.nodes[m.id].label ? m.name : `${m.name} → ${INFO.nodes[m.id].label}`);
    li.setAttribute("role", "option");
    if (i === active) li.className = "active";
    li.appendChild(el("span", INFO.nodes[m.id].type, "type"));
    li.addEventListener("mousedown", ev => { ev.preventDefault(); choose(m.id); });
    suggestions.appendChild(li);
  });
  suggestions.hidden = !suggested.length;
  findStatus.textContent = search.value.trim() && !suggested.length ? `No match for “${search.value.trim()}”` : "";
}
search.addEventListener("input", suggest);
search.addEventListener("blur", () => { suggestions.hidden = true; });
search.addEventListener("keydown", ev => {
  if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
    if (!suggested.length) return;
    active = (active + (ev.key === "ArrowDown" ? 1 : suggested.length - 1)) % suggested.length;
    [...suggestions.children].forEach((li, i) => li.classList.toggle("active", i === active));
    ev.preventDefault();
  } else if (ev.key === "Enter") {
    suggest();
    if (suggested.length) choose(suggested[active].id);
    else {
      shown = null;
      network.unselectAll();
      panel.replaceChildren(el("p", `No node of this view matches “${search.value.trim()}”: try part of a name ` +
                               "or another spelling.", "no-match"));
    }
  } else if (ev.key === "Escape") suggestions.hidden = true;
});
// Filters: hide and show by class, relation and evidence date, without rebuilding the network.
const hiddenClasses = new Set(), hiddenPredicates = new Set();
function applyFilters() {
  const from = document.getElementById("date-from").value, to = document.getElementById("date-to").value;
  const inRange = d => (!from || d >= from) && (!to || d <= to);
  const nodeUpdates = NODES.map(n => ({id: n.id, hidden: hiddenClasses.has(INFO.nodes[n.id].type)}));
  const edgeUpdates = EDGES.map(e => {
    const info = INFO.edges[e.id];
    const dated = !info.dates.length || info.dates.some(inRange);
    return {id: e.id, hidden: hiddenPredicates.has(info.predicate) || !dated};
  });
  // a node whose every link the relation and date filters hide goes too: no isolated dots left behind
  const linked = new Set(), kept = new Set();
  edgeUpdates.forEach((u, i) => {
    for (const end of [EDGES[i].from, EDGES[i].to]) { linked.add(end); if (!u.hidden) kept.add(end); }
  });
  for (const u of nodeUpdates) if (linked.has(u.id) && !kept.has(u.id)) u.hidden = true;
  nodes.update(nodeUpdates);
  edges.update(edgeUpdates);
  document.getElementById("counts").textContent =
    `${nodes.get({filter: n => !n.hidden}).length} of ${NODES.length} nodes · ` +
    `${edges.get({filter: e => !e.hidden}).length} of ${EDGES.length} edges`;
}
function checkbox(container, name, set) {
  const label = el("label");
  const box = el("input");
  box.type = "checkbox"; box.checked = !set.has(name); box.value = name;
  box.addEventListener("change", () => { box.checked ? set.delete(name) : set.add(name); applyFilters(); });
  label.appendChild(box); label.appendChild(document.createTextNode(" " + name));
  container.appendChild(label);
}
// The filters list the classes and relations drawn (with all/none), as the legend does; drawn again when a
// node is expanded in place, what was unticked stays unticked.
function drawFilters() {
  const items = legendItems();
  for (const [box, set, kind] of [["class-filters", hiddenClasses, "node"], ["predicate-filters", hiddenPredicates, "edge"]]) {
    const container = document.getElementById(box);
    container.replaceChildren();
    for (const [name, hide] of [["all", false], ["none", true]]) {  // every box of the list on, or off
      const button = el("button", name, name);
      button.type = "button";
      button.addEventListener("click", () => {
        for (const input of container.querySelectorAll("input")) { input.checked = !hide; hide ? set.add(input.value) : set.delete(input.value); }
        applyFilters();
      });
      container.appendChild(button);
    }
    for (const item of items.filter(i => i.kind === kind)) checkbox(container, item.name, set);
  }
}
drawLegend();
drawFilters();
// The histogram of evidence dates by month: a click on a month shows only what that month's articles state.
(function histogram() {
  const months = new Map();
  for (const info of Object.values(INFO.edges)) for (const d of info.dates) {
    const m = d.slice(0, 7);
    months.set(m, (months.get(m) || 0) + 1);
  }
  const svg = document.getElementById("histogram");
  const keys = [...months.keys()].sort();
  if (!keys.length) { svg.remove(); return; }
  const most = Math.max(...months.values()), width = 220 / keys.length;
  keys.forEach((m, i) => {
    const bar = document.createElementNS(SVG, "rect"), h = Math.max(2, 44 * months.get(m) / most);
    for (const [k, v] of [["x", i * width + 0.5], ["y", 46 - h], ["width", Math.max(1, width - 1)], ["height", h]]) bar.setAttribute(k, v);
    bar.dataset.month = m;
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${m}: ${months.get(m)} dated statements`;
    bar.appendChild(title);
    bar.addEventListener("click", () => {
      const [y, mo] = m.split("-").map(Number);
      document.getElementById("date-from").value = `${m}-01`;
      document.getElementById("date-to").value = `${m}-${String(new Date(y, mo, 0).getDate()).padStart(2, "0")}`;
      for (const r of svg.querySelectorAll("rect")) r.classList.toggle("chosen", r === bar);
      applyFilters();
    });
    svg.appendChild(bar);
  });
})();
document.getElementById("all-dates").addEventListener("click", () => {
  for (const id of ["date-from", "date-to"]) document.getElementById(id).value = "";
  for (const r of document.querySelectorAll("#histogram rect")) r.classList.remove("chosen");
  applyFilters();
});
for (const id of ["date-from", "date-to"]) document.getElementById(id).addEventListener("change", applyFilters);
if (VIEWS.length) {
  const box = document.getElementById("views");
  box.appendChild(el("h2", "Views"));
  const kinds = [["timeline", "Timeline"], ["map", "Map"], ["article", "Articles"], ["entity", "Actors and regions"]];
  for (const [kind, name] of kinds) {
    const items = VIEWS.filter(v => v.kind === kind);
    if (!items.length) continue;
    const details = el("details");
    details.open = kind !== "entity";
    details.appendChild(el("summary", `${name} (${items.length})`));
    const ul = el("ul", undefined, "plain");
    for (const v of items) {
      const li = el("li");
      const a = el("a", v.title);
      a.href = v.path;
      li.appendChild(a);
      if (v.kind === "timeline") li.appendChild(document.createTextNode(` · ${v.nodes} events`));
      else if (v.kind === "map") li.appendChild(document.createTextNode(` · ${v.nodes} regions`));
      else li.appendChild(document.createTextNode(` · ${v.nodes} nodes, ${v.edges} edges`));
      ul.appendChild(li);
    }
    details.appendChild(ul);
    box.appendChild(details);
  }
}
// Work in place: expand a node (its neighbours are added from a script of the set, or of kg serve, that
// calls kgExpand), pin, fit, link to the selection (#select=...), and save what is on screen.
function expand(id) {
  const script = document.createElement("script");
  script.src = INFO.nodes[id].expand;
  script.onerror = () => panel.appendChild(el("p", "Its neighbours could not be read.", "hint"));
  document.head.appendChild(script);
}
window.kgExpand = function (data) {
  const base = document.currentScript ? document.currentScript.src : location.href;
  const absolute = link => link && !link.startsWith("#") && !link.startsWith("/") ? new URL(link, base).href : link;
  const at = nodes.get(data.centre) ? network.getPosition(data.centre) : {x: 0, y: 0};
  const fresh = data.nodes.filter(n => !nodes.get(n.id));
  fresh.forEach((n, i) => {
    const angle = 2 * Math.PI * i / fresh.length;
    n.x = at.x + 240 * Math.cos(angle); n.y = at.y + 240 * Math.sin(angle);
  });
  for (const [nid, info] of Object.entries(data.info.nodes)) {
    if (INFO.nodes[nid]) continue;
    info.view = absolute(info.view); info.expand = absolute(info.expand);
    for (const a of info.articles) a.link = absolute(a.link);
    INFO.nodes[nid] = info;
    for (const name of [info.label, ...info.aliases]) {
      const key = folded(name);
      NAMES.push({id: nid, name, key, words: key.split(" ")});
    }
  }
  for (const [eid, info] of Object.entries(data.info.edges)) {
    if (INFO.edges[eid]) continue;
    for (const ev of info.evidence) ev.link = absolute(ev.link);
    INFO.edges[eid] = info;
  }
  const added = data.edges.filter(e => !edges.get(e.id) && INFO.nodes[e.from] && INFO.nodes[e.to]);
  nodes.add(fresh); NODES.push(...fresh);
  edges.add(added); EDGES.push(...added);
  drawLegend();
  drawFilters();
  applyFilters();
  document.body.dataset.expanded = String(Number(document.body.dataset.expanded || 0) + 1);
};
document.getElementById("fit").addEventListener("click", () => network.fit({animation: false}));
function selection() {
  const chosen = network.getSelectedNodes();
  return chosen.length ? chosen : nodes.getIds({filter: n => !n.hidden});
}
document.getElementById("share").addEventListener("click", () => {
  const chosen = network.getSelectedNodes();
  location.hash = "select=" + chosen.map(id => encodeURIComponent(id.split("/").pop())).join(",");
});
function openSelection() {
  const hash = decodeURIComponent(location.hash.slice(1));
  if (!hash.startsWith("select=")) return;
  const slugs = new Set(hash.slice(7).split(",").filter(Boolean));
  const chosen = nodes.getIds().filter(id => slugs.has(id.split("/").pop()));
  if (!chosen.length) return;
  network.selectNodes(chosen);
  network.fit({nodes: chosen, animation: false});
  if (chosen.length === 1) showNode(chosen[0]);
}
function save(name, type, text) {
  const a = document.createElement("a");
  a.href = typeof text === "string" && text.startsWith("data:") ? text : URL.createObjectURL(new Blob([text], {type}));
  a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
}
function xmlDocument(root, namespace) {
  const doc = document.implementation.createDocument(namespace, root, null);
  const add = (parent, tag, attrs, text) => {
    const e = doc.createElementNS(namespace, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    parent.appendChild(e);
    return e;
  };
  return {doc, add};
}
document.getElementById("graphml").addEventListener("click", () => {
  const chosen = new Set(selection());
  const {doc, add} = xmlDocument("graphml", GRAPHML);
  for (const [id, target, name] of [["label", "node", "label"], ["type", "node", "type"], ["predicate", "edge", "predicate"]]) {
    add(doc.documentElement, "key", {id, for: target, "attr.name": name, "attr.type": "string"});
  }
  const graph = add(doc.documentElement, "graph", {edgedefault: "directed"});
  for (const id of chosen) {
    const node = add(graph, "node", {id});
    add(node, "data", {key: "label"}, INFO.nodes[id].label);
    add(node, "data", {key: "type"}, INFO.nodes[id].type);
  }
  for (const e of EDGES) {
    if (!chosen.has(e.from) || !chosen.has(e.to) || edges.get(e.id).hidden) continue;
    add(add(graph, "edge", {id: e.id, source: e.from, target: e.to}), "data", {key: "predicate"}, INFO.edges[e.id].predicate);
  }
  save("selection.graphml", "application/graphml+xml", new XMLSerializer().serializeToString(doc));
});
document.getElementById("png").addEventListener("click", () => {
  save("view.png", "image/png", document.querySelector("#network canvas").toDataURL("image/png"));
});
document.getElementById("svg").addEventListener("click", () => {
  // what is on screen, drawn again as SVG: the visible links as lines, each node in its shape and colour (those
  // of styles.yaml, as the canvas draws them) with its label where the canvas shows it
  const canvas = document.querySelector("#network canvas");
  const {doc, add} = xmlDocument("svg", SVG);
  const root = doc.documentElement;
  root.setAttribute("width", canvas.clientWidth); root.setAttribute("height", canvas.clientHeight);
  root.setAttribute("viewBox", `0 0 ${canvas.clientWidth} ${canvas.clientHeight}`);
  const shown = nodes.get({filter: n => !n.hidden}), where = network.getPositions(shown.map(n => n.id));
  const dom = id => network.canvasToDOM(where[id]);
  for (const e of edges.get({filter: e => !e.hidden})) {
    if (!where[e.from] || !where[e.to]) continue;
    const a = dom(e.from), b = dom(e.to);
    add(root, "line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: colorOf(e), "stroke-width": e.width || 1});
  }
  const scale = network.getScale();
  for (const n of shown) {
    const drawn = network.body.nodes[n.id], p = dom(n.id), r = Math.max(3, drawn.options.size * scale);
    const part = root.appendChild(doc.importNode(shapeElement(drawn.options.shape, colorOf(n), p.x, p.y, r), true));
    part.setAttribute("data-id", n.id);
    if (drawn.labelModule.visible()) {
      add(root, "text", {x: p.x, y: p.y + r + 12, "text-anchor": "middle", "font-size": 12, "font-family": "sans-serif"}, n.label);
    }
  }
  save("view.svg", "image/svg+xml", new XMLSerializer().serializeToString(doc));
});
window.addEventListener("hashchange", openSelection);
// The reader: the article's text, each fact's sentence marked where its offsets put it; a click on one shows
// what it states, and a link to #s<offset> (from any panel, the timeline or another page) scrolls to it.
function showPlace() {
  const anchor = decodeURIComponent(location.hash.slice(1));
  const pieces = document.querySelectorAll("mark.fact");
  for (const m of pieces) m.classList.toggle("current", m.dataset.anchor === anchor);
  const target = anchor && document.getElementById(anchor);
  if (target) target.scrollIntoView({block: "center"});
}
if (READER) {
  document.body.classList.add("reading");
  const box = document.getElementById("reader");
  box.hidden = false;
  box.appendChild(el("h2", READER.headline || READER.id, "headline"));
  const byline = [READER.topic, READER.date, READER.author && `by ${READER.author}`, READER.outlet, READER.id];
  const meta = el("div", byline.filter(Boolean).join(" · "), "meta byline");
  if (/^https?:\/\//.test(READER.url)) {
    const a = el("a", "Open the original", "original");
    a.href = READER.url; a.rel = "noopener noreferrer"; a.target = "_blank";
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(a);
  }
  box.appendChild(meta);
  // the body and analysis paragraphs where the reader found them (no navigation or footer lines), each
  // section under its name when the article has more than one
  const named = new Set(READER.sections).size > 1;
  READER.paragraphs.forEach((paragraph, i) => {
    const section = READER.sections[i];
    if (named && section !== READER.sections[i - 1]) {
      box.appendChild(el("h3", section[0].toUpperCase() + section.slice(1), "section"));
    }
    const p = box.appendChild(el("p"));
    p.dataset.section = section || "body";
    for (const [text, anchor] of paragraph) {
      if (!anchor) { p.appendChild(document.createTextNode(text)); continue; }
      const m = el("mark", text, "fact");
      m.dataset.anchor = anchor;
      if (!document.getElementById(anchor)) m.id = anchor;
      m.addEventListener("click", () => {
        const stated = READER.edges[anchor] || [];
        network.selectEdges(stated);
        if (stated.length) showEdge(stated[0]);
        history.replaceState(null, "", "#" + anchor);
        showPlace();
      });
      p.appendChild(m);
    }
  });
  window.addEventListener("hashchange", showPlace);
  showPlace();
}
// The layout is worked out before the first drawing, then kept: a dense view (a cartel's 150 nearest
// neighbours share 600 links) never comes to rest, and its nodes went on trembling for minutes.
network.once("stabilizationIterationsDone", () => {
  network.setOptions({physics: {enabled: false}});
  document.body.dataset.stable = "true";
});
if (!OPTIONS.physics.enabled) document.body.dataset.stable = "true";
network.once("afterDrawing", openSelection);