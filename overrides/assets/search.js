/* Marginalia's search: live results under the header's box, and the search page (/search/?q=),
   with filters by kind and year on the page (?q=…&kind=quote&year=2011, so a search can be shared).

   The query itself is overrides/assets/search/engine.js (and words.js, the index's words), loaded
   as a module the first time the reader searches; it reads the static index under
   <site root>/search-data/ written by build_tools/search/ (format: its __init__.py).

   The index is article text: it reaches the page through textContent and createElement only,
   never as HTML, and a result links only to pages of this site. Without this script the forms
   still submit to the search page. */
(() => {
  "use strict";

  const DEBOUNCE_MS = 150;
  const KINDS = { article: "Article", person: "Person", organization: "Organisation", place: "Place", topic: "Topic", quote: "Quote" };
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  const header = document.querySelector("form[data-mg-search='live']");
  if (!header || !("fetch" in window)) return;
  // base_url: "." or "../.." on ordinary pages, "/marginalia" on the 404 page.
  const root = new URL((header.dataset.mgRoot || ".").replace(/\/?$/, "/"), document.baseURI);
  const script = document.currentScript ? document.currentScript.src : new URL("assets/search.js", root).href;

  let enginePromise = null;
  function engine() {
    if (!enginePromise) {
      enginePromise = import(new URL("search/engine.js", script).href).then((module) => ({
        module,
        index: new module.Index(new URL("search-data/", root)),
      }));
      enginePromise.catch(() => { enginePromise = null; });
    }
    return enginePromise;
  }

  // -- rendering: DOM nodes and text only ------------------------------------------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function str(value) {
    return typeof value === "string" ? value : "";
  }

  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    const month = m && MONTHS[Number(m[2]) - 1];
    return month ? `${Number(m[3])} ${month} ${m[1]}` : iso;
  }

  /** A link to a page of this site, or the text alone for any other address. */
  function siteLink(url, className, text) {
    const target = new URL(url, root);
    const link = el("a", className, text);
    if (url && target.href.startsWith(root.href)) link.href = target.href;
    return link;
  }

  /** The excerpt {text, marks, before, after} as text nodes, the matched words in <mark>. */
  function marked(part) {
    const fragment = document.createDocumentFragment();
    if (part.before) fragment.append("… ");
    let last = 0;
    for (const [start, end] of part.marks) {
      fragment.append(part.text.slice(last, start), el("mark", "", part.text.slice(start, end)));
      last = end;
    }
    fragment.append(part.text.slice(last));
    if (part.after) fragment.append(" …");
    return fragment;
  }

  function dateNode(date) {
    const time = el(date ? "time" : "span", "mg-search__date", date ? formatDate(date) : "undated");
    if (date) time.dateTime = date;
    return time;
  }

  function metaLine(kind, date, note) {
    const meta = el("span", "mg-search__meta");
    meta.append(el("span", `mg-search__kind mg-search__kind--${KINDS[kind] ? kind : "other"}`, KINDS[kind] || kind));
    if (kind === "article") meta.append(" ", dateNode(date));
    if (note) meta.append(" ", el("span", "mg-search__note", note));
    return meta;
  }

  function resultItem(found, result, api) {
    const { item, page } = found;
    const fixed = item.typos ? api.corrections(result, page) : {};
    const note = item.typos ? `similar spelling: ${Object.values(fixed).join(", ") || "…"}` : "";
    return item.quote >= 0 ? quoteItem(page, item.quote, result, api, note) : pageItem(page, result, api, note);
  }

  function pageItem(page, result, api, note) {
    const kind = str(page.kind);
    const li = el("li", "mg-search__result");
    li.append(siteLink(str(page.url), "mg-search__link", str(page.title) || str(page.url)), metaLine(kind, str(page.date), note));
    const text = str(page.text);
    if (text) {
      const p = el("p", "mg-search__excerpt");
      p.append(marked(api.excerpt(result, text)));
      li.append(p);
    }
    return li;
  }

  function quoteItem(page, quote, result, api, note) {
    const [, , paragraph, speaker, speakerUrl] = (page.quotes || [])[quote] || [];
    const li = el("li", "mg-search__result mg-search__result--quote");
    const words = el("blockquote", "mg-search__quote");
    const p = el("p");
    p.append("“", marked(api.excerpt(result, api.quoteText(page, quote), 60)), "”");
    words.append(p);
    const source = el("p", "mg-search__source");
    source.append("— ", str(speaker) ? (str(speakerUrl) ? siteLink(str(speakerUrl), "mg-search__speaker", str(speaker)) : el("span", "mg-search__speaker", str(speaker))) : "speaker not identified");
    const anchor = Number.isInteger(paragraph) ? `#p-${paragraph}` : "";
    source.append(", in ", siteLink(str(page.url) + anchor, "mg-search__link", str(page.title) || str(page.url)), ", ", dateNode(str(page.date)));
    li.append(metaLine("quote", "", note), words, source);
    return li;
  }

  function plural(n) {
    return `${n.toLocaleString("en")} result${n === 1 ? "" : "s"}`;
  }

  // -- one search UI: the header's live panel, or the search page --------------------------------
  class SearchUI {
    constructor(container, { onQuery, filters } = {}) {
      this.input = container.querySelector("input[name='q']");
      this.status = container.querySelector(".mg-search__status");
      this.list = container.querySelector(".mg-search__results");
      this.more = container.querySelector(".mg-search__more");
      this.filters = filters || null; // the search page's Filters, or none
      this.onQuery = onQuery;
      this.generation = 0; // a newer query makes older answers stale
      this.results = null;
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
        this.results = null;
        this.show("", []);
        if (this.filters) this.filters.update(null);
        return;
      }
      if (!this.list.children.length) this.status.textContent = "Searching…";
      this.list.setAttribute("aria-busy", "true");
      try {
        const api = await engine();
        const result = await api.module.search(api.index, text);
        if (generation !== this.generation) return;
        this.api = api;
        this.result = result;
        await this.render(generation);
      } catch (error) {
        if (generation !== this.generation) return;
        console.error("marginalia search:", error);
        this.results = null;
        this.show("Search is not available right now.", []);
      } finally {
        if (generation === this.generation) this.list.removeAttribute("aria-busy");
      }
    }

    /** The first page of the current result under the current filter. */
    async render(generation) {
      const { module } = this.api;
      const result = this.result;
      const text = result.text.trim();
      if (!result.words.length) {
        this.results = null;
        this.show(`“${text}” is too short or too common to search for.`, []);
        if (this.filters) this.filters.update(null);
        return;
      }
      const filter = this.filters ? this.filters.value() : {};
      const results = new module.Results(this.api.index, result, filter);
      const found = await results.next();
      if (generation !== this.generation) return;
      this.results = results;
      if (this.filters) this.filters.update(results.checked ? module.counts(result, filter) : null, result);
      if (!found.length) {
        this.results = null;
        const filtered = this.filters && this.filters.active() ? " with these filters" : "";
        this.show(`No results for “${text}”${filtered}.`, []);
        return;
      }
      this.show(this.message(results, found), found.map((f) => resultItem(f, result, this.api.module)));
    }

    message(results, found) {
      const text = this.result.text.trim();
      const total = results.total;
      const count = total === null ? `At least ${plural(found.length)}` : plural(total);
      if (!found.every((f) => f.item.typos)) {
        const some = found.some((f) => f.item.typos) || (total !== null && results.items.some((i) => i.typos));
        return `${count} for “${text}”${some ? ", some for similar spellings" : ""}`;
      }
      // Every result is for a similar spelling: say which, as the pages write it.
      let fixed = text;
      // The first result's spelling of each word wins: it is the best match.
      const seen = Object.assign({}, ...found.map((f) => this.api.module.corrections(this.result, f.page)).reverse());
      for (const [typed, written] of Object.entries(seen)) fixed = fixed.split(typed).join(written);
      return `No results for “${text}”. Showing ${count.toLowerCase()} for “${fixed}”`;
    }

    /** Replace the results with items, under a status line. */
    show(message, items) {
      this.list.replaceChildren(...items);
      this.status.textContent = message;
      this.more.hidden = !this.results || !this.results.more;
    }

    async showMore() {
      const results = this.results;
      if (!results) return;
      const generation = this.generation;
      try {
        const found = await results.next();
        if (generation !== this.generation || results !== this.results) return;
        const items = found.map((f) => resultItem(f, this.result, this.api.module));
        this.list.append(...items);
        this.more.hidden = !results.more;
        if (results.checked && this.result.phrases.length) {
          this.status.textContent = this.message(results, found.length ? found : [{ item: { typos: 0 } }]);
        }
        // The button has gone once everything is shown: keep the keyboard in the list.
        if (this.more.hidden && items.length) items[0].querySelector("a.mg-search__link").focus();
      } catch (error) {
        console.error("marginalia search:", error);
      }
    }

    links() {
      return [...this.list.querySelectorAll("a.mg-search__link")];
    }
  }

  // -- the search page's filters: kind and year, kept in the address ------------------------------
  class Filters {
    constructor(box, onChange) {
      this.box = box;
      this.kinds = [...box.querySelectorAll("input[name='kind']")];
      this.year = box.querySelector("select[name='year']");
      const params = new URLSearchParams(location.search);
      const kind = params.get("kind") || "";
      for (const radio of this.kinds) radio.checked = radio.value === kind;
      if (!this.kinds.some((radio) => radio.checked)) this.kinds[0].checked = true;
      this.wanted = params.get("year") || "";
      for (const radio of this.kinds) radio.addEventListener("change", onChange);
      this.year.addEventListener("change", () => { this.wanted = this.year.value; onChange(); });
    }

    value() {
      const checked = this.kinds.find((radio) => radio.checked);
      return { kind: checked ? checked.value : "", year: this.wanted };
    }

    active() {
      const { kind, year } = this.value();
      return Boolean(kind || year);
    }

    /** Show the filters with the count of each (null: counts not known yet, or no query). */
    update(counts, result) {
      if (!result) { this.box.hidden = true; return; }
      this.box.hidden = false;
      for (const radio of this.kinds) {
        const count = radio.closest("label").querySelector(".mg-search__count");
        count.textContent = counts ? ` (${counts.kinds[radio.value] ?? 0})` : "";
      }
      const years = Object.keys(result.meta.years).sort().reverse();
      if (this.wanted && !years.includes(this.wanted)) years.unshift(this.wanted);
      const options = [el("option", "", "Any year")];
      options[0].value = "";
      for (const year of years) {
        const option = el("option", "", counts ? `${year} (${counts.years[year] ?? 0})` : year);
        option.value = year;
        options.push(option);
      }
      this.year.replaceChildren(...options);
      this.year.value = this.wanted;
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
    // Warm the cache while the reader types: the engine's code and meta.json.
    engine().then((api) => api.index.meta()).catch(() => {});
    if (live.input.value.trim() && live.results && !dismissed) openPanel();
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
    const filterBox = pageBox.querySelector(".mg-search__filters");
    const filters = filterBox ? new Filters(filterBox, () => { address(pageUI.input.value); refilter(); }) : null;
    const address = (text) => {
      const url = new URL(location.href);
      const { kind, year } = filters ? filters.value() : {};
      for (const [name, value] of [["q", text], ["kind", kind], ["year", year]]) {
        if (value) url.searchParams.set(name, value);
        else url.searchParams.delete(name);
      }
      history.replaceState(history.state, "", url);
      document.title = text.trim() ? `${text.trim()} – ${title}` : title;
    };
    const refilter = () => {
      if (!pageUI.result || pageUI.result.text !== pageUI.input.value) { pageUI.run(pageUI.input.value); return; }
      const generation = ++pageUI.generation;
      pageUI.render(generation).catch((error) => console.error("marginalia search:", error));
    };
    pageUI = new SearchUI(pageBox, { onQuery: address, filters });
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
