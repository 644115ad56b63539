"""Boilerplate and metadata rules, kept as data.

Every rule has a comment naming the pattern it targets. The code that applies them
(extract.py, textdump.py, metadata.py) is generic; a new site's quirk belongs here,
and only if it generalises beyond one site.
"""

# ---------------------------------------------------------------------------
# HTML boilerplate (applied by extract.py)
# ---------------------------------------------------------------------------
# Class/id values are matched as lower-cased "class id" strings; phrase patterns are
# matched against the whole (whitespace-collapsed) text of a short block. Each family
# has a stable name: it is the rule name recorded in the CleaningReport.

# Elements that never carry article text: scripts, styles, embeds, form controls, vector art.
HTML_JUNK_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "canvas", "audio", "video", "map", "button", "input", "select",
    "textarea", "label", "option", "dialog", "link", "meta", "base",
)

# Form controls that broken pages leave unclosed around real text: unwrapped, not
# dropped, when they hold more than HTML_CONTROL_MAX_CHARS characters.
HTML_CONTROL_TAGS = ("button", "label", "select", "option", "textarea")
HTML_CONTROL_MAX_CHARS = 200
# Tracking pixels: an <img> whose width or height attribute is at most this many pixels.
HTML_TRACKING_PIXEL_MAX_PX = 2
# Tracking pixels by address, whatever size they claim: analytics beacons ("facebook.com/tr",
# "pixel.wp.com", "/b/ss/" Adobe), ad and audience counters, and files named as pixels or
# spacers ("1x1.gif", "spacer.png", "/pixel?", "beacon.gif").
HTML_TRACKER_IMAGE = (
    r"(?:^|[/.])(?:doubleclick\.net|google-analytics\.com|googletagmanager\.com|scorecardresearch\.com|"
    r"quantserve\.com|pixel\.wp\.com|pixel\.quantcount\.com|bat\.bing\.com|analytics\.twitter\.com|"
    r"ping\.chartbeat\.net|pixel\.parsely\.com|sb\.scorecardresearch\.com|ad\.doubleclick\.net)/"
    r"|facebook\.com/tr[/?]|/b/ss/"
    r"|/(?:1x1|pixel|spacer|blank|beacon|tracking|tracker|transparent)(?:\.(?:gif|png)|[/?]|$)"
)
# Image-only links to a subscription, newsletter or donation page: a promotional banner.
HTML_PROMO_LINK = r"(?:^|[/?#=._-])(?:subscribe|subscription|newsletters?|donate|donations?|membership|support-us|abonnieren|abonnement|abonnez|suscripci[oó]n|abone)(?:$|[/?#=._-])"

# Code and preformatted text: taken as a whole, never searched for boilerplate inside
# (syntax highlighters tag code with "hljs-comment", "token tag", "meta" classes).
HTML_VERBATIM_TAGS = ("pre",)

# Page chrome by tag: site navigation, page banner/footer, side rails.
# <header>/<footer> inside an article are bylines and tag lists, never body text.
HTML_CHROME_TAGS = {
    "nav": "navigation",
    "header": "header",
    "footer": "footer",
    "aside": "aside",
}

# ARIA landmark roles of page chrome (role="navigation" etc.).
HTML_CHROME_ROLES = {
    "navigation": "navigation",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "menu": "navigation",
    "menubar": "navigation",
    "search": "navigation",
    "dialog": "consent-banner",
    "alertdialog": "consent-banner",
}

# Boilerplate families by class/id tokens. Matched at token boundaries of
# "class id" (tokens split on space, "-", "_" and camelCase humps are lower-cased,
# so "relatedStories" and "related-stories" both match "related").
HTML_BOILERPLATE_CLASSES = {
    # site menus, breadcrumbs, pagination, skip links
    "menu": r"nav|navbar|navigation|menu|menus|submenu|breadcrumbs?|pagination|pager|"
            r"skip|skiplink|masthead|topbar|toolbar|sitemap|megamenu|hamburger|drawer",
    # site header/footer blocks (also "site-header", "global-footer", "colophon")
    # (and in other languages: pt "cabecalho"/"rodape", es "cabecera"/"pie-pagina", de "kopfzeile"/"fusszeile")
    "site-header": r"header|site-header|banner|branding|logo|cabecalho|cabecera|kopfzeile|entete",
    "site-footer": r"footer|colophon|copyright|legal|rodape|pie-pagina|pie-de-pagina|fusszeile|pied-de-page",
    # side rails and widgets
    "sidebar": r"sidebar|side-bar|rail|widget-area|sidebar-widget|aside|secondary|barra-lateral|"
               r"seitenleiste|lateral",
    # share bars / social buttons ("share-tools", "social-links", "sharing")
    "share-bar": r"share\w*|sharing|social\w*|addthis|sharethis|shareaholic|"
                 r"facebook|whatsapp|linkedin|pinterest|print-button|print-link|printer|"
                 r"bookmark|save-article",
    # "Related", "Most read", "Recommended", "Read more", "More from", trending and teaser lists
    "related-list": r"related|recommended|recommendations|recommend|recirc|recirculation|"
                    r"mostread|most-read|most-popular|popular|trending|more-stories|"
                    r"more-from|read-more|readmore|read-next|next-article|also-read|"
                    r"outbrain|taboola|teaser|teasers|promo|promos|upnext|up-next|you-may-like|"
                    r"jump-link|see-also|further-reading|tags|tag-list|tagcloud|topics|keywords|"
                    # previous/next story links and recent-posts lists
                    r"next-prev|prev-next|post-navigation|post-nav|next-post|prev-post|previous-post|"
                    r"adjacent-posts?|recent-posts?|latest-posts?|latest-news|more-news|row-recent|"
                    # ... in other languages (pt/es "relacionados", de "verwandte", fr "similaires")
                    r"relacionad[oa]s|noticias-relacionadas|verwandte|similaires|lies-auch|leia-tambem",
    # newsletter / subscription / paywall prompts, "follow us on Google News"
    "subscribe": r"newsletter|newsletters|subscribe|subscription|subscriptions|signup|sign-up|"
                 r"regwall|membership|follow|follow-us|donate|donation|cta|"
                 r"inline-cta|optin|opt-in|app-download|register",
    # cookie and consent banners (CMP vendors included; a bare "cmp" word, not the "cmp-" prefix
    # Adobe Experience Manager's core components put on every block: "cmp-text", "cmp-container")
    "consent-banner": r"cookie|cookies|consent|gdpr|onetrust|cmp(?=$|\s)|cookiebar|privacy-banner|"
                      r"didomi|truste|qc-cmp|notice-banner|popup",
    # ads and sponsored blocks ("ad-slot", "dfp", "adsbygoogle", "sponsored-content")
    "ads": r"ad|ads|adv|advert|advertisement|advertising|adslot|ad-slot|ad-container|adsbygoogle|"
           r"dfp|gpt|banner-ad|sponsor|sponsored|sponsors|partner|partners|commercial|"
           r"native|affiliate|dianomi|mpu|leaderboard|billboard|skyscraper|taboola",
    # photo galleries, slideshows and carousels: widgets beside the story, with their own
    # captions, counters and controls (a story's own pictures are <figure>s)
    "gallery": r"gallery|galleries|resgallery|slideshow|slide-show|carousel|slider|swiper|"
               r"lightbox|photo-viewer|media-viewer",
    # reader comments and comment counts
    # ("comments-open", "has-comments": WordPress state classes on article wrappers, kept)
    "comments": r"(?<!has-)(?<!no-)comments?(?!-(?:open|closed|enabled|disabled))|commentlist|"
                r"disqus|discussion|respond|reply|replies|talk|conversation|livefyre|coral|vuukle|"
                r"comentarios|kommentare|commentaires|yorumlar",
    # author bio boxes (not the byline: both go, the byline is metadata)
    "author-bio": r"author-bio|author-box|authorbox|about-author|author-info|bio|biography|"
                  r"byline|author|authors|contributor|meta|post-meta|entry-meta|article-meta|"
                  r"dateline|timestamp|published|date",
    # image credits set apart from the caption ("photo-credit", "image-source")
    "image-credit": r"credit|credits|photo-credit|image-credit|copyright-notice|source-credit",
}

# Credits inside a <figure> belong to its caption and stay with it (the families above and the
# phrase families below drop them elsewhere: a lone "Photo: AP" line).
HTML_CAPTION_KEPT_FAMILIES = ("image-credit", "photo-credit")
# An image in a captioned figure whose alt text is mostly (this share of its words) in the
# caption gets an empty alt: the caption beside it already says it, and the placeholder of an
# image not kept would show the same words twice.
HTML_ALT_IN_CAPTION_SHARE = 0.8

# Guards against a family misfiring on a site (see extract._drop_boilerplate): an element
# holding more than the first share of the page's paragraph text is spared, and a family
# whose hits together hold more than the second is skipped on that page. None: no guard.
HTML_FAMILY_GUARDS = {
    "default": (0.5, 0.5),
    "comments": (None, None),   # a long comment thread outweighs the article
    "hidden": (None, 0.8),      # hidden copies of the article are common; a page hiding
                                # nearly all its text reveals it with scripts
    # chrome by tag or ARIA role: a long sidebar may outweigh a short article
    "navigation": (None, 0.8),
    "header": (None, 0.8),
    "footer": (None, 0.8),
    "aside": (None, 0.8),
}

# Class words that are data, not layout: WordPress post classes name the post's
# categories, tags and formats ("category-native-advertising", "tag-comments").
HTML_IGNORED_CLASS_WORDS = r"(?:category|tag|format|status|type|postid|post-format)-\S*"

# Whole class words of text the page never shows (screen-reader-only, hidden states);
# "overflow-hidden" or "hidden-xs" (hidden on small screens only) do not match.
HTML_HIDDEN_CLASSES = (
    r"hidden|hide|is-hidden|d-none|sr-only|screen-reader-text|screen-reader-only|visually-hidden|"
    r"visuallyhidden|offscreen|off-screen|invisible|print-only|element-invisible|u-hidden|a11y-hidden"
)

# An id of this many "-"/"_" parts is a slug of the page's text (an anchor made from a
# heading), not a layout name: it is not matched.
HTML_SLUG_MIN_PARTS = 6

# Class/id tokens of article-body containers ("article-body", "entry-content",
# "storyBody"): a bonus when choosing the main content, and a veto against the
# boilerplate families above.
HTML_CONTENT_CLASSES = (
    r"article-body|articlebody|article-content|articlecontent|article-text|story-body|storybody|"
    r"story-content|story-text|post-body|postbody|post-content|post-text|entry-content|"
    r"entry-body|content-body|body-text|bodytext|rich-text|richtext|text-content|field-body|"
    r"paywall-content|body-copy|article-main|main-text|article-page-body|"
    # embedded posts quoted by the article (a tweet is not a share button)
    r"twitter-tweet|instagram-media|tiktok-embed|social-media-embed|social-embed|embedded-post|"
    r"embed|embeds|embedded"
)

# Semantic markers of the article body (<article>, <main>, itemprop="articleBody",
# role="main"): a bonus when choosing the main content.
HTML_CONTENT_TAGS = ("article", "main")
HTML_CONTENT_ATTRIBUTES = {"itemprop": ("articleBody", "text", "reviewBody"), "role": ("main",)}

# Short blocks whose whole text is a boilerplate phrase, per family and language.
# Matched against the lower-cased text of blocks of at most HTML_PHRASE_MAX_CHARS
# characters (so patterns are written in lower case).
HTML_PHRASE_MAX_CHARS = 160
HTML_BOILERPLATE_PHRASES = {
    # newsletter / subscription / follow prompts
    "subscribe": [
        r"(?:click here to |please )?subscribe\b.*",          # en
        r"sign up (?:for|to) (?:our|the) .*newsletter.*",      # en
        r".*\bnewsletter\b.*\b(?:sign up|subscribe|inbox)\b.*",  # en
        r"follow us on .*",                                   # en ("Follow us on Google News")
        r".*\bgoogle news\b.*",                               # en and others
        r"get (?:the|our) .*(?:newsletter|app)\b.*",          # en
        r".*\bdelivered (?:to your|through your|straight to your) (?:door|letterbox|inbox)\b.*",  # en
        r"abone ol.*",                                        # tr "Abone Ol"
        r"bizi .*takip edin.*",                               # tr "follow us on ..."
        r"(?:jetzt )?abonnieren.*", r"folgen sie uns.*",     # de
        r"abonnez-vous.*", r"suivez-nous.*", r"s'abonner.*",  # fr
        r"suscr[ií]bete.*", r"s[ií]guenos.*",                 # es
        r"iscriviti.*", r"seguici.*",                         # it
        r"assine.*", r"siga-nos.*", r"inscreva-se.*",         # pt
        r"abonneer.*", r"volg ons.*",                         # nl
        r"подпис(?:ывайтесь|аться).*",                        # ru
        r"اشترك.*", r"تابعونا.*",                              # ar
        # donation appeals ("Donate now", "Support independent journalism", "Become a member")
        r"(?:please |click here to )?(?:donate|make a donation|give now)\b.*",                      # en
        r".*\bsupport (?:our|independent|quality|local) (?:journalism|reporting|newsroom)\b.*",     # en
        r"become a (?:member|supporter|patron)\b.*",                                              # en
        r"jetzt spenden.*", r"faites un don.*", r"(?:haz|hacer) una donaci[óo]n.*", r"dona ahora.*",  # de, fr, es
        r"fai una donazione.*", r"fa[çc]a uma doa[çc][ãa]o.*", r"bağış yap.*",                     # it, pt, tr
        # calls for letters to the editor ("Submit your letter to the editor via this form")
        r".*\b(?:submit|send|write) (?:us )?(?:your |a )?letters? to the editor\b.*",   # en
        r".*\bleserbrief\b.*\b(?:schreiben|senden|einsenden)\b.*",                       # de
        r".*\b(?:écrivez|envoyez)(?:-nous)? .*courrier des lecteurs\b.*",                 # fr
    ],
    # "download this (story|script) as PDF", "print / save as PDF" links
    "download-pdf": [
        r"(?:click here to )?(?:download|save|print)\b.{0,40}\bpdf\b.*",                       # en
        r"pdf\b.{0,20}\b(?:herunterladen|télécharger|descargar|scaricare|baixar|indir)\b.*",   # de, fr, es, it, pt, tr
        r"(?:herunterladen|télécharger|descargar|scarica|baixar)\b.{0,40}\bpdf\b.*",
    ],
    # share prompts
    "share-bar": [
        r"share (?:this|on|via)\b.*", r"share\b", r".{0,40}\bshare (?:it|this)(?: story| article)? with\b.*", r"tweet\b", r"email\b", r"print\b",
        r"paylaş.*", r"teilen\b.*", r"partager\b.*", r"compartir\b.*", r"condividi\b.*",
        r"compartilhe?\b.*", r"delen\b.*",
    ],
    # "Read more", "Related", "Most read", "Recommended" teaser headings
    "related-list": [
        r"read (?:more|next|also)\b.*", r"related\b.*", r"more (?:from|on|in|stories|news)\b.*",
        r"most (?:read|popular|viewed|shared)\b.*", r"recommended\b.*", r"you (?:may|might) also like.*",
        r"(?:see|also) (?:also|read)\b.*", r"trending\b.*", r"don'?t miss\b.*", r"must read\b.*",
        r"(?:more|top|latest) (?:headlines|stories)\b.*", r"breaking news", r"more\b.{0,30}\bstories\b.*",
        r"tags?", r"topics?", r"(?:tags?|topics|keywords|etiquetas|schlagw[öo]rter|mots-cl[ée]s|etiketler)\s*:.*", r"editor'?s picks?\b.*", r"popular (?:now|stories)\b.*",
        r"ilgili haberler.*", r"en [çc]ok okunan.*", r"daha fazla.*", r"devamı.*",  # tr
        r"mehr zum thema.*", r"meistgelesen.*", r"auch interessant.*", r"weiterlesen.*",  # de
        r"(?:[àa] )?lire aussi.*", r"les plus lus.*", r"sur le m[êe]me sujet.*",  # fr
        r"leer m[áa]s.*", r"lo m[áa]s le[íi]do.*", r"noticias relacionadas.*", r"te puede interesar.*",  # es
        r"leggi anche.*", r"i pi[ùu] letti.*",                # it
        r"leia (?:mais|tamb[ée]m).*", r"mais lidas.*", r"voc[êe] (?:tamb[ée]m )?(?:pode|vai) gostar.*",
        r"veja tamb[ée]m.*", r"(?:not[íi]cias|posts|artigos) relacionad[oa]s.*",  # pt
        r"lees ook.*", r"meest gelezen.*",                    # nl
        r"читайте также.*", r"самое читаемое.*", r"самые популярные.*", r"похожие (?:статьи|новости|записи).*",
        r"по теме.*",                                          # ru
    ],
    # cookie / consent notices
    "consent-banner": [
        r".*\b(?:we|this (?:site|website)) uses? cookies\b.*", r".*\baccept (?:all )?cookies\b.*",
        r".*\bcookie (?:policy|settings|preferences)\b.*",
        r".*\bçerez(?:ler)?\b.*",                              # tr
    ],
    # ad labels
    "ads": [
        r"advertisement", r"advertising", r"advert", r"sponsored(?: content)?", r"ad", r"paid (?:post|content)",
        r"story continues below(?: advertisement)?", r"continue reading below",
        r"reklam", r"anzeige", r"publicit[ée]", r"publicidad", r"pubblicit[àa]", r"publicidade",
        r"реклама", r"إعلان",
    ],
    # comment prompts
    "comments": [
        r"(?:\d+ )?comments?", r"leave a (?:comment|reply).*", r"add (?:a )?comment.*",
        r"show comments.*", r"join the (?:conversation|discussion).*", r"yorum(?:lar|\s+yap)?.*",
        r"kommentare?.*", r"commentaires?.*", r"comentarios?.*", r"commenti.*",
        r"отзывы", r"(?:добавить|оставить) (?:отзыв|комментарий).*", r"комментарии.*",  # ru
        r"tell us what you think\b.*", r"what do you think\?.*",
        r".*\b(?:comments?|coment[áa]rios?|kommentare?|commentaires?|yorumlar?)\b.*\b(?:moderat|approv|aprova|review|pr[üu]f)\w*.*",
    ],
    # bylines, datelines and credits for the reporting (metadata, not body text)
    "byline": [
        r"(?=.{0,80}$).*\b(?:19|20)\d\d\b.{0,25}\b\d{1,2}[:h.]\d\d\b.*",  # "22 de janeiro de 2018 às 0:13"
        r"(?:updated|published|posted|last updated|aktualisiert|mis à jour|actualizado)\b(?=.{0,60}$).*\d.*",
        # ("Additional reporting by", "Editing by", "... contributed to this report" are credits
        #  for the reporting: they stay in the body)
        r"by [\w.'’ -]{2,60}", r"(?:the )?associated press", r"(?:staff|wire) reports?",
    ],
    # image credits on their own line
    "image-credit": [
        r"(?:photo|image|picture|photograph|credit|foto|fotoğraf|bild|source)s?\s*(?:credit)?\s*[:©].*",
        r"©.*", r"\(c\)\s.*", r"getty(?: images)?", r"(?:ap|afp|reuters|getty images|shutterstock|istock|dpa|epa)(?: photo)?",
    ],
    # credits glued to a caption: "(Image: GETTY)", "Photo: Jane Doe/AP"
    "photo-credit": [
        r"\(\s*(?:image|photo|picture|pic|foto|fotoğraf|bild|credit)s?\s*:[^)]{1,60}\)",
        r"(?:image|photo|picture|foto|fotoğraf|bild)s?\s*(?:credit)?\s*:\s*[^.]{1,60}",
    ],
    # gallery and media-player controls left as text ("Caption", "Close", "Image 1 of 5")
    "media-controls": [
        r"caption", r"close", r"open", r"expand", r"enlarge(?: this)? image", r"(?:hide|show|toggle) caption",
        r"(?:image|photo|picture|slide|foto|bild) \d+ (?:of|/|von|de|di) \d+", r"\d+ (?:of|/) \d+",
        r"(?:view|open|launch|see) (?:the )?(?:full )?(?:gallery|slideshow|photos?|images?)\b.*",
        r"\d+ (?:photos|images|pictures|fotos|bilder)", r"media playback is unsupported on your device",
        r"this (?:slideshow|video|content) requires javascript\b.*", r"(?:watch|play) (?:the )?video",
        r"your browser does not support .*", r"loading\W*(?:please wait\W*)?", r"text size", r"font size",
    ],
    # CSS class names leaking as text ("entry-footer td-post-tags wpb_wrapper"): a block made only of
    # hyphen- or underscore-joined tokens, two or more, is markup, not words
    "css-leak": [
        r"(?:[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+\s+)+[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+",
    ],
    # contact and follow lines closing an article ("Have a tip? X may be reached at ...")
    "contact-line": [
        r"have a (?:news )?tip\?.*", r".*\bmay be reached at\b.*", r".*\bcan be reached at\b.*",
        r"follow @?\w+ on (?:twitter|facebook|instagram|x)\b.*", r"get the latest .* in your inbox\b.*",
        r"(?:e-?mail|twitter|contact)\s*:\s*\S+", r"\S+@\S+\.\w+", r"(?:https?://)?(?:www\.)?twitter\.com/\w+",
    ],
}

# Phrase families that are interface labels, matched on inline elements too (a "Subscribe"
# link inside a paragraph); the others only match whole blocks.
HTML_INLINE_PHRASE_FAMILIES = ("subscribe", "share-bar", "media-controls", "ads", "consent-banner", "download-pdf",
                               "photo-credit")

# Headings (or short heading-like blocks) that open a boilerplate section: the heading
# and the link lists after it go.
HTML_SECTION_LINK_RATIO = 0.3     # ... while the blocks after it are links more than this
HTML_SECTION_HEADING_FAMILIES = ("related-list", "comments", "subscribe", "share-bar")

# Block tags copied whole into the extracted body (their inline markup kept).
HTML_BLOCK_TAGS = (
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "table",
    "figure", "hr",
)

# Attributes kept on the extracted blocks (links, image sources incl. lazy-loading ones,
# table spans, quotes' sources); classes, styles, ids and event handlers go.
HTML_KEPT_ATTRIBUTES = (
    "href", "src", "srcset", "data-src", "data-srcset", "data-lazy-src", "sizes", "media", "type",
    "alt", "title", "width", "height", "colspan", "rowspan", "headers", "scope", "start",
    "reversed", "value", "datetime", "cite", "lang", "dir",
)

# No-break spaces (U+00A0, U+202F) that editors leave between ordinary words ("of&nbsp;<a>")
# become plain spaces in the extracted body, so its text reads and searches like the words it
# is; typography that binds stays: before : ; ! ? » and after « (French), inside digit groups.
HTML_LOOSE_NBSP = r"(?<![«\d])[\u00a0\u202f]+(?![:;!?»])|(?<=\d)[\u00a0\u202f]+(?=[^\d:;!?»]|$)"

# A list or blockquote holding layout blocks and more text than this is a page section
# in disguise: its items are taken one by one, not copied whole.
HTML_LAYOUT_LIST_CHARS = 2000

# Inline tags: their text belongs to the surrounding paragraph.
HTML_INLINE_TAGS = (
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "img", "picture", "source", "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong",
    "sub", "sup", "time", "u", "var", "wbr", "strike", "tt", "big",
)

# Thresholds of the main-content scorer (characters and ratios).
HTML_MIN_PARAGRAPH_CHARS = 30      # shorter text blocks are not evidence of article text;
                                   # longer ones count their non-link text
HTML_MAX_PARAGRAPH_LINK_RATIO = 0.5  # a block with more link text than this is navigation
HTML_ANCESTOR_WEIGHTS = (1.0, 0.5, 0.17)  # a paragraph's credit to its container and the two above
HTML_CONTENT_BONUS = 0.25          # score bonus of article/main/articleBody/"article-body" containers
HTML_CLIMB_LEVELS = 3              # siblings of the container and of this many ancestors may join
HTML_TEASER_LINK_RATIO = 0.1      # a small item around a lone paragraph with more links is a teaser
HTML_HEADLINE_LINK_CHARS = 20     # ... or an item opening with a link this long (a headline)
HTML_LONE_PARAGRAPH_SHARE = 3      # ... judged once its wrappers hold this many times its text
HTML_SIBLING_SHARE = 0.2           # siblings scoring this share of the best container join it
HTML_SIBLING_PARAGRAPH_CHARS = 80  # ... and so do sibling paragraphs this long
HTML_SIBLING_PARAGRAPH_LINK_RATIO = 0.25  # ... with at most this link ratio
HTML_LINK_DENSE_RATIO = 0.5        # blocks inside the body with more link text than this go
HTML_LINK_DENSE_MAX_CHARS = 2000   # ... unless they are long (a linked paragraph in a long text)
HTML_LINK_DENSE_PARAGRAPH_CHARS = 200  # a paragraph this long is a sentence however linked,
HTML_SENTENCE_MIN_WORDS = 8        # ... and so is one of this many words ending with a full stop
HTML_SENTENCE_TAGS = ("p", "li")   # paragraphs, and list items (a list of linked recommendations
                                   # is prose; a link list's items are headlines, with no full stop)
HTML_DUPLICATE_MIN_CHARS = 20      # a block this long repeating one of the
HTML_DUPLICATE_WINDOW = 4          # this many blocks before it goes (gallery captions twice)
HTML_TOGGLE_WORDS = ("more", "less", "expand", "collapse")  # "... more" ending a truncated echo
HTML_MIN_ARTICLE_CHARS = 80       # a page with less paragraph text than this has no article
HTML_STORY_MIN_CHARS = 600        # <article>s with this much article-run text each are full stories
                                  # (infinite scroll): only the one titled like the page is extracted
HTML_ARTICLE_BODY_BONUS = 1.0     # credit bonus of a paragraph found in the JSON-LD articleBody
HTML_ARTICLE_BODY_PROBE_CHARS = 80  # ... judged by its first this many characters (as words)
HTML_ARTICLE_BODY_FULL_COVERAGE = 0.9  # a container with this share of its words needs no siblings
HTML_ARTICLE_BODY_MIN_WORDS = 30  # a JSON-LD articleBody this rich (distinct words) ...
HTML_ARTICLE_BODY_MIN_COVERAGE = 0.5  # ... replaces an extraction holding less of its words


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
# Keyword lines, "<label>: a, b, c" ("Tags: energy, climate", "Etiketler: ekonomi, enflasyon"): read as tags.
DUMP_TAG_LABELS = [
    "tags", "tagged", "keywords", "topics",  # en
    "etiketler", "anahtar kelimeler",  # tr
    "schlagwörter", "stichwörter", "themen",  # de
    "mots-clés", "mots clés", "sujets",  # fr
    "etiquetas", "temas",  # es
    "tag", "argomenti", "parole chiave",  # it
    "теги", "ключевые слова",  # ru
]
# Photo/source credit lines, "<label>: <short credit>" ("Photo: Reuters", "Fotoğraf: AA", "Kaynak: AA").
DUMP_CREDIT_LABELS = [
    "photo", "photos", "image", "picture", "credit", "photo credit", "source", "video",  # en
    "fotoğraf", "foto", "görsel", "kaynak",  # tr
    "bild", "quelle", "fotos",  # de
    "crédit photo", "source",  # fr
    "fuente", "imagen",  # es
    "fonte", "immagine",  # it
    "фото", "источник",  # ru
]
DUMP_CREDIT_MAX_CHARS = 60  # a longer text after a credit label is a sentence, not a credit
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
# everything after it are dropped when what follows is teaser lines (or less text than the
# article before it); otherwise only the heading goes.
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


DUMP_TEASER_MAX_CHARS = 160  # a longer line after a trailer heading is article text, not a teaser

# ---------------------------------------------------------------------------
# Plain-text dumps: line evidence for the learned line model (applied by dumplines.py)
# ---------------------------------------------------------------------------
# Function words per language: prose is dense in them, menus, teasers and labels are not
# (jusText's evidence). A line's stopword density is its share of words found in the union.
DUMP_STOPWORDS = {
    "en": "the a an and or but of to in on at for with by from as is are was were be been has have had "
          "it its this that these those he she they we you i his her their our not no will would can could "
          "said says which who what when there than also after about into over more",
    "de": "der die das den dem des ein eine einen einem und oder aber in im an am auf für mit von zu zum zur "
          "ist sind war waren wird werden hat haben nicht auch sich es er sie wir ich dass als bei nach aus wie",
    "fr": "le la les un une des du de et ou mais en dans au aux sur pour par avec est sont était été a ont "
          "ce cette ces il elle ils nous vous je qui que ne pas plus se son sa ses leur comme après",
    "es": "el la los las un una unos de del y o pero en con por para al es son era fue ha han que se su sus "
          "no más como este esta lo le les ya muy también sobre entre",
    "it": "il lo la i gli le un una di del della dei e o ma in nel nella con per da al alla è sono era "
          "stato ha hanno che si non più come questo questa anche suo sua",
    "pt": "o a os as um uma de do da dos das e ou mas em no na nos nas com por para ao é são era foi tem "
          "que se não mais como este esta seu sua também",
    "nl": "de het een en of maar in op aan voor met van te is zijn was waren wordt heeft hebben niet ook "
          "dat die dit er hij zij we ik als bij naar uit",
    "tr": "ve bir bu da de ile için olarak olan gibi daha çok en ancak ama ise ki o şu her kadar sonra "
          "değil var yok olduğu dedi göre",
    "ru": "и в на с по не что это как к из за от о для но а то же он она они мы его ее их был была были "
          "будет также после",
}
# Separators of menus and breadcrumbs on one line ("Home | World | Sport", "News › Europe").
DUMP_MENU_SEPARATORS = "|·•»›>/–—:"
# Copyright, legal and contact fragments of site footers ("© 2024 Example Media", "All rights reserved").
DUMP_FOOTER_MARKS = ("©", "all rights reserved", "copyright", "privacy policy", "terms of use", "terms of service",
                     "cookie policy", "tüm hakları saklıdır", "alle rechte vorbehalten", "tous droits réservés",
                     "todos los derechos reservados", "tutti i diritti riservati", "все права защищены")
DUMP_SHORT_LINE_CHARS = 40  # a line this short is a label, a menu entry or a heading, not prose
# A standfirst split from the story by header lines ("Publication: ...", the title again, "Share"):
# a prose line (sentence end, this many words, this stopword share) at most DUMP_LEDE_GAP header-like
# lines before the first article line is kept.
DUMP_LEDE_GAP = 4
DUMP_LEDE_MIN_WORDS = 12
DUMP_LEDE_MIN_STOPWORDS = 0.15

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
# JSON-LD @type values that describe the article itself (schema.org CreativeWork kinds news sites use).
# Most specific first: the first type of this list found on the page wins; WebPage only as a last resort.
JSONLD_ARTICLE_TYPES = ("NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
                        "LiveBlogPosting", "BlogPosting", "Article", "Report", "WebPage")
# <meta> names/properties per field, most trusted first (OpenGraph, article:*, Dublin Core, parsely...).
META_FIELDS = {
    "title": ("og:title", "twitter:title", "dc.title", "parsely-title", "sailthru.title"),
    "date": ("article:published_time", "og:article:published_time", "datepublished", "date",
             "pubdate", "publishdate", "publish-date", "dc.date.issued", "dc.date", "dcterms.created",
             "parsely-pub-date", "sailthru.date", "article.published", "published_time"),
    "modified": ("article:modified_time", "og:updated_time", "datemodified", "last-modified",
                 "dcterms.modified", "article.updated", "modified_time"),
    "authors": ("article:author", "author", "dc.creator", "parsely-author", "sailthru.author", "byl"),
    "category": ("article:section", "parsely-section", "section", "article.section"),
    "tags": ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags"),
    "site_name": ("og:site_name", "application-name", "publisher"),
    "source_url": ("og:url", "twitter:url", "parsely-link"),
    "image": ("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"),
    "image_alt": ("og:image:alt", "twitter:image:alt"),
    "summary": ("og:description", "twitter:description", "description", "dc.description"),
    "lang": ("og:locale", "content-language", "language", "dc.language"),
}
# Class/id/itemprop words of elements showing the publication date ("post-date", "published").
DATE_MARKERS = ("date", "time", "publish", "posted", "dateline", "timestamp", "meta", "byline", "tarih")
# Class/id words of containers whose dates and bylines belong to other stories or to widgets.
METADATA_ASIDE_WORDS = ("related", "sidebar", "teaser", "recommend", "popular", "trending", "cookie", "consent",
                        "comment", "newsletter", "promo", "widget")
# Class prefixes of page builders' layout wrappers ("elementor-widget-container" wraps a whole story):
# their words say how the page is built, not what a block is, so they never mark an aside.
METADATA_LAYOUT_CLASS_PREFIXES = ("elementor-", "et_pb_", "vc_", "fl-", "wp-block-")
# Separators between names in a byline, conjunctions per language ("Jane Doe ve Ali Veli").
NAME_SEPARATOR = r"\s*(?:,|;|&|\b(?:and|ve|und|et|y|e|en|и)\b)\s*"
# Class/id words of a visible section label ("kicker", "post-category", Turkish "kategori").
SECTION_MARKERS = ("kicker", "category", "kategori", "section-name", "section-label", "rubrik", "rubrique",
                   "categoria", "eyebrow", "overline")
# Section labels that name no section (blog defaults).
SECTION_NOT_NAMES = ("uncategorized", "uncategorised", "general", "categories", "category", "allgemein",
                     "genel", "home", "all", "view all", "more", "share", "share this")
# Class/id/rel/itemprop tokens of visible bylines ("By Jane Doe").
BYLINE_MARKERS = ("author", "byline", "by-line", "writer", "yazar", "autor", "auteur", "autore")
# Path segments of links to an author's page ("/authors/jane-doe", "/autor/anna-berg"): the link's
# text is a byline name even where no class marks it.
AUTHOR_LINK_PATH = (r"/(?:authors?|autor(?:en|in)?|auteurs?|autori?e?|writers?|contributors?|columnists?"
                    r"|reporters?|journalists?|redakteur(?:e|in)?|yazar(?:lar)?|people|staff|experts?)/[^/?#]+"
                    r"|[?&]author=")
# Texts of interface links and labels that sit where names do ("View all posts", "Read more").
AUTHOR_INTERFACE_WORDS = ("view", "all", "more", "read", "posts", "articles", "stories", "profile", "bio", "see",
                          "follow", "contact", "email", "share", "about", "home", "news", "blog", "team page")
# Labels before a byline's names, in the dump languages ("By", "Written by", "Yazar:", "Von"...).
# Any single word followed by a colon is a label too ("Haber: Ayşe Yılmaz", "Text: Anna Berg").
BYLINE_LABEL = (r"(?:(?:this\s+(?:post|article|story)\s+(?:was\s+)?)?(?:written|posted|reported|words|story|text|article"
                r"|authored|insights)\s+(?:by|from)|by|author|von|par|por|di|yazar"
                r"|muhabir|autor|autorin|auteur|autore|автор)\b\s*:?")
BYLINE_PREFIX = rf"^(?:{BYLINE_LABEL}\s*|\w+\s*:\s+)"
# Words that end the names in a byline: a date or an action follows ("Jane Doe - Mar 27, 2024",
# "Jane Doe Published on July 18").
BYLINE_END = (r"\s[-|–—•·]\s|\b(?:published|updated|posted|on|at|in|yayınlanma|güncelleme|veröffentlicht|am|le|el)\b"
              r"|\d|\s[|–—•·]$")
# Byline texts that are labels, not names.
BYLINE_NOT_NAMES = ("author", "the author", "authors", "admin", "administrator", "editor", "staff", "by")
# Job titles after a name in a byline ("Ann Lee Writer", "Ann Lee, Co-Founder"), with the words that
# qualify them before ("Tech Reporter", "Senior Editor"): the name ends before them, and an item that
# is only a job title is no name at all.
AUTHOR_JOB_TITLES = ("writer", "reporter", "editor", "founder", "co-founder", "cofounder", "ceo", "cto", "cmo",
                     "contributor", "correspondent", "columnist", "journalist", "marketer", "manager", "director",
                     "consultant", "specialist", "strategist", "analyst", "reviewer", "producer", "redakteur",
                     "redakteurin", "autorin", "journaliste", "rédacteur", "rédactrice", "periodista", "redactor",
                     "redactora", "giornalista", "muhabir", "editör")
AUTHOR_JOB_QUALIFIERS = ("head", "lead", "senior", "sr", "junior", "chief", "managing", "executive", "staff",
                         "contributing", "freelance", "tech", "technology", "content", "product", "marketing",
                         "associate", "assistant", "deputy", "digital", "news", "guest", "and", "&")
# Qualifications after a comma ("Ann Lee, MD, PhD", "Jo Poe, CFP®"): they stay with the name before them.
AUTHOR_QUALIFICATION = r"^(?:[A-Z]{2,6}®?|Ph\.?\s?D\.?|M\.\s?D\.|Jr\.?|Sr\.?)$"
# Name particles written in lower case ("Marna van der Merwe", "Ana de la Cruz"): still part of a name.
NAME_PARTICLES = ("van", "der", "den", "de", "la", "le", "du", "des", "da", "do", "dos", "das", "di", "del", "della", "von",
                  "zu", "bin", "binti", "al", "el", "ten", "ter", "y", "e")
# Words of an organisation's name (legal forms, "Media", "Verlag"...): an author value holding one
# is a publisher or imprint ("Example Media GmbH, Munich, Germany"), not people to split.
ORGANISATION_WORDS = ("gmbh", "mbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "ltd", "limited", "llc", "llp", "plc", "inc", "corp", "corporation",
                      "company", "media", "verlag", "verlagsgruppe", "group", "holding", "holdings",
                      "publishing", "publications", "newsroom", "editorial", "redaktion", "rédaction",
                      "redacción", "network", "staff")
# A domain in an author value ("Example News (example.com)"): a site's name, not a person.
AUTHOR_DOMAIN = r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|info|news|co|io|de|fr|es|it|uk|tr|ru|nl|at|ch)\b"
# Where a byline's names end: "Last updated" after them, or a date with a month name
# ("Luke Kim December 19, 2025": the digits alone left the month as a surname).
BYLINE_NAME_END = r"\s+last\s+(?:updated|modified)\b|\s+(?:{months})\.?\s+\d"
# Separators before a site name in <title>/og:title: "Headline | Site", "Headline › Site"; headlines
# never use these, so a short segment after them is dropped even when it is not the site's name,
# and a short one before them ("Opinion | Headline": a column label) when the rest is longer.
TITLE_SITE_SEPARATORS = (" | ", " • ", " :: ", " · ", " « ", " » ", " // ", " › ", " ‹ ")
# Dashes also separate a site name ("Headline - Site") but are headline punctuation too: the
# segment after them is dropped only when it names the site (site name or domain).
TITLE_DASH_SEPARATORS = (" - ", " – ", " — ")

# Tags a CMS files stories under for its own use, not editorial keywords ("front-page", "general").
TAG_INTERNAL = ("general", "allgemein", "genel", "uncategorized", "uncategorised", "front page", "frontpage",
                "homepage", "home", "featured", "feature", "top story", "top stories", "top news", "breaking",
                "news", "latest", "latest news", "slider", "hero", "main", "default", "article", "articles",
                "story", "post", "blog", "aufmacher", "startseite", "une", "portada", "manşet")
# A slug ("us_election", "us-election-2024") is an identifier, not a keyword; one hyphen stays
# ("covid-19", "e-bike"), and a "Label: value" pair ("Textart: Heftarchiv") is a CMS field.
TAG_SLUG = r"^[a-z0-9]+(?:_[a-z0-9_-]+|(?:-[a-z0-9]+){2,})$|^\d+$|:"

# Time-zone abbreviations in visible dates ("Nov 19, 2019 8:03 am EST"), as UTC offsets in hours.
TIMEZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "TRT": 3,
    "IST": 5.5, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}
# A publication date outside these years is a parsing accident (or a cookie expiry).
DATE_MIN_YEAR = 1990
DATE_MAX_YEARS_AHEAD = 1

# ---------------------------------------------------------------------------
# Pages that hold no article (applied by pagekind.py)
# ---------------------------------------------------------------------------
# A page is refused only when its extracted body is short (at most NOT_ARTICLE_MAX_WORDS words)
# and it shows one of these signs: a real story is never refused for a phrase alone.
NOT_ARTICLE_MAX_WORDS = 120
# Unrendered template expressions in visible text (outside code): a single-page-app shell.
NOT_ARTICLE_TEMPLATE = r"\{\{[^{}\n]{1,400}\}\}|\{%[^%\n]{1,200}%\}|\$\{[A-Za-z_][\w.]{0,80}\}"
# Attributes of client-side frameworks on an element whose text the page never rendered.
NOT_ARTICLE_APP_ATTRIBUTES = ("ng-app", "ng-controller", "ng-view", "ng-bind", "ng-if", "ng-repeat",
                              "v-cloak", "v-if", "v-for", "x-data", "data-ng-app")
# Error pages: the title or first heading says so.
NOT_ARTICLE_ERROR_TITLES = [
    r"(?:error\s*)?(?:404|410|500|502|503)\b.*",                                    # any language
    r".*\b(?:page|article|content|story) (?:not found|no longer available|does not exist|unavailable)\b.*",  # en
    r".*\bnot found\b.*", r".*\baccess denied\b.*", r".*\bforbidden\b.*",           # en
    r".*\binternal server error\b.*", r".*\bsomething went wrong\b.*",              # en
    r".*\bseite nicht gefunden\b.*", r".*\bnicht gefunden\b.*",                      # de
    r".*\bpage (?:introuvable|non trouvée)\b.*",                                     # fr
    r".*\bp[áa]gina no encontrada\b.*", r".*\bp[áa]gina n[ãa]o encontrada\b.*",      # es, pt
    r".*\bpagina non trovata\b.*", r".*\bpagina niet gevonden\b.*",                  # it, nl
    r".*\bsayfa bulunamad[ıi]\b.*",                                                  # tr
    r".*\bстраница не найдена\b.*",                                                  # ru
]
# Login and paywall stubs: the short body asks the reader to log in or pay to read on.
NOT_ARTICLE_PAYWALL_PHRASES = [
    r"\b(?:subscribe|log ?in|sign ?in|register)\b.{0,40}\b(?:to (?:continue|keep) reading|to read (?:this|the full|more)|for full access|to unlock)\b",  # en
    r"\b(?:this|the) (?:article|story|content) is (?:only )?(?:available|reserved|exclusive) (?:to|for) (?:subscribers|members)\b",  # en
    r"\balready a (?:subscriber|member)\b", r"\bplease (?:log|sign) ?in to (?:continue|view|read)\b",  # en
    r"\bjetzt (?:anmelden|abonnieren|registrieren) und weiterlesen\b", r"\bnur für abonnenten\b",    # de
    r"\bréservé aux abonnés\b", r"\bconnectez-vous pour (?:lire|continuer)\b",                       # fr
    r"\bexclusivo para (?:suscriptores|assinantes)\b", r"\binicia sesi[óo]n para (?:leer|continuar)\b",  # es, pt
    r"\briservato agli abbonati\b",                                                                 # it
    r"\bdevam[ıi]n[ıi] okumak i[çc]in (?:abone|giri[şs])\b",                                         # tr
]
# Section fronts and listings: many linked headlines (a link of HEADLINE chars or more inside
# a heading, or a heading inside a link) and a short body: the page lists stories, it tells none.
NOT_ARTICLE_LISTING_HEADLINES = 8

# ---------------------------------------------------------------------------
# Second opinion (applied by candidates.py)
# ---------------------------------------------------------------------------
FALLBACK_ASK_WORDS = 250  # trafilatura is asked only when our body is shorter than this (its time:
                          # asking on every page doubled the CPU time and gained nothing measurable)
FALLBACK_SHARE = 0.5      # our body with under this share of trafilatura's words is replaced by its,
FALLBACK_MIN_WORDS = 50   # ... when trafilatura's has at least this many words

# ---------------------------------------------------------------------------
# Scraped images fetched into the site (applied by imagefetch.py)
# ---------------------------------------------------------------------------
# Image types taken, by their first bytes (never the URL or the Content-Type), with the
# Pillow format that must then read them and the file extension they are stored under.
# SVG is never taken: it is a document that can carry scripts.
IMAGE_SIGNATURES = (
    # (offset, magic bytes, Pillow format, extension)
    (0, b"\xff\xd8\xff", "JPEG", "jpg"),
    (0, b"\x89PNG\r\n\x1a\n", "PNG", "png"),
    (0, b"GIF87a", "GIF", "gif"),
    (0, b"GIF89a", "GIF", "gif"),
    (8, b"WEBP", "WEBP", "webp"),  # after "RIFF" and the length
    (4, b"ftypavif", "AVIF", "avif"),
    (4, b"ftypavis", "AVIF", "avif"),  # an AVIF image sequence
)
# Addresses never fetched from, even with NEWSROOM_FETCH_PRIVATE_HOSTS: cloud metadata
# services (AWS/GCP/Azure/OpenStack, AWS over IPv6, AWS ECS, Alibaba), which hand out credentials.
IMAGE_METADATA_ADDRESSES = ("169.254.169.254", "fd00:ec2::254", "169.254.170.2", "100.100.100.200")
# Only these URL schemes are fetched.
IMAGE_SCHEMES = ("http", "https")
