/* Marginalia's search: live results under the header's box, and the search page (/search/?q=).

   The index is static JSON under <site root>/search-data/, written by build_tools/search_index.py
   (its docstring describes format version 1). A query fetches meta.json, the shard of each word
   (t/<first two characters>.json) and the document chunks of the results shown (d/<n>.json);
   every file is fetched once per page.

   Query: the words of the query, normalised as the index's words are. A word matches every term
   of its shard that starts with it (results as you type); a document's score for a word is the
   largest weight of the terms it matches, an exact match counting double. A document must
   match every word; results are ranked by their total score, then by id.

   The index is article text: it reaches the page through textContent and createElement only,
   never as HTML. Without this script the forms still submit to the search page. */
(() => {
  "use strict";

  const PAGE_SIZE = 10;
  const DEBOUNCE_MS = 150;
  const KINDS = { article: "Article", person: "Person", organization: "Organisation", place: "Place", topic: "Topic" };
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  const header = document.querySelector("form[data-mg-search='live']");
  if (!header || !("fetch" in window)) return;
  // base_url: "." or "../.." on ordinary pages, "/marginalia" on the 404 page.
  const root = new URL((header.dataset.mgRoot || ".").replace(/\/?$/, "/"), document.baseURI);
  const data = new URL("search-data/", root);

  // -- words: the same normalisation as build_tools/search_index.py's words() ------------------
  const WORD = /[\p{L}\p{N}]+/gu;
  const POSSESSIVE = /['’]s(?![\p{L}\p{N}])/gu;
  const APOSTROPHE = /['’]/gu;
  const MARK = /\p{M}/gu;

  function normalise(text) {
    return text.normalize("NFKD").replace(MARK, "").toLowerCase()
      .replace(POSSESSIVE, "").replace(APOSTROPHE, "");
  }

  /** The distinct searchable words of a query, in order. */
  function queryWords(text, stopwords) {
    const found = [];
    for (const word of normalise(text).match(WORD) || []) {
      if ([...word].length >= 2 && !stopwords.has(word) && !found.includes(word)) found.push(word);
    }
    return found;
  }

  function shardKey(term, prefix) {
    const key = [...term].slice(0, prefix).join("");
    if (/^[a-z0-9]+$/.test(key)) return key;
    return "_" + Array.from(new TextEncoder().encode(key), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // -- fetching: each file once; a failed fetch may be retried by the next query --------------
  const files = new Map();

  function getJSON(path) {
    let promise = files.get(path);
    if (!promise) {
      promise = fetch(new URL(path, data)).then((response) => {
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
        return response.json();
      });
      promise.catch(() => files.delete(path));
      files.set(path, promise);
    }
    return promise;
  }

  let metaPromise = null;
  function getMeta() {
    if (!metaPromise) {
      metaPromise = getJSON("meta.json").then((meta) => {
        if (meta.version !== 1) throw new Error(`search index version ${meta.version}, expected 1`);
        return { ...meta, shardSet: new Set(meta.shards), stopSet: new Set(meta.stopwords) };
      });
      metaPromise.catch(() => { metaPromise = null; });
    }
    return metaPromise;
  }

  // -- the query -------------------------------------------------------------------------------
  /** Doc id -> score for one word, from its shard: prefix matches, exact ones doubled. */
  function scoresFor(word, shard) {
    const scores = new Map();
    for (const term of Object.keys(shard)) {
      if (!term.startsWith(word)) continue;
      const factor = term === word ? 2 : 1;
      const postings = shard[term];
      let id = 0;
      for (let i = 0; i + 1 < postings.length; i += 2) {
        id += postings[i];
        const score = postings[i + 1] * factor;
        if (!(scores.get(id) >= score)) scores.set(id, score);
      }
    }
    return scores;
  }

  /** {words, ids}: the query's words and the matching doc ids, best first. */
  async function search(text) {
    const meta = await getMeta();
    const words = queryWords(text, meta.stopSet);
    if (!words.length) return { meta, words, ids: [] };
    const keys = words.map((word) => shardKey(word, meta.prefix || 2));
    if (!keys.every((key) => meta.shardSet.has(key))) return { meta, words, ids: [] };
    const shards = await Promise.all(keys.map((key) => getJSON(`t/${key}.json`)));
    const perWord = words.map((word, i) => scoresFor(word, shards[i]));
    perWord.sort((a, b) => a.size - b.size);
    const total = new Map();
    for (const [id, score] of perWord[0]) {
      let sum = score;
      for (let i = 1; i < perWord.length && sum !== null; i++) {
        const other = perWord[i].get(id);
        sum = other === undefined ? null : sum + other;
      }
      if (sum !== null) total.set(id, sum);
    }
    const ids = [...total.keys()].sort((a, b) => total.get(b) - total.get(a) || a - b);
    return { meta, words, ids };
  }

  /** The [url, title, kind, date, summary] rows of ids, fetching only their chunks. */
  async function docsFor(ids, chunk) {
    const needed = [...new Set(ids.map((id) => Math.floor(id / chunk)))];
    const chunks = new Map(await Promise.all(needed.map(async (n) => [n, await getJSON(`d/${n}.json`)])));
    return ids.map((id) => {
      const row = chunks.get(Math.floor(id / chunk))[id % chunk];
      if (!Array.isArray(row)) throw new Error(`search index: no document ${id}`);
      return row;
    });
  }

  // -- rendering: DOM nodes and text only ------------------------------------------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    const month = m && MONTHS[Number(m[2]) - 1];
    return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
  }

  /** text with every word that starts with a query word in <mark>, as text nodes. */
  function highlighted(text, words) {
    const fragment = document.createDocumentFragment();
    // A word of the text as written: letters, digits and marks, joined by apostrophes.
    const written = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;
    let last = 0;
    for (const match of text.matchAll(written)) {
      const parts = normalise(match[0]).match(WORD) || [];
      if (!parts.some((part) => words.some((word) => part.startsWith(word)))) continue;
      fragment.append(text.slice(last, match.index), el("mark", "", match[0]));
      last = match.index + match[0].length;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  function resultItem(row, words) {
    const [url, title, kind, date, summary] = row.map((value) => (typeof value === "string" ? value : ""));
    const item = el("li", "mg-search__result");
    const link = el("a", "mg-search__link", title || url);
    const target = new URL(url, root);
    if (target.href.startsWith(root.href)) link.href = target.href; // a page of this site, nothing else
    const meta = el("span", "mg-search__meta");
    meta.append(el("span", `mg-search__kind mg-search__kind--${KINDS[kind] ? kind : "other"}`, KINDS[kind] || kind));
    if (kind === "article") {
      const time = el(date ? "time" : "span", "mg-search__date", date ? formatDate(date) : "undated");
      if (date) time.dateTime = date;
      meta.append(" ", time);
    }
    item.append(link, meta);
    if (summary) {
      const p = el("p", "mg-search__summary");
      p.append(highlighted(summary, words));
      item.append(p);
    }
    return item;
  }

  function plural(n) {
    return `${n.toLocaleString("en")} result${n === 1 ? "" : "s"}`;
  }

  // -- one search UI: the header's live panel, or the search page --------------------------------
  class SearchUI {
    constructor(container, { onQuery } = {}) {
      this.input = container.querySelector("input[name='q']");
      this.status = container.querySelector(".mg-search__status");
      this.list = container.querySelector(".mg-search__results");
      this.more = container.querySelector(".mg-search__more");
      this.onQuery = onQuery;
      this.generation = 0; // a newer query makes older answers stale
      this.query = null;
      this.timer = 0;
      this.input.addEventListener("input", () => this.schedule());
      this.more.addEventListener("click", () => this.showMore());
    }

    schedule() {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(this.input.value), DEBOUNCE_MS);
    }

    async run(text) {
      clearTimeout(this.timer);
      const generation = ++this.generation;
      if (this.onQuery) this.onQuery(text);
      if (!text.trim()) {
        this.query = null;
        this.show("", []);
        return;
      }
      if (!this.list.children.length) this.status.textContent = "Searching…";
      this.list.setAttribute("aria-busy", "true");
      try {
        const found = await search(text);
        if (generation !== this.generation) return;
        const query = { text, ...found, shown: 0 };
        if (!found.words.length) {
          this.query = null;
          this.show(`“${text.trim()}” is too short or too common to search for.`, []);
        } else if (!found.ids.length) {
          this.query = null;
          this.show(`No results for “${text.trim()}”.`, []);
        } else {
          const items = await this.nextItems(query);
          if (generation !== this.generation) return;
          this.query = query;
          this.show(`${plural(query.ids.length)} for “${text.trim()}”`, items);
        }
      } catch (error) {
        if (generation !== this.generation) return;
        console.error("marginalia search:", error);
        this.query = null;
        this.show("Search is not available right now.", []);
      } finally {
        if (generation === this.generation) this.list.removeAttribute("aria-busy");
      }
    }

    /** Replace the results with items, under a status line. */
    show(message, items) {
      this.list.replaceChildren(...items);
      this.status.textContent = message;
      this.more.hidden = !this.query || this.query.shown >= this.query.ids.length;
    }

    /** The list items of the next PAGE_SIZE results of query (fetching their chunks). */
    async nextItems(query) {
      const ids = query.ids.slice(query.shown, query.shown + PAGE_SIZE);
      const rows = await docsFor(ids, query.meta.chunk || 100);
      query.shown += ids.length;
      return rows.map((row) => resultItem(row, query.words));
    }

    async showMore() {
      const query = this.query;
      if (!query) return;
      const generation = this.generation;
      try {
        const items = await this.nextItems(query);
        if (generation !== this.generation || query !== this.query) return;
        this.list.append(...items);
        this.more.hidden = query.shown >= query.ids.length;
        // The button has gone once everything is shown: keep the keyboard in the list.
        if (this.more.hidden && items.length) items[0].querySelector("a").focus();
      } catch (error) {
        console.error("marginalia search:", error);
      }
    }

    links() {
      return [...this.list.querySelectorAll("a.mg-search__link")];
    }
  }

  // -- the header: live results in a panel under the box ----------------------------------------
  const panel = header.querySelector(".mg-search__panel");
  let dismissed = false; // closed with Escape: stays closed until the reader types again
  const live = new SearchUI(header, {
    onQuery: (text) => { if (text.trim()) openPanel(); else closePanel(); },
  });

  function openPanel() { dismissed = false; panel.hidden = false; }
  function closePanel() { panel.hidden = true; }

  live.input.addEventListener("focus", () => {
    getMeta().catch(() => {}); // warm the cache while the reader types
    if (live.input.value.trim() && live.query && !dismissed) openPanel();
  });
  // Focus moving elsewhere (Tab) closes the panel; a click outside it too. (A click on the panel's
  // button moves no focus in some browsers: relatedTarget null is not "elsewhere".)
  header.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !header.contains(event.relatedTarget)) closePanel();
  });
  document.addEventListener("pointerdown", (event) => {
    if (!header.contains(event.target)) closePanel();
  });
  header.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault(); // in a search box, Escape would also clear the text
      closePanel();
      dismissed = true;
      live.input.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const links = live.links();
      if (!links.length) return;
      if (panel.hidden) { // Down in the box opens the panel again
        if (event.key === "ArrowDown" && event.target === live.input) { event.preventDefault(); openPanel(); }
        return;
      }
      const at = links.indexOf(document.activeElement);
      event.preventDefault();
      if (event.key === "ArrowDown") links[Math.min(at + 1, links.length - 1)].focus();
      else if (at <= 0) live.input.focus();
      else links[at - 1].focus();
    }
  });
  header.addEventListener("submit", () => clearTimeout(live.timer));

  // -- the search page: results of ?q= in the page ---------------------------------------------
  const pageBox = document.querySelector("[data-mg-search='page']");
  let pageUI = null;
  if (pageBox) {
    const title = document.title;
    pageUI = new SearchUI(pageBox, {
      onQuery: (text) => {
        const url = new URL(location.href);
        if (text) url.searchParams.set("q", text);
        else url.searchParams.delete("q");
        history.replaceState(history.state, "", url);
        document.title = text.trim() ? `${text.trim()} – ${title}` : title;
      },
    });
    pageBox.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault(); // already on the page: search in place
      pageUI.run(pageUI.input.value);
    });
    const q = new URLSearchParams(location.search).get("q") || "";
    pageUI.input.value = q;
    if (q.trim()) pageUI.run(q);
    else pageUI.input.focus();
  }

  // -- "/" focuses the search box, unless the reader is typing somewhere --------------------------
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])")) return;
    event.preventDefault();
    const box = pageUI ? pageUI.input : live.input;
    box.focus();
    box.select();
  });
})();
