"""Boilerplate and metadata rules, kept as data.

Every rule has a comment naming the pattern it targets. The code that applies them
(extract.py, textdump.py, metadata.py) is generic; a new site's quirk belongs here,
and only if it generalises beyond one site.
"""

# ---------------------------------------------------------------------------
# HTML boilerplate (applied by extract.py)
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Plain-text dumps (applied by textdump.py)
# ---------------------------------------------------------------------------
# Phrases are per language; each list is matched case-insensitively against a WHOLE line
# (after trimming), so a body sentence that merely contains the words is never touched.

# Header lines carrying the publication date, "<label>: <date>", e.g. "Publication: 15.01.2024 - 11:33".
DUMP_PUBLISHED_LABELS = [
    "publication", "published", "published on", "posted", "posted on", "date",  # en
    "yayın", "yayın tarihi", "yayınlanma", "yayınlanma tarihi", "tarih",  # tr
    "veröffentlicht", "veröffentlicht am", "datum",  # de
    "publié", "publié le", "date de publication",  # fr
    "publicado", "publicado el", "fecha",  # es
    "pubblicato", "pubblicato il", "data",  # it
    "опубликовано", "дата публикации",  # ru
]
# Header lines carrying the last-modified date, e.g. "Updated: 15.01.2024 - 12:10".
DUMP_MODIFIED_LABELS = [
    "updated", "last updated", "modified", "last modified", "update",  # en
    "güncelleme", "güncellenme", "son güncelleme", "güncelleme tarihi",  # tr
    "aktualisiert", "aktualisiert am", "zuletzt aktualisiert",  # de
    "mis à jour", "mis à jour le", "modifié le",  # fr
    "actualizado", "actualizado el", "última actualización",  # es
    "aggiornato", "aggiornato il", "ultimo aggiornamento",  # it
    "обновлено",  # ru
]
# Byline lines, "<label> <name>" e.g. "By Jane Doe" / "Yazar: Ali Veli".
DUMP_BYLINE_LABELS = [
    "by", "author", "written by", "reporter",  # en
    "yazar", "muhabir",  # tr
    "von", "autor", "autorin",  # de
    "par", "auteur",  # fr
    "por", "autor",  # es
    "di", "autore",  # it
    "автор",  # ru
]
# Whole lines made only of these widget labels are dropped: follow/subscribe/share buttons,
# e.g. "Abone Ol google-news" (Turkish "Subscribe" + a Google News follow button).
DUMP_WIDGET_PHRASES = [
    "google-news", "google news", "follow us on google news", "follow us", "subscribe",
    "share", "share this", "share on facebook", "share on twitter", "tweet", "print", "email",
    "e-mail", "copy link", "link copied", "facebook", "twitter", "x", "whatsapp", "telegram",
    "linkedin", "pinterest", "reddit", "advertisement", "sponsored", "listen", "listen to this article",
    "abone ol", "takip et", "paylaş", "yazdır", "reklam", "haberi paylaş",  # tr
    "abonnieren", "teilen", "drucken", "anzeige", "werbung", "folgen",  # de
    "s'abonner", "abonnez-vous", "partager", "imprimer", "publicité", "suivre",  # fr
    "suscríbete", "suscribirse", "compartir", "imprimir", "publicidad", "seguir",  # es
    "iscriviti", "condividi", "stampa", "pubblicità", "segui",  # it
    "подписаться", "поделиться", "реклама",  # ru
]
# Headings of the trailing link lists ("Most Read News", "Related News"...): the line and
# everything after it are dropped, since dumps put these lists after the article.
DUMP_TRAILER_HEADINGS = [
    "most read", "most read news", "most popular", "most viewed", "related news", "related articles",
    "related stories", "related", "read more", "read next", "more stories", "more news",
    "you may also like", "you might also like", "recommended", "recommended for you",
    "trending", "trending now", "latest news", "comments",  # en
    "en çok okunan", "en çok okunan haberler", "çok okunanlar", "ilgili haberler", "benzer haberler",
    "diğer haberler", "son dakika haberleri", "yorumlar",  # tr
    "meistgelesen", "meistgelesene artikel", "mehr zum thema", "das könnte sie auch interessieren",
    "weitere artikel", "kommentare",  # de
    "les plus lus", "à lire aussi", "sur le même sujet", "articles similaires", "commentaires",  # fr
    "lo más leído", "noticias relacionadas", "te puede interesar", "comentarios",  # es
    "i più letti", "più letti", "articoli correlati", "potrebbe interessarti", "commenti",  # it
    "самое читаемое", "читайте также", "похожие новости", "комментарии",  # ru
]


# ---------------------------------------------------------------------------
# Metadata (applied by metadata.py and dates.py)
# ---------------------------------------------------------------------------

# Month names (and common abbreviations) per language, mapped to numbers so dateutil
# can read "15 Ocak 2024" or "15. Januar 2024" and a date is known to be complete.
MONTH_NAMES = {
    # en
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # tr
    "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7,
    "ağustos": 8, "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
    # de
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7,
    "oktober": 10, "dezember": 12,
    # fr
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    # es
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # it
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
    "settembre": 9, "ottobre": 10, "dicembre": 12,
    # ru (genitive, as used in dates)
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
# Weekday names are noise in a date string ("Pazartesi, 15 Ocak 2024").
WEEKDAY_NAMES = [
    "pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", "pazar",  # tr
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",  # de
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",  # fr
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",  # es
    "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica",  # it
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",  # en
    "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
]
# A publication date outside these years is a parsing accident (or a cookie expiry).
DATE_MIN_YEAR = 1990
DATE_MAX_YEARS_AHEAD = 1
