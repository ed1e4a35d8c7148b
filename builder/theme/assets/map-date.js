// The map page's date control: the status of every country on any day, from the statuses the build computed
// (each row's data-changes: [day, map status, label, since as ISO, since in words] from the series' start, one
// for each day its row changes, as the country pages' status histories give it). Without this script the section
// stays hidden and the small maps below say the same, date by date.
const section = document.querySelector(".map-dated");
const input = document.getElementById("map-day");
const summary = document.getElementById("map-date-summary");
const patterns = JSON.parse(section.dataset.patterns);
const rows = [...section.querySelectorAll("tr[data-changes]")].map((tr) => ({
  tr,
  iso: tr.dataset.iso,
  name: tr.querySelector("th").textContent.trim(),
  changes: JSON.parse(tr.dataset.changes),
}));
const days = [...new Set(rows.flatMap((r) => r.changes.map((c) => c[0])))].sort();
const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];
const human = (iso) => { const [y, m, d] = iso.split("-"); return `${Number(d)} ${months[Number(m) - 1]} ${y}`; };

function statusOn(row, day) {
  let found = row.changes[0];
  for (const change of row.changes) if (change[0] <= day) found = change;
  return found;
}

function show(day) {
  const groups = new Map();
  for (const row of rows) {
    const [, status, label, sinceIso, since] = statusOn(row, day);
    row.tr.querySelector(".map-date-status").textContent = label;
    const cell = row.tr.querySelector(".map-date-since");
    cell.replaceChildren();
    if (since) {
      const time = document.createElement("time");
      time.dateTime = sinceIso;
      time.textContent = since;
      cell.append(time);
    }
    for (const group of section.querySelectorAll(`svg .country-${row.iso}`)) {  // what a screen reader and a tooltip say
      if (group.hasAttribute("aria-label")) group.setAttribute("aria-label", `${row.name}: ${label}`);
      const tip = group.querySelector(":scope > title");
      if (tip) tip.textContent = `${row.name}: ${label}`;
    }
    for (const inset of section.querySelectorAll(`.map-inset-list .country-${row.iso} .map-inset-status`)) {
      inset.textContent = label;
    }
    for (const shape of section.querySelectorAll(`.country-${row.iso} .country`)) {  // the map's and a list's swatch
      shape.setAttribute("class", shape.getAttribute("class").replace(/status-[a-z-]+/, `status-${status}`));
    }
    for (const overlay of section.querySelectorAll(`.country-${row.iso} .map-pattern`)) {
      const pattern = patterns[status] && section.querySelector(`svg pattern[id$="-pattern-${patterns[status]}"]`);
      overlay.setAttribute("fill", pattern ? `url(#${pattern.id})` : "none");
    }
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label).push(row.name);
  }
  summary.textContent = `On ${human(day)}: ` +
    [...groups].map(([label, names]) => `${label}: ${names.join(", ")}`).join(". ") + ".";
}

function valid(day) {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? (day < input.min ? input.min : day > input.max ? input.max : day) : null;
}

input.addEventListener("change", () => { const day = valid(input.value); if (day) show(day); });
for (const button of section.querySelectorAll("button[data-step]")) {
  button.addEventListener("click", () => {
    const day = valid(input.value) || input.max;
    const step = Number(button.dataset.step);
    const next = step > 0 ? days.find((d) => d > day) : days.filter((d) => d < day).pop();
    if (next && next >= input.min && next <= input.max) {
      input.value = next;
      show(next);
    }
  });
}
section.hidden = false;
show(valid(input.value) || input.max);
