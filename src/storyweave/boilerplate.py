"""Finds boilerplate in an article's text (captions, credits, video and related links, labels,
sign-up lines, link lists, second copies of a passage): pure functions of the text, used by the
``clean`` stage (which flags what they find, never deleting it) and by the title reader.

Boilerplate is found line by line with patterns that need a cue at the start of a short line
(``Watch:``, ``Read more:``, ``©``) or a credit in parentheses, so an ordinary paragraph that merely
mentions "watch" or opens a quote with "See" is never flagged. Each flag covers exactly the
boilerplate text: the ``(Photo: …)`` credit inside a caption sentence, the whole ``Watch: …`` line.
The outlets an article credits are found by the next stage (``stages/cites.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from storyweave.lexicons import lexicon_lines, lexicon_rows

# --------------------------------------------------------------------------- boilerplate patterns

_WS = r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]"
#: A photo credit in parentheses or brackets: "(Picture: Agency)", "[Photo by Jane Roe]".
_PAREN_CREDIT = re.compile(
    rf"[(\[]{_WS}*(?:pictures?|photos?|photograph(?:s|y)?|images?|pic|illustration|video|credit|source)"
    rf"(?:{_WS}+credit)?{_WS}*(?::|by\b){_WS}*[^()\[\]\n]{{1,80}}[)\]]",
    re.I,
)
#: A short credit line: "© Agency", "Photo: Agency", "Image credit: …", "Copyright 2024 …".
_CREDIT_LINE = re.compile(
    rf"^(?:[©ⓒ]|\(c\){_WS}|copyright{_WS}+(?:[©ⓒ]|\(c\)|\d{{4}})|(?:photo(?:graph)?s?|pictures?|images?|illustration|credit|video)"
    rf"(?:{_WS}+credit)?{_WS}*(?::|by\b))",
    re.I,
)
#: "©" inside a caption line: from the sign to the end of the line ("Crews at work © Agency").
_INLINE_COPYRIGHT = re.compile(rf"©{_WS}*[^\n]{{1,60}}$")
#: Agency-style credit lines: a few capitalised words ending in "Images"/"Photos" ("Agency via X Images").
_AGENCY_CREDIT = re.compile(
    r"^(?:[A-Z][\w.&'-]*|via|for|and|/)(?:[\s\u00a0/]+(?:[A-Z][\w.&'-]*|via|for|and))*"
    r"[\s\u00a0/]+(?:Images|Photos|Pictures|Photography|Photo Agency)$"
)
#: Links to video, related or further reading, set off by a colon, bar or dash after the cue.
_LINK_LINE = re.compile(
    rf"^(?:watch|video|listen|read{_WS}+more|read{_WS}+also|also{_WS}+read|more|related(?:{_WS}+\w+){{0,2}}|"
    rf"see{_WS}+also|see{_WS}+more|don[’']?t{_WS}+miss|must{_WS}+read|"
    rf"recommended|more{_WS}+on{_WS}+this{_WS}+story|in{_WS}+pictures|live|explainer){_WS}*[:|–—]",
    re.I,
)
_UPPER_LINK = re.compile(r"^(?:WATCH|VIDEO|LISTEN|READ MORE|RELATED|MORE|SEE ALSO)\b")
_SIGNUP_LINE = re.compile(
    rf"^(?:sign{_WS}+up{_WS}+(?:for|to|here|now)|subscribe{_WS}+(?:to|now|here|for)|get{_WS}+our\b.*\bnewsletter|"
    rf"click{_WS}+here\b|download{_WS}+(?:the|our)\b.*\bapp\b|"
    rf"(?:enter|add){_WS}+your{_WS}+email|"
    rf"get{_WS}+[^.!?\n]{{0,60}}\b(?:in|to|into){_WS}+your{_WS}+inbox\b)",
    re.I,
)
#: A sign-up line may open with a short pitch set off by a colon or dash ("The week's best reads
#: in your inbox: sign up for ..."); it then has to speak of a mailing ("The mayor had one
#: message: sign up for the vaccine" is reporting).
_SIGNUP_PITCH = re.compile(rf"^[^:.!?\n]{{1,80}}[:–—]{_WS}*(?:sign{_WS}+up|subscribe)\b", re.I)
_MAILING = re.compile(r"\b(?:inbox|newsletters?|e-?mails?|briefing|bulletin|digest)\b", re.I)
#: "Follow us on Facebook, Instagram and X for breaking news": a follow line that names a platform.
_FOLLOW_US = re.compile(rf"^follow{_WS}+us{_WS}+on\b", re.I)
_SHARE_LINE = re.compile(
    rf"^(?:share{_WS}+(?:this|on|via|the)\b|share{_WS}*$|follow{_WS}+(?:us|@\S+|[A-Z][\w.]*(?:{_WS}+[A-Z][\w.]*)*"
    rf"{_WS}+on)\b|like{_WS}+us{_WS}+on\b|tweet{_WS}+this|email{_WS}+this|print{_WS}+this|copy{_WS}+link)",
    re.I,
)
_SOCIAL_WORDS = {
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "email",
    "e-mail",
    "reddit",
    "pinterest",
    "telegram",
    "print",
    "share",
    "copy",
    "link",
    "messenger",
    "bluesky",
    "threads",
    "comments",
    "tweet",
}
#: Social platforms a follow line names (words of _SOCIAL_WORDS such as "print" or "link" are not).
_PLATFORMS = frozenset(
    {"facebook", "twitter", "x", "linkedin", "whatsapp", "telegram", "bluesky", "threads", "instagram", "youtube"}
    | {"tiktok", "snapchat", "mastodon", "wechat", "weibo", "viber"}
)
_ADVERT_LINE = re.compile(r"^(?:advertisement|advert|sponsored(?: content)?|story continues (?:below|after).*)$", re.I)
#: Headings of link lists ("See also", "Related stories", "You may also like", "Tags"; see the lexicon),
#: or "More from X"/"More on X".
_FURNITURE_HEADINGS = frozenset(h.casefold() for h in lexicon_lines("furniture_headings.txt"))
_MORE_FROM = re.compile(
    r"^(?:more|most read|most popular|popular|trending|latest|top stories) (?:from|on|in|at|about) [\w\s'’.&-]{2,40}$",
    re.I,
)


def _is_nav_heading(line: str) -> bool:
    """A heading above a list of links: wiki-style ``== See also ==`` or a web page's "Related"."""
    core = line.strip("= ").rstrip(":.…").strip().casefold()
    return core in _FURNITURE_HEADINGS or bool(_MORE_FROM.match(core))


#: An item of a link list: a bullet, or a short line that does not end like a sentence (a headline
#: may end with "?"); link lists often close each item with a tag in brackets or a bar.
_LIST_ITEM_WORDS = 25
_ITEM_END = re.compile(r"[.!:;,]['\"’”]?$")
_ITEM_TAG = re.compile(r"(?:\s*\[[A-Z][A-Z ]{1,20}\])?\s*\|?\s*$")


def _is_link_item(line: str, n: int) -> bool:
    if _BULLET.match(line):
        return True
    core = _ITEM_TAG.sub("", line)
    return n <= _LIST_ITEM_WORDS and bool(core) and not _ITEM_END.search(core)


_HEADING = re.compile(r"^=+.*=+$")
_BULLET = re.compile(r"^(?:[-*•·▪–]|\d+[.)])\s+\S")
#: Section labels ("World", "Business") only stand above the headline, among the first lines.
_HEADER_LINES = 6
_SENTENCE_END = re.compile(r"[.!?:;,]['\"’”]?$")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each line with surrounding white space (Unicode included) trimmed."""
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            yield pos + lead, pos + lead + len(stripped)
        pos += len(raw) + 1


def _words(line: str) -> list[str]:
    return line.split()


def _is_headline_like(line: str) -> bool:
    words = _words(line)
    return 4 <= len(words) <= 25 and not _SENTENCE_END.search(line) and line[:1].isupper()


def boilerplate_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, reason)`` for every boilerplate stretch of ``text``, in text order."""
    lines = list(_lines(text))
    texts = [text[s:e] for s, e in lines]
    repeats = _repeated_copies(texts)
    found: list[tuple[int, int, str]] = []
    flagged: set[int] = set()  # indexes of lines flagged whole
    nav_section = False
    for index, (s, e) in enumerate(lines):
        line = texts[index]
        words = _words(line)
        n = len(words)
        if _HEADING.match(line) or (n <= 6 and _is_nav_heading(line)):
            nav_section = _is_nav_heading(line)
            if nav_section:
                found.append((s, e, "navigation heading"))
                flagged.add(index)
            continue
        if nav_section:
            if _is_link_item(line, n):
                found.append((s, e, "navigation list item"))
                flagged.add(index)
                continue
            nav_section = False
        reason = _line_reason(line, n) or _credit_or_syndication(line, n, index, len(lines))
        if reason:
            found.append((s, e, reason))
            flagged.add(index)
            continue
        credit_at_end = False
        for m in _PAREN_CREDIT.finditer(line):
            found.append((s + m.start(), s + m.end(), "photo credit"))
            credit_at_end = credit_at_end or not line[m.end() :].strip(" .\u00a0")
        inline = _INLINE_COPYRIGHT.search(line)
        if inline and inline.start() > 0:
            found.append((s + inline.start(), e, "photo credit"))
            credit_at_end = True
        if credit_at_end:
            found.append((s, e, "photo caption"))
            flagged.add(index)
            continue
        if index in repeats:
            found.append((s, e, repeats[index]))
            flagged.add(index)
            continue
        if _is_section_label(texts, index, flagged):
            found.append((s, e, "section label"))
            flagged.add(index)
    for index in _closing_link_list(texts, flagged):
        found.append((*lines[index], "related links list"))
    return sorted(found)


#: A list of links to other stories that closes a page: at least this many bullet items in a row,
#: each a headline of this many words, fewer than a third of them ending like a sentence, with at most
#: this many unflagged lines after it, following a paragraph (flagged lines aside). A list that a
#: heading of its own or a line ending in ":" introduces is the article's (its key points, its
#: steps), and so is one whose items end in full stops.
_CLOSING_LIST_ITEMS = 3
_CLOSING_ITEM_WORDS = (3, 25)
_CLOSING_SLACK = 2


def _closing_link_list(texts: list[str], flagged: set[int]) -> list[int]:
    """Indexes of the items of a closing list of links (see the constants above), or []."""
    tail = [i for i in range(len(texts)) if i not in flagged]
    for end in range(len(tail) - 1, max(-1, len(tail) - 2 - _CLOSING_SLACK), -1):
        run: list[int] = []
        k = end
        while k >= 0 and _BULLET.match(texts[tail[k]]):
            run.append(tail[k])
            k -= 1
        if len(run) < _CLOSING_LIST_ITEMS:
            continue
        before = texts[tail[k]] if k >= 0 else ""
        lo, hi = _CLOSING_ITEM_WORDS
        items = [texts[i] for i in run]
        if not _SENTENCE_END.search(before) or before.rstrip().endswith(":"):
            return []  # introduced by a heading of its own ("Qualified teams") or a colon: the article's list
        if not all(lo <= len(_words(t)) - 1 <= hi for t in items):
            return []
        if 3 * sum(bool(re.search(r"[.!]['\"’”]?$", t)) for t in items) >= len(items):
            return []
        return sorted(run)
    return []


def _is_section_label(texts: list[str], index: int, flagged: set[int]) -> bool:
    """A short label ("World", "Business") standing above the headline: among the first lines, with
    only boilerplate before it, not a list item, and followed by a longer headline-like line."""
    line = texts[index]
    n = len(_words(line))
    if index >= _HEADER_LINES or not 1 <= n <= 3 or len(line) > 30 or _SENTENCE_END.search(line):
        return False
    if _BULLET.match(line) or any(i not in flagged for i in range(index)):
        return False
    following = texts[index + 1] if index + 1 < len(texts) else ""
    return _is_headline_like(following) and len(_words(following)) > n


# --------------------------------------------------------------------------- repeated lines

#: A run of two or more lines that repeats an earlier run line for line is a second copy of a passage
#: (an extractor that returned the body twice, a block the page shows twice) when it holds at least
#: this many words; shorter runs are structure that legitimately recurs (a table's header row, a
#: label and its value). Chosen on the article-extraction dev pages, where no run under 20 words was
#: a copy of body text.
_PASSAGE_WORDS = 20
#: A single line repeated on its own is a second copy of a paragraph (a duplicated paragraph, a pull
#: quote printed whole) only when it is prose of at least this many words; shorter repeated lines
#: are mostly structure that recurs by design (an interviewer's question put to each guest, a
#: meal-plan line, a product blurb).
_PARAGRAPH_WORDS = 25
#: ... or when it reads like a caption and stands this close (in lines) to its earlier copy: one
#: picture's alternative text and its caption, printed one after the other.
_NEAR_COPY = 2
#: Earlier copies compared for each line: bounds the work on a page that repeats one line often.
_MAX_COPIES = 20
_WORD = re.compile(r"\w+")


def _repeated_copies(texts: list[str]) -> dict[int, str]:
    """Line index -> reason, for the later copies of repeated text; the first copy is always kept."""
    earlier: dict[str, list[int]] = {}
    out: dict[int, str] = {}
    j = 0
    while j < len(texts):
        seen = earlier.get(texts[j], [])
        length = 0
        for i in seen[-_MAX_COPIES:]:
            k = 0
            while j + k < len(texts) and i + k < j and texts[i + k] == texts[j + k]:
                k += 1
            if k > length:
                length = k
        words = sum(len(_WORD.findall(t)) for t in texts[j : j + length])
        if length >= 2 and words >= _PASSAGE_WORDS:
            for m in range(j, j + length):
                out[m] = "repeated passage"
                earlier.setdefault(texts[m], []).append(m)
            j += length
            continue
        if seen and _is_repeat_of_a_paragraph(texts[j], j - seen[-1]):
            out[j] = "repeated caption" if _looks_like_caption(texts[j]) else "repeated paragraph"
        earlier.setdefault(texts[j], []).append(j)
        j += 1
    return out


def _is_repeat_of_a_paragraph(line: str, gap: int) -> bool:
    """Whether a single line seen ``gap`` lines earlier is a redundant copy (see the constants above)."""
    if line.count("|") >= 2:  # a table row: tables repeat their header rows
        return False
    words = len(_WORD.findall(line))
    sentences = re.findall(r"[^.!?]+[.!?]*", line)
    if sentences and all(s.rstrip().endswith("?") for s in sentences if s.strip()):
        return False  # a question asked again (of the next guest, the next reader)
    if words >= _PARAGRAPH_WORDS and re.search(r"[.!?]['\"’”)]?$", line):
        return True
    return words >= 6 and gap <= _NEAR_COPY and _looks_like_caption(line)


def _line_reason(line: str, n: int) -> str | None:
    """The reason a whole line is boilerplate, or None."""
    if n <= 30 and (_LINK_LINE.match(line) or (_UPPER_LINK.match(line) and n <= 20 and _is_shouty_cue(line))):
        return "video or related link"
    credit = _CREDIT_LINE.match(line)
    if credit and n <= 12:
        cue = credit.group().lower()
        if cue.endswith(":") or cue.startswith(("©", "ⓒ", "(c)", "copyright")):
            return "copyright line" if "copyright" in cue or "rights reserved" in line.lower() else "photo credit"
        if n <= 6 and _is_name_run(line[credit.end() :]):
            return "photo credit"
    if n <= 8 and _AGENCY_CREDIT.match(line):
        return "photo credit"
    if n <= 30 and (_SIGNUP_LINE.match(line) or (_SIGNUP_PITCH.match(line) and _MAILING.search(line))):
        return "newsletter or sign-up line"
    if n <= 12 and (_SHARE_LINE.match(line) or _all_social(line)):
        return "share or follow line"
    if n <= 24 and _FOLLOW_US.match(line) and _names_platform(line):
        return "share or follow line"
    if n <= 8 and _ADVERT_LINE.match(line):
        return "advertisement marker"
    if n <= _COPYRIGHT_WORDS and _COPYRIGHT_YEAR.match(line):
        return "copyright line"
    if n <= _TIMESTAMP_WORDS and _TIMESTAMP.match(line) and re.search(r"\d", line):
        return "timestamp line"
    if n <= _DATETIME_WORDS and _CLOCK.search(line) and _YEAR.search(line) and not _ITEM_END.search(line):
        return "timestamp line"
    return _reader_address(line, n)


# --------------------------------------------------------------------------- lines addressed to the reader

#: "copyright Site 2019 - ISSN ...": a copyright notice with the year after the name.
_COPYRIGHT_YEAR = re.compile(r"^copyright\b.{0,60}?\b(?:19|20)\d\d\b", re.I)
_COPYRIGHT_WORDS = 14
#: "Updated at 1:23 p.m.", "Last updated: 12 May 2024 09:12": the page's own time stamp.
_TIMESTAMP = re.compile(r"^(?:last\s+)?(?:updated|modified|published|posted)(?:\s+(?:on|at))?\b\s*:?", re.I)
_TIMESTAMP_WORDS = 10
#: A short line holding a year and a clock time and nothing that ends a sentence is a time stamp in
#: any language ("22 de janeiro de 2018 às 0:13").
_DATETIME_WORDS = 8
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d\d(?!\d)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
#: Lines speaking to the reader about the site rather than reporting: a sign-up or subscription
#: pitch, a "click here", a contact line with an address or handle. Longer lines are reporting.
_ADDRESS_WORDS = 45
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_CONTACT_VERB = re.compile(r"\b(?:e-?mail|follow|reach(?:ed)?|contact|tweet|write to|tips?)\b", re.I)
_CLICK_HERE = re.compile(r"\bclick here\b", re.I)
#: "your inbox", "our newsletters", "your subscription": the site's mailing, addressed to the reader.
_READER_MAILING = re.compile(r"\b(?:your|our)\s+(?:\w+\s+){0,2}(?:inbox|newsletters?|subscriptions?)\b", re.I)
_SIGN_UP = re.compile(r"\b(?:subscribe|sign(?:ing)?[\s-]up)\b", re.I)
_READER = re.compile(r"\b(?:you|your|our|us)\b", re.I)
#: A labelled link ("More AP NBA: https://..."): at most this many words beside the addresses; a bare
#: address on its own line is often the content (a product list's links).
_LINK_LABEL_WORDS = 6
_INVITATION = re.compile(r"^(?:join\s+our|tell\s+us\s+what\s+you\s+think|(?:e-?mail|contact|write\s+to)\s+us)\b", re.I)
_THANKS_FOR = re.compile(r"^thanks?(?:\s+you)?\s+for\s+(?:signing\s+up|subscribing|registering)\b", re.I)
_WIDGET_TITLE = re.compile(r"^[^.!?]{0,40}\bnewsletters?$", re.I)
_URL = re.compile(r"https?://\S+|www\.\S+")
_QUOTES = set('"“”«»')


def _reader_address(line: str, n: int) -> str | None:
    """Why a line speaks to the reader about the site (sign up, click, follow, write to), or None.

    A line that quotes someone is reporting, whatever words it uses ("'Sign up now,' the mayor
    urged"); a contact line is the exception: an address or handle with a verb to use it."""
    if n > _ADDRESS_WORDS:
        return None
    if (_EMAIL.search(line) or _HANDLE.search(line) or _URL.search(line)) and _CONTACT_VERB.search(line):
        return "contact line"
    if _URL.search(line) and 1 <= len(_URL.sub(" ", line).split()) <= _LINK_LABEL_WORDS:
        return "web links line"
    if _QUOTES & set(line):
        return None
    if _CLICK_HERE.search(line) or _THANKS_FOR.match(line) or _INVITATION.match(line):
        return "newsletter or sign-up line"
    if not _BULLET.match(line) and (_READER_MAILING.search(line) or (_SIGN_UP.search(line) and _READER.search(line))):
        return "newsletter or sign-up line"
    if n <= 4 and _WIDGET_TITLE.match(line):
        return "newsletter or sign-up line"
    return None


# --------------------------------------------------------------------------- staff credits and syndication notes

#: Roles of a staff credit line, longest first so "additional reporting" wins over "reporting".
_CREDIT_ROLES = sorted(lexicon_lines("credit_roles.txt"), key=len, reverse=True)
_ROLE = "(?:" + "|".join(re.escape(r).replace(r"\ ", rf"{_WS}+") for r in _CREDIT_ROLES) + ")"
#: One credit: "Reporting by A B in City", "Reporting and writing by A B and C D".
_CREDIT_PART = re.compile(rf"^{_ROLE}(?:{_WS}*(?:,|and|&){_WS}*{_ROLE})*{_WS}+by{_WS}+(?P<names>\S.*)$", re.I)
#: Lower-case words a run of names and places may hold ("A B in City and C D", "de", "van").
_NAME_JOINERS = frozenset(
    {"and", "&", "in", "from", "at", "with", "staff", "de", "da", "del", "der", "van", "von", "al", "bin", "le", "la"}
)
#: A credit line has at most this many words (several credits joined by semicolons).
_CREDIT_WORDS = 60
#: "Jane Roe contributed to this report", "The Harbour Wire contributed reporting": names, then
#: the verb, and nothing after the report.
_CONTRIBUTED = re.compile(
    r"^(?:[A-Z][\w.'’-]*(?:\s+|,\s*|\s+and\s+))+contributed(?:\s+reporting)?(?:\s+to\s+this\s+(?:report|story|article))?$"
)
_CONTRIBUTED_WORDS = 20


def _syndication_pattern() -> re.Pattern[str]:
    rows = lexicon_rows("syndication_cues.txt")
    words = lambda kind: "|".join(v.replace(" ", rf"{_WS}+") for k, v in rows if k == kind)  # noqa: E731
    subject, cue = words("subject"), words("cue")
    return re.compile(rf"^(?:(?:{subject})\b[^.!?\n]{{0,80}}?\b(?:{cue})|(?:{cue}))\b", re.I)


#: A note that the text was published elsewhere first ("This story was first published by X ...").
_SYNDICATION = _syndication_pattern()
#: Such a note stands in its own paragraph among the first or the last lines of an article; in the
#: middle of a story the same words describe something the story reports.
_SYNDICATION_LEAD_LINES = 2
_SYNDICATION_TAIL_LINES = 3
_SYNDICATION_WORDS = 40
_WRAPPING = "()[]*_ \u00a0"


def _credit_or_syndication(line: str, n: int, index: int, total: int) -> str | None:
    """Why a whole line is a staff credit or a syndication note, or None. A credit line holds
    credits only ("Reporting by A B; Editing by C D"), each naming capitalised people or places
    ("Editing by hand is slow" names none); a syndication note is short, stands near the start or
    the end and says where the text first ran."""
    body = line.strip(_WRAPPING).rstrip(".").strip(_WRAPPING)
    if n <= _CREDIT_WORDS and body and all(_is_credit(part) for part in re.split(r"\s*[;|]\s*", body)):
        return "credit line"
    if n <= _CONTRIBUTED_WORDS and _CONTRIBUTED.match(body):
        return "credit line"
    near_edge = index < _SYNDICATION_LEAD_LINES or index >= total - _SYNDICATION_TAIL_LINES
    if near_edge and n <= _SYNDICATION_WORDS and _SYNDICATION.match(line.lstrip(_WRAPPING)):
        return "syndication note"
    return None


def _is_credit(part: str) -> bool:
    m = _CREDIT_PART.match(part)
    if m is None:
        return False
    words = m.group("names").replace(",", " ").split()
    return (
        bool(words) and words[0][:1].isupper() and all(w[:1].isupper() or w.casefold() in _NAME_JOINERS for w in words)
    )


def _is_name_run(rest: str) -> bool:
    """Capitalised words only, as in the "Jo Hart/Agency" after "Photo by"."""
    words = rest.replace("/", " ").split()
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() or w in ("via", "for", "and", "&") for w in words)


def _is_shouty_cue(line: str) -> bool:
    """An upper-case cue ("WATCH …") followed by more text, not an all-caps sentence."""
    first = line.split(None, 1)
    return len(first) == 2 and not first[1].isupper()


def _all_social(line: str) -> bool:
    tokens = [t.strip("|·•,/").lower() for t in line.split()]
    tokens = [t for t in tokens if t]
    return len(tokens) >= 2 and all(t in _SOCIAL_WORDS for t in tokens)


def _names_platform(line: str) -> bool:
    """The line names a social platform ("Facebook", "Instagram"), not just any "follow us on"."""
    words = {w.lower() for w in re.findall(r"[A-Za-z][\w-]*", line)}
    return bool(words & _PLATFORMS)


def _looks_like_caption(line: str) -> bool:
    """A caption describes a picture: no quotation and at most a couple of sentences."""
    return not any(q in line for q in '"“”') and len(re.findall(r"[.!?](?:\s|$)", line)) <= 2
