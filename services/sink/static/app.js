// newsfuse live events page: newest events first, kept live by the sink's change stream (/v1/stream).
// Plain DOM, no dependencies. Data is only ever set as text (titles come from scraped articles).
"use strict";

const PAGE_SIZE = 200;
const RECONNECT_MS = 2000;
const SVG = "http://www.w3.org/2000/svg";

const state = {
  token: null,
  events: new Map(),  // event_id -> CanonicalEvent (the newest version seen)
  total: 0,           // events matching the filters when the list was read, plus new ones since
  lastChange: null,   // the newest change number received: a reconnect resumes after it
  stream: null,       // AbortController of the open stream
  fresh: new Set(),   // event ids changed live since the last render
};

// --- talking to the sink ------------------------------------------------------------------------------
function readToken() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem("newsfuse-token", fromHash);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem("newsfuse-token");
}

function headers(extra = {}) {
  return state.token ? { ...extra, Authorization: `Bearer ${state.token}` } : extra;
}

class NeedsToken extends Error {}

async function getJson(path) {
  const response = await fetch(path, { headers: headers() });
  if (response.status === 401) throw new NeedsToken();
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(document.getElementById("filters"))) {
    if (String(value).trim()) params.set(name, String(value).trim());
  }
  return params;
}

async function load() {
  stopStream();
  const params = filterParams();
  history.replaceState(null, "", params.size ? `?${params}` : location.pathname);
  try {
    const response = await getJson(`/v1/events?limit=${PAGE_SIZE}&${params}`);
    const listed = await response.json();
    state.events = new Map(listed.map((e) => [e.event_id, e]));
    state.total = Number(response.headers.get("X-Total-Count") || listed.length);
    state.lastChange = response.headers.get("X-Last-Change");
    state.fresh.clear();
    render();
    loadTimeline();
    openStream();
  } catch (error) {
    handleError(error);
  }
}

async function loadTimeline() {
  const params = filterParams();
  params.delete("event_date_from");  // the timeline shows every day; the chosen range is highlighted
  params.delete("event_date_to");
  try {
    drawTimeline(await (await getJson(`/v1/timeline?${params}`)).json());
  } catch (error) {
    if (error instanceof NeedsToken) handleError(error);  // otherwise the next change redraws it
  }
}

function handleError(error) {
  if (error instanceof NeedsToken) {
    setStatus("token", "read token needed");
    document.getElementById("token-dialog").showModal();
  } else if (error.name !== "AbortError") {
    setStatus("offline", "sink unreachable, retrying…");
    setTimeout(load, RECONNECT_MS);
  }
}

// The stream is read with fetch (EventSource cannot send the token header) and parsed as SSE.
async function openStream() {
  const controller = new AbortController();
  state.stream = controller;
  const params = filterParams();
  const extra = {};
  if (state.lastChange !== null) extra["Last-Event-ID"] = state.lastChange;
  try {
    const response = await fetch(`/v1/stream?${params}`, { headers: headers(extra), signal: controller.signal });
    if (response.status === 401) throw new NeedsToken();
    if (!response.ok) throw new Error(`stream: HTTP ${response.status}`);
    setStatus("live", "live");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        onMessage(parseSse(buffer.slice(0, end)));
        buffer = buffer.slice(end + 2);
      }
    }
    throw new Error("stream closed");
  } catch (error) {
    if (controller.signal.aborted) return;
    if (error instanceof NeedsToken) return handleError(error);
    setStatus("offline", "reconnecting…");
    setTimeout(() => { if (state.stream === controller) openStream(); }, RECONNECT_MS);
  }
}

function stopStream() {
  if (state.stream) state.stream.abort();
  state.stream = null;
}

function parseSse(block) {
  const message = { event: "message", data: [], id: null };
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") message.data.push(value);
    else if (field === "event") message.event = value;
    else if (field === "id") message.id = value;
  }
  return message;
}

let renderQueued = false;
let timelineTimer = null;

function onMessage(message) {
  if (message.id !== null) state.lastChange = message.id;
  if (message.event === "deleted") {  // its one article moved into another event
    const gone = JSON.parse(message.data.join("\n")).event_id;
    if (!state.events.delete(gone)) return;
    state.total = Math.max(0, state.total - 1);
  } else if (message.event === "event") {
    const event = JSON.parse(message.data.join("\n"));
    const known = state.events.get(event.event_id);
    if (known && known.version >= event.version) return;
    if (!known) state.total += 1;
    state.events.set(event.event_id, event);
    state.fresh.add(event.event_id);
  } else {
    return;
  }
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(() => { renderQueued = false; render(); });
  }
  clearTimeout(timelineTimer);
  timelineTimer = setTimeout(loadTimeline, 1000);
}

function setStatus(kind, text) {
  const status = document.getElementById("status");
  status.dataset.state = kind;
  document.getElementById("status-text").textContent = text;
}

// --- rendering ----------------------------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function newestFirst(a, b) {
  const byTime = Date.parse(b.last_updated) - Date.parse(a.last_updated);
  return byTime || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);
}

const cards = new Map();  // event_id -> {version, node}

function render() {
  const list = document.getElementById("events");
  const ordered = [...state.events.values()].sort(newestFirst);
  for (const old of ordered.splice(PAGE_SIZE)) state.events.delete(old.event_id);  // a long-open page stays small
  for (const [id, card] of cards) {
    if (!state.events.has(id)) { card.node.remove(); cards.delete(id); }
  }
  ordered.forEach((event, index) => {
    let card = cards.get(event.event_id);
    if (!card || card.version !== event.version) {
      const node = eventCard(event);
      if (card) card.node.replaceWith(node);
      card = { version: event.version, node };
      cards.set(event.event_id, card);
    }
    if (state.fresh.has(event.event_id)) card.node.classList.add("fresh");
    if (list.children[index] !== card.node) list.insertBefore(card.node, list.children[index] || null);
  });
  state.fresh.clear();
  if (!ordered.length) list.replaceChildren(el("p", { class: "empty" }, "No events match yet. New ones appear here as they are stored."));
  else list.querySelector(".empty")?.remove();
  document.getElementById("count").textContent =
    `${ordered.length} shown` + (state.total > ordered.length ? ` of ${state.total}` : "");
  fillEntityNames(ordered);
  drawPlaces(ordered);
}

function eventCard(e) {
  return el("article", { class: "event", "data-event-id": e.event_id, "data-version": e.version,
                         "data-outlets": e.num_sources },
    el("header", {},
      el("h2", {}, e.title),
      el("p", { class: "meta" },
        el("time", { datetime: e.event_date || "" }, formatDay(e.event_date, e.date_precision)),
        e.event_date ? el("span", { class: "muted" }, ` ${percent(e.date_agreement)} of sources agree`) : null,
        e.event_type ? el("span", { class: "type", title: `CAMEO ${e.event_type.code}, ${percent(e.type_agreement)} agree` },
                          e.event_type.label) : null,
        el("span", { class: "outlets" }, plural(e.num_sources, "outlet")),
        el("span", { class: "muted" }, `${plural(e.num_articles, "article")} · v${e.version} · updated ${formatTime(e.last_updated)}`))),
    e.summary ? el("p", { class: "summary" }, e.summary) : null,
    entityRow("Actors", e.actors.map((a) => chip(a.name, a.country, `${a.type}, ${a.role}; ${plural(a.num_outlets, "outlet")}`))),
    entityRow("Places", e.locations.map((p) => chip(p.name, p.country, `${plural(p.num_outlets, "outlet")}`))),
    quotes(e.quotes),
    figures(e.figures),
    sources(e.sources));
}

function entityRow(label, chips) {
  return chips.length ? el("p", { class: "entities" }, el("span", { class: "label" }, label), chips) : null;
}

function chip(name, country, title) {
  return el("button", { type: "button", class: "chip", title: `${title} — click to filter`,
                        onclick: () => setFilter("entity", name) },
    name, country ? el("span", { class: "country" }, country) : null);
}

// Corroborated (2+ outlets) first; what one outlet alone reports stays folded away.
function corroborated(title, list, item) {
  const shared = list.filter((x) => x.num_outlets > 1), single = list.filter((x) => x.num_outlets <= 1);
  if (!list.length) return null;
  return el("section", { class: "corroborated" },
    shared.length ? [el("h3", {}, `${title} from several outlets`), shared.map(item)] : null,
    single.length ? el("details", {}, el("summary", {}, `${plural(single.length, title.toLowerCase().replace(/s$/, ""))} from one outlet`),
                                     single.map(item)) : null);
}

function quotes(list) {
  return corroborated("Quotes", list, (q) => el("blockquote", {}, `“${q.text}”`,
    el("footer", {}, q.speaker ? `— ${q.speaker} · ` : "— unattributed · ", outletCount(q))));
}

function figures(list) {
  return corroborated("Figures", list, (f) => el("p", { class: "figure" },
    el("strong", {}, f.text), ` ${f.value} ${f.unit}`, f.context ? ` (${f.context})` : "", " · ", outletCount(f),
    f.disputed_values.length ? el("span", { class: "disputed" }, ` · others report ${f.disputed_values.join(", ")}`) : null));
}

function outletCount(item) {
  return el("span", { class: "muted", title: item.outlets.join(", ") || null }, plural(item.num_outlets, "outlet"));
}

function sources(list) {
  const rows = [...list].sort((a, b) => Date.parse(a.published_at || 0) - Date.parse(b.published_at || 0))
    .map((s) => el("tr", {},
      el("td", { class: "outlet" }, s.outlet || el("span", { class: "muted", title: `article ${s.article_id}` }, "no outlet")),
      el("td", {}, s.url ? el("a", { href: safeUrl(s.url), target: "_blank", rel: "noopener noreferrer" }, s.title) : s.title),
      el("td", { class: "when" }, s.published_at ? formatTime(s.published_at) : "undated"),
      el("td", { class: "score" }, el("meter", { min: 0, max: 1, value: s.match_score }), ` ${s.match_score.toFixed(2)}`),
      el("td", { class: "reasons" }, reasons(s.reasons))));
  return el("details", { class: "sources", open: list.length <= 6 ? "" : null },
    el("summary", {}, `Sources (${list.length})`),
    el("table", {}, el("thead", {}, el("tr", {}, ["Outlet", "Title", "Published", "Match", "Why"].map((h) => el("th", {}, h)))),
       el("tbody", {}, rows)));
}

function reasons(r) {
  const parts = [];
  if (r.note) parts.push(r.note);
  if (r.similarity !== null && r.similarity !== undefined) parts.push(`similarity ${r.similarity.toFixed(2)}`);
  if (r.shared_entities.length) parts.push(`shares ${r.shared_entities.join(", ")}`);
  if (r.date_gap_days !== null && r.date_gap_days !== undefined) parts.push(`${r.date_gap_days} d apart`);
  if (r.near_duplicate) parts.push("near-duplicate");
  return [parts.join(" · "), r.conflicts.length ? el("span", { class: "conflict" }, ` · conflicts: ${r.conflicts.join("; ")}`) : null];
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url) ? url : "#";
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function percent(share) {
  return `${Math.round(share * 100)}%`;
}

function formatDay(day, precision) {
  if (!day) return "date unknown";
  const options = precision === "month" ? { year: "numeric", month: "long" }
    : { weekday: "short", year: "numeric", month: "short", day: "numeric" };
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { ...options, timeZone: "UTC" });
}

function formatTime(iso) {
  return new Date(iso).toLocaleString("en-GB", { year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", timeZone: "UTC" }) + " UTC";
}

function fillEntityNames(events) {
  const names = new Set(events.flatMap((e) => [...e.actors, ...e.locations].map((x) => x.name)));
  document.getElementById("entity-names").replaceChildren(...[...names].sort().map((n) => el("option", { value: n })));
}

// --- filters -------------------------------------------------------------------------------------------
function setFilter(name, value) {
  const form = document.getElementById("filters");
  form.elements[name].value = value;
  load();
}

function setDay(day) {
  const form = document.getElementById("filters");
  const chosen = form.elements.event_date_from.value === day && form.elements.event_date_to.value === day;
  form.elements.event_date_from.value = chosen ? "" : day;
  form.elements.event_date_to.value = chosen ? "" : day;
  load();
}

// --- timeline and map (SVG) -----------------------------------------------------------------------------
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

const DAY_MS = 86400000;

function drawTimeline(days) {
  const chart = document.getElementById("timeline");
  const width = 400, height = 120, bottom = 18, top = 14;
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  if (!days.length) {
    chart.replaceChildren(svg("text", { x: width / 2, y: height / 2, class: "axis", "text-anchor": "middle" }, "no dated events yet"));
    return;
  }
  const form = document.getElementById("filters");
  const from = form.elements.event_date_from.value, to = form.elements.event_date_to.value;
  const first = Date.parse(days[0].date), last = Date.parse(days[days.length - 1].date);
  const span = Math.round((last - first) / DAY_MS) + 1;
  const step = width / span;
  const most = Math.max(...days.map((d) => d.events));
  const bars = days.map((d) => {
    const x = Math.round((Date.parse(d.date) - first) / DAY_MS) * step;
    const h = Math.max(2, (height - bottom - top) * d.events / most);
    const inRange = (!from || d.date >= from) && (!to || d.date <= to);
    return svg("rect", { x, y: height - bottom - h, width: Math.max(step - 1, 1.5), height: h,
                         class: inRange ? "bar" : "bar out", "data-date": d.date, onclick: () => setDay(d.date) },
      svg("title", {}, `${formatDay(d.date, "day")}: ${plural(d.events, "event")}`));
  });
  const busiest = days.reduce((a, b) => (b.events > a.events ? b : a));
  const bx = Math.round((Date.parse(busiest.date) - first) / DAY_MS) * step + step / 2;
  chart.replaceChildren(
    svg("line", { x1: 0, x2: width, y1: height - bottom + 0.5, y2: height - bottom + 0.5, class: "baseline" }),
    ...bars,
    svg("text", { x: Math.min(Math.max(bx, 30), width - 30), y: top - 3, class: "axis", "text-anchor": "middle" },
        `${busiest.events} on ${busiest.date}`),
    svg("text", { x: 0, y: height - 4, class: "axis" }, days[0].date),
    span > 1 ? svg("text", { x: width, y: height - 4, class: "axis", "text-anchor": "end" }, days[days.length - 1].date) : "");
}

async function drawLand() {
  try {
    const world = await (await fetch("/page/world-cells.json")).json();
    const size = world.cell_degrees;
    // y grows downwards in SVG: latitude l is drawn at -l, so a cell's top edge is at -(south + size).
    document.getElementById("land").setAttribute("d",
      world.cells.map(([west, south]) => `M${west} ${-(south + size)}h${size}v${size}h${-size}z`).join(""));
  } catch (error) {
    // The map still shows the places on the grid.
  }
  const lines = [];
  for (let lon = -150; lon <= 150; lon += 30) lines.push(svg("line", { x1: lon, x2: lon, y1: -90, y2: 90 }));
  for (let lat = -60; lat <= 60; lat += 30) lines.push(svg("line", { x1: -180, x2: 180, y1: -lat, y2: -lat }));
  document.getElementById("graticule").replaceChildren(...lines);
}

function drawPlaces(events) {
  const places = new Map();
  for (const e of events) {
    for (const p of e.locations) {
      if (p.lat === null || p.lon === null || p.lat === undefined || p.lon === undefined) continue;
      const key = `${p.name}|${p.lat}|${p.lon}`;
      const place = places.get(key) || { ...p, events: 0, fresh: false };
      place.events += 1;
      places.set(key, place);
    }
  }
  const largestFirst = [...places.values()].sort((a, b) => b.events - a.events);
  document.getElementById("places").replaceChildren(...largestFirst.map((p) =>
    svg("circle", { cx: p.lon, cy: -p.lat, r: 2.5 + 2 * Math.sqrt(p.events), class: "place",
                    "data-place": p.name, onclick: () => setFilter("entity", p.name) },
      svg("title", {}, `${p.name}${p.country ? ` (${p.country})` : ""}: ${plural(p.events, "event")}`))));
}

// --- start ---------------------------------------------------------------------------------------------
function start() {
  state.token = readToken();
  const form = document.getElementById("filters");
  for (const [name, value] of new URLSearchParams(location.search)) {
    if (form.elements[name]) form.elements[name].value = value;
  }
  let typing = null;
  form.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(load, 350); });
  form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
  form.addEventListener("reset", () => setTimeout(load, 0));
  document.getElementById("token-form").addEventListener("submit", (e) => {
    state.token = new FormData(e.target).get("token");
    sessionStorage.setItem("newsfuse-token", state.token);
    load();
  });
  drawLand();
  load();
}

start();
