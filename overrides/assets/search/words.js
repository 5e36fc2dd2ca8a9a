/* The index's terms of a text: the same rules as build_tools/search/words.py, whose docstring says
   them in full (tests/browser/test_search_words.py runs both on every word of the fixtures).

   Unlike the Python side, each token keeps where it is in the original text, for excerpts and
   highlighting: the text is folded one character at a time with a map back to the original. */
import { stem as porter2 } from "../vendor/stemr/stemr.js";

// The patterns of build_tools/patterns.py (SEARCH_TOKEN, SEARCH_POSSESSIVE, SEARCH_APOSTROPHE,
// SEARCH_CAPITALS, SEARCH_STEMMABLE), with \p{L}\p{N} for Python's [^\W_].
const TOKEN = new RegExp(
  String.raw`(?<dotted>(?<![\p{L}\p{N}])[A-Za-z](?:\.[A-Za-z](?![\p{L}\p{N}]))+\.?` +
    String.raw`|(?<![\p{L}\p{N}])[A-Z]\.(?: [A-Z]\.)+)` +
    String.raw`|(?<word>[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*)`,
  "gu",
);
const POSSESSIVE = /['’][sS]$/u;
const APOSTROPHE = /['’]/gu;
const CAPITALS = /^[A-Z0-9]*[A-Z][A-Z0-9]*$/;
const STEMMABLE = /^[a-z]+$/;
const MARK = /\p{M}/gu;
export const MAX_TERM = 40;

/** Porter2 of a lower-case word of letters a-z; any other word as it is. */
export function stem(word) {
  return STEMMABLE.test(word) ? porter2(word) : word;
}

/** {text, at}: text folded (NFKD, marks dropped), and for each of its code units the index in the
    original text of the character it came from. */
export function fold(text) {
  let folded = "";
  const at = [];
  let i = 0;
  for (const char of text) {
    const part = char.charCodeAt(0) < 128 ? char : char.normalize("NFKD").replace(MARK, "");
    folded += part;
    for (let k = 0; k < part.length; k++) at.push(i);
    i += char.length;
  }
  at.push(i);
  return { text: folded, at };
}

/** Every token of text: {word, abbreviation, start, end} (start, end: in the original text). A
    word is as written (apostrophes handled); an abbreviation is its letters in capitals. */
export function tokens(text) {
  const folded = fold(text);
  const found = [];
  for (const match of folded.text.matchAll(TOKEN)) {
    const start = folded.at[match.index];
    const end = folded.at[match.index + match[0].length];
    if (match.groups.dotted !== undefined) {
      found.push({ word: match[0].replace(/[^A-Za-z]/g, "").toUpperCase(), abbreviation: true, start, end });
    } else {
      const word = match[0].replace(POSSESSIVE, "").replace(APOSTROPHE, "");
      found.push({ word, abbreviation: length(word) > 1 && CAPITALS.test(word), start, end });
    }
  }
  return found;
}

/** The term of one token, or "" when the index leaves it out. No names here: the browser does not
    know them, so a query word is looked up both stemmed and as written (see engine.js). */
export function termOf(token, stopwords) {
  if (length(token.word) > MAX_TERM) return "";
  if (token.abbreviation) return token.word;
  const lower = token.word.toLowerCase();
  if (length(lower) < 2 || stopwords.has(lower)) return "";
  return stem(lower);
}

/** Length in characters (code points), as Python counts: "𠀀" is one. */
export function length(text) {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The index's terms of text, in order (names not known: every word stemmed). */
export function terms(text, stopwords) {
  return tokens(text).map((token) => termOf(token, stopwords)).filter(Boolean);
}
