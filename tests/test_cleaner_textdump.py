"""Plain-text dumps: the seed scrape and dumps in other languages and shapes."""

from pathlib import Path

from newsroom_cleaner.pipeline import clean_article
from newsroom_cleaner.write import to_pelican_markdown

SEED = Path(__file__).parent / "golden" / "cases" / "seed_text_dump.txt"
TITLE = "Russia hosts North Korean foreign minister to strengthen ties"


def _seed_paragraphs() -> list[str]:
    blocks = [b.strip() for b in SEED.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    # The title block, the header block (date, repeated title, follow widgets) and the
    # trailing "Most Read News" heading are the boilerplate; every other block is body.
    return [b for b in blocks[1:] if "Publication:" not in b and b != "Most Read News"]


def test_seed_metadata():
    article = clean_article(SEED.read_bytes(), source_name=SEED.name)
    assert article.metadata["title"] == TITLE
    assert article.metadata["date"].strftime("%Y-%m-%d %H:%M") == "2024-01-15 11:33"
    assert article.metadata["summary"] == _seed_paragraphs()[0]
    assert article.report.warnings == []


def test_seed_body_keeps_every_paragraph_in_order_and_drops_boilerplate():
    markdown = clean_article(SEED.read_bytes()).markdown
    assert markdown.split("\n\n") == _seed_paragraphs()
    for junk in ("Abone Ol", "google-news", "Most Read News", "Publication:", TITLE):
        assert junk not in markdown


def test_seed_report_names_each_rule():
    hits = clean_article(SEED.read_bytes()).report.hits
    assert hits["text.repeated-title"].chars == len(TITLE)
    assert hits["text.trailing-link-list"].chars == len("Most Read News")
    assert {"text.date-line", "text.share-follow-widgets"} <= set(hits)


def test_turkish_dump_with_turkish_labels():
    text = ("Merkez Bankası faizi sabit tuttu\n\nYayın Tarihi: 15 Ocak 2024 Pazartesi 11:33\n"
            "Güncelleme: 16.01.2024 - 09:05\nMerkez Bankası faizi sabit tuttu\nAbone Ol google-news\n\n"
            "Yazar: Ayşe Yılmaz\n\nPara Politikası Kurulu politika faizini yüzde 42,5'te sabit bıraktı.\n\n"
            "Kurul, enflasyondaki ana eğilimin yakından izleneceğini açıkladı.\n\n"
            "En Çok Okunan Haberler\n\nDolar rekor kırdı\nAltın fiyatları")
    article = clean_article(text.encode("cp1254"), source_name="tr.txt")
    assert article.metadata["title"] == "Merkez Bankası faizi sabit tuttu"
    assert article.metadata["date"].isoformat() == "2024-01-15T11:33:00"
    assert article.metadata["modified"].isoformat() == "2024-01-16T09:05:00"
    assert article.metadata["authors"] == ["Ayşe Yılmaz"]
    assert article.markdown == ("Para Politikası Kurulu politika faizini yüzde 42,5'te sabit bıraktı.\n\n"
                                "Kurul, enflasyondaki ana eğilimin yakından izleneceğini açıkladı.")


def test_dump_with_one_line_per_paragraph_and_doubled_lede():
    lede = "The city council approved the new budget on Tuesday after a long debate."
    text = "\n".join(["Council passes budget", "By Jane Doe", "Published: March 3, 2024",
                      lede, lede, "Spending on schools rises by four percent.", "Share", "Related Articles",
                      "Another story"])
    article = clean_article(text, url="https://www.example.org/news/budget", source_name="en.txt")
    assert article.markdown == f"{lede}\n\nSpending on schools rises by four percent."
    assert article.metadata["authors"] == ["Jane Doe"]
    assert article.metadata["summary"] == lede
    assert article.metadata["source_url"] == "https://www.example.org/news/budget"
    assert article.metadata["site_name"] == "example.org"
    assert article.report.hits["repeated-paragraph"].chars == len(lede)


def test_sentence_mentioning_boilerplate_words_is_kept():
    body = "Readers can subscribe to the newsletter, and most read news comes from local desks."
    article = clean_article(f"A headline\n\n{body}\n\nSubscribe\n", source_name="x.txt")
    assert article.markdown == body


def test_german_and_french_dumps_use_their_own_phrases():
    german = ("Bahn streicht Nachtzüge nach Wien\n\nVeröffentlicht am 15.01.2024 um 11:33 Uhr\nVon Anna Berg\n\n"
              "Die Deutsche Bahn stellt zwei Nachtzugverbindungen nach Wien ein.\n\nTeilen\n\n"
              "Fahrgastverbände kritisierten die Entscheidung scharf.\n\nMehr zum Thema\n\nStreik bei der Bahn\n")
    article = clean_article(german, source_name="de.txt")
    assert article.metadata["authors"] == ["Anna Berg"]
    assert article.metadata["date"].isoformat() == "2024-01-15T11:33:00"
    assert article.markdown == ("Die Deutsche Bahn stellt zwei Nachtzugverbindungen nach Wien ein.\n\n"
                                "Fahrgastverbände kritisierten die Entscheidung scharf.")
    french = ("La SNCF supprime deux trains de nuit\nPublié le 15 janvier 2024 à 11h33\nPar Claire Dubois\n"
              "La SNCF a annoncé la suppression de deux lignes de trains de nuit vers Vienne.\nPartager\n"
              "Les associations d'usagers dénoncent une décision brutale.\nLes plus lus\nGrève à la SNCF\n")
    article = clean_article(french, source_name="fr.txt")
    assert article.metadata["title"] == "La SNCF supprime deux trains de nuit"
    assert article.metadata["authors"] == ["Claire Dubois"]
    assert article.metadata["date"].isoformat() == "2024-01-15T11:33:00"
    assert article.markdown == ("La SNCF a annoncé la suppression de deux lignes de trains de nuit vers Vienne.\n\n"
                                "Les associations d'usagers dénoncent une décision brutale.")


def test_dump_opening_with_a_date_line_is_not_read_as_a_pelican_header():
    article = clean_article("Date: 15.01.2024\nFerry fares rise in spring\n\nFares on all routes rise by ten "
                            "percent from April, the operator said.\n", source_name="d.txt")
    assert article.metadata["date"].isoformat() == "2024-01-15T00:00:00"
    assert article.metadata["title"] == "Ferry fares rise in spring"
    assert article.markdown == "Fares on all routes rise by ten percent from April, the operator said."


def test_tag_and_credit_lines():
    text = ("Enflasyon ocakta yüzde 64,8 oldu\n\nFotoğraf: AA\n\nTÜİK, ocak ayı enflasyon rakamlarını açıkladı ve "
            "yıllık artış beklentilerin üzerinde gerçekleşti.\n\nKaynak: AA\n\nEtiketler: enflasyon, TÜİK, ekonomi\n")
    article = clean_article(text, source_name="tr.txt")
    assert article.metadata["tags"] == ["enflasyon", "TÜİK", "ekonomi"]
    assert article.markdown == ("TÜİK, ocak ayı enflasyon rakamlarını açıkladı ve yıllık artış beklentilerin "
                                "üzerinde gerçekleşti.")
    assert article.report.hits["text.photo-source-credit"].blocks == 2
    sentence = "Source: the ministry said that inflation would fall to single digits by the end of next year."
    assert clean_article(f"Inflation outlook\n\n{sentence}\n", source_name="en.txt").markdown == sentence


def test_a_line_repeated_later_in_the_body_is_kept():
    refrain = "We shall overcome, the crowd sang again."
    text = "\n\n".join(["Marchers fill the square", "Thousands gathered at noon in the old square.", refrain,
                        "Police closed the side streets.", refrain, refrain, "The march ended at dusk."])
    article = clean_article(text, source_name="march.txt")
    # Only the immediate echo goes; the refrain's second place in the story stays.
    assert article.markdown.split("\n\n") == ["Thousands gathered at noon in the old square.", refrain,
                                              "Police closed the side streets.", refrain,
                                              "The march ended at dusk."]
    text = to_pelican_markdown(article)
    assert to_pelican_markdown(clean_article(text, source_name="again.md")) == text


def test_cleaned_file_with_a_multi_line_paragraph_reads_back_unchanged():
    text = "Ferry plan approved\n\nThe council met at noon.\nIt voted yes.\n\nThe council met at noon.\nIt voted yes."
    cleaned = to_pelican_markdown(clean_article(text, source_name="ferry.txt"))
    assert cleaned.endswith("\n\nThe council met at noon.\nIt voted yes.\n")
    assert to_pelican_markdown(clean_article(cleaned, source_name="ferry.md")) == cleaned


def test_markup_around_a_line_is_ignored_by_the_line_rules():
    text = ("Harbour reopens\n\nThe harbour reopened on Monday after repairs.\n\n**Share**\n\n"
            "The first ferry left at six.\n\n## Related Articles: ##\n\nFerry prices rise\n\nNew pier planned")
    article = clean_article(text, source_name="harbour.txt")
    assert article.markdown == "The harbour reopened on Monday after repairs.\n\nThe first ferry left at six."
