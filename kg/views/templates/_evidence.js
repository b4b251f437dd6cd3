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
