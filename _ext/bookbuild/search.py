"""Search that finds what readers type: Korean terms whatever their spacing, particles or
endings, and in both editions the page *about* a term above pages that only mention it.

Matching (Korean edition). Korean readers write compounds both ways (합성곱 신경망,
합성곱신경망), attach particles (신경망은, 신경망을) and inflect verbs (학습합니다,
학습시키는); Sphinx's search matches whole words, so each of those misses. Here a run of
Hangul words is cut free of its particles and endings and reduced to syllable bigrams:

- at build time, :class:`SearchKorean` indexes a text's runs across the spaces between
  its words (so 합성곱 신경망 also yields 곱신), plus every syllable (so that a
  one-syllable query such as 층 finds its pages);
- in the reader's browser, the same rules, written out as JavaScript from the same
  tables by :func:`javascript_splitter`, turn the query into bigrams; a space the reader
  typed ends a run, so 강화 학습 finds a page that writes 강화학습, and 합성곱신경망 finds
  one that writes 합성곱 신경망.

A person or system is found by any of the spellings Korean writers use: the other spellings
of ``book/names.csv`` (힌튼, 로젠블라트, 프랑크 로젠블라트) become, word by word, the book's own
(힌턴, 로젠블랫, 프랭크 로젠블랫) in :func:`normalize`, at build time and in the browser alike.

Latin words (ReLU, XOR) stay whole words, lower-cased. :func:`query_terms` is the
Python twin of the JavaScript, which a test holds them to.

Ranking (both editions). Sphinx scores a page by its best single word, so a page that
mentions each word of a multi-word term once ties with the chapter about it.
:func:`phrase_counts` counts, per page, every phrase of one to three words (Korean
phrases without their spaces and particles); the build writes, for each phrase, the
pages that use it most (``_static/book-search-rank.js``, loaded by the search page
only), and that script's ``Scorer.score`` lifts those pages when the query is such a
phrase. A glossary term is an index entry twice, in the glossary and at its first use in the
chapter that teaches it (``backmatter.LinkFirstUses``), and the glossary's results lose
:data:`GLOSSARY_PENALTY`: the chapter comes first, the entry that names the idea after it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

from bookbuild.editions import edition

# ------------------------------------------------------------------ the rules
#: Particles (조사); the longest that fits is cut from the end of a word.
PARTICLES = (
    "은 는 이 가 을 를 의 에 에서 에게 께 으로 로 와 과 도 만 부터 까지 보다 처럼 마다 "
    "으로서 로서 으로써 로써 이나 나 이란 란 이라는 라는 이라고 라고 "
    "과의 와의 에서의 으로의 로의 에의 에는 에도 에서는 에서도 으로는 로는 으로도 로도 까지의 부터는 "
    "이며 이고 이다 입니다 이지만 이라 이므로 이면 인 이었습니다 였습니다 였다 이었다"
).split()
#: Endings of verbs and adjectives (어미), with 하다, 되다 and 시키다.
ENDINGS = (
    "합니다 했습니다 하였습니다 한다 했다 하는 하고 하며 하면 하여 해서 해야 하기 하지 한 할 해 "
    "하도록 하려면 하므로 하지만 했고 했으며 하던 할수록 "
    "시킵니다 시켰습니다 시키는 시키고 시키며 시키면 시켜 시켜서 시킨 시킬 시키기 "
    "됩니다 되었습니다 됐습니다 된다 되는 되고 되며 되면 되어 돼 된 될 되기 되지 "
    "습니다 는다 었다 았다 었습니다 았습니다 적인 적으로"
).split()
SUFFIXES = tuple(sorted(set(PARTICLES) | set(ENDINGS), key=lambda s: (-len(s), s)))
#: One-syllable suffixes that also end common two-syllable nouns (제한, 인간, 고전, 만만):
#: cut only from words of three syllables or more.
WEAK = ("한", "할", "해", "된", "될", "돼", "인", "만", "나", "란", "께")

HANGUL = "\uac00-\ud7a3"
NAMES_CSV = Path(__file__).resolve().parents[2] / "book" / "names.csv"


def spelling_table(path: Path = NAMES_CSV) -> dict[str, str]:
    """Each word of another spelling of a name -> the word of the book's spelling it stands for.

    A variant of several words is paired word by word with the main form, each word with the
    main word it shares most syllables with (쿠니히코 후쿠시마 -> 후쿠시마 구니히코); words the
    two share are left alone.
    """
    import csv

    table: dict[str, str] = {}
    if not path.is_file():
        return table
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            main = (row.get("한국어") or "").split()
            for variant in (row.get("Other spellings / 다른 표기") or "").split(";"):
                for word in variant.split():
                    if word in main or not main:
                        continue
                    shared = [(len(set(word) & set(m)), -abs(len(word) - len(m)), m) for m in main]
                    table.setdefault(word, max(shared)[2])
    return table


SPELLINGS = spelling_table()


def latin_names(path: Path = NAMES_CSV) -> dict[str, str]:
    """The Latin short form of each name, lower-cased -> its Hangul short form (hinton -> 힌턴)."""
    import csv

    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as f:
        return {row["Short"].strip().lower(): row["짧게"].strip() for row in csv.DictReader(f)
                if re.fullmatch(r"[A-Za-z]+", (row.get("Short") or "").strip())}


#: A page that writes Hinton is indexed under 힌턴 too (the chapters give the Hangul form only at
#: a name's first mention), so that a Korean query finds and ranks the pages about a person.
LATIN_NAMES = latin_names()


def _with_hangul_names(runs):
    for kind, value in runs:
        yield kind, value
        if kind == "latin" and value in LATIN_NAMES:
            yield "hangul", LATIN_NAMES[value]
_PUNCTUATION = re.compile(r"[^\w\s]+")
_PIECES = re.compile(rf"[{HANGUL}]+|[^\W{HANGUL}]+")
_IS_HANGUL = re.compile(rf"[{HANGUL}]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")


def normalize(word: str) -> str:
    """A Hangul word without its particle or ending (one cut, the longest that fits), in the
    book's spelling if it is another spelling of a name (힌튼은 -> 힌턴)."""
    if word in SPELLINGS:
        return SPELLINGS[word]
    for suffix in SUFFIXES:
        if len(word) - len(suffix) >= (2 if suffix in WEAK else 1) and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return SPELLINGS.get(word, word)


def _grams(joined: str) -> list[str]:
    if len(joined) == 1:
        return [joined]
    return [joined[i : i + 2] for i in range(len(joined) - 1)]


def _runs(text: str, *, across_spaces: bool, raw: bool = False):
    """Yield ``("hangul", joined_run)`` and ``("latin", word)`` in the order of ``text``.

    ``raw`` keeps particles and endings (the index records both forms, so that a
    compound typed without spaces, 제한볼츠만머신, matches the text as written).
    """
    for segment in _PUNCTUATION.split(text):
        run: list[str] = []
        for token in segment.split():
            if run and not across_spaces:
                yield "hangul", "".join(run)
                run = []
            for position, piece in enumerate(_PIECES.findall(token)):
                if _IS_HANGUL.fullmatch(piece):
                    if position > 0 and piece in SUFFIXES:
                        continue  # the particle of a Latin word: XOR는, ReLU의
                    run.append(piece if raw else normalize(piece))
                else:
                    if run:
                        yield "hangul", "".join(run)
                        run = []
                    yield "latin", piece.lower()
        if run:
            yield "hangul", "".join(run)


def index_terms(text: str) -> list[str]:
    """What the index records for ``text``: bigrams of runs across spaces, syllables, Latin words."""
    found: list[str] = []
    for kind, value in _with_hangul_names(_runs(text, across_spaces=True)):
        if kind == "latin":
            found.append(value)
        else:
            found += _grams(value)
            if len(value) > 1:
                found += list(value)
    for kind, value in _runs(text, across_spaces=True, raw=True):
        if kind == "hangul":
            found += _grams(value)
    return found


def query_terms(query: str) -> list[str]:
    """What a query looks up (the Python twin of :func:`javascript_splitter`)."""
    found: list[str] = []
    for kind, value in _runs(query, across_spaces=False):
        if kind == "hangul":
            found += _grams(value)
        elif len(value) > 1:  # the index keeps no one-letter Latin words (Q-러닝 looks up 러닝)
            found.append(value)
    return found


class SearchKorean(SearchLanguage):
    """Sphinx's search language for ``ko``: see the module's docstring."""

    lang = "ko"
    language_name = "Korean"
    js_stemmer_rawcode = ""
    stopwords = set()

    def __init__(self, options: dict) -> None:
        super().__init__(options)
        self.js_splitter_code = javascript_splitter()

    def split(self, input: str) -> list[str]:  # noqa: A002 (Sphinx's signature)
        return index_terms(input)

    def word_filter(self, word: str) -> bool:
        return len(word) > 1 or bool(_IS_HANGUL.fullmatch(word))

    def stem(self, word: str) -> str:
        return word.lower()


_JS_RULES = """
const KO_SUFFIXES = {suffixes};
const KO_WEAK = {weak};
const KO_SPELLINGS = {spellings};
const koSpelling = (word) => (Object.hasOwn(KO_SPELLINGS, word) ? KO_SPELLINGS[word] : word);
const koNormalize = (word) => {{
  if (Object.hasOwn(KO_SPELLINGS, word)) return KO_SPELLINGS[word];
  for (const suffix of KO_SUFFIXES) {{
    const keep = KO_WEAK.includes(suffix) ? 2 : 1;
    if (word.length - suffix.length >= keep && word.endsWith(suffix)) return koSpelling(word.slice(0, -suffix.length));
  }}
  return koSpelling(word);
}};
// [["hangul", run] | ["latin", word]] in the order of the text; mirrors _runs() in bookbuild/search.py
const koRuns = (text, acrossSpaces) => {{
  const runs = [];
  for (const segment of text.split(/[^\\p{{L}}\\p{{N}}_\\s]+/u)) {{
    let run = [];
    for (const token of segment.split(/\\s+/u).filter((t) => t)) {{
      if (run.length && !acrossSpaces) {{ runs.push(["hangul", run.join("")]); run = []; }}
      const pieces = token.match(/[\\uac00-\\ud7a3]+|(?:(?![\\uac00-\\ud7a3])[\\p{{L}}\\p{{N}}_])+/gu) || [];
      pieces.forEach((piece, position) => {{
        if (/^[\\uac00-\\ud7a3]+$/u.test(piece)) {{
          if (position > 0 && KO_SUFFIXES.includes(piece)) return;
          run.push(koNormalize(piece));
        }} else {{
          if (run.length) {{ runs.push(["hangul", run.join("")]); run = []; }}
          runs.push(["latin", piece.toLowerCase()]);
        }}
      }});
    }}
    if (run.length) runs.push(["hangul", run.join("")]);
  }}
  return runs;
}};
const koGrams = (joined) => {{
  if (joined.length === 1) return [joined];
  const grams = [];
  for (let i = 0; i + 1 < joined.length; i++) grams.push(joined.slice(i, i + 2));
  return grams;
}};
"""


def javascript_splitter() -> str:
    """``splitQuery`` for Sphinx's searchtools.js: :func:`query_terms` in JavaScript."""
    return _JS_RULES.format(
        suffixes=json.dumps(list(SUFFIXES), ensure_ascii=False), weak=json.dumps(list(WEAK), ensure_ascii=False),
        spellings=json.dumps(SPELLINGS, ensure_ascii=False, sort_keys=True),
    ) + """
var splitQuery = (query) =>
  koRuns(query, false).flatMap(([kind, value]) =>
    kind === "hangul" ? koGrams(value) : value.length > 1 ? [value] : []);
"""


# ------------------------------------------------------------------ ranking
def _english_stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def phrase_words(text: str, lang: str) -> list[list[str]]:
    """The text as sequences of comparable words (no phrase crosses punctuation)."""
    if lang == "ko":
        sequences = []
        for segment in _PUNCTUATION.split(text):
            words = [value for kind, value in _with_hangul_names(_runs(segment, across_spaces=False))]
            if words:
                sequences.append(words)
        return sequences
    return [
        [_english_stem(w) for w in _LATIN_WORD.findall(segment)]
        for segment in re.split(r"[^\w\s'-]+", text)
    ]


def phrase_key(words: list[str], lang: str) -> str:
    """Korean phrases join without spaces (합성곱신경망), English ones with one."""
    return ("" if lang == "ko" else " ").join(words)


def phrase_counts(text: str, lang: str, longest: int = 3) -> Counter:
    """How often each phrase of one to ``longest`` words occurs in ``text``."""
    counts: Counter = Counter()
    for words in phrase_words(text, lang):
        for n in range(1, longest + 1):
            for i in range(len(words) - n + 1):
                counts[phrase_key(words[i : i + n], lang)] += 1
    return counts


def _prose(doctree: nodes.document) -> str:
    """The text a reader reads: no code, no outputs, no math."""
    parts = []
    for node in doctree.findall(nodes.Text):
        if node.parent is not None and any(
            isinstance(a, (nodes.literal_block, nodes.math, nodes.math_block, nodes.raw, nodes.comment))
            for a in _ancestors(node)
        ):
            continue
        parts.append(node.astext())
    return "\n".join(parts)


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def rank_table(texts: dict[str, str], lang: str, *, per_phrase: int = 3, minimum: int = 2) -> dict:
    """For each phrase used at least ``minimum`` times on some page, its pages by use.

    Returns ``{"docs": [docname, ...], "phrases": {phrase: [[doc_index, count], ...]}}``,
    best page first, at most ``per_phrase`` pages per phrase.
    """
    docs = sorted(texts)
    counts = {doc: phrase_counts(texts[doc], lang) for doc in docs}
    table: dict[str, list[tuple[int, int]]] = {}
    for index, doc in enumerate(docs):
        for phrase, count in counts[doc].items():
            if count >= minimum and len(phrase) > 1:
                table.setdefault(phrase, []).append((index, count))
    phrases = {
        phrase: [list(entry) for entry in sorted(entries, key=lambda e: (-e[1], e[0]))[:per_phrase]]
        for phrase, entries in sorted(table.items())
    }
    return {"docs": docs, "phrases": phrases}


_SCORER = """
// Sphinx's scores (searchtools.js), plus Scorer.score: a page that uses the query as a
// phrase often is lifted above pages that only contain its words. Written by bookbuild/search.py.
const BOOK_RANK = {table};
const GLOSSARY_PENALTY = {glossary_penalty};
const BOOK_LANG = {lang};
// [the query as one phrase, its words], in the form phrase_words() gives the pages' text
const bookQueryKey = () => {{
  const query = new URLSearchParams(window.location.search).get("q") || "";
  if (BOOK_LANG === "ko") {{
    const words = koRuns(query, false).map(([, value]) => value);
    return [words.join(""), words];
  }}
  const words = (query.toLowerCase().match(/[a-z][a-z0-9_'-]*/g) || []).map(
    (w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w));
  return [words.join(" "), words];
}};
var Scorer = {{
  score: (result) => {{
    const [docname, , , , score] = result;
    const [phrase, words] = bookQueryKey();
    // how much docname uses key, relative to the page that uses it most (0 if not among the top pages)
    const use = (key) => {{
      const entries = BOOK_RANK.phrases[key];
      if (!entries) return 0;
      const found = entries.find(([index]) => BOOK_RANK.docs[index] === docname);
      return found ? found[1] / entries[0][1] : 0;
    }};
    const wordsUse = words.length ? words.reduce((sum, word) => sum + use(word), 0) / words.length : 0;
    // a list of pages (the book's or the gallery's index) comes after the pages it lists
    const listing = /(^|\\/)index$/.test(docname) ? -10 : 0;
    // the glossary names an idea, a chapter teaches it: the teaching chapter's first use of a term
    // is a main index entry like the glossary's, and the glossary gives up more than any phrase
    // bonus (at most 20 + 10), so that the chapter always comes first
    const naming = /(^|\\/)glossary$/.test(docname) ? -(GLOSSARY_PENALTY) : 0;
    return score + (words.length > 1 ? 20 * use(phrase) : 0) + 10 * wordsUse + listing + naming;
  }},
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {{ 0: 15, 1: 5, 2: -5 }},
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
}};
"""

RANK_SCRIPT = "book-search-rank.js"
#: What the glossary's results lose: more than the largest phrase bonus of ``Scorer.score`` (20 + 10).
GLOSSARY_PENALTY = 31


def write_rank_script(app: Sphinx, exception: BaseException | None) -> None:
    """Count each page's phrases and write the search page's scorer into ``_static``."""
    if exception is not None or app.builder.format != "html":
        return
    lang = edition(app.config.language).code
    texts = {docname: _prose(app.env.get_doctree(docname)) for docname in sorted(app.env.found_docs)}
    table = rank_table(texts, lang)
    # (the Korean rules, koRuns among them, are in language_data.js, which the search page loads)
    script = _SCORER.format(
        table=json.dumps(table, ensure_ascii=False, separators=(",", ":")), lang=json.dumps(lang),
        glossary_penalty=GLOSSARY_PENALTY,
    )
    target = Path(app.outdir) / "_static" / RANK_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script, encoding="utf-8")


def add_rank_script(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Only the search page loads the scorer (it is the only page that ranks results)."""
    if pagename == "search":
        app.add_js_file(RANK_SCRIPT, priority=100)


def keep_index_entries(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Keep the index entries of the pages a rebuild does not write.

    Sphinx (9.0) reloads the previous ``searchindex.js`` for those pages but not its index
    entries, so after an incremental build the search lost every glossary and chapter entry
    (and with them the teaching chapter's lead over the glossary). Before the first page is
    written, the entries of every page not yet indexed in this build are taken from the file;
    a page that is written replaces its own.
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None or getattr(indexer, "_book_entries_kept", False):
        return
    indexer._book_entries_kept = True
    path = Path(app.outdir) / "searchindex.js"
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    try:
        frozen = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    except ValueError:
        return
    docnames = frozen.get("docnames", [])
    kept: dict[str, list[tuple[str, str, str]]] = {}
    for entry, found in frozen.get("indexentries", {}).items():
        for doc, anchor, main in found:
            kept.setdefault(docnames[doc], []).append((entry, anchor, "main" if main else ""))
    for docname, entries in kept.items():
        if docname in app.env.all_docs and docname not in indexer._index_entries:
            indexer._index_entries[docname] = sorted(entries)


def rules_digest() -> str:
    """Changes whenever this module (its rules, splitter or scorer) changes.

    Registered as an ``html`` config value, so that a change writes (and re-indexes)
    every page: Sphinx otherwise keeps the old index for the pages it does not write.
    """
    import hashlib

    names = NAMES_CSV.read_bytes() if NAMES_CSV.is_file() else b""  # its spellings are rules too
    return hashlib.sha256(Path(__file__).read_bytes() + names).hexdigest()[:16]
