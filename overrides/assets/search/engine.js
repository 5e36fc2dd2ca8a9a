/* The query: what a reader typed -> ranked results with their excerpts, from the static index
   under search-data/ (format version 2, build_tools/search/__init__.py).

   - Words are the index's terms (words.js). Each word of the query is looked up stemmed and as
     written, so "negotiate" finds "negotiations" and "Mohamed", kept unstemmed in the index as a
     name, is found by itself only. A word in capitals ("US", "U.S.") finds the abbreviation only;
     a word in lower case finds it too ("nasa" -> NASA), unless it is a stop word ("us").
   - The last word, while it is being typed (no space after it), also finds longer words once it
     has PREFIX_MIN letters.
   - A word of TYPO_MIN letters or more also finds the words one edit away from it (a letter added,
     dropped, changed, or two swapped), in the same shard: such matches rank below every exact one.
   - A document must match every word. A "quoted phrase" must be in the document in that order
     (stop words included), checked against its text once fetched.
   - Score: for each word the best weight of the terms it matched, doubled for an exact match,
     halved for a typo; results by (words matched only by a typo, score, id).
   - An article's quotes that hold every word (in their text or their speaker's name) are results
     of their own, shown before their article.

   Nothing here touches the page: search.js renders what this returns. */
import { length, stem, termOf, tokens } from "./words.js";

const VERSION = 2;
export const PAGE_SIZE = 10;
const PREFIX_MIN = 3;
const TYPO_MIN = 5;
const EXACT = 2;
const PREFIX = 1;
const TYPO = 0.5;
const QUOTES_SHOWN = 3; // of one article's quotes among all results (the Quotes filter shows all)
const EXCERPT_WORDS = 32; // about two lines
const VERIFY_BATCH = 20; // pages fetched at once to check a phrase
const QUOTE_MARKS = /["“”„]([^"“”„]*)(?:["“”„]|$)/gu;
const LOWER_WORD = /^[a-z0-9]+$/;

// -- the index's files: each fetched once; a failed fetch may be retried ---------------------------
export class Index {
  constructor(base) {
    this.base = base; // URL of search-data/
    this.files = new Map();
    this.metaPromise = null;
  }

  json(path) {
    let promise = this.files.get(path);
    if (!promise) {
      promise = fetch(new URL(path, this.base)).then((response) => {
        if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
        return response.json();
      });
      promise.catch(() => this.files.delete(path));
      this.files.set(path, promise);
    }
    return promise;
  }

  meta() {
    if (!this.metaPromise) {
      this.metaPromise = this.json("meta.json").then((meta) => {
        if (meta.version !== VERSION) throw new Error(`search index version ${meta.version}, expected ${VERSION}`);
        const keys = new Set(meta.shards);
        return { ...meta, keys, longest: Math.max(...meta.shards.map(length), 2), stopwords: new Set(meta.stopwords) };
      });
      this.metaPromise.catch(() => { this.metaPromise = null; });
    }
    return this.metaPromise;
  }

  shard(key) {
    const name = /^[a-z0-9]+$/.test(key) ? key : "_" + Array.from(new TextEncoder().encode(key), (b) => b.toString(16).padStart(2, "0")).join("");
    return this.json(`t/${name}.json`);
  }

  async url(id, meta) {
    const chunk = await this.json(`d/${Math.floor(id / meta.chunk)}.json`);
    const url = chunk[id % meta.chunk];
    if (typeof url !== "string") throw new Error(`search index: no document ${id}`);
    return url;
  }

  async page(id, meta) {
    const url = await this.url(id, meta);
    return this.json(`p/${url.replace(/^\/+|\/+$/g, "") || "index"}.json`);
  }
}

// -- the query's words -------------------------------------------------------------------------------
/** {words, phrases}: the distinct words to look up, and each "phrase" as its tokens in order. */
export function parse(text, stopwords) {
  const phrases = [];
  let loose = text.replace(QUOTE_MARKS, (_, inside) => {
    const found = tokens(inside).map((token) => word(token, stopwords, false));
    if (found.length > 1) phrases.push(found);
    return ` ${inside} `; // its words are looked up like the others
  });
  loose = loose.replace(/["“”„]/gu, " ");
  const typing = !/\s$/u.test(text) && !/["“”„]\s*$/u.test(text); // the last word is being typed
  const all = tokens(loose).map((token) => word(token, stopwords, false));
  const words = [];
  for (const [i, w] of all.entries()) {
    if (!w.term) continue;
    if (typing && i === all.length - 1 && length(w.lower) >= PREFIX_MIN) w.prefix = true;
    const same = words.find((other) => other.key === w.key);
    if (same) same.prefix = same.prefix && w.prefix;
    else words.push(w);
  }
  for (const phrase of phrases) {
    for (const w of phrase) w.same = words.find((other) => other.key === w.key) || null;
  }
  return { words, phrases };
}

function word(token, stopwords, prefix) {
  const term = termOf(token, stopwords);
  const lower = token.word.toLowerCase();
  const w = { written: token.word, lower, term, key: token.abbreviation ? token.word : lower, prefix, forms: new Set(), upper: "" };
  if (!term) return w; // a stop word or a single letter: only a phrase checks it
  if (token.abbreviation) {
    w.upper = token.word;
    w.forms.add(token.word);
    if (length(token.word) >= 4) w.forms.add(lower).add(stem(lower)); // "NASA" typed for "Nasa"
  } else {
    w.forms.add(lower).add(term);
    if (LOWER_WORD.test(lower)) w.upper = lower.toUpperCase(); // "nasa" finds NASA
    w.typo = length(lower) >= TYPO_MIN && /^\p{L}+$/u.test(lower);
  }
  return w;
}

// -- matching terms ----------------------------------------------------------------------------------
/** The shard keys that may hold terms for w: the longest key starting each of its forms, and for a
    prefix, every longer key that starts with it. */
function keysFor(w, meta) {
  const keys = new Set();
  const starts = [...w.forms].map((f) => f.toLowerCase());
  if (w.upper) starts.push(w.upper.toLowerCase());
  for (const form of starts) {
    for (let n = Math.min(meta.longest, length(form)); n >= 2; n--) {
      const key = [...form].slice(0, n).join("");
      if (meta.keys.has(key)) { keys.add(key); break; }
    }
  }
  if (w.prefix) {
    for (const key of meta.keys) {
      if (starts.some((form) => key.length > form.length && key.startsWith(form))) keys.add(key);
    }
  }
  return [...keys];
}

/** term -> how it matched w: EXACT, PREFIX or TYPO. */
function matchTerms(w, shard, found) {
  for (const term of Object.keys(shard)) {
    if (w.forms.has(term) || term === w.upper) found.set(term, EXACT);
    else if (found.has(term)) continue;
    else if (w.prefix && (term.startsWith(w.lower) || (w.upper && term.startsWith(w.upper)))) found.set(term, PREFIX);
    else if (w.typo && term === term.toLowerCase() && (oneEdit(term, w.lower) || oneEdit(term, w.term))) found.set(term, TYPO);
  }
  return found;
}

/** Whether a and b differ by one edit: a letter inserted, deleted, replaced, or two neighbours swapped. */
export function oneEdit(a, b) {
  if (a === b) return false;
  let x = [...a];
  let y = [...b];
  if (x.length < y.length) [x, y] = [y, x];
  if (x.length - y.length > 1) return false;
  let i = 0;
  while (i < y.length && x[i] === y[i]) i++;
  const tail = (letters, from) => letters.slice(from).join("");
  if (x.length > y.length) return tail(x, i + 1) === tail(y, i); // one letter more
  if (tail(x, i + 1) === tail(y, i + 1)) return true; // one letter changed
  return x[i] === y[i + 1] && x[i + 1] === y[i] && tail(x, i + 2) === tail(y, i + 2); // two swapped
}

/** id -> {score, typo, mask} for one word, from the postings of its matched terms. */
function scores(matched, shards) {
  const out = new Map();
  for (const [term, factor] of matched) {
    const postings = shards.find((shard) => Object.hasOwn(shard, term))[term];
    let id = 0;
    for (let i = 0; i < postings.length;) {
      id += postings[i];
      let weight = postings[i + 1];
      let mask = 0n;
      if (weight < 0) {
        weight = -weight;
        const m = postings[i + 2];
        mask = typeof m === "string" ? BigInt(`0x${m}`) : BigInt(m);
        i += 3;
      } else {
        i += 2;
      }
      const score = weight * factor;
      const had = out.get(id);
      if (!had) out.set(id, { score, typo: factor === TYPO, mask });
      else {
        had.score = Math.max(had.score, score);
        had.typo = had.typo && factor === TYPO;
        had.mask |= mask;
      }
    }
  }
  return out;
}

// -- a search ------------------------------------------------------------------------------------------
/** Every document matching the query, ranked: {meta, words, phrases, docs: [{id, score, typos, mask}],
    matched: term -> word}. */
export async function search(index, text) {
  const meta = await index.meta();
  const { words, phrases } = parse(text, meta.stopwords);
  const result = { meta, text, words, phrases, docs: [], matched: new Map() };
  if (!words.length) return result;
  const perWord = [];
  const shardsOf = await Promise.all(words.map((w) => Promise.all(keysFor(w, meta).map((key) => index.shard(key)))));
  for (const [i, w] of words.entries()) {
    const shards = shardsOf[i];
    const matched = new Map();
    for (const shard of shards) matchTerms(w, shard, matched);
    w.terms = matched;
    for (const term of matched.keys()) if (!result.matched.has(term)) result.matched.set(term, w);
    perWord.push(scores(matched, shards));
  }
  const order = [...perWord.keys()].sort((a, b) => perWord[a].size - perWord[b].size);
  for (const [id, first] of perWord[order[0]]) {
    let score = first.score;
    let typos = first.typo ? 1 : 0;
    let mask = first.mask;
    let ok = true;
    for (const k of order.slice(1)) {
      const other = perWord[k].get(id);
      if (!other) { ok = false; break; }
      score += other.score;
      typos += other.typo ? 1 : 0;
      mask &= other.mask;
    }
    if (ok) result.docs.push({ id, score, typos, mask });
  }
  result.docs.sort((a, b) => a.typos - b.typos || b.score - a.score || a.id - b.id);
  return result;
}

// -- filters: ranges of ids ----------------------------------------------------------------------------
export const FILTERS = ["article", "person", "organization", "place", "quote"];

function inRange(id, range) {
  return Boolean(range) && id >= range[0] && id < range[1];
}

function kindOf(id, meta) {
  return Object.keys(meta.kinds).find((kind) => inRange(id, meta.kinds[kind])) || "";
}

function bits(mask) {
  const out = [];
  for (let i = 0; mask; i++, mask >>= 1n) if (mask & 1n) out.push(i);
  return out;
}

/** The result items for a filter {kind, year}: {id, quote (index or -1), typos}, in order. */
export function items(result, { kind = "", year = "" } = {}) {
  const out = [];
  for (const doc of result.docs) {
    if (year && !inRange(doc.id, result.meta.years[year])) continue;
    const quotes = bits(doc.mask);
    if (kind === "quote" || !kind) {
      for (const q of kind ? quotes : quotes.slice(0, QUOTES_SHOWN)) out.push({ id: doc.id, quote: q, typos: doc.typos });
    }
    if (!kind || kind === kindOf(doc.id, result.meta)) out.push({ id: doc.id, quote: -1, typos: doc.typos });
  }
  return out;
}

/** How many results each filter would show: {kinds: {"": all, article: n, ...} under the year
    chosen, years: {year: n} under the kind chosen}. */
export function counts(result, { kind = "", year = "" } = {}) {
  const kinds = { "": items(result, { year }).length };
  for (const k of FILTERS) kinds[k] = items(result, { kind: k, year }).length;
  const years = {};
  for (const y of Object.keys(result.meta.years)) years[y] = items(result, { kind, year: y }).length;
  return { kinds, years };
}

// -- pages: phrases, excerpts --------------------------------------------------------------------------
/** The tokens of text with their terms, for phrase checks and highlighting. */
function analysed(text, stopwords) {
  return tokens(text).map((token) => {
    const lower = token.word.toLowerCase();
    const term = termOf(token, stopwords);
    return { ...token, lower, term, raw: token.abbreviation ? token.word : lower };
  });
}

/** Whether token is one the query matched (the word as written, or its stem, is a matched term). */
function hit(token, result) {
  if (!token.term) return null;
  return result.matched.get(token.raw) || result.matched.get(token.term) || null;
}

function sameWord(token, w) {
  if (!w.term) return token.lower === w.lower; // a stop word of a phrase: as written
  return Boolean(w.same && w.same.terms && (w.same.terms.has(token.raw) || w.same.terms.has(token.term)));
}

/** Where each phrase is in the tokens: [[start, end), ...] (token indexes), or null if one is missing. */
function phraseSpans(toks, result) {
  const spans = [];
  for (const phrase of result.phrases) {
    let found = false;
    for (let i = 0; i + phrase.length <= toks.length; i++) {
      if (phrase.every((w, k) => sameWord(toks[i + k], w))) { spans.push([i, i + phrase.length]); found = true; }
    }
    if (!found) return null;
  }
  return spans;
}

/** Whether a page (or one of its quotes) holds every phrase of the query, each in one field. */
export function holdsPhrases(result, page, quote = -1) {
  if (!result.phrases.length) return true;
  const stop = result.meta.stopwords;
  const fields = quote >= 0 ? [quoteText(page, quote)] : [page.title, page.text, page.more];
  return result.phrases.every((phrase) => fields.some((field) => {
    const toks = analysed(field || "", stop);
    return phraseSpans(toks, { ...result, phrases: [phrase] }) !== null;
  }));
}

export function quoteText(page, quote) {
  const q = (page.quotes || [])[quote];
  return q ? page.text.slice(q[0], q[1]) : "";
}

/** {text, marks: [[start, end], ...], before, after}: about `words` words of text around the best
    matches (a phrase first, then the most distinct words), starting a few words before them, with
    the places of the matched words in that part. */
export function excerpt(result, text, words = EXCERPT_WORDS) {
  const toks = analysed(text, result.meta.stopwords);
  if (!toks.length) return { text, marks: [], before: false, after: false };
  const hits = toks.map((token) => hit(token, result));
  const phrased = new Set();
  for (const phrase of result.phrases) {
    for (const [start, end] of phraseSpans(toks, { ...result, phrases: [phrase] }) || []) {
      for (let i = start; i < end; i++) phrased.add(i);
    }
  }
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < Math.max(1, toks.length - words + 1); i++) {
    const seen = new Set();
    let inPhrase = 0;
    for (let k = i; k < Math.min(toks.length, i + words); k++) {
      if (hits[k]) seen.add(hits[k]);
      if (phrased.has(k)) inPhrase++;
    }
    const score = inPhrase * 100 + seen.size * 10;
    if (score > bestScore) { bestScore = score; best = i; }
  }
  // Start a few words before the window's first match, so the reader sees it in context.
  let lead = best;
  while (lead < Math.min(toks.length, best + words) && !hits[lead] && !phrased.has(lead)) lead++;
  let first = lead < Math.min(toks.length, best + words) ? lead - 4 : best;
  if (first <= words / 4) first = 0; // close to the start: show the start
  const last = Math.min(toks.length, first + words) - 1;
  const start = first === 0 ? 0 : toks[first].start;
  const end = last === toks.length - 1 ? text.length : toks[last].end;
  const marks = [];
  for (let k = first; k <= last; k++) {
    if (hits[k] || phrased.has(k)) marks.push([toks[k].start - start, toks[k].end - start]);
  }
  return { text: text.slice(start, end), marks, before: start > 0, after: end < text.length };
}

/** The written forms, in this page, of the words that matched only by a typo: {typed: found}. */
export function corrections(result, page) {
  const out = {};
  const stop = result.meta.stopwords;
  for (const field of [page.title, page.text, page.more]) {
    for (const token of analysed(field || "", stop)) {
      const w = hit(token, result);
      if (!w || out[w.written] || !w.terms) continue;
      const how = w.terms.get(token.raw) ?? w.terms.get(token.term);
      if (how === TYPO) out[w.written] = token.word;
    }
  }
  return out;
}

// -- pages of results ----------------------------------------------------------------------------------
/** The items of a search under a filter, fetched a page at a time; a phrase is checked against each
    page's text before its item is kept, so the count is known only once every candidate is checked. */
export class Results {
  constructor(index, result, filter) {
    this.index = index;
    this.result = result;
    this.filter = filter;
    this.items = items(result, filter);
    this.cursor = 0; // the next item to check
    this.kept = 0;
  }

  get checked() {
    return !this.result.phrases.length || this.cursor >= this.items.length;
  }

  /** The number of results, or null while some are not checked yet. */
  get total() {
    if (!this.result.phrases.length) return this.items.length;
    return this.cursor >= this.items.length ? this.kept : null;
  }

  get more() {
    return this.cursor < this.items.length;
  }

  /** The next `n` results: [{item, page}], each page fetched (and checked for the phrases). */
  async next(n = PAGE_SIZE) {
    const out = [];
    const meta = this.result.meta;
    while (out.length < n && this.cursor < this.items.length) {
      const size = this.result.phrases.length ? VERIFY_BATCH : n - out.length;
      const batch = this.items.slice(this.cursor, this.cursor + size);
      const pages = await Promise.all(batch.map((item) => this.index.page(item.id, meta)));
      for (const [k, item] of batch.entries()) {
        this.cursor++;
        if (!holdsPhrases(this.result, pages[k], item.quote)) continue;
        this.kept++;
        out.push({ item, page: pages[k] });
        if (out.length >= n) break;
      }
    }
    return out;
  }
}
