// The search page: Pagefind's JS API, filters with counts, the query kept in the URL, and
// "did you mean" suggestions. Loaded only on /tim-kiem/. No framework, no build step.
const root = document.getElementById("tim-kiem");
const base = root.dataset.base;
const form = root.querySelector("[data-search-form]");
const input = form.querySelector("#q");
const sortSelect = form.querySelector("#sap-xep");
const filterBox = form.querySelector("[data-search-filters]");
const statusLine = root.querySelector("[data-search-status]");
const list = root.querySelector("[data-search-results]");
const moreButton = root.querySelector("[data-search-more]");
const suggestBox = root.querySelector("[data-search-suggest]");
const groups = JSON.parse(document.getElementById("bo-loc").textContent);
const PAGE_SIZE = 5;           // as in Pagefind's own UI: each result costs a fragment (about 1.5 KB) to show
const SORT_ORDER = { "cap-nhat": "desc", ten: "asc" };

let pagefind = null;
let filtersLoaded = null;  // a promise once the filter chunks are asked for: only when "Bộ lọc" opens or the URL filters
let totals = null;         // pages per filter value on the whole site, shown while nothing is searched
let names = null;          // tim-kiem/goi-y.json, fetched the first time a query finds nothing good
let queue = Promise.resolve();
let latest = 0;
let shown = [];            // results of the latest search
let shownCount = 0;

// "Điện Biên" -> "dien bien": how readers type without diacritics.
const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
const words = (text) => fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

const urlHasFilters = () => groups.some((group) => new URLSearchParams(location.search).has(group.key));

// The filter chunks (about 15 KB on 1,000 models) load only when a reader opens the filters or
// follows a link that uses them: most searches never need them.
function loadFilters() {
  filtersLoaded ??= pagefind.filters().then((counts) => {
    filterBox.querySelector("[data-search-filters-wait]")?.remove();
    totals = counts;
    buildFilters(totals);
    readUrl();
  });
  return filtersLoaded;
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  sortSelect.value = SORT_ORDER[params.get("sap-xep")] ? params.get("sap-xep") : "";
  for (const box of filterBox.querySelectorAll("input[type=checkbox]")) {
    box.checked = params.getAll(box.name).includes(box.value);
  }
  filterBox.open = filterBox.open || [...filterBox.querySelectorAll("input:checked")].length > 0;
}

function writeUrl(push) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) if (value) params.append(key, value);
  const url = `${location.pathname}${params.size ? "?" + params : ""}`;
  if (url === location.pathname + location.search) return;
  history[push ? "pushState" : "replaceState"](null, "", url);
}

function chosenFilters() {
  const chosen = {};
  for (const box of filterBox.querySelectorAll("input:checked")) (chosen[box.name] ??= []).push(box.value);
  return chosen;
}

// Within one filter a page may match any chosen value; across filters it must match all.
const pagefindFilters = (chosen) => Object.fromEntries(Object.entries(chosen).map(([k, v]) => [k, { any: v }]));

async function find(query, chosen) {
  const sortKey = sortSelect.value || (query ? "" : "ten");
  const options = { filters: pagefindFilters(chosen), sort: sortKey ? { [sortKey]: SORT_ORDER[sortKey] } : {} };
  if (filtersLoaded) await filtersLoaded;
  if (!query || sortKey || fold(query) === query.toLowerCase()) return pagefind.search(query || null, options);
  // Typed with diacritics: pages with exactly these words come first, then the folded matches.
  await pagefind.options({ exactDiacritics: true });
  const exact = await pagefind.search(query, options);
  await pagefind.options({ exactDiacritics: false });
  const all = await pagefind.search(query, options);
  const seen = new Set(exact.results.map((r) => r.id));
  return { ...all, results: [...exact.results, ...all.results.filter((r) => !seen.has(r.id))] };
}

function run(push) {
  const id = ++latest;
  writeUrl(push);
  // One search at a time: the exact-diacritics switch above is instance-wide.
  root.setAttribute("aria-busy", "true");
  queue = queue.then(() => (id === latest ? search(id) : null)).then(() => {
    if (id === latest) root.removeAttribute("aria-busy");
  }).catch((error) => {
    statusLine.textContent = "Không tìm được do lỗi khi tải chỉ mục tìm kiếm. Hãy tải lại trang.";
    console.error(error);
  });
  return queue;
}

async function search(id) {
  const query = input.value.trim();
  const chosen = chosenFilters();
  if (!query && !Object.keys(chosen).length) {
    list.replaceChildren();
    moreButton.hidden = suggestBox.hidden = true;
    statusLine.textContent = "";
    updateCounts(totals);
    return;
  }
  const result = await find(query, chosen);
  if (id !== latest) return;
  shown = result.results;
  shownCount = 0;
  updateCounts(result.filters);
  const first = await Promise.all(shown.slice(0, PAGE_SIZE).map((r) => r.data()));
  if (id !== latest) return;
  list.replaceChildren();
  appendResults(first);
  statusLine.textContent = shown.length
    ? `Tìm thấy ${shown.length} kết quả${query ? ` cho “${query}”` : ""}.`
    : `Không tìm thấy kết quả nào${query ? ` cho “${query}”` : ""}${Object.keys(chosen).length ? " với các bộ lọc đã chọn" : ""}.`;
  await suggest(query, first, id);
}

function appendResults(pages) {
  for (const page of pages) list.append(resultItem(page));
  shownCount += pages.length;
  moreButton.hidden = shownCount >= shown.length;
}

function resultItem(page) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = page.url;
  link.textContent = page.meta.title;
  heading.append(link);
  const where = document.createElement("p");
  where.className = "where";
  const kind = page.filters.loai?.includes("dia-phuong") ? "Địa phương" : "Mô hình";
  where.textContent = [kind, page.meta.place].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  // A page found by its title, place or hidden terms has no match in its text: its summary says more.
  const marked = markedText(page.excerpt);
  if (page.meta.summary && !marked.some((node) => node.nodeName === "MARK")) excerpt.textContent = page.meta.summary;
  else excerpt.append(...marked);
  item.append(heading, where, excerpt);
  return item;
}

// Pagefind's excerpt is HTML with <mark>; keep only the text and the marks.
function markedText(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return [...template.content.childNodes].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
    const mark = document.createElement("mark");
    mark.textContent = node.textContent;
    return mark;
  });
}

function buildFilters(counts) {
  for (const group of groups) {
    const values = Object.keys(counts[group.key] || {}).filter((v) => counts[group.key][v] > 0);
    if (!values.length) continue;
    values.sort((a, b) => fold(label(group, a)).localeCompare(fold(label(group, b)), "vi", { numeric: true }));
    const fieldset = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = group.title;
    fieldset.append(legend);
    for (const value of values) {
      const row = document.createElement("label");
      const box = document.createElement("input");
      Object.assign(box, { type: "checkbox", name: group.key, value });
      const count = document.createElement("span");
      count.className = "count";
      count.dataset.key = `${group.key}=${value}`;
      row.append(box, ` ${label(group, value)} `, count);
      fieldset.append(row);
    }
    filterBox.append(fieldset);
  }
}

const label = (group, value) => group.labels[value] || value;

function updateCounts(counts) {
  for (const count of filterBox.querySelectorAll(".count")) {
    const [key, value] = count.dataset.key.split("=");
    const n = counts ? counts[key]?.[value] ?? 0 : null;   // null: filters not loaded yet
    count.textContent = n === null ? "" : `(${n})`;
  }
}

// No dead end: when nothing matches, or the best match lacks a word of the query, offer the
// closest place and model names, and the listings.
async function suggest(query, firstPages, id) {
  const queryWords = words(query);
  const weak = queryWords.length && !(firstPages[0] && queryWords.every((w) => pageHasWord(firstPages[0], w)));
  if (!weak && shown.length) {
    suggestBox.hidden = true;
    return;
  }
  names ??= await fetch(`${base}tim-kiem/goi-y.json`).then((r) => r.json());
  if (id !== latest) return;
  const close = closestNames(query, names);
  suggestBox.replaceChildren();
  if (close.length) {
    const intro = document.createElement("p");
    intro.textContent = "Có phải bạn muốn tìm:";
    const ul = document.createElement("ul");
    for (const [name, url, isPlace] of close) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = isPlace ? `${location.pathname}?q=${encodeURIComponent(name)}` : url;
      a.textContent = name;
      li.append(a);
      ul.append(li);
    }
    suggestBox.append(intro, ul);
  }
  if (!shown.length) {
    const listings = document.createElement("p");
    listings.innerHTML = `Hoặc xem danh sách <a href="${base}mo-hinh/">tất cả mô hình</a>, ` +
      `<a href="${base}dia-phuong/">theo địa phương</a>, <a href="${base}linh-vuc/">theo lĩnh vực</a>.`;
    suggestBox.append(listings);
  }
  suggestBox.hidden = !suggestBox.childNodes.length;
}

function pageHasWord(page, word) {
  const text = words(`${page.content} ${page.meta.terms || ""}`);
  return text.some((w) => w.startsWith(word));
}

function closestNames(query, data) {
  const q = words(query).join(" ");
  if (q.length < 3) return [];
  const limit = Math.max(1, Math.min(3, Math.floor(q.length / 3)));
  const scored = [];
  const consider = (name, url, isPlace) => {
    const nameWords = words(name);
    const span = q.split(" ").length;
    let best = Infinity;
    for (let i = 0; i + span <= Math.max(nameWords.length, span); i++) {
      best = Math.min(best, distance(q, nameWords.slice(i, i + span).join(" ")));
    }
    if (best <= limit) scored.push([best, isPlace ? 0 : 1, name, url, isPlace]);
  };
  for (const [name, url] of data.places) consider(name, url, true);
  for (const [name, url] of data.models) consider(name, url, false);
  scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2], "vi"));
  return scored.slice(0, 5).map(([, , name, url, isPlace]) => [name, url, isPlace]);
}

// Edit distance with swapped neighbours counting as one edit ("Bein" -> "Bien").
function distance(a, b) {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}

function onKey(event) {
  const links = [...list.querySelectorAll("a")];
  const at = links.indexOf(document.activeElement);
  if (event.key === "ArrowDown" && (event.target === input || at >= 0)) {
    links[Math.min(at + 1, links.length - 1)]?.focus();
    event.preventDefault();
  } else if (event.key === "ArrowUp" && at >= 0) {
    (at === 0 ? input : links[at - 1]).focus();
    event.preventDefault();
  } else if (event.key === "Escape" && event.target === input && input.value) {
    input.value = "";
    run(false);
  }
}

async function start() {
  root.querySelector("[data-search-nojs]").hidden = true;
  form.hidden = false;
  statusLine.textContent = "Đang tải chỉ mục tìm kiếm…";
  pagefind = await import(`${base}pagefind/pagefind.js`);
  // No worker: searching 1,000 pages takes milliseconds on the page itself, and the worker script
  // would add 12 KB to the first search.
  await pagefind.options({ excerptLength: 24, baseUrl: base, noWorker: true });
  // Create the instance now: an options() call before it would replace these options instead of adding to them.
  await pagefind.init();
  if (urlHasFilters()) await loadFilters();
  readUrl();
  statusLine.textContent = "";
  input.addEventListener("input", () => run(false));
  form.addEventListener("change", (event) => event.target !== input && run(true));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(true);
  });
  let loadingMore = false;   // a quick second tap must not load the same results twice
  moreButton.addEventListener("click", async () => {
    if (loadingMore) return;
    loadingMore = true;
    const batch = shown;
    const pages = await Promise.all(shown.slice(shownCount, shownCount + PAGE_SIZE).map((r) => r.data()));
    loadingMore = false;
    if (batch !== shown) return;   // a new search replaced the list meanwhile
    const firstNew = shownCount;
    appendResults(pages);
    list.children[firstNew]?.querySelector("a")?.focus();
  });
  root.addEventListener("keydown", onKey);
  filterBox.addEventListener("toggle", () => {
    if (filterBox.open && !filtersLoaded) {
      root.setAttribute("aria-busy", "true");   // until the counts are shown
      loadFilters().then(() => run(false), (error) => {
        root.removeAttribute("aria-busy");
        statusLine.textContent = "Không tải được bộ lọc. Hãy tải lại trang.";
        console.error(error);
      });
    }
  });
  window.addEventListener("popstate", async () => {
    if (urlHasFilters()) await loadFilters();
    readUrl();
    run(false);
  });
  if (!input.value) input.focus();
  await run(false);
  root.dataset.ready = "";
}

start().catch((error) => {
  statusLine.textContent = "Không tải được chỉ mục tìm kiếm. Hãy tải lại trang, hoặc xem danh sách mô hình.";
  console.error(error);
});
