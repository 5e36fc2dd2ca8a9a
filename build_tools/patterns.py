"""Every regular expression of the pipeline, named, with an example of what it matches.

Keeping them here means a reader can audit the text rules in one place; modules import
the compiled patterns by name.
"""

from __future__ import annotations

import re

# "Shafaq News/ Afghanistan's Taliban ..." -> source "Shafaq News"
WIRE_SLASH_PREFIX = re.compile(r"^(?P<source>[A-Z][\w&.'’ -]{1,40}?)\s?/\s+(?=\S)")

# "WASHINGTON (Reuters) - The ..." -> source "Reuters"; the dateline stays in the text.
WIRE_PAREN_PREFIX = re.compile(
    r"^(?P<place>[A-Z][A-Z .,'-]{1,40}?)\s*\((?P<source>[A-Za-z .&]{2,30})\)\s*(?=[-–—])"
)

# Runs of horizontal whitespace, including no-break and typographic spaces: "a\u00a0 b" -> "a b"
HORIZONTAL_SPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

# A blank line (only whitespace) separates paragraphs in most wire copy.
BLANK_LINE = re.compile(r"\n[ \t]*\n")

# Anything that is not a letter or digit, for slugs: "Taliban Israel!" -> "taliban-israel"
NON_SLUG = re.compile(r"[^\w]+")

# Control characters other than tab and newline (NUL included): never part of an article.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Sentence end inside a lede, for headlines: "... Israel, i24NEWS reported Tuesday. Next"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z])")

# An aside set off by dashes or parentheses: "Taliban –one of ... regimes– may" -> "Taliban may"
DASHED_ASIDE = re.compile(r"\s*[–—]\s*[^–—]{3,120}?\s*[–—]\s*|\s*\([^()]{1,120}\)")

# A trailing attribution in a lede: ", i24NEWS reported Tuesday, citing an Afghan source."
TRAILING_ATTRIBUTION = re.compile(
    r",\s+(?:according to\b.*|[^,]{1,60}?\b(?:reported|said|says|reports|announced|told)\b.*)$"
)

# A space left before a mark where a headline's phrase was dropped: "Burns , spoke" -> "Burns, spoke"
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,;:.!?])")

# ISO date in a sidecar: "2025-03-14"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Words, for counting and headlines: "U.S.-led" counts as one.
WORD = re.compile(r"\S+")

# A four-digit year from 1800 to 2099, or its decade: "in the summer of 2021", "in the 1950s"
YEAR = re.compile(r"\b(?:18|19|20)\d{2}(?:s|’s|'s)?\b")

# A dateline that opens a lede: "Washington, D.C., February 12, 2008 - In an ..." (kept in the
# text, dropped from a derived headline).
DATELINE = re.compile(r"^[A-Z][\w.,' ]{2,60}?\s[-–—]\s+")

# A leading time or circumstance phrase: "On Friday, fishermen ..." -> "fishermen ..."
LEADING_ADVERBIAL = re.compile(
    r"^(?:On|In|At|During|After|Before|Yesterday|Today|Earlier|Late|Last|This)\b[^,]{0,50},\s+"
)

# A full stop that does not end a sentence: after an initial or a known abbreviation.
# "Dr. Haddad said", "U.S. officials", "John F. Kennedy"
ABBREVIATION_BEFORE_DOT = re.compile(
    r"(?:\b[A-Z]|\b(?:Dr|Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Sgt|Adm|St|Jr|Sr|Rev|No|Mt|Ft|vs|etc|Inc|Corp|Co|Ltd)|\w\.\w)$"
)

# An attribution inside a quote that was never closed: '"We tried everything, negotiator
# Ivan Petrov said, describing …' — the closing mark was forgotten before the attribution.
ATTRIBUTION_INSIDE = re.compile(
    r"[,.]\s+(?:[a-z]+\s+)?(?:[A-Z][\w'’.-]+\s+){1,4}(?:said|says|told|added|noted|stated|explained|continued)\b"
)

# C1 control characters (U+0080-U+009F) except NEL: in a decoded article they only come from
# text decoded twice or with the wrong encoding: "\u0093quoted\u0094" -> rejected.
C1_CONTROL_CHARS = re.compile(r"[\x80-\x84\x86-\x9f]")

# Unicode line separators that YAML and str.splitlines treat as line breaks but Markdown does not:
# NEL and LINE SEPARATOR end a line, PARAGRAPH SEPARATOR ends a paragraph. "a\u2028b" -> "a\nb"
LINE_SEPARATOR = re.compile(r"[\x85\u2028]")
PARAGRAPH_SEPARATOR_CHAR = re.compile(r"\u2029")

# Any line break, for values that must stay on one line: "Title\nsecond line" -> found
ANY_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")

# Any run of whitespace, to fold an editor's multi-line note into one line: "a \n  b" -> "a b"
ANY_SPACE = re.compile(r"\s+")

# An item number in a sidecar (quote, background item): "3" yes; "03", "0", "²", "1e3" no.
ITEM_NUMBER = re.compile(r"^[1-9][0-9]{0,5}$", re.ASCII)

# A web address in a sidecar: http(s), a host, and none of the characters that end an HTML
# attribute or a Markdown link: "https://example.org/a?b=1" yes; 'https://x" onclick=' no.
WEB_URL = re.compile(r"^https?://[^\s\"'<>`\\{}|^/?#]+(?:[/?#][^\s\"'<>`\\{}|^]*)?$", re.ASCII)

# Unicode noncharacters of the first plane: never text, and YAML refuses to read them raw.
# "\ufffe" is also what a byte-swapped UTF-16 BOM decodes to.
NONCHARACTERS = re.compile(r"[\ufdd0-\ufdef\ufffe\uffff]")

# Search terms (build_tools/search/words.py; overrides/assets/search/words.js has the same four, in
# JavaScript's syntax). A token is a dotted abbreviation or a word; a word is a run of letters and
# digits, apostrophes inside it join it: "the U.S.-led talks, U. N. staff, Taliban’s don't"
# -> "U.S.", "led", "talks", "U. N.", "staff", "Taliban’s", "don't"
SEARCH_TOKEN = re.compile(
    r"(?P<dotted>(?<![^\W_])[A-Za-z](?:\.[A-Za-z](?![^\W_]))+\.?"  # U.S. U.S.A. e.g. U.S
    r"|(?<![^\W_])[A-Z]\.(?: [A-Z]\.)+)"  # spaced, capitals, each with its dot: U. S.
    r"|(?P<word>[^\W_]+(?:['’][^\W_]+)*)"
)
# A possessive ending of a token, dropped; other apostrophes are removed: "Taliban’s" -> "Taliban"
SEARCH_POSSESSIVE = re.compile(r"['’][sS]$")
SEARCH_APOSTROPHE = re.compile(r"['’]")
# A word in capitals, an abbreviation kept as written: "US", "NASA", "G20"; not "Us", "2008"
SEARCH_CAPITALS = re.compile(r"[A-Z0-9]*[A-Z][A-Z0-9]*", re.ASCII)
# A word the English stemmer is given: letters a-z only ("negotiations" yes; "i24news", "αθηνα" no)
SEARCH_STEMMABLE = re.compile(r"[a-z]+", re.ASCII)

# A run of characters outside ASCII, folded before words are found: "Zürich" -> "ü", "محمد" -> all of it
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")

# A search shard key written as it is as a file name; any other key is written in hex: "mu" yes, "ال" no.
SEARCH_PLAIN_KEY = re.compile(r"[a-z0-9]+", re.ASCII)

# Review (build_tools/review.py, lookalike.py): names an editor should look at.
# An abbreviation in capitals, with or without dots: "KSC", "U.S.", "UK", "NASA", "G20"; not "Us", "I".
ABBREVIATION = re.compile(r"(?:[A-Z][0-9]*\.?){2,10}")
# A capital inside a word, as brands are written: "PlayStation", "MicroMega"; not "Playstation".
INNER_CAPITAL = re.compile(r"[a-z][A-Z]")
# What separates the words of a name when names are compared: "U.S. Air-Force" -> "U", "S", "Air", "Force"
NAME_SEPARATORS = re.compile(r"[^\w&]+")
# A name that begins with the indefinite article, as titles of works do: "A Sailor", "An Evening".
INDEFINITE_START = re.compile(r"^(?:A|An)\s")
# A value written bare inside a YAML flow mapping or list (a review's fix line) that reads back as the
# same text: words, spaces, dots, apostrophes and hyphens, starting with a letter. "U.S." and
# "Drake's Views" yes; "Texas A&M", "a: b" and "[x]" are quoted.
YAML_PLAIN_IN_FLOW = re.compile(r"[^\W\d_][\w .'’-]*(?<! )")

# A mission or flight code, not an organisation or place: "STS-134", "RI-1".
MISSION_CODE = re.compile(r"^[A-Z]{2,5}-\d{1,4}$")

# A Roman numeral, which is not an abbreviation of a name: "II", "XIV", "MMVIII".
ROMAN_NUMERAL = re.compile(r"^[IVXLCDM]+$")

# What a message must not print as it is (errors.printable escapes it): control characters and line
# breaks (a newline in a file name would forge a log line), bidi controls (they reorder the line on
# screen) and lone surrogates (they cannot be encoded). "a\nERROR x" -> "a\\nERROR x"
UNPRINTABLE_IN_MESSAGES = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

# Lone surrogates: a YAML escape ("\ud800") or a file name that is not UTF-8 gives them; they are not
# text, and writing them as UTF-8 fails.
SURROGATES = re.compile(r"[\ud800-\udfff]")

# A dateline opening a lede (build_tools/dateline.py): a place of one to four capitalised parts,
# an optional date and agency, and a dash: "SPRINGFIELD, Ill. — ", "SPRINGFIELD, Ill.—",
# "Springfield, Illinois, March 3, 2014 - ", "LONDON (Reuters) - ". A hyphen needs spaces around
# it ("Los Angeles-based" is no dateline); an en or em dash does not.
_PLACE_PART = r"[A-Z][\w.'’&]*(?:[ -][A-Z][\w.'’&]*){0,3}"
DATELINE_OPENING = re.compile(
    rf"^(?P<place>{_PLACE_PART}(?:, {_PLACE_PART}){{0,3}}?)"
    r"(?:, (?P<month>[A-Z][a-z]{2,8}\.?) (?P<day>\d{1,2}), (?P<year>\d{4}))?"
    r"(?:\s*\((?P<agency>[^()]{2,30})\))?"
    r"(?:\s+[-–—]{1,2}\s+|\s*[–—]\s*|\s+--)(?=\S)"
)

# The first token of a name form as spaCy splits it: "al-Megrahi" -> "al", "K.C. Maurer" -> "K.C."
FIRST_TOKEN = re.compile(r"[^\W_][\w.']*?(?=[-\s]|$)|[^\W_]+")

# Runs of characters with no space, and each with the space after it (extract/parse.py cuts the
# very long ones before spaCy's tokenizer): "a ))))) b" -> "a", ")))))", "b".
NON_SPACE_RUN = re.compile(r"\S+")
NON_SPACE_RUN_AND_SPACE = re.compile(r"(?P<word>\S*)(?P<space>\s*)")

# A party and a state after a US politician's name: "R-Wis.", "D-N.Y.", "(D-Calif.)", "I-Vt".
PARTY_AFFILIATION = re.compile(r"^\(?[DRI]-[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)?\)?$")
