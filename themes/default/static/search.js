// The search page, on the index the build writes (generator/publish/search_index.py; format in the
// README). No framework, no wasm: the manifest first, then only the chunks of the typed keys, the
// filter and sort files when a filter or sort is used, and one card per result shown.
const root = document.getElementById("tim-kiem");
const dir = root.dataset.index;
const form = root.querySelector("[data-search-form]");
const input = form.querySelector("#q");
const sortSelect = form.querySelector("#sap-xep");
const panel = form.querySelector("[data-search-filters]");
const chosenLine = form.querySelector("[data-search-chosen]");
const statusLine = root.querySelector("[data-search-status]");
const list = root.querySelector("[data-search-results]");
const moreButton = root.querySelector("[data-search-more]");
const suggestBox = root.querySelector("[data-search-suggest]");
const groups = JSON.parse(document.getElementById("bo-loc").textContent);
const FORMAT = 1;
const PAGE_SIZE = 5;          // each result shown costs one card (about 0.4 KB)
const PREFIX_KEYS = 24;       // the last word, still being typed, matches at most this many keys
const EXACT = 1.8;            // a page written with the accents the reader typed ranks first
const PAIR = 1.5;             // two neighbouring words found together: a compound ("heo đất")
const TITLE = 1.5;            // every word in the title
const TIER = 1e4;             // far above any score: a tier per word found with the accents typed
const SCALE = 42;             // weights are bytes: (weight * SCALE) << 1 | in title (search_vectors.py)

// Folded exactly as generator/pages/search_text.py folds: "Điện" -> "dien".
const fold = (text) => text.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d");
const WORD = /[\p{L}\p{N}_]+/gu;
const words = (text) => text.normalize("NFC").toLowerCase().match(WORD) || [];

let manifest = null;
let typed = false;            // the reader typed before the index arrived: keep their text
let latest = 0;
let shown = [];               // document numbers of the latest search, in order
let shownCount = 0;
let names = null;             // tim-kiem/goi-y.json, fetched the first time a query finds nothing good
const files = new Map();

// Files are gzip: inflated here, so any host serves them as they are. A host that adds its own
// Content-Encoding gets plain JSON to the page: both work.
function get(name, options) {
  if (!files.has(name)) {
    files.set(name, fetch(dir + name, options).then(async (response) => {
      if (!response.ok) throw new Error(`${name}: ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
      return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).json();
    }));
  }
  return files.get(name);
}

const undelta = (deltas) => {
  const out = new Int32Array(deltas.length);
  for (let i = 0, at = 0; i < deltas.length; i++) out[i] = at += deltas[i];
  return out;
};

// A chunk: sorted keys; each with its forms, documents, weights and per-document form masks.
async function chunk(index) {
  const name = manifest.chunks[index][1];
  const entries = await get(name);
  if (!entries.parsed) {
    entries.parsed = new Map(entries.map(([key, forms, docs, weights, masks]) =>
      [key, { forms, docs: undelta(docs), weights, masks }]));
  }
  return entries.parsed;
}

function chunkIndex(key) {
  const chunks = manifest.chunks;
  let low = 0, high = chunks.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (chunks[mid][0] <= key) low = mid; else high = mid - 1;
  }
  return low;
}

async function postings(key) {
  return (await chunk(chunkIndex(key))).get(key);
}

// Unigram keys that start with `prefix`, most frequent first.
async function prefixed(prefix) {
  const found = [];
  for (let i = chunkIndex(prefix), end = chunkIndex(prefix + "\uffff"); i <= end; i++) {
    for (const [key, entry] of await chunk(i)) {
      if (key.startsWith(prefix) && !key.includes(" ") && key !== prefix) found.push([key, entry]);
    }
  }
  return found.sort((a, b) => b[1].docs.length - a[1].docs.length).slice(0, PREFIX_KEYS);
}

const idf = (df) => Math.log(1 + (manifest.n - df + 0.5) / (df + 0.5));

// One word's (or pair's) matches, in arrays indexed by document number: no object per posting, so a
// common key on 10,000 pages costs a few milliseconds. flags: 1 found, 2 in the title, 4 exact accents.
function matches() {
  return { score: new Float32Array(manifest.docs), flags: new Uint8Array(manifest.docs), docs: [] };
}

// Adds one key's pages; `form` is what the reader typed, when accented.
function addScores(found, entry, form, factor) {
  const weight = idf(entry.docs.length) * factor / SCALE;
  const bit = form ? entry.forms.indexOf(form) : -1;
  const { score, flags, docs } = found;
  for (let i = 0; i < entry.docs.length; i++) {
    const exact = bit >= 0 && (entry.masks ? (entry.masks[i] >> bit) & 1 : true);
    const value = weight * (entry.weights[i] >> 1) * (exact ? EXACT : 1);
    const doc = entry.docs[i];
    if (!flags[doc]) docs.push(doc);
    if (value > score[doc]) score[doc] = value;
    // Typed with accents, a title with other accents ("tạm" for "tâm") is no title match.
    flags[doc] |= 1 | (entry.weights[i] & 1 && (bit < 0 || exact) ? 2 : 0) | (exact ? 4 : 0);
  }
}

// Every page with all the words (the last may be unfinished), scored; if none has them all, the
// pages with the most of them. Returns [[doc, score], …] and whether every word was found.
async function rank(query, open) {
  const typedWords = words(query);
  const keys = typedWords.map(fold);
  const perWord = await Promise.all(keys.map(async (key, i) => {
    const found = matches();
    const form = typedWords[i] !== key ? typedWords[i] : null;
    const entry = await postings(key);
    if (entry) addScores(found, entry, form, 1);
    if (open && i === keys.length - 1 && key.length >= 2) {
      for (const [, more] of await prefixed(key)) addScores(found, more, null, 0.7);
    }
    return found;
  }));
  const pairs = await Promise.all(keys.slice(1).map(async (key, i) => {
    const found = matches();
    const entry = await postings(`${keys[i]} ${key}`);
    if (entry) addScores(found, entry, `${typedWords[i]} ${typedWords[i + 1]}`, PAIR);
    return found;
  }));
  const total = new Map();
  const hits = new Map();
  const titled = new Map();
  const exact = new Map();
  const add = (map, doc, n) => map.set(doc, (map.get(doc) || 0) + n);
  for (const found of [...perWord, ...pairs]) for (const doc of found.docs) add(total, doc, found.score[doc]);
  // A pair found counts for both its words: a synonym phrase adds its pair, not its words alone.
  perWord.forEach((found, i) => {
    const seen = new Set(found.docs);
    for (const pair of [pairs[i - 1], pairs[i]]) for (const doc of pair?.docs || []) seen.add(doc);
    for (const doc of seen) {
      const flags = found.flags[doc] | (pairs[i - 1]?.flags[doc] || 0) | (pairs[i]?.flags[doc] || 0);
      add(hits, doc, 1);
      add(titled, doc, flags & 2 ? 1 : 0);
      add(exact, doc, flags & 4 ? 1 : 0);
    }
  });
  let best = 0;
  for (const n of hits.values()) if (n > best) best = n;
  // Pages with more of the words exactly as typed (accents and all) come first, then by score.
  const ranked = [];
  for (const [doc, score] of total) {
    if (hits.get(doc) !== best) continue;
    ranked.push([doc, (titled.get(doc) === keys.length ? score * TITLE : score) + TIER * exact.get(doc)]);
  }
  return { ranked, complete: best === keys.length };
}

async function filterSets(key) {
  const values = await get(manifest.filters[key]);
  values.sets ??= Object.fromEntries(Object.entries(values).map(([v, docs]) => [v, new Set(undelta(docs))]));
  return values.sets;
}

async function sortOrder(key) {
  const order = await get(manifest.sorts[key]);
  order.rank ??= new Map(order.map((doc, i) => [doc, i]));
  return order.rank;
}

function chosenFilters() {
  const chosen = {};
  for (const box of panel.querySelectorAll("input:checked")) (chosen[box.name] ??= []).push(box.value);
  for (const [key, values] of new URLSearchParams(location.search)) {
    if (!panel.querySelector("input") && groups.some((g) => g.key === key)) (chosen[key] ??= []).push(values);
  }
  return chosen;
}

// Within one filter a page may have any chosen value; across filters it must have all.
function allowed(sets, chosen, except) {
  const tests = Object.entries(chosen).filter(([key]) => key !== except)
    .map(([key, values]) => values.map((v) => sets[key][v] || new Set()));
  return (doc) => tests.every((any) => any.some((set) => set.has(doc)));
}

async function search(id) {
  const query = input.value.trim();
  const chosen = chosenFilters();
  const needsFilters = panel.open || Object.keys(chosen).length;
  if (!query && !Object.keys(chosen).length) {
    shown = [];
    list.replaceChildren();
    moreButton.hidden = suggestBox.hidden = true;
    statusLine.textContent = "";
    if (needsFilters) await showCounts(null, chosen);
    return;
  }
  const sets = {};
  if (needsFilters) {
    await Promise.all(groups.filter((g) => manifest.filters[g.key]).map(async (g) => { sets[g.key] = await filterSets(g.key); }));
  }
  let found;
  if (query) {
    found = await rank(query, !/\s$/.test(input.value));
  } else {
    const all = new Set(Object.values(sets.loai || {}).flatMap((s) => [...s]));
    found = { ranked: [...all].map((doc) => [doc, 0]), complete: true };
  }
  const sortKey = sortSelect.value || (query ? "" : "ten");
  const order = sortKey ? await sortOrder(sortKey) : null;
  if (id !== latest) return;
  const pass = needsFilters ? allowed(sets, chosen) : () => true;
  const results = found.ranked.filter(([doc]) => pass(doc));
  // Pages without the sort's value (a model with no date) come last either way.
  const position = (doc) => (order.has(doc) ? order.get(doc) : sortKey === "cap-nhat" ? -1 : Infinity);
  if (!order) results.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  else if (sortKey === "cap-nhat") results.sort((a, b) => position(b[0]) - position(a[0]));
  else results.sort((a, b) => position(a[0]) - position(b[0]));
  shown = results.map(([doc]) => doc);
  shownCount = 0;
  if (needsFilters) await showCounts(found.ranked.map(([doc]) => doc), chosen, sets);
  const cards = await Promise.all(shown.slice(0, PAGE_SIZE).map((doc) => get(`c/${doc}.gz`)));
  if (id !== latest) return;
  list.replaceChildren();
  appendResults(cards, query);
  statusLine.textContent = shown.length
    ? `Tìm thấy ${shown.length} kết quả${query ? ` cho “${query}”` : ""}.`
    : `Không tìm thấy kết quả nào${query ? ` cho “${query}”` : ""}${Object.keys(chosen).length ? " với các bộ lọc đã chọn" : ""}.`;
  await suggest(query, found, cards[0], id);
}

function appendResults(cards, query) {
  const marks = markWords(query);
  for (const card of cards) list.append(resultItem(card, marks));
  shownCount += cards.length;
  moreButton.hidden = shownCount >= shown.length;
}

function resultItem(card, marks) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = card.u;
  link.append(...highlighted(card.t, marks));
  heading.append(link);
  const where = document.createElement("p");
  where.className = "where";
  where.textContent = [card.k === "dia-phuong" ? "Địa phương" : "Mô hình", card.p].filter(Boolean).join(" · ");
  const summary = document.createElement("p");
  summary.className = "excerpt";
  summary.append(...highlighted(card.s, marks));
  item.append(heading, where, summary);
  if (card.i) {
    const image = Object.assign(document.createElement("img"), { src: card.i, alt: card.a || "", loading: "lazy", decoding: "async" });
    item.prepend(image);
    item.classList.add("with-image");
  }
  return item;
}

// Words of a title or summary whose folded form is a typed word (or starts with the last one).
function markWords(query) {
  const keys = words(query).map(fold);
  const last = /\s$/.test(input.value) ? null : keys[keys.length - 1];
  return (word) => {
    const key = fold(word);
    return keys.includes(key) || (last && last.length >= 2 && key.startsWith(last));
  };
}

function highlighted(text, marks) {
  return (text || "").split(/([\p{L}\p{N}_]+)/u).map((part, i) => {
    if (i % 2 === 0 || !marks(part)) return document.createTextNode(part);
    const mark = document.createElement("mark");
    mark.textContent = part;
    return mark;
  });
}

// The filter panel: built when first opened (or when a shared link uses a filter), from the values
// the filter files hold; counts of models only (the "Loại trang" group counts both kinds), for the
// current words and the other chosen filters, so ticking a value never turns its neighbours to (0).
let panelBuilt = null;
function buildPanel() {
  panelBuilt ??= Promise.all(groups.filter((g) => manifest.filters[g.key]).map(async (g) => [g, await filterSets(g.key)]))
    .then((loaded) => {
      const params = new URLSearchParams(location.search);
      panel.querySelector("[data-search-filters-wait]")?.remove();
      const done = panel.querySelector("[data-search-done]");
      for (const [group, sets] of loaded) {
        const values = Object.keys(sets).sort((a, b) => label(group, a).localeCompare(label(group, b), "vi", { numeric: true }));
        const fieldset = document.createElement("fieldset");
        const legend = document.createElement("legend");
        legend.textContent = group.title;
        fieldset.append(legend);
        for (const value of values) {
          const row = document.createElement("label");
          const box = Object.assign(document.createElement("input"), { type: "checkbox", name: group.key, value });
          box.checked = params.getAll(group.key).includes(value);
          const count = document.createElement("span");
          count.className = "count";
          count.dataset.key = `${group.key}=${value}`;
          row.append(box, ` ${label(group, value)} `, count);
          fieldset.append(row);
        }
        panel.insertBefore(fieldset, done);
      }
      done.hidden = false;
    });
  return panelBuilt;
}

const label = (group, value) => group.labels[value] || value;

async function showCounts(matches, chosen, sets) {
  if (!panel.querySelector("input")) return;
  sets ??= Object.fromEntries(await Promise.all(groups.filter((g) => manifest.filters[g.key]).map(async (g) => [g.key, await filterSets(g.key)])));
  const models = sets.loai?.["mo-hinh"];
  const pool = matches ?? [...new Set(Object.values(sets.loai || {}).flatMap((s) => [...s]))];
  for (const group of groups) {
    if (!sets[group.key]) continue;
    const others = allowed(sets, chosen, group.key);
    const base = pool.filter((doc) => others(doc) && (group.key === "loai" || !models || models.has(doc)));
    for (const count of panel.querySelectorAll(`.count[data-key^="${group.key}="]`)) {
      const set = sets[group.key][count.dataset.key.slice(group.key.length + 1)];
      count.textContent = `(${base.filter((doc) => set.has(doc)).length})`;
    }
  }
  const n = Object.values(chosen).flat().length;
  chosenLine.textContent = n ? `${n} đang chọn` : "";
}

// No dead end: when few pages match, no page has every word, or the best result shows none of a word
// (a typo that happens to begin some other word), offer close names (not the name typed) and the listings.
async function suggest(query, found, first, id) {
  const seen = words(`${first?.t} ${first?.p} ${first?.s}`).map(fold);
  const shows = words(query).map(fold).every((key) => seen.some((word) => word.startsWith(key)));
  if (found.complete && shown.length >= PAGE_SIZE && shows) {
    suggestBox.hidden = true;
    return;
  }
  names ??= await fetch(root.dataset.suggestions).then((r) => r.json());
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
    const { models, localities, sectors } = root.dataset;
    listings.innerHTML = `Hoặc xem danh sách <a href="${models}">tất cả mô hình</a>, ` +
      `<a href="${localities}">theo địa phương</a>, <a href="${sectors}">theo lĩnh vực</a>.`;
    suggestBox.append(listings);
  }
  suggestBox.hidden = !suggestBox.childNodes.length;
}

function closestNames(query, data) {
  const q = words(query).map(fold).join(" ");
  if (q.length < 3) return [];
  const limit = Math.max(1, Math.min(3, Math.floor(q.length / 3)));
  const span = q.split(" ").length;
  // Folded once: the names are compared again on every query that needs suggestions.
  data.folded ??= [...data.places.map(([name, url]) => [name, url, true]), ...data.models.map(([name, url]) => [name, url, false])]
    .map(([name, url, isPlace]) => [name, url, isPlace, words(name).map(fold)]);
  const scored = [];
  for (const [name, url, isPlace, nameWords] of data.folded) {
    let best = Infinity;
    for (let i = 0; i + span <= Math.max(nameWords.length, span); i++) {
      best = Math.min(best, distance(q, nameWords.slice(i, i + span).join(" "), limit));
    }
    if (best > 0 && best <= limit) scored.push([best, isPlace ? 0 : 1, name, url, isPlace]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2], "vi"));
  return scored.slice(0, 5).map(([, , name, url, isPlace]) => [name, url, isPlace]);
}

// Edit distance with swapped neighbours counting as one edit ("Bein" -> "Bien"); gives up with
// limit + 1 as soon as the distance must exceed `limit` (thousands of names are compared per query).
function distance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Int32Array(b.length + 1);
  let previous = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
      if (d < smallest) smallest = d;
    }
    if (smallest > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  if (!typed) input.value = params.get("q") || "";
  sortSelect.value = manifest?.sorts[params.get("sap-xep")] ? params.get("sap-xep") : "";
  for (const box of panel.querySelectorAll("input[type=checkbox]")) box.checked = params.getAll(box.name).includes(box.value);
}

function writeUrl(push) {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set("q", input.value.trim());
  if (sortSelect.value) params.set("sap-xep", sortSelect.value);
  for (const [key, values] of Object.entries(chosenFilters())) for (const v of values) params.append(key, v);
  const url = `${location.pathname}${params.size ? "?" + params : ""}`;
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
}

let queue = Promise.resolve();
function run(push) {
  const id = ++latest;
  writeUrl(push);
  root.setAttribute("aria-busy", "true");
  queue = queue.then(() => (id === latest ? search(id) : null)).then(() => {
    if (id === latest) root.removeAttribute("aria-busy");
  }).catch((error) => {
    root.removeAttribute("aria-busy");
    statusLine.textContent = "Không tìm được do lỗi khi tải chỉ mục tìm kiếm. Hãy tải lại trang.";
    console.error(error);
  });
  return queue;
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

const urlHasFilters = () => groups.some((g) => new URLSearchParams(location.search).has(g.key));

async function start() {
  root.querySelector("[data-search-nojs]").hidden = true;
  form.hidden = false;
  readUrl();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (manifest) run(true);
  });
  // The field works at once: what the reader types while the index loads is kept and searched.
  input.addEventListener("input", () => {
    typed = true;
    if (manifest) run(false);
  });
  if (!input.value) input.focus();
  statusLine.textContent = "Đang tải chỉ mục tìm kiếm…";
  manifest = await get("manifest.gz", { cache: "no-cache" });
  if (manifest.v !== FORMAT) throw new Error(`index format ${manifest.v}`);
  readUrl();
  statusLine.textContent = "";
  if (urlHasFilters()) {
    panel.open = matchMedia("(min-width: 60em)").matches;
    await buildPanel();
  }
  form.addEventListener("change", (event) => event.target !== input && run(true));
  panel.addEventListener("toggle", () => {
    if (panel.open) buildPanel().then(() => run(false));
  });
  panel.querySelector("[data-search-done]").addEventListener("click", () => {
    panel.open = false;
    statusLine.scrollIntoView({ block: "start" });
  });
  let loadingMore = false;   // a quick second tap must not load the same results twice
  moreButton.addEventListener("click", async () => {
    if (loadingMore) return;
    loadingMore = true;
    const batch = shown;
    const cards = await Promise.all(shown.slice(shownCount, shownCount + PAGE_SIZE).map((doc) => get(`c/${doc}.gz`)));
    loadingMore = false;
    if (batch !== shown) return;   // a new search replaced the list meanwhile
    const firstNew = shownCount;
    appendResults(cards, input.value);
    list.children[firstNew]?.querySelector("a")?.focus();
  });
  root.addEventListener("keydown", onKey);
  window.addEventListener("popstate", async () => {
    typed = false;
    if (urlHasFilters()) await buildPanel();
    readUrl();
    run(false);
  });
  await run(false);
  root.dataset.ready = "";
}

start().catch((error) => {
  statusLine.textContent = "Không tải được chỉ mục tìm kiếm. Hãy tải lại trang, hoặc xem danh sách mô hình.";
  console.error(error);
});
