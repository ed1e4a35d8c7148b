// The search page: Pagefind's index (pagefind/, built with the site) queried in the browser, the results
// listed as links and announced (the list is in an aria-live region). No other page loads a script for it.
const results = document.getElementById("search-results");
const form = document.querySelector(".search-form");
const input = document.getElementById("search-q");
let pagefind = null;

// Pagefind's excerpt is HTML with <mark> around the words found: keep the text and the marks, nothing else.
function excerpt(html) {
  const p = document.createElement("p");
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

function show(query, found, total) {
  const heading = document.createElement("p");
  heading.className = "search-count";
  heading.textContent = total === 0 ? `Nothing found for \u201c${query}\u201d.`
    : `${total} ${total === 1 ? "result" : "results"} for \u201c${query}\u201d` +
      (total > found.length ? `, the first ${found.length} shown.` : ".");
  const list = document.createElement("ol");
  list.className = "search-list";
  for (const item of found) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.meta.title || item.url;
    li.append(link, excerpt(item.excerpt));
    list.append(li);
  }
  results.replaceChildren(heading, ...(found.length ? [list] : []));
}

async function run(query) {
  results.setAttribute("aria-busy", "true");
  pagefind ??= await import(results.dataset.bundle + "pagefind.js");
  const search = await pagefind.search(query);
  const found = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  show(query, found, search.results.length);
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
