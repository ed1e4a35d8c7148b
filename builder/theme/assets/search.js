// The search page: the site's index (search/index.json and the chunks it lists, written by the builder from the
// model) loaded into MiniSearch (minisearch.js, vendored), the results listed as links and announced (the list
// is in an aria-live region). Every word shown is set as text, never parsed as markup.
import MiniSearch from "./minisearch.js";

const results = document.getElementById("search-results");
const form = document.querySelector(".search-form");
const input = document.getElementById("search-q");
const SHOWN = 20;
const EXCERPT = 240; // characters around the first word found
// The label before the site's own restatement of a source's or the treaty's words; in a claim's or an article's text
// it runs to the end, and the document gives where it stands (builder/search.py, PLAIN_WORDS), so an excerpt that
// starts after it says whose words follow. Another text that quotes the words (the change log) has no label.
const PLAIN_WORDS = "In plain words:";
let loading = null;

// Accents folded, so 'Ottawa' finds 'Ottawá' and 'Peace' finds 'peace'; the same for the index and the query.
const fold = (term) => term.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();

async function load() {
  const address = new URL(results.dataset.index, location.href);
  const listing = await (await fetch(address)).json();
  const chunks = await Promise.all(listing.chunks.map(async ([name, digest]) =>
    (await fetch(new URL(`${name}.json?v=${digest}`, address))).json()));
  const documents = chunks.flat();
  const index = new MiniSearch({
    fields: ["title", "text"],
    processTerm: fold,
    searchOptions: { boost: { title: 5 }, prefix: true, fuzzy: 0.2 }, // a page named by the words first
  });
  index.addAll(documents.map(([, title, text], id) => ({ id, title, text })));
  return { index, documents };
}

// The text from `from` to `to` into `parent`, each word found (`found`, matches in the whole text) in a <mark>, and
// each part in another language than the site's (`spans`, [language tag, start, end] from the index: the words of a
// source quoted, never the site's own) in a <span lang>, so that a screen reader speaks it in its own voice.
function fill(parent, text, from, to, found, spans) {
  const cuts = [...new Set([from, to, ...spans.flatMap(([, s, e]) => [s, e]).filter((at) => at > from && at < to)])];
  cuts.sort((a, b) => a - b);
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i], cuts[i + 1]];
    const span = spans.find(([, s, e]) => s <= start && end <= e);
    let into = parent;
    if (span) {
      into = document.createElement("span");
      into.lang = span[0];
      into.dir = "auto";  // a right-to-left quote keeps its own order
      parent.append(into);
    }
    let at = start;
    for (const m of found) {
      if (m.index < start || m.index + m[0].length > end) continue;
      const mark = document.createElement("mark");
      mark.textContent = m[0];
      into.append(text.slice(at, m.index), mark);
      at = m.index + m[0].length;
    }
    into.append(text.slice(at, end));
  }
}

// The text around the first word found, each word found in a <mark>.
function excerpt(text, terms, labelAt, spans) {
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
  const found = words.filter((m) => terms.has(fold(m[0])));
  let start = found.length ? Math.max(0, found[0].index - EXCERPT / 3) : 0;
  let end = Math.min(text.length, start + EXCERPT);
  if (start > 0) start = text.indexOf(" ", start) + 1 || start;
  if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
  const label = labelAt != null && labelAt < start ? labelAt : -1;
  if (label >= 0 && start < label + PLAIN_WORDS.length) start = label; // not a label cut in two
  const p = document.createElement("p");
  if (label >= 0 && start > label) p.append(`${PLAIN_WORDS} `); // the site's words, though the label is cut off
  if (start > 0) p.append("\u2026 ");
  fill(p, text, start, end, found, spans);
  if (end < text.length) p.append(" \u2026");
  return p;
}

function show(query, found, documents) {
  const heading = document.createElement("p");
  heading.className = "search-count";
  const total = found.length;
  const shown = found.slice(0, SHOWN);
  heading.textContent = total === 0 ? `Nothing found for \u201c${query}\u201d.`
    : `${total} ${total === 1 ? "result" : "results"} for \u201c${query}\u201d` +
      (total > shown.length ? `, the first ${shown.length} shown.` : ".");
  const list = document.createElement("ol");
  list.className = "search-list";
  for (const result of shown) {
    const [url, title, text, labelAt, titleSpans = [], textSpans = []] = documents[result.id];
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = results.dataset.root + url;
    if (title) fill(link, title, 0, title.length, [], titleSpans);
    else link.textContent = url;
    li.append(link, excerpt(text, new Set(result.terms.map(fold)), labelAt, textSpans));
    list.append(li);
  }
  results.replaceChildren(heading, ...(shown.length ? [list] : []));
}

async function run(query) {
  results.setAttribute("aria-busy", "true");
  try {
    loading ??= load();
    const { index, documents } = await loading;
    // Every word if some page has them all; else any of them, the pages with most of them first.
    let found = index.search(query, { combineWith: "AND" });
    if (found.length === 0) found = index.search(query);
    show(query, found, documents);
  } catch (error) {
    loading = null;
    const p = document.createElement("p");
    p.className = "search-count";
    p.textContent = "The search index could not be loaded; try again later.";
    results.replaceChildren(p);
  }
  results.removeAttribute("aria-busy");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value.trim();
  if (!query) return;
  history.replaceState(null, "", `?q=${encodeURIComponent(query)}`);
  run(query);
});
const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
